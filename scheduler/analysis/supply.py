"""Supply against demand before solving: what the week asks for and the most the volunteers could give.

For a group of shifts (a day, a time of day on a day, a team's shifts, the shifts needing a tag,
one shift) three figures: *seats* needed, *people* eligible for at least one of them, and
*offered*, the most person-shifts those people could serve there. Each person counts at most

    min(their weekly limit,
        the days they could serve there (`max_shifts_per_day` a day, never more days in a row
        than `max_consecutive_days`),
        the most of their eligible shifts there that keep `min_rest_hours` between them)

so *offered* is a true upper bound: every roster fills at most that many of the group's seats,
and `seats - offered` seats stay empty whatever the solver does. Those certain shortfalls are
listed before the solver starts (`cannot_meet`), each only where it says more than the finer
lines it contains. History, locks and frozen days are left out: they can only lower what is
possible, so the bound still holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from constraints import Context
from scheduler.domain.models import Problem, Shift, Volunteer

PERIODS = ("morning", "afternoon", "evening")
"""Times of day by a shift's start: morning before 12:00, afternoon 12:00-18:00, evening from 18:00."""


def period_of(shift: Shift) -> str:
    start = shift.definition.start
    return "morning" if start < 12 * 60 else "afternoon" if start < 18 * 60 else "evening"


@dataclass(frozen=True)
class SupplyRow:
    """Seats against what volunteers could give, for one group of shifts.

    `kind`: `week`, `day`, `time` (a time of day on one date), `team`, `tag` (a composition
    requirement over the week: `female`, `male` or a skill/role tag) or `shift`. `key` names the
    group: a date, (date, period), a team id, a requirement, or (shift id, requirement). For
    `tag` rows and composition `shift` rows, *seats* counts the people required to carry it.
    """

    kind: str
    key: tuple
    shifts: int
    seats: int
    people: int
    offered: int
    shift_ids: tuple[str, ...] = ()

    @property
    def short(self) -> int:
        """Seats (or requirements) that stay empty in every roster."""
        return max(0, self.seats - self.offered)

    @property
    def requirement(self) -> str:
        """`seats`, or the composition item this row counts (`female`, `male`, a tag)."""
        if self.kind == "tag":
            return self.key[0]
        if self.kind == "shift":
            return self.key[1]
        return "seats"


@dataclass(frozen=True)
class Shortfall:
    """A certain shortfall: `row` can never be fully met; at least `at_least` stay empty (or unmet)."""

    row: SupplyRow
    at_least: int


@dataclass
class Supply:
    """Every supply row of the week, and the shortfalls certain before solving."""

    week: SupplyRow
    per_day: list[SupplyRow] = field(default_factory=list)
    per_time: list[SupplyRow] = field(default_factory=list)
    per_team: list[SupplyRow] = field(default_factory=list)
    per_tag: list[SupplyRow] = field(default_factory=list)
    per_shift: list[SupplyRow] = field(default_factory=list)
    cannot_meet: list[Shortfall] = field(default_factory=list)
    seats_short: int = 0
    """At least this many seats of the week stay empty in every roster (0: nothing is certain)."""
    complete: bool = True
    """False when the figures were cut short (a stop, or no time left): the rows present are true
    bounds, but a shortfall may be missing from `cannot_meet`."""


# ---------------------------------------------------------------- one person's most in a group


def _by_end(shift: Shift) -> tuple:
    return (shift.end, shift.start)


def _chain(shifts: list[Shift], rest: dt.timedelta) -> int:
    """The most of `shifts` (in `_by_end` order) one person can hold: no overlap and `rest` between them
    (earliest end first is exact)."""
    count, free_from = 0, None
    for shift in shifts:
        if free_from is None or shift.start >= free_from:
            count, free_from = count + 1, shift.end + rest
    return count


def _days_bound(per_day: dict[dt.date, int], dates: list[dt.date], run_limit: int) -> int:
    """The most shifts over the week: `per_day[d]` on each worked day, never more than `run_limit` days in a row."""
    # best[r]: the most so far with the current run of worked days of length r.
    best = {0: 0}
    for day in dates:
        gain = per_day.get(day, 0)
        nxt = {0: max(best.values())}
        if gain:
            for run, total in best.items():
                if run + 1 <= run_limit:
                    nxt[run + 1] = max(nxt.get(run + 1, 0), total + gain)
        best = nxt
    return max(best.values())


def person_bound(problem: Problem, volunteer: Volunteer, shifts: list[Shift]) -> int:
    """The most of `shifts` (all eligible for the volunteer) they could serve in any roster."""
    if not shifts:
        return 0
    rules = problem.rules
    rest = dt.timedelta(hours=rules.min_rest_hours)
    shifts = sorted(shifts, key=_by_end)  # once: each day's shifts keep this order
    by_day: dict[dt.date, list[Shift]] = {}
    for shift in shifts:
        by_day.setdefault(shift.date, []).append(shift)
    per_day = {day: min(rules.max_shifts_per_day, _chain(day_shifts, rest)) for day, day_shifts in by_day.items()}
    # Runs of days only bind when there are more working days than the run limit.
    days = _days_bound(per_day, problem.week.dates, rules.max_consecutive_days) \
        if len(by_day) > rules.max_consecutive_days else sum(per_day.values())
    return min(rules.weekly_cap(volunteer), days, _chain(shifts, rest))


# ---------------------------------------------------------------- the rows


HALT_EVERY = 256
"""People (or shifts, while a row lists who is eligible where) between two questions to `halt` inside a
row: the week's row alone counts everyone."""


def _row(problem: Problem, context: Context, halt: Callable[[], bool], kind: str, key: tuple, shifts: list[Shift],
         seats: int, counts: Callable[[Volunteer], bool] = lambda v: True) -> SupplyRow:
    """People eligible for some of `shifts` (and counted by `counts`), and the most they could give there.

    Raises _Halted once `halt()` says so (it is asked every HALT_EVERY people)."""
    volunteer_of = problem.volunteer
    if len(shifts) == 1:
        # One shift: anyone eligible who may work at all could take it (the common case, kept cheap).
        people = [volunteer_of[vid] for vid in dict.fromkeys(context.eligible.get(shifts[0].id, ()))
                  if counts(volunteer_of[vid])]
        rules = problem.rules
        can_work = rules.max_shifts_per_day >= 1 and rules.max_consecutive_days >= 1
        offered = sum(1 for v in people if can_work and rules.weekly_cap(v) >= 1)
    else:
        mine: dict[str, list[Shift]] = {}
        # In `_by_end` order, so that each person's shifts come sorted (person_bound's sort has nothing to move).
        for number, shift in enumerate(sorted(shifts, key=_by_end), start=1):
            if number % HALT_EVERY == 0 and halt():  # the week's row lists every eligible pair first
                raise _Halted
            for vid in context.eligible.get(shift.id, ()):
                mine.setdefault(vid, []).append(shift)
        people = [volunteer_of[vid] for vid in mine if counts(volunteer_of[vid])]
        offered = 0
        for number, volunteer in enumerate(people, start=1):
            if number % HALT_EVERY == 0 and halt():
                raise _Halted
            offered += person_bound(problem, volunteer, mine[volunteer.id])
    return SupplyRow(kind=kind, key=key, shifts=len(shifts), seats=seats, people=len(people), offered=offered,
                     shift_ids=tuple(s.id for s in shifts))


def _seats(shifts: list[Shift]) -> int:
    return sum(s.need for s in shifts)


def supply(problem: Problem, context: Context, halt: Callable[[], bool] = lambda: False) -> Supply:
    """Every supply row of the week and the shortfalls that no roster can avoid.

    `halt()` is asked between rows: when it says so the figures end there (`complete` is False),
    with the shortfalls the rows made so far prove.
    """
    result = Supply(week=SupplyRow("week", (), 0, 0, 0, 0))
    try:
        _fill_rows(problem, context, result, halt)
    except _Halted:
        result.complete = False
    _certain_shortfalls(result)
    return result


class _Halted(Exception):
    """The supply figures were asked to stop."""


def _fill_rows(problem: Problem, context: Context, result: Supply, halt: Callable[[], bool]) -> None:
    def row(*args) -> SupplyRow:
        if halt():
            raise _Halted
        return _row(problem, context, halt, *args)

    shifts = [s for s in problem.shifts if s.need or s.definition.requirements()]
    result.week = row("week", (), shifts, _seats(shifts))
    for shift in shifts:
        if shift.need:
            result.per_shift.append(row("shift", (shift.id, "seats"), [shift], shift.need))
        for item, count, counts in shift.definition.requirements():
            result.per_shift.append(row("shift", (shift.id, item), [shift], count, counts))
    for day in problem.week.dates:
        on_day = [s for s in shifts if s.date == day]
        if not on_day:
            continue
        result.per_day.append(row("day", (day,), on_day, _seats(on_day)))
        for period in PERIODS:
            group = [s for s in on_day if period_of(s) == period]
            if group:
                result.per_time.append(row("time", (day, period), group, _seats(group)))
    teams = sorted(set().union(*(s.definition.teams for s in shifts)) if shifts else ())
    of_team: dict[str, list[Shift]] = {team: [] for team in teams}
    for shift in shifts:  # one pass: each team's shifts in the week's order
        for team in shift.definition.teams:
            of_team[team].append(shift)
    for team in teams:
        group = of_team[team]
        result.per_team.append(row("team", (team,), group, _seats(group)))
    items: dict[str, tuple[list[Shift], int, Callable]] = {}
    for shift in shifts:
        for item, count, counts in shift.definition.requirements():
            group, total, _ = items.get(item, ([], 0, counts))
            items[item] = (group + [shift], total + count, counts)
    for item, (group, total, counts) in items.items():
        result.per_tag.append(row("tag", (item,), group, total, counts))


def _certain_shortfalls(result: Supply) -> None:
    """The rows that cannot be met, each kept only where it proves more than the finer rows inside it."""
    shift_short = {(r.key[0], r.requirement): r.short for r in result.per_shift}

    def within(row: SupplyRow, item: str = "seats") -> int:
        return sum(shift_short.get((sid, item), 0) for sid in row.shift_ids)

    claims: dict[tuple, int] = {}
    found = [Shortfall(r, r.short) for r in result.per_shift if r.short]
    for row in result.per_time:
        finer = within(row)
        claims[row.key] = max(row.short, finer)
        if row.short > finer:
            found.append(Shortfall(row, row.short))
    day_claims = 0
    for row in result.per_day:
        finer = sum(claims.get((row.key[0], period), 0) for period in PERIODS)
        day_claims += max(row.short, finer)
        if row.short > finer:
            found.append(Shortfall(row, row.short))
    if result.week.short > day_claims:
        found.append(Shortfall(result.week, result.week.short))
    for row in result.per_team:
        if row.short > within(row):
            found.append(Shortfall(row, row.short))
    for row in result.per_tag:
        if row.short > within(row, row.requirement):
            found.append(Shortfall(row, row.short))
    result.cannot_meet = found
    result.seats_short = max(result.week.short, day_claims)
