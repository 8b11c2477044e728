"""Week after week: history-aware fairness and rotation, re-plans, freezing and locks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from scenario import plan_weeks

import constraints
from scheduler import api
from scheduler.domain.models import PlanningWeek
from tests.conftest import run_cli as run

SAMPLES = Path(__file__).parent.parent / "sample_data"
WEEK = "2026-W49"
REGISTER_ID = "编号"


@pytest.fixture
def village(tmp_path: Path) -> Path:
    folder = tmp_path / "yanji7"
    shutil.copytree(SAMPLES / "yanji7", folder, ignore=shutil.ignore_patterns("rosters"))
    return folder


@pytest.fixture
def tutorial(tmp_path: Path) -> Path:
    folder = tmp_path / "tutorial"
    shutil.copytree(SAMPLES / "tutorial", folder, ignore=shutil.ignore_patterns("rosters"))
    return folder


def test_four_weeks_with_history_spread_the_load_and_rotate(tmp_path):
    first = PlanningWeek.parse(WEEK)
    ignored = plan_weeks(SAMPLES / "yanji7", tmp_path / "without", first, 4, use_history=False, time_limit=5)
    remembered = plan_weeks(SAMPLES / "yanji7", tmp_path / "with", first, 4, use_history=True, time_limit=5)
    assert all(r.status == "complete" for r in ignored.rosters + remembered.rosters)
    assert remembered.load_spread() < ignored.load_spread()
    assert remembered.left_out() < ignored.left_out()
    assert remembered.repeats() < ignored.repeats()
    assert remembered.rosters[-1].history == ["2026-W49", "2026-W50", "2026-W51"]


def _register(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "volunteers.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _save_register(folder: Path, frame: pd.DataFrame) -> None:
    frame.to_csv(folder / "volunteers.csv", index=False, encoding="utf-8-sig")


def test_replan_keeps_every_valid_assignment_of_the_untouched(village):
    assert run("solve", village, "--week", WEEK, "--quiet", "--time-limit", "5").exit_code == 0
    week_dir = village / "rosters" / WEEK
    first = api.read_roster(week_dir / "roster.json")
    assigned = sorted({a.volunteer for a in first.assignments})
    leaving, unwell = assigned[:5], assigned[5:7]
    register = _register(village)
    register = register[~register[REGISTER_ID].isin(leaving)]
    register.loc[register[REGISTER_ID].isin(unwell), "不可服务日期"] = "2026-12-02"
    _save_register(village, register)

    result = run("solve", village, "--week", WEEK, "--quiet", "--time-limit", "5", "--lang", "en")
    assert result.exit_code in (0, 3), result.output
    second = api.read_roster(week_dir / "roster.json")
    problem = api.load(village, week=WEEK)
    context = constraints.build_context(problem)
    assert constraints.check(problem, second.pairs(), context) == []

    still_valid = {(v, s) for v, s in first.pairs()
                   if v not in leaving + unwell and v in context.eligible.get(s, ())}
    dropped = still_valid - set(second.pairs())
    if dropped:  # allowed only when keeping them all would leave more seats empty
        pinned = api.solve(problem, time_limit=5, locks=sorted(still_valid))
        assert pinned.seats_missing > second.seats_missing
    changes = len(set(first.pairs()) ^ set(second.pairs()))
    assert second.replan.dropped + second.replan.added == changes
    assert f"({changes} changes)" in result.output
    kept = list((week_dir / "previous").glob("roster-*.json"))
    assert len(kept) == 1 and api.read_roster(kept[0]).pairs() == first.pairs()


def test_freeze_keeps_the_days_before_exactly(village):
    assert run("solve", village, "--week", WEEK, "--quiet", "--time-limit", "5").exit_code == 0
    week_dir = village / "rosters" / WEEK
    first = api.read_roster(week_dir / "roster.json")
    # Someone who served on Monday leaves; Monday and Tuesday are published.
    monday_people = sorted({a.volunteer for a in first.assignments if a.date == "2026-11-30"})
    register = _register(village)
    _save_register(village, register[register[REGISTER_ID] != monday_people[0]])
    result = run("solve", village, "--week", WEEK, "--quiet", "--time-limit", "5", "--freeze-until", "2026-12-02")
    assert result.exit_code in (0, 3), result.output
    second = api.read_roster(week_dir / "roster.json")

    def frozen(roster):
        return {p for p in roster.pairs() if p[1].endswith(("2026-11-30", "2026-12-01"))}

    leaver = monday_people[0]
    assert frozen(second) == {p for p in frozen(first) if p[0] != leaver}
    assert second.replan.frozen_until == "2026-12-02"


def test_freeze_needs_an_earlier_roster(tutorial):
    result = run("solve", tutorial, "--week", WEEK, "--quiet", "--freeze-until", "2026-12-02")
    assert result.exit_code == 2
    assert "--freeze-until: there is no earlier roster of this week to freeze (value: '2026-12-02')" in result.output
    assert not (tutorial / "rosters").exists()


def test_a_lock_is_kept(tutorial):
    # Zhang Jianguo (003) is promised the Monday gate patrol, which fairness would give to another.
    (tutorial / "locks.csv").write_text("volunteer,shift\n003,gate-am@2026-11-30\n", encoding="utf-8")
    result = run("solve", tutorial, "--week", WEEK, "--quiet")
    assert result.exit_code == 0, result.output
    roster = json.loads((tutorial / "rosters" / WEEK / "roster.json").read_text(encoding="utf-8"))
    assert {"volunteer": "003", "shift": "gate-am@2026-11-30"}.items() <= next(
        a for a in roster["assignments"] if a["shift"] == "gate-am@2026-11-30").items()
    assert roster["replan"]["locks"] == 1


@pytest.mark.parametrize("rows, message", [
    ("003,gate-am@2026-12-01",
     "the lock breaks the rule eligibility: Zhang Jianguo (003) is not free Tue 07:00-09:00 by their availability"),
    ("008,gate-am@2026-11-30", "the lock breaks the rule eligibility: Shen Guoqiang (008) is not active in the register"),
    ("099,gate-am@2026-11-30", "no volunteer with this id in the register"),
    ("006,gate-am@2026-12-09", None),  # another week: ignored
    ("006,cleanup@2026-11-30", "there is no shift cleanup@2026-11-30 in 2026-W49"),
])
def test_locks_that_break_a_rule_are_input_errors(tutorial, rows, message):
    (tutorial / "locks.csv").write_text("volunteer,shift\n" + rows + "\n", encoding="utf-8")
    result = run("solve", tutorial, "--week", WEEK, "--quiet")
    if message is None:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 2
    assert "locks.csv, row 2, column 'shift'" in result.output or "locks.csv, row 2, column 'volunteer'" in result.output
    assert message in result.output
    assert not (tutorial / "rosters").exists()


def test_locks_that_break_a_rule_together_name_it(tutorial):
    # Two Saturday shifts for one person: the daily limit is one.
    (tutorial / "locks.csv").write_text("volunteer,shift\n004,cleanup@2026-12-05\n004,reading-1205@2026-12-05\n",
                                        encoding="utf-8")
    result = run("solve", tutorial, "--week", WEEK, "--quiet")
    assert result.exit_code == 2
    assert "the locks break the rule max_shifts_per_day: Chen Meihua (004) has 2 shifts on 2026-12-05, the limit is 1" \
        in result.output


def test_history_naming_people_and_shifts_that_are_gone_is_used_where_it_means_something(tutorial):
    earlier = tutorial / "rosters" / "2026-W48"
    earlier.mkdir(parents=True)
    (earlier / "roster.json").write_text(json.dumps({"week": "2026-W48", "assignments": [
        {"shift": "old-post@2026-11-27", "volunteer": "V999", "date": "2026-11-27", "start": "07:00", "end": "09:00"},
        {"shift": "gone@2026-11-28", "volunteer": "006"},           # no time known anywhere: skipped
        {"shift": "gate-am@2026-11-27", "volunteer": "006"},        # timed by today's definition
    ]}), encoding="utf-8")
    problem = api.load(tutorial, week=WEEK)
    history = api.load_history(tutorial, problem)
    assert history.weeks == ("2026-W48",)
    assert [(p.volunteer, p.shift) for p in history.shifts] == [("V999", "old-post@2026-11-27"),
                                                                ("006", "gate-am@2026-11-27")]
    assert run("solve", tutorial, "--week", WEEK, "--quiet").exit_code == 0


def test_a_truncated_history_roster_is_an_input_error(tutorial):
    earlier = tutorial / "rosters" / "2026-W48"
    earlier.mkdir(parents=True)
    (earlier / "roster.json").write_text('{"week": "2026-W48", "assignments": [{"shift": ', encoding="utf-8")
    result = run("solve", tutorial, "--week", WEEK, "--quiet")
    assert result.exit_code == 2
    assert "this earlier roster cannot be read" in result.output and "2026-W48" in result.output
    assert not (tutorial / "rosters" / WEEK).exists()


def test_rest_and_runs_of_days_carry_over_from_last_week(tutorial):
    # Xu Lihua (006) worked Thu-Sun of last week, the last one ending late on Sunday.
    earlier = tutorial / "rosters" / "2026-W48"
    earlier.mkdir(parents=True)
    shifts = [{"shift": f"x@2026-11-{d}", "volunteer": "006", "date": f"2026-11-{d}", "start": "07:00", "end": "09:00"}
              for d in (26, 27, 28)]
    shifts.append({"shift": "late@2026-11-29", "volunteer": "006", "date": "2026-11-29", "start": "22:00", "end": "23:30"})
    (earlier / "roster.json").write_text(json.dumps({"week": "2026-W48", "assignments": shifts}), encoding="utf-8")
    problem = api.load(tutorial, week=WEEK)
    context = api.plan_context(problem, history=api.load_history(tutorial, problem))
    violations = constraints.check(problem, [("006", "gate-am@2026-11-30")], context)
    assert {v.rule for v in violations} == {"min_rest_hours", "max_consecutive_days"}
    roster = api.solve(problem, time_limit=5, history=context.history)
    assert ("006", "gate-am@2026-11-30") not in roster.pairs()
    assert constraints.check(problem, roster.pairs(), context) == []


TURNS_SHIFTS = """\
shifts:
  - id: gate
    name: Gate
    post: gate
    days: [Sat]
    start: "08:00"
    end: "10:00"
    need: 2
  - id: desk
    name: Desk
    post: desk
    teams: [desk]
    days: [Wed]
    start: "14:00"
    end: "16:00"
    need: 1
"""


def _turns_folder(folder: Path) -> Path:
    """Seven people for three seats a week: five of them can only take the two Saturday seats."""
    folder.mkdir()
    rows = ["id,name,gender,birth_date,health,teams,availability,max_shifts_per_week,active"]
    rows += [f"P{i},Person {i},female,1960-01-0{i},good,{'desk' if i > 5 else ''},Mon-Sun all day,2,yes" for i in range(1, 8)]
    (folder / "volunteers.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "shifts.yaml").write_text(TURNS_SHIFTS, encoding="utf-8")
    (folder / "rules.yaml").write_text("language: en\n", encoding="utf-8")
    return folder


def test_four_weeks_never_leave_someone_out_twice_running_while_a_seat_could_be_theirs(tmp_path):
    source = _turns_folder(tmp_path / "turns")
    run = plan_weeks(source, tmp_path / "work", PlanningWeek.parse(WEEK), 4, use_history=True, time_limit=5)
    given = [{a.volunteer for a in roster.assignments} for roster in run.rosters]
    people = {f"P{i}" for i in range(1, 8)}
    out = [people - week for week in given]
    assert [len(week) for week in out] == [4, 4, 4, 4]  # three seats, seven people, one shift each is best
    for before, now, roster in zip(out, out[1:], run.rosters[1:]):
        for vid in before & now:
            # Left out twice running: every seat they could take went to someone also left out the week before.
            could = {"gate", "desk"} if vid in ("P6", "P7") else {"gate"}
            holders = {a.volunteer for a in roster.assignments if a.shift_id in could}
            assert holders <= before, (roster.week, vid, holders)
    # Over four weeks each of the seven had a turn.
    assert set().union(*given) == people
