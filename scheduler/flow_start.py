"""A starting roster from a minimum-cost flow: the goals that only count loads and seats, solved exactly.

Coverage, shortage spread, participation, fairness, preference, rotation and stability charge
either each assignment on its own or a convex cost of a person's load or of a shift's empty
seats. Without the rules that tie one person's shifts together over time (rest, days in a row,
overlaps beyond the per-day limit) and partners, and counting each person towards one
composition minimum at most,
the best roster is a minimum-cost flow:

    source → person (the k-th unit costs the k-th shift's fairness cost, the first one less the
    participation points it saves) → person on a day (at most `max_shifts_per_day`) → shift
    (preference, rotation, stability; someone who counts for one of the shift's minimums passes
    its node, worth a missing item for each one up to the minimum) → the shift's seats (the j-th
    seat up to `need` saves a missing seat and its shortage-spread cost; seats up to `max` cost
    nothing) → sink,

with an arc from source to sink for the units nobody takes. The flow is then made legal: each
person keeps their shifts in time order as long as the personal hard rules allow. It is only a
warm start: `best_start` keeps it when the catalogue's own checks find no broken rule and its
objective, recomputed by the catalogue, is lower than the other candidate's.
"""

from __future__ import annotations

from ortools.graph.python import min_cost_flow

import constraints
from constraints import POINTS, Context, RosterView, fairness, participation, preference, rotation, shortage_spread
from scheduler.greedy import PERSONAL_RULES
from scheduler.models import Problem

Pair = tuple[str, str]


def flow_roster(problem: Problem, context: Context) -> list[Pair] | None:
    """The minimum-cost-flow roster made legal, or None when locks or frozen days must be kept."""
    if context.locks or context.frozen_before:
        return None
    w = problem.rules.weights
    seat_value = constraints.coverage_weight(problem, context)  # a needed seat outweighs every other cost
    flow = min_cost_flow.SimpleMinCostFlow()
    nodes: dict[object, int] = {}

    def node(key) -> int:
        return nodes.setdefault(key, len(nodes) + 2)

    source, sink = 0, 1
    units = 0
    shifts_of: dict[str, list] = {}
    for sid, vids in context.eligible.items():
        for vid in vids:
            shifts_of.setdefault(vid, []).append(problem.shift[sid])
    arcs: dict[int, Pair] = {}
    days: set = set()
    for vid, shifts in shifts_of.items():
        volunteer = problem.volunteer[vid]
        most = min(len(shifts), problem.rules.weekly_cap(volunteer))
        earlier, offer = context.earlier_load.get(vid, 0), context.offered.get(vid, 0)
        idle = w.participation * participation.idle_points(vid, problem, context)
        for k in range(1, most + 1):
            cost = w.fairness * fairness.shift_cost(k, earlier, offer) - (idle if k == 1 else 0)
            flow.add_arc_with_capacity_and_unit_cost(source, node(("v", vid)), 1, cost)
        units += most
        for shift in shifts:
            day = node(("d", vid, shift.date))
            if day not in days:
                days.add(day)
                flow.add_arc_with_capacity_and_unit_cost(node(("v", vid)), day, problem.rules.max_shifts_per_day, 0)
            cost = (w.preference * POINTS * preference.units(volunteer, shift)
                    + w.rotation * POINTS * rotation.units(volunteer, shift, context)
                    - (w.stability * POINTS if (vid, shift.id) in context.baseline else 0))
            into = next((("r", shift.id, i) for i, (_, _, counts) in enumerate(shift.definition.requirements())
                         if counts(volunteer)), ("s", shift.id))
            arcs[flow.add_arc_with_capacity_and_unit_cost(day, node(into), 1, cost)] = (vid, shift.id)
    for shift in problem.shifts:
        seats = node(("s", shift.id))
        # People who count for a minimum (women, men, a skill) pass its node, worth a missing item each.
        for i, (_, wanted, _) in enumerate(shift.definition.requirements()):
            if ("r", shift.id, i) in nodes:
                flow.add_arc_with_capacity_and_unit_cost(node(("r", shift.id, i)), seats, wanted, -seat_value)
                flow.add_arc_with_capacity_and_unit_cost(node(("r", shift.id, i)), seats, shift.max, 0)
        for j in range(1, shift.need + 1):  # the j-th seat filled saves the (need - j + 1)-th empty seat
            saving = seat_value + w.shortage_spread * shortage_spread.seat_cost(shift.need - j + 1, shift.need)
            flow.add_arc_with_capacity_and_unit_cost(seats, sink, 1, -saving)
        if shift.max > shift.need:
            flow.add_arc_with_capacity_and_unit_cost(seats, sink, shift.max - shift.need, 0)
    flow.add_arc_with_capacity_and_unit_cost(source, sink, units, 0)
    flow.set_node_supply(source, units)
    flow.set_node_supply(sink, -units)
    if units == 0 or flow.solve() != flow.OPTIMAL:
        return None
    chosen = [pair for arc, pair in arcs.items() if flow.flow(arc)]
    return _legal(problem, context, chosen)


def _legal(problem: Problem, context: Context, pairs: list[Pair]) -> list[Pair]:
    """Each person keeps their shifts in time order while the personal hard rules allow."""
    by_person: dict[str, list] = {}
    for vid, sid in pairs:
        by_person.setdefault(vid, []).append(problem.shift[sid])
    kept: list[Pair] = []
    for vid, shifts in by_person.items():
        mine: list[Pair] = []
        for shift in sorted(shifts, key=lambda s: (s.start, s.id)):
            trial = mine + [(vid, shift.id)]
            if not any(rule.check(RosterView(problem, trial, context)) for rule in PERSONAL_RULES):
                mine = trial
        kept += mine
    return kept


def together(problem: Problem, context: Context, pairs: list[Pair]) -> list[Pair]:
    """Partners the flow sent apart brought together where that lowers the objective.

    For a person on a shift their partner could take but is not on, the partner trades one of
    their own shifts with someone on that shift (loads stay the same), or takes that person's
    seat outright; each trade is kept when every hard rule holds and the objective drops.
    """
    current = list(pairs)
    best = objective(problem, context, current)
    for vid, sid in list(current):
        partner = problem.volunteer[vid].partner
        if not partner or partner == vid or partner not in context.offered:
            continue
        if partner not in context.eligible.get(sid, ()) or (partner, sid) in current:
            continue
        others = [q for q, s in current if s == sid and q not in (vid, partner)]
        mine = [s for q, s in current if q == partner]
        trials: list[tuple[list[Pair], list[Pair]]] = []
        for q in others:
            trials.append(([(q, sid)], [(partner, sid)]))
            for s2 in mine:
                if q in context.eligible.get(s2, ()) and (q, s2) not in current:
                    trials.append(([(q, sid), (partner, s2)], [(partner, sid), (q, s2)]))
        for out, into in trials:
            trial = [pair for pair in current if pair not in out] + into
            if constraints.check(problem, trial, context):
                continue
            cost = objective(problem, context, trial)
            if cost < best:
                current, best = trial, cost
                break
    return current


def objective(problem: Problem, context: Context, pairs: list[Pair]) -> int:
    """The roster's objective as the solver counts it, recomputed by the catalogue."""
    points = constraints.goal_points(problem, pairs, context)
    weights = problem.rules.weights
    cover = constraints.coverage_weight(problem, context)
    return sum((cover if goal == "coverage" else getattr(weights, goal)) * p for goal, p in points.items())


def best_start(problem: Problem, context: Context, fill: list[Pair], polish) -> list[Pair]:
    """`fill`, or the polished flow roster when it keeps every hard rule and costs less."""
    flowed = flow_roster(problem, context)
    if flowed is None:
        return fill
    flowed = together(problem, context, polish(problem, context, flowed))
    if constraints.check(problem, flowed, context):
        return fill
    return flowed if objective(problem, context, flowed) < objective(problem, context, fill) else fill
