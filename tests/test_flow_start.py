"""The minimum-cost-flow warm start and bound: legal, never worse than the polished greedy fill, exact
where it can be; the bound never above any roster's objective, and the optimum where only loads and
seats count."""

from __future__ import annotations

from pathlib import Path

import pytest

import constraints
from scheduler import api
from scheduler.solving.flow_start import best_start, flow_bound, flow_roster, objective, together
from scheduler.solving.polish import polish
from scheduler.solving.solver import SolveOptions, solve
from scheduler.solving.warm_start import greedy_fill
from tests.rules.factory import problem, sdef, vol

SAMPLES = Path(__file__).parent.parent / "sample_data"


def test_a_turn_for_everyone_and_the_short_week_spread():
    # Five mornings for three (15 seats), four people of three shifts each, and one of a single shift.
    prob = problem([vol(v, max_shifts_per_week=3) for v in "ABCD"] + [vol("E", max_shifts_per_week=1)],
                   [sdef("cross", days=["Mon", "Tue", "Wed", "Thu", "Fri"], need=3)])
    context = constraints.build_context(prob)
    pairs = flow_roster(prob, context)
    assert constraints.check(prob, pairs, context) == []
    assert {vid for vid, _ in pairs} == set("ABCDE")
    optimum = solve(prob, SolveOptions(time_limit=5, workers=1), context)
    assert objective(prob, context, pairs) == optimum.solver.objective
    # Only loads and seats count in this week: the flow's bound is the optimum itself.
    assert flow_bound(prob, context) == optimum.solver.objective


def test_composition_minimums_are_met():
    prob = problem([vol("M1", "M"), vol("M2", "M"), vol("W", "F")],
                   [sdef("visit", days=["Mon"], need=2, min_female=1)])
    context = constraints.build_context(prob)
    pairs = flow_roster(prob, context)
    assert "W" in {vid for vid, _ in pairs} and not constraints.shortfalls(prob, pairs, context)


def test_partners_are_brought_together_by_trading_shifts():
    # A and B are partners; the flow has no notion of partners, the trade puts B beside A.
    prob = problem([vol("A", partner="B", max_shifts_per_week=1), vol("B", max_shifts_per_week=1),
                    vol("C", max_shifts_per_week=1)],
                   [sdef("s", days=["Mon"], need=2), sdef("t", days=["Tue"], need=1)])
    context = constraints.build_context(prob)
    apart = [("A", "s@2026-11-30"), ("C", "s@2026-11-30"), ("B", "t@2026-12-01")]
    mended = together(prob, context, apart)
    assert sorted(mended) == [("A", "s@2026-11-30"), ("B", "s@2026-11-30"), ("C", "t@2026-12-01")]
    assert objective(prob, context, mended) < objective(prob, context, apart)


def test_locks_keep_the_greedy_start():
    prob = problem([vol("A")], [sdef("s", days=["Mon"])])
    context = constraints.build_context(prob, locks=[("A", "s@2026-11-30")])
    assert flow_roster(prob, context) is None


def test_on_the_sample_it_is_legal_and_no_worse_than_the_polished_fill():
    prob = api.load(SAMPLES / "yanji7", week="2026-W49")
    context = constraints.build_context(prob)
    fill = polish(prob, context, greedy_fill(prob, context))
    start = best_start(prob, context, fill, polish)
    assert constraints.check(prob, start, context) == []
    assert objective(prob, context, start) <= objective(prob, context, fill)
    assert not constraints.shortfalls(prob, start, context)


def test_a_person_apart_from_their_partner_gives_the_seat_to_someone_free():
    # A (partner B) serves s and u without B; B's one shift is t, and nobody can trade with B.
    # Handing s to C (who has nothing) brings A's shifts without B down to one, and gives C a turn.
    prob = problem([vol("A", partner="B", max_shifts_per_week=2), vol("B", max_shifts_per_week=1),
                    vol("C", max_shifts_per_week=1)],
                   [sdef("s", days=["Mon"], need=1), sdef("t", days=["Tue"], need=1), sdef("u", days=["Wed"], need=1)])
    context = constraints.build_context(prob)
    start = [("A", "s@2026-11-30"), ("A", "u@2026-12-02"), ("B", "t@2026-12-01")]
    mended = together(prob, context, start)
    assert sorted(mended) == [("A", "u@2026-12-02"), ("B", "t@2026-12-01"), ("C", "s@2026-11-30")]
    assert constraints.goal_points(prob, mended, context)["partner"] < constraints.goal_points(prob, start, context)["partner"]


def _rosters(prob, context):
    """Legal rosters of the week made different ways, and the optimum."""
    fill = greedy_fill(prob, context, order="time")
    polished = polish(prob, context, greedy_fill(prob, context))
    optimum = solve(prob, SolveOptions(time_limit=10, workers=1), context)
    return [fill, polished, best_start(prob, context, polished, polish)], optimum


@pytest.mark.parametrize("case", ["minimums", "partners", "rest and limits"])
def test_the_bound_is_never_above_a_roster(case):
    people = [vol("M1", "M"), vol("M2", "M", max_shifts_per_week=1), vol("W1", "F", partner="M1"),
              vol("W2", "F", max_shifts_per_week=2), vol("W3", "F", max_shifts_per_week=1)]
    shifts = {"minimums": [sdef("visit", days=["Mon", "Tue", "Wed"], need=2, min_male=2)],
              "partners": [sdef("patrol", days=["Mon", "Tue"], need=1), sdef("sort", days=["Mon", "Wed"], need=2)],
              "rest and limits": [sdef("early", days=["Mon", "Tue"], start="06:00", end="10:00", need=2),
                                  sdef("late", days=["Mon"], start="18:00", end="23:00", need=2)]}[case]
    prob = problem(people, shifts)
    context = constraints.build_context(prob)
    rosters, optimum = _rosters(prob, context)
    assert optimum.solver.status == "OPTIMAL"
    bound = flow_bound(prob, context)
    assert bound <= optimum.solver.objective
    assert all(bound <= objective(prob, context, pairs) for pairs in rosters if not constraints.check(prob, pairs, context))
    if case == "minimums":  # two men on three visits: the third visit's missing man is not in the flow
        assert bound < optimum.solver.objective


@pytest.mark.parametrize("week", ["2026-W49", "2026-W50"])
def test_the_sample_week_is_proven_optimal_by_its_warm_start_and_the_flow_bound(week):
    prob = api.load(SAMPLES / "yanji7", week=week)
    context = constraints.build_context(prob)
    roster = solve(prob, SolveOptions(time_limit=30), context)
    assert roster.solver.status == "OPTIMAL" and roster.solver.gap == 0
    assert roster.solver.variables == 0  # no model was built: the proof needed no search
    assert roster.solver.objective == flow_bound(prob, context)
