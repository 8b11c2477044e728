"""Writing a finished roster: `roster.json`, `assignments.csv`, the duty table (值勤表), a workbook and a PDF.

Every output is rendered to bytes first and the files are switched as one set by `write_outputs`
(see `scheduler.io.atomic`), so a failure or a kill leaves the folder's earlier set complete, and an
earlier `roster.json` that is replaced is kept under `previous/`.
Phone numbers are never written: the Roster record does not carry them.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import math
import operator
import pickle
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import xlsxwriter

from scheduler.domain import collector
from scheduler.domain.models import Problem
from scheduler.domain.roster import ASSIGNMENT_COLUMNS, Assignment, Roster
from scheduler.io import apart, atomic
from scheduler.io.printing import (
    FOOTER_SIZE,
    LINE_SPACING,
    MARGIN,
    PT,
    TITLE_SIZE,
    DutyPage,
    Layout,
    PrintedTables,
    duty_rows,
    grid_header,
    natural_key,
    occurrence,
    printed_names,
    printed_tables,
    roster_pdf,
    tables_alike,
)
from scheduler.io.printing import minutes_of as _minutes
from scheduler.loading.csvsafe import csv_bytes
from scheduler.render.reasons import reason_texts, worded
from scheduler.render.texts import t, unmet_text, weekday

if TYPE_CHECKING:
    from scheduler.io.changes import Change

OUTPUT_FILES = ("roster.json", "assignments.csv", "duty_table.csv", "roster.xlsx", "roster.pdf")
PREVIOUS_DIR = "previous"
BOM = "\ufeff"


# ---------------------------------------------------------------- roster.json and assignments.csv


def roster_json(roster: Roster) -> str:
    """The complete record as pretty JSON: Chinese kept readable, keys in the spec's order, the reasons for
    empty seats worded in the roster's language beside their codes."""
    return json.dumps(worded(roster).model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def sorted_assignments(roster: Roster) -> list[Assignment]:
    """The assignments by date, start, shift, volunteer."""
    return sorted(roster.assignments, key=lambda a: (a.date, _minutes(a.start), a.shift, natural_key(a.volunteer)))


def assignments_csv(roster: Roster) -> bytes:
    """`assignments.csv`: one row per assignment, the spec's English headers, UTF-8 with BOM for Excel."""
    return _csv_bytes(ASSIGNMENT_COLUMNS, _assignment_rows(sorted_assignments(roster)))


_ASSIGNMENT_VALUES = operator.attrgetter(*ASSIGNMENT_COLUMNS)


def _assignment_rows(assignments: list[Assignment]) -> list[list[object]]:
    """Each assignment's values in ASSIGNMENT_COLUMNS' order: its fields as they are (what `model_dump`
    gives for these plain fields, read without building a dict per assignment)."""
    return [list(_ASSIGNMENT_VALUES(a)) for a in assignments]


def _csv_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    """Every CSV the tool writes: UTF-8 with BOM, formula-like cells neutralised (see `scheduler.loading.csvsafe`)."""
    return csv_bytes(header, rows)


# ---------------------------------------------------------------- the duty table (值勤表)


def duty_table(roster: Roster, problem: Problem, lang: str) -> pd.DataFrame:
    """The 值勤表: a row per post and time (by start, then name), a column per date, names in the cells.

    Names are separated by `、` (`, ` in English), an unfilled seat count follows as `（缺1人）`, and
    people sharing a name carry their id: `王秀英（V012）` (as `scheduler.loading.dutygrid` reads it back).
    """
    names = printed_names(roster, problem, lang, buildings=False)
    rows = [[row.post, row.time, *(cell.text(lang) for cell in row.cells)]
            for row in duty_rows(roster, problem, lang, names)]
    return pd.DataFrame(rows, columns=grid_header(problem, lang), dtype=object)


def duty_table_csv(roster: Roster, problem: Problem, lang: str) -> bytes:
    """`duty_table.csv`: the 值勤表 as CSV, UTF-8 with BOM."""
    table = duty_table(roster, problem, lang)
    return _csv_bytes(list(table.columns), table.values.tolist())


# ---------------------------------------------------------------- the workbook

MAX_WIDTH = 40
LINE_HEIGHT = 15  # points per line of 11-point text in the list sheets
EXCEL_DPI_WIDTH = 96 / 25.4  # Excel's column widths are counted in pixels of a 96 dpi screen


def display_width(text: object) -> int:
    """How many columns a text takes in a cell: Chinese characters count twice; the longest line counts."""
    return _text_width(str(text if text is not None else ""))


@lru_cache(maxsize=1 << 16)
def _text_width(text: str) -> int:
    if text.isascii() and "\n" not in text:
        return len(text)
    lines = text.splitlines() or [""]
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in lines)


def fitted_widths(header: list[str], rows: list[list[object]]) -> list[int]:
    """Column widths that fit each column's longest line, capped so that long texts wrap instead."""
    return [min(MAX_WIDTH, max(display_width(text), _widest(column)) + 2)
            for text, column in zip(header, _columns(header, rows))]


def _columns(header: list[str], rows: list[list[object]]) -> list[tuple[object, ...]]:
    """The rows' values column by column."""
    return list(zip(*rows)) if rows else [() for _ in header]


def _widest(values: tuple[object, ...]) -> int:
    """The display width of a column's widest value, measuring each distinct text once (a week's lists
    repeat the same dates, times, posts and names thousands of times)."""
    distinct = set(values)
    if all(value.__class__ is str for value in distinct):
        return max(map(_text_width, distinct), default=0)  # all str, checked above
    return max(map(display_width, values), default=0)  # numbers: 1 and 1.0 are one in a set, not in print


def _lines(value: object, width: int) -> int:
    """How many printed lines a value takes in a column `width` wide once wrapped."""
    text = str(value if value is not None else "")
    return sum(max(1, -(-display_width(line) // max(1, width))) for line in (text.splitlines() or [""]))


def excel_width(mm: float) -> float:
    """An Excel column width (characters of the default font) that prints at most `mm` wide.

    Excel draws a column of width w in 7 × w + 5 pixels of a 96 dpi screen; whole pixels, rounded
    down, so that the columns together never outgrow the page.
    """
    return max(1.0, (math.floor(mm * EXCEL_DPI_WIDTH) - 5) / 7)


class _Styles:
    """The workbook's cell formats, made once (XlsxWriter shares a format object between cells)."""

    def __init__(self, book, grid_size: float):
        border = {"border": 1, "border_color": "#808080"}
        self.header = book.add_format({**border, "bold": True, "bg_color": "#DDEBF7", "text_wrap": True,
                                       "align": "center", "valign": "vcenter"})
        self.body = book.add_format({**border, "text_wrap": True, "valign": "top"})
        self.title = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        grid = {**border, "text_wrap": True, "valign": "top", "font_size": grid_size}
        self.grid_header = book.add_format({**grid, "bold": True, "bg_color": "#DDEBF7", "align": "center",
                                            "valign": "vcenter"})
        self.grid = book.add_format(grid)
        self.grid_time = book.add_format({**grid, "align": "center"})
        self.grid_missing = book.add_format({**grid, "bg_color": "#D9D9D9", "bold": True})


def _write(ws, row: int, column: int, value: object, style) -> None:
    """One cell as data: text stays text (a name starting with `=` never becomes a formula), numbers numbers."""
    if value is None or value == "":
        ws.write_blank(row, column, None, style)
    elif isinstance(value, bool):
        ws.write_boolean(row, column, value, style)
    elif isinstance(value, (int, float)):
        ws.write_number(row, column, value, style)
    else:
        ws.write_string(row, column, str(value), style)


def _write_rows(ws, first: int, rows: list[list[object]], style) -> None:
    """Rows of cells from row `first` on, each as `_write` writes it.

    Texts, nearly every cell of a week's lists, go straight to `write_string`: on 45,000
    assignments the one call less per cell is a good part of the sheet's time.
    """
    write_string = ws.write_string
    for r, values in enumerate(rows, start=first):
        for column, value in enumerate(values):
            if value.__class__ is str and value:
                write_string(r, column, value, style)
            else:
                _write(ws, r, column, value, style)


def _table(ws, styles: _Styles, header: list[str], rows: list[list[object]]) -> None:
    """A bordered table with a bold, filled header row, wrapped cells, fitted widths and row heights."""
    widths = fitted_widths(header, rows)
    for column, (text, width) in enumerate(zip(header, widths)):
        _write(ws, 0, column, text, styles.header)
        ws.set_column(column, column, width)
    # Excel does not grow rows for wrapped text in a generated file; size them so nothing is cut off in print.
    ws.set_row(0, LINE_HEIGHT * max(_lines(text, width - 2) for text, width in zip(header, widths)))
    _write_rows(ws, 1, rows, styles.body)
    # Only a column whose widest text was capped, or that has line breaks, can make a row taller.
    columns = _columns(header, rows)
    wrapping = [i for i, width in enumerate(widths) if width == MAX_WIDTH or _has_breaks(columns[i])]
    for r, values in enumerate(rows, start=1):
        lines = max([_lines(values[i], widths[i] - 2) for i in wrapping], default=1)
        if lines > 1:
            ws.set_row(r, LINE_HEIGHT * lines)
    ws.freeze_panes(1, 0)


def _has_breaks(values: tuple[object, ...]) -> bool:
    """Whether a column's texts have a line break: each distinct text looked at once."""
    return any("\n" in value for value in set(values) if isinstance(value, str))


def _duty_sheet(ws, styles: _Styles, page: DutyPage, plan: Layout, lang: str) -> None:
    """A printed 值勤表: the title, then the grid, laid out as `scheduler.io.printing` lays out the PDF page.

    A cell's names are separated by `、` within a line and by a line break between lines.

    The grid's font, column widths and row heights are the PDF's, so the sheet prints at 100 % on
    one A4 landscape page (fitted to the page's width); a week too big for one page breaks where
    the PDF does, repeating the title and header rows.
    """
    columns = len(page.header)
    ws.merge_range(0, 0, 0, columns - 1, page.title, styles.title)
    ws.set_row(0, TITLE_SIZE * LINE_SPACING + 4)
    for column, text in enumerate(page.header):
        _write(ws, 1, column, text, styles.grid_header)
    ws.set_row(1, plan.header_height / PT)
    for column, width in enumerate(plan.widths):
        ws.set_column(column, column, excel_width(width))
    # The day cells carry the layout's own line breaks, so that Excel and LibreOffice break where the
    # PDF does instead of wrapping by character (a name split, a `、` starting a line). Post and time
    # stay as written, for reading back.
    printed = [[row.post, row.time, *("\n".join(lines) for lines in row_lines[2:])]
               for row, row_lines in zip(page.rows, plan.lines)]
    for r, (row, texts) in enumerate(zip(page.rows, printed), start=2):
        styles_of = [styles.grid, styles.grid_time] + [styles.grid_missing if cell.missing else styles.grid
                                                       for cell in row.cells]
        for column, (text, style) in enumerate(zip(texts, styles_of)):
            _write(ws, r, column, text, style)
        ws.set_row(r, plan.row_heights[r - 2] / PT)
    ws.freeze_panes(2, 2)  # names and times stay in view while scrolling through the week
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # one page wide, as many down as the breaks say
    ws.repeat_rows(0, 1)
    ws.center_horizontally()
    margin = MARGIN / 25.4
    ws.set_margins(left=margin, right=margin, top=margin, bottom=margin + 0.1)
    ws.set_h_pagebreaks([2 + part.start for part in plan.pages[1:]])
    footer = f"&L&{FOOTER_SIZE:g}{_footer_text(page.footer_left)}&C&{FOOTER_SIZE:g}" \
             f"{_footer_text(t(lang, 'print.page', page='&P', pages='&N'))}&R&{FOOTER_SIZE:g}" \
             f"{_footer_text(page.footer_right)}"
    ws.set_footer(footer, {"margin": 0.1})


def _footer_text(text: str) -> str:
    """A text for Excel's page footer, where `&` starts a code: a literal one is written `&&`."""
    return text.replace("&", "&&").replace("&&P", "&P").replace("&&N", "&N")


def _assignments_sheet(ws, styles: _Styles, roster: Roster, lang: str) -> None:
    """Every assignment, with the weekday added after the date; the attendance column is filled in afterwards."""
    columns = ASSIGNMENT_COLUMNS[:3] + ["weekday"] + ASSIGNMENT_COLUMNS[3:]
    weekdays: dict[str, str] = {}  # by date: a week has seven
    rows = []
    for values in _assignment_rows(sorted_assignments(roster)):
        date = str(values[2])
        if date not in weekdays:
            weekdays[date] = _weekday_of(lang, date)
        rows.append([*values[:3], weekdays[date], *values[3:]])
    _table(ws, styles, [t(lang, f"col.{c}") for c in columns], rows)


def _unfilled_sheet(ws, styles: _Styles, roster: Roster, problem: Problem, lang: str) -> None:
    """Each short shift, what is missing and why (one reason per line)."""
    columns = ["shift", "name", "date", "weekday", "time", "need", "assigned", "missing", "unmet", "reasons"]
    rows = []
    for u in roster.unfilled:
        shift = problem.shift.get(u.shift)
        name = u.name or (shift.name if shift else "")
        date = u.date or (shift.date.isoformat() if shift else occurrence(u.shift, "")[1])
        time = f"{u.start}-{u.end}" if u.start else (shift.time_label if shift else "")
        rows.append([u.shift, name, date, _weekday_of(lang, date), time, u.need, u.assigned, u.missing,
                     unmet_text(lang, u.unmet), "\n".join(reason_texts(u, lang))])
    _table(ws, styles, [t(lang, f"col.{c}") for c in columns], rows)


def _load_sheet(ws, styles: _Styles, roster: Roster, lang: str) -> None:
    """Shifts and hours per volunteer, and how many shifts each could have taken."""
    columns = ["volunteer", "name", "shifts", "hours", "offered"]
    loads = sorted(roster.volunteers, key=lambda v: natural_key(v.volunteer))
    rows = [[v.volunteer, v.name, v.shifts, v.hours, v.offered] for v in loads]
    headers = [t(lang, "col.volunteer_name") if c == "name" else t(lang, f"col.{c}") for c in columns]
    _table(ws, styles, headers, rows)


def _weekday_of(lang: str, iso: str) -> str:
    """The weekday of an ISO date string, empty when it is not one."""
    try:
        return weekday(lang, dt.date.fromisoformat(iso))
    except ValueError:
        return ""


def roster_xlsx(roster: Roster, problem: Problem, lang: str, printed: dt.date | None = None,
                tables: PrintedTables | None = None) -> bytes:
    """`roster.xlsx`: the printable duty table(s), the assignments, the unfilled shifts and the load per person.

    Written with XlsxWriter, which streams the sheets out (45,000 assignments in a few seconds).
    `tables`: the workbook's `printed_tables` (namesakes told apart by id) when the caller has them.
    """
    buffer = io.BytesIO()
    with collector.paused():
        tables = tables or printed_tables(roster, problem, lang, printed, buildings=False)
        _fill_workbook(buffer, roster, problem, lang, tables)
    return buffer.getvalue()


def _fill_workbook(buffer: io.BytesIO, roster: Roster, problem: Problem, lang: str, tables: PrintedTables) -> None:
    pages, plans = tables.pages, tables.plans
    with xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                      "strings_to_urls": False}) as book:
        styles = _Styles(book, plans[0].font_size if plans else 11)
        for page, plan in zip(pages, plans):
            if plan.font_size != styles.grid.font_size:
                styles = _Styles(book, plan.font_size)
            _duty_sheet(book.add_worksheet(page.sheet), styles, page, plan, lang)
        _assignments_sheet(book.add_worksheet(t(lang, "sheet.assignments")), styles, roster, lang)
        _unfilled_sheet(book.add_worksheet(t(lang, "sheet.unfilled")), styles, roster, problem, lang)
        _load_sheet(book.add_worksheet(t(lang, "sheet.load")), styles, roster, lang)


# ---------------------------------------------------------------- writing the folder


def renderers(tables: dict[str, PrintedTables] | None = None) -> dict[str, Callable[[Roster, Problem, str], bytes]]:
    """The function rendering each output file, by file name, in the order of OUTPUT_FILES; each runs with
    the cycle collector paused (`scheduler.domain.collector`: a workbook's cells, the PDF's drawing and the
    JSON's dicts are many small objects without cycles, and collecting them over and over took a third of
    the workbook's time on 45,000 assignments). `tables`: the printed tables already laid out, by file (`shared_tables`)."""
    tables = tables or {}
    render: dict[str, Callable[[Roster, Problem, str], bytes]] = {
        "roster.json": lambda roster, problem, lang: roster_json(roster).encode("utf-8"),
        "assignments.csv": lambda roster, problem, lang: assignments_csv(roster),
        "duty_table.csv": duty_table_csv,
        "roster.xlsx": functools.partial(roster_xlsx, tables=tables.get("roster.xlsx")),
        "roster.pdf": functools.partial(roster_pdf, tables=tables.get("roster.pdf")),
    }
    return {name: collector.paused()(write) for name, write in render.items()}


def shared_tables(roster: Roster, problem: Problem, lang: str) -> dict[str, PrintedTables]:
    """The workbook's printed tables laid out, for the PDF too when it prints the same names (`tables_alike`):
    the layout of a 20,000-volunteer week takes a second, once instead of twice."""
    workbook = printed_tables(roster, problem, lang, buildings=False)
    return {"roster.xlsx": workbook, **({"roster.pdf": workbook} if tables_alike(roster, problem) else {})}


APART_FILES = ("roster.json", "assignments.csv", "duty_table.csv", "roster.pdf")
"""The files a large week renders in a process of its own (`scheduler.io.apart`), one after the other,
while this process renders the workbook: on a 20,000-volunteer week the workbook alone takes longer
than all of them together, and it is fastest where the roster already is (a forked child first pays
for copying the memory it touches). Measured with `benchmarks/outputs.py --apart`: two cores are
used to the full, where a process each for the workbook and the PDF made the workbook share a core."""

APART_FROM_SEATS = 2000
"""A week of at least this many seats renders APART_FILES side by side with the workbook. Measured with
`benchmarks/outputs.py --apart` on 2 cores, when the workbook and the PDF had a child each: 149 seats
0.30 s in one process, 0.33 s apart; 685 seats 0.40 s against 0.36 s; 2,248 seats 0.63 s against
0.52 s; 9,022 seats 1.86 s against 1.04 s. Below the threshold the gain is too small to be worth the
second process on a busy machine. At 45,061 seats (20,000 volunteers), 8.3 s in one process against
6.2 s apart at load average 2.4 (the earlier arrangement: 10.6 s against 11.9 s)."""


def render_outputs(roster: Roster, problem: Problem, lang: str, apart_from: int | None = None) -> dict[str, bytes]:
    """Every output file's bytes by file name; nothing touches the disk.

    With `apart_from`, a week of at least that many seats renders APART_FILES (all but the
    workbook) in a child process while this one renders the workbook (where processes can be
    forked): the same bytes, sooner on a machine with two cores or more.
    """
    with collector.paused():
        render = renderers(shared_tables(roster, problem, lang))  # before the child starts: it shares them
    seats = sum(shift.need for shift in problem.shifts)
    away = APART_FILES if apart_from is not None and seats >= apart_from and apart.available() else ()
    jobs = {", ".join(away): functools.partial(_rendered_together, {name: render[name] for name in away},
                                               roster, problem, lang)} if away else {}
    with apart.rendering(jobs) as collect:
        files = {name: write(roster, problem, lang) for name, write in render.items() if name not in away}
        for together in collect().values():
            files |= pickle.loads(together)  # our own child's bytes, as `apart` sends its errors
    return {name: files[name] for name in render}


def _rendered_together(renders: dict[str, Callable[[Roster, Problem, str], bytes]], roster: Roster,
                       problem: Problem, lang: str) -> bytes:
    """Several files rendered one after the other, for one child to send back: their bytes by name."""
    return pickle.dumps({name: write(roster, problem, lang) for name, write in renders.items()})


SET_FILES = (*OUTPUT_FILES, "changes.csv")
"""Every file that belongs to a week's set: they are switched together, and one a new set lacks disappears."""


def write_outputs(roster: Roster, problem: Problem, out_dir: Path, lang: str,
                  changes: list[Change] | None = None, apart_from: int | None = APART_FROM_SEATS) -> list[Path]:
    """Write the output files (and `changes.csv` when `changes` is a list) into `out_dir` as one set.

    Everything is rendered first (the workbook and the PDF of a week of `apart_from` seats or
    more in processes of their own, see `render_outputs`); then `scheduler.io.atomic.commit`
    switches the whole set in one atomic step, so a failure or a kill at any instant leaves the
    earlier set complete. The earlier roster.json is filed under `previous/` in the same step,
    when the roster really changed (`same_roster`). Returns the written paths, OUTPUT_FILES' first.
    """
    files = render_outputs(roster, problem, lang, apart_from)
    if changes is not None:
        from scheduler.io.changes import CHANGES_FILE, changes_csv  # changes.py builds on this module

        files[CHANGES_FILE] = changes_csv(changes, lang)
    return atomic.commit(Path(out_dir), files, members=SET_FILES, backup="roster.json", same=same_roster)


def same_roster(old: bytes, new: bytes) -> bool:
    """Two roster.json texts that differ at most in when and how they were made (`generated_at`, `solver`,
    and `replan`, which names the roster it started from).

    A re-run that plans the same roster keeps no backup of it; a backup that cannot be read as a
    roster is always kept.
    """
    try:
        before, after = json.loads(old.decode("utf-8-sig")), json.loads(new.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return old == new
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return before == after
    volatile = ("generated_at", "solver", "replan")
    return {k: v for k, v in before.items() if k not in volatile} == {k: v for k, v in after.items() if k not in volatile}


def keep_previous(out_dir: Path, new_json: bytes) -> Path | None:
    """Copy an existing roster.json to `previous/roster-<YYYYmmddTHHMMSS>.json`, complete or not at all.

    The time stamp is when that roster was written (the file's modification time); a counter is
    added when the name is taken. Nothing is copied when there is no earlier roster or it is the
    same roster as the new one. `write_outputs` does this itself, in the same step as the switch.
    """
    current = Path(out_dir) / "roster.json"
    if not current.is_file() or same_roster(current.read_bytes(), new_json):
        return None
    stamp = dt.datetime.fromtimestamp(current.stat().st_mtime).strftime("%Y%m%dT%H%M%S")
    return atomic.file_under_previous(out_dir, f"roster-{stamp}.json", current.read_bytes())


ensure_writable = atomic.ensure_writable
