"""Earlier weeks and earlier versions of this week, read from the rosters the tool wrote.

`PROBLEM/rosters/<week>/roster.json` of the last `history_weeks` weeks feed fairness, rotation,
rest and runs of days across the week boundary. The roster already in the planned week's folder
is the baseline of a re-plan. Rosters naming volunteers who left the register, or shifts that
no longer exist, are used where they still mean something (a past shift keeps its own date,
time and post) and never break a run; a roster file that cannot be read is an input error.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scheduler.domain import collector
from scheduler.domain.clock import parse_clock
from scheduler.domain.errors import Finding, InputError, RosterFileError
from scheduler.domain.ids import split_shift_id
from scheduler.domain.models import History, PastShift, PlanningWeek, Problem, ShiftDefinition
from scheduler.domain.roster import Assignment, Roster
from scheduler.loading.folder import ROSTER_FILE, week_folder
from scheduler.loading.rosterfile import read_roster


def earlier_weeks(week: PlanningWeek, count: int) -> list[PlanningWeek]:
    """The `count` ISO weeks before `week`, oldest first."""
    return [PlanningWeek.containing(week.monday - dt.timedelta(weeks=n)) for n in range(count, 0, -1)]


def _read(path: Path) -> Roster:
    try:
        return read_roster(path)
    except RosterFileError as exc:
        raise InputError([Finding(file=str(path), code="input.history.unreadable", params={"problem": str(exc)})]) from None


def load_history(problem_dir: str | Path, problem: Problem, weeks: int | None = None) -> History:
    """The rosters of the weeks before the planned one (as many as `history_weeks`, those that exist)."""
    count = problem.rules.history_weeks if weeks is None else weeks
    labels, shifts, left_out = [], [], []
    definitions: dict[str, ShiftDefinition] = {}
    for definition in problem.definitions:
        definitions.setdefault(definition.id, definition)  # the first of an id, should one come twice
    with collector.paused():  # a big district's weeks are 100,000s of small objects, none in a cycle
        for week in earlier_weeks(problem.week, count):
            path = week_folder(problem_dir, week) / ROSTER_FILE
            if not path.is_file():
                continue
            labels.append(week.label)
            roster = _read(path)
            for assignment in roster.assignments:
                past = past_shift(week.label, assignment, definitions)
                if past is not None:
                    shifts.append(past)
            left_out += [(week.label, load.volunteer) for load in roster.volunteers
                         if load.offered > 0 and not load.shifts]
    return History(weeks=tuple(labels), shifts=tuple(shifts), left_out=tuple(left_out))


def past_shift(week: str, assignment: Assignment, definitions: dict[str, ShiftDefinition]) -> PastShift | None:
    """An assignment of an earlier week, timed from the roster itself, else from today's definition
    (`definitions`: the problem's, by id)."""
    definition_id, day_text = split_shift_id(assignment.shift)
    try:
        day = dt.date.fromisoformat(assignment.date or day_text)
    except ValueError:
        return None
    start, end = parse_clock(assignment.start), parse_clock(assignment.end)
    definition = definitions.get(assignment.shift_id or definition_id)
    if (start is None or end is None) and definition is not None:
        start, end = definition.start, definition.end
    if start is None or end is None:
        return None  # neither the roster nor the shifts file says when it was: nothing to learn
    begin = dt.datetime.combine(day, dt.time(0)) + dt.timedelta(minutes=start)
    length = (end - start) % (24 * 60) or 24 * 60
    return PastShift(week=week, volunteer=assignment.volunteer, shift=assignment.shift,
                     post=assignment.post or (definition.post if definition else ""),
                     kind=assignment.kind or (definition.kind if definition else ""),
                     start=begin, end=begin + dt.timedelta(minutes=length), served=assignment.attendance != "absent")


def load_baseline(out_dir: str | Path) -> Roster | None:
    """The roster already planned for this week (in the output folder), if any."""
    path = Path(out_dir) / ROSTER_FILE
    if path.exists() and not path.is_file():  # found before the search, not when writing over it
        raise InputError([Finding(file=str(path), code="input.history.folder")])
    return _read(path) if path.is_file() else None
