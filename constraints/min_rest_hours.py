"""Between the end of a volunteer's shift and the start of their next one lie at least `min_rest_hours`.

Formulation: for each pair of the volunteer's shifts that do not overlap but leave less rest
than that, at most one of the two. (Overlapping pairs are the no_overlap rule's.)
"""

from __future__ import annotations

import datetime as dt

from constraints.base import Plan, RosterView, Violation

NAME = "min_rest_hours"
KIND = "hard"


def _too_close(first, second, rest: dt.timedelta) -> bool:
    """`second` starts after `first` ends, but too soon."""
    return first.end <= second.start < first.end + rest


def add(plan: Plan) -> None:
    rest = dt.timedelta(hours=plan.problem.rules.min_rest_hours)
    if not rest:
        return
    for vid in plan.volunteers_with_shifts():
        shifts = plan.shifts_of(vid)
        for first, first_var in shifts:
            for second, second_var in shifts:
                if _too_close(first, second, rest):
                    plan.model.add_bool_or([first_var.Not(), second_var.Not()])


def check(view: RosterView) -> list[Violation]:
    hours = view.problem.rules.min_rest_hours
    rest = dt.timedelta(hours=hours)
    violations = []
    for vid, shifts in view.shifts_by_volunteer.items():
        for first in shifts:
            for second in shifts:
                if _too_close(first, second, rest):
                    gap = (second.start - first.end).total_seconds() / 3600
                    name = view.problem.volunteer[vid].name
                    violations.append(Violation(NAME, f"{name} ({vid}) rests only {gap:g} h between {first.id} "
                                                f"and {second.id}, at least {hours:g} h are required", vid, second.id))
    return violations
