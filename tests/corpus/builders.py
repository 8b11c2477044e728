"""Small builders of broken input files, all starting from the tutorial folder's good files.

Each builder returns the bytes of one file, so that a case in the catalogue (`cases.py`) reads
as one line: which file, which bytes, what the coordinator must be told.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

TUTORIAL = Path(__file__).resolve().parent.parent.parent / "sample_data" / "tutorial"

Rows = list[list[str]]


# ----------------------------------------------------------------------------- the register


def register_text() -> str:
    return (TUTORIAL / "volunteers.csv").read_text(encoding="utf-8")


def register_rows() -> Rows:
    """The tutorial register as rows of text; rows[0] is the header (spreadsheet row 1)."""
    return [list(row) for row in csv.reader(io.StringIO(register_text()))]


def csv_bytes(rows: Rows, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n", delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def col(name: str) -> int:
    """The position of a tutorial column by its English header."""
    return register_rows()[0].index(name)


def edited(**cells: str) -> Callable[[Rows], Rows]:
    """An edit setting cells written as `r3_gender="lady"` (spreadsheet row 3, column gender)."""

    def edit(rows: Rows) -> Rows:
        for key, value in cells.items():
            row, _, column = key.partition("_")
            rows[int(row[1:]) - 1][col(column)] = value
        return rows

    return edit


def register_csv(edit: Callable[[Rows], Rows] | None = None, encoding: str = "utf-8") -> Callable[[], bytes]:
    """The tutorial register as CSV after `edit` (which gets and returns the rows)."""
    return lambda: csv_bytes((edit or (lambda rows: rows))(register_rows()), encoding)


def raw_csv(transform: Callable[[str], str], encoding: str = "utf-8") -> Callable[[], bytes]:
    """The tutorial register's text after a text transformation, in the given encoding."""
    return lambda: transform(register_text()).encode(encoding)


def chinese_register() -> Rows:
    """The tutorial register with Chinese headers and Chinese names, as a Chinese office keeps it."""
    names = ["王秀英", "李桂英", "张建国", "陈美华", "周伟", "徐丽华", "顾海燕", "沈国强"]
    headers = {"id": "编号", "name": "姓名", "gender": "性别", "birth_date": "出生日期", "health": "健康状况",
               "teams": "队伍", "skills": "特长", "roles": "身份", "availability": "可服务时间",
               "unavailable": "不可服务日期", "max_shifts_per_week": "每周最多班次", "prefers": "意向",
               "avoids": "不愿意", "partner": "结伴", "phone": "联系电话", "active": "在册"}
    rows = register_rows()
    rows[0] = [headers[h] for h in rows[0]]
    for row, name in zip(rows[1:], names):
        row[1] = name
        row[2] = {"female": "女", "male": "男"}[row[2]]
    return rows


def register_xlsx(edit_sheet: Callable | None = None, rows: Rows | None = None) -> Callable[[], bytes]:
    """The tutorial register as a workbook; `edit_sheet(ws)` may change cells, merge, insert rows."""

    def build() -> bytes:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for row in rows if rows is not None else register_rows():
            sheet.append(row)
        if edit_sheet:
            edit_sheet(sheet)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    return build


def xlsx_with_cached_error(cell: str, formula: str, error: str) -> Callable[[], bytes]:
    """A workbook as Excel saves it: `cell` holds a formula whose cached result is an error (`#DIV/0!`)."""

    def build() -> bytes:
        def put_error(sheet):
            sheet[cell] = error  # openpyxl stores a known error code as an error cell (t="e")

        data = register_xlsx(put_error)()
        return patch_zip(data, "xl/worksheets/sheet1.xml",
                         lambda xml: xml.replace(f'<c r="{cell}" t="e"><v>{error}</v></c>',
                                                 f'<c r="{cell}" t="e"><f>{formula}</f><v>{error}</v></c>'))

    return build


def patch_zip(data: bytes, member: str, change: Callable[[str], str]) -> bytes:
    """A copy of a zip (an xlsx) with one member's text changed; fails loudly if nothing changed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == member:
                new = change(content.decode("utf-8"))
                assert new != content.decode("utf-8"), f"the patch of {member} changed nothing"
                content = new.encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


def register_json(records: Callable[[list[dict]], object] | None = None) -> Callable[[], bytes]:
    """The tutorial register as a JSON list of objects, after `records` changes it."""

    def build() -> bytes:
        rows = register_rows()
        data = [dict(zip(rows[0], row)) for row in rows[1:]]
        return json.dumps((records or (lambda d: d))(data), ensure_ascii=False, indent=1).encode("utf-8")

    return build


# ----------------------------------------------------------------------------- YAML files


def text_of(name: str) -> str:
    return (TUTORIAL / name).read_text(encoding="utf-8")


def replaced(name: str, old: str, new: str, count: int = 1, encoding: str = "utf-8") -> Callable[[], bytes]:
    """A tutorial file with `old` replaced by `new` (which must occur)."""

    def build() -> bytes:
        text = text_of(name)
        assert old in text, f"{old!r} is not in {name}"
        return text.replace(old, new, count).encode(encoding)

    return build


def literal(data: bytes | str) -> Callable[[], bytes]:
    return lambda: data if isinstance(data, bytes) else data.encode("utf-8")


def random_bytes(size: int, seed: int) -> Callable[[], bytes]:
    return lambda: random.Random(seed).randbytes(size)


def truncated(build: Callable[[], bytes], keep: float) -> Callable[[], bytes]:
    """The first part of a file, as left by a copy that was cut short."""

    def cut() -> bytes:
        data = build()
        return data[: int(len(data) * keep)]

    return cut


# ----------------------------------------------------------------------------- rosters


def roster_json(assignments: list[dict] | None = None, **fields) -> dict:
    """A small hand-written roster.json for 2026-W49 that keeps every hard rule of the tutorial."""
    if assignments is None:
        assignments = [{"shift": "gate-am@2026-11-30", "volunteer": "006"},
                       {"shift": "cleanup@2026-12-05", "volunteer": "004"}]
    return {"week": "2026-W49", "assignments": assignments, **fields}


@functools.lru_cache(maxsize=1)
def _solved_outputs() -> dict[str, bytes]:
    """The output files of the tutorial week, as `roster solve` writes them (solved once)."""
    import scheduler.api as api
    from scheduler.io.writers import render_outputs

    problem = api.load(TUTORIAL, week="2026-W49")
    return render_outputs(api.solve(problem, time_limit=5, workers=1), problem, "en")


def solved_output(name: str) -> Callable[[], bytes]:
    return lambda: _solved_outputs()[name]


def json_bytes(data: object) -> Callable[[], bytes]:
    return lambda: json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def assignments_csv(header: list[str], rows: Rows) -> Callable[[], bytes]:
    return lambda: ("\ufeff".encode() + csv_bytes([header, *rows]))
