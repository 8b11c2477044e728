"""max_shifts_per_week: a volunteer works at most that many shifts in the week (their own limit first)."""

from __future__ import annotations

import pytest

from constraints import max_shifts_per_week

from .factory import feasible, force, found, plan_for, problem, sdef, view, vol

NAME = "max_shifts_per_week"


def test_name_is_the_module_name():
    assert max_shifts_per_week.NAME == NAME and max_shifts_per_week.KIND == "hard"


def daily(volunteers, default=3):
    return problem(volunteers, [sdef("s", days=range(7))], max_shifts_per_week=default)


def first_days(prob, vid, n):
    return [(vid, shift.id) for shift in prob.shifts[:n]]


@pytest.mark.parametrize("own, default, taken, expected", [
    (None, 3, 3, 0), (None, 3, 4, 1), (None, 3, 7, 1),
    (1, 3, 1, 0), (1, 3, 2, 1),        # a personal limit below the default
    (5, 3, 5, 0), (5, 3, 6, 1),        # a personal limit above it
    (0, 3, 1, 1), (None, 0, 1, 1),
])
def test_exact_counts(own, default, taken, expected):
    prob = daily([vol("A", max_shifts_per_week=own)], default)
    assert found(max_shifts_per_week.check(view(prob, first_days(prob, "A", taken)))) == [(NAME, "A", None)] * expected


def test_one_violation_per_person():
    prob = daily([vol("A"), vol("B", max_shifts_per_week=1), vol("C")], default=2)
    pairs = first_days(prob, "A", 3) + first_days(prob, "B", 2) + first_days(prob, "C", 2)
    violations = max_shifts_per_week.check(view(prob, pairs))
    assert found(violations) == [(NAME, "A", None), (NAME, "B", None)]
    assert "the limit is 1" in next(v for v in violations if v.volunteer == "B").message


def test_unknown_ids_are_not_counted():
    prob = daily([vol("A", max_shifts_per_week=1)])
    assert max_shifts_per_week.check(view(prob, first_days(prob, "A", 1) + [("A", "ghost@2026-12-01")])) == []


class TestAdd:
    def feasible_with(self, own, default, taken):
        prob = daily([vol("A", max_shifts_per_week=own)], default)
        plan = plan_for(prob)
        max_shifts_per_week.add(plan)
        force(plan, first_days(prob, "A", taken))
        return feasible(plan)

    @pytest.mark.parametrize("own, default, limit", [(None, 3, 3), (None, 2, 2), (1, 3, 1), (5, 3, 5), (0, 3, 0)])
    def test_cap_reached_is_feasible_and_one_more_is_not(self, own, default, limit):
        assert self.feasible_with(own, default, limit)
        assert not self.feasible_with(own, default, limit + 1)
