"""A last-minute drop-out: who can take the place, what each costs, and the roster with the one chosen.

A replacement must keep every hard rule with the rest of the roster unchanged; that is asked of
the catalogue itself (`constraints.check` on the roster without the drop-out plus the candidate,
in the plan's context: history, locks). Candidates are ranked by what they would leave unmet on
the shift (a woman, a skill), then by how much the objective's soft goals would change, then by
the rest they would get around it.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field

import constraints
from constraints import Context, Pair, Violation, rotation
from constraints.eligibility import funnel
from scheduler.domain.errors import RosterError
from scheduler.domain.models import History, PastShift, Problem, Shift, Volunteer
from scheduler.solving.reasons import binding_rules
from scheduler.domain.roster import Roster, SolverReport
from scheduler.solving.record import make_roster, replan_report
from scheduler.render.texts import has, t, unmet_text
from scheduler.analysis.tracing import (
    delta, examples, find_shift, find_volunteer, goals_text, known_pairs, partner_state, past_text, person,
    roster_context, shift_text, signed_points, taste_facts, weighted_soft, wish_of,
)

EDITED = "EDITED"
"""The solver status of a roster changed by hand or by `cover --apply` after the search."""
MAX_SHOWN = 10


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
    lang: str = "zh"
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

    def text(self, lang: str | None = None, shown: int = MAX_SHOWN) -> str:
        return "\n".join(_cover_lines(self, lang or self.lang, shown)) + "\n"


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
    recomputed. The solver figures are kept but marked `EDITED`, with the new objective and no bound."""
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


# ---------------------------------------------------------------- words


def _cover_lines(cover: Cover, lang: str, shown: int) -> list[str]:
    shift, leaving = cover.shift, cover.without
    if leaving is not None:
        lines = [t(lang, "cover.title", shift=shift_text(shift, lang), id=shift.id, who=person(leaving, lang))]
    else:
        on = sum(1 for _, s in cover.base if s == shift.id)
        lines = [t(lang, "cover.title_empty", shift=shift_text(shift, lang), id=shift.id, on=on, need=shift.need,
                   max=shift.max)]
    if cover.base_violations:
        lines.append(t(lang, "cover.base_violations", who=person(leaving, lang), n=len(cover.base_violations))
                     if leaving else t(lang, "cover.base_violations_empty", n=len(cover.base_violations)))
        lines += [f"  - {v}" for v in cover.base_violations[:5]]
    if cover.named is not None:
        return lines + _named_lines(cover, lang)
    if cover.candidates:
        removed = cover.removed
        if leaving is not None:
            lines.append(t(lang, "cover.removed", who=person(leaving, lang), total=signed_points(sum(removed.values())),
                           points=goals_text(removed, lang, signed=True)))
        lines.append(t(lang, "cover.found", n=len(cover.candidates)))
        for rank, r in enumerate(cover.candidates[:shown], start=1):
            lines.append("  " + t(lang, "cover.line", rank=rank, who=person(r.volunteer, lang),
                                  total=signed_points(r.total), points=goals_text(r.goals, lang, signed=True))
                         + " — " + _facts(r, lang))
        if len(cover.candidates) > shown:
            lines.append("  " + t(lang, "explain.more", n=len(cover.candidates) - shown))
    else:
        lines.append(t(lang, "cover.none"))
        lines.append(t(lang, "explain.s.funnel", funnel=t(lang, "join.causes").join(
            t(lang, "reason.funnel_step", label=t(lang, f"funnel.{code}"), n=n) for code, n in cover.funnel)))
    if cover.held:
        lines.append(t(lang, "cover.held", n=sum(len(p) for p in cover.held.values())))
        for rules, people in cover.held.items():
            label = t(lang, "join.rules").join(t(lang, f"rule.{rule}") if has(lang, f"rule.{rule}") else rule
                                               for rule in rules)
            lines.append("  - " + t(lang, "explain.group", label=label, n=len(people),
                                    examples=examples([person(p, lang) for p in people], lang)))
    if cover.candidates:
        lines.append(t(lang, "cover.apply_hint"))
    return lines


def _named_lines(cover: Cover, lang: str) -> list[str]:
    """`--with`: whether the one person named can take the shift, and what it costs or breaks."""
    who = person(cover.named, lang)
    if cover.refused:
        return [t(lang, "cover.refused", who=who)] + [f"  - {v}" for v in cover.refused]
    if not cover.candidates:  # held by a rule the catalogue's check finds nothing new for: say which
        rules = next(iter(cover.held), ())
        return [t(lang, "cover.refused", who=who)] + [f"  - [{rule}]" for rule in rules]
    r = cover.candidates[0]
    return [t(lang, "cover.named_fits", who=who),
            "  " + t(lang, "cover.line", rank=1, who=who, total=signed_points(r.total),
                     points=goals_text(r.goals, lang, signed=True)) + " — " + _facts(r, lang),
            t(lang, "cover.apply_hint_named")]


def _facts(r: Replacement, lang: str) -> str:
    parts = []
    if r.leaves:
        parts.append(t(lang, "cover.leaves", unmet=unmet_text(lang, r.leaves)))
    parts.append(t(lang, "cover.facts", load=r.load, offered=r.offered, earlier=r.earlier))
    parts += taste_facts(lang, r.wish, r.rotation, r.partner)
    rest = [t(lang, "cover.rest_before", hours=f"{r.rest_before[0]:g}", shift=_label(r.rest_before[1], lang))
            ] if r.rest_before else []
    rest += [t(lang, "cover.rest_after", hours=f"{r.rest_after[0]:g}", shift=_label(r.rest_after[1], lang))
             ] if r.rest_after else []
    parts.append(t(lang, "join.items").join(rest) if rest else t(lang, "cover.rest_none"))
    return t(lang, "join.causes").join(parts)


def _label(shift: Shift | PastShift, lang: str) -> str:
    return shift_text(shift, lang) if isinstance(shift, Shift) else past_text(shift, lang)


def changes_lines(cover: Cover, rank: int, before: Roster, after: Roster, lang: str) -> list[str]:
    """What `--apply` changed: who left the shift, who joined, and the objective before and after."""
    chosen = cover.candidates[rank - 1].volunteer
    label = shift_text(cover.shift, lang)
    old, new = sum(before.objective.values()), sum(after.objective.values())
    if cover.without is None:
        lines = [t(lang, "cover.applied_empty", who=person(chosen, lang), shift=label)]
    else:
        lines = [t(lang, "cover.applied", who=person(chosen, lang), out=person(cover.without, lang), shift=label),
                 "  " + t(lang, "cover.change_out", who=person(cover.without, lang), shift=label)]
    return lines + ["  " + t(lang, "cover.change_in", who=person(chosen, lang), shift=label),
                    t(lang, "cover.objective", before=old, after=new, change=signed_points(new - old))]
