"""The minimum-cost-flow warm start: legal, never worse than the polished greedy fill, exact where it can be."""

from __future__ import annotations

from pathlib import Path

import constraints
from scheduler import api
from scheduler.solving.flow_start import best_start, flow_roster, objective, together
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
