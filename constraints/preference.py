"""People get the shifts they prefer and not the ones they avoid, where the roster allows.

Definition: each assignment to a shift whose kind or id the person `avoids` costs one unit; each
assignment of a person who stated `prefers` to a shift outside those preferences costs one unit.

Formulation: the unit cost sits directly on the assignment variable.
"""

from __future__ import annotations

from constraints.base import POINTS, Context, Plan, RosterView, per_view
from scheduler.domain.models import Shift, Volunteer

NAME = "preference"
KIND = "soft"


def units(volunteer: Volunteer, shift: Shift) -> int:
    if not (volunteer.avoids or volunteer.prefers):  # most people (asked of every assignment)
        return 0
    avoided = volunteer.matches(volunteer.avoids, shift)
    unpreferred = bool(volunteer.prefers) and not volunteer.matches(volunteer.prefers, shift)
    return int(avoided) + int(unpreferred)


def add(plan: Plan) -> None:
    for vid in plan.volunteers_with_shifts():
        volunteer = plan.problem.volunteer[vid]
        if not (volunteer.prefers or volunteer.avoids):
            continue
        for shift, var in plan.shifts_of(vid):
            cost = units(volunteer, shift)
            if cost:
                plan.penalize(NAME, var, cost * POINTS, volunteer=vid, shift=shift.id,
                              note="avoided" if volunteer.matches(volunteer.avoids, shift) else "not preferred")


def worst(problem, context: Context) -> int:
    """The most preference points any roster could cost: every disliked pair taken."""
    # Asked of every eligible pair of the week, so kept cheap: people without wishes cost nothing,
    # and `units` is spelled out on the shift's kind and id.
    wishes = {v.id: (v.prefers, v.avoids) for v in problem.volunteers if v.prefers or v.avoids}
    total = 0
    for sid, vids in context.eligible.items():
        shift = problem.shift[sid]
        kind, definition = shift.kind, shift.definition_id
        for vid in vids:
            wish = wishes.get(vid)
            if wish is not None:
                prefers, avoids = wish
                total += (kind in avoids or definition in avoids) + bool(
                    prefers and not (kind in prefers or definition in prefers))
    return total * POINTS


@per_view
def points_of(view: RosterView, context: Context) -> dict[str, int]:
    """Preference points of each volunteer with shifts in a finished roster."""
    return {vid: sum(units(view.problem.volunteer[vid], shift) * POINTS for shift in shifts)
            for vid, shifts in view.shifts_by_volunteer.items()}


def score(view: RosterView, context: Context) -> int:
    return sum(points_of(view, context).values())
