"""A shift with `require: {tag: N}` gets at least N people carrying that skill or role, as far as the volunteers allow.

Formulation: a shortfall variable per shift and tag, `carriers on the shift + shortfall >= N`,
charged under the dominant goal `coverage`.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.base import Context, Plan, RosterView

NAME = "required_tags"
KIND = "coverage"


def add(plan: Plan) -> None:
    for shift in plan.problem.shifts:
        for tag, wanted in sorted(shift.definition.require.items()):
            carriers = [var for v, var in plan.volunteers_on(shift.id) if tag in v.tags]
            short = plan.model.new_int_var(0, wanted, f"short_{tag}[{shift.id}]")
            plan.model.add(cp_model.LinearExpr.sum(carriers) + short >= wanted)
            plan.penalize("coverage", short, 1, upper=wanted, shift=shift.id, note=f"{tag} missing")


def shortfall(view: RosterView) -> dict[str, dict[str, int]]:
    short: dict[str, dict[str, int]] = {}
    for shift in view.problem.shifts:
        for tag, wanted in sorted(shift.definition.require.items()):
            present = sum(1 for v in view.people_on(shift.id) if tag in v.tags)
            if wanted > present:
                short.setdefault(shift.id, {})[tag] = wanted - present
    return short


def score(view: RosterView, context: Context | None = None) -> int:
    return sum(sum(unmet.values()) for unmet in shortfall(view).values())
