"""The workbook as a way in: `roster check` reads the duty grid (值勤表), locks.csv is enforced, and ids
Excel stripped of their zeros are matched the one way (check, diff)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from scheduler import api
from scheduler.domain.ids import match_id
from tests.conftest import run_cli as run

WEEK = "2026-W49"
VOLUNTEERS = """编号,姓名,性别,出生日期,健康状况,队伍,可服务时间,不可服务日期
001,王敏,女,1960-01-01,good,civility,Mon-Sat all day,
002,王敏,女,1962-05-01,good,civility,Mon-Sat all day,
003,李强,男,1958-03-03,good,civility,Mon-Sat all day,
004,张华,男,1955-07-07,good,civility,Mon-Sat all day,2026-12-02
"""
SHIFTS = """shifts:
  - {id: gate-am, name: 路口文明劝导, days: [Mon, Tue, Wed, Thu, Fri], start: "07:00", end: "09:00", need: 1, max: 2}
  - {id: clean, name: 楼道清扫, days: [Sat], start: "09:00", end: "11:00", need: 2}
"""
GATE_ROW, CLEAN_ROW = 3, 4  # the duty grid: title in row 1, headers in row 2, posts by start time
COLUMN = {"Mon": "C", "Tue": "D", "Wed": "E", "Thu": "F", "Fri": "G", "Sat": "H"}


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> Path:
    """Two volunteers named 王敏 (001, 002); 张华 (004) cannot come on Wednesday 2026-12-02."""
    folder = tmp_path_factory.mktemp("workbook") / "lane"
    folder.mkdir()
    (folder / "volunteers.csv").write_text(VOLUNTEERS, encoding="utf-8")
    (folder / "shifts.yaml").write_text(SHIFTS, encoding="utf-8")
    (folder / "rules.yaml").write_text("language: zh\n", encoding="utf-8")
    result = run("solve", folder, "--week", WEEK, "--quiet", "--time-limit", "2")
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def lane(tmp_path, planned) -> Path:
    folder = tmp_path / "lane"
    shutil.copytree(planned, folder)
    return folder


def workbook(folder: Path) -> Path:
    return folder / "rosters" / WEEK / "roster.xlsx"


def edit_grid(folder: Path, **cells: str) -> Path:
    """Type into the duty grid as a coordinator would: `edit_grid(folder, E3="张华")`."""
    path = workbook(folder)
    book = openpyxl.load_workbook(path)
    sheet = book["值勤表"]
    for cell, value in cells.items():
        sheet[cell] = value
    book.save(path)
    return path


def test_an_unedited_workbook_is_checked_by_its_duty_grid_and_shared_names_are_settled_by_the_sheet(lane):
    result = run("check", lane, workbook(lane))
    assert result.exit_code == 0, result.output
    assert "（读取工作表“值勤表”）：7 个安排，全部符合规则。" in result.output  # the folder's rules say zh
    assert "注意" not in result.output
    english = run("check", lane, workbook(lane), "--lang", "en")
    assert "(read: sheet '值勤表'): 7 assignments, every rule holds." in english.output
    assert "Note:" not in english.output


def test_an_ineligible_person_typed_into_the_grid_is_a_violation_at_that_cell(lane):
    path = edit_grid(lane, **{f"{COLUMN['Wed']}{GATE_ROW}": "张华"})
    result = run("check", lane, path)
    assert result.exit_code == 4, result.output
    assert "sheet '值勤表', row 3, column '12-02 周三'：[不符合条件] 张华（004）在 路口文明劝导 gate-am@2026-12-02：" \
           "2026-12-02 不可服务" in result.output
    # the 安排明细 sheet still lists the person who was there: both are reported, the grid was checked
    assert "检查的是值勤表（工作表“值勤表”）；它与工作表“安排明细”有 2 处安排不一致" in result.output


def test_a_name_two_people_share_is_ambiguous_where_the_sheet_cannot_settle_it_and_the_id_settles_it(lane):
    listed = api.read_roster(workbook(lane)).assignments
    # a weekday whose gate shift has no 王敏 on the 安排明细 sheet, so the sheet cannot tell which one is meant
    day, date = next((day, f"12-0{n}" if n else "11-30") for n, day in enumerate(["Mon", "Tue", "Wed", "Thu", "Fri"])
                     if not any(a.shift == f"gate-am@2026-{'12-0' + str(n) if n else '11-30'}"
                                and a.volunteer_name == "王敏" for a in listed))
    path = edit_grid(lane, **{f"{COLUMN[day]}{GATE_ROW}": "王敏"})
    result = run("check", lane, path)  # no rules file: the rules' default, Chinese
    assert result.exit_code == 2, result.output
    assert f"第 3 行，列「{date} " in result.output and "叫「王敏」的志愿者有 2 位（001, 002）" in result.output
    result = run("check", lane, path, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert f"row 3, column '{date} " in result.output and "'王敏' is the name of 2 volunteers (001, 002)" in result.output
    assert "Fix: write the id instead of the name (e.g. 王敏（001）)" in result.output

    edit_grid(lane, **{f"{COLUMN[day]}{GATE_ROW}": "王敏（002）"})
    result = run("check", lane, path)
    assert result.exit_code in (0, 4), result.output
    assert "王敏（002）在 gate-am@2026-" in result.output and "值勤表“值勤表”中有，工作表“安排明细”中没有" \
        in result.output
    english = run("check", lane, path, "--lang", "en")
    assert "王敏 (002) on gate-am@2026-" in english.output and "is in the 值勤表 grid but not on the 安排明细 sheet" \
        in english.output


def test_a_name_nobody_has_is_reported_with_its_cell(lane):
    path = edit_grid(lane, **{f"{COLUMN['Mon']}{GATE_ROW}": "赵六"})
    result = run("check", lane, path, "--lang", "en")
    assert result.exit_code == 2
    assert "sheet '值勤表', row 3, column '11-30 周一': no volunteer named '赵六' in the register" in result.output


def test_ids_typed_as_numbers_and_several_names_in_a_cell_are_read(lane):
    path = edit_grid(lane, **{f"{COLUMN['Sat']}{CLEAN_ROW}": "3、4", f"{COLUMN['Mon']}{GATE_ROW}": 3})
    checked = api.check_week(lane, path)
    assert ("003", "clean@2026-12-05") in checked.pairs and ("004", "clean@2026-12-05") in checked.pairs
    assert ("003", "gate-am@2026-11-30") in checked.pairs
    assert checked.read == "值勤表" and checked.compared == "安排明细"


def test_check_enforces_the_folders_locks(lane):
    pairs = api.read_roster(workbook(lane)).pairs()
    free = next(v for v in ("001", "002", "003", "004") if (v, "gate-am@2026-12-04") not in pairs)
    (lane / "locks.csv").write_text(f"volunteer,shift\n{free},gate-am@2026-12-04\n", encoding="utf-8")
    result = run("check", lane, lane / "rosters" / WEEK / "roster.json")
    assert result.exit_code == 4, result.output
    assert f"[承诺的安排（锁定）] 王敏（{free}）已承诺安排在 gate-am@2026-12-04（锁定文件），但排班中没有" in result.output \
        or f"（{free}）已承诺安排在 gate-am@2026-12-04" in result.output
    assert "（同时核对锁定文件 " in result.output
    english = run("check", lane, lane / "rosters" / WEEK / "roster.json", "--lang", "en")
    assert "[a promised assignment (locks)] " in english.output
    assert f"({free}) was promised gate-am@2026-12-04" in english.output and "with locks from" in english.output


def test_an_empty_locks_file_is_named_as_such(lane):
    (lane / "locks.csv").write_text("", encoding="utf-8")
    result = run("check", lane, lane / "rosters" / WEEK / "roster.json")
    assert result.exit_code == 2
    assert "locks.csv：锁定文件是空的" in result.output and "花名册" not in result.output
    result = run("check", lane, lane / "rosters" / WEEK / "roster.json", "--lang", "en")
    assert "locks.csv: the locks file is empty" in result.output
    assert "register" not in result.output


def stripped(folder: Path, to: str) -> Path:
    """assignments.csv as Excel saves it when the id column was not text (`004` -> `4`), with Wednesday's
    person replaced by `to` (also typed without zeros)."""
    source = folder / "rosters" / WEEK / "assignments.csv"
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    column = header.index("volunteer")
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        if cells[0] == "gate-am@2026-12-02":
            cells[column] = to
        cells[column] = cells[column].lstrip("0")
        out.append(",".join(cells))
    target = folder / "edited.csv"
    target.write_text("\n".join(out) + "\n", encoding="utf-8")
    return target


def test_check_matches_stripped_ids_and_reports_the_real_violation_with_its_row(lane):
    result = run("check", lane, stripped(lane, "4"), "--week", WEEK, "--lang", "en")
    assert result.exit_code == 4, result.output
    assert "not in the register" not in result.output
    assert "[not eligible] 张华 (004) on 路口文明劝导 gate-am@2026-12-02" in result.output
    assert "  - row 4: [not eligible]" in result.output  # the header is row 1; Wednesday is the third shift


def test_diff_matches_stripped_ids_and_reports_the_one_change(lane):
    before = api.read_roster(lane / "rosters" / WEEK / "roster.json")
    was = next(a for a in before.assignments if a.shift == "gate-am@2026-12-02").volunteer
    result = run("diff", lane / "rosters" / WEEK / "roster.json", stripped(lane, "3" if was != "003" else "1"),
                 "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("2 people affected, 2 changes"), result.output
    assert result.output.count("lost") == 1 and result.output.count("gained") == 1


def test_match_id_is_exact_first_and_never_guesses_between_two():
    assert match_id("6", {"006", "007"}) == "006"
    assert match_id("006", {"006", "6"}) == "006"
    assert match_id("6", {"06", "006"}) is None
    assert match_id("王敏", {"001"}) is None


def mark_attendance(folder: Path, word: str) -> None:
    """Fill the 出勤 column of the workbook's 安排明细 sheet with `word` on every row."""
    path = workbook(folder)
    book = openpyxl.load_workbook(path)
    sheet = book["安排明细"]
    column = next(cell.column for cell in sheet[1] if str(cell.value).startswith("出勤"))
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=column, value=word)
    book.save(path)


def test_hours_reads_attendance_from_the_workbook(lane):
    mark_attendance(lane, "缺勤")
    result = run("hours", lane)
    assert result.exit_code == 0, result.output
    assert "缺勤、不计时长：7 个班次" in result.output
    assert api.hours(lane).empty


def test_a_stand_in_typed_into_the_duty_grid_counts_for_hours(lane):
    listed = api.read_roster(workbook(lane)).assignments
    monday = next(a for a in listed if a.shift == "gate-am@2026-11-30")
    stand_in = next(v for v in ("003", "004", "001") if v != monday.volunteer)
    name = {"003": "李强", "004": "张华", "001": "王敏（001）"}[stand_in]
    edit_grid(lane, **{f"{COLUMN['Mon']}{GATE_ROW}": name})
    detail = api.hours(lane, start="2026-11-30", end="2026-11-30")
    assert detail[["id", "date", "hours"]].values.tolist() == [[stand_in, "2026-11-30", 2.0]]


def test_hours_takes_iso_strings_and_says_when_a_date_is_not_one(lane):
    assert len(api.hours(lane, start="2026-12-05")) == 2
    with pytest.raises(api.InputError, match="not a date"):
        api.hours(lane, start="5 December")


def test_the_same_file_for_out_and_totals_is_a_usage_error(lane, tmp_path):
    result = run("hours", lane, "--out", tmp_path / "a.csv", "--totals", tmp_path / "a.csv")
    assert result.exit_code == 2
    assert "--out 和 --totals 是同一个文件" in result.output  # no rules file: the rules' default, Chinese
    assert "Internal error" not in result.output and "内部错误" not in result.output
    assert not (tmp_path / "a.csv").exists()


def people_on(folder: Path, shift: str) -> list[str]:
    return sorted(v for v, s in api.read_roster(folder / "rosters" / WEEK / "roster.json").pairs() if s == shift)


def test_cover_fills_an_empty_seat_without_a_drop_out(lane):
    before = people_on(lane, "gate-am@2026-12-03")
    assert len(before) == 1  # one needed, two at most: a seat is empty
    result = run("cover", lane, "--shift", "gate-am@2026-12-03", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "an empty seat to fill (1 on it, 1 needed, at most 2)" in result.output
    found = api.cover_week(lane, "gate-am@2026-12-03")
    assert found.cover.candidates and found.cover.without is None
    applied = api.cover_week(lane, "gate-am@2026-12-03", apply=1)
    assert people_on(lane, "gate-am@2026-12-03") == sorted(before + [found.cover.candidates[0].volunteer.id])
    assert applied.written and list((lane / "rosters" / WEEK / "previous").glob("roster-*.json"))
    assert run("check", lane, lane / "rosters" / WEEK / "roster.json").exit_code == 0


def test_cover_places_a_named_stand_in_by_name_or_id_checked_against_every_rule(lane):
    on = people_on(lane, "gate-am@2026-12-02")
    refused = run("cover", lane, "--shift", "gate-am@2026-12-02", "--with", "张华", "--apply")
    assert refused.exit_code == 4, refused.output
    assert "张华（004）不能担任此班，会违反硬性规则" in refused.output and "2026-12-02 不可服务" in refused.output
    assert people_on(lane, "gate-am@2026-12-02") == on  # nothing written

    who = next(v for v in ("003", "001", "002") if v not in on)
    result = run("cover", lane, "--shift", "gate-am@2026-12-02", "--without", on[0], "--with", who.lstrip("0"),
                 "--apply", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "can take this shift without breaking any hard rule" in result.output
    assert people_on(lane, "gate-am@2026-12-02") == [who]


def test_cover_says_when_there_is_no_seat_and_when_a_name_is_shared(lane):
    full = run("cover", lane, "--shift", "clean@2026-12-05")
    assert full.exit_code == 2
    assert "clean@2026-12-05 has no empty seat (at most 2" in full.output and "give --without" in full.output
    shared = run("cover", lane, "--shift", "gate-am@2026-12-02", "--with", "王敏")
    assert shared.exit_code == 2
    assert "'王敏' is the name of 2 volunteers" in shared.output and "give the id instead" in shared.output


def test_explain_without_week_uses_the_latest_planned_week(lane):
    later = lane / "rosters" / "2026-W50"
    later.mkdir()
    (later / "roster.json").write_text('{"week": "2026-W50", "assignments": []}', encoding="utf-8")
    assert api.explain_week(lane).week == "2026-W50"
    shutil.rmtree(later)
    result = run("explain", lane, "--volunteer", "4")
    assert result.exit_code == 0, result.output
    assert "张华（004），2026-W49" in result.output
    assert api.explain_week(lane, shift="gate-am@2026-12-02").week == WEEK


def test_explain_and_cover_in_a_folder_never_planned_say_so(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("explain", empty)
    assert result.exit_code == 2
    assert "no week has been planned" in result.output and "roster solve" in result.output


def test_an_unedited_grid_is_never_read_against_a_register_that_changed_since(lane):
    counted = len(api.hours(lane))
    text = (lane / "volunteers.csv").read_text(encoding="utf-8")
    (lane / "volunteers.csv").write_text("\n".join(line for line in text.splitlines() if not line.startswith("003,"))
                                         + "\n", encoding="utf-8")
    assert len(api.hours(lane)) == counted


def test_a_name_cleared_from_the_duty_grid_is_not_counted_for_hours(lane):
    assert len(api.hours(lane, start="2026-11-30", end="2026-11-30")) == 1
    edit_grid(lane, **{f"{COLUMN['Mon']}{GATE_ROW}": None})
    assert api.hours(lane, start="2026-11-30", end="2026-11-30").empty


def test_a_stand_in_in_assignments_csv_counts_beside_an_unedited_workbook(lane):
    listed = api.read_roster(workbook(lane)).assignments
    monday = next(a for a in listed if a.shift == "gate-am@2026-11-30").volunteer
    stand_in = "003" if monday != "003" else "004"
    csv = lane / "rosters" / WEEK / "assignments.csv"
    lines = csv.read_text(encoding="utf-8-sig").splitlines()
    column = lines[0].split(",").index("volunteer")
    for n, line in enumerate(lines):
        cells = line.split(",")
        if cells[0] == "gate-am@2026-11-30":
            cells[column] = stand_in.lstrip("0")
            lines[n] = ",".join(cells)
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    detail = api.hours(lane, start="2026-11-30", end="2026-11-30")
    assert detail[["id", "name"]].values.tolist() == [[stand_in, {"003": "李强", "004": "张华"}[stand_in]]]
