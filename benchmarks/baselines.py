"""What the scale benchmark compares the solver with: the straightforward model, and the quality of any roster.

The straightforward model is the textbook formulation: a boolean for every (volunteer, shift)
pair, the ineligible ones fixed to 0, no warm start. It is built from the rule catalogue itself
(each rule's `add()` on a Plan whose context calls everyone eligible for everything), so it
states exactly the same rules and objective as the tool's model; only the variables differ.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from collections import Counter
from collections.abc import Callable

from ortools.sat.python import cp_model

import constraints
from constraints import CATALOGUE, Context, Plan
from scheduler.domain.models import Problem
from scheduler.solving.solver import assemble_objective


@dataclasses.dataclass
class StraightforwardModel:
    plan: Plan
    coverage_weight: int
    variables: int
    fixed_to_zero: int
    seconds: float


def straightforward_model(problem: Problem, context: Context,
                          on_phase: Callable[[str], None] = lambda phase: None) -> StraightforwardModel:
    """Every pair a variable, the rules posted by the catalogue, the ineligible pairs forced to 0."""
    started = time.perf_counter()
    on_phase("variables")
    everyone = [v.id for v in problem.volunteers]
    open_context = dataclasses.replace(context, eligible={s.id: everyone for s in problem.shifts})
    plan = Plan(problem, open_context)
    on_phase(f"{len(plan.pairs()):,} variables made")
    for rule in CATALOGUE:
        on_phase(f"rule {rule.NAME}")
        rule.add(plan)
    eligible = {(vid, sid) for sid, vids in context.eligible.items() for vid in vids}
    fixed = 0
    for pair, var in plan.pairs().items():
        if pair not in eligible:
            plan.model.add(var == 0)
            fixed += 1
    coverage_weight = assemble_objective(plan)
    return StraightforwardModel(plan, coverage_weight, len(plan.pairs()), fixed, time.perf_counter() - started)


class Recorder(cp_model.CpSolverSolutionCallback):
    """Each improving solution: (seconds, seats and composition missing, objective, bound)."""

    def __init__(self, plan: Plan):
        super().__init__()
        self._coverage = [p.var for p in plan.penalties if p.goal == "coverage"]
        self.events: list[tuple[float, int, int, int]] = []

    def on_solution_callback(self) -> None:
        self.events.append((self.wall_time, int(sum(self.value(v) for v in self._coverage)),
                            int(self.objective_value), int(self.best_objective_bound)))


def quality(problem: Problem, context: Context, pairs: list[tuple[str, str]]) -> dict:
    """Seats filled, load spread and hard-rule violations of any roster, from the pairs alone.

    Spread: the standard deviation, over the active people who offered at least one shift, of
    shifts given / shifts offered; and the share of those people who got nothing.
    """
    distinct = list(dict.fromkeys(pairs))
    on_shift = Counter(sid for _, sid in distinct)
    seats = sum(s.need for s in problem.shifts)
    filled = sum(min(on_shift[s.id], s.need) for s in problem.shifts)
    short = constraints.shortfalls(problem, distinct, context)
    other = sum(n for unmet in short.values() for what, n in unmet.items() if what != "seats")
    given = Counter(vid for vid, _ in distinct)
    offered = {v.id: context.offered.get(v.id, 0) for v in problem.volunteers if v.active}
    offered = {vid: n for vid, n in offered.items() if n > 0}
    ratios = [given[vid] / n for vid, n in offered.items()]
    return {
        "assignments": len(distinct), "seats": seats, "filled": filled, "other_unmet": other,
        "spread": statistics.pstdev(ratios) if ratios else 0.0,
        "nothing": sum(1 for vid in offered if not given[vid]) / max(len(offered), 1),
        "violations": len(constraints.check(problem, distinct, context)),
    }
