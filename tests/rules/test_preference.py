"""preference: people get the shifts they prefer and not the ones they avoid, where the roster allows."""

from __future__ import annotations

import pytest

from constraints import POINTS, preference

from .factory import MON, TUE, WED, charged_points, context, optimal_points, plan_for, problem, sdef, sid, view, vol


def test_name_is_the_module_name():
    assert preference.NAME == "preference" and preference.KIND == "soft"


DEFS = (sdef("gate", days=["Mon"], kind="patrol"), sdef("read", days=["Tue"], kind="reading"),
        sdef("craft", days=["Wed"], kind="craft"))
GATE, READ, CRAFT = sid("gate", MON), sid("read", TUE), sid("craft", WED)


def people():
    return [
        vol("P", prefers={"patrol"}, avoids={"reading"}),
        vol("Q", prefers={"read"}),                     # a definition id works too
        vol("R", avoids={"craft", "gate"}),
        vol("N"),
    ]


def week():
    return problem(people(), DEFS, max_shifts_per_week=3)


@pytest.mark.parametrize("vid, shift, units", [
    ("P", GATE, 0), ("P", READ, 2), ("P", CRAFT, 1),
    ("Q", GATE, 1), ("Q", READ, 0),
    ("R", GATE, 1), ("R", CRAFT, 1), ("R", READ, 0),
    ("N", GATE, 0), ("N", CRAFT, 0),
])
def test_units(vid, shift, units):
    prob = week()
    assert preference.units(prob.volunteer[vid], prob.shift[shift]) == units


CASES = [
    ([], 0),
    ([("P", GATE), ("Q", READ), ("R", READ), ("N", CRAFT)], 0),
    ([("P", READ)], 2 * POINTS),
    ([("P", GATE), ("P", READ), ("P", CRAFT)], 3 * POINTS),
    ([("Q", GATE), ("R", GATE), ("R", CRAFT), ("N", GATE)], 3 * POINTS),
]


@pytest.mark.parametrize("pairs, points", CASES)
def test_score(pairs, points):
    prob = week()
    assert preference.score(view(prob, pairs + [("ghost", GATE), ("P", "ghost@2026-11-30")]), context(prob)) == points


@pytest.mark.parametrize("pairs, points", CASES)
def test_model_charges_what_score_counts(pairs, points):
    assert charged_points(preference, week(), pairs) == points


class TestAdd:
    def test_records_sit_on_the_assignment(self):
        plan = plan_for(week())
        preference.add(plan)
        records = [(p.volunteer, p.shift, p.points, p.note) for p in plan.penalties]
        assert records == [
            ("P", READ, 200, "avoided"), ("P", CRAFT, 100, "not preferred"),
            ("Q", GATE, 100, "not preferred"), ("Q", CRAFT, 100, "not preferred"),
            ("R", GATE, 100, "avoided"), ("R", CRAFT, 100, "avoided"),
        ]
        assert all(p.var is plan.works(p.volunteer, p.shift) for p in plan.penalties)

    @pytest.mark.parametrize("vid, points", [("P", 0), ("Q", 0), ("R", 0), ("N", 0)])
    def test_one_shift_each_goes_where_wished(self, vid, points):
        plan = plan_for(week())
        preference.add(plan)
        plan.model.add(sum(var for _, var in plan.shifts_of(vid)) == 1)
        assert optimal_points(plan) == points

    def test_two_shifts_for_P_cost_one_unit(self):
        plan = plan_for(week())
        preference.add(plan)
        plan.model.add(sum(var for _, var in plan.shifts_of("P")) == 2)
        assert optimal_points(plan) == POINTS
