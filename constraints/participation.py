"""Everybody who offered gets a turn: nobody is left with no shift when a roster with the same coverage could give them one.

A person *offered* when they are active, their weekly limit is above 0 and at least one shift
is open to them (their offer, see `fairness.offers`, is above 0). Committees that practise
轮番值勤 want each of them called at least once; people who volunteer and are never called stop
volunteering.

Definition. Leaving a person who offered without any shift costs `(1 + streak) × 100` points,
where `streak` is the number of history weeks in a row, counting back from last week, whose
roster left them out too: the one left out last week comes first this week, the one left out
twice comes before them. On top of that it costs what the person's first shift would cost
under fairness (weighted, divided by this goal's weight, rounded up), which makes the goal come
before fairness whatever the weights:

- giving a left-out person A the seat of someone B who keeps another shift changes fairness by
  `cost(A, 1) − cost(B, last) ≤ cost(A, 1)` (fairness only counts loads, so the people moved
  in between do not change it), less than the points saved here;
- choosing which of two left-out people gets the seat, the fairness parts cancel and only the
  streaks decide.

Seats count up to a shift's `max`: a person may be added above `need` to get their turn, which
leaves coverage as it is. Coverage still comes first: its weight is derived from every goal's
worst, this one's included.

Formulation: per person who offered, a boolean `idle[v]`, true exactly when none of their
`works[v, s]` is (a clause and one implication per shift), charged its points.
"""

from __future__ import annotations

import math

from ortools.graph.python import max_flow

from constraints import fairness
from constraints.base import POINTS, Context, Plan, RosterView, per_view
from scheduler.domain.models import Problem, VolunteerId

NAME = "participation"
KIND = "soft"


def streak(volunteer: VolunteerId, context: Context) -> int:
    """How many history weeks in a row, back from the latest, left the volunteer out."""
    out = {week for week, vid in context.history.left_out if vid == volunteer}
    count = 0
    for week in reversed(context.history.weeks):
        if week not in out:
            break
        count += 1
    return count


def idle_points(volunteer: VolunteerId, problem: Problem, context: Context) -> int:
    """Unweighted points of leaving the volunteer with no shift (0 for those who offered nothing)."""
    offer = context.offered.get(volunteer, 0)
    weights = problem.rules.weights
    if offer <= 0 or weights.participation <= 0:
        return 0
    first = fairness.shift_cost(1, context.earlier_load.get(volunteer, 0), offer)
    return (1 + streak(volunteer, context)) * POINTS + math.ceil(weights.fairness * first / weights.participation)


def add(plan: Plan) -> None:
    for vid in plan.volunteers_with_shifts():
        points = idle_points(vid, plan.problem, plan.context)
        if not points:
            continue
        idle = plan.model.new_bool_var(f"idle[{vid}]")
        works = [var for _, var in plan.shifts_of(vid)]
        plan.model.add_bool_or([*works, idle])
        for var in works:  # idle exactly when no shift: a hinted roster then fixes it too
            plan.model.add_implication(var, idle.negated())
        plan.penalize(NAME, idle, points, volunteer=vid, note="no shift this week")


def worst(problem: Problem, context: Context) -> int:
    """The most participation points any roster could cost: everyone who offered left out."""
    return sum(idle_points(vid, problem, context) for vid in context.offered)


@per_view
def points_of(view: RosterView, context: Context) -> dict[VolunteerId, int]:
    """Participation points of each volunteer who offered and has no shift in a finished roster."""
    return {vid: points for vid in context.offered
            if vid not in view.shifts_by_volunteer and (points := idle_points(vid, view.problem, context))}


def score(view: RosterView, context: Context) -> int:
    return sum(points_of(view, context).values())


def least(problem: Problem, context: Context) -> int:
    """The fewest participation points any roster can cost: beyond the `placeable` people, the
    others who offered are left out, at least the cheapest of them."""
    points = sorted(idle_points(vid, problem, context) for vid, offer in context.offered.items() if offer > 0)
    return sum(points[:max(0, len(points) - placeable(problem, context))])


def placeable(problem: Problem, context: Context) -> int:
    """How many of the people who offered could all have a shift at once: a bound no roster can beat.

    A maximum flow from the people who offered (one unit each) through the shifts open to them
    to the seats (each shift's `max`). Every other rule can only lower it.
    """
    flow = max_flow.SimpleMaxFlow()
    people = [vid for vid, offer in context.offered.items() if offer > 0]
    index = {vid: 2 + i for i, vid in enumerate(people)}
    source, sink, base = 0, 1, 2 + len(people)
    for vid in people:
        flow.add_arc_with_capacity(source, index[vid], 1)
    for j, shift in enumerate(problem.shifts):
        node = base + j
        flow.add_arc_with_capacity(node, sink, shift.max)
        for vid in context.eligible.get(shift.id, ()):
            if vid in index:
                flow.add_arc_with_capacity(index[vid], node, 1)
    if not people or flow.solve(source, sink) != flow.OPTIMAL:
        return 0
    return flow.optimal_flow()
