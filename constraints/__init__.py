"""The rule catalogue: every rule of a roster, hard rules first, then the goals in priority order.

Each module states its rule in its docstring's first line, posts it to the CP-SAT model with
`add(plan)`, and checks a finished roster in plain Python: `check(view)` for hard rules,
`score(view, context)` (penalty points) for goals (the three shapes are the protocols of
`constraints.base`). The checks are the specification; the solver is only trusted as far as they
confirm it.

`CATALOGUE` is the one list of rules; everything else is derived from it: the groups (by each
module's `KIND`), the goals (`GOALS`: the coverage group, then each soft rule's `NAME`, which is
also its key under the rules file's `weights:`), the coverage weight, and the hard rules the warm
start asks (by `SCOPE`). Adding a goal is its module, its entry here, its weight in
`scheduler.domain.models.Weights`, its words (`goal.<NAME>` in `scheduler/render/zh.py` and
`en.py`) and its test in `tests/rules/`; `tests/test_catalogue.py` fails while one of them is missing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from constraints import (
    coverage,
    eligibility,
    fairness,
    freeze,
    gender_mix,
    locks,
    max_consecutive_days,
    max_headcount,
    max_shifts_per_day,
    max_shifts_per_week,
    min_rest_hours,
    no_overlap,
    participation,
    partner,
    preference,
    required_tags,
    rotation,
    shortage_spread,
    stability,
)
from constraints.base import (
    POINTS,
    Context,
    CoverageRule,
    HardRule,
    Pair,
    Penalty,
    Plan,
    RosterView,
    Shortfall,
    SoftRule,
    Violation,
)
from scheduler.domain import collector
from scheduler.domain.models import History, Problem, Weights

CATALOGUE = (
    # hard rules: never broken in a written roster (the first ones are the ones the later ones lean on)
    eligibility, max_shifts_per_day, max_shifts_per_week, no_overlap, min_rest_hours, max_consecutive_days,
    max_headcount, locks, freeze,
    # coverage: one dominant goal
    coverage, gender_mix, required_tags,
    # the other goals, in priority order
    shortage_spread, participation, fairness, preference, rotation, partner, stability,
)
"""Every rule, in the order the model posts them: hard rules, the coverage group, then the goals."""

def _of_kind(kind: str) -> tuple:
    return tuple(rule for rule in CATALOGUE if kind == rule.KIND)


HARD_RULES: tuple[HardRule, ...] = _of_kind("hard")
COVERAGE_RULES: tuple[CoverageRule, ...] = _of_kind("coverage")
SOFT_RULES: tuple[SoftRule, ...] = _of_kind("soft")

SCOPES = ("pair", "volunteer", "shift", "plan")
"""What a hard rule's check looks at (see `constraints.base`); every hard rule declares one as `SCOPE`."""

GOALS = (coverage.NAME, *(rule.NAME for rule in SOFT_RULES))
"""The objective's parts in the order of roster.json: the coverage group, then each soft rule."""

__all__ = ["CATALOGUE", "COVERAGE_RULES", "GOALS", "HARD_RULES", "POINTS", "SCOPES", "SOFT_RULES", "Context",
           "CoverageRule", "HardRule", "Penalty", "Plan", "RosterView", "SoftRule", "Violation", "build_context",
           "check", "coverage_weight", "goal_points", "goal_weights", "hard_rules", "pinned_pairs",
           "points_by_volunteer", "shortfalls", "weighted_points"]


def build_context(problem: Problem, history: History | None = None, baseline=(), locks=(),
                  frozen_before: dt.date | None = None, halt: Callable[[], bool] | None = None) -> Context:
    """Eligibility and offers for the week, with the history, an earlier roster of the week, locks and freeze.

    A `halt()` that says so (a stop) ends the eligible lists early: the context is then
    `cut_short` (see `Context`), the frozen days' lists complete all the same.
    """
    asked: list[bool] = []

    def halted() -> bool:
        asked.append(bool(halt and halt()))
        return asked[-1]

    frozen = [s.id for s in problem.shifts if frozen_before is not None and s.date < frozen_before]
    with collector.paused():  # a big week's lists hold millions of entries, none in a cycle
        eligible = eligibility.eligible_volunteers(problem, halted if halt else None, first=frozen)
        offered = fairness.offers(problem, eligible)
    return Context(eligible=eligible, offered=offered, history=history or History(),
                   baseline=frozenset(baseline), locks=frozenset(locks), frozen_before=frozen_before,
                   cut_short=any(asked))


def _view(problem: Problem, pairs: list[Pair] | RosterView, context: Context) -> RosterView:
    """The roster as the checks see it; a RosterView given instead of pairs is reused (built once per roster)."""
    return pairs if isinstance(pairs, RosterView) else RosterView(problem, pairs, context)


def check(problem: Problem, pairs: list[Pair] | RosterView, context: Context | None = None) -> list[Violation]:
    """Every hard rule's plain-Python check on a roster given as (volunteer, shift) pairs (or their view)."""
    view = _view(problem, pairs, context or build_context(problem))
    return [violation for rule in HARD_RULES for violation in rule.check(view)]


def hard_rules(scope: str) -> tuple:
    """The hard rules whose check looks at `scope` (`pair`, `volunteer`, `shift` or `plan`), in catalogue order."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}; one of {', '.join(SCOPES)}")
    return tuple(rule for rule in HARD_RULES if scope == rule.SCOPE)


def pinned_pairs(problem: Problem, context: Context) -> frozenset[Pair]:
    """The assignments every roster of the plan must hold: the locks, and the earlier roster on frozen days."""
    locked = {(vid, sid) for vid, sid in context.locks if vid in problem.volunteer and sid in problem.shift}
    return frozenset(locked | freeze.kept(problem, context))


def goal_points(problem: Problem, pairs: list[Pair] | RosterView, context: Context) -> dict[str, int]:
    """Unweighted penalty points of each goal, recomputed from the roster alone."""
    view = _view(problem, pairs, context)
    points = dict.fromkeys(GOALS, 0)
    for cover in COVERAGE_RULES:
        points[coverage.NAME] += cover.score(view, context)
    for rule in SOFT_RULES:
        points[rule.NAME] += rule.score(view, context)
    return points


def coverage_weight(problem: Problem, context: Context) -> int:
    """One missing seat (or woman, or skill) weighs more than every soft penalty at its worst together.

    The one formula: the model's objective, the roster record and `cover --apply` all use it.
    Each soft rule's `worst` is what its penalty records charge with every one at its upper
    bound, so it is asked of the week without building a model (a test proves the two agree).
    """
    weights = problem.rules.weights
    return 1 + sum(getattr(weights, rule.NAME) * rule.worst(problem, context) for rule in SOFT_RULES)


def goal_weights(weights: Weights, coverage: int) -> dict[str, int]:
    """What one point of each goal weighs in the objective: `coverage`, then each soft goal's weight."""
    return {GOALS[0]: coverage} | {rule.NAME: getattr(weights, rule.NAME) for rule in SOFT_RULES}


def weighted_points(problem: Problem, pairs: list[Pair] | RosterView, context: Context,
                    coverage: int) -> dict[str, int]:
    """Each goal's points times its weight: the objective the solver charges `pairs`, per goal."""
    weights = goal_weights(problem.rules.weights, coverage)
    return {goal: weights[goal] * points for goal, points in goal_points(problem, pairs, context).items()}


def points_by_volunteer(problem: Problem, pairs: list[Pair] | RosterView, context: Context) -> dict[str, dict[str, int]]:
    """Unweighted soft-goal points per volunteer (only the non-zero ones), recomputed from the roster."""
    view = _view(problem, pairs, context)
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for rule in SOFT_RULES:
        for vid, points in rule.points_of(view, context).items():
            if points:
                table[vid][rule.NAME] = points
    return dict(table)


def shortfalls(problem: Problem, pairs: list[Pair] | RosterView, context: Context) -> Shortfall:
    """Per shift left short: what is missing ('seats', 'female', 'male', or a tag) and how many."""
    view = _view(problem, pairs, context)
    merged: Shortfall = defaultdict(dict)
    for rule in COVERAGE_RULES:
        for sid, unmet in rule.shortfall(view).items():
            merged[sid].update(unmet)
    return dict(merged)
