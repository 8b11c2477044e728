"""Every number of the objective can be traced to the people behind it."""

from __future__ import annotations

from collections import Counter

from scheduler import api
from tests.conftest import TUTORIAL


def test_per_volunteer_points_add_up_to_each_soft_goal():
    problem = api.load(TUTORIAL, week="2026-W49")
    roster = api.solve(problem, time_limit=10)
    per_goal = Counter()
    for load in roster.volunteers:
        per_goal.update(load.objective)
    soft = {goal: points for goal, points in roster.objective.items() if goal != "coverage"}
    assert {goal: per_goal.get(goal, 0) for goal in soft} == soft
    assert roster.objective["fairness"] > 0 and roster.solver.objective == sum(roster.objective.values())


def test_the_coverage_weight_without_a_model_equals_the_models():
    import constraints
    from scheduler.solving.solver import build

    for folder in ("tutorial", "yanji7"):
        problem = api.load(TUTORIAL.parent / folder, week="2026-W49")
        context = constraints.build_context(problem)
        plan = build(problem, context).plan  # what the model's soft penalties cost at most, weighted
        weights = problem.rules.weights
        worst = sum(getattr(weights, p.goal) * p.points * p.upper for p in plan.penalties if p.goal != "coverage")
        assert constraints.coverage_weight(problem, context) == worst + 1


def test_the_bound_without_search_never_exceeds_the_optimum():
    import constraints
    from scheduler.solving.solver import build, quick_bound

    for folder in ("tutorial", "yanji7"):
        problem = api.load(TUTORIAL.parent / folder, week="2026-W49")
        context = constraints.build_context(problem)
        # A fixed amount of deterministic search, with a wall-clock budget no machine load reaches:
        # the answer is the same whether the machine is idle or busy.
        roster = api.solve(problem, time_limit=30, wall_seconds=3600)
        assert roster.solver.status == "OPTIMAL" and roster.solver.deterministic
        assert 0 < quick_bound(problem, context, build(problem, context).coverage_weight) <= roster.solver.objective
