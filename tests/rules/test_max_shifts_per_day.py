"""max_shifts_per_day: a volunteer works at most that many shifts on one date (counted on the start date)."""

from __future__ import annotations

import pytest

from constraints import max_shifts_per_day

from .factory import MON, SUN, TUE, feasible, force, found, plan_for, problem, sdef, sid, view, vol

NAME = "max_shifts_per_day"


def test_name_is_the_module_name():
    assert max_shifts_per_day.NAME == NAME and max_shifts_per_day.KIND == "hard"


def three_a_day(limit, volunteers=("A",)):
    defs = [sdef("am", days=range(7), start="07:00", end="09:00"),
            sdef("pm", days=range(7), start="14:00", end="16:00"),
            sdef("night", days=range(7), start="22:00", end="01:00")]
    return problem([vol(v) for v in volunteers], defs, max_shifts_per_day=limit)


def test_one_a_day_is_clean():
    prob = three_a_day(1)
    assert max_shifts_per_day.check(view(prob, [("A", sid("am", MON)), ("A", sid("pm", TUE))])) == []


@pytest.mark.parametrize("limit, taken, violations", [
    (1, ["am"], 0), (1, ["am", "pm"], 1), (1, ["am", "pm", "night"], 1),
    (2, ["am", "pm"], 0), (2, ["am", "pm", "night"], 1), (3, ["am", "pm", "night"], 0),
    (0, ["am"], 1),
])
def test_exact_counts_on_one_day(limit, taken, violations):
    prob = three_a_day(limit)
    found_ = found(max_shifts_per_day.check(view(prob, [("A", sid(d, MON)) for d in taken])))
    assert found_ == [(NAME, "A", None)] * violations


def test_one_violation_per_person_and_day():
    prob = three_a_day(1, volunteers=("A", "B"))
    pairs = [("A", sid("am", MON)), ("A", sid("pm", MON)), ("A", sid("am", TUE)), ("A", sid("pm", TUE)),
             ("B", sid("am", SUN)), ("B", sid("night", SUN))]
    violations = max_shifts_per_day.check(view(prob, pairs))
    assert found(violations) == [(NAME, "A", None), (NAME, "A", None), (NAME, "B", None)]
    assert [v.message.split(" on ")[1][:10] for v in violations] == ["2026-11-30", "2026-12-01", "2026-12-06"]


def test_a_night_shift_counts_on_its_start_date():
    # Monday 22:00-01:00 then Tuesday 07:00: one shift on each date.
    prob = three_a_day(1)
    assert max_shifts_per_day.check(view(prob, [("A", sid("night", MON)), ("A", sid("am", TUE))])) == []


def test_unknown_ids_are_ignored():
    prob = three_a_day(1)
    assert max_shifts_per_day.check(view(prob, [("A", sid("am", MON)), ("A", "ghost@2026-11-30"),
                                                ("Z", sid("pm", MON))])) == []


class TestAdd:
    def feasible_with(self, limit, pairs):
        plan = plan_for(three_a_day(limit))
        max_shifts_per_day.add(plan)
        force(plan, pairs)
        return feasible(plan)

    def test_limit_reached_is_feasible_and_one_more_is_not(self):
        assert self.feasible_with(2, [("A", sid("am", MON)), ("A", sid("pm", MON))])
        assert not self.feasible_with(2, [("A", sid(d, MON)) for d in ("am", "pm", "night")])
        assert not self.feasible_with(1, [("A", sid("am", MON)), ("A", sid("night", MON))])
        assert not self.feasible_with(0, [("A", sid("am", MON))])

    def test_night_shift_counts_on_its_start_date(self):
        assert self.feasible_with(1, [("A", sid("night", MON)), ("A", sid("am", TUE))])
        assert self.feasible_with(1, [("A", sid(d, day)) for d, day in (("am", MON), ("pm", TUE), ("night", SUN))])
