"""A volunteer works at most `max_shifts_per_day` shifts on one date (a shift counts on the date it starts)."""

from __future__ import annotations

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
        if len(shifts) <= limit:  # no day can hold more than the week does (most people, asked cheaply)
            continue
        # The warm start asks this of one person's few shifts hundreds of thousands of times: a plain
        # count, sorted only when some day is over the limit.
        per_day: dict = {}
        for shift in shifts:
            per_day[shift.date] = per_day.get(shift.date, 0) + 1
        if max(per_day.values()) <= limit:
            continue
        for day, count in sorted(per_day.items()):
            if count > limit:
                name = view.problem.volunteer[vid].name
                violations.append(Violation(NAME, f"{name} ({vid}) has {count} shifts on {day.isoformat()}, "
                                            f"the limit is {limit}", vid, None, code="too_many",
                                            params={"name": name, "count": count, "date": day.isoformat(),
                                                    "limit": limit}))
    return violations
