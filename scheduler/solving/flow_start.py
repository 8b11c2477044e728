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

from collections import Counter

from ortools.graph.python import min_cost_flow

import constraints
from constraints import POINTS, Context, RosterView, fairness, participation, preference, rotation, shortage_spread
from constraints.base import missing_items
from scheduler.domain.models import Problem

Pair = tuple[str, str]


def flow_roster(problem: Problem, context: Context) -> list[Pair] | None:
    """The minimum-cost-flow roster made legal, or None when locks or frozen days must be kept."""
    if context.locks or context.frozen_before:
        return None
    solved = _min_cost_flow(problem, context, constraints.coverage_weight(problem, context), composition=True)
    if solved is None:
        return None
    flow, arcs = solved
    return _legal(problem, context, [pair for arc, pair in arcs.items() if flow.flow(arc)])


def flow_bound(problem: Problem, context: Context) -> int:
    """A lower bound on the objective of every roster of the week: the same flow without the
    composition minimums, plus what the week costs with nobody on it.

    For a roster that keeps the hard rules, the flow counts coverage of seats, shortage spread,
    participation, fairness, preference, rotation and stability exactly (each person's k-th unit
    of load, each pair, each shift's j-th seat). What the flow leaves out only makes it cheaper:
    the rules that tie a person's shifts together (rest, days in a row, overlaps), locks and
    frozen days (they take rosters away), and the composition minimums and partners (they only
    add points). So no roster costs less than the cheapest flow: a part keeps this bound when it
    is not searched, and a warm start that costs no more is proven optimal.
    """
    cover = constraints.coverage_weight(problem, context)
    seats = sum(shift.need for shift in problem.shifts)
    composition = missing_items(constraints.shortfalls(problem, [], context)) - seats
    nobody = sum(constraints.weighted_points(problem, [], context, cover).values()) - cover * composition
    solved = _min_cost_flow(problem, context, cover, composition=False)
    return nobody if solved is None else nobody + solved[0].optimal_cost()


def _min_cost_flow(problem: Problem, context: Context, seat_value: int, composition: bool):
    """The solved flow and its assignment arcs, or None when there is no unit to send.

    `seat_value` is the coverage weight (a needed seat outweighs every other cost). With
    `composition`, people who count for a minimum pass its node (for the starting roster);
    without, everyone goes straight to the seats (for the bound).
    """
    w = problem.rules.weights
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
    requirements = {shift.id: list(enumerate(shift.definition.requirements())) if composition else []
                    for shift in problem.shifts}
    rotating = bool(context.history.shifts)  # without history no slot was held before
    arcs: dict[int, Pair] = {}
    for vid, shifts in shifts_of.items():
        volunteer = problem.volunteer[vid]
        wishes = bool(volunteer.prefers or volunteer.avoids)
        person = node(("v", vid))
        most = min(len(shifts), problem.rules.weekly_cap(volunteer))
        earlier, offer = context.earlier_load.get(vid, 0), context.offered.get(vid, 0)
        idle = w.participation * participation.idle_points(vid, problem, context)
        for k in range(1, most + 1):
            cost = w.fairness * fairness.shift_cost(k, earlier, offer) - (idle if k == 1 else 0)
            flow.add_arc_with_capacity_and_unit_cost(source, person, 1, cost)
        units += most
        days: dict[object, int] = {}
        for shift in shifts:
            day = days.get(shift.date)
            if day is None:
                day = days[shift.date] = node(("d", vid, shift.date))
                flow.add_arc_with_capacity_and_unit_cost(person, day, problem.rules.max_shifts_per_day, 0)
            cost = ((w.preference * POINTS * preference.units(volunteer, shift) if wishes else 0)
                    + (w.rotation * POINTS * rotation.units(volunteer, shift, context) if rotating else 0)
                    - (w.stability * POINTS if (vid, shift.id) in context.baseline else 0))
            into = next((("r", shift.id, i) for i, (_, _, counts) in requirements[shift.id] if counts(volunteer)),
                        ("s", shift.id))
            arcs[flow.add_arc_with_capacity_and_unit_cost(day, node(into), 1, cost)] = (vid, shift.id)
    for shift in problem.shifts:
        seats = node(("s", shift.id))
        # People who count for a minimum (women, men, a skill) pass its node, worth a missing item each.
        for i, (_, wanted, _) in requirements[shift.id]:
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
    return flow, arcs


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
            if not any(rule.check(RosterView(problem, trial, context)) for rule in constraints.hard_rules("volunteer")):
                mine = trial
        kept += mine
    return kept


RELEASE_CANDIDATES = 3
"""How many others a person apart from their partner may hand the seat to: those whose next shift
costs least under fairness (each one tried costs a recount, and the cheapest are the likely ones)."""


def together(problem: Problem, context: Context, pairs: list[Pair], passes: int = 3) -> list[Pair]:
    """Partners the flow sent apart brought together where that lowers the objective.

    For a person on a shift their partner could take but is not on, the partner trades one of
    their own shifts with someone on that shift (loads stay the same) or takes that person's
    seat outright, or the person does the same on one of the partner's shifts, or the person
    gives the seat to someone else who can take it; the trade that
    lowers the objective most is kept, when the two people's own hard rules hold. Only the
    people and shifts a trade touches are recounted (every goal counts one person, one shift, or
    a person and their partner, so the rest of the roster cancels out).
    """
    current = set(pairs)
    cover = constraints.coverage_weight(problem, context)
    for _ in range(passes):
        improved = False
        for vid, sid in sorted(current):
            partner = _partner(problem, vid)
            if partner is None or (vid, sid) not in current or (partner, sid) in current:
                continue
            best, chosen = 0, None  # the trade that lowers the objective most
            for out, into in _trades(context, current, vid, sid, partner):
                after = (current - set(out)) | set(into)
                if _breaks_own_rules(problem, context, after, {p for p, _ in into}):
                    continue
                change = _change(problem, context, cover, current, after, {p for p, _ in out + into})
                if change < best:
                    best, chosen = change, after
            if chosen is not None:
                current, improved = chosen, True
        if not improved:
            break
    return sorted(current)


def _trades(context: Context, current: set[Pair], vid: str, sid: str, partner: str):
    """Ways to put `vid` and `partner` on one shift: the partner joins `sid` (in someone's place, or
    trading a shift of their own with them), or `vid` joins one of the partner's shifts likewise."""
    def onto(person: str, shift: str, leaving: str | None):
        """`person` takes a seat on `shift` from someone there, who gets `leaving` (theirs) in return."""
        if person not in context.eligible.get(shift, ()):
            return
        for q in sorted(q for q, s in current if s == shift and q not in (vid, partner)):
            if leaving is None:
                yield [(q, shift)], [(person, shift)]
            elif q in context.eligible.get(leaving, ()) and (q, leaving) not in current:
                yield [(q, shift), (person, leaving)], [(person, shift), (q, leaving)]

    yield from onto(partner, sid, None)
    # Or `vid` gives the seat to someone else, of those whose next shift costs least under fairness.
    load = Counter(q for q, _ in current)
    others = [q for q in context.eligible.get(sid, ()) if q not in (vid, partner) and (q, sid) not in current]
    for q in sorted(others, key=lambda q: (fairness.shift_cost(load[q] + 1, context.earlier_load.get(q, 0),
                                                                context.offered.get(q, 0)), q))[:RELEASE_CANDIDATES]:
        yield [(vid, sid)], [(q, sid)]
    for s2 in sorted(s for q, s in current if q == partner):
        yield from onto(partner, sid, s2)
        yield from onto(vid, s2, sid)


def _partner(problem: Problem, vid: str) -> str | None:
    partner = problem.volunteer[vid].partner
    return partner if partner and partner != vid and partner in problem.volunteer else None


def _breaks_own_rules(problem: Problem, context: Context, pairs: set[Pair], people: set[str]) -> bool:
    mine = [pair for pair in pairs if pair[0] in people]
    return any(rule.check(RosterView(problem, mine, context)) for rule in constraints.hard_rules("volunteer"))


def _change(problem: Problem, context: Context, cover: int, before: set[Pair], after: set[Pair],
            people: set[str]) -> int:
    """How much the objective changes from `before` to `after`, recounting only what they differ in."""
    people = people | {p for v in people if (p := _partner(problem, v))}
    people |= {v.id for v in problem.volunteers if v.partner in people}
    shifts = {sid for _, sid in before ^ after}

    def cost(pairs: set[Pair]) -> int:
        part = [pair for pair in pairs if pair[0] in people or pair[1] in shifts]
        return _weighted(problem, cover, constraints.goal_points(problem, part, context))

    return cost(after) - cost(before)


def _weighted(problem: Problem, cover: int, points: dict[str, int]) -> int:
    weights = problem.rules.weights
    return sum((cover if goal == "coverage" else getattr(weights, goal)) * p for goal, p in points.items())


def objective(problem: Problem, context: Context, pairs: list[Pair]) -> int:
    """The roster's objective as the solver counts it, recomputed by the catalogue."""
    return _weighted(problem, constraints.coverage_weight(problem, context),
                     constraints.goal_points(problem, pairs, context))


def best_start(problem: Problem, context: Context, fill: list[Pair], polish) -> list[Pair]:
    """`fill`, or the polished flow roster when it keeps every hard rule and costs less."""
    flowed = flow_roster(problem, context)
    if flowed is None:
        return fill
    flowed = together(problem, context, polish(problem, context, flowed))
    if constraints.check(problem, flowed, context):
        return fill
    return flowed if objective(problem, context, flowed) < objective(problem, context, fill) else fill
