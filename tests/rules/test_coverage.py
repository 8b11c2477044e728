"""coverage: every shift gets the `need` people it asks for, as far as the volunteers allow."""

from __future__ import annotations

import pytest

from constraints import coverage

from .factory import (
    MON,
    TUE,
    charged_points,
    context,
    feasible,
    optimal_points,
    plan_for,
    problem,
    sdef,
    sid,
    view,
    vol,
    window,
)

PEOPLE = ("A", "B", "C", "D")


def test_name_is_the_module_name():
    assert coverage.NAME == "coverage" and coverage.KIND == "coverage"


def posts(volunteers=PEOPLE):
    """Monday gate needs 2 (max 3), Tuesday reading needs 1, Tuesday tidy-up needs nobody (max 2)."""
    return problem([vol(v) if isinstance(v, str) else v for v in volunteers], [
        sdef("gate", days=["Mon"], need=2, max=3),
        sdef("read", days=["Tue"], start="14:00", end="16:00", need=1),
        sdef("tidy", days=["Tue"], start="17:00", end="18:00", need=0, max=2),
    ])


GATE, READ, TIDY = sid("gate", MON), sid("read", TUE), sid("tidy", TUE)

CASES = [
    ([("A", GATE), ("B", GATE), ("C", READ)], {}),
    ([("A", GATE), ("B", GATE), ("C", GATE), ("D", READ)], {}),
    ([("A", GATE), ("C", READ)], {GATE: {"seats": 1}}),
    ([("A", GATE), ("B", GATE), ("C", GATE)], {READ: {"seats": 1}}),     # a third person on gate does not fill read
    ([], {GATE: {"seats": 2}, READ: {"seats": 1}}),
    ([("A", TIDY), ("B", TIDY)], {GATE: {"seats": 2}, READ: {"seats": 1}}),
    ([("A", GATE), ("ghost", GATE), ("B", "ghost@2026-12-01")], {GATE: {"seats": 1}, READ: {"seats": 1}}),
]


@pytest.mark.parametrize("pairs, short", CASES)
def test_shortfall_and_score(pairs, short):
    prob = posts()
    shown = view(prob, pairs)
    assert coverage.shortfall(shown) == short
    assert coverage.score(shown, context(prob)) == sum(u["seats"] for u in short.values())


@pytest.mark.parametrize("pairs, short", CASES[:6])
def test_model_charges_what_score_counts(pairs, short):
    prob = posts()
    assert charged_points(coverage, prob, pairs) == coverage.score(view(prob, pairs), context(prob))


def test_a_duplicated_row_fills_one_seat_only():
    prob = posts()
    assert coverage.shortfall(view(prob, [("A", GATE), ("A", GATE), ("C", READ)])) == {GATE: {"seats": 1}}


class TestAdd:
    def test_records_one_penalty_per_shift_with_need(self):
        plan = plan_for(posts())
        coverage.add(plan)
        assert [(p.goal, p.shift, p.points, p.upper) for p in plan.penalties] == [
            ("coverage", GATE, 1, 2), ("coverage", READ, 1, 1)]

    def test_enough_people_leave_nothing_short(self):
        plan = plan_for(posts())
        coverage.add(plan)
        assert optimal_points(plan) == 0

    def test_shortfall_is_what_the_volunteers_cannot_fill(self):
        # Only A is free on Monday morning; nobody on Tuesday afternoon.
        mornings = window(["Mon"], "06:00", "12:00")
        prob = posts([vol("A", availability=[mornings]), vol("B", availability=[window(["Sun"], "06:00", "12:00")])])
        plan = plan_for(prob)
        coverage.add(plan)
        assert optimal_points(plan) == 2

    def test_feasible_even_when_nobody_can_come(self):
        plan = plan_for(posts(volunteers=[vol("A", active=False)]))
        coverage.add(plan)
        assert feasible(plan) and optimal_points(plan) == 3
