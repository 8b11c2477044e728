"""The roster command through click's CliRunner: every exit code, messages, and nothing written on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import scheduler.api
import scheduler.planning
from tests.conftest import run_cli as run

WEEK = "2026-W49"


@pytest.fixture
def problem(tutorial_copy: Path) -> Path:
    return tutorial_copy  # tests/conftest.py: the tutorial's inputs, without any rosters


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_validate_clean_problem_exits_0_with_summary(problem):
    result = run("validate", problem, "--week", WEEK)
    assert result.exit_code == 0, result.output
    assert f"The inputs are valid for {WEEK} (2026-11-30 - 2026-12-06)." in result.output
    assert "Volunteers: 7 active of 8" in result.output
    assert "Seats needed and what volunteers offer, per day:" in result.output
    assert "No warnings." in result.output


def test_validate_bad_register_exits_2_and_lists_every_problem(problem):
    register = problem / "volunteers.csv"
    text = register.read_text(encoding="utf-8")
    text = text.replace("001,Wang Xiuying,female", "001,Wang Xiuying,lady").replace(
        "002,Li Guiying,female,1958-09-03", "002,Li Guiying,female,1958-02-30")
    register.write_text(text, encoding="utf-8")
    before = files_under(problem)
    result = run("validate", problem, "--week", WEEK)
    assert result.exit_code == 2
    assert "Cannot use the inputs: 2 problems found. Nothing was written." in result.output
    assert "row 2, column 'gender'" in result.output and "'lady'" in result.output
    assert "row 3, column 'birth_date'" in result.output and "'1958-02-30'" in result.output
    assert files_under(problem) == before


def test_solve_complete_exits_0_and_writes_five_files(problem):
    result = run("solve", problem, "--week", WEEK, "--quiet", "--time-limit", "10")
    assert result.exit_code == 0, result.output
    out = problem / "rosters" / WEEK
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "assignments.csv", "duty_table.csv", "roster.json", "roster.pdf", "roster.xlsx"]
    roster = json.loads((out / "roster.json").read_text(encoding="utf-8"))
    assert roster["status"] == "complete" and roster["unfilled"] == []
    assert "Status: complete" in result.output
    checked = run("check", problem, out / "roster.json")
    assert checked.exit_code == 0, checked.output
    assert "every rule holds" in checked.output


def test_solve_short_week_exits_3_and_lists_what_is_missing(problem):
    shifts = problem / "shifts.yaml"
    # Eight people for the clean-up: the tutorial has only seven active volunteers.
    text = shifts.read_text(encoding="utf-8").replace("need: 3 ", "need: 8 ", 1).replace("max: 4 ", "max: 8 ", 1)
    shifts.write_text(text, encoding="utf-8")
    result = run("solve", problem, "--week", WEEK, "--quiet", "--lang", "en", "--time-limit", "10")
    assert result.exit_code == 3, result.output
    roster = json.loads((problem / "rosters" / WEEK / "roster.json").read_text(encoding="utf-8"))
    assert roster["status"] == "partial"
    assert [u["shift"] for u in roster["unfilled"]] == ["cleanup@2026-12-05"]
    short = roster["unfilled"][0]
    assert short["missing"] == 8 - short["assigned"] >= 1 and short["reasons"]
    assert "Unfilled shifts (1):" in result.output


def test_solve_bad_input_exits_2_and_keeps_the_earlier_roster(problem):
    assert run("solve", problem, "--week", WEEK, "--quiet").exit_code == 0
    before = files_under(problem / "rosters")
    shifts = problem / "shifts.yaml"
    shifts.write_text(shifts.read_text(encoding="utf-8").replace("need: 1 ", "need: 5 ", 1), encoding="utf-8")
    result = run("solve", problem, "--week", WEEK, "--quiet")
    assert result.exit_code == 2
    assert "need (5) is above max (2)" in result.output
    assert files_under(problem / "rosters") == before


def test_solve_internal_error_exits_1_and_writes_nothing(problem, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(scheduler.planning, "solve", broken)
    result = run("solve", problem, "--week", WEEK, "--quiet")
    assert result.exit_code == 1
    assert "Internal error" in result.output and "Nothing was written" in result.output
    assert not (problem / "rosters").exists()


def test_check_hand_edited_roster_exits_4_naming_who_and_why(problem):
    assert run("solve", problem, "--week", WEEK, "--quiet").exit_code == 0
    path = problem / "rosters" / WEEK / "roster.json"
    roster = json.loads(path.read_text(encoding="utf-8"))
    # A coordinator puts the inactive volunteer 008 on the Monday gate patrol.
    roster["assignments"].append({"shift": "gate-am@2026-11-30", "volunteer": "008"})
    edited = problem / "edited.json"
    edited.write_text(json.dumps(roster, ensure_ascii=False), encoding="utf-8")
    result = run("check", problem, edited)
    assert result.exit_code == 4
    assert "[not eligible] Shen Guoqiang (008) on Morning gate patrol gate-am@2026-11-30: is not active in the register" \
        in result.output


def test_check_reads_the_assignments_csv_as_excel_saves_it(problem):
    assert run("solve", problem, "--week", WEEK, "--quiet").exit_code == 0
    csv = (problem / "rosters" / WEEK / "assignments.csv").read_bytes().decode("utf-8-sig")
    edited = problem / "edited.csv"
    edited.write_bytes(csv.encode("gb18030"))  # Excel on a Chinese Windows saves CSV as GBK
    result = run("check", problem, edited)
    assert result.exit_code == 0, result.output


def test_check_unreadable_roster_exits_2(problem):
    broken = problem / "broken.json"
    broken.write_text('{"assignments": [', encoding="utf-8")
    result = run("check", problem, broken)
    assert result.exit_code == 2
    assert "the roster is not valid JSON" in result.output


def test_bad_week_exits_2(problem):
    result = run("validate", problem, "--week", "next")
    assert result.exit_code == 2
    assert ("--week: not an ISO week (weeks run from W01 to W52 or W53) (value: 'next'). "
            "Fix: write the week as 2026-W49 (year, W, week number) or a date in it such as 2026-12-01") in result.output
