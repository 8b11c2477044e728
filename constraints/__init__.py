"""The rule catalogue: every rule of a roster, hard rules first, then the goals in priority order.

Each module states its rule in its docstring's first line, posts it to the CP-SAT model with
`add(plan)`, and checks a finished roster in plain Python: `check(view)` for hard rules,
`score(view, context)` (penalty points) for goals. The checks are the specification; the solver
is only trusted as far as they confirm it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

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
from constraints.base import POINTS, Context, Pair, Penalty, Plan, RosterView, Violation
from scheduler.domain.models import History, Problem, ShiftId

HARD_RULES = (eligibility, max_shifts_per_day, max_shifts_per_week, no_overlap, min_rest_hours,
              max_consecutive_days, max_headcount, locks, freeze)
COVERAGE_RULES = (coverage, gender_mix, required_tags)
SOFT_RULES = (shortage_spread, participation, fairness, preference, rotation, partner, stability)
CATALOGUE = HARD_RULES + COVERAGE_RULES + SOFT_RULES

SCOPES = ("pair", "volunteer", "shift", "plan")
"""What a hard rule's check looks at (see `constraints.base`); every hard rule declares one as `SCOPE`."""

GOALS = ("coverage", "shortage_spread", "participation", "fairness", "preference", "rotation", "partner", "stability")
"""The objective's parts in the order of roster.json: the coverage group, then each soft rule."""

__all__ = ["CATALOGUE", "GOALS", "POINTS", "SCOPES", "Context", "Penalty", "Plan", "RosterView", "Violation",
           "build_context", "check", "coverage_weight", "goal_points", "hard_rules", "pinned_pairs",
           "points_by_volunteer", "shortfalls"]


def build_context(problem: Problem, history: History | None = None, baseline=(), locks=(),
                  frozen_before: dt.date | None = None) -> Context:
    """Eligibility and offers for the week, with the history, an earlier roster of the week, locks and freeze."""
    eligible = eligibility.eligible_volunteers(problem)
    return Context(eligible=eligible, offered=fairness.offers(problem, eligible), history=history or History(),
                   baseline=frozenset(baseline), locks=frozenset(locks), frozen_before=frozen_before)


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
    for rule in COVERAGE_RULES:
        points["coverage"] += rule.score(view, context)
    for rule in SOFT_RULES:
        points[rule.NAME] += rule.score(view, context)
    return points


def coverage_weight(problem: Problem, context: Context) -> int:
    """One missing seat (or woman, or skill) weighs more than every soft penalty at its worst together."""
    weights = problem.rules.weights
    return 1 + sum(getattr(weights, rule.NAME) * rule.worst(problem, context) for rule in SOFT_RULES)


def points_by_volunteer(problem: Problem, pairs: list[Pair] | RosterView, context: Context) -> dict[str, dict[str, int]]:
    """Unweighted soft-goal points per volunteer (only the non-zero ones), recomputed from the roster."""
    view = _view(problem, pairs, context)
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for rule in SOFT_RULES:
        for vid, points in rule.points_of(view, context).items():
            if points:
                table[vid][rule.NAME] = points
    return dict(table)


def shortfalls(problem: Problem, pairs: list[Pair] | RosterView, context: Context) -> dict[ShiftId, dict[str, int]]:
    """Per shift left short: what is missing ('seats', 'female', 'male', or a tag) and how many."""
    view = _view(problem, pairs, context)
    merged: dict[ShiftId, dict[str, int]] = defaultdict(dict)
    for rule in COVERAGE_RULES:
        for sid, unmet in rule.shortfall(view).items():
            merged[sid].update(unmet)
    return dict(merged)
