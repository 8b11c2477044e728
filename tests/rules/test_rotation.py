"""rotation: people rotate between posts and times from week to week rather than hold the same slot."""

from __future__ import annotations

import datetime as dt

import pytest

import constraints
from constraints import POINTS, rotation
from scheduler.domain.models import History, PastShift

from .factory import MON, TUE, charged_points, optimal_points, plan_for, problem, sdef, sid, view, vol

# The crossing post at 07:00 on Monday and Tuesday, the same post at 15:00, and a desk of no post.
DEFS = (sdef("cross", days=["Mon", "Tue"], post="crossing"), sdef("late", days=["Mon"], start="15:00", end="17:00",
                                                                     post="crossing"),
        sdef("desk", days=["Tue"], start="07:00"))
CROSS_MON, CROSS_TUE, LATE, DESK = sid("cross", MON), sid("cross", TUE), sid("late", MON), sid("desk", TUE)



def held(vid: str, week: str, days_back: int, shift: str = "cross", post: str = "crossing", hour: int = 7) -> PastShift:
    start = dt.datetime.combine(MON - dt.timedelta(days=days_back), dt.time(hour))
    return PastShift(week=week, volunteer=vid, shift=f"{shift}@{start.date()}", post=post, start=start,
                     end=start + dt.timedelta(hours=2))


# A held the crossing at 07:00 in two earlier weeks (twice in one of them: still one week), B in
# one, C (who prefers it) in two; D held the desk, which has no post: its slot is its definition.
HISTORY = History(weeks=("2026-W47", "2026-W48"), shifts=(
    held("A", "2026-W47", 14), held("A", "2026-W47", 13), held("A", "2026-W48", 7),
    held("B", "2026-W48", 7), held("C", "2026-W47", 14), held("C", "2026-W48", 7),
    held("D", "2026-W48", 6, shift="desk", post=""),
))


def week():
    people = [vol("A"), vol("B"), vol("C", prefers={"cross"}), vol("D"), vol("N")]
    return problem(people, DEFS, max_shifts_per_week=3)


def ctx(prob):
    return constraints.build_context(prob, history=HISTORY)


@pytest.mark.parametrize("vid, shift, units", [
    ("A", CROSS_MON, 2), ("A", CROSS_TUE, 2), ("A", LATE, 0), ("A", DESK, 0),   # another time is another slot
    ("B", CROSS_MON, 1), ("C", CROSS_MON, 0), ("D", DESK, 1), ("D", CROSS_MON, 0), ("N", CROSS_MON, 0),
])
def test_units(vid, shift, units):
    prob = week()
    assert rotation.units(prob.volunteer[vid], prob.shift[shift], ctx(prob)) == units


CASES = [
    ([], 0),
    ([("N", CROSS_MON), ("A", LATE), ("C", CROSS_TUE)], 0),
    ([("A", CROSS_MON)], 2 * POINTS),
    ([("A", CROSS_MON), ("A", CROSS_TUE), ("B", CROSS_TUE)], 5 * POINTS),
    ([("B", CROSS_MON), ("D", DESK), ("C", CROSS_MON)], 2 * POINTS),
]


@pytest.mark.parametrize("pairs, points", CASES)
def test_score_and_what_the_model_charges(pairs, points):
    prob, context = week(), ctx(week())
    assert rotation.score(view(prob, pairs, context), context) == points == charged_points(rotation, prob, pairs, context)


def test_points_of_each_volunteer():
    prob = week()
    pairs = [("A", CROSS_MON), ("A", LATE), ("B", CROSS_TUE), ("D", DESK), ("N", DESK)]
    assert rotation.points_of(view(prob, pairs, ctx(prob)), ctx(prob)) == {
        "A": 2 * POINTS, "B": POINTS, "D": POINTS, "N": 0}


def test_worst_takes_every_repeated_slot():
    prob = week()
    # A: both crossings (2 + 2); B: both crossings (1 + 1); D: the desk (1).
    assert rotation.worst(prob, ctx(prob)) == 7 * POINTS
    assert rotation.worst(prob, constraints.build_context(prob)) == 0


class TestAdd:
    def test_records_sit_on_the_assignment(self):
        prob = week()
        plan = plan_for(prob, ctx(prob))
        rotation.add(plan)
        records = sorted((p.volunteer, p.shift, p.points, p.note) for p in plan.penalties)
        assert records == [
            ("A", CROSS_MON, 200, "held this slot in 2 earlier week(s)"),
            ("A", CROSS_TUE, 200, "held this slot in 2 earlier week(s)"),
            ("B", CROSS_MON, 100, "held this slot in 1 earlier week(s)"),
            ("B", CROSS_TUE, 100, "held this slot in 1 earlier week(s)"),
            ("D", DESK, 100, "held this slot in 1 earlier week(s)"),
        ]
        assert all(p.var is plan.works(p.volunteer, p.shift) for p in plan.penalties)

    def test_without_history_nothing_is_posted(self):
        plan = plan_for(week())
        rotation.add(plan)
        assert plan.penalties == []

    @pytest.mark.parametrize("free, points", [(("A", "B"), 2 * POINTS), (("A", "B", "D"), 0)])
    def test_the_crossing_goes_to_those_who_held_it_least(self, free, points):
        prob = week()
        plan = plan_for(prob, ctx(prob))
        rotation.add(plan)
        for shift in (CROSS_MON, CROSS_TUE):
            plan.model.add(sum(var for volunteer, var in plan.volunteers_on(shift) if volunteer.id in free) == 1)
            plan.model.add(sum(var for volunteer, var in plan.volunteers_on(shift) if volunteer.id not in free) == 0)
        assert optimal_points(plan) == points  # B on both crossings (once each before), or D who held the desk
