"""A volunteer works on at most `max_consecutive_days` days in a row.

Formulation: an expression per volunteer and date that is 1 when they work that date; over every
run of `max_consecutive_days + 1` consecutive dates these sum to at most `max_consecutive_days`.
A run that the history ends with (worked Fri, Sat, Sun of last week) carries into Monday.
"""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from constraints.base import Plan, RosterView, Violation

NAME = "max_consecutive_days"
KIND = "hard"
SCOPE = "volunteer"


def add(plan: Plan) -> None:
    limit = plan.problem.rules.max_consecutive_days
    dates = plan.problem.week.dates
    if limit >= len(dates):
        return
    for vid in plan.volunteers_with_shifts():
        worked = [_worked_on(plan, vid, day) for day in dates]
        for first in range(len(dates) - limit):
            run = worked[first:first + limit + 1]
            if all(day is not None for day in run):
                plan.model.add(cp_model.LinearExpr.sum(run) <= limit)
        carried = run_before(plan.context, vid, dates[0])
        if carried:
            # Working Monday .. day `last` would extend last week's run beyond the limit.
            last = max(0, limit - carried)
            opening = worked[:last + 1]
            if all(day is not None for day in opening):
                plan.model.add(cp_model.LinearExpr.sum(opening) <= last)


def run_before(context, vid: str, monday: dt.date) -> int:
    """How many days in a row the volunteer worked right up to `monday`, by the history."""
    days = {past.start.date() for past in context.earlier_shifts.get(vid, [])}
    run, day = 0, monday - dt.timedelta(days=1)
    while day in days:
        run, day = run + 1, day - dt.timedelta(days=1)
    return run


def _worked_on(plan: Plan, vid: str, day):
    """An expression that is 1 when the volunteer works on `day` (None when they cannot).

    With one shift a day at most, the day's assignments sum to exactly that, which keeps the
    linear relaxation tight; otherwise a boolean implied by each assignment of the day.
    """
    day_vars = plan.on_day(vid, day)
    if not day_vars:
        return None
    if plan.problem.rules.max_shifts_per_day <= 1 or len(day_vars) == 1:
        return cp_model.LinearExpr.sum(day_vars)
    works_day = plan.model.new_bool_var(f"works_day[{vid},{day.isoformat()}]")
    for var in day_vars:
        plan.model.add_implication(var, works_day)
    return works_day


def longest_run(days: list[dt.date]) -> tuple[int, dt.date | None]:
    """The longest run of consecutive dates in a sorted list, and the date it ends on."""
    best, run = 0, 0
    best_end: dt.date | None = None
    for i, day in enumerate(days):
        run = run + 1 if i and (day - days[i - 1]).days == 1 else 1
        if run > best:
            best, best_end = run, day
    return best, best_end


def _history_days_before(view: RosterView, vid: str, first: dt.date) -> list[dt.date]:
    """The unbroken run of history days just before `first` (only those can join this week's run)."""
    run = run_before(view.context, vid, first)
    return [first - dt.timedelta(days=i) for i in range(1, run + 1)]


def check(view: RosterView) -> list[Violation]:
    limit = view.problem.rules.max_consecutive_days
    violations = []
    for vid, shifts in view.shifts_by_volunteer.items():
        week_days = {s.date for s in shifts}
        days = sorted(week_days | set(_history_days_before(view, vid, min(week_days))))
        run, end = longest_run(days)
        if run > limit and end is not None:  # None only for no days at all
            name = view.problem.volunteer[vid].name
            violations.append(Violation(NAME, f"{name} ({vid}) works {run} days in a row up to {end.isoformat()}, "
                                        f"the limit is {limit}", vid, None, code="too_long",
                                        params={"name": name, "run": run, "end": end.isoformat(), "limit": limit}))
    return violations
