"""The catalogue of broken inputs: one line per mistake a coordinator (or Excel) can make.

Each case swaps one file of a copy of `sample_data/tutorial` for broken bytes and says what the
coordinator must see: the exit code and fragments of the message (file, row, column, value, fix).
Rows are numbered as a spreadsheet shows them: the tutorial register's header is row 1, volunteer
001 is row 2, 002 row 3, …, 008 row 9.

`exit=0` cases are legal inputs that must load as what they mean (`same_as_tutorial`: the
validate summary equals the clean tutorial's). A case with `bug` documents a known defect; it
runs as a strict xfail until the code is fixed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import openpyxl

from .builders import (
    assignments_csv,
    chinese_register,
    col,
    csv_bytes,
    edited,
    json_bytes,
    literal,
    patch_zip,
    random_bytes,
    raw_csv,
    register_csv,
    register_json,
    register_rows,
    register_xlsx,
    replaced,
    roster_json,
    solved_output,
    text_of,
    truncated,
    xlsx_with_cached_error,
)

WEEK = "2026-W49"
ROSTER = "hand/roster.json"  # where `check` cases put the roster they check


@dataclass(frozen=True)
class Case:
    id: str
    file: str  # the file put into the problem folder; others of its kind (volunteers.*, …) are removed
    build: Callable[[], bytes]
    exit: int  # 2 bad input, 0 accepted (4 for `check`: violations)
    expect: tuple[str, ...] = ()  # fragments the output must contain, besides the file's name and "Fix:"
    forbid: tuple[str, ...] = ()  # fragments the output must not contain (a misleading message)
    command: str = "validate"  # or "check": `file` is the roster given to `roster check`
    same_as_tutorial: bool = False  # an accepted input must give the clean tutorial's summary
    bug: str | None = None  # a known defect: strict xfail with this reason

    def __str__(self) -> str:
        return self.id


def fullwidth(text: str) -> str:
    """ASCII digits and `:;,-.` as the full-width forms a Chinese input method types."""
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() or ch in ":;,-." else ch for ch in text)


def _with_rows(change: Callable[[list[list[str]]], None]) -> Callable[[list[list[str]]], list[list[str]]]:
    def edit(rows):
        change(rows)
        return rows

    return edit


def _add_column(header: str, values: dict[int, str]) -> Callable:
    """A column appended at the right; `values` by spreadsheet row."""

    def change(rows):
        rows[0].append(header)
        for number, row in enumerate(rows[1:], start=2):
            row.append(values.get(number, ""))

    return _with_rows(change)


def _rename(old: str, new: str) -> Callable:
    return _with_rows(lambda rows: rows[0].__setitem__(col(old), new))


def _each_cell(change: Callable[[str], str], columns: tuple[str, ...] | None = None, header: bool = False) -> Callable:
    """`change` applied to every cell of the given columns (all when None), the header row too if asked."""
    names = register_rows()[0]

    def apply(rows):
        for row in rows[0 if header else 1:]:
            for i, cell in enumerate(row):
                if columns is None or names[i] in columns:
                    row[i] = change(cell)

    return _with_rows(apply)


def _mixed_headers(rows):
    chinese = chinese_register()[0]
    rows[0] = [zh if i % 2 else en for i, (en, zh) in enumerate(zip(rows[0], chinese))]


def _traditional_big5() -> bytes:
    """English headers, traditional names and 女/男, saved as Big5 (Hong Kong / Taiwan Excel)."""
    rows = register_rows()
    names = ["王秀英", "李桂英", "張建國", "陳美華", "周偉", "徐麗華", "顧海燕", "沈國強"]
    for row, name in zip(rows[1:], names):
        row[1] = name
        row[2] = {"female": "女", "male": "男"}[row[2]]
    return csv_bytes(rows, encoding="big5")


# ----------------------------------------------------------------------------- XLSX sheet edits


def _title_row_merged(sheet):
    sheet.insert_rows(1)
    sheet["A1"] = "延吉七村居民区志愿者花名册"
    sheet.merge_cells("A1:P1")


def _headers_with_notes(sheet):
    sheet["A1"], sheet["B1"], sheet["C1"] = "编号*", "姓名\n（必填）", " Gender (F/M) "


def _merge_header_cells(sheet):
    sheet.merge_cells("C1:D1")  # 性别 and 出生日期 under one merged header: D1 becomes empty


def _empty_header_cell(sheet):
    sheet["C1"] = None


def _numbers_as_excel_stores_them(sheet):
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 1).value = int(sheet.cell(row, 1).value)
        sheet.cell(row, 1).number_format = "000"
        sheet.cell(row, col("phone") + 1).value = int(sheet.cell(row, col("phone") + 1).value)
        partner = sheet.cell(row, col("partner") + 1)
        if partner.value:
            partner.value, partner.number_format = int(partner.value), "000"


def _dates_as_excel_dates(sheet):
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row, col("birth_date") + 1)
        cell.value = dt.datetime.fromisoformat(cell.value)
        cell.number_format = "yyyy/m/d"


def _ids_as_long_numbers(sheet):
    sheet["A3"] = 1.1e17  # two long ids Excel turned into 1.1E+17: they are now the same number
    sheet["A4"] = 1.1e17


def _register_on_second_sheet():
    workbook = openpyxl.Workbook()
    workbook.active.title = "说明"
    data = workbook.create_sheet("花名册")
    for row in register_rows():
        data.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip_without_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


def _formula_without_result(sheet):
    sheet["D3"] = "=DATE(1958,9,3)"  # written by a script: no cached result is stored


# ----------------------------------------------------------------------------- the catalogue

CSV, XLSX, JSON = "volunteers.csv", "volunteers.xlsx", "volunteers.json"
SHIFTS, RULES = "shifts.yaml", "rules.yaml"

REGISTER_CSV = [
    Case("csv-utf16le-without-bom", CSV, raw_csv(str, "utf-16-le"), 0, same_as_tutorial=True),
    Case("csv-utf16-with-bom-tab-separated", CSV,
         lambda: csv_bytes(register_rows(), encoding="utf-16", delimiter="\t"), 0, same_as_tutorial=True),
    Case("csv-gbk-chinese-headers", CSV, lambda: csv_bytes(chinese_register(), encoding="gbk"), 0,
         same_as_tutorial=True),
    Case("csv-big5-traditional", CSV, _traditional_big5, 0, same_as_tutorial=True),
    Case("csv-utf16-cut-short", CSV, lambda: csv_bytes(register_rows(), encoding="utf-16")[:-1], 2,
         ("not readable text",)),
    Case("csv-random-bytes", CSV, random_bytes(600, seed=1), 2, ("the file is not readable text",)),
    Case("csv-zero-bytes", CSV, literal(b""), 2, ("the register is empty",)),
    Case("csv-header-only", CSV, raw_csv(lambda text: text.splitlines()[0] + "\n"), 2,
         ("row 2", "no volunteers")),
    Case("csv-unquoted-comma-shifts-cells", CSV,
         raw_csv(lambda t: t.replace('"Mon,Wed,Fri morning; Sat 08:00-12:00"', "Mon,Wed,Fri morning; Sat 08:00-12:00")),
         2, ("row 4", "18 cells", "16")),
    Case("csv-extra-cells-beyond-header", CSV,
         register_csv(_with_rows(lambda rows: rows[2].extend(["call after 6pm", "腿脚不便"]))), 2,
         ("row 3", "18 cells", "16")),
    Case("csv-trailing-empty-cells", CSV, register_csv(_with_rows(lambda rows: [r.extend(["", "", ""]) for r in rows])),
         0, same_as_tutorial=True),
    Case("csv-short-row-loses-required-cell", CSV, register_csv(_with_rows(lambda rows: rows[2].__delitem__(slice(2, None)))),
         2, ("row 3", "column 'gender'", "gender is empty")),
    Case("csv-same-header-twice", CSV, register_csv(_add_column("gender", {2: "female"})), 2,
         ("row 1", "column 'gender' appears twice")),
    Case("csv-two-headers-for-gender", CSV, register_csv(_add_column("性别", {2: "女"})), 2,
         ("row 1", "columns 'gender' and '性别' both give gender")),
    Case("csv-chinese-and-english-headers-mixed", CSV, register_csv(_with_rows(_mixed_headers)), 0,
         same_as_tutorial=True),
    Case("csv-full-width-digits-and-punctuation", CSV,
         register_csv(_each_cell(fullwidth, ("id", "birth_date", "availability", "unavailable", "partner", "phone",
                                             "max_shifts_per_week"))),
         0, same_as_tutorial=True),
    Case("csv-stray-spaces", CSV, register_csv(_each_cell(lambda c: f" {c}\u3000 ", header=True)), 0,
         same_as_tutorial=True),
    Case("csv-gender-lady", CSV, register_csv(edited(r2_gender="lady")), 2,
         ("row 2", "column 'gender'", "'lady'", "gender must be F or M")),
    Case("csv-age-250", CSV, register_csv(_with_rows(lambda rows: (
        _add_column("age", {3: "250"})(rows), rows[2].__setitem__(col("birth_date"), "")))), 2,
         ("row 3", "column 'age'", "'250'", "age must be a whole number from 0 to 120")),
    Case("csv-birth-date-2090", CSV, register_csv(edited(r4_birth_date="2090-01-20")), 2,
         ("row 4", "column 'birth_date'", "'2090-01-20'", "in the future")),
    Case("csv-birth-date-february-30", CSV, register_csv(edited(r3_birth_date="1958-02-30")), 2,
         ("row 3", "column 'birth_date'", "'1958-02-30'", "not a real date")),
    Case("csv-availability-gibberish", CSV, register_csv(edited(r5_availability="Sat,Sun whenever")), 2,
         ("row 5", "column 'availability'", "'Sat,Sun whenever'", "'whenever'")),
    Case("csv-availability-past-midnight", CSV, register_csv(edited(r6_availability="Fri 22:00-06:00")), 2,
         ("row 6", "column 'availability'", "'Fri 22:00-06:00'", "ends before it starts")),
    Case("csv-unavailable-range-backwards", CSV, register_csv(edited(r7_unavailable="2026-12-07..2026-12-01")), 2,
         ("row 7", "column 'unavailable'", "'2026-12-07..2026-12-01'", "ends before it starts")),
    Case("csv-duplicate-id", CSV, register_csv(edited(r4_id="001")), 2,
         ("row 4", "column 'id'", "'001'", "already used on row 2")),
    Case("csv-partner-written-as-name", CSV, register_csv(edited(r2_partner="Li Guiying")), 2,
         ("row 2", "column 'partner'", "'Li Guiying'", "write 002")),
    Case("csv-max-shifts-as-word", CSV, register_csv(edited(r4_max_shifts_per_week="two")), 2,
         ("row 4", "column 'max_shifts_per_week'", "'two'", "whole number")),
    Case("csv-active-maybe", CSV, register_csv(edited(r9_active="maybe")), 2,
         ("row 9", "column 'active'", "'maybe'", "yes or no")),
    Case("csv-excel-na-in-partner", CSV, register_csv(edited(r3_partner="#N/A")), 2,
         ("row 3", "column 'partner'", "'#N/A'", "names no volunteer")),
    Case("csv-id-column-renamed", CSV, register_csv(_rename("id", "No.")), 2,
         ("row 1", "column id (编号) is missing")),
    Case("csv-unbalanced-quote-swallows-rows", CSV,
         raw_csv(lambda t: t.replace(",Mon-Fri 07:00-12:00; Sat all day,,,,,001,",
                                     ',"Mon-Fri 07:00-12:00; Sat all day,,,,,001,')),
         2, ("row 3", "column 'availability'", "quote")),
]

REGISTER_XLSX = [
    Case("xls-old-excel-format", "volunteers.xls", literal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)), 2,
         ("old Excel format", ".xlsx")),
    Case("xlsx-headers-with-notes-and-line-breaks", XLSX, register_xlsx(_headers_with_notes), 0,
         same_as_tutorial=True),
    Case("xlsx-is-a-csv-renamed", XLSX, register_csv(), 2, ("not a readable Excel workbook",)),
    Case("xlsx-truncated-download", XLSX, truncated(register_xlsx(), 0.5), 2, ("not a readable Excel workbook",)),
    Case("xlsx-zip-without-workbook", XLSX, _zip_without_workbook, 2, ("not a readable Excel workbook",)),
    Case("xlsx-sheet-xml-cut-short", XLSX,
         lambda: patch_zip(register_xlsx()(), "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2]), 2,
         ("not a readable Excel workbook",)),
    Case("xlsx-styles-xml-cut-short", XLSX,
         lambda: patch_zip(register_xlsx()(), "xl/styles.xml", lambda xml: xml[: len(xml) // 2]), 2,
         ("not a readable Excel workbook",)),
    Case("xlsx-cell-reference-out-of-range", XLSX,
         lambda: patch_zip(register_xlsx()(), "xl/worksheets/sheet1.xml", lambda xml: xml.replace('r="C3"', 'r="ZZZZZ3"')),
         2, ("not a readable Excel workbook",)),
    Case("xlsx-title-row-merged-above-header", XLSX, register_xlsx(_title_row_merged), 0, same_as_tutorial=True),
    Case("xlsx-ids-phones-numbers-with-000-format", XLSX, register_xlsx(_numbers_as_excel_stores_them), 0,
         same_as_tutorial=True),
    Case("xlsx-birth-dates-as-excel-dates", XLSX, register_xlsx(_dates_as_excel_dates), 0, same_as_tutorial=True),
    Case("xlsx-merged-header-cells", XLSX, register_xlsx(_merge_header_cells), 2,
         ("row 1", "column birth_date (出生日期) or age (年龄) is missing")),
    Case("xlsx-empty-header-cell", XLSX, register_xlsx(_empty_header_cell), 2,
         ("row 1", "column gender (性别) is missing")),
    Case("xlsx-na-error-text", XLSX, register_xlsx(lambda s: s.__setitem__("C3", "#N/A")), 2,
         ("row 3", "column 'gender'", "'#N/A'")),
    Case("xlsx-formula-cached-div0", XLSX, xlsx_with_cached_error("D3", "1/0", "#DIV/0!"), 2,
         ("row 3", "column 'birth_date'", "'#DIV/0!'")),
    Case("xlsx-formula-without-cached-result", XLSX, register_xlsx(_formula_without_result), 2,
         ("row 3", "column 'birth_date'", "formula")),
    Case("xlsx-ids-as-1.1E+17", XLSX, register_xlsx(_ids_as_long_numbers), 2,
         ("row 4", "column 'id'", "'110000000000000000'", "already used on row 3")),
    Case("xlsx-empty-workbook", XLSX, register_xlsx(rows=[]), 2, ("the register is empty",)),
    Case("xlsx-register-on-second-sheet", XLSX, _register_on_second_sheet, 2, ("first sheet",)),
]

REGISTER_JSON = [
    Case("json-truncated", JSON, truncated(register_json(), 0.6), 2, ("row", "not valid JSON")),
    Case("json-object-without-list", JSON, register_json(lambda d: {"people": d}), 2, ("must be a list of volunteers",)),
    Case("json-list-of-strings", JSON, register_json(lambda d: [r["id"] for r in d]), 2,
         ("row 1", "a volunteer must be an object")),
    Case("json-object-in-a-cell", JSON,
         register_json(lambda d: [{**r, "availability": {"Mon": "morning"}} if r["id"] == "003" else r for r in d]), 2,
         ("row 3", "column 'availability'", "Mon")),
    Case("json-ids-as-numbers", JSON,
         register_json(lambda d: [{**r, "id": int(r["id"]), "partner": int(r["partner"]) if r["partner"] else None}
                                  for r in d]), 0, same_as_tutorial=True),
]

SHIFT_CASES = [
    Case("shifts-tab-indent", SHIFTS, replaced(SHIFTS, "    name: Morning gate patrol", "\tname: Morning gate patrol"), 2,
         ("row 7", "tab")),
    Case("shifts-duplicate-key", SHIFTS, replaced(SHIFTS, "    need: 1 ", "    need: 1\n    need: 2 "), 2,
         ("row 15", "'need' appears twice")),
    Case("shifts-unknown-key-min_femal", SHIFTS, replaced(SHIFTS, "min_female: 1", "min_femal: 1"), 2,
         ("row 27", "column 'min_femal'", "did you mean 'min_female'")),
    Case("shifts-need-10000", SHIFTS, replaced(SHIFTS, "need: 3 ", "need: 10000 "), 2,
         ("row 24", "column 'need'", "10000", "far more")),
    Case("shifts-start-30-00", SHIFTS, replaced(SHIFTS, 'start: "07:00"', 'start: "30:00"'), 2,
         ("row 12", "column 'start'", "'30:00'", "not a time")),
    Case("shifts-start-as-bare-7", SHIFTS, replaced(SHIFTS, 'start: "07:00"', "start: 7"), 2,
         ("row 12", "column 'start'", "7", "not a time")),
    Case("shifts-end-equals-start", SHIFTS, replaced(SHIFTS, 'end: "09:00"', 'end: "07:00"'), 2,
         ("row 13", "column 'end'", "no length")),
    Case("shifts-start-24-00", SHIFTS, replaced(SHIFTS, 'start: "07:00"', 'start: "24:00"'), 2,
         ("row 12", "column 'start'", "'24:00'", "write 00:00")),
    Case("shifts-23-hour-shift", SHIFTS, replaced(SHIFTS, 'end: "09:00"', 'end: "06:00"'), 0,
         ("Warnings (1)", "row 6", "nobody could ever staff Morning gate patrol (07:00-06:00)")),
    Case("shifts-full-width-times", SHIFTS,
         lambda: text_of(SHIFTS).replace('"07:00"', '"０７：００"').replace('"09:00"', '"０９：００"').encode(), 0,
         same_as_tutorial=True),
    Case("shifts-days-in-chinese", SHIFTS, replaced(SHIFTS, "[Mon, Tue, Wed, Thu, Fri]", "周一至周五"), 0,
         same_as_tutorial=True),
    Case("shifts-unquoted-times", SHIFTS, lambda: text_of(SHIFTS).replace('"', "").encode(), 0, same_as_tutorial=True),
    Case("shifts-gbk-with-chinese-names", SHIFTS,
         lambda: text_of(SHIFTS).replace("Morning gate patrol", "东门文明劝导").encode("gbk"), 0),
    Case("shifts-utf16-with-bom", SHIFTS, lambda: text_of(SHIFTS).encode("utf-16"), 0, same_as_tutorial=True),
    Case("shifts-control-character", SHIFTS, replaced(SHIFTS, "name: Saturday clean-up", "name: Saturday clean-up\x0c"),
         2, ("row 18", "control character")),
    Case("shifts-list-as-a-key", SHIFTS, replaced(SHIFTS, "days: [Sat]", "[Sat]: days"), 2, ("row 21",)),
    Case("shifts-superscript-digit-in-time", SHIFTS, replaced(SHIFTS, 'start: "09:00"', 'start: "09:0²"'), 2,
         ("row 22", "column 'start'", "not a time")),
    Case("shifts-zero-bytes", SHIFTS, literal(b""), 2, ("no shifts found",)),
    Case("shifts-not-a-list", SHIFTS, literal("shifts: gate-am\n"), 2, ("no shifts found",)),
    Case("shifts-random-bytes", SHIFTS, random_bytes(400, seed=2), 2, ("not text",)),
    Case("shifts-unclosed-bracket", SHIFTS, replaced(SHIFTS, "[Mon, Tue, Wed, Thu, Fri]", "[Mon, Tue, Wed, Thu, Fri"), 2,
         ("row", "malformed")),
    Case("shifts-json-truncated", "shifts.json",
         truncated(lambda: json.dumps({"shifts": [{"id": "gate-am", "days": ["Mon"], "start": "07:00",
                                                   "end": "09:00", "need": 1}]}, indent=1).encode(), 0.7), 2,
         ("row", "malformed")),
    Case("shifts-min-age-above-max-age", SHIFTS,
         replaced(SHIFTS, "    need: 1 ", "    min_age: 70\n    max_age: 18\n    need: 1 "), 2,
         ("row 15", "column 'max_age'", "min_age (70) is above max_age (18)")),
    Case("shifts-february-30", SHIFTS, replaced(SHIFTS, "[2026-12-05]", "[2026-02-30]"), 2,
         ("row 34", "column 'dates'", "2026-02-30", "not a date")),
    Case("shifts-need-negative", SHIFTS, replaced(SHIFTS, "need: 2 ", "need: -2 "), 2,
         ("row 37", "column 'need'", "-2", "0 or more")),
    Case("shifts-need-as-word", SHIFTS, replaced(SHIFTS, "need: 2 ", "need: two "), 2,
         ("row 37", "column 'need'", "'two'", "whole number")),
    Case("shifts-min-health-excellent", SHIFTS, replaced(SHIFTS, "min_health: fair", "min_health: excellent"), 2,
         ("row 26", "column 'min_health'", "'excellent'", "good, fair or poor")),
    Case("shifts-duplicate-id", SHIFTS, replaced(SHIFTS, "id: cleanup ", "id: gate-am "), 2,
         ("row 17", "column 'id'", "'gate-am'", "used twice")),
    Case("shifts-day-misspelt", SHIFTS, replaced(SHIFTS, "days: [Sat]", "days: [Satruday]"), 2,
         ("row 21", "column 'days'", "'Satruday' is not a weekday")),
]

RULE_CASES = [
    Case("rules-unknown-key", RULES, replaced(RULES, "max_shifts_per_week: 3", "max_shift_per_week: 3"), 2,
         ("row 5", "column 'max_shift_per_week'", "did you mean 'max_shifts_per_week'")),
    Case("rules-weights-typo", RULES, replaced(RULES, "fairness: 10", "fairnes: 10"), 2,
         ("row 12", "column 'fairnes'", "did you mean 'fairness'")),
    Case("rules-tab-indent", RULES, replaced(RULES, "  fairness: 10", "\tfairness: 10"), 2, ("row 12", "tab")),
    Case("rules-duplicate-key", RULES, replaced(RULES, "max_shifts_per_day: 1 ", "max_shifts_per_day: 1\nmax_shifts_per_day: 2 "),
         2, ("row 7", "'max_shifts_per_day' appears twice")),
    Case("rules-negative-rest", RULES, replaced(RULES, "min_rest_hours: 10", "min_rest_hours: -5"), 2,
         ("row 7", "column 'min_rest_hours'", "-5", "0 or more")),
    Case("rules-number-as-word", RULES, replaced(RULES, "max_shifts_per_day: 1", "max_shifts_per_day: one"), 2,
         ("row 6", "column 'max_shifts_per_day'", "'one'", "a number")),
    Case("rules-language-fr", RULES, replaced(RULES, "language: en", "language: fr"), 2,
         ("row 3", "column 'language'", "'fr'", "zh (中文) or en")),
    Case("rules-written-as-a-list", RULES, literal("- max_shifts_per_week: 3\n- max_shifts_per_day: 1\n"), 2,
         ("'key: value' lines", "'-'")),
    Case("rules-random-bytes", RULES, random_bytes(300, seed=3), 2, ("not text",)),
    Case("rules-control-character", RULES, replaced(RULES, "language: en", "language: en\x0b"), 2,
         ("row 3", "control character")),
    Case("rules-zero-bytes", RULES, literal(b""), 0),
    Case("rules-weight-absurd", RULES, replaced(RULES, "fairness: 10", "fairness: 100000000000000000000000"), 2,
         ("column 'weights.fairness'", "100000000000000000000000")),
    Case("rules-rest-infinite", RULES, replaced(RULES, "min_rest_hours: 10", "min_rest_hours: .inf"), 2,
         ("column 'min_rest_hours'",)),
]

ROSTER_CASES = [
    Case("roster-json-truncated", ROSTER, truncated(json_bytes(roster_json()), 0.6), 2,
         ("not valid JSON",), command="check"),
    Case("roster-json-without-assignments", ROSTER, json_bytes({"week": WEEK, "shifts": []}), 2,
         ("no 'assignments' list",), command="check"),
    Case("roster-json-assignment-without-volunteer", ROSTER,
         json_bytes(roster_json([{"shift": "gate-am@2026-11-30"}])), 2,
         ("assignments.0", "volunteer"), command="check"),
    Case("roster-json-assignments-are-strings", ROSTER, json_bytes(roster_json(["gate-am@2026-11-30 006"])), 2,
         ("assignments.0",), command="check"),
    Case("roster-json-random-bytes", ROSTER, random_bytes(300, seed=4), 2, ("not valid JSON",), command="check"),
    Case("roster-csv-without-shift-column", "hand/assignments.csv",
         assignments_csv(["date", "volunteer"], [["2026-11-30", "006"]]), 2,
         ("missing column(s) shift",), command="check"),
    Case("roster-csv-zero-bytes", "hand/assignments.csv", literal(b""), 2, ("empty",), forbid=("register",), command="check"),
    Case("roster-csv-without-week", "hand/assignments.csv",
         assignments_csv(["shift", "volunteer"], [["gate-am", "006"]]), 2,
         ("cannot tell which week", "--week"), command="check"),
    Case("roster-txt-file", "hand/roster.txt", literal("gate-am@2026-11-30 006\n"), 2,
         ("must be a .json, .csv or .xlsx file",), command="check"),
    Case("roster-json-week-not-a-week", ROSTER, json_bytes(roster_json(week="next week")), 2,
         ("roster.json", "'next week'"), forbid=("--week:",), command="check"),
    Case("roster-our-own-xlsx", "hand/roster.xlsx", solved_output("roster.xlsx"), 0, ("every rule holds",),
         command="check"),
    Case("roster-duty-table-instead-of-assignments", "hand/duty_table.csv", solved_output("duty_table.csv"), 2,
         ("missing column(s) shift, volunteer",), command="check"),
    Case("roster-csv-ids-without-leading-zeros", "hand/assignments.csv",
         assignments_csv(["shift", "volunteer"], [["gate-am@2026-11-30", "6"], ["cleanup@2026-12-05", "4"]]), 0,
         ("2 assignments, every rule holds",), forbid=("not in the register",), command="check"),
    Case("roster-csv-stripped-id-with-a-real-violation", "hand/assignments.csv",
         assignments_csv(["shift", "volunteer"], [["gate-am@2026-11-30", "6"], ["gate-am@2026-12-02", "6"]]), 4,
         ("row 3: [not eligible] Xu Lihua (006)", "is unavailable on 2026-12-02"), forbid=("not in the register",),
         command="check"),
    Case("roster-csv-chinese-headers", "hand/assignments.csv",
         assignments_csv(["班次", "志愿者编号"], [["gate-am@2026-11-30", "006"]]), 0, command="check"),
    Case("roster-unknown-volunteer-and-shift", ROSTER,
         json_bytes(roster_json([{"shift": "gate-am@2026-11-30", "volunteer": "999"},
                                 {"shift": "night-watch@2026-11-30", "volunteer": "006"}])), 4,
         ("999", "night-watch@2026-11-30"), command="check"),
]

CASES: list[Case] = REGISTER_CSV + REGISTER_XLSX + REGISTER_JSON + SHIFT_CASES + RULE_CASES + ROSTER_CASES

from .hostile import HOSTILE_CASES  # noqa: E402 - they build on the helpers above

CASES += HOSTILE_CASES
