"""required_tags: a shift with require {tag: N} gets N people carrying the skill or role, as far as possible."""

from __future__ import annotations

import pytest

from constraints import required_tags

from .factory import MON, TUE, charged_points, context, optimal_points, plan_for, problem, sdef, sid, view, vol


def test_name_is_the_module_name():
    assert required_tags.NAME == "required_tags" and required_tags.KIND == "coverage"


def people():
    return [vol("AID", skills={"first_aid"}), vol("PM", roles={"party_member"}),
            vol("BOTH", skills={"first_aid", "english"}, roles={"party_member"}), vol("NONE")]


def posts(volunteers=None):
    return problem(volunteers if volunteers is not None else people(), [
        sdef("gate", days=["Mon"], need=2, max=3, require={"first_aid": 1}),
        sdef("lead", days=["Tue"], need=3, require={"first_aid": 2, "party_member": 1}),
        sdef("plain", days=["Tue"], start="12:00", end="13:00", need=1),
    ])


GATE, LEAD, PLAIN = sid("gate", MON), sid("lead", TUE), sid("plain", TUE)

CASES = [
    ([("AID", GATE), ("NONE", GATE), ("AID", LEAD), ("BOTH", LEAD)], {}),
    ([("BOTH", GATE), ("AID", LEAD), ("BOTH", LEAD), ("NONE", LEAD)], {}),       # skills and roles both count
    ([("PM", GATE), ("NONE", GATE), ("PM", LEAD), ("AID", LEAD)], {GATE: {"first_aid": 1}, LEAD: {"first_aid": 1}}),
    ([("AID", GATE), ("NONE", LEAD)], {LEAD: {"first_aid": 2, "party_member": 1}}),
    ([], {GATE: {"first_aid": 1}, LEAD: {"first_aid": 2, "party_member": 1}}),
    ([("BOTH", PLAIN), ("ghost", GATE)], {GATE: {"first_aid": 1}, LEAD: {"first_aid": 2, "party_member": 1}}),
]


@pytest.mark.parametrize("pairs, short", CASES)
def test_shortfall_and_score(pairs, short):
    prob = posts()
    shown = view(prob, pairs)
    assert required_tags.shortfall(shown) == short
    assert required_tags.score(shown, context(prob)) == sum(sum(u.values()) for u in short.values())


@pytest.mark.parametrize("pairs, short", CASES[:5])
def test_model_charges_what_score_counts(pairs, short):
    prob = posts()
    assert charged_points(required_tags, prob, pairs) == required_tags.score(view(prob, pairs), context(prob))


class TestAdd:
    def test_records_one_penalty_per_shift_and_tag(self):
        plan = plan_for(posts())
        required_tags.add(plan)
        assert [(p.goal, p.shift, p.points, p.upper, p.note) for p in plan.penalties] == [
            ("coverage", GATE, 1, 1, "first_aid missing"),
            ("coverage", LEAD, 1, 2, "first_aid missing"), ("coverage", LEAD, 1, 1, "party_member missing")]

    @pytest.mark.parametrize("keep, points", [
        (("AID", "PM", "BOTH", "NONE"), 0), (("BOTH",), 1), (("PM", "NONE"), 3), (("AID", "PM"), 1), ((), 4),
    ])
    def test_least_shortfall(self, keep, points):
        plan = plan_for(posts([v for v in people() if v.id in keep]))
        required_tags.add(plan)
        assert optimal_points(plan) == points
