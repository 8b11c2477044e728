"""Every shift gets the `need` people it asks for, as far as the volunteers allow.

Formulation: a shortfall variable per shift, `assigned + shortfall >= need`, charged under the
goal `coverage`, whose weight dominates every other goal: a short week still yields the best
roster, and the shortfall is exactly the seats left empty.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.base import Context, Plan, RosterView, Shortfall, missing_items

NAME = "coverage"
KIND = "coverage"


def add(plan: Plan) -> None:
    for shift in plan.problem.shifts:
        if not shift.need:
            continue
        people = [var for _, var in plan.volunteers_on(shift.id)]
        short = plan.model.new_int_var(0, shift.need, f"short[{shift.id}]")
        plan.model.add(cp_model.LinearExpr.sum(people) + short >= shift.need)
        plan.penalize(NAME, short, 1, upper=shift.need, shift=shift.id, note="empty seat")


def shortfall(view: RosterView) -> Shortfall:
    """Per shift: {'seats': empty seats} for each shift left short."""
    short: Shortfall = {}
    for shift in view.problem.shifts:
        missing = shift.need - len(view.people_on(shift.id))
        if missing > 0:
            short[shift.id] = {"seats": missing}
    return short


def score(view: RosterView, context: Context | None = None) -> int:
    return missing_items(shortfall(view))
