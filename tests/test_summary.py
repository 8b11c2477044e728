"""The text summary after a solve, in Chinese and English."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.domain.models import PlanningWeek, Problem, ShiftDefinition, Volunteer, expand
from scheduler.domain.roster import Assignment, Roster, SolverReport, Unfilled, VolunteerLoad, period_of
from scheduler.render.summary import render_summary

WEEK = PlanningWeek.parse("2026-W49")


@pytest.fixture
def problem() -> Problem:
    """Six seats: a Mon/Tue morning patrol for two, a Monday evening patrol and a Saturday activity."""
    definitions = (
        ShiftDefinition(id="east-gate-am", name="东门文明劝导", kind="patrol", days=frozenset({0, 1}),
                        start=7 * 60, end=9 * 60, need=2, max=2, min_female=1),
        ShiftDefinition(id="evening", name="晚间巡逻", days=frozenset({0}), start=19 * 60, end=21 * 60, need=1, max=1),
        ShiftDefinition(id="reading", name="读报活动", dates=(dt.date(2026, 12, 5),), start=14 * 60, end=16 * 60,
                        need=1, max=1, require={"first_aid": 1}),
    )
    volunteers = (
        Volunteer(id="V1", name="王秀英", gender="F", age=66, phone="13912345678"),
        Volunteer(id="V2", name="李建国", gender="M", age=70),
        Volunteer(id="V10", name="张桂兰", gender="F", age=61),
        Volunteer(id="V4", name="赵敏", gender="F", age=58),
        Volunteer(id="V3", name="陈伟", gender="M", age=80, active=False),
    )
    return Problem(week=WEEK, volunteers=volunteers, definitions=definitions, shifts=expand(definitions, WEEK))


def partial_roster(problem: Problem) -> Roster:
    """Tuesday's patrol lacks a woman; Saturday's reading has nobody and needs first aid."""
    v, s = problem.volunteer, problem.shift
    return Roster(
        week=WEEK.label, period=period_of(problem), status="partial",
        solver=SolverReport(status="FEASIBLE", objective=1234, best_bound=1200, gap=0.0276, wall_seconds=1.94,
                            seed=7, workers=8),
        assignments=[
            Assignment.of(s["east-gate-am@2026-11-30"], v["V2"]),
            Assignment.of(s["east-gate-am@2026-11-30"], v["V10"]),
            Assignment.of(s["east-gate-am@2026-12-01"], v["V2"]),
            Assignment.of(s["evening@2026-11-30"], v["V1"]),
        ],
        unfilled=[
            Unfilled(shift="reading@2026-12-05", need=1, assigned=0, missing=1, unmet={"first_aid": 1},
                     reasons=["没有会急救的志愿者周六下午有空", "V4 周六不可服务"]),
            Unfilled(shift="east-gate-am@2026-12-01", need=2, assigned=1, missing=1, unmet={"female": 1}),
        ],
        volunteers=[
            VolunteerLoad(volunteer="V1", name="王秀英", shifts=1, hours=2.0, offered=4),
            VolunteerLoad(volunteer="V2", name="李建国", shifts=2, hours=4.0, offered=4),
            VolunteerLoad(volunteer="V10", name="张桂兰", shifts=1, hours=2.0, offered=2),
            VolunteerLoad(volunteer="V4", name="赵敏", shifts=0, hours=0.0, offered=0),
        ],
    )


def test_summary_in_chinese(problem):
    lines = render_summary(partial_roster(problem), problem, "zh").splitlines()
    assert lines[:3] == [
        "计划周：2026-W49（2026-11-30 周一 至 2026-12-06 周日）",
        "状态：部分（共缺 2 人次）",
        "覆盖：已排 4 / 需要 6 人次（66.7%）",
    ]
    assert lines[3:8] == [
        "未排满的班次（2 个）：",
        "  东门文明劝导  2026-12-01 周二  07:00-09:00  缺1人（缺女性1人）",
        "  读报活动  2026-12-05 周六  14:00-16:00  缺1人（缺急救技能1人）",
        "      原因：没有会急救的志愿者周六下午有空",
        "      原因：V4 周六不可服务",
    ]
    assert "工作量（在册 4 人）：0 班 1 人、1 班 2 人、2 班 1 人" in lines
    assert "  已排/可排：最低 25%，最高 50%（有可排班次的 3 人）" in lines
    assert "每人至少一班：本周 1 人未排，其中 1 人无可排岗位" in lines
    assert lines[-1] == "求解：已找到可行排班，可能还有更好的（差距 2.8%），用时 1.9 秒"
    assert not any(word in lines[-1] for word in ("目标值", "最优界", "随机种子", "FEASIBLE")), "a coordinator's words"


def test_a_warm_start_the_search_never_bettered_is_said_in_plain_words(problem):
    roster = partial_roster(problem)
    roster = roster.model_copy(update={"solver": roster.solver.model_copy(update={"status": "FEASIBLE (greedy fill)"})})
    zh = render_summary(roster, problem, "zh").splitlines()[-1]
    assert zh == "求解：按人工排班的办法快速排出，时限内没有找到更好的（差距 2.8%），用时 1.9 秒"
    en = render_summary(roster, problem, "en").splitlines()[-1]
    assert en.startswith("Solver: the quick fill, not bettered within the time limit (gap 2.8%), time 1.9 s")


def test_summary_in_english(problem):
    text = render_summary(partial_roster(problem), problem, "en")
    assert text.endswith("\n")
    lines = text.splitlines()
    assert lines[:3] == [
        "Week 2026-W49 (Mon 2026-11-30 – Sun 2026-12-06)",
        "Status: partial (2 seats missing)",
        "Coverage: 4 of 6 seats filled (66.7%)",
    ]
    assert lines[3:6] == [
        "Unfilled shifts (2):",
        "  东门文明劝导, Tue 2026-12-01, 07:00-09:00: missing 1 (1 woman missing)",
        "  读报活动, Sat 2026-12-05, 14:00-16:00: missing 1 (1 first_aid missing)",
    ]
    assert "      reason: V4 周六不可服务" in lines
    assert "Load (4 active volunteers): 1 with 0 shifts, 2 with 1 shift, 1 with 2 shifts" in lines
    assert "  Shifts given / shifts offered: lowest 25%, highest 50% (3 people offered at least one)" in lines
    assert "At least one shift each: 1 person left out this week, 1 of them with no shift they could take" in lines
    assert lines[-1] == ("Solver: a valid roster, a better one may exist (gap 2.8%), time 1.9 s "
                         "(objective 1234, best bound 1200, seed 7, workers 8)")


def test_summary_of_a_complete_roster_without_solver_figures(problem):
    roster = partial_roster(problem).model_copy(update={
        "status": "complete", "unfilled": [], "solver": None, "volunteers": [],
    })
    zh = render_summary(roster, problem, "zh").splitlines()
    assert "状态：完整" in zh and "覆盖：已排 6 / 需要 6 人次（100.0%）" in zh
    assert "未排满的班次：无" in zh and zh[-1] == "求解器：无记录"
    assert "  已排/可排：本周无人有可排班次" in zh
    en = render_summary(roster, problem, "en").splitlines()
    assert "Status: complete" in en and "Unfilled shifts: none" in en and en[-1] == "Solver: not recorded"


def test_composition_missing_without_empty_seats(problem):
    roster = partial_roster(problem).model_copy(update={"unfilled": [
        Unfilled(shift="east-gate-am@2026-11-30", need=2, assigned=2, missing=0, unmet={"female": 2, "first_aid": 1}),
    ]})
    en = render_summary(roster, problem, "en")
    assert "  东门文明劝导, Mon 2026-11-30, 07:00-09:00: (2 women missing, 1 first_aid missing)" in en.splitlines()
    zh = render_summary(roster, problem, "zh")
    assert "  东门文明劝导  2026-11-30 周一  07:00-09:00  （缺女性2人、缺急救技能1人）" in zh.splitlines()


def test_people_left_out_with_and_without_a_shift_they_could_take(problem):
    roster = partial_roster(problem)
    loads = [load.model_copy(update={"shifts": 0}) if load.volunteer == "V10" else load for load in roster.volunteers]
    lines = render_summary(roster.model_copy(update={"volunteers": loads}), problem, "zh").splitlines()
    assert "每人至少一班：本周 2 人未排，其中 1 人无可排岗位" in lines


def test_interrupted_solve_and_missing_bound(problem):
    solver = SolverReport(status="FEASIBLE", objective=50, interrupted=True)
    roster = partial_roster(problem).model_copy(update={"solver": solver})
    assert render_summary(roster, problem, "en").splitlines()[-1] == (
        "Solver: a valid roster, a better one may exist (gap —), time 0.0 s (objective 50, best bound —, seed 0, "
        "workers 8) (interrupted)")
    assert render_summary(roster, problem, "zh").splitlines()[-1].endswith("（差距 —），用时 0.0 秒（已中断）")


@pytest.mark.parametrize("status, zh, en", [
    ("OPTIMAL", "求解：已证明最优，用时 2.1 秒", "Solver: proven optimal, time 2.1 s (objective 7, seed 0, workers 8)"),
    ("EDITED", "求解：排班已人工调整，未重新求解", "Solver: edited after the search, not searched again (objective 7)"),
    ("UNKNOWN", "求解：未知（UNKNOWN），用时 2.1 秒", "Solver: UNKNOWN, time 2.1 s (seed 0, workers 8)"),
])
def test_the_solver_line_in_plain_words(problem, status, zh, en):
    solver = SolverReport(status=status, objective=7, best_bound=7, gap=0.0, wall_seconds=2.1)
    roster = partial_roster(problem).model_copy(update={"solver": solver})
    assert render_summary(roster, problem, "zh").splitlines()[-1] == zh
    assert render_summary(roster, problem, "en").splitlines()[-1] == en


def test_no_phone_in_the_summary(problem):
    for lang in ("zh", "en"):
        assert "13912345678" not in render_summary(partial_roster(problem), problem, lang)


def test_unknown_language_is_refused(problem):
    with pytest.raises(ValueError, match="zh, en"):
        render_summary(partial_roster(problem), problem, "fr")
