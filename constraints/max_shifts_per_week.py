"""A volunteer works at most `max_shifts_per_week` shifts in the week (their own limit when the register gives one)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.base import Plan, RosterView, Violation

NAME = "max_shifts_per_week"
KIND = "hard"
SCOPE = "volunteer"


def add(plan: Plan) -> None:
    rules = plan.problem.rules
    for vid in plan.volunteers_with_shifts():
        limit = rules.weekly_cap(plan.problem.volunteer[vid])
        week_vars = [var for _, var in plan.shifts_of(vid)]
        if len(week_vars) > limit:
            plan.model.add(cp_model.LinearExpr.sum(week_vars) <= limit)


def check(view: RosterView) -> list[Violation]:
    violations = []
    for vid, shifts in view.shifts_by_volunteer.items():
        volunteer = view.problem.volunteer[vid]
        limit = view.problem.rules.weekly_cap(volunteer)
        if len(shifts) > limit:
            violations.append(Violation(NAME, f"{volunteer.name} ({vid}) has {len(shifts)} shifts this week, "
                                        f"the limit is {limit}", vid, None, code="too_many",
                                        params={"name": volunteer.name, "count": len(shifts), "limit": limit}))
    return violations
