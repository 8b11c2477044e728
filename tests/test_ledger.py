"""`roster hours`: the service-hours ledger (志愿时长) from the weekly rosters, with attendance and rounding."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import scheduler.api as api
from scheduler.domain.errors import RosterFileError
from scheduler.domain.models import PlanningWeek, Problem, Rules
from scheduler.domain.roster import Assignment, Period, Roster
from scheduler.io.writers import assignments_csv, render_outputs, roster_json
from scheduler.loading.rosterfile import read_roster
from scheduler.loading.rules import RULE_KEYS, load_rules
from scheduler.weekly.ledger import DETAIL_COLUMNS, TOTAL_COLUMNS, rounded_hours
from tests.conftest import run_cli as run

SHIFTS = {  # definition id: (name, start, end)
    "gate": ("东门文明劝导", "07:00", "09:00"),       # 2 h
    "night": ("夜间巡逻", "22:00", "02:00"),          # past midnight: 4 h
    "late": ("晚间值守", "23:15", "00:00"),           # past midnight: 45 min
    "reading": ("读报活动", "14:00", "15:10"),        # 70 min
    "cleanup": ("周六大扫除", "09:00", "10:20"),      # 80 min
}
PEOPLE = {"V1": "王秀英", "V2": "李建国", "V10": "张桂兰", "007": "赵敏"}


def seat(volunteer: str, definition: str, date: str, attendance: str = "") -> Assignment:
    name, start, end = SHIFTS[definition]
    return Assignment(shift=f"{definition}@{date}", shift_id=definition, date=date, start=start, end=end, name=name,
                      volunteer=volunteer, volunteer_name=PEOPLE[volunteer], attendance=attendance)


def week_roster(week: str, *assignments: Assignment) -> Roster:
    year, number = week.split("-W")
    monday = dt.date.fromisocalendar(int(year), int(number), 1)
    period = Period(start=monday.isoformat(), end=(monday + dt.timedelta(days=6)).isoformat())
    return Roster(week=week, period=period, status="complete", assignments=list(assignments))


def save(problem: Path, roster: Roster, folder: str | None = None, with_csv: bool = False) -> Path:
    out = problem / "rosters" / (folder or roster.week)
    out.mkdir(parents=True, exist_ok=True)
    (out / "roster.json").write_text(roster_json(roster), encoding="utf-8")
    if with_csv:
        (out / "assignments.csv").write_bytes(assignments_csv(roster))
    return out


def rules_file(problem: Path, text: str) -> None:
    (problem / "rules.yaml").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def problem(tmp_path: Path) -> Path:
    """Two weeks of rosters, with a backup under previous/ that must never count."""
    folder = tmp_path / "延吉七村"
    folder.mkdir()
    rules_file(folder, "language: zh\n")
    save(folder, week_roster("2026-W49",
                             seat("V1", "gate", "2026-12-01"),
                             seat("V1", "night", "2026-12-04", "served"),
                             seat("V2", "gate", "2026-12-01", "absent"),
                             seat("V10", "reading", "2026-12-05")))
    backup = save(folder, week_roster("2026-W49", seat("V2", "cleanup", "2026-12-05")), folder="2026-W49/previous")
    (backup / "roster.json").rename(backup / "roster-20261127T100000.json")
    save(folder, week_roster("2026-W50",
                             seat("V1", "late", "2026-12-07", "served"),
                             seat("V2", "cleanup", "2026-12-12")))
    return folder


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- hours of one assignment


@pytest.mark.parametrize("minutes, step, mode, hours", [
    (120, 0, "nearest", 2.0), (70, 0, "nearest", 70 / 60),
    (70, 0.5, "nearest", 1.0), (70, 0.5, "down", 1.0), (70, 0.5, "up", 1.5),
    (80, 0.5, "nearest", 1.5), (80, 0.5, "down", 1.0), (80, 0.5, "up", 1.5),
    (45, 0.5, "nearest", 1.0), (45, 0.5, "down", 0.5), (45, 0.5, "up", 1.0),   # a half step rounds up
    (120, 0.5, "up", 2.0), (50, 0.1, "nearest", 0.8), (10, 0.25, "down", 0.0),
])
def test_rounding_per_assignment(minutes, step, mode, hours):
    assert rounded_hours(minutes, step, mode) == pytest.approx(hours, abs=1e-12)


# ---------------------------------------------------------------- the command


def test_the_detail_and_totals_csv_read_back_with_exact_hours(problem, tmp_path):
    out, totals = tmp_path / "hours.csv", tmp_path / "totals.csv"
    result = run("hours", problem, "--out", out, "--totals", totals)
    assert result.exit_code == 0, result.output
    detail = read_csv(out)
    assert list(detail.columns) == DETAIL_COLUMNS
    assert detail.values.tolist() == [
        ["王秀英", "V1", "东门文明劝导", "2026-12-01", "07:00", "09:00", "2"],
        ["王秀英", "V1", "夜间巡逻", "2026-12-04", "22:00", "02:00", "4"],
        ["王秀英", "V1", "晚间值守", "2026-12-07", "23:15", "00:00", "0.75"],
        ["李建国", "V2", "周六大扫除", "2026-12-12", "09:00", "10:20", "1.33"],
        ["张桂兰", "V10", "读报活动", "2026-12-05", "14:00", "15:10", "1.17"],
    ]  # V2's absent gate shift and the backup under previous/ are not there
    summed = read_csv(totals)
    assert list(summed.columns) == TOTAL_COLUMNS
    assert summed.values.tolist() == [["王秀英", "V1", "3", "6.75"], ["李建国", "V2", "1", "1.33"],
                                      ["张桂兰", "V10", "1", "1.17"]]
    assert out.read_bytes().startswith("\ufeff".encode()) and totals.read_bytes().startswith("\ufeff".encode())


def test_the_table_in_chinese(problem):
    result = run("hours", problem)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "志愿服务时长：2026-12-01 至 2026-12-12（2 周排班）",
        "",
        "志愿者编号  志愿者  班次数  小时",
        "V1          王秀英       3  6.75",
        "V2          李建国       1  1.33",
        "V10         张桂兰       1  1.17",
        "",
        "合计：3 人，5 个班次，9.25 小时",
        "缺勤、不计时长：1 个班次",
        "未填出勤、按到岗计：3 个班次",
        "",
        "用 --out 文件.csv 写出明细（每个到岗班次一行，可导入志愿服务记录平台），用 --totals 文件.csv 写出每人合计。",
    ]


def test_the_table_in_english_with_served_only(problem, tmp_path):
    out = tmp_path / "served.csv"
    result = run("hours", problem, "--lang", "en", "--served-only", "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Service hours 2026-12-01 – 2026-12-12 (rosters of 2 weeks)",
        "",
        "Volunteer id  Volunteer  Shifts  Hours",
        "V1            王秀英          2   4.75",
        "",
        "Total: 1 volunteer, 2 shifts, 4.75 h",
        "Absent, not counted: 1 shift",
        "No attendance marked, not counted (--served-only): 3 shifts",
        "",
        f"Written: {out}",
    ]
    assert read_csv(out)["activity"].tolist() == ["夜间巡逻", "晚间值守"]


@pytest.mark.parametrize("mode, hours", [
    ("nearest", ["2", "4", "1", "1.5", "1"]),
    ("down", ["2", "4", "0.5", "1", "1"]),
    ("up", ["2", "4", "1", "1.5", "1.5"]),
])
def test_rounding_to_half_hours_from_the_rules_file(problem, tmp_path, mode, hours):
    rules_file(problem, f"language: en\nhours_round_to: 0.5\nhours_rounding: {mode}\n")
    out, totals = tmp_path / "hours.csv", tmp_path / "totals.csv"
    result = run("hours", problem, "--out", out, "--totals", totals)
    assert result.exit_code == 0, result.output
    assert read_csv(out)["hours"].tolist() == hours
    expected_total = sum(float(h) for h in hours[:3])
    assert float(read_csv(totals)["hours"][0]) == expected_total
    phrase = {"nearest": "rounded to the nearest 0.5 h", "down": "rounded down to a multiple of 0.5 h",
              "up": "rounded up to a multiple of 0.5 h"}[mode]
    assert f"Each shift's hours are {phrase}." in result.stdout


def test_from_and_to_keep_the_dates_in_the_span(problem, tmp_path):
    out = tmp_path / "span.csv"
    result = run("hours", problem, "--from", "2026-12-04", "--to", "2026/12/07", "--out", out, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert read_csv(out)[["id", "date"]].values.tolist() == [["V1", "2026-12-04"], ["V1", "2026-12-07"],
                                                             ["V10", "2026-12-05"]]
    assert result.stdout.startswith("Service hours 2026-12-04 – 2026-12-07 (rosters of 2 weeks)\n")
    only_first = run("hours", problem, "--to", "2026-12-06", "--lang", "en")
    assert "(roster of 1 week)" in only_first.stdout
    nothing = run("hours", problem, "--from", "2027-01-01", "--lang", "en", "--out", out)
    assert nothing.exit_code == 0
    assert nothing.stdout.startswith("No rostered shifts between 2027-01-01 and …")
    assert read_csv(out).empty and list(read_csv(out).columns) == DETAIL_COLUMNS


def test_a_span_that_ends_before_it_starts_is_bad_input(problem, tmp_path):
    result = run("hours", problem, "--from", "2026-12-07", "--to", "2026-12-01", "--out", tmp_path / "x.csv")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1] == ("  - --from：开始日期晚于结束日期（2026-12-01）（填的是「2026-12-07」）。"
                                             "改法：--from 的日期要早于或等于 --to")
    assert not (tmp_path / "x.csv").exists()


def test_an_unreadable_roster_exits_2_names_the_file_and_writes_nothing(problem, tmp_path):
    out = tmp_path / "hours.csv"
    out.write_text("earlier ledger", encoding="utf-8")
    broken = problem / "rosters" / "2026-W50" / "roster.json"
    broken.write_text('{"week": "2026-W50", "assignments": [', encoding="utf-8")
    before = files_under(problem)
    result = run("hours", problem, "--out", out, "--totals", tmp_path / "totals.csv")
    assert result.exit_code == 2
    assert f"Error: {broken}: the roster is not valid JSON" in result.stderr
    assert "Fix: restore it from rosters/<week>/previous/ or plan the week again" in result.stderr
    assert out.read_text(encoding="utf-8") == "earlier ledger"
    assert not (tmp_path / "totals.csv").exists()
    assert files_under(problem) == before
    # A week wholly outside the span is not read at all, so it cannot block an earlier ledger.
    earlier = run("hours", problem, "--to", "2026-12-06", "--out", out)
    assert earlier.exit_code == 0, earlier.output
    assert len(read_csv(out)) == 3


def test_a_shift_without_readable_times_names_the_assignment(problem):
    folder = save(problem, week_roster("2026-W51", seat("V1", "gate", "2026-12-14")))
    text = (folder / "roster.json").read_text(encoding="utf-8").replace('"09:00"', '"nine"')
    (folder / "roster.json").write_text(text, encoding="utf-8")
    with pytest.raises(RosterFileError, match=r"V1 on gate@2026-12-14: the time '07:00'-'nine' cannot be read"):
        api.hours(problem)


def test_two_folders_for_the_same_week_would_count_twice(problem):
    save(problem, week_roster("2026-W50", seat("V2", "cleanup", "2026-12-12")), folder="W50-copy")
    result = run("hours", problem)
    assert result.exit_code == 2
    assert "are both rosters of 2026-W50, so its hours would count twice" in result.stderr


def test_no_rosters_at_all(tmp_path):
    result = run("hours", tmp_path, "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout == f"No rosters found in {tmp_path} (rosters/<week>/roster.json).\n"


# ---------------------------------------------------------------- attendance from assignments.csv


def test_attendance_marked_in_assignments_csv_counts(problem, tmp_path):
    folder = problem / "rosters" / "2026-W49"
    record = read_roster(folder / "roster.json")
    (folder / "assignments.csv").write_bytes(assignments_csv(record))
    table = read_csv(folder / "assignments.csv")
    # A coordinator fills the column in Excel, in Chinese, and saves as CSV (GBK on a Chinese Windows).
    table["attendance"] = table["volunteer"].map({"V1": "到岗", "V2": "", "V10": "缺"})
    table.rename(columns={"attendance": "出勤（served 到岗 / absent 缺勤）"}).to_csv(
        folder / "assignments.csv", index=False, encoding="gb18030")
    out = tmp_path / "hours.csv"
    result = run("hours", problem, "--to", "2026-12-06", "--out", out, "--served-only")
    assert result.exit_code == 0, result.output
    # V2 stays absent from roster.json (the CSV leaves it empty); V10 is marked 缺 in the CSV.
    assert read_csv(out)[["id", "activity"]].values.tolist() == [["V1", "东门文明劝导"], ["V1", "夜间巡逻"]]
    assert "缺勤、不计时长：2 个班次" in result.stdout


def test_a_mark_in_the_csv_wins_and_excel_may_drop_leading_zeros(problem, tmp_path):
    save(problem, week_roster("2026-W51", seat("007", "gate", "2026-12-14", "absent")), with_csv=True)
    csv = problem / "rosters" / "2026-W51" / "assignments.csv"
    table = read_csv(csv)
    table["volunteer"], table["attendance"] = "7", "√"
    table.to_csv(csv, index=False, encoding="utf-8-sig")
    detail = api.hours(problem, start=dt.date(2026, 12, 14))
    assert detail.to_dict("records") == [{"name": "赵敏", "id": "007", "activity": "东门文明劝导",
                                          "date": "2026-12-14", "start": "07:00", "end": "09:00", "hours": 2.0}]


def test_a_stand_in_recorded_in_the_csv_counts_instead_of_the_person_on_the_roster(problem, tmp_path):
    save(problem, week_roster("2026-W51", seat("V1", "gate", "2026-12-14")), with_csv=True)
    csv = problem / "rosters" / "2026-W51" / "assignments.csv"
    table = read_csv(csv)
    # The name column still says 王秀英, V1's name: without a register nothing tells V2's, so the id stands in.
    table["volunteer"], table["attendance"] = "V2", "served"
    table.to_csv(csv, index=False, encoding="utf-8-sig")
    out = tmp_path / "hours.csv"
    result = run("hours", problem, "--from", "2026-12-14", "--out", out)
    assert result.exit_code == 0, result.output
    assert read_csv(out)[["name", "id", "activity", "hours"]].values.tolist() == [["V2", "V2", "东门文明劝导", "2"]]


def test_two_files_naming_different_stand_ins_exit_2(problem, tmp_path):
    folder = save(problem, week_roster("2026-W51", seat("V1", "gate", "2026-12-14")), with_csv=True)
    other = week_roster("2026-W51", seat("V10", "gate", "2026-12-14"))
    empty = Problem(week=PlanningWeek.parse("2026-W51"), volunteers=(), definitions=(), shifts=())
    (folder / "roster.xlsx").write_bytes(render_outputs(other, empty, "zh")["roster.xlsx"])
    table = read_csv(folder / "assignments.csv")
    table["volunteer"] = "V2"
    table.to_csv(folder / "assignments.csv", index=False, encoding="utf-8-sig")
    result = run("hours", problem)
    assert result.exit_code == 2
    assert "name different people on gate@2026-12-14 (V2 against V10)" in result.stderr


def test_an_attendance_word_that_means_neither_is_an_error_with_its_row(tmp_path):
    csv = tmp_path / "assignments.csv"
    csv.write_bytes(assignments_csv(week_roster("2026-W49", seat("V1", "gate", "2026-12-01"),
                                                seat("V2", "gate", "2026-12-01"))))
    table = read_csv(csv)
    table["attendance"] = ["到", "迟到"]
    table.to_csv(csv, index=False, encoding="utf-8-sig")
    with pytest.raises(RosterFileError) as caught:
        read_roster(csv)
    assert str(caught.value) == (f"{csv}, row 3, column 'attendance': attendance '迟到' is not understood. "
                                 "Fix: write served (到岗) or absent (缺勤), or leave it empty")
    table["attendance"] = ["出勤", "未到"]
    table.to_csv(csv, index=False, encoding="utf-8-sig")
    assert [a.attendance for a in read_roster(csv).assignments] == ["served", "absent"]


def test_attendance_in_roster_json_accepts_the_same_words(tmp_path):
    path = tmp_path / "roster.json"
    path.write_text('{"assignments": [{"shift": "gate@2026-12-01", "volunteer": "V1", "attendance": "缺勤"},'
                    ' {"shift": "gate@2026-12-02", "volunteer": "V1", "attendance": null}]}', encoding="utf-8")
    assert [a.attendance for a in read_roster(path).assignments] == ["absent", ""]
    path.write_text('{"assignments": [{"shift": "gate@2026-12-01", "volunteer": "V1", "attendance": "late"}]}',
                    encoding="utf-8")
    with pytest.raises(RosterFileError, match=r"assignment 1 \(V1 on gate@2026-12-01\): attendance 'late' is not "
                                              r"understood\. Fix: write served \(到岗\) or absent \(缺勤\)"):
        read_roster(path)


# ---------------------------------------------------------------- the library and the rules file


def test_the_library_returns_a_dataframe(problem):
    detail = api.hours(problem, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 6), served_only=False)
    assert list(detail.columns) == DETAIL_COLUMNS
    assert detail["hours"].tolist() == [2.0, 4.0, pytest.approx(70 / 60)]
    assert detail["hours"].dtype == float
    assert api.hours(problem, served_only=True)["hours"].tolist() == [4.0, 0.75]
    assert api.ledger(problem).totals()["hours"].tolist() == [6.75, pytest.approx(80 / 60), pytest.approx(70 / 60)]


def test_the_rules_file_knows_the_rounding_keys(tmp_path):
    assert {"hours_round_to", "hours_rounding"} <= set(RULE_KEYS)
    path = tmp_path / "rules.yaml"
    path.write_text("hours_round_to: 0.5\nhours_rounding: down\n", encoding="utf-8")
    assert load_rules(path) == (Rules(hours_round_to=0.5, hours_rounding="down"), [])
    assert (Rules().hours_round_to, Rules().hours_rounding) == (0.0, "nearest")
    path.write_text("hours_round_too: 0.5\nhours_rounding: sideways\nhours_round_to: -1\n", encoding="utf-8")
    rules, findings = load_rules(path)
    assert rules == Rules()
    assert [(f.row, f.column, f.message, f.fix) for f in findings] == [
        (1, "hours_round_too", "unknown key 'hours_round_too' in the rules file", "did you mean 'hours_round_to'?"),
        (3, "hours_round_to", "hours_round_to must be 0.0 or more", "the default is 0.0"),
        (2, "hours_rounding", "hours_rounding must be 'nearest', 'down' or 'up'", "the default is nearest"),
    ]


def test_a_bad_rules_file_exits_2(problem, tmp_path):
    rules_file(problem, "hours_rounding: sideways\n")
    result = run("hours", problem, "--out", tmp_path / "hours.csv", "--lang", "en")
    assert result.exit_code == 2
    assert "hours_rounding must be 'nearest', 'down' or 'up'" in result.stderr
    assert not (tmp_path / "hours.csv").exists()
