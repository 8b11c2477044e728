"""The CP-SAT model of a week: every rule of the catalogue posted, then one objective from the penalty records."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

import constraints
from constraints import CATALOGUE, Context, Pair, Plan
from scheduler.domain.models import Problem
from scheduler.solving.warm_start import Halt, never


@dataclass
class Built:
    """A model ready to solve, with what is needed to read its answer."""

    plan: Plan
    coverage_weight: int
    seconds: float


def build(problem: Problem, context: Context, halt: Halt = never) -> Built | None:
    """Post every rule of the catalogue, then assemble the objective from the penalty records.

    None when `halt()` says so between two rules (a stop, or no time left to search anyway).
    """
    started = time.perf_counter()
    plan = Plan(problem, context)
    for rule in CATALOGUE:
        if halt():
            return None
        rule.add(plan)
        plan.posted.add(rule.NAME)
    coverage_weight = assemble_objective(plan)
    return Built(plan, coverage_weight, time.perf_counter() - started)


def assemble_objective(plan: Plan) -> int:
    """The one place the objective is made. Returns the coverage weight.

    Coverage dominates: one missing seat (or woman, or skill) weighs more than every soft
    penalty of the model at its worst together (`constraints.coverage_weight`), so no trade of
    coverage for comfort is possible.
    """
    coverage_weight = constraints.coverage_weight(plan.problem, plan.context)
    per_goal = constraints.goal_weights(plan.problem.rules.weights, coverage_weight)
    plan.model.minimize(cp_model.LinearExpr.weighted_sum([p.var for p in plan.penalties],
                                                         [per_goal[p.goal] * p.points for p in plan.penalties]))
    return coverage_weight


def hint_with(plan: Plan, pairs: Iterable[Pair]) -> None:
    """Start the search from a known roster: every assignment variable gets a hint (replacing any earlier one)."""
    chosen = set(pairs)
    plan.model.clear_hints()
    for pair, var in plan.pairs().items():
        plan.model.add_hint(var, pair in chosen)
