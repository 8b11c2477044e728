"""locks: assignments the coordinator promised (the locks file) stay in the roster."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

import constraints
from constraints import locks

from .factory import (
    MON,
    TUE,
    blocked,
    feasible,
    force,
    found,
    plan_for,
    problem,
    sdef,
    sid,
    solve,
    solved_pairs,
    view,
    vol,
)

NAME = "locks"
S, T = sid("s", MON), sid("s", TUE)



def week():
    return problem([vol("A"), vol("B"), vol("C", unavailable=[blocked(TUE)])], [sdef("s", days=["Mon", "Tue"], need=1)])


def promised(prob, pairs):
    return constraints.build_context(prob, locks=pairs)


CASES = [
    ([], [("A", S)], []),
    ([("A", S)], [("A", S), ("B", T)], []),
    ([("A", S)], [("B", S)], [(NAME, "A", S)]),
    ([("A", S), ("B", T)], [], [(NAME, "A", S), (NAME, "B", T)]),
    ([("A", S), ("B", T)], [("B", T)], [(NAME, "A", S)]),
]


@pytest.mark.parametrize("locked, pairs, broken", CASES)
def test_check(locked, pairs, broken):
    prob = week()
    assert found(locks.check(view(prob, pairs, promised(prob, locked)))) == broken


def test_the_message_names_the_person_and_the_file():
    prob = week()
    [violation] = locks.check(view(prob, [], promised(prob, [("A", S)])))
    assert violation.message == f"name-A (A) was promised {S} (locks file) but is not on it"
    [ghost] = locks.check(view(prob, [], promised(prob, [("ghost", S)])))
    assert ghost.message.startswith("ghost was promised")


def test_without_locks_nothing_is_checked():
    prob = week()
    assert locks.check(view(prob, [("A", S), ("B", S)])) == []


class TestAdd:
    def test_a_locked_assignment_is_fixed(self):
        prob = week()
        plan = plan_for(prob, promised(prob, [("B", T)]))
        locks.add(plan)
        status, solver = solve(plan)
        assert status == cp_model.OPTIMAL and ("B", T) in solved_pairs(plan, solver)
        force(plan, [("B", T)], value=0)
        assert not feasible(plan)

    def test_the_other_assignments_stay_free(self):
        prob = week()
        plan = plan_for(prob, promised(prob, [("B", T)]))
        locks.add(plan)
        force(plan, [("A", S), ("C", S), ("A", T)])
        assert feasible(plan)

    def test_a_lock_without_a_variable_posts_nothing(self):
        """An ineligible lock is an input error when the locks load; the model does not fail on it."""
        prob = week()
        plan = plan_for(prob, promised(prob, [("C", T), ("ghost", S)]))
        locks.add(plan)
        assert len(plan.model.proto.constraints) == 0 and feasible(plan)

    def test_the_plan_pins_the_known_locks(self):
        prob = week()
        assert constraints.pinned_pairs(prob, promised(prob, [("A", S), ("ghost", S), ("A", "s@2026-01-05")])) == {
            ("A", S)}
