"""max_headcount: a shift has at most `max` people (its need when no max is given)."""

from __future__ import annotations

import pytest

from constraints import max_headcount

from .factory import MON, TUE, feasible, force, found, plan_for, problem, sdef, sid, view, vol

NAME = "max_headcount"
PEOPLE = ("A", "B", "C", "D")

CASES = [
    (2, None, 2, False), (2, None, 3, True),        # max defaults to need
    (2, 3, 3, False), (2, 3, 4, True),              # max above need: extra people allowed up to max
    (1, 1, 0, False), (0, 0, 1, True), (0, 2, 2, False),
]


def test_name_is_the_module_name():
    assert max_headcount.NAME == NAME and max_headcount.KIND == "hard"


def post(need, most=None):
    return problem([vol(v) for v in PEOPLE], [sdef("s", days=["Mon", "Tue"], need=need, max=most)])


@pytest.mark.parametrize("need, most, people, broken", CASES)
def test_headcount(need, most, people, broken):
    prob = post(need, most)
    pairs = [(v, sid("s", MON)) for v in PEOPLE[:people]]
    assert found(max_headcount.check(view(prob, pairs))) == [(NAME, None, sid("s", MON))] * broken


def test_one_violation_per_shift():
    prob = post(1)
    pairs = [(v, sid("s", MON)) for v in PEOPLE] + [(v, sid("s", TUE)) for v in PEOPLE[:2]]
    violations = max_headcount.check(view(prob, pairs))
    assert found(violations) == [(NAME, None, sid("s", MON)), (NAME, None, sid("s", TUE))]
    assert "has 4 people, at most 1 allowed" in violations[0].message


def test_unknown_people_are_not_counted():
    prob = post(1)
    assert max_headcount.check(view(prob, [("A", sid("s", MON)), ("ghost", sid("s", MON))])) == []


class TestAdd:
    @pytest.mark.parametrize("need, most, people, broken", CASES)
    def test_model_agrees_with_the_check(self, need, most, people, broken):
        plan = plan_for(post(need, most))
        max_headcount.add(plan)
        force(plan, [(v, sid("s", MON)) for v in PEOPLE[:people]])
        assert feasible(plan) is not broken
