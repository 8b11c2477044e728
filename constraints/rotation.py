"""People rotate between posts and times from week to week rather than holding the same slot, unless they prefer it.

Definition: a slot is a post (or, without a post, the shift definition) at a start time. Each
assignment costs one unit for every history week in which the person already held that same
slot; nothing when the shift is among the person's `prefers`. Early mornings, evenings, weekends
and the road crossing thereby move on to other people instead of landing on the same willing
few every week (fairness, which counts the history's load, does the rest).

Formulation: the unit cost sits directly on the assignment variable.
"""

from __future__ import annotations

from constraints.base import POINTS, Context, Plan, RosterView, per_view
from scheduler.domain.models import Shift, Volunteer

NAME = "rotation"
KIND = "soft"


def units(volunteer: Volunteer, shift: Shift, context: Context) -> int:
    """Earlier weeks the volunteer held this shift's slot, unless it is one they prefer."""
    held = context.held.get(volunteer.id)
    count = held.get(shift.slot, 0) if held else 0  # (asked of every assignment: most held nothing)
    return 0 if not count or volunteer.matches(volunteer.prefers, shift) else count


def add(plan: Plan) -> None:
    if not plan.context.history.shifts:
        return
    for vid in plan.volunteers_with_shifts():
        volunteer = plan.problem.volunteer[vid]
        for shift, var in plan.shifts_of(vid):
            cost = units(volunteer, shift, plan.context)
            if cost:
                plan.penalize(NAME, var, cost * POINTS, volunteer=vid, shift=shift.id,
                              note=f"held this slot in {cost} earlier week(s)")


def worst(problem, context: Context) -> int:
    """The most rotation points any roster could cost: every repeated slot taken."""
    if not context.history.shifts:
        return 0
    return sum(units(problem.volunteer[vid], problem.shift[sid], context) * POINTS
               for sid, vids in context.eligible.items() for vid in vids)


@per_view
def points_of(view: RosterView, context: Context) -> dict[str, int]:
    """Rotation points of each volunteer with shifts in a finished roster."""
    return {vid: sum(units(view.problem.volunteer[vid], shift, context) * POINTS for shift in shifts)
            for vid, shifts in view.shifts_by_volunteer.items()}


def score(view: RosterView, context: Context) -> int:
    return sum(points_of(view, context).values())
