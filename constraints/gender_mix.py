"""A shift with `min_female` or `min_male` gets at least that many women or men, as far as the volunteers allow.

Formulation: a shortfall variable per shift and gender, `women on the shift + shortfall >=
min_female` (likewise men), charged under the dominant goal `coverage`.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.base import Context, Plan, RosterView
from scheduler.models import Gender

NAME = "gender_mix"
KIND = "coverage"
MINIMUMS = (("female", Gender.FEMALE, "min_female"), ("male", Gender.MALE, "min_male"))


def add(plan: Plan) -> None:
    for shift in plan.problem.shifts:
        for label, gender, key in MINIMUMS:
            wanted = getattr(shift.definition, key)
            if not wanted:
                continue
            people = [var for v, var in plan.volunteers_on(shift.id) if v.gender == gender]
            short = plan.model.new_int_var(0, wanted, f"short_{label}[{shift.id}]")
            plan.model.add(cp_model.LinearExpr.sum(people) + short >= wanted)
            plan.penalize("coverage", short, 1, upper=wanted, shift=shift.id, note=f"{label} missing")


def shortfall(view: RosterView) -> dict[str, dict[str, int]]:
    short: dict[str, dict[str, int]] = {}
    for shift in view.problem.shifts:
        for label, gender, key in MINIMUMS:
            wanted = getattr(shift.definition, key)
            present = sum(1 for v in view.people_on(shift.id) if v.gender == gender)
            if wanted > present:
                short.setdefault(shift.id, {})[label] = wanted - present
    return short


def score(view: RosterView, context: Context | None = None) -> int:
    return sum(sum(unmet.values()) for unmet in shortfall(view).values())
