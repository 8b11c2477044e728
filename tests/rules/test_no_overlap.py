"""no_overlap: a volunteer is never on two shifts at the same time."""

from __future__ import annotations

import constraints
from constraints import no_overlap

from .factory import MON, TUE, feasible, force, found, plan_for, problem, sdef, sid, view, vol

NAME = "no_overlap"


def test_name_is_the_module_name():
    assert no_overlap.NAME == NAME and no_overlap.KIND == "hard"


def day_of(*definitions, volunteers=("A",)):
    return problem([vol(v) for v in volunteers], definitions)


def test_touching_shifts_do_not_overlap():
    prob = day_of(sdef("am", start="07:00", end="09:00"), sdef("mid", start="09:00", end="11:00"))
    pairs = [("A", sid("am", MON)), ("A", sid("mid", MON))]
    assert no_overlap.check(view(prob, pairs)) == []


def test_overlap_is_one_violation_on_the_later_shift():
    prob = day_of(sdef("am", start="07:00", end="09:00"), sdef("mid", start="08:00", end="10:00"))
    pairs = [("A", sid("mid", MON)), ("A", sid("am", MON))]
    assert found(no_overlap.check(view(prob, pairs))) == [(NAME, "A", sid("mid", MON))]


def test_same_start_overlaps():
    prob = day_of(sdef("x", start="07:00", end="08:00"), sdef("y", start="07:00", end="12:00"))
    assert len(no_overlap.check(view(prob, [("A", sid("x", MON)), ("A", sid("y", MON))]))) == 1


def test_each_overlapping_pair_counts():
    # A long shift holding two short ones that do not overlap each other: two violations.
    prob = day_of(sdef("long", start="07:00", end="12:00"), sdef("b", start="08:00", end="09:00"),
                  sdef("c", start="10:00", end="11:00"))
    pairs = [("A", sid(d, MON)) for d in ("long", "b", "c")]
    assert found(no_overlap.check(view(prob, pairs))) == [(NAME, "A", sid("b", MON)), (NAME, "A", sid("c", MON))]
    # Three at once: three pairs.
    prob = day_of(sdef("x", start="07:00", end="10:00"), sdef("y", start="08:00", end="11:00"),
                  sdef("z", start="09:00", end="12:00"))
    assert len(no_overlap.check(view(prob, [("A", sid(d, MON)) for d in "xyz"]))) == 3


def test_other_people_on_the_same_times_are_fine():
    prob = day_of(sdef("x", start="07:00", end="10:00"), sdef("y", start="08:00", end="11:00"), volunteers=("A", "B"))
    assert no_overlap.check(view(prob, [("A", sid("x", MON)), ("B", sid("y", MON))])) == []


def test_past_midnight_overlaps_the_next_morning():
    prob = day_of(sdef("night", days=["Mon"], start="22:00", end="01:00"),
                  sdef("early", days=["Tue"], start="00:30", end="02:00"),
                  sdef("late", days=["Tue"], start="01:00", end="03:00"))
    night, early, late = sid("night", MON), sid("early", TUE), sid("late", TUE)
    assert found(no_overlap.check(view(prob, [("A", night), ("A", early)]))) == [(NAME, "A", early)]
    assert no_overlap.check(view(prob, [("A", night), ("A", late)])) == []


def test_unknown_ids_are_left_to_eligibility():
    prob = day_of(sdef("x", start="07:00", end="10:00"))
    assert no_overlap.check(view(prob, [("A", sid("x", MON)), ("A", "ghost@2026-11-30"), ("Z", sid("x", MON))])) == []




def test_a_duplicated_row_is_eligibilitys_finding_only():
    prob = day_of(sdef("x"))
    pairs = [("A", sid("x", MON))] * 2
    assert found(constraints.check(prob, pairs)) == [("eligibility", "A", sid("x", MON))]


class TestAdd:
    def plan(self, *definitions):
        prob = day_of(*definitions)
        plan = plan_for(prob)
        no_overlap.add(plan)
        return plan

    def test_forcing_overlapping_shifts_is_infeasible(self):
        plan = self.plan(sdef("x", start="07:00", end="09:00"), sdef("y", start="08:59", end="10:00"))
        force(plan, [("A", sid("x", MON)), ("A", sid("y", MON))])
        assert not feasible(plan)

    def test_forcing_touching_shifts_is_feasible(self):
        plan = self.plan(sdef("x", start="07:00", end="09:00"), sdef("y", start="09:00", end="10:00"))
        force(plan, [("A", sid("x", MON)), ("A", sid("y", MON))])
        assert feasible(plan)

    def test_past_midnight(self):
        defs = (sdef("night", days=["Mon"], start="22:00", end="01:00"),
                sdef("early", days=["Tue"], start="00:30", end="02:00"),
                sdef("late", days=["Tue"], start="01:00", end="03:00"))
        plan = self.plan(*defs)
        force(plan, [("A", sid("night", MON)), ("A", sid("early", TUE))])
        assert not feasible(plan)
        plan = self.plan(*defs)
        force(plan, [("A", sid("night", MON)), ("A", sid("late", TUE))])
        assert feasible(plan)

    def test_contained_shifts(self):
        defs = (sdef("long", start="07:00", end="12:00"), sdef("b", start="08:00", end="09:00"),
                sdef("c", start="10:00", end="11:00"))
        plan = self.plan(*defs)
        force(plan, [("A", sid("b", MON)), ("A", sid("c", MON))])
        assert feasible(plan)
        plan = self.plan(*defs)
        force(plan, [("A", sid("long", MON)), ("A", sid("c", MON))])
        assert not feasible(plan)

    def test_check_agrees_with_the_model_on_every_forced_pair(self):
        defs = (sdef("a", start="07:00", end="09:00"), sdef("b", start="08:00", end="10:00"),
                sdef("c", start="09:00", end="11:00"), sdef("d", start="22:00", end="01:00"),
                sdef("e", days=["Tue"], start="00:00", end="06:00"))
        prob = day_of(*defs)
        for first in prob.shifts:
            for second in prob.shifts:
                if first.id >= second.id:
                    continue
                pairs = [("A", first.id), ("A", second.id)]
                plan = plan_for(prob)
                no_overlap.add(plan)
                force(plan, pairs)
                assert feasible(plan) == (no_overlap.check(view(prob, pairs)) == []), pairs
