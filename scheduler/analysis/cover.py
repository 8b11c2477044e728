"""A last-minute drop-out: who can take the place, what each costs, and the roster with the one chosen.

A replacement must keep every hard rule with the rest of the roster unchanged; that is asked of
the catalogue itself (`constraints.check` on the roster without the drop-out plus the candidate,
in the plan's context: history, locks). Candidates are ranked by what they would leave unmet on
the shift (a woman, a skill), then by how much the objective's soft goals would change, then by
the rest they would get around it.

The records hold facts only; `scheduler.render.cover_text` puts them into words.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field

import constraints
from constraints import Context, Pair, Violation, rotation
from constraints.eligibility import funnel
from scheduler.analysis.tracing import (
    delta,
    find_shift,
    find_volunteer,
    known_pairs,
    partner_state,
    roster_context,
    weighted_soft,
    wish_of,
)
from scheduler.domain.errors import RosterError
from scheduler.domain.models import History, PastShift, Problem, Shift, Volunteer
from scheduler.domain.roster import Roster, SolverReport
from scheduler.solving.reasons import binding_rules
from scheduler.solving.record import make_roster, replan_report

EDITED = "EDITED"
"""The solver status of a roster changed by hand or by `cover --apply` after the search."""


@dataclass(frozen=True)
class Replacement:
    """One person who could take the drop-out's place, and what it would cost."""

    volunteer: Volunteer
    goals: dict[str, int]
    """Change of the weighted soft-goal points against the roster without the drop-out."""
    leaves: dict[str, int]
    """Composition the shift would then lack that it had with the drop-out (`female`, `male`, a tag)."""
    load: int
    offered: int
    earlier: int
    wish: str = ""
    rotation: int = 0
    partner: str = ""
    rest_before: tuple[float, Shift | PastShift] | None = None
    """Hours of rest since their nearest shift before this one (this week's or the history's), and that shift."""
    rest_after: tuple[float, Shift | PastShift] | None = None

    @property
    def total(self) -> int:
        return sum(self.goals.values())

    @property
    def least_rest(self) -> float:
        """The shorter of the rests before and after, in hours (a week and more when there is no shift near)."""
        rests = [rest[0] for rest in (self.rest_before, self.rest_after) if rest is not None]
        return min(rests, default=7 * 24.0)


@dataclass
class Cover:
    """Ranked replacements for `without` on `shift`, and why everyone else cannot step in."""

    problem: Problem
    roster: Roster
    shift: Shift
    without: Volunteer | None
    """The drop-out; None when an empty seat is filled."""
    context: Context
    base: list[Pair]
    candidates: list[Replacement] = field(default_factory=list)
    held: dict[tuple[str, ...], list[Volunteer]] = field(default_factory=dict)
    funnel: list[tuple[str, int]] = field(default_factory=list)
    base_violations: list[Violation] = field(default_factory=list)
    removed: dict[str, int] = field(default_factory=dict)
    """How the weighted soft points change when the drop-out leaves (before anyone steps in)."""
    named: Volunteer | None = None
    """The one person asked about (`--with`): a stand-in who came, or whom the coordinator has in mind."""
    refused: list[Violation] = field(default_factory=list)
    """What `named` taking the shift would break (empty when they can take it)."""

    def pairs_with(self, rank: int) -> list[Pair]:
        """The roster's pairs with the `rank`-th candidate (1 = best) in the drop-out's place."""
        if not 1 <= rank <= len(self.candidates):
            raise RosterError(f"there is no replacement number {rank}: "
                              + (f"choose 1 to {len(self.candidates)}" if self.candidates else "nobody can step in"))
        return self.base + [(self.candidates[rank - 1].volunteer.id, self.shift.id)]


def find_cover(problem: Problem, roster: Roster, shift_id: str, without: str | None = None,
               history: History | None = None, locks: frozenset[Pair] | set[Pair] = frozenset(),
               named: str | None = None) -> Cover:
    """Who can replace `without` on `shift_id` (or, without `without`, fill an empty seat of it) with the rest
    of `roster` unchanged, best first; with `named` (an id or a name only one person has), only that person.

    `history` (see `api.load_history`) is taken as far as the roster was planned with it; `locks`
    are the plan's promised pairs (the drop-out's own lock on the shift no longer holds).
    Raises RosterError when `without` is not on the shift, when the shift has no empty seat to
    fill, or when `named` is on it already or names nobody (or two people).
    """
    shift = find_shift(problem, shift_id)
    pairs = known_pairs(problem, roster)
    on = [problem.volunteer[v] for v, s in pairs if s == shift.id]
    leaving = find_volunteer(problem, without) if without else None
    if leaving is not None and (leaving.id, shift.id) not in pairs:
        raise RosterError(f"{leaving.name} ({leaving.id}) is not on {shift.id} in the roster of {problem.week.label}"
                          f" (on it: {_people(on) or 'nobody'}). Fix: give --without one of the people on the shift")
    if leaving is None and len(on) >= shift.max:
        raise RosterError(f"{shift.id} has no empty seat (at most {shift.max}; on it: {_people(on)}). "
                          "Fix: give --without the person who cannot come")
    standing = find_person(problem, named) if named else None
    if standing is not None and standing in on:
        raise RosterError(f"{standing.name} ({standing.id}) is on {shift.id} already. Fix: give --with someone else")
    context = roster_context(problem, roster, history)
    dropped = {(leaving.id, shift.id)} if leaving else set()
    context.locks = frozenset(locks) - dropped
    base = [p for p in pairs if p not in dropped]
    result = Cover(problem=problem, roster=roster, shift=shift, without=leaving, context=context, base=base,
                   funnel=funnel(list(problem.volunteers), shift), named=standing)
    result.base_violations = constraints.check(problem, base, context)
    result.removed = delta(weighted_soft(problem, pairs, context), weighted_soft(problem, base, context))
    _candidates(result, pairs)
    return result


def find_person(problem: Problem, text: str) -> Volunteer:
    """The volunteer an id (`006`, or `6` with its zeros stripped) or a name only one person has names."""
    try:
        return find_volunteer(problem, text)
    except RosterError:
        same = [v for v in problem.volunteers if v.name.strip() == text.strip()]
        if len(same) == 1:
            return same[0]
        if same:
            raise RosterError(f"'{text}' is the name of {len(same)} volunteers ({_people(same)}). "
                              "Fix: give the id instead") from None
        raise RosterError(f"there is no volunteer '{text}' in the register. "
                          "Fix: give an id from the 编号 (id) column, or the name as the register writes it") from None


def _people(volunteers: list[Volunteer]) -> str:
    return ", ".join(f"{v.name} ({v.id})" for v in volunteers)


def _key(violation: Violation) -> tuple:
    return violation.rule, violation.volunteer, violation.shift, violation.message


def _candidates(cover: Cover, pairs: list[Pair]) -> None:
    problem, shift, context = cover.problem, cover.shift, cover.context
    own: dict[str, list[Pair]] = defaultdict(list)
    for pair in cover.base:
        own[pair[0]].append(pair)
    on = {v for v, s in cover.base if s == shift.id}
    known = {_key(v) for v in cover.base_violations}
    soft = weighted_soft(problem, cover.base, context)
    had = constraints.shortfalls(problem, pairs, context).get(shift.id, {})
    held: dict[tuple[str, ...], list[Volunteer]] = defaultdict(list)
    found = []
    if cover.named is not None:
        trial = cover.base + [(cover.named.id, shift.id)]
        cover.refused = [v for v in constraints.check(problem, trial, context) if _key(v) not in known]
    for vid in [cover.named.id] if cover.named is not None else context.eligible.get(shift.id, ()):
        if vid in on or (cover.without is not None and vid == cover.without.id) or cover.refused:
            continue
        volunteer = problem.volunteer[vid]
        rules = binding_rules(problem, volunteer, shift, own.get(vid, []), context)
        if rules:
            held[rules].append(volunteer)
            continue
        trial = cover.base + [(vid, shift.id)]
        new = [v for v in constraints.check(problem, trial, context) if _key(v) not in known]
        if new:
            held[tuple(sorted({v.rule for v in new}))].append(volunteer)
            continue
        lacks = constraints.shortfalls(problem, trial, context).get(shift.id, {})
        found.append(Replacement(
            volunteer=volunteer, goals=delta(soft, weighted_soft(problem, trial, context)),
            leaves={k: n - had.get(k, 0) for k, n in lacks.items() if n > had.get(k, 0)},
            load=len(own.get(vid, ())), offered=context.offered.get(vid, 0), earlier=context.earlier_load.get(vid, 0),
            wish=wish_of(volunteer, shift), rotation=rotation.units(volunteer, shift, context),
            partner=partner_state(problem, context, volunteer, shift, on | {vid}),
            rest_before=_rest(problem, context, own.get(vid, []), vid, shift, before=True),
            rest_after=_rest(problem, context, own.get(vid, []), vid, shift, before=False),
        ))
    # What it leaves unmet first, then what it costs; among equals, whoever gets the longest rest around it.
    found.sort(key=lambda r: (sum(r.leaves.values()), r.total, -r.least_rest, r.volunteer.id))
    cover.candidates, cover.held = found, dict(held)


def _rest(problem: Problem, context: Context, own: list[Pair], vid: str, shift: Shift,
          before: bool) -> tuple[float, Shift | PastShift] | None:
    """Hours of rest between the shift and the person's nearest shift before (or after) it, and that shift."""
    spans: list[Shift | PastShift] = [problem.shift[s] for _, s in own] + list(context.earlier_shifts.get(vid, []))
    if before:
        gaps = [((shift.start - s.end).total_seconds() / 3600, s) for s in spans if s.end <= shift.start]
    else:
        gaps = [((s.start - shift.end).total_seconds() / 3600, s) for s in spans if s.start >= shift.end]
    return min(gaps, key=lambda gap: gap[0]) if gaps else None


def apply_cover(cover: Cover, rank: int, language: str | None = None) -> Roster:
    """The roster with the `rank`-th candidate in the drop-out's place, its points, unfilled seats and re-plan figures
    recomputed (the reasons as codes: `render.reasons.worded` words them). The solver figures are kept but marked
    `EDITED`, with the new objective and no bound."""
    problem, roster, context = cover.problem, cover.roster, cover.context
    pairs = cover.pairs_with(rank)
    before = roster.solver or SolverReport(status=EDITED)
    report = before.model_copy(update={"status": EDITED, "objective": None, "best_bound": None, "gap": None,
                                       "wall_seconds": 0.0, "build_seconds": 0.0, "interrupted": False})
    coverage_weight = constraints.coverage_weight(problem, context)
    updated = make_roster(problem, pairs, context, report, coverage_weight, language or roster.language)
    earlier = dataclasses.replace(context, baseline=frozenset(known_pairs(problem, roster)))
    replan = replan_report(earlier, pairs, roster.generated_at)
    return updated.model_copy(update={
        "solver": report.model_copy(update={"objective": sum(updated.objective.values())}), "replan": replan})
