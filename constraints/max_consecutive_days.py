"""A volunteer works on at most `max_consecutive_days` days in a row.

Formulation: a boolean per volunteer and date, true when they work that date; in every run of
`max_consecutive_days + 1` consecutive dates at least one is false.
"""

from __future__ import annotations

from constraints.base import Plan, RosterView, Violation

NAME = "max_consecutive_days"
KIND = "hard"


def add(plan: Plan) -> None:
    limit = plan.problem.rules.max_consecutive_days
    dates = plan.problem.week.dates
    if limit >= len(dates):
        return
    for vid in plan.volunteers_with_shifts():
        worked = []
        for day in dates:
            day_vars = plan.on_day(vid, day)
            if not day_vars:
                worked.append(None)
                continue
            works_day = plan.model.new_bool_var(f"works_day[{vid},{day.isoformat()}]")
            plan.model.add_max_equality(works_day, day_vars)
            worked.append(works_day)
        for first in range(len(dates) - limit):
            run = worked[first:first + limit + 1]
            if all(var is not None for var in run):
                plan.model.add_bool_or([var.Not() for var in run])


def longest_run(days: list) -> tuple[int, object]:
    """The longest run of consecutive dates in a sorted list, and the date it ends on."""
    best, best_end, run = 0, None, 0
    for i, day in enumerate(days):
        run = run + 1 if i and (day - days[i - 1]).days == 1 else 1
        if run > best:
            best, best_end = run, day
    return best, best_end


def check(view: RosterView) -> list[Violation]:
    limit = view.problem.rules.max_consecutive_days
    violations = []
    for vid, shifts in view.shifts_by_volunteer.items():
        run, end = longest_run(sorted({s.date for s in shifts}))
        if run > limit:
            name = view.problem.volunteer[vid].name
            violations.append(Violation(NAME, f"{name} ({vid}) works {run} days in a row up to {end.isoformat()}, "
                                        f"the limit is {limit}", vid, None))
    return violations
