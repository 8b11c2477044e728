"""gender_mix: a shift with min_female / min_male gets that many women / men, as far as the volunteers allow."""

from __future__ import annotations

import pytest

from constraints import gender_mix

from .factory import MON, TUE, charged_points, context, optimal_points, plan_for, problem, sdef, sid, view, vol

WOMEN, MEN = ("F1", "F2", "F3"), ("M1", "M2")


def test_name_is_the_module_name():
    assert gender_mix.NAME == "gender_mix" and gender_mix.KIND == "coverage"


def posts(women=WOMEN, men=MEN):
    return problem([vol(v, "F") for v in women] + [vol(v, "M") for v in men], [
        sdef("gate", days=["Mon"], need=2, max=3, min_female=1),
        sdef("night", days=["Tue"], start="19:00", end="21:00", need=3, min_female=2, min_male=1),
        sdef("plain", days=["Tue"], start="07:00", end="08:00", need=1),
    ])


GATE, NIGHT, PLAIN = sid("gate", MON), sid("night", TUE), sid("plain", TUE)

CASES = [
    ([("F1", GATE), ("M1", GATE), ("F2", NIGHT), ("F3", NIGHT), ("M2", NIGHT)], {}),
    ([("M1", GATE), ("M2", GATE), ("F1", NIGHT), ("F2", NIGHT), ("M1", NIGHT)], {GATE: {"female": 1}}),
    ([("F1", GATE), ("F2", NIGHT), ("F3", NIGHT), ("F1", NIGHT)], {NIGHT: {"male": 1}}),
    ([("M1", NIGHT), ("M2", NIGHT)], {GATE: {"female": 1}, NIGHT: {"female": 2}}),
    ([("F1", NIGHT)], {GATE: {"female": 1}, NIGHT: {"female": 1, "male": 1}}),
    ([], {GATE: {"female": 1}, NIGHT: {"female": 2, "male": 1}}),
    ([("M1", PLAIN)], {GATE: {"female": 1}, NIGHT: {"female": 2, "male": 1}}),   # plain asks for no mix
    ([("ghost", GATE), ("F1", "ghost@2026-11-30")], {GATE: {"female": 1}, NIGHT: {"female": 2, "male": 1}}),
]


@pytest.mark.parametrize("pairs, short", CASES)
def test_shortfall_and_score(pairs, short):
    prob = posts()
    shown = view(prob, pairs)
    assert gender_mix.shortfall(shown) == short
    assert gender_mix.score(shown, context(prob)) == sum(sum(u.values()) for u in short.values())


@pytest.mark.parametrize("pairs, short", CASES[:7])
def test_model_charges_what_score_counts(pairs, short):
    prob = posts()
    assert charged_points(gender_mix, prob, pairs) == gender_mix.score(view(prob, pairs), context(prob))


class TestAdd:
    def test_records_under_the_coverage_goal(self):
        plan = plan_for(posts())
        gender_mix.add(plan)
        assert [(p.goal, p.shift, p.points, p.upper, p.note) for p in plan.penalties] == [
            ("coverage", GATE, 1, 1, "female missing"),
            ("coverage", NIGHT, 1, 2, "female missing"), ("coverage", NIGHT, 1, 1, "male missing")]

    @pytest.mark.parametrize("women, men, points", [
        (WOMEN, MEN, 0), (("F1",), MEN, 1), ((), MEN, 3), (WOMEN, (), 1), ((), (), 4),
    ])
    def test_least_shortfall(self, women, men, points):
        # add() alone has no headcount cap: one woman can fill the gate and the night at once.
        plan = plan_for(posts(women, men))
        gender_mix.add(plan)
        assert optimal_points(plan) == points
