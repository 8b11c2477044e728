"""stability: a re-plan keeps the earlier roster of the same week; as few people as possible are moved."""

from __future__ import annotations

import pytest

import constraints
from constraints import POINTS, stability

from .factory import MON, TUE, blocked, charged_points, optimal_points, plan_for, problem, sdef, sid, view, vol

S, T = sid("s", MON), sid("s", TUE)
# C has since blocked Tuesday: their earlier Tuesday is no longer possible and costs nothing to drop.
BASELINE = [("A", S), ("B", S), ("C", T), ("A", T)]



def week():
    people = [vol("A"), vol("B"), vol("C", unavailable=[blocked(TUE)]), vol("D")]
    return problem(people, [sdef("s", days=["Mon", "Tue"], need=2)], max_shifts_per_week=2)


def ctx(prob, baseline=BASELINE):
    return constraints.build_context(prob, baseline=baseline)


CASES = [
    ([("A", S), ("B", S), ("A", T)], 0),
    ([("A", S), ("B", S), ("A", T), ("D", T)], 0),          # new assignments are not charged
    ([("A", S), ("B", S)], POINTS),
    ([("D", S), ("D", T)], 3 * POINTS),
    ([], 3 * POINTS),
]


@pytest.mark.parametrize("pairs, points", CASES)
def test_score_and_what_the_model_charges(pairs, points):
    prob, context = week(), ctx(week())
    assert stability.score(view(prob, pairs, context), context) == points == charged_points(stability, prob, pairs, context)


def test_points_of_the_people_moved():
    prob = week()
    assert stability.points_of(view(prob, [("B", S), ("D", T)], ctx(prob)), ctx(prob)) == {"A": 2 * POINTS}
    assert stability.points_of(view(prob, [], ctx(prob)), ctx(prob)) == {"A": 2 * POINTS, "B": POINTS}


def test_worst_drops_every_keepable_assignment():
    prob = week()
    assert stability.worst(prob, ctx(prob)) == 3 * POINTS
    assert stability.worst(prob, ctx(prob, baseline=[])) == 0


class TestAdd:
    def test_one_record_per_keepable_earlier_assignment(self):
        prob = week()
        plan = plan_for(prob, ctx(prob))
        stability.add(plan)
        assert [(p.volunteer, p.shift, p.points, p.note) for p in plan.penalties] == [
            ("A", S, POINTS, "moved from the earlier roster"), ("A", T, POINTS, "moved from the earlier roster"),
            ("B", S, POINTS, "moved from the earlier roster")]

    def test_without_an_earlier_roster_nothing_is_posted(self):
        plan = plan_for(week())
        stability.add(plan)
        assert plan.penalties == [] and len(plan.model.proto.constraints) == 0

    def test_keeping_everyone_costs_nothing_and_a_forced_move_one_unit(self):
        prob = week()
        plan = plan_for(prob, ctx(prob))
        stability.add(plan)
        assert optimal_points(plan) == 0
        plan.model.add(plan.works("B", S) == 0)
        assert optimal_points(plan) == POINTS
