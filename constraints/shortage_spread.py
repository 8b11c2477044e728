"""When seats must stay empty, they are spread over the shifts: no post left empty for a day while its other days are full.

A short week leaves some seats empty whatever the roster; coverage only counts how many. A
coordinator spreads them: a crossing post short of three people over five mornings is staffed
3/3/2/2/2, not 3/3/3/3/0, because an empty post is no post at all.

Definition. The j-th empty seat of a shift that needs `need` people costs `round(100 · j / need)`
points: each further empty seat of the same shift costs more, so the cheapest way to leave a
given number of seats empty is to leave them on different shifts, in proportion to what each
shift needs (a shift with no one at all costs the most). A fully staffed week costs nothing.

Formulation: per shift, ordered booleans `empty[s, j]` = "at least j seats empty" (their sum at
least `need − assigned`, and `empty[s, j]` only when at most `need − j` are assigned), each
charged its cost. Coverage still comes first (its weight is derived
from every goal's worst, this one's included).
"""

from __future__ import annotations

from itertools import pairwise

from ortools.sat.python import cp_model

from constraints.base import POINTS, Context, Plan, RosterView
from scheduler.domain.models import Problem, Shift

NAME = "shortage_spread"
KIND = "soft"


def seat_cost(j: int, need: int) -> int:
    """Points for the j-th empty seat of a shift that needs `need` people."""
    return round(POINTS * j / max(need, 1))


def add(plan: Plan) -> None:
    for shift in plan.problem.shifts:
        if not shift.need:
            continue
        people = [var for _, var in plan.volunteers_on(shift.id)]
        empty = [plan.model.new_bool_var(f"empty[{shift.id},{j}]") for j in range(1, shift.need + 1)]
        plan.model.add(cp_model.LinearExpr.sum(empty) + cp_model.LinearExpr.sum(people) >= shift.need)
        for more, fewer in pairwise(empty):
            plan.model.add_implication(fewer, more)
        for j, var in enumerate(empty, start=1):  # only seats really empty: the assignments fix them
            plan.model.add(cp_model.LinearExpr.sum(people) <= shift.need - j).only_enforce_if(var)
        for j, var in enumerate(empty, start=1):
            plan.penalize(NAME, var, seat_cost(j, shift.need), shift=shift.id, note=f"empty seat {j} of {shift.need}")


def missing(view: RosterView, shift: Shift) -> int:
    return max(0, shift.need - len(view.people_on(shift.id)))


def worst(problem: Problem, context: Context) -> int:
    """The most points any roster could cost: every shift empty."""
    return sum(seat_cost(j, s.need) for s in problem.shifts for j in range(1, s.need + 1))


def points_of(view: RosterView, context: Context) -> dict[str, int]:
    """No volunteer carries these points: they belong to the shifts left short."""
    return {}


def score(view: RosterView, context: Context) -> int:
    return sum(seat_cost(j, shift.need) for shift in view.problem.shifts for j in range(1, missing(view, shift) + 1))
