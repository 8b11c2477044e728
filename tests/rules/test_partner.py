"""partner: a person who named a partner is not sent alone to a shift the partner could take too."""

from __future__ import annotations

import pytest

from constraints import POINTS, partner

from .factory import (
    MON,
    TUE,
    WED,
    blocked,
    charged_points,
    context,
    force,
    optimal_points,
    plan_for,
    problem,
    sdef,
    sid,
    view,
    vol,
)


def test_name_is_the_module_name():
    assert partner.NAME == "partner" and partner.KIND == "soft"


DEFS = (sdef("s", days=["Mon"], need=2), sdef("t", days=["Tue"], need=2), sdef("u", days=["Wed"], need=2))
S, T, U = sid("s", MON), sid("t", TUE), sid("u", WED)


def week(*volunteers):
    return problem(volunteers or [vol("A", partner="B"), vol("B", unavailable=[blocked(TUE)]), vol("C")], DEFS)


CASES = [
    ([], 0),
    ([("A", S), ("B", S)], 0),
    ([("A", S)], POINTS),
    ([("A", S), ("C", S)], POINTS),          # someone else is no partner
    ([("B", S)], 0),                         # B named nobody
    ([("A", T)], 0),                         # B cannot come on Tuesday
    ([("A", S), ("B", U), ("A", T)], POINTS),
    ([("A", S), ("A", U), ("B", U)], POINTS),
]


@pytest.mark.parametrize("pairs, points", CASES)
def test_score(pairs, points):
    prob = week()
    assert partner.score(view(prob, pairs + [("ghost", S)]), context(prob)) == points


@pytest.mark.parametrize("pairs, points", CASES)
def test_model_charges_what_score_counts(pairs, points):
    assert charged_points(partner, week(), pairs) == points


def test_mutual_partners_each_count():
    prob = week(vol("A", partner="B"), vol("B", partner="A"))
    pairs = [("A", S), ("B", U)]
    assert partner.score(view(prob, pairs), context(prob)) == 2 * POINTS
    assert charged_points(partner, prob, pairs) == 2 * POINTS
    assert partner.score(view(prob, [("A", S), ("B", S)]), context(prob)) == 0


@pytest.mark.parametrize("volunteers", [
    (vol("A", partner="A"),),                                  # oneself
    (vol("A", partner="nobody"),),                             # not in the register
    (vol("A", partner="B"), vol("B", active=False)),           # cannot serve at all
])
def test_partners_who_cannot_join_cost_nothing(volunteers):
    prob = week(*volunteers)
    assert partner.score(view(prob, [("A", S), ("A", T)]), context(prob)) == 0
    assert charged_points(partner, prob, [("A", S), ("A", T)]) == 0


class TestAdd:
    def test_records_only_where_the_partner_is_eligible(self):
        plan = plan_for(week())
        partner.add(plan)
        assert [(p.volunteer, p.shift, p.points) for p in plan.penalties] == [("A", S, POINTS), ("A", U, POINTS)]

    def test_the_partner_joins_when_free_to(self):
        plan = plan_for(week())
        partner.add(plan)
        force(plan, [("A", S), ("A", U)])
        assert optimal_points(plan) == 0

    def test_apart_costs_one_unit(self):
        plan = plan_for(week())
        partner.add(plan)
        force(plan, [("A", S)])
        force(plan, [("B", S)], value=0)
        assert optimal_points(plan) == POINTS
