"""Polishing a roster by hand-like moves before the solver starts from it.

A coordinator who sees that one person carries three shifts while a neighbour who offered the
same hours has none moves one over. This does the same, systematically: hand a shift from one
person to another eligible person whenever that lowers the fairness and preference cost, keeps
every hard rule (asked through the catalogue's own checks) and leaves the shift's composition
(women, men, skills) no worse. It stops when no such move is left. The result is only a better
starting point (a hint); the solver still decides.
"""

from __future__ import annotations

from collections import defaultdict

from constraints import POINTS, Context, RosterView
from constraints import fairness, participation, preference
from scheduler.greedy import PERSONAL_RULES
from scheduler.models import Problem, Shift, Volunteer

Pair = tuple[str, str]


def polish(problem: Problem, context: Context, pairs: list[Pair], passes: int = 4) -> list[Pair]:
    """`pairs` improved by moving single assignments to cheaper eligible people."""
    weights = problem.rules.weights
    shifts_of: dict[str, list[Shift]] = defaultdict(list)
    people_on: dict[str, list[Volunteer]] = defaultdict(list)
    for vid, sid in pairs:
        shifts_of[vid].append(problem.shift[sid])
        people_on[sid].append(problem.volunteer[vid])

    def marginal(vid: str, k: int) -> int:
        """What the person's k-th shift adds to the objective, weighted: its fairness cost, less the
        participation points a first shift saves."""
        cost = weights.fairness * fairness.shift_cost(k, context.earlier_load.get(vid, 0), context.offered.get(vid, 0))
        if k == 1:
            cost -= weights.participation * participation.idle_points(vid, problem, context)
        return cost

    def taste(volunteer: Volunteer, shift: Shift) -> int:
        return weights.preference * POINTS * preference.units(volunteer, shift)

    def fits(volunteer: Volunteer, shift: Shift) -> bool:
        mine = [(volunteer.id, s.id) for s in shifts_of[volunteer.id]] + [(volunteer.id, shift.id)]
        return not any(rule.check(RosterView(problem, mine, context)) for rule in PERSONAL_RULES)

    # Someone who offered and has nothing joins a shift that has room below its `max`: the seat
    # count stays, their participation points go (they always outweigh the first shift's fairness).
    for sid in [s.id for s in problem.shifts]:
        shift = problem.shift[sid]
        for vid in context.eligible.get(sid, ()):
            if len(people_on[sid]) >= shift.max:
                break
            taker = problem.volunteer[vid]
            if not shifts_of[vid] and marginal(vid, 1) + taste(taker, shift) < 0 and fits(taker, shift):
                people_on[sid].append(taker)
                shifts_of[vid].append(shift)
    for _ in range(passes):
        moved = False
        for sid in [s.id for s in problem.shifts if people_on.get(s.id)]:
            shift = problem.shift[sid]
            for giver in list(people_on[sid]):
                saving = marginal(giver.id, len(shifts_of[giver.id])) + taste(giver, shift)
                on_shift = {v.id for v in people_on[sid]}
                offers = sorted(((marginal(vid, len(shifts_of[vid]) + 1) + taste(problem.volunteer[vid], shift), vid)
                                 for vid in context.eligible.get(sid, ()) if vid not in on_shift))
                for cost, vid in offers:
                    if cost >= saving:
                        break  # sorted: nobody further down is cheaper
                    taker = problem.volunteer[vid]
                    if _keeps_composition(shift, people_on[sid], giver, taker) and fits(taker, shift):
                        people_on[sid][people_on[sid].index(giver)] = taker
                        shifts_of[giver.id].remove(shift)
                        shifts_of[taker.id].append(shift)
                        moved = True
                        break
        if not moved:
            break
    return [(v.id, sid) for sid, people in people_on.items() for v in people]


def _keeps_composition(shift: Shift, people: list[Volunteer], giver: Volunteer, taker: Volunteer) -> bool:
    """Swapping `giver` for `taker` leaves every minimum (women, men, tags) at least as well met."""
    after = [taker if v is giver else v for v in people]
    return all(min(wanted, sum(map(counts, after))) >= min(wanted, sum(map(counts, people)))
               for _, wanted, counts in shift.definition.requirements())
