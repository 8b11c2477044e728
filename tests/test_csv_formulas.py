"""Formula injection: every CSV the tool writes neutralises formula-like cells, and reads them back unchanged."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler import api
from scheduler.cli import main
from scheduler.domain.roster import Assignment, Period, Roster
from scheduler.io.changes import changes_csv, diff_rosters
from scheduler.io.writers import assignments_csv, roster_json
from scheduler.loading.csvsafe import original_cell, safe_cell
from scheduler.loading.rosterfile import read_roster
from scheduler.weekly.ledger import build_ledger, detail_csv, totals_csv

WEEK = "2026-W49"
HOSTILE = {  # volunteer id: a name a hostile register could hold
    "V1": "=cmd|' /C calc'!A0",
    "V2": "+86 139 1234 5678",
    "V3": "-王秀英",
    "V4": "@SUM(A1:A9)",
    "V5": "\t=1+1",
    "V6": "'已经带引号",
    "V7": "王秀英",
}
SHIFT_NAME = '=HYPERLINK("http://x","x")'


def seat(volunteer: str, date: str = "2026-12-01") -> Assignment:
    return Assignment(shift=f"gate@{date}", shift_id="gate", date=date, start="07:00", end="09:00", name=SHIFT_NAME,
                      volunteer=volunteer, volunteer_name=HOSTILE[volunteer])


def roster(*assignments: Assignment) -> Roster:
    return Roster(week=WEEK, period=Period(start="2026-11-30", end="2026-12-06"), status="complete",
                  assignments=list(assignments))


def cells(data: bytes) -> list[str]:
    """Every cell of a CSV the tool wrote, as a spreadsheet gets it."""
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]


def assert_no_formula(data: bytes) -> None:
    for cell in cells(data):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize("value, written", [
    ("=1+1", "'=1+1"), ("+86 139", "'+86 139"), ("-5", "'-5"), ("@x", "'@x"), ("\t=x", "'\t=x"), ("\r=x", "'\r=x"),
    ("'quoted", "''quoted"), ("07:00", "07:00"), ("王秀英", "王秀英"), ("", ""), (" =x", " =x"), (-3, -3), (2.5, 2.5),
])
def test_the_rule_and_its_undoing(value, written):
    assert safe_cell(value) == written
    assert original_cell(safe_cell(value)) == value
    assert original_cell("'plain") == "'plain"  # a quote the tool did not add is kept


def test_every_csv_the_tool_writes_is_safe(tmp_path):
    record = roster(*(seat(v) for v in HOSTILE))
    assert_no_formula(assignments_csv(record))
    assert_no_formula(changes_csv(diff_rosters(roster(), record), "zh"))
    week = tmp_path / "rosters" / WEEK
    week.mkdir(parents=True)
    (week / "roster.json").write_text(roster_json(record), encoding="utf-8")
    (tmp_path / "rules.yaml").write_text("language: zh\n", encoding="utf-8")
    ledger = build_ledger(tmp_path)
    assert_no_formula(detail_csv(ledger))
    assert_no_formula(totals_csv(ledger))
    assert "'=cmd|' /C calc'!A0" in cells(assignments_csv(record))


def test_the_duty_table_is_safe_after_a_real_solve(tmp_path):
    import shutil

    folder = tmp_path / "tutorial"
    shutil.copytree(Path(__file__).parent.parent / "sample_data" / "tutorial", folder,
                    ignore=shutil.ignore_patterns("rosters"))
    register = folder / "volunteers.csv"
    text = register.read_text(encoding="utf-8-sig")
    register.write_text(text.replace("Wang Xiuying", "=cmd|' /C calc'!A0"), encoding="utf-8")
    result = CliRunner().invoke(main, ["solve", str(folder), "--week", WEEK, "--quiet", "--time-limit", "2"])
    assert result.exit_code in (0, 3), result.output
    out = folder / "rosters" / WEEK
    for name in ("assignments.csv", "duty_table.csv"):
        assert_no_formula((out / name).read_bytes())
    assert "'=cmd|' /C calc'!A0" in cells((out / "assignments.csv").read_bytes())
    assert "=cmd|' /C calc'!A0" in (out / "roster.json").read_text(encoding="utf-8")  # the record keeps the name
    checked = CliRunner().invoke(main, ["check", str(folder), str(out / "assignments.csv")])
    assert checked.exit_code == 0, checked.output


def test_check_hours_and_diff_read_the_original_values_back(tmp_path):
    record = roster(*(seat(v) for v in HOSTILE))
    path = tmp_path / "assignments.csv"
    path.write_bytes(assignments_csv(record))
    back = read_roster(path)  # what check, hours and diff read
    # (The reader trims spaces and tabs around every cell, the tool's own writing or not.)
    assert [(a.volunteer_name, a.name) for a in back.assignments] == [(HOSTILE[v].strip(), SHIFT_NAME) for v in HOSTILE]
    assert api.diff(record, path) == []

    old = tmp_path / "old.csv"
    old.write_bytes(assignments_csv(roster(seat("V7"))))
    changes = tmp_path / "changes.csv"
    result = CliRunner().invoke(main, ["diff", str(old), str(path), "--csv", str(changes)])
    assert result.exit_code == 0, result.output
    assert_no_formula(changes.read_bytes())
    assert "=cmd|' /C calc'!A0" in result.output  # printed as it is: a terminal runs no formulas


def test_hours_matches_marks_on_a_shift_whose_id_looks_like_a_formula(tmp_path):
    marked = seat("V1").model_copy(update={"shift": "-gate@2026-12-01", "attendance": "absent"})
    week = tmp_path / "rosters" / WEEK
    week.mkdir(parents=True)
    (week / "roster.json").write_text(roster_json(roster(marked.model_copy(update={"attendance": ""}))), "utf-8")
    (week / "assignments.csv").write_bytes(assignments_csv(roster(marked)))
    (tmp_path / "rules.yaml").write_text("language: zh\n", encoding="utf-8")
    assert b"'-gate@2026-12-01" in (week / "assignments.csv").read_bytes()
    assert build_ledger(tmp_path).absent == 1  # the mark is read against the shift as written in roster.json
