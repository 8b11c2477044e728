"""A shift with `min_female` or `min_male` gets at least that many women or men, as far as the volunteers allow.

Formulation: a shortfall variable per shift and gender, `women on the shift + shortfall >=
min_female` (likewise men), charged under the dominant goal `coverage`.
"""

from __future__ import annotations

from constraints.base import Context, Plan, RosterView, add_minimums, minimum_shortfall
from scheduler.domain.models import Requirement, Shift

NAME = "gender_mix"
KIND = "coverage"


def genders(shift: Shift) -> list[Requirement]:
    return [r for r in shift.definition.requirements() if r.item in ("female", "male")]


def add(plan: Plan) -> None:
    add_minimums(plan, genders)


def shortfall(view: RosterView) -> dict[str, dict[str, int]]:
    return minimum_shortfall(view, genders)


def score(view: RosterView, context: Context | None = None) -> int:
    return sum(sum(unmet.values()) for unmet in shortfall(view).values())
