"""Odd and hostile inputs outside the files: options, weeks, the roster folder; and the pieces the
corpus relies on (masking, dates without a year, the sheet of the month), each tested alone."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import scheduler.api as api
from scheduler.domain.errors import Finding, InputError, mask
from scheduler.loading.availability import parse_unavailable
from scheduler.loading.kept import month_sheet, row_kind
from scheduler.loading.limits import document_depth_and_size
from scheduler.loading.values import BadValue
from tests.conftest import TUTORIAL
from tests.conftest import run_cli as run

WEEK = "2026-W49"


@pytest.fixture
def problem(tmp_path: Path) -> Path:
    folder = tmp_path / "tutorial"
    shutil.copytree(TUTORIAL, folder)
    return folder


def files_under(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder, but the folder's lock file (a run leaves it, empty, for the next one)."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))
            if p.name != ".roster.lock"}


# ----------------------------------------------------------------------------- masking


@pytest.mark.parametrize("text, shown", [
    ("13912345678", "*******5678"),
    ("139 1234 5678", "*** **** 5678"),
    ("139-1234-5678", "***-****-5678"),
    ("139.1234.5678", "***.****.5678"),
    ("+86-139-1234-5678", "+**-***-****-5678"),
    ("+86 139 1234 5678", "+** *** **** 5678"),
    ("(+86)13912345678", "(+**)*******5678"),
    ("021-6543 2100", "***-**** 2100"),
    ("１３９１２３４５６７８", "*******５６７８"),
    ("call 139 1234 5678 after 6pm", "call *** **** 5678 after 6pm"),
    ("310101195604120026", "**************0026"),
])
def test_mask_hides_every_phone_like_number_but_its_last_four_digits(text, shown):
    assert mask(text) == shown


@pytest.mark.parametrize("text", ["2026-12-08", "(2026-12-01)", "2026.12.8-2026.12.9", "1958-03-12", "Mon-Fri 07:00-12:00",
                                  "12月14日至18日", "007", "2026-12-01..2026-12-07", "need 10000"])
def test_mask_leaves_dates_times_and_short_numbers_readable(text):
    assert mask(text) == text


def test_mask_cuts_long_text_and_a_finding_shows_its_value_masked():
    assert mask("x" * 100) == "x" * 39 + "…"
    assert mask("x" * 100, limit=None) == "x" * 100
    finding = Finding(file="v.csv", row=3, column="备注", value="王秀英 +86-139-1234-5678",
                      code="input.register.name_empty")
    assert "1234" not in str(finding) and "5678" in str(finding)


def test_a_health_note_is_never_quoted(tmp_path):
    register = tmp_path / "v.csv"
    register.write_text("编号,姓名,性别,年龄,健康状况\n001,王秀英,女,67,高血压 139 1234 5678\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        api.load(TUTORIAL, volunteers=register, week=WEEK)
    text = str(error.value)
    assert "健康状况" in text and "良好 / 一般 / 较差" in text
    assert "高血压" not in text and "1234" not in text


# ----------------------------------------------------------------------------- options and weeks


@pytest.mark.parametrize("week", ["0001-W01", "9999-W52", "1000-01-01"])
def test_a_week_far_outside_the_calendar_is_refused(problem, week):
    result = run("validate", problem, "--week", week)
    assert result.exit_code == 2, result.output
    assert "--week" in result.output and "between 2000 and 2199" in result.output and "Fix:" in result.output


@pytest.mark.parametrize("option, value", [("--time-limit", "nan"), ("--time-limit", "inf"), ("--wait", "nan"),
                                           ("--wait", "inf"), ("--time-limit", "-inf")])
def test_seconds_that_are_not_a_number_are_refused_before_anything_runs(problem, option, value):
    before = files_under(problem)
    result = run("solve", problem, "--week", WEEK, "--quiet", option, value)
    assert result.exit_code == 2, result.output
    assert option in result.output
    assert "Traceback" not in result.output
    assert files_under(problem) == before


def test_a_folder_where_the_weeks_roster_belongs_is_found_before_the_search(problem):
    (problem / "rosters" / WEEK / "roster.json").mkdir(parents=True)
    before = files_under(problem)
    result = run("solve", problem, "--week", WEEK, "--quiet", "--time-limit", "5")
    assert result.exit_code == 2, result.output
    assert "roster.json: it is a folder" in result.output and "Fix:" in result.output
    assert "Traceback" not in result.output
    assert files_under(problem) == before


def test_an_earlier_roster_nested_100000_deep_is_refused_with_its_path(problem):
    week_dir = problem / "rosters" / WEEK
    week_dir.mkdir(parents=True)
    (week_dir / "roster.json").write_text("[" * 100_000 + "]" * 100_000)
    before = files_under(problem)
    result = run("solve", problem, "--week", WEEK, "--quiet", "--time-limit", "5")
    assert result.exit_code == 2, result.output
    assert "roster.json" in result.output and "more than 50 levels" in result.output
    assert files_under(problem) == before


# ----------------------------------------------------------------------------- registers as kept


AROUND = dt.date(2026, 12, 7)  # the Monday of 2026-W50


@pytest.mark.parametrize("text, first, last", [
    ("12月10日", "2026-12-10", "2026-12-10"),
    ("12月10号", "2026-12-10", "2026-12-10"),
    ("12/16", "2026-12-16", "2026-12-16"),
    ("12月14日至18日", "2026-12-14", "2026-12-18"),
    ("12月14日-18日", "2026-12-14", "2026-12-18"),
    ("2026.12.8-2026.12.9", "2026-12-08", "2026-12-09"),
    ("12月8日-12月9日", "2026-12-08", "2026-12-09"),
    ("1月2日", "2027-01-02", "2027-01-02"),  # across New Year: the next year
    ("12月30日至1月3日", "2026-12-30", "2027-01-03"),
])
def test_dates_without_a_year_are_read_in_the_planned_weeks_year(text, first, last):
    (found,) = parse_unavailable(text, around=AROUND)
    assert (found.first.isoformat(), found.last.isoformat()) == (first, last)


def test_a_date_without_a_year_in_january_planned_in_january_is_this_january():
    (found,) = parse_unavailable("12月30日", around=dt.date(2027, 1, 4))
    assert found.first == dt.date(2026, 12, 30)


def test_without_a_planned_week_a_date_needs_its_year():
    with pytest.raises(BadValue, match="has no year"):
        parse_unavailable("12月10日")
    with pytest.raises(BadValue, match="does not exist"):
        parse_unavailable("2月30日", around=AROUND)


@pytest.mark.parametrize("names, months, found", [
    (["11月", "12月"], (12,), "12月"),
    (["2026年11月", "2026年12月"], (12,), "2026年12月"),
    (["12月份花名册", "说明"], (12,), "12月份花名册"),
    (["2025年12月", "2026年12月"], (12,), "2026年12月"),
    (["Nov", "Dec"], (12,), "Dec"),
    (["2026-11", "2026-12"], (12,), "2026-12"),
    (["1月", "11月"], (1,), "1月"),
    (["说明", "花名册"], (12,), None),
    (["11月", "12月"], (12, 11), "12月"),
    (["11月"], (12, 11), "11月"),
])
def test_the_sheet_of_the_planned_month(names, months, found):
    assert month_sheet(names, 2026, months) == found


@pytest.mark.parametrize("row, kind", [
    (["合计：40人", "", ""], "total"),
    (["合计", "40人"], "total"),
    (["备注：周末请提前联系", ""], "note"),
    (["填表人：李主任", "", "2026-11-28"], "note"),
    (["示例", "张三", "女", "1960-01-01", "civility"], "example"),
    (["001", "王秀英", "女", "1956-04-12"], None),
    (["注意事项很多", "", ""], None),
])
def test_rows_that_are_no_volunteers(row, kind):
    assert row_kind(row) == kind


def test_sheet_named_on_the_command_line_and_a_missing_one(problem):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "旧表"
    workbook.active.append(["nothing"])
    sheet = workbook.create_sheet("志愿者")
    for line in (TUTORIAL / "volunteers.csv").read_text(encoding="utf-8").splitlines():
        sheet.append(line.split(",") if '"' not in line else next(__import__("csv").reader([line])))
    (problem / "volunteers.csv").unlink()
    workbook.save(problem / "volunteers.xlsx")

    result = run("validate", problem, "--week", WEEK, "--sheet", "志愿者")
    assert result.exit_code == 0, result.output
    assert "read the sheet '志愿者' (named by --sheet); not read: 旧表" in result.output
    result = run("validate", problem, "--week", WEEK, "--sheet", "12月")
    assert result.exit_code == 2
    assert "no sheet named '12月' (its sheets: 旧表, 志愿者)" in result.output
    assert api.load(problem, week=WEEK, sheet="志愿者").notes[0].message.startswith("read the sheet '志愿者'")


# ----------------------------------------------------------------------------- the library


def test_control_characters_in_python_data_are_refused_too():
    import pandas as pd

    frame = pd.read_csv(TUTORIAL / "volunteers.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "name"] = "Wang\x0bXiuying"
    shifts = [{"id": "gate\x00am", "days": ["Mon"], "start": "07:00", "end": "09:00", "need": 1}]
    with pytest.raises(InputError) as error:
        api.load(TUTORIAL, volunteers=frame, shifts=shifts, rules={"language": "en\x01"}, week=WEEK)
    found = {(f.file, f.column, f.message) for f in error.value.findings}
    assert ("<DataFrame>", "name", "the cell holds an invisible control character (U+000B)") in found
    assert ("<shifts data>", "id", "the value holds an invisible control character (U+0000)") in found
    assert ("<rules data>", "language", "the value holds an invisible control character (U+0001)") in found


def test_a_time_limit_that_is_not_a_number_never_reaches_the_solver():
    problem = api.load(TUTORIAL, week=WEEK)
    for seconds in (float("nan"), float("inf")):
        with pytest.raises(InputError, match="time_limit is not a number of seconds"):
            api.solve(problem, time_limit=seconds)


def test_a_register_far_bigger_than_any_is_refused_unread(tmp_path):
    from scheduler.loading.tables import read_table

    register = tmp_path / "volunteers.csv"
    with open(register, "wb") as file:
        file.truncate(65 * 1024 * 1024)  # sparse: 65 MB to the file system, nothing on disk
    table = read_table(register)
    (finding,) = table.findings
    assert finding.message == "the file is 65 MB, far bigger than any register (64 MB at most)"
    assert finding.fix


# ----------------------------------------------------------------------------- depth and size of a document

_SHARED = [1, 2]
_LOOP: list = []
_LOOP.append(_LOOP)
_NESTED = {"a": [1, [2, [3]]]}  # 8 values, the 3 five levels down


@pytest.mark.parametrize("document, depth, nodes, expected", [
    (_NESTED, 5, 8, (False, False)),
    (_NESTED, 4, 100, (True, False)),
    (_NESTED, 5, 7, (False, True)),
    ([_SHARED, _SHARED], 50, 6, (False, True)),  # a shared list counts each time it is reached
    ([_SHARED, _SHARED], 50, 7, (False, False)),
    (_LOOP, 50, 10**9, (True, False)),
    ({"a": [[[1]]], "b": list(range(100))}, 3, 10, (False, True)),  # both limits passed: the first one met
    ({"b": list(range(100)), "a": [[[1]]]}, 3, 10, (True, False)),
    ("text", 1, 1, (False, False)),
    ([1], 1, 5, (True, False)),
    ((1, (2,)), 3, 4, (False, False)),
    ((1, (2,)), 2, 4, (True, False)),
])
def test_a_document_s_depth_and_size_are_counted_value_by_value(document, depth, nodes, expected):
    assert document_depth_and_size(document, limit_depth=depth, limit_nodes=nodes) == expected
