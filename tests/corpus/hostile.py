"""Hostile and odd inputs for the catalogue: privacy in messages, control characters, small files
that would cost gigabytes or minutes, look-alike ids, partners, and registers as committees keep them.

Every file is made here, from the tutorial's good files; the big ones (a zip bomb, a long cell) are
generated when the case runs and never committed. `BOMBS` are the cases whose time and memory
`test_hostile_bounds.py` measures in a separate process.
"""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl

from .builders import (
    col,
    csv_bytes,
    edited,
    raw_csv,
    register_csv,
    register_json,
    register_rows,
    register_xlsx,
    replaced,
    text_of,
)
from .cases import CSV, JSON, RULES, SHIFTS, XLSX, Case, _add_column, _with_rows

# ----------------------------------------------------------------------------- builders


def _alias_bomb() -> bytes:
    """The "billion laughs": 9 levels of 9 aliases each, 389 bytes that stand for 387 million values."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    return ("\n".join(lines) + "\n" + text_of(SHIFTS).replace("days: [Sat]", "days: *i")).encode()


def _deep_yaml(levels: int) -> bytes:
    return text_of(SHIFTS).replace("days: [Sat]", "days: " + "[" * levels + "Sat" + "]" * levels).encode()


def _nested_days(levels: int, width: int) -> bytes:
    """`days:` holding lists of lists, `levels` deep and `width` wide: width ** levels day names."""
    def nest(level: int) -> str:
        return "Sat" if level == 0 else "[" + ", ".join([nest(level - 1)] * width) + "]"

    return text_of(SHIFTS).replace("days: [Sat]", "days: " + nest(levels)).encode()


def _deep_json(levels: int) -> bytes:
    return ('{"shifts": ' + "[" * levels + "]" * levels + "}").encode()


def _shifts_json(**changes) -> bytes:
    entry = {"id": "gate-am", "name": "Morning gate patrol", "teams": ["civility"], "days": ["Mon"],
             "start": "07:00", "end": "09:00", "need": 1}
    return json.dumps({"shifts": [{**entry, **changes}]}).encode()


def _xlsx_bomb() -> bytes:
    """A workbook whose sheet decompresses to 300 MB of spaces: about 1 MB on disk."""
    data = register_xlsx()()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, content)
                continue
            with target.open(item.filename, "w", force_zip64=True) as member:
                member.write(content.replace(b"</worksheet>", b""))
                chunk = b" " * (1 << 20)
                for _ in range(300):
                    member.write(chunk)
                member.write(b"</worksheet>")
    return out.getvalue()


def _long_cell_in_ignored_column() -> bytes:
    return register_csv(_add_column("备注", {4: "x" * 200_000}))()


def _many_unknown_partners() -> bytes:
    """20,000 volunteers, each naming a partner nobody has: linear-time checks answer in seconds."""
    rows = register_rows()[:1]
    template = register_rows()[4]
    for number in range(20_000):
        row = list(template)
        row[col("id")], row[col("name")], row[col("partner")] = f"P{number:05d}", f"Person {number}", f"X{number}"
        rows.append(row)
    return csv_bytes(rows)


def _workbook(sheets: dict[str, list[list[str]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _month_sheets() -> bytes:
    """11月 holds last month's register (with a mistake); 12月 the one for the planned week."""
    november = register_rows()
    november[2][col("gender")] = "lady"
    return _workbook({"说明": [["每月一张表"]], "11月": november, "12月": register_rows()})


def _register_as_kept(rows):
    """An example row under the header, a total and a note at the bottom, blank rows between."""
    width = len(rows[0])
    rows.insert(1, ["示例", "张三", "female", "1960-01-01"] + [""] * (width - 4))
    rows.insert(5, [""] * width)
    rows.append([""] * width)
    rows.append(["合计：8人"] + [""] * (width - 1))
    rows.append(["备注：周末请提前联系居委会 021-6543 2100"] + [""] * (width - 1))
    return rows


def _partner_oddities(rows):
    # 003 -> 004 -> 005 -> 003 is a circle; 006 and 007 both name 001; 002 names 008, who is not active.
    for number, partner in ((4, "004"), (5, "005"), (6, "003"), (7, "001"), (8, "001"), (3, "008"), (2, "")):
        rows[number - 1][col("partner")] = partner
    return rows


# ----------------------------------------------------------------------------- the cases

PRIVACY = [
    Case("csv-phone-with-spaces-in-wrong-column", CSV, register_csv(edited(r4_max_shifts_per_week="139 1234 5678")), 2,
         ("row 4", "column 'max_shifts_per_week'", "*** **** 5678"), forbid=("139 1234", "1391234")),
    Case("csv-phone-with-country-code-in-wrong-column", CSV,
         register_csv(edited(r4_skills="x", r4_max_shifts_per_week="+86-139-1234-5678")),
         2, ("row 4", "5678"), forbid=("139-1234", "+86-139")),
    Case("csv-phone-in-dates-and-availability-is-masked-in-the-message-too", CSV,
         register_csv(edited(r4_unavailable="13912345678", r5_availability="周六 139 1234 5678")), 2,
         ("row 4", "column 'unavailable'", "row 5", "column 'availability'", "*******5678"),
         forbid=("13912345678", "139 1234")),
    Case("csv-health-free-text-never-quoted", CSV,
         register_csv(edited(r3_health="poor (糖尿病, 心脏支架)", r5_health="高血压")), 2,
         ("row 3", "row 5", "column 'health'", "良好 / 一般 / 较差"), forbid=("高血压", "糖尿病", "心脏支架")),
    Case("csv-open-quote-does-not-print-the-swallowed-row", CSV,
         raw_csv(lambda t: t.replace(",Mon-Fri 07:00-12:00; Sat all day,,,,,001,13800000002",
                                     ',"Mon-Fri 07:00-12:00; Sat all day,,,,,001,13912345678')),
         2, ("row 3", "quote"), forbid=("13912345678", "Zhang Jianguo", "1234")),
]

CONTROL_CHARACTERS = [
    Case("csv-vertical-tab-in-name", CSV, register_csv(edited(r2_name="Wang\x0bXiuying")), 2,
         ("row 2", "column 'name'", "U+000B")),
    Case("csv-nul-in-id", CSV, register_csv(edited(r5_id="004\x00")), 2, ("row 5", "column 'id'", "U+0000")),
    Case("csv-control-character-in-header", CSV, register_csv(_with_rows(lambda rows: rows[0].__setitem__(1, "name\x07"))),
         2, ("row 1", "U+0007")),
    Case("xlsx-vertical-tab-in-name", XLSX, register_xlsx(lambda sheet: sheet.__setitem__("B2", "Wang_x000B_Xiuying")), 2,
         ("row 2", "column 'name'", "U+000B")),
    Case("json-vertical-tab-in-name", JSON,
         register_json(lambda d: [{**r, "name": "Wang\x0bXiuying"} if r["id"] == "001" else r for r in d]), 2,
         ("row 1", "column 'name'", "U+000B")),
    Case("shifts-json-nul-in-id", "shifts.json", lambda: _shifts_json(id="gate\x00am"), 2, ("column 'id'", "U+0000")),
    Case("shifts-yaml-escaped-vertical-tab", SHIFTS, replaced(SHIFTS, "name: Saturday clean-up", 'name: "Saturday\\vclean-up"'),
         2, ("row 18", "column 'name'", "U+000B")),
    Case("rules-escaped-control-character", RULES, replaced(RULES, "language: en", 'language: "en\\x01"'), 2,
         ("row 3", "U+0001")),
]

BOMBS = [
    Case("shifts-yaml-alias-bomb", SHIFTS, _alias_bomb, 2, ("row 1", "aliases", "more than 100,000 values")),
    Case("shifts-yaml-nested-100000-deep", SHIFTS, lambda: _deep_yaml(100_000), 2, ("row 21", "more than 50 levels")),
    Case("shifts-yaml-nested-60-levels-under-days", SHIFTS, lambda: _deep_yaml(60), 2, ("row 21", "levels deep")),
    Case("shifts-yaml-8-levels-of-lists-under-days", SHIFTS, lambda: _nested_days(8, 3), 2,
         ("row 21", "column 'days'", "a list inside the list")),
    Case("shifts-json-nested-100000-deep", "shifts.json", lambda: _deep_json(100_000), 2, ("more than 50 levels",)),
    Case("json-register-nested-100000-deep", JSON, lambda: ("[" * 100_000 + "]" * 100_000).encode(), 2,
         ("more than 50 levels",)),
    Case("xlsx-sheet-decompresses-to-300-mb", XLSX, _xlsx_bomb, 2, ("decompresses to more than",)),
    Case("csv-cell-over-128-kib-in-ignored-column", CSV, _long_cell_in_ignored_column, 2,
         ("row 4", "column '备注'", "200,000 characters")),
    Case("csv-20000-unknown-partners", CSV, _many_unknown_partners, 2, ("row 20001", "names no volunteer")),
]

NUMBERS = [
    Case("shifts-integer-of-5000-digits", SHIFTS, replaced(SHIFTS, "need: 3 ", "need: " + "9" * 5000 + " "), 2,
         ("row 24", "5,000 digits")),
    Case("shifts-json-integer-of-5000-digits", "shifts.json",
         lambda: _shifts_json(need=1).replace(b'"need": 1', b'"need": ' + b"9" * 5000), 2, ("5,000 digits",)),
    Case("rules-integer-of-5000-digits", RULES, replaced(RULES, "fairness: 10", "fairness: " + "7" * 5000), 2,
         ("row 12", "5,000 digits")),
    Case("json-register-integer-of-5000-digits", JSON,
         register_json(lambda d: [{**r, "max_shifts_per_week": "__BIG__"} for r in d]), 2, ("5,000 digits",)),
    Case("shifts-need-infinite", SHIFTS, replaced(SHIFTS, "need: 3 ", "need: .inf "), 2,
         ("row 24", "column 'need'", "need is infinite")),
    Case("shifts-need-1e400", SHIFTS, replaced(SHIFTS, "need: 3 ", "need: 1e400 "), 2,
         ("row 24", "column 'need'", "'1e400'", "need is infinite")),
    Case("shifts-need-nan", SHIFTS, replaced(SHIFTS, "need: 3 ", "need: .nan "), 2,
         ("row 24", "column 'need'", "need is not a number"), forbid=("need is missing",)),
    Case("shifts-json-need-nan", "shifts.json", lambda: _shifts_json(need=1).replace(b'"need": 1', b'"need": NaN'), 2,
         ("column 'need'", "need is not a number"), forbid=("need is missing",)),
]

IDS_AND_PARTNERS = [
    Case("csv-ids-differ-only-by-case", CSV, register_csv(edited(r5_id="V004", r6_id="v004")), 2,
         ("row 6", "column 'id'", "'v004'", "'V004' on row 5")),
    Case("csv-id-with-zero-width-space", CSV, register_csv(edited(r5_id="004\u200b")), 2,
         ("row 5", "column 'id'", "U+200B")),
    Case("csv-partner-written-in-other-case", CSV, register_csv(edited(r5_id="V004", r6_partner="v004")), 2,
         ("row 6", "column 'partner'", "write V004")),
    Case("csv-partner-oddities-are-warnings", CSV, register_csv(_partner_oddities), 0,
         ("partners form a circle", "name Wang Xiuying (001) as partner", "not active")),
]

REGISTERS_AS_KEPT = [
    Case("csv-total-note-example-and-blank-rows", CSV, register_csv(_register_as_kept), 0,
         ("skipped 3 rows that are no volunteers", "row 2 (an example: 示例)", "(a total: 合计)", "(a note: 备注)"),
         forbid=("name is empty", "2100")),
    Case("xlsx-total-and-note-rows", XLSX, register_xlsx(rows=_register_as_kept(register_rows())), 0,
         ("skipped 3 rows",), forbid=("name is empty",)),
    Case("csv-dates-without-a-year", CSV,
         register_csv(edited(r2_unavailable="12月1日", r3_unavailable="12/2", r4_unavailable="12月1日至3日",
                             r5_unavailable="2026.12.1-2026.12.2")), 0, ("The inputs are valid",)),
    Case("xlsx-sheet-of-the-planned-month", XLSX, _month_sheets, 0,
         ("read the sheet '12月' (the sheet of the planned month); not read: 说明, 11月",), forbid=("lady",)),
    Case("csv-ignored-columns-listed-once", CSV, register_csv(_add_column("身份证号", {2: "310101195604120026"})), 0,
         ("column not read (the roster does not use it): 身份证号",), forbid=("310101195604120026",)),
]


def _fill_big_numbers(case: Case) -> Case:
    """The JSON register case above writes a 5,000-digit number where json.dumps would quote it."""
    if case.id != "json-register-integer-of-5000-digits":
        return case
    build = case.build
    return Case(case.id, case.file, lambda: build().replace(b'"__BIG__"', b"9" * 5000, 1).replace(b'"__BIG__"', b'""'),
                case.exit, case.expect, case.forbid)


HOSTILE_CASES = [_fill_big_numbers(case) for case in
                 PRIVACY + CONTROL_CHARACTERS + BOMBS + NUMBERS + IDS_AND_PARTNERS + REGISTERS_AS_KEPT]
