"""min_rest_hours: between the end of a shift and the start of the person's next one lie at least that many hours."""

from __future__ import annotations

import pytest

from constraints import min_rest_hours

from .factory import MON, TUE, feasible, force, found, plan_for, problem, sdef, sid, view, vol

NAME = "min_rest_hours"

DEFS = (
    sdef("eve", days=["Mon"], start="19:00", end="21:00"),
    sdef("late", days=["Mon"], start="19:00", end="22:00"),
    sdef("night", days=["Mon"], start="22:00", end="01:00"),
    sdef("am", days=["Tue"], start="07:00", end="09:00"),
    sdef("nine", days=["Tue"], start="09:00", end="10:00"),
    sdef("eleven", days=["Tue"], start="11:00", end="12:00"),
)


def week(rest, volunteers=("A",)):
    return problem([vol(v) for v in volunteers], DEFS, min_rest_hours=rest)

CASES = [
    (10, ("eve", MON), ("am", TUE), False),        # 21:00 -> 07:00: exactly 10 h
    (10, ("late", MON), ("am", TUE), True),        # 22:00 -> 07:00: 9 h
    (9, ("late", MON), ("am", TUE), False),
    (10, ("night", MON), ("nine", TUE), True),     # measured from the real end, Tue 01:00: 8 h
    (10, ("night", MON), ("eleven", TUE), False),  # Tue 01:00 -> 11:00: 10 h
    (8, ("night", MON), ("nine", TUE), False),
    (0, ("night", MON), ("nine", TUE), False),
    (2.5, ("am", TUE), ("eleven", TUE), True),     # 2 h < 2.5 h
    (2, ("am", TUE), ("eleven", TUE), False),
]


def test_name_is_the_module_name():
    assert min_rest_hours.NAME == NAME and min_rest_hours.KIND == "hard"


@pytest.mark.parametrize("rest, first, second, short", CASES)
def test_rest_between_two_shifts(rest, first, second, short):
    prob = week(rest)
    pairs = [("A", sid(*second)), ("A", sid(*first))]
    assert found(min_rest_hours.check(view(prob, pairs))) == [(NAME, "A", sid(*second))] * short


def test_every_pair_too_close_counts():
    # Tue 07-09, 09-10 and 11-12 with 10 h rest: three pairs, each too close.
    prob = week(10)
    pairs = [("A", sid(d, TUE)) for d in ("am", "nine", "eleven")]
    assert found(min_rest_hours.check(view(prob, pairs))) == sorted(
        [(NAME, "A", sid("nine", TUE)), (NAME, "A", sid("eleven", TUE)), (NAME, "A", sid("eleven", TUE))], key=repr)


def test_overlapping_shifts_are_left_to_no_overlap():
    prob = week(10)
    assert min_rest_hours.check(view(prob, [("A", sid("eve", MON)), ("A", sid("late", MON))])) == []


def test_rest_is_per_person():
    prob = week(10, volunteers=("A", "B"))
    assert min_rest_hours.check(view(prob, [("A", sid("late", MON)), ("B", sid("am", TUE))])) == []


def test_message_gives_the_rest_taken():
    prob = week(10)
    (violation,) = min_rest_hours.check(view(prob, [("A", sid("night", MON)), ("A", sid("nine", TUE))]))
    assert "rests only 8 h" in violation.message and "at least 10 h" in violation.message


class TestAdd:
    def feasible_with(self, rest, pairs):
        plan = plan_for(week(rest))
        min_rest_hours.add(plan)
        force(plan, pairs)
        return feasible(plan)

    @pytest.mark.parametrize("rest, first, second, short", CASES)
    def test_model_agrees_with_the_check(self, rest, first, second, short):
        assert self.feasible_with(rest, [("A", sid(*first)), ("A", sid(*second))]) is not short

    def test_rest_zero_posts_nothing(self):
        plan = plan_for(week(0))
        min_rest_hours.add(plan)
        assert len(plan.model.proto.constraints) == 0

    def test_overlapping_pairs_are_not_forbidden_here(self):
        assert self.feasible_with(10, [("A", sid("eve", MON)), ("A", sid("late", MON))])
