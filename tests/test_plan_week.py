"""`scheduler.plan_week` is `roster solve`: the same folder gives the same roster either way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import scheduler
from scheduler.domain.errors import InputError, RosterLockedError
from scheduler.loading.folder import folder_lock
from tests.conftest import run_cli

WEEK = "2026-W49"


def _with_history_baseline_and_lock(folder: Path) -> Path:
    """The tutorial after a week of history and a first plan of WEEK, with one promise in locks.csv."""
    assert run_cli("solve", folder, "--week", "2026-W48", "--time-limit", 3, "--quiet").exit_code in (0, 3)
    assert run_cli("solve", folder, "--week", WEEK, "--time-limit", 3, "--quiet").exit_code in (0, 3)
    # 004 serves on Saturdays only: promise them the Saturday clean-up.
    (folder / "locks.csv").write_text("volunteer,shift\n004,cleanup@2026-12-05\n", encoding="utf-8")
    return folder


def test_plan_week_writes_what_roster_solve_writes(tutorial_copy: Path, tmp_path: Path) -> None:
    by_hand = _with_history_baseline_and_lock(tutorial_copy)
    by_library = tmp_path / "library"
    shutil.copytree(by_hand, by_library)

    result = run_cli("solve", by_hand, "--week", WEEK, "--time-limit", 3, "--quiet")
    assert result.exit_code in (0, 3), result.output
    planned = scheduler.plan_week(by_library, WEEK, time_limit=3)

    week = Path("rosters") / WEEK
    for name in ("assignments.csv", "duty_table.csv", "changes.csv"):
        assert (by_library / week / name).read_bytes() == (by_hand / week / name).read_bytes(), name
    roster = planned.roster
    assert ("004", "cleanup@2026-12-05") in roster.pairs()  # the promise is kept
    assert roster.history == ["2026-W48"]  # the earlier week counted
    assert roster.replan is not None and planned.changes is not None  # the earlier plan was the baseline
    assert planned.written[-1].name == "changes.csv"
    assert (by_library / week / "previous").is_dir()
    assert scheduler.check(planned.problem, roster, scheduler.plan_context(
        planned.problem, locks=[("004", "cleanup@2026-12-05")])) == []


def test_plan_week_reports_later_weeks_planned_against_the_old_roster(tutorial_copy: Path) -> None:
    assert run_cli("solve", tutorial_copy, "--week", "2026-W48", "--time-limit", 2, "--quiet").exit_code in (0, 3)
    assert run_cli("solve", tutorial_copy, "--week", WEEK, "--time-limit", 2, "--quiet").exit_code in (0, 3)
    replanned = scheduler.plan_week(tutorial_copy, "2026-W48", time_limit=2)
    assert replanned.later_weeks == [WEEK]
    result = run_cli("solve", tutorial_copy, "--week", "2026-W48", "--time-limit", 2, "--quiet")
    assert "2026-W49" in result.output and f"--week {WEEK}" in result.output


def test_plan_week_refuses_bad_inputs_and_writes_nothing(tutorial_copy: Path) -> None:
    (tutorial_copy / "locks.csv").write_text("volunteer,shift\n999,cleanup@2026-12-05\n", encoding="utf-8")
    with pytest.raises(InputError):
        scheduler.plan_week(tutorial_copy, WEEK, time_limit=2)
    assert not (tutorial_copy / "rosters").exists()


def test_plan_week_waits_for_another_run_then_gives_up(tutorial_copy: Path) -> None:
    told = []
    with folder_lock(tutorial_copy, 0), pytest.raises(RosterLockedError):
        scheduler.plan_week(tutorial_copy, WEEK, time_limit=2, wait=0.2, on_wait=told.append)
    assert told == [0.2]
    assert not (tutorial_copy / "rosters").exists()


def test_a_stop_before_the_search_still_writes_a_valid_roster(tutorial_copy: Path) -> None:
    stopper = scheduler.Stopper()
    stopper.stop()
    planned = scheduler.plan_week(tutorial_copy, WEEK, time_limit=5, stopper=stopper)
    assert planned.roster.solver.interrupted
    assert stopper.sealed
    from scheduler.analysis.supply import cannot_meet_lines

    assert not planned.supply.complete  # the figures before the search stopped too, and say so
    assert "cut short" in cannot_meet_lines(planned.supply, planned.problem, "en")[0]
    assert scheduler.check(planned.problem, planned.roster) == []
    assert (tutorial_copy / "rosters" / WEEK / "roster.json").is_file()
