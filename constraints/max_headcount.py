"""A shift has at most `max` people (its `need` when no `max` is given)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.base import Plan, RosterView, Violation

NAME = "max_headcount"
KIND = "hard"
SCOPE = "shift"


def add(plan: Plan) -> None:
    for shift in plan.problem.shifts:
        people = [var for _, var in plan.volunteers_on(shift.id)]
        if len(people) > shift.max:
            plan.model.add(cp_model.LinearExpr.sum(people) <= shift.max)


def check(view: RosterView) -> list[Violation]:
    violations = []
    for sid, people in view.volunteers_by_shift.items():
        shift = view.problem.shift[sid]
        if len(people) > shift.max:
            violations.append(Violation(NAME, f"{shift.name} {sid} has {len(people)} people, at most {shift.max} allowed",
                                        None, sid, code="too_many",
                                        params={"shift_name": shift.name, "count": len(people), "max": shift.max}))
    return violations
