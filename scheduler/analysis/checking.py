"""Checking a roster file a coordinator edited: which part of it was read, and where each violation is.

roster.json and assignments.csv are read as they are. In roster.xlsx the duty grid (值勤表) is
what a coordinator edits and prints, so it is what is checked; the 安排明细 sheet is read beside
it to settle names two people share, and every assignment on which the two sheets disagree is
reported, so that an edit made in the "wrong" sheet is seen, not silently dropped. A workbook
without a duty grid is checked by its 安排明细 sheet.

Ids Excel stripped of zeros (`6` for `006`) are matched to the register first (scheduler.domain.ids),
so the rules report the real violation, located by the file's row or the grid's cell.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

import constraints
from constraints import Context, Pair, Violation
from scheduler.domain.errors import InputError
from scheduler.domain.ids import with_known_ids
from scheduler.domain.models import Problem
from scheduler.domain.roster import Assignment, Roster
from scheduler.loading.dutygrid import read_duty_grid
from scheduler.loading.rosterfile import assignments_sheet_names, read_roster_rows


@dataclass(frozen=True)
class LocatedViolation:
    """A broken rule and where in the file the assignment that breaks it is (empty when no one row is to blame).

    `str()` is the English line, for logs; `scheduler.render.check_text` words it in zh or en.
    """

    violation: Violation
    where: str = ""

    def __str__(self) -> str:
        return f"{self.where}: {self.violation}" if self.where else str(self.violation)


@dataclass(frozen=True)
class Difference:
    """An assignment only one of a workbook's two sheets has: the duty grid (`in_grid`) or the assignments sheet."""

    volunteer: str
    name: str
    """The volunteer's name in the register ('' when the id is not in it)."""
    shift: str
    where: str
    """The grid's cell or the sheet's row."""
    in_grid: bool


@dataclass(frozen=True)
class RosterCheck:
    """The result of checking one roster file against every hard rule (history and locks included)."""

    file: Path
    week: str
    read: str
    """What was read: the duty grid's sheet name (值勤表), the assignments sheet's (安排明细), or the file name."""
    pairs: list[Pair]
    violations: list[LocatedViolation] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    """Assignments on which the workbook's duty grid and assignments sheet disagree (the grid was checked)."""
    compared: str = ""
    """The workbook's other sheet, read beside the duty grid (安排明细), when a grid was read."""
    locks: Path | None = None
    history: tuple[str, ...] = ()
    language: str = "zh"
    """The rules file's language: what `roster check` speaks unless told otherwise."""

    @property
    def ok(self) -> bool:
        return not self.violations


def check_roster_file(problem: Problem, path: str | Path, context: Context,
                      locks: Path | None = None) -> RosterCheck:
    """Check `path` (roster.json, assignments.csv or roster.xlsx) for `problem` in `context`.

    Raises InputError when the duty grid names someone it cannot match to one volunteer.
    """
    path = Path(path)
    listed, rows = read_roster_rows(path)
    listed = with_known_ids(listed, problem.volunteer)
    sheet_pairs = listed.pairs()
    read, pairs, where, differences, compared = path.name, sheet_pairs, rows, [], ""
    if path.suffix.lower() == ".xlsx":
        read = _sheet_read(path)
        grid = read_duty_grid(path, problem, listed.assignments)
        if grid is not None:
            if grid.findings:
                raise InputError(grid.findings)
            differences = _differences(problem, grid.pairs, grid.where, sheet_pairs, rows)
            read, pairs, where, compared = grid.sheet, grid.pairs, grid.where, read
    located = _located(constraints.check(problem, pairs, context), pairs, where)
    return RosterCheck(file=path, week=problem.week.label, read=read, pairs=pairs, violations=located,
                       differences=differences, compared=compared, locks=locks, history=context.history.weeks,
                       language=problem.rules.language)


def _sheet_read(path: Path) -> str:
    """The name of the workbook's assignments sheet (安排明细 or Assignments), as the reader picks it."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return next((n for n in assignments_sheet_names() if n in workbook.sheetnames), workbook.sheetnames[0])
    finally:
        workbook.close()


def _located(violations: list[Violation], pairs: list[Pair], where: list[str]) -> list[LocatedViolation]:
    """Each violation with the place of its assignment (or, for a whole shift, of the shift's first one)."""
    by_pair: dict[tuple[str, str | None], str] = {}
    by_shift: dict[str, str] = {}
    for pair, place in zip(pairs, where):
        by_pair.setdefault(pair, place)
        by_shift.setdefault(pair[1], place)
    located = []
    for v in violations:
        place = by_pair.get((v.volunteer, v.shift), "") if v.volunteer else by_shift.get(v.shift or "", "")
        located.append(LocatedViolation(v, place))
    return located


def _differences(problem: Problem, grid: list[Pair], grid_where: list[str], sheet: list[Pair],
                 sheet_where: list[str]) -> list[Difference]:
    """Every assignment only one of the workbook's two sheets has: the grid's first, then the sheet's."""
    found = []
    for pairs, places, other, in_grid in ((grid, grid_where, set(sheet), True), (sheet, sheet_where, set(grid), False)):
        for (vid, sid), place in zip(pairs, places):
            if (vid, sid) not in other:
                volunteer = problem.volunteer.get(vid)
                found.append(Difference(vid, volunteer.name if volunteer else "", sid, place, in_grid))
    return found


def workbook_roster(path: str | Path, problem: Problem | None = None) -> tuple[Roster, frozenset[str]]:
    """roster.xlsx as the coordinator left it, and the shifts its duty grid speaks for: its 安排明细 sheet
    (with the 出勤 marks), and on every shift where the duty grid names other people (or nobody), the
    grid's people (their marks kept where the sheet has them).

    Without `problem` (no register to read names by) only the sheet is read, and the grid speaks for
    no shift. Raises InputError when the grid names someone who matches no one or two people.
    """
    listed = read_roster_rows(path)[0]
    if problem is None:
        return listed, frozenset()
    listed = with_known_ids(listed, problem.volunteer)
    grid = read_duty_grid(path, problem, listed.assignments)
    if grid is None:
        return listed, frozenset()
    if grid.findings:
        raise InputError(grid.findings)
    in_grid: dict[str, set[str]] = defaultdict(set)
    for vid, sid in grid.pairs:
        in_grid[sid].add(vid)
    on_sheet: dict[str, set[str]] = defaultdict(set)
    for a in listed.assignments:
        on_sheet[a.shift].add(a.volunteer)
    changed = {sid for sid in problem.shift if in_grid.get(sid, set()) != on_sheet.get(sid, set())}
    kept = [a for a in listed.assignments if a.shift not in changed or a.volunteer in in_grid[a.shift]]
    have = {(a.volunteer, a.shift) for a in kept}
    added = [Assignment.of(problem.shift[sid], problem.volunteer[vid]) for vid, sid in grid.pairs
             if sid in changed and (vid, sid) not in have]
    return listed.model_copy(update={"assignments": kept + added}), frozenset(problem.shift)
