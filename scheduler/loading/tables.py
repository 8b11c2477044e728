"""Reading a volunteer register (CSV, XLSX or JSON) into a table of text cells.

Every cell becomes text exactly as a coordinator sees it, so that `007` stays `007`; the meaning
of the cells is decided later (`scheduler.loading.volunteers`). The header row is found among the
first rows (title rows such as `延吉七村居民区志愿者花名册` may stand above it), and every data row
keeps its row number as a spreadsheet shows it, for messages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import openpyxl
import pandas as pd

from scheduler.domain.errors import Finding
from scheduler.loading.documents import DocumentError, parse_json
from scheduler.loading.encodings import decode
from scheduler.loading.kept import first_word, month_sheet, row_kind
from scheduler.loading.limits import (
    CONTROL,
    MAX_CELL_CHARACTERS,
    MAX_FILE_BYTES,
    ZipTooBig,
    code,
    control_character,
    scan_zip,
    size_text,
    too_big,
)

# The register's columns: canonical name first, then the other headers accepted for it.
# Headers match after `header_key` (case, spaces, `_`, `-`, `*` and notes in brackets ignored).
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "编号", "志愿者编号"),
    "name": ("name", "姓名", "名字"),
    "gender": ("gender", "性别", "sex"),
    "birth_date": ("birth_date", "出生日期", "出生年月", "出生年月日", "生日", "birthday", "date_of_birth"),
    "age": ("age", "年龄"),
    "health": ("health", "健康状况", "身体状况", "健康状态"),
    "teams": ("teams", "队伍", "team", "所属队伍"),
    "skills": ("skills", "特长", "skill", "技能"),
    "roles": ("roles", "身份", "role"),
    "availability": ("availability", "可服务时间", "服务时间", "可服务时段"),
    "unavailable": ("unavailable", "不可服务日期", "不可服务时间"),
    "max_shifts_per_week": ("max_shifts_per_week", "每周最多班次"),
    "prefers": ("prefers", "意向", "意向岗位"),
    "avoids": ("avoids", "不愿意", "不愿意岗位"),
    "partner": ("partner", "结伴", "搭档"),
    "phone": ("phone", "联系电话", "电话", "手机", "手机号", "手机号码"),
    "active": ("active", "在册", "是否在册"),
    "building": ("building", "楼号", "楼栋", "楼栋号", "所在楼"),
}

HEADER_SCAN_ROWS = 10
OLD_EXCEL = (".xls", ".et")  # Excel 97-2003 and WPS workbooks: openpyxl reads only .xlsx
EMPTY_REGISTER = "input.register.empty"


def header_key(header: object) -> str:
    """`  Birth Date* ` and `出生日期（必填）` -> `birthdate` and `出生日期`, for matching headers."""
    text = unicodedata.normalize("NFKC", str(header)).casefold()
    text = re.sub(r"\(.*?\)|[\s_*\-]", "", text)
    return text


KNOWN_HEADERS: dict[str, str] = {header_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


@dataclass(frozen=True)
class Table:
    """A register as text cells: one frame row per data row, with its spreadsheet row number.

    `frame` holds every cell as text (`""` when empty) under the headers as written, stripped;
    `rows[i]` is the row number of frame row i as a spreadsheet shows it (for JSON and records:
    the record's position, from 1); `findings` are problems met while reading (a table with
    findings and no columns could not be read at all); `header_row` is the header's row number
    (0 when there is none, as in JSON); `untrusted` are the rows whose cells cannot be believed
    (shifted by a stray comma, swallowed by an open quote, a formula without its result): a
    finding explains each, and nothing else is read from them. `skipped` are the rows that are no
    volunteers (row number, `total`/`note`/`example`, the row's first word); `sheet_read` is, for a
    workbook of several sheets, (the sheet read, why that one, the other sheets). `kept.notes`
    turns both into warnings.
    """

    file: str
    frame: pd.DataFrame
    rows: list[int]
    findings: list[Finding] = field(default_factory=list)
    header_row: int = 1
    untrusted: frozenset[int] = frozenset()
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    sheet_read: tuple[str, str, list[str]] | None = None


# ----------------------------------------------------------------------------- entry points


def read_table(path: str | Path, sheets: tuple[str, ...] = (), *, sheet: str | None = None,
               month: tuple[int, tuple[int, ...]] | None = None) -> Table:
    """Read a register file by its suffix: `.csv`/`.txt`, `.xlsx`/`.xlsm` or `.json`.

    A workbook is read from the sheet named `sheet`, else the first of `sheets` it has, else the
    sheet named after one of `month`'s months (`(2026, (12,))`: `12月`, `2026年12月`, …), else its
    first sheet. Never raises for a bad file: problems (missing file, unknown suffix, nothing
    readable) come back as findings on an empty table.
    """
    file = str(path)
    suffix = Path(path).suffix.lower()
    workbook = partial(_read_xlsx, sheets=sheets, sheet=sheet, month=month)
    readers: dict[str, Callable[[Path, str], Table]] = {".csv": _read_csv, ".txt": _read_csv, ".xlsx": workbook, ".xlsm": workbook, ".json": _read_json}
    if suffix in OLD_EXCEL:
        return _failed(file, "input.register.old_excel")
    if suffix not in readers:
        return _failed(file, "input.register.suffix")
    try:
        size = too_big(Path(path), MAX_FILE_BYTES)
        if size is not None:
            return _failed(file, "input.register.too_big", size=size_text(size), most=size_text(MAX_FILE_BYTES))
        return readers[suffix](Path(path), file)
    except IsADirectoryError:
        return _failed(file, "input.register.folder")
    except FileNotFoundError:
        return _failed(file, "input.register.missing")
    except OSError as problem:
        return _failed(file, "input.register.unreadable", problem=problem.strerror or problem)


def table_from_frame(frame: pd.DataFrame, file: str = "<DataFrame>") -> Table:
    """A table from a DataFrame (header = column names); rows are numbered as in a CSV (first row 2)."""
    text = frame.map(cell_text) if len(frame.columns) else pd.DataFrame(index=frame.index)
    text.columns = [_header_text(column) for column in frame.columns]
    return _finish(file, text.reset_index(drop=True), rows=list(range(2, len(frame) + 2)), header_row=1)


def table_from_records(records: list[dict], file: str = "<records>") -> Table:
    """A table from a list of dicts, as in a JSON register; rows are numbered 1, 2, … by record."""
    findings: list[Finding] = []
    headers: dict[str, None] = {}
    for number, record in enumerate(records, start=1):
        if isinstance(record, dict):
            headers.update(dict.fromkeys(record))
        else:
            findings.append(Finding(file=file, row=number, value=_short(record), code="input.register.not_an_object"))
    kept = [(number, record) for number, record in enumerate(records, start=1) if isinstance(record, dict)]
    frame = pd.DataFrame(
        {_header_text(h): [cell_text(record.get(h)) for _, record in kept] for h in headers},
        index=range(len(kept)),
        dtype=object,
    )
    return _finish(file, frame, rows=[number for number, _ in kept], header_row=0, findings=findings)


# ----------------------------------------------------------------------------- CSV


def _read_csv(path: Path, file: str) -> Table:
    """A CSV (or tab-separated text) file in UTF-8, UTF-8 with BOM, GB18030/GBK, Big5 or UTF-16."""
    text = decode(path.read_bytes())
    if text is None:
        return _failed(file, "input.register.not_text")
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    # Cells of any length are read (the file's size is capped), so that a pasted document in some
    # column is reported with its row and column instead of stopping the csv module.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    grid, open_quote = _csv_grid(text, delimiter)
    table = _from_grid(file, grid)
    if open_quote is not None:
        return _open_quote(table, grid, open_quote, delimiter)
    if not len(table.frame.columns):
        return table
    return _ragged_rows(table, grid, delimiter)


def _csv_grid(text: str, delimiter: str) -> tuple[list[list[str]], int | None]:
    """The rows of a CSV text, and the index of the row whose quote is never closed (None if all close).

    The csv module rather than pandas' C parser: title rows above the header have fewer cells
    than the data, and such ragged files are normal for registers saved from Excel. A strict
    reading finds an open quote (it swallows every row below into one cell); the forgiving
    reading keeps stray quotes inside a cell (`5'6"`) as text.
    """
    strict = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    grid: list[list[str]] = []
    lines_before = 0
    try:
        for row in strict:
            grid.append(row)
            lines_before = strict.line_num
        return grid, None
    except csv.Error as problem:
        # At the end of the text, or further down at the next quote, a row that ran over lines.
        swallowed = "unexpected end of data" in str(problem) or strict.line_num > lines_before + 1
        open_row = len(grid)
    grid = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return grid, open_row if swallowed and open_row < len(grid) else None


def _open_quote(table: Table, grid: list[list[str]], index: int, delimiter: str = ",") -> Table:
    """A quote never closed swallows the rows below it, so nothing after it can be checked: the one finding.

    The value quoted is the cell's own text, up to the next delimiter: the rest of the line holds
    the row's other cells (a phone, say), and the lines below are other people's rows.
    """
    row, number = grid[index], index + 1
    column = next((i for i, cell in enumerate(row) if "\n" in cell), len(row) - 1)
    header = grid[table.header_row - 1] if len(table.frame.columns) and table.header_row < number else []
    finding = Finding(
        file=table.file, row=number, column=_header_text(header[column]) if column < len(header) else None,
        value='"' + row[column].split("\n")[0].split(delimiter)[0] if row else None,
        code="input.register.open_quote")
    return Table(file=table.file, frame=pd.DataFrame(), rows=[], findings=[finding])


def _ragged_rows(table: Table, grid: list[list[str]], delimiter: str) -> Table:
    """Rows with more cells than the header (a stray delimiter shifted them): a finding each, their cells ignored."""
    header = grid[table.header_row - 1]
    width = _filled_width(header)
    ragged = "input.register.ragged_tab" if delimiter == "\t" else "input.register.ragged"
    findings, untrusted = list(table.findings), set(table.untrusted)
    for number in table.rows:
        cells = _filled_width(grid[number - 1])
        if cells > width:
            findings.append(Finding(file=table.file, row=number, code=ragged,
                                    params={"cells": cells, "header_row": table.header_row, "width": width}))
            untrusted.add(number)
    return replace(table, findings=findings, untrusted=frozenset(untrusted))


def _filled_width(row: list[str]) -> int:
    """The number of cells up to the last non-empty one (empty cells at the end do not count)."""
    return next((i + 1 for i in range(len(row) - 1, -1, -1) if row[i].strip()), 0)


# ----------------------------------------------------------------------------- XLSX


def _read_xlsx(path: Path, file: str, sheets: tuple[str, ...] = (), sheet: str | None = None,
               month: tuple[int, tuple[int, ...]] | None = None) -> Table:
    """One sheet of a workbook, cells as the coordinator sees them.

    The sheet is the one named `sheet` (`--sheet`), else the first of `sheets` it has, else the
    sheet of the planned month (`month`: the year and the months of the planned week, see
    `kept.month_sheet`), else the first sheet. When the workbook has several sheets, a note says
    which one was read.
    """
    try:
        scan_zip(path)  # before openpyxl: a part that decompresses to gigabytes is refused unread
    except ZipTooBig as big:
        return _failed(file, "input.register.zip_bomb", part=big.member, most=size_text(big.limit))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        pass  # not a zip or damaged: openpyxl says so below
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            names = workbook.sheetnames
            if not names:
                return _failed(file, "input.register.no_sheet")
            title, why = _choose_sheet(names, sheet, sheets, month)
            if title is None:
                return _failed(file, "input.register.sheet_unknown", sheet=sheet, sheets=", ".join(names))
            chosen = workbook[title]
            grid, member = _sheet_grid(chosen), getattr(chosen, "_worksheet_path", None)
            elsewhere = None if _has_data(grid) or why != "first" else next(
                (other.title for other in workbook.worksheets if other is not chosen and _has_data(_sheet_grid(other))),
                None)
        finally:
            workbook.close()
        formulas = _unsaved_formulas(path, title, grid) if _has_formulas(path, member) else {}
    except OSError:
        raise  # a missing or locked file: read_table says so
    except Exception:  # noqa: BLE001 - damaged parts make openpyxl raise ParseError, ValueError, TypeError, …
        return _failed(file, "input.register.bad_workbook")
    if elsewhere is not None:
        return _failed(file, "input.register.first_sheet_empty", sheet=elsewhere)
    table = _from_grid(file, grid)
    if len(names) > 1:
        table = replace(table, sheet_read=(title, why, [name for name in names if name != title]))
    return _formula_findings(table, grid, formulas) if formulas and len(table.frame.columns) else table


def _choose_sheet(names: list[str], sheet: str | None, sheets: tuple[str, ...],
                  month: tuple[int, tuple[int, ...]] | None) -> tuple[str | None, str]:
    """The title of the sheet to read and why it is that one (`named`, `known`, `month`, `first`); None when
    the sheet named by --sheet is not in the workbook. Names match after NFKC and stripping."""
    if sheet is not None:
        wanted = unicodedata.normalize("NFKC", sheet).strip().casefold()
        found = next((name for name in names if unicodedata.normalize("NFKC", name).strip().casefold() == wanted), None)
        return found, "named"
    known = next((name for name in sheets if name in names), None)
    if known is not None:
        return known, "known"
    by_month = month_sheet(names, *month) if month is not None else None
    if by_month is not None:
        return by_month, "month"
    return names[0], "first"


def _sheet_grid(sheet) -> list[list[str]]:
    sheet.reset_dimensions()  # some writers store wrong sheet sizes; read what is there
    return [[_xlsx_cell_text(cell) for cell in row] for row in sheet.iter_rows()]


def _has_data(grid: list[list[str]]) -> bool:
    return any(cell.strip() for row in grid for cell in row)


def _unsaved_formulas(path: Path, title: str, grid: list[list[str]]) -> dict[tuple[int, int], str]:
    """Empty-looking cells that hold a formula whose result was never saved (workbooks written by
    scripts, not by Excel), by (spreadsheet row, column index)."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        sheet = workbook[title]
        sheet.reset_dimensions()
        return {(cell.row, cell.column - 1): str(cell.value) for row in sheet.iter_rows() for cell in row
                if getattr(cell, "data_type", None) == "f" and not _grid_cell(grid, cell.row, cell.column - 1)}
    finally:
        workbook.close()


def _has_formulas(path: Path, member: str | None) -> bool:
    """Whether a sheet's XML holds any formula (`<f>`): a quick look, streamed, that saves reading most
    sheets twice."""
    if member is None:
        return True
    pattern = re.compile(rb"<(?:\w+:)?f[ >]")
    return scan_zip(path, search={member: pattern})[member]


def _grid_cell(grid: list[list[str]], row: int, column: int) -> str:
    return grid[row - 1][column] if row - 1 < len(grid) and column < len(grid[row - 1]) else ""


def _formula_findings(table: Table, grid: list[list[str]], formulas: dict[tuple[int, int], str]) -> Table:
    """A finding for each formula without a saved result in a volunteer's row; those rows are not read."""
    header = grid[table.header_row - 1] if table.header_row else []
    findings, untrusted = list(table.findings), set(table.untrusted)
    volunteer_rows = set(table.rows)
    for (row, column), formula in sorted(formulas.items()):
        if row not in volunteer_rows:
            continue
        findings.append(Finding(
            file=table.file, row=row, column=_header_text(header[column]) if column < len(header) else None,
            value=formula, code="input.register.formula"))
        untrusted.add(row)
    return replace(table, findings=findings, untrusted=frozenset(untrusted))


# How a workbook stores a control character in a text: `_x000B_` is a vertical tab. Excel shows the
# character, so it is read as one (and refused like any control character).
_XML_ESCAPE = re.compile(r"_x(00[01][0-9A-Fa-f]|007[Ff])_")


def _xlsx_cell_text(cell) -> str:
    """A cell as text; a number shown zero-padded (format `000`) keeps its zeros: 7 -> `007`."""
    value = cell.value
    if type(value) is str:  # most cells: the fast path matters for big registers
        return _XML_ESCAPE.sub(lambda code: chr(int(code[1], 16)), value) if "_x" in value else value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number_format = cell.number_format or ""
        if re.fullmatch(r"0+", number_format) and float(value).is_integer():
            return str(int(value)).zfill(len(number_format))
    return cell_text(value)


# ----------------------------------------------------------------------------- JSON


def _read_json(path: Path, file: str) -> Table:
    """A list of volunteer objects, or an object with such a list under `volunteers`."""
    text = decode(path.read_bytes())
    if text is None:
        return _failed(file, "input.register.json_not_text")
    try:
        data = parse_json(text, file, max_nodes=None, malformed=_malformed)
    except DocumentError as problem:
        return Table(file=file, frame=pd.DataFrame(), rows=[], findings=[problem.finding])
    if isinstance(data, dict) and isinstance(data.get("volunteers"), list):
        data = data["volunteers"]
    if not isinstance(data, list):
        return _failed(file, "input.register.json_not_a_list")
    return table_from_records(data, file)


def _malformed(file: str, problem: json.JSONDecodeError) -> Finding:
    return Finding(file=file, row=problem.lineno, code="input.register.bad_json",
                   params={"problem": problem.msg, "line": problem.lineno, "column": problem.colno})


# ----------------------------------------------------------------------------- cells and grids


def cell_text(value: object) -> str:
    """A cell value as the text a coordinator sees; numbers stored by Excel lose their `.0`.

    `13912345678.0` -> `13912345678`, `1.1e17` -> `110000000000000000`, a date -> `1958-03-12`,
    a JSON list -> its items joined by `;`, empty or NaN -> ``.
    """
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, (list, tuple, set, frozenset)):
        return ";".join(cell_text(item) for item in value)
    if hasattr(value, "item"):  # numpy scalars from DataFrames
        return cell_text(value.item())
    return str(value)


def _from_grid(file: str, grid: list[list[str]]) -> Table:
    """A table from rows of text (`grid[i]` is spreadsheet row i + 1): find the header row, keep
    the non-empty rows below it."""
    filled = [(number, row) for number, row in enumerate(grid, start=1) if any(cell.strip() for cell in row)]
    if not filled:
        return _failed(file, EMPTY_REGISTER)
    at = _header_index([row for _, row in filled[:HEADER_SCAN_ROWS]])
    header_row, header = filled[at]
    body, skipped = [], []
    for number, row in filled[at + 1:]:
        kind = row_kind(row)
        if kind is None:
            body.append((number, row))
        else:
            skipped.append((number, kind, first_word(row)))
    width = max(len(row) for _, row in filled[at:])
    columns = [_header_text(cell) for cell in header] + [""] * (width - len(header))
    frame = pd.DataFrame([row + [""] * (width - len(row)) for _, row in body], columns=range(width), dtype=object)
    frame.columns = columns
    table = _finish(file, frame, rows=[number for number, _ in body], header_row=header_row)
    return replace(table, skipped=skipped) if skipped else table


def _header_index(grid: list[list[str]]) -> int:
    """The row among the first few that names the most known register columns (first on ties)."""
    scores = [sum(header_key(cell) in KNOWN_HEADERS for cell in row) for row in grid]
    return scores.index(max(scores))


def _finish(file: str, frame: pd.DataFrame, rows: list[int], header_row: int,
            findings: list[Finding] | None = None) -> Table:
    """Drop columns without a header (nothing can refer to them), refuse hostile cells, finish the table."""
    keep = [bool(str(column)) for column in frame.columns]
    frame = frame.loc[:, keep]
    hostile, untrusted = _hostile_cells(file, frame, rows, header_row)
    return Table(file=file, frame=frame, rows=rows, findings=(findings or []) + hostile, header_row=header_row,
                 untrusted=untrusted)


def _hostile_cells(file: str, frame: pd.DataFrame, rows: list[int], header_row: int
                   ) -> tuple[list[Finding], frozenset[int]]:
    """Headers and cells holding a control character or far too much text, in every column (also the
    ignored ones): a finding each, and those rows are read no further. Column by column, so that a
    big register costs a few vectorised scans."""
    findings, untrusted = [], set()
    for header in frame.columns:
        character = control_character(str(header))
        if character is not None:
            findings.append(Finding(file=file, row=header_row or None, column=CONTROL.sub("?", str(header)),
                                    code="input.control.header", params={"character": code(character)}))
    for position, header in enumerate(frame.columns):
        cells = frame.iloc[:, position].astype(str)
        if _plain_cells(cells.tolist()):
            continue
        odd = cells.str.contains(CONTROL.pattern, regex=True) | (cells.str.len() > MAX_CELL_CHARACTERS)
        for index in odd[odd].index:
            text = cells.iat[index]
            if len(text) > MAX_CELL_CHARACTERS:
                what, params = "input.register.cell_too_long", {"n": f"{len(text):,}", "most": f"{MAX_CELL_CHARACTERS:,}"}
            else:
                character = control_character(text)
                assert character is not None  # the cell is not too long, so it holds one
                what, params = "input.control.cell", {"character": code(character)}
            findings.append(Finding(file=file, row=rows[index], column=str(header), value=CONTROL.sub("?", text[:80]),
                                    code=what, params=params))
            untrusted.add(rows[index])
    findings.sort(key=lambda finding: finding.row or 0)
    return findings, frozenset(untrusted)


def _plain_cells(cells: list[str]) -> bool:
    """No cell holds a control character or far too much text: one scan of the column's text
    (line feeds, which join the cells, are no control character to `CONTROL`)."""
    return max(map(len, cells), default=0) <= MAX_CELL_CHARACTERS and CONTROL.search("\n".join(cells)) is None


def _header_text(header: object) -> str:
    """A header as written, without surrounding spaces (full-width spaces too)."""
    return "" if header is None else str(header).strip()


def _failed(file: str, code: str, **params: object) -> Table:
    return Table(file=file, frame=pd.DataFrame(), rows=[], findings=[Finding(file=file, code=code, params=params)])


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"
