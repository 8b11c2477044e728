"""Partners serve together: a person who named a `partner` is not sent alone to a shift the partner could take too.

Definition: one unit for each assignment of a person to a shift their partner is also eligible
for but not on. Shifts the partner cannot take cost nothing (they cannot be together there).

Formulation: `apart[v,s] = works[v,s] and not works[partner,s]`, one unit each.
"""

from __future__ import annotations

from constraints.base import POINTS, Context, Plan, RosterView, per_view

NAME = "partner"
KIND = "soft"


def _partner_of(problem, vid):
    partner = problem.volunteer[vid].partner
    return partner if partner and partner != vid and partner in problem.volunteer else None


def add(plan: Plan) -> None:
    for vid in plan.volunteers_with_shifts():
        partner = _partner_of(plan.problem, vid)
        if partner is None:
            continue
        for shift, var in plan.shifts_of(vid):
            other = plan.works(partner, shift.id)
            if other is None:
                continue
            apart = plan.model.new_bool_var(f"apart[{vid},{shift.id}]")
            plan.model.add(apart >= var - other)
            # ... and only then: the assignments fix `apart`, so a hinted roster is complete.
            plan.model.add_implication(apart, var)
            plan.model.add_implication(apart, other.negated())
            plan.penalize(NAME, apart, POINTS, volunteer=vid, shift=shift.id, note=f"without partner {partner}")


def worst(problem, context: Context) -> int:
    """The most partner points any roster could cost: every shared shift served apart."""
    partners = {v.id: p for v in problem.volunteers if (p := _partner_of(problem, v.id)) is not None}
    total = 0
    for vids in context.eligible.values():
        paired = [vid for vid in vids if vid in partners]  # most people named no partner
        if paired:
            present = set(vids)
            total += sum(POINTS for vid in paired if partners[vid] in present)
    return total


@per_view
def points_of(view: RosterView, context: Context) -> dict[str, int]:
    """Partner points of each volunteer who named a partner and has shifts in a finished roster."""
    points = {}
    for vid, shifts in view.shifts_by_volunteer.items():
        partner = _partner_of(view.problem, vid)
        if partner is None:
            continue
        points[vid] = sum(POINTS for shift in shifts
                          if partner in context.eligible.get(shift.id, ())
                          and not any(p.id == partner for p in view.people_on(shift.id)))
    return points


def score(view: RosterView, context: Context) -> int:
    return sum(points_of(view, context).values())
