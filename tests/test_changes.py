"""`roster diff` and changes.csv: who gained and who lost which shift, in words and as CSV that reads back."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

import scheduler.api as api
from scheduler.domain.roster import Assignment, Period, Roster
from scheduler.io.changes import CHANGE_COLUMNS, Change, changes_csv, changes_text, diff_rosters, write_changes
from scheduler.io.writers import assignments_csv, roster_json
from tests.conftest import run_cli as run

WEEK, PERIOD = "2026-W49", Period(start="2026-11-30", end="2026-12-06")
SHIFTS = {  # definition id: (name, start, end)
    "east-gate-am": ("东门文明劝导", "07:00", "09:00"),
    "crossing-pm": ("路口文明劝导", "16:30", "18:30"),
    "night": ("夜间巡逻", "22:00", "02:00"),
}
PEOPLE = {"V007": "王秀英", "V2": "李建国", "V10": "张桂兰"}


def seat(volunteer: str, definition: str, date: str) -> Assignment:
    name, start, end = SHIFTS[definition]
    return Assignment(shift=f"{definition}@{date}", shift_id=definition, date=date, start=start, end=end, name=name,
                      volunteer=volunteer, volunteer_name=PEOPLE[volunteer])


def roster(*assignments: Assignment, week: str = WEEK) -> Roster:
    return Roster(week=week, period=PERIOD, status="complete", assignments=list(assignments))


OLD = roster(seat("V007", "east-gate-am", "2026-12-01"), seat("V007", "crossing-pm", "2026-12-03"),
             seat("V2", "night", "2026-12-04"))
NEW = roster(seat("V007", "east-gate-am", "2026-12-01"), seat("V10", "crossing-pm", "2026-12-03"),
             seat("V007", "night", "2026-12-05"), seat("V2", "night", "2026-12-04"),
             seat("V007", "east-gate-am", "2026-12-02"))

ZH_TEXT = (
    "王秀英（V007）：+东门文明劝导 12-02 周三 07:00-09:00；+夜间巡逻 12-05 周六 22:00-02:00；"
    "−路口文明劝导 12-03 周四 16:30-18:30\n"
    "张桂兰（V10）：+路口文明劝导 12-03 周四 16:30-18:30\n"
    "\n"
    "共 2 人受影响，4 处变动"
)
EN_TEXT = (
    "王秀英 (V007) gained 东门文明劝导 Wed 12-02 07:00-09:00, 夜间巡逻 Sat 12-05 22:00-02:00; "
    "lost 路口文明劝导 Thu 12-03 16:30-18:30\n"
    "张桂兰 (V10) gained 路口文明劝导 Thu 12-03 16:30-18:30\n"
    "\n"
    "2 people affected, 4 changes"
)


def write_json(path: Path, record: Roster) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(roster_json(record), encoding="utf-8")
    return path


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


# ---------------------------------------------------------------- the diff itself


def test_gains_and_losses_by_volunteer_then_date():
    changes = diff_rosters(OLD, NEW)
    assert [(c.volunteer, c.change, c.shift) for c in changes] == [
        ("V007", "gained", "east-gate-am@2026-12-02"),
        ("V007", "lost", "crossing-pm@2026-12-03"),
        ("V007", "gained", "night@2026-12-05"),
        ("V10", "gained", "crossing-pm@2026-12-03"),
    ]
    assert changes[1] == Change(volunteer="V007", volunteer_name="王秀英", shift="crossing-pm@2026-12-03",
                                name="路口文明劝导", date="2026-12-03", start="16:30", end="18:30", change="lost")


def test_the_same_roster_has_no_changes_and_a_repeated_row_counts_once():
    assert diff_rosters(OLD, OLD) == []
    assert diff_rosters(OLD, roster(*OLD.assignments, OLD.assignments[0])) == []
    assert changes_text([], "zh") == "两份排班的人员安排相同，没有变动。"
    assert changes_text([], "en") == "No changes: both rosters put the same people on the same shifts."


def test_details_a_bare_roster_lacks_come_from_the_other():
    bare = roster(Assignment(shift="crossing-pm@2026-12-03", volunteer="V10"),
                  Assignment(shift="gone@2026-12-04", volunteer="V99"))
    changes = diff_rosters(OLD, bare)
    gained = [c for c in changes if c.change == "gained"]
    assert gained == [
        Change(volunteer="V10", volunteer_name="", shift="crossing-pm@2026-12-03", name="路口文明劝导",
               date="2026-12-03", start="16:30", end="18:30", change="gained"),
        Change(volunteer="V99", volunteer_name="", shift="gone@2026-12-04", name="gone", date="2026-12-04",
               start="", end="", change="gained"),
    ]
    assert changes_text(gained, "en").splitlines()[1] == "V99 gained gone Fri 12-04"


def test_the_text_in_both_languages():
    changes = diff_rosters(OLD, NEW)
    assert changes_text(changes, "zh") == ZH_TEXT
    assert changes_text(changes, "en") == EN_TEXT
    one = [c for c in changes if c.volunteer == "V10"]
    assert changes_text(one, "en").splitlines()[-1] == "1 person affected, 1 change"
    assert changes_text(one, "zh").splitlines()[-1] == "共 1 人受影响，1 处变动"


def test_changes_csv_reads_back_with_english_headers_in_either_language():
    changes = diff_rosters(OLD, NEW)
    for lang in ("zh", "en"):
        data = changes_csv(changes, lang)
        assert data.startswith("\ufeff".encode())
        frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert list(frame.columns) == CHANGE_COLUMNS
        assert frame.to_dict("records")[0] == {
            "volunteer": "V007", "volunteer_name": "王秀英", "change": "gained", "shift": "east-gate-am@2026-12-02",
            "name": "东门文明劝导", "date": "2026-12-02", "start": "07:00", "end": "09:00"}
        assert list(frame["change"]) == ["gained", "lost", "gained", "gained"]


def test_write_changes_replaces_the_file_atomically(tmp_path):
    out = tmp_path / "rosters" / WEEK
    out.mkdir(parents=True)
    (out / "changes.csv").write_text("stale", encoding="utf-8")
    path = write_changes(out, diff_rosters(OLD, NEW), "zh")
    assert path == out / "changes.csv"
    assert len(read_csv(path)) == 4
    assert write_changes(out, [], "en") == path
    assert list(read_csv(path).columns) == CHANGE_COLUMNS and read_csv(path).empty
    # No temporary files left behind: the file and the current generation holding it.
    assert sorted(p.name for p in out.iterdir()) == [".roster-current", ".roster-gen-3", "changes.csv"]


def test_the_library_takes_rosters_or_paths(tmp_path):
    old = write_json(tmp_path / "old" / "roster.json", OLD)
    new_csv = tmp_path / "new" / "assignments.csv"
    new_csv.parent.mkdir()
    new_csv.write_bytes(assignments_csv(NEW))
    assert api.diff(old, new_csv) == api.diff(OLD, NEW) == diff_rosters(OLD, NEW)
    assert api.diff(str(old), NEW) == diff_rosters(OLD, NEW)


# ---------------------------------------------------------------- the command


@pytest.mark.parametrize("lang, text", [("zh", ZH_TEXT), ("en", EN_TEXT)])
def test_roster_diff_prints_the_changes_and_writes_the_csv(tmp_path, lang, text):
    old = write_json(tmp_path / "rosters" / WEEK / "previous" / "roster-20261127T100000.json", OLD)
    new = write_json(tmp_path / "rosters" / WEEK / "roster.json", NEW)
    target = tmp_path / "changes.csv"
    result = run("diff", old, new, "--lang", lang, "--csv", target)
    assert result.exit_code == 0, result.output
    written = "写入：" if lang == "zh" else "Written: "
    assert result.stdout == f"{text}\n\n{written}{target}\n"
    frame = read_csv(target)
    assert list(frame.columns) == CHANGE_COLUMNS
    assert [tuple(r) for r in frame[["volunteer", "change", "shift"]].values] == [
        ("V007", "gained", "east-gate-am@2026-12-02"), ("V007", "lost", "crossing-pm@2026-12-03"),
        ("V007", "gained", "night@2026-12-05"), ("V10", "gained", "crossing-pm@2026-12-03")]


def test_roster_diff_defaults_to_the_new_rosters_language_and_reads_csv(tmp_path):
    old = tmp_path / "old.csv"
    old.write_bytes(assignments_csv(OLD))
    new = write_json(tmp_path / "roster.json", NEW.model_copy(update={"language": "en"}))
    result = run("diff", old, new)
    assert result.exit_code == 0, result.output
    assert result.stdout == EN_TEXT + "\n"
    assert not list(tmp_path.glob("*changes*"))


def test_roster_diff_of_two_weeks_says_so(tmp_path):
    old = write_json(tmp_path / "a.json", OLD)
    new = write_json(tmp_path / "b.json", roster(week="2026-W50"))
    result = run("diff", old, new, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Note: the rosters are for different weeks (2026-W49 and 2026-W50)." in result.stderr
    assert result.stdout.endswith("\n2 people affected, 3 changes\n")


def test_an_unreadable_roster_exits_2_and_writes_nothing(tmp_path):
    old = write_json(tmp_path / "old.json", OLD)
    broken = tmp_path / "new.json"
    broken.write_text('{"assignments": [', encoding="utf-8")
    target = tmp_path / "changes.csv"
    result = run("diff", old, broken, "--csv", target)
    assert result.exit_code == 2
    assert f"Error: {broken}: the roster is not valid JSON" in result.stderr
    assert "Fix: restore it from rosters/<week>/previous/ or plan the week again" in result.stderr
    assert not target.exists()
    missing = run("diff", old, tmp_path / "nowhere.json", "--csv", target)
    assert missing.exit_code == 2
    assert "no such roster file" in missing.stderr
    assert not target.exists()
