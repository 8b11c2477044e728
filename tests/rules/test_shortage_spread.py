"""shortage_spread: seats that must stay empty are spread over the shifts and days, no post left empty."""

from __future__ import annotations

from collections import Counter

import pytest

import constraints
from constraints import shortage_spread
from scheduler.solving.solver import SolveOptions, solve

from .factory import FRI, MON, THU, TUE, WED, charged_points, context, problem, sdef, sid, view, vol

DAYS = (MON, TUE, WED, THU, FRI)
S = {day: sid("cross", day) for day in DAYS}


def short_week(weights=None):
    """A crossing post for three, Monday to Friday (15 seats); four people with three shifts each (12)."""
    return problem([vol(v, max_shifts_per_week=3) for v in "ABCD"],
                   [sdef("cross", days=["Mon", "Tue", "Wed", "Thu", "Fri"], need=3)], weights=weights)


def test_name_is_the_module_name():
    assert shortage_spread.NAME == "shortage_spread" and shortage_spread.KIND == "soft"


def test_comes_right_after_the_coverage_rules():
    names = [rule.NAME for rule in constraints.CATALOGUE]
    assert names.index("shortage_spread") == names.index("required_tags") + 1
    assert constraints.GOALS[:2] == ("coverage", "shortage_spread")


@pytest.mark.parametrize("j, need, points", [(1, 3, 33), (2, 3, 67), (3, 3, 100), (1, 1, 100), (1, 2, 50)])
def test_seat_cost(j, need, points):
    assert shortage_spread.seat_cost(j, need) == points


def roster_of(counts):
    """A roster with counts[i] of A-D on day i (people taken in turn, so nobody exceeds three)."""
    pairs, people = [], "ABCD" * 5
    i = 0
    for day, n in zip(DAYS, counts):
        for vid in sorted(people[i:i + n]):
            pairs.append((vid, S[day]))
        i += n
    return pairs


CASES = [
    ((3, 3, 3, 3, 3), 0),
    ((3, 3, 3, 3, 0), 33 + 67 + 100),
    ((3, 3, 2, 2, 2), 33 * 3),
    ((3, 3, 3, 2, 1), 33 + 33 + 67),
    ((0, 0, 0, 0, 0), 5 * 200),
]


@pytest.mark.parametrize("counts, points", CASES)
def test_score(counts, points):
    prob = short_week()
    assert shortage_spread.score(view(prob, roster_of(counts)), context(prob)) == points


@pytest.mark.parametrize("counts, points", CASES[:4])
def test_model_charges_what_score_says(counts, points):
    assert charged_points(shortage_spread, short_week(), roster_of(counts)) == points


def test_worst_is_every_shift_empty():
    prob = short_week()
    assert shortage_spread.worst(prob, context(prob)) == 5 * 200


def test_a_short_week_is_staffed_3_3_2_2_2():
    prob = short_week()
    roster = solve(prob, SolveOptions(time_limit=5, workers=1))
    per_day = Counter(a.shift for a in roster.assignments)
    assert roster.seats_missing == 3
    assert sorted(per_day[S[day]] for day in DAYS) == [2, 2, 2, 3, 3]
    assert roster.objective["shortage_spread"] == 10 * 99
