"""A greedy fill, the way a coordinator fills the roster by hand: it starts the solver and is its baseline.

Scarce shifts first (fewest eligible people per seat), composition seats (women, men, skills)
before plain seats, and for each seat the eligible person who would cost least in fairness and
preference and still keeps every hard rule. The hard rules are asked through the catalogue's own
checks, so the fill can never disagree with them.
"""

from __future__ import annotations

from collections import defaultdict

from constraints import Context, RosterView
from constraints import fairness, participation, preference
from constraints import max_consecutive_days, max_shifts_per_day, max_shifts_per_week, min_rest_hours, no_overlap
from scheduler.models import Problem, Shift, Volunteer, VolunteerId

PERSONAL_RULES = (no_overlap, max_shifts_per_day, max_shifts_per_week, min_rest_hours, max_consecutive_days)
"""The hard rules that concern one person's own shifts; eligibility is given by the context."""


def greedy_fill(problem: Problem, context: Context, order: str = "scarcity") -> list[tuple[VolunteerId, str]]:
    """(volunteer, shift) pairs of a roster that keeps every hard rule.

    `order="time"` fills shifts in time order instead, as a hand-made roster usually is.
    """
    taken: dict[VolunteerId, list[Shift]] = defaultdict(list)
    pairs: list[tuple[VolunteerId, str]] = []

    # Skills and roles some shift of the week requires are scarce: people carrying them are kept
    # for those shifts, and sent elsewhere only when nobody else can go.
    wanted_tags = {tag for s in problem.shifts for tag in s.definition.require}

    def cost(volunteer: Volunteer, shift: Shift) -> tuple:
        load = len(taken[volunteer.id])
        hoarded = len((volunteer.tags & wanted_tags) - set(shift.definition.require))
        # Everyone who offered has a first turn before anyone has a second (participation).
        turn = -participation.idle_points(volunteer.id, problem, context) if load == 0 else 0
        return (hoarded, turn + fairness.shift_cost(load + 1, context.earlier_load.get(volunteer.id, 0),
                                                    context.offered.get(volunteer.id, 0))
                + preference.units(volunteer, shift) * 10, volunteer.id)

    def fits(volunteer: Volunteer, shift: Shift) -> bool:
        mine = [(volunteer.id, s.id) for s in taken[volunteer.id]] + [(volunteer.id, shift.id)]
        view = RosterView(problem, mine, context)
        return not any(rule.check(view) for rule in PERSONAL_RULES)

    shifts = list(problem.shifts)
    if order == "scarcity":
        shifts.sort(key=lambda s: (len(context.eligible.get(s.id, ())) / max(s.need, 1), s.start, s.id))
    for shift in shifts:
        candidates = sorted((problem.volunteer[vid] for vid in context.eligible.get(shift.id, ())),
                            key=lambda v: cost(v, shift))
        chosen: list[Volunteer] = []
        # Composition seats first, tags before gender: the rarer people are placed while they are free.
        for _, count, test in sorted(shift.definition.requirements(), key=lambda r: r.item in ("female", "male")):
            have = sum(1 for v in chosen if test(v))
            for volunteer in candidates:
                if have >= count or len(chosen) >= shift.max:
                    break
                if volunteer not in chosen and test(volunteer) and fits(volunteer, shift):
                    chosen.append(volunteer)
                    taken[volunteer.id].append(shift)
                    have += 1
        for volunteer in candidates:
            if len(chosen) >= shift.need:
                break
            if volunteer not in chosen and fits(volunteer, shift):
                chosen.append(volunteer)
                taken[volunteer.id].append(shift)
        pairs.extend((v.id, shift.id) for v in chosen)
    return pairs
