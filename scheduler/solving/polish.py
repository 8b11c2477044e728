"""Polishing a roster by hand-like moves before the solver starts from it.

A coordinator who sees that one person carries three shifts while a neighbour who offered the
same hours has none moves one over. This does the same, systematically: hand a shift from one
person to another eligible person whenever that lowers the fairness and preference cost, keeps
every hard rule (asked through the catalogue's own checks) and leaves the shift's composition
(women, men, skills) no worse. It stops when no such move is left. The result is only a better
starting point (a hint); the solver still decides.
"""

from __future__ import annotations

from constraints import POINTS, Context, fairness, participation, preference
from scheduler.domain.models import Problem, Shift, Volunteer
from scheduler.solving.warm_start import Halt, Placement, never

Pair = tuple[str, str]


def polish(problem: Problem, context: Context, pairs: list[Pair], passes: int = 4, halt: Halt = never) -> list[Pair]:
    """`pairs` improved by moving single assignments to cheaper eligible people.

    Pinned assignments (locks, frozen days) and those of the earlier roster of the week (a
    re-plan keeps them where it can) never move. When `halt()` says so, polishing ends with the
    moves made so far: every intermediate roster keeps every hard rule.
    """
    if halt():
        return list(pairs)  # (stopped before it began: not even the placement is worth making)
    weights = problem.rules.weights
    placement = Placement(problem, context, pairs)
    keep = placement.pinned | context.baseline

    def marginal(vid: str, k: int) -> int:
        """What the person's k-th shift adds to the objective, weighted: its fairness cost, less the
        participation points a first shift saves."""
        cost = weights.fairness * fairness.shift_cost(k, context.earlier_load.get(vid, 0), context.offered.get(vid, 0))
        if k == 1:
            cost -= weights.participation * participation.idle_points(vid, problem, context)
        return cost

    def taste(volunteer: Volunteer, shift: Shift) -> int:
        return weights.preference * POINTS * preference.units(volunteer, shift)

    # Someone who offered and has nothing joins a shift that has room below its `max`: the seat
    # count stays, their participation points go (they always outweigh the first shift's fairness).
    # The placement asks the catalogue's hard rules, frozen shifts included.
    for shift in problem.shifts:
        if halt():
            return placement.pairs()
        if not placement.open(shift.id):
            continue
        for vid in context.eligible.get(shift.id, ()):
            if len(placement.people_on.get(shift.id, ())) >= shift.max:
                break
            taker = problem.volunteer[vid]
            if (not placement.shifts_of.get(vid) and marginal(vid, 1) + taste(taker, shift) < 0
                    and placement.fits(vid, shift.id)):
                placement.add(vid, shift.id)
    for _ in range(passes):
        moved = False
        for sid in [s.id for s in problem.shifts if placement.people_on.get(s.id) and placement.open(s.id)]:
            if halt():
                return placement.pairs()
            shift = problem.shift[sid]
            for giver_id in list(placement.people_on[sid]):
                if (giver_id, sid) in keep:
                    continue
                giver = problem.volunteer[giver_id]
                saving = marginal(giver_id, len(placement.shifts_of[giver_id])) + taste(giver, shift)
                on_shift = set(placement.people_on[sid])
                offers = sorted((marginal(vid, len(placement.shifts_of.get(vid, ())) + 1)
                                  + taste(problem.volunteer[vid], shift), vid)
                                 for vid in context.eligible.get(sid, ()) if vid not in on_shift)
                people = [problem.volunteer[vid] for vid in placement.people_on[sid]]
                for cost, vid in offers:
                    if cost >= saving:
                        break  # sorted: nobody further down is cheaper
                    taker = problem.volunteer[vid]
                    if _keeps_composition(shift, people, giver, taker) and placement.fits(vid, sid, instead_of=giver_id):
                        placement.remove(giver_id, sid)
                        placement.add(vid, sid)
                        moved = True
                        break
        if not moved:
            break
    return placement.pairs()


def _keeps_composition(shift: Shift, people: list[Volunteer], giver: Volunteer, taker: Volunteer) -> bool:
    """Swapping `giver` for `taker` leaves every minimum (women, men, tags) at least as well met."""
    after = [taker if v is giver else v for v in people]
    return all(min(wanted, sum(map(counts, after))) >= min(wanted, sum(map(counts, people)))
               for _, wanted, counts in shift.definition.requirements())
