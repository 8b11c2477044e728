"""A re-plan keeps the earlier roster of the same week: as few people as possible are moved.

Definition: one unit for every assignment of the earlier roster that is still possible (the
person is still eligible for the shift) but no longer in the roster. New assignments are not
charged: they only appear to fill seats, which coverage already rewards.

Formulation: `dropped[v,s] = 1 - works[v,s]` for each such earlier assignment, one unit each.
"""

from __future__ import annotations

from constraints.base import POINTS, Context, Plan, RosterView, per_view

NAME = "stability"
KIND = "soft"


def add(plan: Plan) -> None:
    for vid, sid in sorted(plan.context.baseline):
        var = plan.works(vid, sid)
        if var is None:
            continue
        dropped = plan.model.new_bool_var(f"dropped[{vid},{sid}]")
        plan.model.add(dropped + var == 1)
        plan.penalize(NAME, dropped, POINTS, volunteer=vid, shift=sid, note="moved from the earlier roster")


def worst(problem, context: Context) -> int:
    """The most stability points any roster could cost: every keepable earlier assignment dropped."""
    return POINTS * sum(1 for v, s in context.baseline if v in context.eligible.get(s, ()))


@per_view
def points_of(view: RosterView, context: Context) -> dict[str, int]:
    """Stability points of each volunteer moved off an earlier assignment that was still possible."""
    present = set(view.pairs)
    points: dict[str, int] = {}
    for vid, sid in context.baseline:
        if vid in context.eligible.get(sid, ()) and (vid, sid) not in present:
            points[vid] = points.get(vid, 0) + POINTS
    return points


def score(view: RosterView, context: Context) -> int:
    return sum(points_of(view, context).values())
