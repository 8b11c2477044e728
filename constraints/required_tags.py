"""A shift with `require: {tag: N}` gets at least N people carrying that skill or role, as far as the volunteers allow.

Formulation: a shortfall variable per shift and tag, `carriers on the shift + shortfall >= N`,
charged under the dominant goal `coverage`.
"""

from __future__ import annotations

from constraints.base import Context, Plan, RosterView, add_minimums, minimum_shortfall
from scheduler.domain.models import Requirement, Shift

NAME = "required_tags"
KIND = "coverage"


def tags(shift: Shift) -> list[Requirement]:
    return [r for r in shift.definition.requirements() if r.item not in ("female", "male")]


def add(plan: Plan) -> None:
    add_minimums(plan, tags)


def shortfall(view: RosterView) -> dict[str, dict[str, int]]:
    return minimum_shortfall(view, tags)


def score(view: RosterView, context: Context | None = None) -> int:
    return sum(sum(unmet.values()) for unmet in shortfall(view).values())
