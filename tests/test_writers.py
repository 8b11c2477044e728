"""Outputs: roster.json, assignments.csv, the duty table (值勤表), the workbook, and the atomic folder write."""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import os
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from scheduler.domain.errors import OutputError
from scheduler.domain.models import PlanningWeek, Problem, ShiftDefinition, Source, Volunteer, expand
from scheduler.domain.roster import (
    ASSIGNMENT_COLUMNS,
    Assignment,
    Roster,
    SolverReport,
    Unfilled,
    VolunteerLoad,
    period_of,
)
from scheduler.io import atomic, writers
from scheduler.io.writers import assignments_csv, duty_table, duty_table_csv, roster_json, roster_xlsx, write_outputs
from scheduler.loading.rosterfile import read_roster

WEEK = PlanningWeek.parse("2026-W49")
PHONES = ("13912345678", "13800001111", "021-5555-6666")


def make_problem() -> Problem:
    """Three posts over a week: a weekday-morning patrol, a Monday-evening patrol, a Saturday activity."""
    definitions = (
        ShiftDefinition(id="east-gate-am", name="东门文明劝导", kind="patrol", post="east-gate",
                        days=frozenset({0, 1}), start=7 * 60, end=9 * 60, need=2, max=2),
        ShiftDefinition(id="evening", name="晚间巡逻", kind="patrol", post="lanes",
                        days=frozenset({0}), start=19 * 60, end=21 * 60, need=1, max=1),
        ShiftDefinition(id="reading", name="读报活动", kind="service", dates=(dt.date(2026, 12, 5),),
                        start=14 * 60, end=16 * 60, need=1, max=1, require={"first_aid": 1}),
    )
    volunteers = (
        Volunteer(id="V1", name="王秀英", gender="F", age=66, phone=PHONES[0]),
        Volunteer(id="V2", name="李建国", gender="M", age=70, phone=PHONES[1]),
        Volunteer(id="V10", name="张桂兰", gender="F", age=61, phone=PHONES[2]),
        Volunteer(id="V4", name="赵敏", gender="F", age=58),
        Volunteer(id="V3", name="陈伟", gender="M", age=80, active=False),
    )
    return Problem(week=WEEK, volunteers=volunteers, definitions=definitions, shifts=expand(definitions, WEEK),
                   sources={"volunteers": Source(path="/data/延吉七村/volunteers.csv")})


def make_roster(problem: Problem, **changes) -> Roster:
    """A partial roster: one seat short on Tuesday's patrol, nobody for Saturday's reading."""
    v, s = problem.volunteer, problem.shift
    assignments = [
        Assignment.of(s["east-gate-am@2026-11-30"], v["V10"]),
        Assignment.of(s["east-gate-am@2026-11-30"], v["V2"]),
        Assignment.of(s["east-gate-am@2026-12-01"], v["V1"]),
        Assignment.of(s["evening@2026-11-30"], v["V1"]),
    ]
    unfilled = [
        Unfilled(shift="east-gate-am@2026-12-01", name="东门文明劝导", date="2026-12-01", start="07:00", end="09:00",
                 need=2, assigned=1, missing=1),
        Unfilled(shift="reading@2026-12-05", name="读报活动", date="2026-12-05", start="14:00", end="16:00",
                 need=1, assigned=0, missing=1, unmet={"first_aid": 1},
                 reasons=["没有会急救的志愿者周六下午有空", "V4 赵敏 周六不可服务"]),
    ]
    loads = [
        VolunteerLoad(volunteer="V1", name="王秀英", shifts=2, hours=4.0, offered=4),
        VolunteerLoad(volunteer="V2", name="李建国", shifts=1, hours=2.0, offered=2),
        VolunteerLoad(volunteer="V10", name="张桂兰", shifts=1, hours=2.0, offered=4),
        VolunteerLoad(volunteer="V4", name="赵敏", shifts=0, hours=0.0, offered=0),
    ]
    fields = dict(
        week=WEEK.label, period=period_of(problem), status="partial", generated_at="2026-11-27T10:00:00+08:00",
        solver=SolverReport(status="OPTIMAL", objective=1234, best_bound=1234, gap=0.0, wall_seconds=1.9),
        inputs={"volunteers_sha256": "abc"}, assignments=assignments, unfilled=unfilled, volunteers=loads,
        objective={"coverage": 2000, "fairness": 120},
    )
    return Roster(**{**fields, **changes})


@pytest.fixture
def problem() -> Problem:
    return make_problem()


@pytest.fixture
def roster(problem) -> Roster:
    return make_roster(problem)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, to compare a folder before and after."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- roster.json and assignments.csv


def test_roster_json_round_trips(roster):
    text = roster_json(roster)
    assert text.endswith("\n")
    assert "王秀英" in text  # Chinese stays readable, not \u escapes
    assert Roster.model_validate_json(text) == roster
    assert roster_json(Roster.model_validate_json(text)) == text


def test_roster_json_keeps_the_spec_key_order(roster):
    keys = list(json.loads(roster_json(roster)))
    assert keys[:4] == ["week", "period", "status", "language"]


def test_assignments_csv_has_bom_and_reads_back(roster):
    data = assignments_csv(roster)
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(frame.columns) == ASSIGNMENT_COLUMNS
    back = [Assignment(**row) for row in frame.to_dict("records")]
    assert sorted(back, key=lambda a: (a.shift, a.volunteer)) == sorted(roster.assignments, key=lambda a: (a.shift, a.volunteer))


def test_assignments_csv_is_sorted_by_date_start_shift_volunteer(roster):
    frame = pd.read_csv(io.BytesIO(assignments_csv(roster)), encoding="utf-8-sig", dtype=str)
    assert list(zip(frame["shift"], frame["volunteer"])) == [
        ("east-gate-am@2026-11-30", "V2"),
        ("east-gate-am@2026-11-30", "V10"),
        ("evening@2026-11-30", "V1"),
        ("east-gate-am@2026-12-01", "V1"),
    ]


def test_ids_stay_text(problem):
    volunteer = Volunteer(id="007", name="周红", gender="F", age=60)
    roster = make_roster(problem, assignments=[Assignment.of(problem.shift["evening@2026-11-30"], volunteer)])
    frame = pd.read_csv(io.BytesIO(assignments_csv(roster)), encoding="utf-8-sig", dtype=str)
    assert frame.loc[0, "volunteer"] == "007"


# ---------------------------------------------------------------- duty table


def test_duty_table_rows_columns_and_cells(roster, problem):
    table = duty_table(roster, problem, "zh")
    assert list(table.columns) == ["岗位", "时间", "11-30 周一", "12-01 周二", "12-02 周三", "12-03 周四",
                                   "12-04 周五", "12-05 周六", "12-06 周日"]
    assert table[["岗位", "时间"]].values.tolist() == [
        ["东门文明劝导", "07:00-09:00"], ["读报活动", "14:00-16:00"], ["晚间巡逻", "19:00-21:00"],
    ]
    patrol, reading, evening = table.to_dict("records")
    assert patrol["11-30 周一"] == "李建国、张桂兰"  # by volunteer id: V2 before V10
    assert patrol["12-01 周二"] == "王秀英、（缺1人）"
    assert patrol["12-02 周三"] == ""
    assert reading["12-05 周六"] == "（缺1人）"
    assert evening["11-30 周一"] == "王秀英"
    assert evening["12-01 周二"] == ""


def test_duty_table_in_english(roster, problem):
    table = duty_table(roster, problem, "en")
    assert list(table.columns)[:4] == ["Post", "Time", "Mon 11-30", "Tue 12-01"]
    assert table.loc[0, "Tue 12-01"] == "王秀英, (1 missing)"
    assert table.loc[0, "Mon 11-30"] == "李建国, 张桂兰"


def test_duty_table_keeps_shifts_the_problem_does_not_know(roster, problem):
    extra = Assignment(shift="flag@2026-12-02", shift_id="flag", date="2026-12-02", start="06:30", end="07:00",
                       name="升旗", volunteer="V4", volunteer_name="赵敏")
    table = duty_table(make_roster(problem, assignments=[*roster.assignments, extra]), problem, "zh")
    assert table.loc[0, "岗位"] == "升旗"
    assert table.loc[0, "12-02 周三"] == "赵敏"


def test_duty_table_csv_has_bom_and_reads_back(roster, problem):
    data = duty_table_csv(roster, problem, "zh")
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert frame.equals(duty_table(roster, problem, "zh").astype(str))


# ---------------------------------------------------------------- workbook


def test_workbook_sheets_and_print_setup(roster, problem):
    book = openpyxl.load_workbook(io.BytesIO(roster_xlsx(roster, problem, "zh")))
    assert book.sheetnames == ["值勤表", "安排明细", "缺岗", "工作量"]
    sheet = book["值勤表"]
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == "9"  # A4
    # One page wide (Excel's default 1 is left out of the file), as many pages down as the breaks say.
    assert int(sheet.page_setup.fitToWidth or 1) == 1 and int(sheet.page_setup.fitToHeight) == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.freeze_panes == "C3"
    assert sheet["A2"].font.bold and sheet["A3"].border.left.style == "thin"
    assert sheet["C4"].alignment.wrap_text
    assert "打印日期：" in sheet.oddFooter.left.text and "第 &P 页，共 &N 页" in sheet.oddFooter.center.text


def test_workbook_duty_sheet_matches_the_duty_table(roster, problem):
    sheet = openpyxl.load_workbook(io.BytesIO(roster_xlsx(roster, problem, "zh")))["值勤表"]
    rows = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "延吉七村 志愿者值勤表 11月30日—12月6日"
    table = duty_table(roster, problem, "zh")
    assert rows[1] == list(table.columns)
    # A line break in a cell separates names as `、` does (the printed lines are the PDF's).
    assert [[str(v).replace("\n", "、") for v in row] for row in rows[2:]] == table.values.tolist()


def test_workbook_other_sheets_in_english(roster, problem):
    book = openpyxl.load_workbook(io.BytesIO(roster_xlsx(roster, problem, "en")))
    assert book.sheetnames == ["Duty roster", "Assignments", "Unfilled", "Load"]
    assert book["Duty roster"]["A1"].value == "延吉七村 Volunteer duty roster 30 Nov – 6 Dec"
    assignments = list(book["Assignments"].iter_rows(values_only=True))
    assert len(assignments) == 1 + len(roster.assignments)
    assert assignments[1][:4] == ("east-gate-am@2026-11-30", "east-gate-am", "2026-11-30", "Mon")
    unfilled = list(book["Unfilled"].iter_rows(values_only=True))
    reading = unfilled[2]
    assert reading[7] == 1 and reading[8] == "1 first_aid missing"
    assert reading[9] == "没有会急救的志愿者周六下午有空\nV4 赵敏 周六不可服务"
    load = list(book["Load"].iter_rows(values_only=True))
    assert [row[0] for row in load[1:]] == ["V1", "V2", "V4", "V10"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_workbook_reads_back_as_the_same_roster(roster, problem, tmp_path, lang):
    """`roster check roster.xlsx` reads the assignments sheet, whose sheet name and headers are in the roster's language."""
    path = tmp_path / "roster.xlsx"
    path.write_bytes(roster_xlsx(roster, problem, lang))
    back = read_roster(path)
    assert back.week == roster.week
    assert back.assignments == writers.sorted_assignments(roster)


def test_workbook_writes_names_as_text_never_formulas(problem):
    volunteer = Volunteer(id="V9", name="=1+1", gender="M", age=60)
    roster = make_roster(problem, assignments=[Assignment.of(problem.shift["evening@2026-11-30"], volunteer)])
    book = openpyxl.load_workbook(io.BytesIO(roster_xlsx(roster, problem, "zh")))
    cell = book["安排明细"]["K2"]
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_no_phone_number_in_any_output(roster, problem):
    outputs = writers.render_outputs(roster, problem, "zh")
    with zipfile.ZipFile(io.BytesIO(outputs.pop("roster.xlsx"))) as book:  # look inside the workbook's XML
        outputs.update({name: book.read(name) for name in book.namelist()})
    for name, data in outputs.items():
        for phone in PHONES:
            digits = "".join(ch for ch in phone if ch.isdigit())
            assert phone.encode() not in data and digits.encode() not in data, name


# ---------------------------------------------------------------- writing the folder


def visible(folder: Path) -> dict[str, bytes]:
    """What a reader sees: every file under `folder` by relative path, none of the hidden generations."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_write_outputs_writes_the_five_files(roster, problem, tmp_path):
    out = tmp_path / "rosters" / "2026-W49"
    paths = write_outputs(roster, problem, out, "zh")
    assert paths == [out / name for name in ("roster.json", "assignments.csv", "duty_table.csv", "roster.xlsx",
                                             "roster.pdf")]
    assert sorted(visible(out)) == sorted(p.name for p in paths)
    assert hidden(out) == [".roster-current", ".roster-gen-1"]
    assert Roster.model_validate_json((out / "roster.json").read_text("utf-8")) == roster


def test_second_write_keeps_the_first_roster_under_previous(roster, problem, tmp_path):
    write_outputs(roster, problem, tmp_path, "zh")
    first = (tmp_path / "roster.json").read_bytes()
    write_outputs(make_roster(problem, status="complete", unfilled=[]), problem, tmp_path, "zh")
    write_outputs(make_roster(problem, generated_at="2026-11-29T09:00:00+08:00"), problem, tmp_path, "zh")
    kept = sorted((tmp_path / "previous").iterdir())
    assert len(kept) == 2 and all(p.name.startswith("roster-") and p.suffix == ".json" for p in kept)
    assert first in [p.read_bytes() for p in kept]
    assert b"2026-11-29T09" in (tmp_path / "roster.json").read_bytes()
    assert hidden(tmp_path) == [".roster-current", ".roster-gen-3"]  # the earlier generations are gone


def test_rewriting_the_same_roster_keeps_no_duplicate(roster, problem, tmp_path):
    write_outputs(roster, problem, tmp_path, "zh")
    write_outputs(roster, problem, tmp_path, "zh")
    # Only when and how fast it was made differ: the same roster, no backup.
    write_outputs(make_roster(problem, generated_at="2026-11-29T09:00:00+08:00"), problem, tmp_path, "zh")
    assert not (tmp_path / "previous").exists()


def test_previous_copies_never_overwrite_each_other(tmp_path):
    current = tmp_path / "roster.json"
    for text in ("first", "second"):
        current.write_text(text, encoding="utf-8")
        os.utime(current, (1_700_000_000, 1_700_000_000))  # the same time stamp twice: the names collide
        writers.keep_previous(tmp_path, b"new")
    names = sorted(p.name for p in (tmp_path / "previous").iterdir())
    stamp = dt.datetime.fromtimestamp(1_700_000_000).strftime("%Y%m%dT%H%M%S")
    assert names == [f"roster-{stamp}-2.json", f"roster-{stamp}.json"]
    assert (tmp_path / "previous" / f"roster-{stamp}-2.json").read_text("utf-8") == "second"


def test_rendering_failure_leaves_the_folder_untouched(roster, problem, tmp_path, monkeypatch):
    write_outputs(roster, problem, tmp_path, "zh")
    before = folder_bytes(tmp_path)

    def broken(*args, **kwargs):
        raise RuntimeError("cannot render")

    monkeypatch.setattr(writers, "roster_xlsx", broken)
    with pytest.raises(RuntimeError, match="cannot render"):
        write_outputs(make_roster(problem, status="complete", unfilled=[]), problem, tmp_path, "zh")
    assert folder_bytes(tmp_path) == before


def test_a_failure_while_writing_leaves_the_earlier_set_and_no_temporary_file(roster, problem, tmp_path, monkeypatch):
    write_outputs(roster, problem, tmp_path, "zh")
    before = folder_bytes(tmp_path)
    real_write = atomic._write

    def full(path, data):
        if path.name == "roster.xlsx":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_write(path, data)

    monkeypatch.setattr(atomic, "_write", full)
    with pytest.raises(OutputError, match="the disk is full"):
        write_outputs(make_roster(problem, status="complete", unfilled=[]), problem, tmp_path, "zh")
    assert folder_bytes(tmp_path) == before  # no half generation, nothing replaced, nothing copied


def test_write_outputs_in_a_fresh_folder_leaves_nothing_on_failure(roster, problem, tmp_path, monkeypatch):
    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(atomic, "_write", full)
    with pytest.raises(OutputError):
        write_outputs(roster, problem, tmp_path / "new", "en")
    assert list((tmp_path / "new").iterdir()) == []
