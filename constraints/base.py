"""What every rule module works with: the decision variables, penalty records, a roster view, and
the three shapes a rule module takes.

Every rule is a module of `constraints/` with `NAME` (its name in reports, and for a goal its key
under the rules file's `weights:`), `KIND` (`hard`, `coverage` or `soft`: the catalogue sorts its
one list into groups by it) and `add(plan)`, which posts the rule to the CP-SAT model. Then, by kind:

- `HardRule`: `SCOPE` and `check(view)`, the violations of a finished roster in plain Python.
  `SCOPE` is the smallest part of a roster the check needs to see: `pair` (one assignment on its
  own), `volunteer` (one person's shifts), `shift` (the people on one shift) or `plan` (the roster
  against the plan's promises: locks, frozen days). Hand-like moves (the warm start, polishing,
  cover) ask the `pair`, `volunteer` and `shift` rules about the assignment, the person and the
  shift they touch (`constraints.hard_rules(scope)`), and keep the `plan` rules by never moving a
  pinned assignment.
- `CoverageRule`: `shortfall(view)`, what each shift still lacks, and `score(view, context)`,
  how many items are missing. Its penalties are charged under the one goal `coverage`, whose
  weight dominates (`constraints.coverage_weight`).
- `SoftRule`: a goal of its own. `score(view, context)` is the goal's penalty points of a finished
  roster (the same integers the model charges), `points_of(view, context)` splits them by
  volunteer, and `worst(problem, context)` is the most any roster could cost, from which the
  coverage weight is derived.

The protocols are checked at run time (`isinstance(module, SoftRule)`) by the tests, for every
module of the catalogue.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, Protocol, runtime_checkable

from ortools.sat.python import cp_model

from scheduler.domain.models import History, PastShift, Problem, Requirement, Shift, ShiftId, Volunteer, VolunteerId

POINTS = 100
"""Penalty points of one unit of a soft goal (one avoided shift, one partner apart …) before its weight.
Fairness charges fractions of a unit, which is why a unit is 100 points and not 1."""


@dataclass(frozen=True)
class Penalty:
    """A named penalty record: `points` for each unit of `var`, under the goal `goal`."""

    goal: str
    var: cp_model.IntVar
    points: int
    upper: int = 1
    volunteer: VolunteerId | None = None
    shift: ShiftId | None = None
    note: str = ""


@dataclass(frozen=True)
class Violation:
    """A hard rule broken by a roster: who, which shift, and why.

    `code` and `params` say what is broken (`max_shifts_per_week`/`too_many` with the count and the
    limit …) for `scheduler.render.violations` to word in zh or en; `message` is the same in English,
    for library users and logs.
    """

    rule: str
    message: str
    volunteer: VolunteerId | None = None
    shift: ShiftId | None = None
    code: str = ""
    params: dict[str, object] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


Pair = tuple[VolunteerId, ShiftId]


@dataclass
class Context:
    """What the rules know beyond the week itself.

    `history`: the rosters of earlier weeks (fairness, rotation, rest and runs of days across the
    week boundary). `baseline`: an earlier roster of this same week, kept where possible
    (stability). `locks`: assignments the coordinator promised. `frozen_before`: days before this
    date keep the baseline exactly. `cut_short`: a stop ended the eligible lists early (see
    `build_context`): some shifts list nobody and the offers count only the shifts reached; the
    engine then returns the pinned assignments only (a stopped run's roster, without reasons).
    """

    eligible: dict[ShiftId, list[VolunteerId]]
    offered: dict[VolunteerId, int]
    history: History = field(default_factory=History)
    baseline: frozenset[Pair] = frozenset()
    locks: frozenset[Pair] = frozenset()
    frozen_before: dt.date | None = None
    cut_short: bool = False

    @cached_property
    def earlier_load(self) -> dict[VolunteerId, int]:
        """Shifts each volunteer served in the history weeks (absences do not count)."""
        return dict(Counter(p.volunteer for p in self.history.shifts if p.served))

    @cached_property
    def held(self) -> dict[VolunteerId, Counter]:
        """For each volunteer, in how many history weeks they held each slot (post, start time)."""
        weeks: dict[VolunteerId, dict[tuple, set]] = defaultdict(lambda: defaultdict(set))
        for past in self.history.shifts:
            weeks[past.volunteer][past.slot].add(past.week)
        return {vid: Counter({slot: len(w) for slot, w in slots.items()}) for vid, slots in weeks.items()}

    @cached_property
    def earlier_shifts(self) -> dict[VolunteerId, list[PastShift]]:
        """Each volunteer's history shifts in time order (for rest and days in a row across weeks)."""
        table: dict[VolunteerId, list[PastShift]] = defaultdict(list)
        for past in sorted(self.history.shifts, key=lambda p: p.start):
            table[past.volunteer].append(past)
        return dict(table)


class Plan:
    """The CP-SAT model and its variables, with intent-revealing queries.

    `works(v, s)` exists only for eligible pairs; the other pairs were excluded by the
    eligibility rule, which can say why.
    """

    def __init__(self, problem: Problem, context: Context):
        self.problem = problem
        self.context = context
        self.model = cp_model.CpModel()
        self.penalties: list[Penalty] = []
        self.posted: set[str] = set()  # rules already in the model; later rules may lean on them
        self._works: dict[tuple[VolunteerId, ShiftId], cp_model.IntVar] = {}
        self._by_volunteer: dict[VolunteerId, list[tuple[Shift, cp_model.IntVar]]] = defaultdict(list)
        self._by_shift: dict[ShiftId, list[tuple[Volunteer, cp_model.IntVar]]] = defaultdict(list)
        self._by_day: dict[tuple[VolunteerId, dt.date], list[cp_model.IntVar]] = defaultdict(list)
        for shift in problem.shifts:
            for vid in context.eligible.get(shift.id, ()):
                var = self.model.new_bool_var(f"works[{vid},{shift.id}]")
                self._works[vid, shift.id] = var
                self._by_volunteer[vid].append((shift, var))
                self._by_shift[shift.id].append((problem.volunteer[vid], var))
                self._by_day[vid, shift.date].append(var)

    def works(self, volunteer: VolunteerId, shift: ShiftId) -> cp_model.IntVar | None:
        return self._works.get((volunteer, shift))

    def shifts_of(self, volunteer: VolunteerId) -> list[tuple[Shift, cp_model.IntVar]]:
        """The volunteer's eligible shifts in time order, with their variables."""
        return self._by_volunteer.get(volunteer, [])

    def volunteers_on(self, shift: ShiftId) -> list[tuple[Volunteer, cp_model.IntVar]]:
        return self._by_shift.get(shift, [])

    def on_day(self, volunteer: VolunteerId, day: dt.date) -> list[cp_model.IntVar]:
        return self._by_day.get((volunteer, day), [])

    def pairs(self) -> dict[tuple[VolunteerId, ShiftId], cp_model.IntVar]:
        return self._works

    def volunteers_with_shifts(self) -> list[VolunteerId]:
        return list(self._by_volunteer)

    def penalize(self, goal: str, var: cp_model.IntVar, points: int, *, upper: int = 1,
                 volunteer: VolunteerId | None = None, shift: ShiftId | None = None, note: str = "") -> None:
        """Record a penalty; the objective is assembled from these records in one place."""
        if points:
            self.penalties.append(Penalty(goal, var, points, upper, volunteer, shift, note))


class RosterView:
    """A finished roster seen from both sides, for the plain-Python checks."""

    def __init__(self, problem: Problem, pairs: list[tuple[VolunteerId, ShiftId]], context: Context):
        self.problem = problem
        self.pairs = list(pairs)
        self.context = context

    @classmethod
    def known(cls, problem: Problem, pairs: list[tuple[VolunteerId, ShiftId]], context: Context,
              shifts_by_volunteer: dict[VolunteerId, list[Shift]]) -> RosterView:
        """The view of `pairs` (distinct, of known people and shifts) whose `shifts_by_volunteer` the caller
        already holds, in time order: the warm start asks the checks about one more shift at a time."""
        view = cls(problem, pairs, context)
        view.__dict__["shifts_by_volunteer"] = shifts_by_volunteer  # what the cached property would compute
        return view

    @cached_property
    def distinct_pairs(self) -> list[tuple[VolunteerId, ShiftId]]:
        """The pairs without repeats: a row typed twice fills one seat (eligibility reports the repeat)."""
        return list(dict.fromkeys(self.pairs))

    @cached_property
    def shifts_by_volunteer(self) -> dict[VolunteerId, list[Shift]]:
        """Each known volunteer's known shifts, in time order (unknown ids are eligibility's to report)."""
        table: dict[VolunteerId, list[Shift]] = defaultdict(list)
        for vid, sid in self.distinct_pairs:
            if vid in self.problem.volunteer and sid in self.problem.shift:
                table[vid].append(self.problem.shift[sid])
        for shifts in table.values():
            shifts.sort(key=lambda s: (s.start, s.id))
        return dict(table)

    @cached_property
    def volunteers_by_shift(self) -> dict[ShiftId, list[Volunteer]]:
        table: dict[ShiftId, list[Volunteer]] = defaultdict(list)
        for vid, sid in self.distinct_pairs:
            if vid in self.problem.volunteer and sid in self.problem.shift:
                table[sid].append(self.problem.volunteer[vid])
        return dict(table)

    def people_on(self, shift: ShiftId) -> list[Volunteer]:
        return self.volunteers_by_shift.get(shift, [])

    def shifts_of(self, volunteer: VolunteerId) -> list[Shift]:
        return self.shifts_by_volunteer.get(volunteer, [])


def per_view(points_of: Callable[[RosterView, Context], dict[VolunteerId, int]]
             ) -> Callable[[RosterView, Context], dict[VolunteerId, int]]:
    """A soft rule's `points_of`, computed once per roster view (with the view's own context).

    A roster's record asks each goal twice, its score (the points added up) and each person's
    share; the second time is a copy of the first answer.
    """
    @functools.wraps(points_of)
    def once(view: RosterView, context: Context) -> dict[VolunteerId, int]:
        if context is not view.context:
            return points_of(view, context)
        memo = view.__dict__.setdefault("_points_of", {})
        if points_of not in memo:
            memo[points_of] = points_of(view, context)
        return dict(memo[points_of])
    return once


Kind = Literal["hard", "coverage", "soft"]
Scope = Literal["pair", "volunteer", "shift", "plan"]
Shortfall = dict[ShiftId, dict[str, int]]
"""Per shift left short: what is missing ('seats', 'female', 'male', or a tag) and how many."""


@runtime_checkable
class HardRule(Protocol):
    """A rule no written roster breaks: posted as constraints, proved by `check` (see the module docstring)."""

    NAME: str
    KIND: Kind
    SCOPE: Scope

    def add(self, plan: Plan) -> None: ...

    def check(self, view: RosterView) -> list[Violation]: ...


@runtime_checkable
class CoverageRule(Protocol):
    """A part of the dominant goal `coverage`: seats, or a composition minimum, left unmet."""

    NAME: str
    KIND: Kind

    def add(self, plan: Plan) -> None: ...

    def shortfall(self, view: RosterView) -> Shortfall: ...

    def score(self, view: RosterView, context: Context) -> int: ...


@runtime_checkable
class SoftRule(Protocol):
    """A goal of its own, weighted by `weights.<NAME>` of the rules file."""

    NAME: str
    KIND: Kind

    def add(self, plan: Plan) -> None: ...

    def score(self, view: RosterView, context: Context) -> int: ...

    def points_of(self, view: RosterView, context: Context) -> dict[VolunteerId, int]: ...

    def worst(self, problem: Problem, context: Context) -> int: ...


def missing_items(short: Shortfall) -> int:
    """How many items (seats, women, skills …) a shortfall counts in all."""
    return sum(sum(unmet.values()) for unmet in short.values())


@dataclass(frozen=True)
class Minimums:
    """The composition minimums of a shift whose item `counts_item` accepts, as a coverage rule.

    Formulation: a shortfall variable per shift and item, `people who count + shortfall >= count`,
    charged under the dominant goal `coverage`. `gender_mix` and `required_tags` are two of these,
    which differ only in the items they take.
    """

    counts_item: Callable[[str], bool]

    def requirements(self, shift: Shift) -> list[Requirement]:
        return [r for r in shift.definition.requirements() if self.counts_item(r.item)]

    def add(self, plan: Plan) -> None:
        for shift in plan.problem.shifts:
            for item, wanted, counts in self.requirements(shift):
                people = [var for volunteer, var in plan.volunteers_on(shift.id) if counts(volunteer)]
                short = plan.model.new_int_var(0, wanted, f"short_{item}[{shift.id}]")
                plan.model.add(cp_model.LinearExpr.sum(people) + short >= wanted)
                plan.penalize("coverage", short, 1, upper=wanted, shift=shift.id, note=f"{item} missing")

    def shortfall(self, view: RosterView) -> Shortfall:
        """Per shift: each minimum still missing in a finished roster, and by how many."""
        short: Shortfall = {}
        for shift in view.problem.shifts:
            for item, wanted, counts in self.requirements(shift):
                present = sum(1 for volunteer in view.people_on(shift.id) if counts(volunteer))
                if wanted > present:
                    short.setdefault(shift.id, {})[item] = wanted - present
        return short

    def score(self, view: RosterView, context: Context | None = None) -> int:
        return missing_items(self.shortfall(view))


def day_label(day: dt.date) -> str:
    return f"{day.isoformat()} ({day.strftime('%a')})"
