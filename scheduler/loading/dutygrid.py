"""Reading the duty grid (值勤表) of roster.xlsx back: the names a coordinator typed into its cells.

The workbook's first sheet is the one a coordinator prints and edits: a row per post and time
(岗位, 时间), a column per date, the names of the people on duty in the cells (see
`scheduler.io.writers.duty_table`). Each cell is read against the register:

- a cell is split at 、 , ， ; ； / and line breaks; the marker of missing people (（缺1人）) is dropped;
- each part is an id (`006`, or `6` where Excel stripped the zeros), `name（id）`, or a name;
- a cell naming just the people the 安排明细 sheet lists on its shift is the sheet's (unedited);
- a name two people share is taken from the 安排明细 sheet when it has as many people of that
  name on the shift as the cell names, and is otherwise reported as ambiguous, with the fix
  (write the id); a name nobody has is reported with the register's names it resembles.

Everything found is located by sheet, row and column header, as Excel shows them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from constraints import Pair
from scheduler.domain.errors import Finding
from scheduler.domain.ids import match_id
from scheduler.domain.models import Problem, Shift
from scheduler.domain.roster import Assignment
from scheduler.render.texts import LANGUAGES, date_header, t

SEPARATORS = re.compile(r"[、,，;；/／\n\r\t]+")
WITH_ID = re.compile(r"^(?P<name>.*?)\s*[（(]\s*(?P<id>[^()（）]+?)\s*[）)]$")
MISSING = re.compile(r"[（(]\s*(缺\s*\d+\s*人|\d+\s*missing)\s*[）)]", re.IGNORECASE)
HEADER_ROWS = 5
FIX_AMBIGUOUS = "write the id instead of the name (e.g. {example}), or the name with its id in brackets"
FIX_UNKNOWN = "write the name as in the register's name (姓名) column, or the volunteer's id"


@dataclass(frozen=True)
class DutyGrid:
    """What the grid says: the (volunteer, shift) pairs in its cells, where each is, and what could not be read."""

    sheet: str
    pairs: list[Pair] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def duty_sheet_names() -> tuple[str, ...]:
    """The duty grid's sheet name in each language (值勤表, Duty roster)."""
    return tuple(t(lang, "sheet.duty") for lang in LANGUAGES)


def read_duty_grid(path: str | Path, problem: Problem, listed: Sequence[Assignment] = ()) -> DutyGrid | None:
    """The pairs the duty grid of `path` shows, read against `problem`; None when the workbook has no duty grid.

    `listed`, the assignments of the workbook's assignments sheet, settles names two people share.
    A cell that names exactly the people the sheet lists on its shift (by their names there) is
    taken as the sheet's: nothing a coordinator did not edit needs reading against the register,
    which may have changed since the week was planned.
    """
    grid, title = _sheet(Path(path))
    if grid is None:
        return None
    reader = _Reader(problem, str(path), title, list(listed))
    top = _header_row(grid)
    header = grid[top - 1] if top <= len(grid) else []
    dates = reader.dates(header, top)
    for number in range(top + 1, len(grid) + 1):
        row = grid[number - 1]
        if not any(row) or len(row) < 2:
            continue
        for index, day in dates.items():
            text = row[index] if index < len(row) else ""
            if text:
                reader.cell(number, header[index], row[0], row[1], day, text)
    return DutyGrid(sheet=title, pairs=reader.pairs, where=reader.where, findings=reader.findings)


def _sheet(path: Path) -> tuple[list[list[str]] | None, str]:
    """The duty sheet's cells as text (row 1 first), or None when the workbook has no such sheet."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        name = next((n for n in duty_sheet_names() if n in workbook.sheetnames), None)
        if name is None:
            return None, ""
        sheet = workbook[name]
        sheet.reset_dimensions()
        return [[_text(cell.value) for cell in row] for row in sheet.iter_rows()], name
    finally:
        workbook.close()


def _text(value: object) -> str:
    """A cell as the coordinator sees it; a typed number 6 is `6`, not `6.0`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFKC", str(value)).strip() if not isinstance(value, str) else value.strip()


def _header_row(grid: list[list[str]]) -> int:
    """The header row (岗位, 时间, dates …): the first whose first cell names the post column; else row 2."""
    posts = {t(lang, "duty.post") for lang in LANGUAGES}
    for number, row in enumerate(grid[:HEADER_ROWS], start=1):
        if row and row[0] in posts:
            return number
    return 2


class _Reader:
    """Reads one cell after another, collecting pairs, their places and the findings."""

    def __init__(self, problem: Problem, file: str, sheet: str, listed: list[Assignment]):
        self.problem, self.file, self.sheet = problem, file, sheet
        self.listed = {(a.volunteer, a.shift) for a in listed}
        self.on_sheet: dict[tuple[str, str, str], list[Assignment]] = {}
        for a in listed:
            self.on_sheet.setdefault((a.name, f"{a.start}-{a.end}", a.date), []).append(a)
        self.pairs: list[Pair] = []
        self.where: list[str] = []
        self.findings: list[Finding] = []
        self.shifts: dict[tuple[dt.date, str, str], list[Shift]] = {}
        for shift in problem.shifts:
            self.shifts.setdefault((shift.date, shift.name, shift.time_label), []).append(shift)
        self.by_name: dict[str, list[str]] = {}
        for volunteer in problem.volunteers:
            self.by_name.setdefault(_name_key(volunteer.name), []).append(volunteer.id)

    def dates(self, header: list[str], row: int) -> dict[int, dt.date]:
        """Column index -> date, for the header cells that name a date of the week (11-30 周一, Mon 11-30)."""
        names = {date_header(lang, day): day for lang in LANGUAGES for day in self.problem.week.dates}
        found = {}
        for index, text in enumerate(header[2:], start=2):
            day = names.get(text) or _date_in(text, self.problem.week.dates)
            if day is not None:
                found[index] = day
            elif text:
                self.findings.append(self._finding(row, text, text, "this column header is not a date of "
                                                   f"{self.problem.week.label}",
                                                   "keep the date headers as roster solve wrote them (e.g. 11-30 周一)"))
        return found

    def cell(self, row: int, column: str, post: str, time: str, day: dt.date, text: str) -> None:
        names = [part.strip() for part in SEPARATORS.split(MISSING.sub("", text)) if part.strip()]
        if not names:
            return
        unedited = self.on_sheet.get((post, time.replace(" ", ""), day.isoformat()), [])
        if unedited and Counter(map(_name_key, names)) == Counter(_name_key(a.volunteer_name) for a in unedited):
            for a in unedited:
                self.pairs.append((a.volunteer, a.shift))
                self.where.append(f"sheet '{self.sheet}', row {row}, column '{column}'")
            return
        shift = self._shift(row, column, post, time, day, text)
        if shift is None:
            return
        times = Counter(_name_key(name) for name in names)
        for name in names:
            found: str | list[str] | None
            found, problem = self._person(shift, name, times[_name_key(name)])
            if problem and len(name.split()) > 1:
                # `王敏 李强`: names parted by spaces, when every part is a name (`Xu Lihua` is one name).
                parts = [self._person(shift, part, 1) for part in name.split()]
                if all(vid for vid, _ in parts):
                    found, problem = [vid for vid, _ in parts if vid], None
            if problem:
                self.findings.append(self._finding(row, column, name, *problem))
            for vid in ([found] if isinstance(found, str) else found or []):
                self.pairs.append((vid, shift.id))
                self.where.append(f"sheet '{self.sheet}', row {row}, column '{column}'")

    def _shift(self, row: int, column: str, post: str, time: str, day: dt.date, text: str) -> Shift | None:
        """The week's shift a cell stands for: the post and time of its row on the date of its column."""
        found = self.shifts.get((day, post, time.replace(" ", "")), [])
        if len(found) == 1:
            return found[0]
        if found:
            message = f"{len(found)} shifts of the week are {post} {time} on {day}: {', '.join(s.id for s in found)}"
            fix = "give the shifts different names in the shifts file, or edit the 安排明细 sheet instead"
        else:
            message = f"there is no shift {post} {time} on {day} in {self.problem.week.label}"
            fix = "keep the post and time columns as roster solve wrote them, and names only on the dates the post has"
        self.findings.append(self._finding(row, column, text, message, fix))
        return None

    def _person(self, shift: Shift, text: str, times: int) -> tuple[str | None, tuple[str, str] | None]:
        """The volunteer id one part of a cell names, or None and (message, fix) saying why not.

        A shared name written `times` times in the cell is settled when the assignments sheet has
        exactly that many people of that name on the shift: the grid as roster solve wrote it.
        """
        named = WITH_ID.match(text)
        found = match_id(named["id"], self.problem.volunteer) if named else None
        found = found or match_id(text, self.problem.volunteer)
        if found is not None:
            return found, None
        same = self.by_name.get(_name_key(text), [])
        if len(same) == 1:
            return same[0], None
        if not same:
            close = difflib.get_close_matches(text, [v.name for v in self.problem.volunteers], n=3, cutoff=0.6)
            hint = f" (did you mean {' or '.join(close)}?)" if close else ""
            return None, (f"no volunteer named '{text}' in the register{hint}", FIX_UNKNOWN)
        on_shift = [vid for vid in same if (vid, shift.id) in self.listed]
        if len(on_shift) == times:
            return next(vid for vid in on_shift if (vid, shift.id) not in self.pairs), None
        example = f"{text}（{same[0]}）" if any(ord(ch) > 127 for ch in text) else f"{text} ({same[0]})"
        return None, (f"'{text}' is the name of {len(same)} volunteers ({', '.join(same)}); the cell does not say which",
                      FIX_AMBIGUOUS.format(example=example))

    def _finding(self, row: int, column: str, value: str, message: str, fix: str) -> Finding:
        return Finding(file=f"{self.file}, sheet '{self.sheet}'", row=row, column=column, value=value,
                       message=message, fix=fix)


def _name_key(name: str) -> str:
    """Names compared as typed, but for width (ＡＢ, full-width spaces), case and spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).casefold()


def _date_in(text: str, dates: Sequence[dt.date]) -> dt.date | None:
    """A header written another way: `2026-11-30`, `11-30`, `11/30`, `11月30日`."""
    for day in dates:
        if any(form in text for form in (day.isoformat(), day.strftime("%m-%d"), day.strftime("%m/%d"),
                                         f"{day.month}月{day.day}日")):
            return day
    return None
