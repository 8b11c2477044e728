"""freeze: days before the freeze date keep the earlier roster of the week exactly."""

from __future__ import annotations

import pytest

import constraints
from constraints import freeze

from .factory import MON, TUE, WED, blocked, feasible, force, found, plan_for, problem, sdef, sid, view, vol

NAME = "freeze"
M, T, W = sid("s", MON), sid("s", TUE), sid("s", WED)
BASELINE = [("A", M), ("B", M), ("C", T), ("A", W)]



def week():
    # C has since blocked Tuesday: their earlier Tuesday cannot be kept.
    people = [vol("A"), vol("B"), vol("C", unavailable=[blocked(TUE)]), vol("D")]
    return problem(people, [sdef("s", days=["Mon", "Tue", "Wed"], need=2)])


def frozen(prob, until=WED, baseline=BASELINE):
    return constraints.build_context(prob, baseline=baseline, frozen_before=until)


def test_the_frozen_shifts_start_before_the_date():
    prob = week()
    assert freeze.frozen_shifts(prob, frozen(prob)) == {M, T}
    assert freeze.frozen_shifts(prob, frozen(prob, until=MON)) == set()
    assert freeze.frozen_shifts(prob, constraints.build_context(prob, baseline=BASELINE)) == set()


def test_kept_is_the_earlier_roster_on_frozen_days_that_is_still_possible():
    prob = week()
    assert freeze.kept(prob, frozen(prob)) == {("A", M), ("B", M)}
    assert freeze.kept(prob, frozen(prob, until=TUE)) == {("A", M), ("B", M)}


CASES = [
    ([("A", M), ("B", M)], []),
    ([("A", M), ("B", M), ("D", W), ("B", W)], []),                  # Wednesday is open
    ([("A", M)], [(NAME, "B", M)]),                                    # dropped from a frozen day
    ([("A", M), ("B", M), ("D", M)], [(NAME, "D", M)]),                # added to a frozen day
    ([("A", M), ("B", M), ("D", T)], [(NAME, "D", T)]),
    ([("D", M), ("A", T)], [(NAME, "A", M), (NAME, "A", T), (NAME, "B", M), (NAME, "D", M)]),
]


@pytest.mark.parametrize("pairs, broken", CASES)
def test_check(pairs, broken):
    prob = week()
    assert found(freeze.check(view(prob, pairs, frozen(prob)))) == broken


def test_the_messages_say_which_way():
    prob = week()
    violations = freeze.check(view(prob, [("A", M), ("D", M)], frozen(prob)))
    assert [v.message for v in violations] == [f"B was on {M}, which is frozen, and is no longer",
                                               f"D was added to {M}, which is frozen"]


def test_without_a_freeze_date_nothing_is_checked():
    prob = week()
    assert freeze.check(view(prob, [("D", M)], constraints.build_context(prob, baseline=BASELINE))) == []


class TestAdd:
    @pytest.mark.parametrize("pairs, broken", CASES)
    def test_model_agrees_with_the_check(self, pairs, broken):
        prob = week()
        plan = plan_for(prob, frozen(prob))
        freeze.add(plan)
        chosen = set(pairs)
        for pair in plan.pairs():
            if pair[1] in (M, T) or pair in chosen:
                force(plan, [pair], value=int(pair in chosen))
        assert feasible(plan) is not broken

    def test_each_variable_of_a_frozen_day_is_fixed(self):
        prob = week()
        plan = plan_for(prob, frozen(prob))
        freeze.add(plan)
        frozen_vars = [pair for pair in plan.pairs() if pair[1] in (M, T)]
        assert len(plan.model.proto.constraints) == len(frozen_vars) == 7  # C cannot take Tuesday

    def test_without_a_freeze_date_nothing_is_posted(self):
        prob = week()
        plan = plan_for(prob, constraints.build_context(prob, baseline=BASELINE))
        freeze.add(plan)
        assert len(plan.model.proto.constraints) == 0
