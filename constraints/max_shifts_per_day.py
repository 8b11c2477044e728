"""A volunteer works at most `max_shifts_per_day` shifts on one date (a shift counts on the date it starts)."""

from __future__ import annotations

from collections import Counter

from ortools.sat.python import cp_model

from constraints.base import Plan, RosterView, Violation

NAME = "max_shifts_per_day"
KIND = "hard"
SCOPE = "volunteer"


def add(plan: Plan) -> None:
    limit = plan.problem.rules.max_shifts_per_day
    for vid in plan.volunteers_with_shifts():
        for day in plan.problem.week.dates:
            day_vars = plan.on_day(vid, day)
            if len(day_vars) > limit:
                plan.model.add(cp_model.LinearExpr.sum(day_vars) <= limit)


def check(view: RosterView) -> list[Violation]:
    limit = view.problem.rules.max_shifts_per_day
    violations = []
    for vid, shifts in view.shifts_by_volunteer.items():
        for day, count in sorted(Counter(s.date for s in shifts).items()):
            if count > limit:
                name = view.problem.volunteer[vid].name
                violations.append(Violation(NAME, f"{name} ({vid}) has {count} shifts on {day.isoformat()}, "
                                            f"the limit is {limit}", vid, None, code="too_many",
                                            params={"name": name, "count": count, "date": day.isoformat(),
                                                    "limit": limit}))
    return violations
