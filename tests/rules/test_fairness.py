"""fairness: the load is spread over people in proportion to what each offered, history included."""

from __future__ import annotations

import pytest

import constraints
from constraints import fairness
from constraints.base import Context

from .factory import (
    MON,
    SAT,
    THU,
    TUE,
    WED,
    blocked,
    charged_points,
    context,
    history_of,
    optimal_points,
    plan_for,
    problem,
    sdef,
    sid,
    view,
    vol,
)


def test_name_is_the_module_name():
    assert fairness.NAME == "fairness" and fairness.KIND == "soft"


def four_days(caps=(1, 3), **rules):
    """One seat a day Monday to Thursday; volunteer A with cap caps[0], B with caps[1]."""
    volunteers = [vol(v, max_shifts_per_week=cap) for v, cap in zip("AB", caps)]
    return problem(volunteers, [sdef("s", days=["Mon", "Tue", "Wed", "Thu"])], **rules)


S = {day: sid("s", day) for day in (MON, TUE, WED, THU)}


class TestOffers:
    def test_smallest_of_cap_days_and_shifts(self):
        prob = problem(
            [vol("cap2", max_shifts_per_week=2), vol("days", unavailable=[blocked(TUE, SAT)]), vol("free"),
             vol("none", active=False), vol("zero", max_shifts_per_week=0)],
            [sdef("am", days=range(7)), sdef("pm", days=range(7), start="14:00", end="16:00")],
            max_shifts_per_week=5,
        )
        # days: eligible Mon and Sun only (two days, four shifts), one shift a day -> 2.
        assert context(prob).offered == {"cap2": 2, "days": 2, "free": 5, "none": 0, "zero": 0}

    def test_shifts_limit_the_offer(self):
        prob = problem([vol("A")], [sdef("s", days=["Fri"], start="07:00", end="09:00"),
                                    sdef("t", days=["Fri"], start="10:00", end="12:00")],
                       max_shifts_per_day=3, max_shifts_per_week=5)
        assert context(prob).offered == {"A": 2}

    def test_days_times_max_per_day(self):
        prob = problem([vol("A")], [sdef("s", days=["Mon"]), sdef("t", days=["Mon"], start="10:00", end="11:00"),
                                    sdef("u", days=["Mon"], start="12:00", end="13:00")],
                       max_shifts_per_day=2, max_shifts_per_week=5)
        assert context(prob).offered == {"A": 2}


@pytest.mark.parametrize("k, earlier, offer, points", [
    (1, 0, 1, 100), (1, 0, 3, 33), (2, 0, 3, 67), (3, 0, 3, 100), (1, 0, 8, 12),  # 12.5 rounds to even
    (1, 2, 4, 75), (2, 2, 4, 100), (1, 0, 0, 100),
])
def test_shift_cost(k, earlier, offer, points):
    assert fairness.shift_cost(k, earlier, offer) == points


CASES = [
    ([], 0),
    ([("A", S[MON])], 100),
    ([("B", S[MON])], 33),
    ([("A", S[MON]), ("B", S[TUE]), ("B", S[WED])], 100 + 33 + 67),
    ([("A", S[MON]), ("B", S[TUE]), ("B", S[WED]), ("B", S[THU])], 100 + 33 + 67 + 100),
]


@pytest.mark.parametrize("pairs, points", CASES)
def test_score(pairs, points):
    prob = four_days()
    ctx = context(prob)
    assert ctx.offered == {"A": 1, "B": 3}
    assert fairness.score(view(prob, pairs), ctx) == points


def test_points_of_each_volunteer_with_history():
    prob = four_days()
    ctx = Context(eligible=context(prob).eligible, offered={"A": 1, "B": 3}, history=history_of({"B": 2}))
    pairs = [("A", S[MON]), ("B", S[TUE]), ("B", S[WED]), ("ghost", S[THU])]
    assert fairness.points_of(view(prob, pairs), ctx) == {"A": 100, "B": 100 + 133}


@pytest.mark.parametrize("pairs, points", CASES)
def test_model_charges_what_score_counts(pairs, points):
    prob = four_days()
    assert charged_points(fairness, prob, pairs) == points


def test_model_charges_what_score_counts_with_history():
    prob = four_days()
    ctx = constraints.build_context(prob, history=history_of({"A": 1, "B": 1}))
    pairs = [("A", S[MON]), ("B", S[TUE]), ("B", S[WED])]
    assert fairness.score(view(prob, pairs), ctx) == 200 + 67 + 100
    assert charged_points(fairness, prob, pairs, ctx) == 200 + 67 + 100


class TestAdd:
    def test_one_growing_record_per_possible_shift(self):
        plan = plan_for(four_days())
        fairness.add(plan)
        assert [(p.goal, p.volunteer, p.points) for p in plan.penalties] == [
            ("fairness", "A", 100), ("fairness", "B", 33), ("fairness", "B", 67), ("fairness", "B", 100)]

    def test_alone_it_prefers_an_empty_roster(self):
        plan = plan_for(four_days())
        fairness.add(plan)
        assert optimal_points(plan) == 0

    @pytest.mark.parametrize("caps, points", [
        ((1, 3), 100 + 33 + 67 + 100),   # offers 1 and 3: A takes one, B three
        ((2, 3), 50 + 100 + 33 + 67),    # offers 2 and 3: 250 whichever way the seats split
        ((4, 4), 2 * (25 + 50)),         # equal offers: two each
    ])
    def test_four_seats_exact_points(self, caps, points):
        plan = plan_for(four_days(caps))
        fairness.add(plan)
        for day in S.values():
            plan.model.add(sum(var for _, var in plan.volunteers_on(day)) == 1)
        assert optimal_points(plan) == points
