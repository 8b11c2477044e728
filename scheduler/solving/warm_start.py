"""A greedy fill, the way a coordinator fills the roster by hand: it starts the solver and is its baseline.

It starts from what the plan pins (the locks, the earlier roster on frozen days), then keeps what
it can of the earlier roster of the week (a re-plan), then fills the open seats: scarce shifts
first (fewest eligible people per seat), composition seats (women, men, skills) before plain
seats, and for each seat the eligible person who would cost least in fairness and preference.
Every placement is asked of the catalogue's own checks (see `Placement`), so the fill keeps
every hard rule and can be handed back as a roster whenever the search gets no time.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable

import constraints
from constraints import Context, RosterView, fairness, freeze, participation, preference
from scheduler.domain.models import Problem, Shift, Volunteer, VolunteerId

Pair = tuple[VolunteerId, str]
Halt = Callable[[], bool]
"""Asked between steps of a long loop: True when the loop must end now (a stop, or its time is up)."""


def never() -> bool:
    return False


class Placement:
    """A roster being changed one assignment at a time, each change asked of the catalogue's checks.

    The hard rules are taken from the catalogue by the `SCOPE` they declare: the `volunteer`
    rules are asked about the person's own shifts, the `shift` rules about the people on the
    shift; `pair` rules (eligibility) are the context's eligible lists, asked again for pairs
    that come from elsewhere (an earlier roster). The `plan` rules (locks, freeze) are kept by
    construction: pinned assignments never move and frozen shifts take nobody new.
    """

    def __init__(self, problem: Problem, context: Context, pairs=()):
        self.problem, self.context = problem, context
        self.pinned = constraints.pinned_pairs(problem, context)
        self.frozen = freeze.frozen_shifts(problem, context)
        self.shifts_of: dict[VolunteerId, list[str]] = defaultdict(list)
        self.people_on: dict[str, list[VolunteerId]] = defaultdict(list)
        # Each person's shifts in time order, as a roster view of them lists them (kept as they change,
        # so that asking the checks about one more shift does not sort the person's week again).
        self._timeline: dict[VolunteerId, list[Shift]] = defaultdict(list)
        self._pair_rules = constraints.hard_rules("pair")
        self._person_rules = constraints.hard_rules("volunteer")
        self._shift_rules = constraints.hard_rules("shift")
        for vid, sid in pairs:
            self.add(vid, sid)

    def add(self, vid: VolunteerId, sid: str) -> None:
        self.shifts_of[vid].append(sid)
        self.people_on[sid].append(vid)
        if vid in self.problem.volunteer and sid in self.problem.shift:
            bisect.insort(self._timeline[vid], self.problem.shift[sid], key=_in_time)

    def remove(self, vid: VolunteerId, sid: str) -> None:
        self.shifts_of[vid].remove(sid)
        self.people_on[sid].remove(vid)
        if vid in self.problem.volunteer and sid in self.problem.shift:
            self._timeline[vid].remove(self.problem.shift[sid])

    def open(self, sid: str) -> bool:
        """Whether the shift may change at all (frozen shifts keep the earlier roster)."""
        return sid not in self.frozen

    def movable(self, vid: VolunteerId, sid: str) -> bool:
        return sid not in self.frozen and (vid, sid) not in self.pinned

    def fits(self, vid: VolunteerId, sid: str, instead_of: VolunteerId | None = None, *, check_pair: bool = False) -> bool:
        """Whether `vid` may also take `sid` (in the place of `instead_of`, who then leaves it)."""
        if not self.open(sid) or vid in self.people_on.get(sid, ()):
            return False
        if check_pair and any(rule.check(RosterView(self.problem, [(vid, sid)], self.context)) for rule in self._pair_rules):
            return False
        mine = [(vid, s) for s in self.shifts_of.get(vid, ())] + [(vid, sid)]
        if vid in self.problem.volunteer and sid in self.problem.shift and len(set(mine)) == len(mine):
            timeline = list(self._timeline.get(vid, ()))
            bisect.insort(timeline, self.problem.shift[sid], key=_in_time)
            view = RosterView.known(self.problem, mine, self.context, {vid: timeline})
        else:
            view = RosterView(self.problem, mine, self.context)
        if any(rule.check(view) for rule in self._person_rules):
            return False
        crew = [(v, sid) for v in self.people_on.get(sid, ()) if v != instead_of] + [(vid, sid)]
        view = RosterView(self.problem, crew, self.context)
        return not any(rule.check(view) for rule in self._shift_rules)

    def pairs(self) -> list[Pair]:
        return [(vid, shift.id) for shift in self.problem.shifts for vid in self.people_on.get(shift.id, ())]


def _in_time(shift: Shift) -> tuple:
    """The order of a person's shifts in a roster view (`RosterView.shifts_by_volunteer`)."""
    return (shift.start, shift.id)


def start(problem: Problem, context: Context) -> Placement:
    """The pinned assignments, then every assignment of the earlier roster of the week that still fits."""
    placement = Placement(problem, context)
    for vid, sid in sorted(placement.pinned, key=lambda p: (problem.shift[p[1]].start, p[1], p[0])):
        placement.add(vid, sid)
    for vid, sid in sorted(context.baseline - placement.pinned):
        if sid in problem.shift and vid in problem.volunteer and placement.fits(vid, sid, check_pair=True):
            placement.add(vid, sid)
    return placement


def greedy_fill(problem: Problem, context: Context, order: str = "scarcity", halt: Halt = never) -> list[Pair]:
    """(volunteer, shift) pairs of a roster that keeps every hard rule, locks and frozen days included.

    `order="time"` fills shifts in time order instead, as a hand-made roster usually is. When
    `halt()` says so the fill ends early: the seats filled so far (and the pinned ones) stay.
    """
    placement = start(problem, context)
    # Skills and roles some shift of the week requires are scarce: people carrying them are kept
    # for those shifts, and sent elsewhere only when nobody else can go.
    wanted_tags = {tag for s in problem.shifts for tag in s.definition.require}
    scarce = {v.id: v.tags & wanted_tags for v in problem.volunteers}
    earlier, offered, shifts_of = context.earlier_load, context.offered, placement.shifts_of
    idle = {v.id: participation.idle_points(v.id, problem, context) for v in problem.volunteers}

    # What the sort key needs of each person that the fill does not change, asked once.
    facts = {v.id: (scarce[v.id], bool(v.prefers or v.avoids), idle[v.id], earlier.get(v.id, 0), offered.get(v.id, 0))
             for v in problem.volunteers}

    # The key of someone without scarce tags or wishes (the many) is the same on every shift until
    # their load changes: (load, key) by id.
    plain: dict[VolunteerId, tuple[int, tuple]] = {}

    def cost_on(shift: Shift) -> Callable[[Volunteer], tuple]:
        require = set(shift.definition.require)

        def cost(volunteer: Volunteer) -> tuple:
            # The sort key of every eligible person of every shift: kept cheap (no work for people
            # without scarce tags or wishes, the many).
            vid = volunteer.id
            load = len(shifts_of.get(vid, ()))
            known = plain.get(vid)
            if known is not None and known[0] == load:
                return known[1]
            tags, wishes, idle_points, before, offer = facts[vid]
            hoarded = len(tags - require) if tags else 0
            taste = preference.units(volunteer, shift) * 10 if wishes else 0
            # Everyone who offered has a first turn before anyone has a second (participation).
            turn = -idle_points if load == 0 else 0
            key = (hoarded, turn + fairness.shift_cost(load + 1, before, offer) + taste, vid)
            if not (tags or wishes):
                plain[vid] = (load, key)
            return key
        return cost

    shifts = [s for s in problem.shifts if placement.open(s.id)]
    if order == "scarcity":
        shifts.sort(key=lambda s: (len(context.eligible.get(s.id, ())) / max(s.need, 1), s.start, s.id))
    for shift in shifts:
        if halt():
            break
        on_shift = placement.people_on.get(shift.id, [])
        present = [problem.volunteer[vid] for vid in on_shift]
        if len(present) >= shift.need and all(
                sum(1 for v in present if test(v)) >= count for _, count, test in shift.definition.requirements()):
            continue
        there = set(on_shift)
        candidates = sorted((problem.volunteer[vid] for vid in context.eligible.get(shift.id, ()) if vid not in there),
                            key=cost_on(shift))
        chosen = present
        taken = {v.id for v in chosen}  # (a person is one register entry: their id stands for them)
        # Composition seats first, tags before gender: the rarer people are placed while they are free.
        for _, count, test in sorted(shift.definition.requirements(), key=lambda r: r.item in ("female", "male")):
            have = sum(1 for v in chosen if test(v))
            for volunteer in candidates:
                if have >= count or len(chosen) >= shift.max:
                    break
                if volunteer.id not in taken and test(volunteer) and placement.fits(volunteer.id, shift.id):
                    chosen.append(volunteer)
                    taken.add(volunteer.id)
                    placement.add(volunteer.id, shift.id)
                    have += 1
        for volunteer in candidates:
            if len(chosen) >= shift.need:
                break
            if volunteer.id not in taken and placement.fits(volunteer.id, shift.id):
                chosen.append(volunteer)
                taken.add(volunteer.id)
                placement.add(volunteer.id, shift.id)
    return placement.pairs()
