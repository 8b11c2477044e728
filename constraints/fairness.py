"""The load is spread over people in proportion to what each offered: nobody who signed up is
left out for long, and nobody carries the week.

Definition. A person's *offer* is the most shifts they could serve this week: the smallest of
their weekly limit, the number of days on which they are eligible for some shift (times
`max_shifts_per_day`), and the number of shifts they are eligible for. Their k-th shift (counting
the shifts they served in the weeks of history first) costs `round(100 * k / offer)` points.
The cost of each further shift grows, so the cheapest way to fill the seats is to give everyone a
load proportional to their offer: minimising the sum of these costs is minimising
`sum(load² / (2·offer))`, whose optimum under a fixed total is `load ∝ offer`.

Formulation: per person, booleans `loaded[v,k]` = "has at least k shifts", ordered
(`loaded[v,k] >= loaded[v,k+1]`) and summing to the person's shifts; each carries its cost.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from itertools import chain, pairwise

from ortools.sat.python import cp_model

from constraints.base import POINTS, Context, Plan, RosterView, per_view
from scheduler.domain.models import Problem, ShiftId, VolunteerId

NAME = "fairness"
KIND = "soft"


def offers(problem: Problem, eligible: dict[ShiftId, list[VolunteerId]]) -> dict[VolunteerId, int]:
    """The most shifts each volunteer could serve this week (0 for those eligible for nothing).

    Counted list by list (a big week's lists hold millions of entries): the shifts each person is
    listed on, and the dates on whose lists they stand at least once."""
    lists_by_date: dict[dt.date, list[list[VolunteerId]]] = defaultdict(list)
    for shift in problem.shifts:
        lists_by_date[shift.date].append(eligible.get(shift.id, []))
    shifts = Counter(chain.from_iterable(chain.from_iterable(lists_by_date.values())))
    days = Counter(chain.from_iterable(set().union(*lists) for lists in lists_by_date.values()))
    rules = problem.rules
    return {
        v.id: min(rules.weekly_cap(v), days[v.id] * rules.max_shifts_per_day, shifts[v.id])
        for v in problem.volunteers
    }


def shift_cost(k: int, earlier: int, offer: int) -> int:
    """Points for a person's k-th shift of the week, after `earlier` shifts in the history."""
    return round(POINTS * (earlier + k) / max(offer, 1))


def add(plan: Plan) -> None:
    context = plan.context
    for vid in plan.volunteers_with_shifts():
        week_vars = [var for _, var in plan.shifts_of(vid)]
        most = min(len(week_vars), plan.problem.rules.weekly_cap(plan.problem.volunteer[vid]))
        if most == 0:
            continue
        loaded = [plan.model.new_bool_var(f"loaded[{vid},{k}]") for k in range(1, most + 1)]
        plan.model.add(cp_model.LinearExpr.sum(loaded) == cp_model.LinearExpr.sum(week_vars))
        for more, fewer in pairwise(loaded):
            plan.model.add_implication(fewer, more)
        earlier, offer = context.earlier_load.get(vid, 0), context.offered.get(vid, 0)
        for k, var in enumerate(loaded, start=1):
            plan.penalize(NAME, var, shift_cost(k, earlier, offer), volunteer=vid, note=f"shift {k} of {offer} offered")


def worst(problem: Problem, context: Context) -> int:
    """The most fairness points any roster could cost: everyone at their weekly limit."""
    counts: dict[VolunteerId, int] = {}
    for vids in context.eligible.values():
        for vid in vids:
            counts[vid] = counts.get(vid, 0) + 1
    return sum(shift_cost(k, context.earlier_load.get(vid, 0), context.offered.get(vid, 0))
               for vid, n in counts.items()
               for k in range(1, min(n, problem.rules.weekly_cap(problem.volunteer[vid])) + 1))


def least(problem: Problem, context: Context, shifts_filled: int) -> int:
    """The fewest fairness points any roster filling `shifts_filled` assignments can cost.

    Each person's costs grow with every shift, so whatever the loads, the points are at least
    the sum of the `shifts_filled` cheapest costs among everyone's possible shifts.
    """
    counts: dict[VolunteerId, int] = {}
    for vids in context.eligible.values():
        for vid in vids:
            counts[vid] = counts.get(vid, 0) + 1
    costs = sorted(shift_cost(k, context.earlier_load.get(vid, 0), context.offered.get(vid, 0))
                   for vid, n in counts.items()
                   for k in range(1, min(n, problem.rules.weekly_cap(problem.volunteer[vid])) + 1))
    return sum(costs[:shifts_filled])


@per_view
def points_of(view: RosterView, context: Context) -> dict[VolunteerId, int]:
    """Fairness points of each volunteer with shifts in a finished roster."""
    return {
        vid: sum(shift_cost(k, context.earlier_load.get(vid, 0), context.offered.get(vid, 0))
                 for k in range(1, len(shifts) + 1))
        for vid, shifts in view.shifts_by_volunteer.items()
    }


def score(view: RosterView, context: Context) -> int:
    return sum(points_of(view, context).values())
