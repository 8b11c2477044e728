"""Splitting a week into independent parts: eligibility and partners join people and shifts; a stop ends it."""

from __future__ import annotations

import constraints
from scheduler.solving.parts import parts, stoppable_parts
from tests.rules.factory import MON, TUE, problem, sdef, vol


def _week(partner_of_b1: str | None = None):
    people = [vol("a0", teams={"A"}), vol("a1", teams={"A"}), vol("b0", teams={"B"}),
              vol("b1", teams={"B"}, partner=partner_of_b1), vol("c0", teams={"C"}, active=False)]
    return problem(people, [sdef("gate", days=["Mon", "Tue"], teams={"A"}, need=2),
                            sdef("desk", days=["Mon"], teams={"B"}, need=1),
                            sdef("empty", days=["Mon"], teams={"D"}, need=1)])


def test_people_who_can_never_meet_are_planned_apart_and_a_shift_nobody_can_take_stands_alone():
    week = _week()
    found = parts(week, constraints.build_context(week))
    assert [(p.volunteers, p.shifts) for p in found] == [
        (["a0", "a1"], [f"gate@{MON}", f"gate@{TUE}"]),
        (["b0", "b1"], [f"desk@{MON}"]),
        ([], [f"empty@{MON}"]),
    ]


def test_a_partner_joins_the_parts_and_one_who_can_take_no_shift_still_belongs_to_theirs():
    across = _week(partner_of_b1="a0")
    assert [p.volunteers for p in parts(across, constraints.build_context(across))][:1] == [["a0", "a1", "b0", "b1"]]
    idle = _week(partner_of_b1="c0")  # c0 is inactive: on no list, but b1's partner
    assert ["b0", "b1", "c0"] in [p.volunteers for p in parts(idle, constraints.build_context(idle))]


def test_a_stop_ends_the_split_at_once():
    week = _week()
    assert stoppable_parts(week, constraints.build_context(week), lambda: True) is None
