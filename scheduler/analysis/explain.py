"""Why a person has these shifts (or none), why a shift has these people, and where the objective's points come from.

Everything is read off the finished roster and the rule catalogue: eligibility's reason codes
(`why_not`), the personal hard rules' own checks (which rule holds a person), and the goals' own
points (`constraints.goal_points`), so each number shown is one the solver charged, and each
"what it would cost" is exactly how much the objective would change.

The records hold facts and codes only; `scheduler.render.explain_text` puts them into words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import constraints
from constraints import Context, Pair, participation, rotation
from constraints.eligibility import REASONS, funnel, why_not
from scheduler.analysis.tracing import (
    SOFT_GOALS,
    delta,
    known_pairs,
    partner_state,
    roster_context,
    weighted_soft,
    wish_of,
)
from scheduler.domain.models import History, Problem, Shift, Volunteer
from scheduler.domain.roster import Roster, Unfilled, VolunteerLoad
from scheduler.solving.reasons import binding_rules

MAX_EXAMPLES = 3
"""Swaps worked out (and shifts listed) per group: the rest are counted."""
MAX_CANDIDATES = 5
"""Next candidates given a swap, and shown."""


# ---------------------------------------------------------------- one person on one shift


@dataclass(frozen=True)
class Charge:
    """One person on one shift (or who could be), what it costs in weighted points per goal, and the facts behind it.

    For someone on the shift `goals` is what removing them would save; for a candidate, what
    adding them would cost. `count` is how many shifts they have this week with this one.
    """

    volunteer: Volunteer
    shift: Shift
    goals: dict[str, int]
    count: int
    earlier: int
    offered: int
    wish: str = ""
    rotation: int = 0
    partner: str = ""
    swap: tuple[Volunteer, dict[str, int], dict[str, int]] | None = None
    """For a candidate: the cheapest person on the shift to take the place of, the change per goal, and the
    composition it would leave unmet."""

    @property
    def total(self) -> int:
        return sum(self.goals.values())


class RosterFacts:
    """A finished roster with the queries explain and cover need: who is where, and what a change would cost."""

    def __init__(self, problem: Problem, roster: Roster, context: Context):
        self.problem, self.roster, self.context = problem, roster, context
        self.pairs: list[Pair] = known_pairs(problem, roster)
        self.soft = weighted_soft(problem, self.pairs, context)
        self.by_volunteer: dict[str, list[Pair]] = defaultdict(list)
        self.by_shift: dict[str, set[str]] = defaultdict(set)
        for vid, sid in self.pairs:
            self.by_volunteer[vid].append((vid, sid))
            self.by_shift[sid].add(vid)
        self.load = {load.volunteer: load for load in roster.volunteers}

    def change(self, remove: Sequence[Pair] = (), add: Sequence[Pair] = ()) -> dict[str, int]:
        """How the weighted soft points per goal change when these pairs leave and join the roster."""
        gone = set(remove)
        pairs = [p for p in self.pairs if p not in gone] + list(add)
        return delta(self.soft, weighted_soft(self.problem, pairs, self.context))

    def charge(self, volunteer: Volunteer, shift: Shift, candidate: bool = False) -> Charge:
        pair = (volunteer.id, shift.id)
        goals = self.change(add=[pair]) if candidate else {g: -p for g, p in self.change(remove=[pair]).items()}
        on_shift = self.by_shift.get(shift.id, set())
        return Charge(
            volunteer=volunteer, shift=shift, goals=goals,
            count=len(self.by_volunteer.get(volunteer.id, ())) + (1 if candidate else 0),
            earlier=self.context.earlier_load.get(volunteer.id, 0), offered=self.context.offered.get(volunteer.id, 0),
            wish=wish_of(volunteer, shift), rotation=rotation.units(volunteer, shift, self.context),
            partner=partner_state(self.problem, self.context, volunteer, shift, on_shift),
        )

    def holding_rules(self, volunteer: Volunteer, shift: Shift) -> tuple[str, ...]:
        """The personal hard rules that keep the volunteer off the shift, given their own shifts."""
        return binding_rules(self.problem, volunteer, shift, self.by_volunteer.get(volunteer.id, []), self.context)

    def best_swap(self, volunteer: Volunteer, shift: Shift) -> tuple[Volunteer, dict[str, int], dict[str, int]] | None:
        """Putting the volunteer in place of someone on the shift: the cheapest such swap, its change per goal,
        and the composition it would leave unmet (women, men, tags) that is met now."""
        before = constraints.shortfalls(self.problem, self.pairs, self.context).get(shift.id, {})
        best = None
        for vid in sorted(self.by_shift.get(shift.id, ())):
            out, into = [(vid, shift.id)], [(volunteer.id, shift.id)]
            change = self.change(remove=out, add=into)
            pairs = [p for p in self.pairs if p != out[0]] + into
            after = constraints.shortfalls(self.problem, pairs, self.context).get(shift.id, {})
            lost = {k: n - before.get(k, 0) for k, n in after.items() if n > before.get(k, 0)}
            key = (sum(lost.values()), sum(change.values()), vid)
            if best is None or key < best[0]:
                best = (key, (self.problem.volunteer[vid], change, lost))
        return best[1] if best else None


# ---------------------------------------------------------------- why this person


@dataclass
class VolunteerExplanation:
    """Why a volunteer has these shifts, or none (`render.explain_text.volunteer_text` words it)."""

    problem: Problem
    volunteer: Volunteer
    held: list[tuple[Shift, dict[str, int]]] = field(default_factory=list)
    """Their shifts in time order, each with its share of their points (weighted, per goal)."""
    stored: dict[str, int] | None = None
    """Their points as roster.json records them (`volunteers[].objective`); None when not recorded."""
    roster_total: int = 0
    limit: int = 0
    offered: int = 0
    earlier: int = 0
    history_weeks: tuple[str, ...] = ()
    eligible: list[Shift] = field(default_factory=list)
    excluded: dict[str, list[Shift]] = field(default_factory=dict)
    held_by_rules: dict[tuple[str, ...], list[Shift]] = field(default_factory=dict)
    taken: list[tuple[Shift, list[Volunteer], tuple | None]] = field(default_factory=list)
    open_seats: list[Shift] = field(default_factory=list)
    peers: int = 0
    peers_fewer: list[Volunteer] = field(default_factory=list)
    peers_more: int = 0
    partner: Volunteer | None = None
    together: list[Shift] = field(default_factory=list)
    apart: list[Shift] = field(default_factory=list)
    idle: int = 0
    """Their weighted participation points when they have no shift though they offered."""
    streak: int = 0
    placeable: int = 0
    """How many of the people who offered could all have a shift at once (`participation.placeable`)."""
    placed: int = 0
    optimal: bool = False

    @property
    def recomputed(self) -> dict[str, int]:
        total: dict[str, int] = defaultdict(int)
        if self.idle:
            total["participation"] = self.idle
        for _, goals in self.held:
            for goal, points in goals.items():
                total[goal] += points
        return {g: p for g, p in total.items() if p}


def explain_volunteer(problem: Problem, roster: Roster, volunteer_id: str, history: History | None = None,
                      context: Context | None = None) -> VolunteerExplanation:
    """Why `volunteer_id` has the shifts `roster` gives them, or none.

    `history` (see `api.load_history`) is filtered to the weeks the roster was planned with.
    """
    context = context or roster_context(problem, roster, history)
    facts = RosterFacts(problem, roster, context)
    volunteer = problem.volunteer[volunteer_id]
    mine = sorted((problem.shift[sid] for _, sid in facts.by_volunteer.get(volunteer.id, [])),
                  key=lambda s: (s.start, s.id))
    load: VolunteerLoad | None = facts.load.get(volunteer.id)
    result = VolunteerExplanation(
        problem=problem, volunteer=volunteer, held=_shares(facts, volunteer, mine),
        stored=dict(load.objective) if load is not None else None, roster_total=sum(roster.objective.values()),
        limit=problem.rules.weekly_cap(volunteer), offered=context.offered.get(volunteer.id, 0),
        earlier=context.earlier_load.get(volunteer.id, 0), history_weeks=context.history.weeks,
    )
    excluded: dict[str, list[Shift]] = defaultdict(list)
    for shift in problem.shifts:
        code = why_not(volunteer, shift)
        if code:
            excluded[code].append(shift)
        else:
            result.eligible.append(shift)
    result.excluded = {code: excluded[code] for code in REASONS if code in excluded}
    if not mine:
        _idle(facts, result)
    _not_held(facts, volunteer, result, set(s.id for s in mine))
    _peers(facts, volunteer, result, mine or result.eligible)
    _partner(facts, volunteer, result, mine)
    return result


def _idle(facts: RosterFacts, result: VolunteerExplanation) -> None:
    """For someone with no shift: their participation points, weeks left out before, and the bound on who could be placed."""
    vid, context = result.volunteer.id, facts.context
    result.idle = facts.problem.rules.weights.participation * participation.idle_points(vid, facts.problem, context)
    result.streak = participation.streak(vid, context)
    result.placeable = participation.placeable(facts.problem, context)
    result.placed = sum(1 for v, offer in context.offered.items() if offer > 0 and facts.by_volunteer.get(v))
    result.optimal = facts.roster.solver is not None and facts.roster.solver.status == "OPTIMAL"


def _shares(facts: RosterFacts, volunteer: Volunteer, mine: list[Shift]) -> list[tuple[Shift, dict[str, int]]]:
    """Each shift's share of the person's weighted points, as the catalogue counts them
    (`constraints.points_by_volunteer`): what the k-th shift in time order adds to the points of
    their first k-1, with the others on those shifts as they are (so the k-th shift carries the
    k-th fairness cost). What a shift saves (participation, stability) is no share of it."""
    weights = constraints.goal_weights(facts.problem.rules.weights, 0)
    others = [(vid, shift.id) for shift in mine for vid in sorted(facts.by_shift.get(shift.id, ())) if vid != volunteer.id]

    def points(k: int) -> dict[str, int]:
        pairs = others + [(volunteer.id, shift.id) for shift in mine[:k]]
        return constraints.points_by_volunteer(facts.problem, pairs, facts.context).get(volunteer.id, {})

    shares, before = [], points(0)
    for k, shift in enumerate(mine, start=1):
        after = points(k)
        added = {goal: weights[goal] * (p - before.get(goal, 0)) for goal, p in after.items()}
        shares.append((shift, {goal: p for goal, p in added.items() if p > 0}))
        before = after
    return shares


def _not_held(facts: RosterFacts, volunteer: Volunteer, result: VolunteerExplanation, mine: set[str]) -> None:
    """Sort the eligible shifts the person is not on: held by a hard rule, taken by others, or still open."""
    held: dict[tuple[str, ...], list[Shift]] = defaultdict(list)
    for shift in result.eligible:
        if shift.id in mine:
            continue
        rules = facts.holding_rules(volunteer, shift)
        if rules:
            held[rules].append(shift)
            continue
        on = facts.by_shift.get(shift.id, set())
        if len(on) >= shift.need:
            swap = facts.best_swap(volunteer, shift) if len(result.taken) < MAX_EXAMPLES else None
            result.taken.append((shift, [facts.problem.volunteer[v] for v in sorted(on)], swap))
        else:
            result.open_seats.append(shift)
    result.held_by_rules = dict(held)


def _peers(facts: RosterFacts, volunteer: Volunteer, result: VolunteerExplanation, shifts: list[Shift]) -> None:
    """The others who could take these shifts, and how many of them served fewer (or more) in the earlier weeks."""
    others = {vid for s in shifts for vid in facts.context.eligible.get(s.id, ()) if vid != volunteer.id}
    earlier = facts.context.earlier_load
    mine = earlier.get(volunteer.id, 0)
    result.peers = len(others)
    result.peers_fewer = sorted((facts.problem.volunteer[v] for v in others if earlier.get(v, 0) < mine),
                                key=lambda v: (earlier.get(v.id, 0), v.id))
    result.peers_more = sum(1 for v in others if earlier.get(v, 0) > mine)


def _partner(facts: RosterFacts, volunteer: Volunteer, result: VolunteerExplanation, mine: list[Shift]) -> None:
    partner = volunteer.partner
    if not partner or partner == volunteer.id or partner not in facts.problem.volunteer:
        return
    result.partner = facts.problem.volunteer[partner]
    for shift in mine:
        state = partner_state(facts.problem, facts.context, volunteer, shift, facts.by_shift.get(shift.id, set()))
        if state == "with":
            result.together.append(shift)
        elif state == "apart":
            result.apart.append(shift)


# ---------------------------------------------------------------- why these people on this shift


@dataclass
class ShiftExplanation:
    """Who could take a shift, who was chosen and why them, who was excluded and why
    (`render.explain_text.shift_explanation_text` words it)."""

    problem: Problem
    shift: Shift
    chosen: list[Charge] = field(default_factory=list)
    candidates: list[Charge] = field(default_factory=list)
    held: dict[tuple[str, ...], list[Volunteer]] = field(default_factory=dict)
    funnel: list[tuple[str, int]] = field(default_factory=list)
    excluded: dict[str, list[Volunteer]] = field(default_factory=dict)
    missing: int = 0
    unmet: dict[str, int] = field(default_factory=dict)
    unfilled: Unfilled | None = None
    """The roster's record of the shift when it is short: what is missing and why (as codes, and older rosters' words)."""


def explain_shift(problem: Problem, roster: Roster, shift_id: str, history: History | None = None,
                  context: Context | None = None) -> ShiftExplanation:
    """Who could take `shift_id`, who `roster` put on it and what each costs against the next candidates."""
    context = context or roster_context(problem, roster, history)
    facts = RosterFacts(problem, roster, context)
    shift = problem.shift[shift_id]
    on = facts.by_shift.get(shift.id, set())
    result = ShiftExplanation(problem=problem, shift=shift, funnel=funnel(list(problem.volunteers), shift))
    excluded: dict[str, list[Volunteer]] = defaultdict(list)
    for volunteer in problem.volunteers:
        code = why_not(volunteer, shift)
        if code:
            excluded[code].append(volunteer)
    result.excluded = {code: excluded[code] for code in REASONS if code in excluded}
    result.chosen = sorted((facts.charge(problem.volunteer[vid], shift) for vid in on),
                           key=lambda c: (-c.total, c.volunteer.id))
    held: dict[tuple[str, ...], list[Volunteer]] = defaultdict(list)
    free = []
    for vid in context.eligible.get(shift.id, ()):
        if vid in on:
            continue
        volunteer = problem.volunteer[vid]
        rules = facts.holding_rules(volunteer, shift)
        (held[rules].append(volunteer) if rules else free.append(facts.charge(volunteer, shift, candidate=True)))
    free.sort(key=lambda c: (c.total, c.volunteer.id))
    result.candidates = [_with_swap(facts, c) for c in free[:MAX_CANDIDATES]] + free[MAX_CANDIDATES:]
    result.held = dict(held)
    unfilled = next((u for u in roster.unfilled if u.shift == shift.id), None)
    if unfilled is not None:
        result.missing, result.unmet, result.unfilled = unfilled.missing, dict(unfilled.unmet), unfilled
    return result


def _with_swap(facts: RosterFacts, charge: Charge) -> Charge:
    if not facts.by_shift.get(charge.shift.id):
        return charge
    swap = facts.best_swap(charge.volunteer, charge.shift)
    return Charge(**{**charge.__dict__, "swap": swap})


# ---------------------------------------------------------------- where the objective's points come from


@dataclass
class ObjectiveExplanation:
    """The roster's objective per goal and the people carrying most of each goal's points
    (`render.explain_text.objective_text` words it)."""

    problem: Problem
    roster: Roster
    top: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)


def explain_objective(problem: Problem, roster: Roster) -> ObjectiveExplanation:
    """Each soft goal's points in roster.json, and who carries them (from `volunteers[].objective`)."""
    result = ObjectiveExplanation(problem=problem, roster=roster)
    for goal in SOFT_GOALS:
        people = sorted(((load.volunteer, load.name, load.objective.get(goal, 0)) for load in roster.volunteers
                         if load.objective.get(goal, 0)), key=lambda item: (-item[2], item[0]))
        if people:
            result.top[goal] = people
    return result
