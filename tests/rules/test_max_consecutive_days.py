"""max_consecutive_days: a volunteer works on at most that many days in a row."""

from __future__ import annotations

import pytest

from constraints import max_consecutive_days

from .factory import WEEK, feasible, force, found, plan_for, problem, sdef, sid, view, vol

NAME = "max_consecutive_days"

CASES = [
    (4, [0, 1, 2, 3], False),
    (4, [0, 1, 2, 3, 4], True),
    (4, [2, 3, 4, 5, 6], True),           # Wednesday to Sunday
    (4, [0, 1, 2, 3, 5, 6], False),       # a free Friday breaks the run
    (3, [0, 1, 2, 4, 5, 6], False),
    (2, [0, 1, 2, 4, 5, 6], True),        # two runs too long: still one violation
    (6, [0, 1, 2, 3, 4, 5, 6], True),
    (7, [0, 1, 2, 3, 4, 5, 6], False),
    (1, [0, 2, 4, 6], False),
    (1, [5, 6], True),
]


def test_name_is_the_module_name():
    assert max_consecutive_days.NAME == NAME and max_consecutive_days.KIND == "hard"


def daily(limit, volunteers=("A",)):
    defs = [sdef("am", days=range(7), start="07:00", end="09:00"),
            sdef("pm", days=range(7), start="14:00", end="16:00"),
            sdef("night", days=range(7), start="22:00", end="01:00")]
    return problem([vol(v) for v in volunteers], defs, max_consecutive_days=limit, max_shifts_per_day=3)


def on(days, definition="am", vid="A"):
    """(vid, shift) on these weekday numbers, 0 = Monday."""
    return [(vid, sid(definition, WEEK.dates[d])) for d in days]


@pytest.mark.parametrize("limit, days, broken", CASES)
def test_runs(limit, days, broken):
    prob = daily(limit)
    assert found(max_consecutive_days.check(view(prob, on(days)))) == [(NAME, "A", None)] * broken


def test_two_shifts_on_a_day_count_one_day():
    prob = daily(2)
    pairs = on([0, 1]) + on([0, 1], "pm")
    assert max_consecutive_days.check(view(prob, pairs)) == []


def test_a_night_shift_counts_on_its_start_date_only():
    prob = daily(1)
    assert max_consecutive_days.check(view(prob, on([0], "night"))) == []         # Monday only, not Tuesday too
    assert max_consecutive_days.check(view(prob, on([0], "night") + on([2]))) == []
    assert found(max_consecutive_days.check(view(prob, on([0], "night") + on([1])))) == [(NAME, "A", None)]


def test_message_names_the_run():
    prob = daily(4)
    (violation,) = max_consecutive_days.check(view(prob, on([2, 3, 4, 5, 6])))
    assert "5 days in a row up to 2026-12-06" in violation.message


def test_one_violation_per_person_with_a_long_run():
    prob = daily(2, volunteers=("A", "B", "C"))
    pairs = on([0, 1, 2], vid="A") + on([3, 4, 5, 6], vid="B") + on([0, 1, 3, 4], vid="C")
    assert found(max_consecutive_days.check(view(prob, pairs))) == [(NAME, "A", None), (NAME, "B", None)]


def test_longest_run():
    assert max_consecutive_days.longest_run([]) == (0, None)
    days = [WEEK.dates[d] for d in (0, 1, 3, 4, 5)]
    assert max_consecutive_days.longest_run(days) == (3, WEEK.dates[5])


class TestAdd:
    def feasible_with(self, limit, pairs, prob=None):
        plan = plan_for(prob or daily(limit))
        max_consecutive_days.add(plan)
        force(plan, pairs)
        return feasible(plan)

    @pytest.mark.parametrize("limit, days, broken", CASES)
    def test_model_agrees_with_the_check(self, limit, days, broken):
        assert self.feasible_with(limit, on(days)) is not broken

    def test_night_shift(self):
        assert self.feasible_with(1, on([0], "night") + on([2]))
        assert not self.feasible_with(1, on([0], "night") + on([1]))

    def test_a_day_without_eligible_shifts_breaks_the_run(self):
        # No shift on Thursday at all: Mon-Wed and Fri-Sun are two runs of three.
        prob = problem([vol("A")], [sdef("s", days=[0, 1, 2, 4, 5, 6])], max_consecutive_days=3)
        pairs = [("A", s.id) for s in prob.shifts]
        assert self.feasible_with(3, pairs, prob)
        prob = problem([vol("A")], [sdef("s", days=[0, 1, 2, 4, 5, 6])], max_consecutive_days=2)
        assert not self.feasible_with(2, [("A", s.id) for s in prob.shifts], prob)
