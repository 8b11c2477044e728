"""Writing a finished roster: `roster.json`, `assignments.csv`, the duty table (值勤表) and a workbook.

Every output is rendered to bytes first and the files are switched as one set by `write_outputs`
(see `scheduler.atomic`), so a failure or a kill leaves the folder's earlier set complete, and an
earlier `roster.json` that is replaced is kept under `previous/`.
Phone numbers are never written: the Roster record does not carry them.
"""

from __future__ import annotations

from copy import copy
import datetime as dt
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from scheduler import atomic
from scheduler.csvsafe import csv_bytes
from scheduler.models import Problem, clock
from scheduler.roster import ASSIGNMENT_COLUMNS, Assignment, Roster
from scheduler.texts import date_header, t, unmet_text, weekday

if TYPE_CHECKING:
    from scheduler.changes import Change

OUTPUT_FILES = ("roster.json", "assignments.csv", "duty_table.csv", "roster.xlsx")
PREVIOUS_DIR = "previous"
BOM = "\ufeff"


# ---------------------------------------------------------------- roster.json and assignments.csv


def roster_json(roster: Roster) -> str:
    """The complete record as pretty JSON: Chinese kept readable, keys in the spec's order."""
    return json.dumps(roster.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def natural_key(text: str) -> tuple:
    """Sort key that orders `V2` before `V10` and keeps `007` apart from `7`."""
    return tuple((0, int(part), part) if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text))


def sorted_assignments(roster: Roster) -> list[Assignment]:
    """The assignments by date, start, shift, volunteer."""
    return sorted(roster.assignments, key=lambda a: (a.date, _minutes(a.start), a.shift, natural_key(a.volunteer)))


def assignments_csv(roster: Roster) -> bytes:
    """`assignments.csv`: one row per assignment, the spec's English headers, UTF-8 with BOM for Excel."""
    rows = [a.model_dump(include=set(ASSIGNMENT_COLUMNS)) for a in sorted_assignments(roster)]
    return _csv_bytes(ASSIGNMENT_COLUMNS, [[row[c] for c in ASSIGNMENT_COLUMNS] for row in rows])


def _csv_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    """Every CSV the tool writes: UTF-8 with BOM, formula-like cells neutralised (see `scheduler.csvsafe`)."""
    return csv_bytes(header, rows)


def _minutes(text: str) -> int:
    """`07:00` -> 420, so that a hand-edited `7:00` still sorts before `10:00`; unreadable sorts last."""
    hours, _, minutes = text.partition(":")
    try:
        return int(hours) * 60 + int(minutes or 0)
    except ValueError:
        return 24 * 60 + 1


# ---------------------------------------------------------------- the duty table (值勤表)


@dataclass
class _Post:
    """One row of the duty table: a shift definition and the dates it occurs on."""

    name: str
    start: str
    end: str
    dates: set[str] = field(default_factory=set)

    @property
    def time(self) -> str:
        return f"{self.start}-{self.end}"


def _occurrence(shift: str, date: str) -> tuple[str, str]:
    """(definition id, ISO date) of a shift id `<definition>@<date>`; a bare id falls back to `date`."""
    definition, at, day = shift.rpartition("@")
    return (definition, day) if at else (shift, date)


def _posts(roster: Roster, problem: Problem) -> dict[str, _Post]:
    """The duty table's rows by definition id, from the week's shifts and whatever the roster names."""
    posts: dict[str, _Post] = {}
    for shift in problem.shifts:
        spec = shift.definition
        posts.setdefault(spec.id, _Post(spec.name, clock(spec.start), clock(spec.end))).dates.add(shift.date.isoformat())
    # A hand-edited roster may name shifts the problem no longer has: they keep a row, nothing is hidden.
    for item in [*roster.assignments, *roster.unfilled]:
        definition, day = _occurrence(item.shift, item.date)
        posts.setdefault(definition, _Post(item.name or definition, item.start, item.end)).dates.add(day)
    return posts


def _cells(roster: Roster, problem: Problem, lang: str) -> dict[tuple[str, str], str]:
    """The text of each occupied cell by (definition id, date): names by volunteer id, then what is missing."""
    people: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for a in roster.assignments:
        known = problem.volunteer.get(a.volunteer)
        name = a.volunteer_name or (known.name if known else a.volunteer)
        people.setdefault(_occurrence(a.shift, a.date), []).append((a.volunteer, name))
    missing = {_occurrence(u.shift, u.date): u.missing for u in roster.unfilled if u.missing > 0}
    cells = {}
    for key in people.keys() | missing.keys():
        parts = [name for _, name in sorted(people.get(key, []), key=lambda p: natural_key(p[0]))]
        if key in missing:
            parts.append(t(lang, "duty.missing", n=missing[key]))
        cells[key] = t(lang, "join.names").join(parts)
    return cells


def duty_table(roster: Roster, problem: Problem, lang: str) -> pd.DataFrame:
    """The 值勤表: a row per post and time (by start, then name), a column per date, names in the cells."""
    posts = _posts(roster, problem)
    cells = _cells(roster, problem, lang)
    dates = problem.week.dates
    order = sorted(posts, key=lambda d: (_minutes(posts[d].start), posts[d].name, d))
    rows = []
    for definition in order:
        post = posts[definition]
        row = [post.name, post.time]
        for day in dates:
            iso = day.isoformat()
            # A date the shift does not occur on stays empty; an occurrence nobody fills shows what is missing.
            row.append(cells.get((definition, iso), "") if iso in post.dates else "")
        rows.append(row)
    columns = [t(lang, "duty.post"), t(lang, "duty.time")] + [date_header(lang, day) for day in dates]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def duty_table_csv(roster: Roster, problem: Problem, lang: str) -> bytes:
    """`duty_table.csv`: the 值勤表 as CSV, UTF-8 with BOM."""
    table = duty_table(roster, problem, lang)
    return _csv_bytes(list(table.columns), table.values.tolist())


# ---------------------------------------------------------------- the workbook

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(bold=True, size=14)
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, horizontal="center", vertical="center")
MAX_WIDTH = 40
LINE_HEIGHT = 16


def display_width(text: object) -> int:
    """How many columns a text takes in a cell: Chinese characters count twice; the longest line counts."""
    lines = str(text if text is not None else "").splitlines() or [""]
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in lines)


def _set(ws, row: int, column: int, value: object):
    """Write one cell as data: a name starting with `=` must stay text, never become a formula."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def fitted_widths(header: list[str], rows: list[list[object]]) -> list[int]:
    """Column widths that fit each column's longest line, capped so that long texts wrap instead."""
    return [min(MAX_WIDTH, max(display_width(v) for v in [text, *(row[i] for row in rows)]) + 2)
            for i, text in enumerate(header)]


def _table(ws, header: list[str], rows: list[list[object]], first_row: int = 1, widths: list[int] | None = None) -> None:
    """A bordered table with a bold, filled header row, wrapped cells, fitted widths and row heights."""
    for column, text in enumerate(header, start=1):
        cell = _set(ws, first_row, column, text)
        cell.font, cell.fill, cell.border, cell.alignment = HEADER_FONT, HEADER_FILL, BORDER, HEADER_ALIGN
    body_style = None
    for r, values in enumerate(rows, start=first_row + 1):
        for column, value in enumerate(values, start=1):
            cell = _set(ws, r, column, value)
            if body_style is None:
                cell.border, cell.alignment = BORDER, WRAP
                body_style = cell._style
            else:
                # Copying the first cell's style record is much faster than setting border and
                # alignment on every cell (openpyxl hashes style objects on each assignment).
                cell._style = copy(body_style)
    widths = widths or fitted_widths(header, rows)
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    # Excel does not grow rows for wrapped text in a generated file; size them so nothing is cut off in print.
    for r, values in enumerate([header, *rows], start=first_row):
        lines = max(_lines(value, width - 2) for value, width in zip(values, widths))
        ws.row_dimensions[r].height = LINE_HEIGHT * max(1, lines)
    ws.freeze_panes = ws.cell(row=first_row + 1, column=1)


def _lines(value: object, width: int) -> int:
    """How many printed lines a value takes in a column `width` wide once wrapped."""
    text = str(value if value is not None else "")
    return sum(max(1, -(-display_width(line) // max(1, width))) for line in (text.splitlines() or [""]))


def _place(problem: Problem) -> str:
    """The community's name for titles: the problem folder's name when the inputs came from one."""
    for source in problem.sources.values():
        folder = Path(source.path).parent.name
        if folder:
            return folder
    return ""


def _duty_sheet(ws, roster: Roster, problem: Problem, lang: str) -> None:
    """Sheet 1: the duty table under a title, set up to print on A4 landscape, one page wide."""
    table = duty_table(roster, problem, lang)
    week = problem.week
    title = t(lang, "duty.title", week=week.label, start=week.monday.isoformat(), end=week.sunday.isoformat())
    place = _place(problem)
    heading = _set(ws, 1, 1, f"{place} {title}" if place else title)
    heading.font, heading.alignment = TITLE_FONT, Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(table.columns))
    ws.row_dimensions[1].height = 24
    header, rows = list(table.columns), table.values.tolist()
    widths = fitted_widths(header, rows)
    # Every day gets the same width: a posted week reads as an even grid.
    widths[2:] = [max(widths[2:])] * len(widths[2:])
    _table(ws, header, rows, first_row=2, widths=widths)
    ws.freeze_panes = "C3"  # names and times stay in view while scrolling through the week
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # without it Excel ignores fitToWidth
    ws.print_title_rows = "1:2"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4


def _assignments_sheet(ws, roster: Roster, lang: str) -> None:
    """Sheet 2: every assignment, with the weekday added after the date."""
    columns = ASSIGNMENT_COLUMNS[:3] + ["weekday"] + ASSIGNMENT_COLUMNS[3:]
    rows = []
    for a in sorted_assignments(roster):
        values = a.model_dump()
        values["weekday"] = _weekday_of(lang, a.date)
        rows.append([values[c] for c in columns])
    _table(ws, [t(lang, f"col.{c}") for c in columns], rows)


def _unfilled_sheet(ws, roster: Roster, problem: Problem, lang: str) -> None:
    """Sheet 3: each short shift, what is missing and why (one reason per line)."""
    columns = ["shift", "name", "date", "weekday", "time", "need", "assigned", "missing", "unmet", "reasons"]
    rows = []
    for u in roster.unfilled:
        shift = problem.shift.get(u.shift)
        name = u.name or (shift.name if shift else "")
        date = u.date or (shift.date.isoformat() if shift else _occurrence(u.shift, "")[1])
        time = f"{u.start}-{u.end}" if u.start else (shift.time_label if shift else "")
        rows.append([u.shift, name, date, _weekday_of(lang, date), time, u.need, u.assigned, u.missing,
                     unmet_text(lang, u.unmet), "\n".join(u.reasons)])
    _table(ws, [t(lang, f"col.{c}") for c in columns], rows)


def _load_sheet(ws, roster: Roster, lang: str) -> None:
    """Sheet 4: shifts and hours per volunteer, and how many shifts each could have taken."""
    columns = ["volunteer", "name", "shifts", "hours", "offered"]
    loads = sorted(roster.volunteers, key=lambda v: natural_key(v.volunteer))
    rows = [[v.volunteer, v.name, v.shifts, v.hours, v.offered] for v in loads]
    headers = [t(lang, "col.volunteer_name") if c == "name" else t(lang, f"col.{c}") for c in columns]
    _table(ws, headers, rows)


def _weekday_of(lang: str, iso: str) -> str:
    """The weekday of an ISO date string, empty when it is not one."""
    try:
        return weekday(lang, dt.date.fromisoformat(iso))
    except ValueError:
        return ""


def roster_xlsx(roster: Roster, problem: Problem, lang: str) -> bytes:
    """`roster.xlsx`: the printable duty table, the assignments, the unfilled shifts and the load per person."""
    workbook = Workbook()
    duty = workbook.active
    duty.title = t(lang, "sheet.duty")
    _duty_sheet(duty, roster, problem, lang)
    _assignments_sheet(workbook.create_sheet(t(lang, "sheet.assignments")), roster, lang)
    _unfilled_sheet(workbook.create_sheet(t(lang, "sheet.unfilled")), roster, problem, lang)
    _load_sheet(workbook.create_sheet(t(lang, "sheet.load")), roster, lang)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- writing the folder


def render_outputs(roster: Roster, problem: Problem, lang: str) -> dict[str, bytes]:
    """Every output file's bytes by file name; nothing touches the disk."""
    return {
        "roster.json": roster_json(roster).encode("utf-8"),
        "assignments.csv": assignments_csv(roster),
        "duty_table.csv": duty_table_csv(roster, problem, lang),
        "roster.xlsx": roster_xlsx(roster, problem, lang),
    }


SET_FILES = (*OUTPUT_FILES, "roster.pdf", "changes.csv")
"""Every file that belongs to a week's set: they are switched together, and one a new set lacks disappears."""


def write_outputs(roster: Roster, problem: Problem, out_dir: Path, lang: str,
                  changes: list[Change] | None = None) -> list[Path]:
    """Write the output files (and `changes.csv` when `changes` is a list) into `out_dir` as one set.

    Everything is rendered first; then `scheduler.atomic.commit` switches the whole set in one
    atomic step, so a failure or a kill at any instant leaves the earlier set complete. The
    earlier roster.json is filed under `previous/` in the same step, when the roster really
    changed (`same_roster`). Returns the written paths, OUTPUT_FILES' first.
    """
    files = render_outputs(roster, problem, lang)
    if changes is not None:
        from scheduler.changes import CHANGES_FILE, changes_csv  # changes.py builds on this module

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
