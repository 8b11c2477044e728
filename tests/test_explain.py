"""`roster explain`: why a person has these shifts (or none), why a shift has these people, where the points come from.

The tutorial is planned for two weeks (2026-W48, then 2026-W49 with W48 as its history); every
explanation is checked through the command line in both languages and, through the library,
against the numbers roster.json records.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

import constraints
from scheduler import api
from scheduler.analysis.tracing import roster_context, weighted_soft
from tests.conftest import TUTORIAL
from tests.conftest import run_cli as run

WEEK = "2026-W49"


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("explain") / "tutorial"
    shutil.copytree(TUTORIAL, folder, ignore=shutil.ignore_patterns("rosters"))
    for week in ("2026-W48", WEEK):
        result = run("solve", folder, "--week", week, "--quiet", "--time-limit", "5")
        assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def loaded(planned):
    problem = api.load(planned, week=WEEK)
    roster = api.read_week_roster(planned, problem)
    return problem, roster, api.load_history(planned, problem)


def roster_json(folder: Path, week: str = WEEK) -> dict:
    return json.loads((folder / "rosters" / week / "roster.json").read_text(encoding="utf-8"))


def test_the_fixture_week_was_planned_with_its_history(planned):
    assert roster_json(planned)["history"] == ["2026-W48"]


@pytest.mark.parametrize("lang, expected", [
    ("en", ["Zhang Jianguo (003), week 2026-W49:", "(weekly limit 2, offered 2)", "Eligible for 4 of the week's 7 shifts.",
            "not in the shift's team: 1", "What the objective weighed:",
            "fairness: served", "in the earlier weeks taken into account (2026-W48)", "preferences: prefers patrol",
            "Points in roster.json (volunteers[].objective):"]),
    ("zh", ["Zhang Jianguo（003），2026-W49：", "（每周上限 2，可排 2）", "本周 7 个班次中可担任 4 个。",
            "不属于该班次的队伍：1", "目标值的权衡：", "公平：往期（2026-W48）共服务", "意向：意向 patrol",
            "roster.json 中此人的分值（volunteers[].objective）："]),
])
def test_explain_volunteer_through_the_cli(planned, lang, expected):
    result = run("explain", planned, "--week", WEEK, "--volunteer", "003", "--lang", lang)
    assert result.exit_code == 0, result.output
    for fragment in expected:
        assert fragment in result.output, f"{fragment!r} missing from:\n{result.output}"


def test_explain_volunteer_matches_an_id_excel_stripped_of_its_zeros(planned):
    result = run("explain", planned, "--week", WEEK, "--volunteer", "3", "--lang", "en")
    assert result.exit_code == 0 and "Zhang Jianguo (003)" in result.output


def test_explain_an_inactive_volunteer_says_so(planned):
    result = run("explain", planned, "--week", WEEK, "--volunteer", "008", "--lang", "en")
    assert result.exit_code == 0
    assert "Shen Guoqiang (008), week 2026-W49: 0 shifts" in result.output and "Not active in the register" in result.output


@pytest.mark.parametrize("lang, expected", [
    ("en", ["Morning gate patrol Wed 2026-12-02 07:00-09:00 (gate-am@2026-12-02): needs 1, at most 2; 1 on it.",
            "Who could take it: everyone: 8; active: 7; in the team: 4", "Not eligible: 5",
            "unavailable that day: 1 (e.g. Xu Lihua (006))", "Chosen, with what each costs the objective"]),
    ("zh", ["Morning gate patrol 2026-12-02 周三 07:00-09:00（gate-am@2026-12-02）：需要 1 人，最多 2 人；已排 1 人。",
            "谁能担任：全部 8；在册 7；属于队伍 4", "不能担任：5 人", "当日请假：1（如 Xu Lihua（006））",
            "已安排的人及其在目标值中的成本（加权分）："]),
])
def test_explain_shift_through_the_cli(planned, lang, expected):
    result = run("explain", planned, "--week", WEEK, "--shift", "gate-am@2026-12-02", "--lang", lang)
    assert result.exit_code == 0, result.output
    for fragment in expected:
        assert fragment in result.output, f"{fragment!r} missing from:\n{result.output}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explain_without_a_person_or_shift_breaks_the_objective_down(planned, lang):
    result = run("explain", planned, "--week", WEEK, "--lang", lang)
    assert result.exit_code == 0, result.output
    record = roster_json(planned)
    total = sum(record["objective"].values())
    assert (f"objective {total}" if lang == "en" else f"目标值 {total}") in result.output
    fairness = record["objective"]["fairness"]
    assert (f"fairness {fairness}, carried by" if lang == "en" else f"公平 {fairness}，涉及") in result.output


def test_explain_a_week_not_planned_exits_2(planned):
    result = run("explain", planned, "--week", "2026-W50", "--volunteer", "003")
    assert result.exit_code == 2
    assert "week 2026-W50 has not been planned" in result.output and "roster solve" in result.output


@pytest.mark.parametrize("option, value, message", [
    ("--volunteer", "999", "there is no volunteer '999' in the register"),
    ("--shift", "gate-am", "write it as <id>@<date>, one of: gate-am@2026-11-30"),
    ("--shift", "nothing@2026-12-02", "there is no shift 'nothing@2026-12-02'"),
])
def test_explain_unknown_person_or_shift_exits_2(planned, option, value, message):
    result = run("explain", planned, "--week", WEEK, option, value)
    assert result.exit_code == 2
    assert message in result.output


def test_every_point_of_the_objective_traces_to_people_and_shifts(loaded):
    """roster.json's objective = the sum over people of their points = the sum over their shifts of each share."""
    problem, roster, history = loaded
    assert roster.solver.objective == sum(roster.objective.values())
    per_goal = Counter()
    for load in roster.volunteers:
        found = api.explain_volunteer(problem, roster, load.volunteer, history=history)
        stored = {goal: points for goal, points in load.objective.items() if points}
        assert found.stored == load.objective
        assert found.recomputed == stored, load.volunteer
        for _, shares in found.held:
            per_goal.update(shares)
        per_goal.update({"participation": found.idle})
    assert {goal: per_goal.get(goal, 0) for goal in roster.objective if goal != "coverage"} == \
        {goal: points for goal, points in roster.objective.items() if goal != "coverage"}


def test_chosen_costs_and_candidate_costs_are_what_the_objective_would_change_by(loaded):
    problem, roster, history = loaded
    context = roster_context(problem, roster, history)
    pairs = roster.pairs()
    soft = sum(weighted_soft(problem, pairs, context).values())
    for shift in problem.shifts:
        found = api.explain_shift(problem, roster, shift.id, history=history)
        for charge in found.chosen:
            without = [p for p in pairs if p != (charge.volunteer.id, shift.id)]
            assert charge.total == soft - sum(weighted_soft(problem, without, context).values())
        full = len(found.chosen) >= shift.max
        for charge in found.candidates:
            added = pairs + [(charge.volunteer.id, shift.id)]
            assert charge.total == sum(weighted_soft(problem, added, context).values()) - soft
            if charge.swap is not None:
                other = charge.swap[0]
                swapped = [p for p in added if p != (other.id, shift.id)]
                assert sum(charge.swap[1].values()) == sum(weighted_soft(problem, swapped, context).values()) - soft
                assert constraints.check(problem, swapped, context) == [], "a swap must keep every hard rule"
            if not full:
                assert constraints.check(problem, added, context) == [], "a candidate must be free of every hard rule"


def test_no_swap_with_a_candidate_beats_an_optimal_roster(loaded):
    """Why them: with the rest of the roster fixed, putting any candidate in a chosen person's place costs at least as much."""
    problem, roster, history = loaded
    assert roster.solver.status == "OPTIMAL"
    swaps = 0
    for shift in problem.shifts:
        for charge in api.explain_shift(problem, roster, shift.id, history=history).candidates:
            if charge.swap is not None:
                other, change, lost = charge.swap
                assert lost or sum(change.values()) >= 0, (shift.id, charge.volunteer.id, other.id, change)
                swaps += 1
    assert swaps > 0


def test_fairness_counts_the_history_weeks(loaded, planned):
    problem, roster, history = loaded
    earlier = Counter(a["volunteer"] for a in roster_json(planned, "2026-W48")["assignments"])
    for vid, served in earlier.items():
        found = api.explain_volunteer(problem, roster, vid, history=history)
        assert found.earlier == served
        assert f"fairness: served {served} time" in api.text_of(found, "en")
    # Without the history the same roster's points would not add up, and explain says so.
    bare = api.explain_volunteer(problem, roster, next(iter(earlier)), history=None)
    assert "fairness: no earlier weeks are taken into account" in api.text_of(bare, "en")
    assert "Recomputed from today's inputs" in api.text_of(bare, "en")
