"""participation: nobody who offered is left with no shift when a roster with the same coverage could give them one."""

from __future__ import annotations

import pytest

import constraints
from constraints import participation
from scheduler.analysis.explain import explain_volunteer
from scheduler.domain.models import History
from scheduler.render.explain_text import explanation_text
from scheduler.solving.solver import SolveOptions, solve

from .factory import MON, TUE, WED, charged_points, context, problem, sdef, sid, view, vol


def test_name_is_the_module_name():
    assert participation.NAME == "participation" and participation.KIND == "soft"


def test_comes_after_coverage_and_before_fairness():
    names = [rule.NAME for rule in constraints.CATALOGUE]
    assert names.index("required_tags") < names.index("participation") == names.index("fairness") - 1
    assert constraints.GOALS[:4] == ("coverage", "shortage_spread", "participation", "fairness")


def three_days(caps=(1, 3, 3), **rules):
    """One seat a day Monday to Wednesday; volunteers A, B, C with these weekly limits."""
    volunteers = [vol(v, max_shifts_per_week=cap) for v, cap in zip("ABC", caps)]
    return problem(volunteers, [sdef("s", days=["Mon", "Tue", "Wed"])], **rules)


S = {day: sid("s", day) for day in (MON, TUE, WED)}


def left_out(weights=None, hist=None, prob=None):
    """The volunteers the solved roster leaves with no shift."""
    prob = prob or three_days(weights=weights)
    ctx = constraints.build_context(prob, history=hist)
    roster = solve(prob, SolveOptions(time_limit=5, workers=1), ctx)
    given = {a.volunteer for a in roster.assignments}
    return sorted(v.id for v in prob.volunteers if ctx.offered.get(v.id) and v.id not in given), roster


class TestPoints:
    def test_who_offered(self):
        prob = problem([vol("A"), vol("off", active=False), vol("zero", max_shifts_per_week=0), vol("male", "M")],
                       [sdef("s", days=["Mon"])])
        ctx = context(prob)
        assert {v: participation.idle_points(v, prob, ctx) for v in ("A", "off", "zero", "male")} == \
            {"A": 200, "off": 0, "zero": 0, "male": 200}

    @pytest.mark.parametrize("cap, points", [(1, 100 + 100), (3, 100 + 33)])
    def test_left_out_costs_a_turn_plus_the_first_shift_under_fairness(self, cap, points):
        prob = three_days(caps=(cap, 3, 3))
        assert participation.idle_points("A", prob, context(prob)) == points

    def test_fairness_part_follows_the_weights(self):
        # fairness 10, participation 4: the first shift of an offer of 3 costs 33 x 10 / 4 = 82.5 -> 83.
        prob = three_days(caps=(3, 3, 3), weights={"participation": 4, "fairness": 10})
        assert participation.idle_points("A", prob, context(prob)) == 100 + 83

    def test_weight_zero_switches_it_off(self):
        prob = three_days(weights={"participation": 0})
        assert participation.worst(prob, context(prob)) == 0

    def test_streak_counts_weeks_in_a_row_back_from_the_last(self):
        hist = History(weeks=("2026-W46", "2026-W47", "2026-W48"),
                       left_out=(("2026-W46", "B"), ("2026-W47", "A"), ("2026-W48", "A"), ("2026-W46", "C"),
                                 ("2026-W48", "C")))
        ctx = constraints.build_context(three_days(), history=hist)
        assert {v: participation.streak(v, ctx) for v in "ABC"} == {"A": 2, "B": 0, "C": 1}

    CASES = (
        ([], 200 + 133 + 133),
        ([("A", S[MON])], 133 + 133),
        ([("B", S[MON]), ("B", S[TUE])], 200 + 133),
        ([("A", S[MON]), ("B", S[TUE]), ("C", S[WED])], 0),
    )

    @pytest.mark.parametrize("pairs, points", CASES)
    def test_score(self, pairs, points):
        prob = three_days()
        assert participation.score(view(prob, pairs), context(prob)) == points

    @pytest.mark.parametrize("pairs, points", CASES)
    def test_model_charges_what_score_says(self, pairs, points):
        assert charged_points(participation, three_days(), pairs) == points


class TestSolved:
    def test_fairness_alone_leaves_the_small_offer_out(self):
        # Without the goal the three cheapest fairness costs are B's and C's (33, 33, 67): A gets nothing.
        out, _ = left_out(weights={"participation": 0})
        assert out == ["A"]

    def test_everybody_gets_a_turn(self):
        out, roster = left_out()
        assert out == [] and roster.seats_missing == 0
        assert roster.objective["participation"] == 0

    def test_coverage_comes_first(self):
        # Mon needs a woman; the man M can only come on Monday. Placing him would leave the woman's seat
        # unmet, so he stays out and coverage stays whole.
        prob = problem([vol("M", "M", max_shifts_per_week=1), vol("W", "F", max_shifts_per_week=1)],
                       [sdef("s", days=["Mon"], min_female=1)])
        out, roster = left_out(prob=prob)
        assert out == ["M"] and roster.seats_missing == 0 and not roster.unfilled

    def test_seats_up_to_max_give_a_turn(self):
        prob = problem([vol(v, max_shifts_per_week=1) for v in "ABC"], [sdef("s", days=["Mon"], need=1, max=3)])
        out, roster = left_out(prob=prob)
        assert out == [] and len(roster.assignments) == 3

    @pytest.mark.parametrize("last_week, served", [("A", "A"), ("B", "B")])
    def test_left_out_last_week_comes_first(self, last_week, served):
        prob = problem([vol(v, max_shifts_per_week=1) for v in "AB"], [sdef("s", days=["Mon"])])
        hist = History(weeks=("2026-W48",), left_out=(("2026-W48", last_week),))
        out, roster = left_out(prob=prob, hist=hist)
        assert [a.volunteer for a in roster.assignments] == [served]
        assert out == sorted(set("AB") - {served})


class TestExplained:
    def one_seat(self, hist=None):
        prob = problem([vol(v, max_shifts_per_week=1) for v in "AB"] + [vol("Z", max_shifts_per_week=0)],
                       [sdef("s", days=["Mon"])])
        _, roster = left_out(prob=prob, hist=hist)
        out = next(v for v in "AB" if v not in {a.volunteer for a in roster.assignments})
        return prob, roster, out

    def test_says_why_no_roster_does_better(self):
        prob, roster, out = self.one_seat()
        found = explain_volunteer(prob, roster, out)
        assert found.idle == 10 * 200 and found.recomputed == {"participation": 2000}
        text = explanation_text(found, "en")
        assert "No shift this week (participation 2000)." in text
        assert "at most 1 of the people who offered can all have a shift at once and this roster gives 1" in text

    def test_counts_the_weeks_left_out_before(self):
        hist = History(weeks=("2026-W47", "2026-W48"), left_out=(("2026-W47", "A"), ("2026-W47", "B"),
                                                                 ("2026-W48", "A"), ("2026-W48", "B")))
        prob, roster, out = self.one_seat(hist)
        found = explain_volunteer(prob, roster, out, context=constraints.build_context(prob, history=hist))
        text = explanation_text(found, "zh")
        assert "本周未排班，此前已连续 2 周未排（人人有班 4000）。" in text

    def test_a_weekly_limit_of_zero(self):
        prob, roster, _ = self.one_seat()
        assert "the weekly limit is 0" in explanation_text(explain_volunteer(prob, roster, "Z"), "en")


def test_placeable_is_a_max_flow():
    # Two seats on Monday (max 2) for A, B, C; D can only do Tuesday, which nobody else can.
    prob = problem([vol("A"), vol("B"), vol("C"), vol("D", teams=["x"])],
                   [sdef("s", days=["Mon"], need=1, max=2), sdef("t", days=["Tue"], teams=["x"])])
    assert participation.placeable(prob, context(prob)) == 3


def test_least_counts_the_people_no_roster_can_place():
    # One seat, three people who offered: two are left out whatever the roster, the cheapest two count.
    prob = problem([vol("A", max_shifts_per_week=1), vol("B"), vol("C")], [sdef("s", days=["Mon"])])
    ctx = context(prob)
    assert sorted(participation.idle_points(v, prob, ctx) for v in "ABC") == [200, 200, 200]
    assert participation.least(prob, ctx) == 400
