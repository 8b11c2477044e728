"""eligibility: a volunteer takes only shifts they are eligible for (active, team, age, health, time)."""

from __future__ import annotations

import datetime as dt

import pytest

from constraints import eligibility

from .factory import (
    FRI,
    MON,
    SAT,
    SUN,
    THU,
    TUE,
    WED,
    blocked,
    charged_points,
    feasible,
    force,
    found,
    plan_for,
    problem,
    sdef,
    sid,
    view,
    vol,
    window,
)

NAME = "eligibility"


def test_name_is_the_module_name():
    assert eligibility.NAME == NAME and eligibility.KIND == "hard"


def one_shift(volunteer, **definition):
    """A problem with one volunteer and one Monday shift (07:00-09:00 unless told)."""
    prob = problem([volunteer], [sdef("s", **definition)])
    return prob, prob.shifts[0]


def test_an_eligible_assignment_is_clean():
    prob, shift = one_shift(vol("A"))
    assert eligibility.check(view(prob, [("A", shift.id)])) == []
    assert eligibility.check(view(prob, [])) == []


@pytest.mark.parametrize("volunteer, definition, code", [
    (vol("A", active=False), {}, "inactive"),
    (vol("A", teams={"service"}), {"teams": {"civility"}}, "team"),
    (vol("A", age=17), {"min_age": 18}, "too_young"),
    (vol("A", age=76), {"max_age": 75}, "too_old"),
    (vol("A"), {"min_age": 18}, "age_unknown"),
    (vol("A", health="poor"), {"min_health": "fair"}, "health"),
    (vol("A", unavailable=[blocked(MON)]), {}, "blocked"),
    (vol("A", availability=[window(["Tue"], "06:00", "12:00")]), {}, "not_free"),
    (vol("A", availability=[window(["Mon"], "07:30", "12:00")]), {}, "not_free"),
])
def test_each_reason_gives_exactly_one_violation(volunteer, definition, code):
    prob, shift = one_shift(volunteer, **definition)
    assert eligibility.why_not(volunteer, shift) == code
    violations = eligibility.check(view(prob, [("A", shift.id)]))
    assert found(violations) == [(NAME, "A", shift.id)]
    assert eligibility.reason_text(code, volunteer, shift) in violations[0].message


@pytest.mark.parametrize("volunteer, definition", [
    (vol("A", teams={"service", "civility"}), {"teams": {"civility"}}),
    (vol("A"), {}),  # a shift without teams takes anyone
    (vol("A", age=18), {"min_age": 18, "max_age": 18}),
    (vol("A", health="fair"), {"min_health": "fair"}),
    (vol("A", unavailable=[blocked(TUE, SUN)]), {}),
    (vol("A", availability=[window(["Mon"], "07:00", "09:00")]), {}),
])
def test_boundaries_that_still_allow(volunteer, definition):
    prob, shift = one_shift(volunteer, **definition)
    assert eligibility.why_not(volunteer, shift) is None
    assert eligibility.check(view(prob, [("A", shift.id)])) == []


def test_age_from_birth_date():
    prob, shift = one_shift(vol("A", birth_date=dt.date(1950, 11, 30)), max_age=75)
    assert eligibility.why_not(prob.volunteers[0], shift) == "too_old"  # 76 on Monday 2026-11-30
    prob, shift = one_shift(vol("A", birth_date=dt.date(1950, 12, 1)), max_age=75)
    assert eligibility.why_not(prob.volunteers[0], shift) is None  # still 75 on that Monday


def test_age_is_counted_on_the_monday_of_the_week():
    # Turns 18 on Wednesday 2026-12-02: 17 on the week's Monday, so not old enough all week.
    young = vol("A", birth_date=dt.date(2008, 12, 2))
    prob = problem([young], [sdef("s", days=["Mon", "Thu"], min_age=18)])
    assert [eligibility.why_not(young, s) for s in prob.shifts] == ["too_young", "too_young"]


def test_touching_windows_do_not_join():
    split = vol("A", availability=[window(["Mon"], "06:00", "08:00"), window(["Mon"], "08:00", "10:00")])
    prob, shift = one_shift(split, start="07:00", end="09:00")
    assert eligibility.why_not(split, shift) == "not_free"
    assert found(eligibility.check(view(prob, [("A", shift.id)]))) == [(NAME, "A", shift.id)]


class TestPastMidnight:
    """A 22:00-01:00 shift needs its start day to midnight and the next day from midnight, neither blocked."""

    def test_free_on_both_days(self):
        night = vol("A", availability=[window(["Mon"], "20:00", "24:00"), window(["Tue"], "00:00", "02:00")])
        prob, shift = one_shift(night, start="22:00", end="01:00")
        assert shift.id == sid("s", MON)
        assert eligibility.why_not(night, shift) is None
        assert eligibility.check(view(prob, [("A", shift.id)])) == []

    def test_not_free_after_midnight(self):
        evening = vol("A", availability=[window(["Mon"], "18:00", "24:00")])
        _, shift = one_shift(evening, start="22:00", end="01:00")
        assert eligibility.why_not(evening, shift) == "not_free"

    def test_next_day_blocked(self):
        nights = vol("A", unavailable=[blocked(TUE)])
        prob, shift = one_shift(nights, start="22:00", end="01:00")
        assert eligibility.why_not(nights, shift) == "blocked"
        assert found(eligibility.check(view(prob, [("A", shift.id)]))) == [(NAME, "A", shift.id)]

    def test_ending_at_midnight_touches_one_day(self):
        nights = vol("A", unavailable=[blocked(TUE)], availability=[window(["Mon"], "20:00", "24:00")])
        _, shift = one_shift(nights, start="22:00", end="00:00")
        assert eligibility.why_not(nights, shift) is None

    def test_sunday_night_runs_into_next_monday(self):
        next_monday = SUN + dt.timedelta(days=1)
        prob, shift = one_shift(vol("A", unavailable=[blocked(next_monday)]), days=["Sun"], start="23:00", end="02:00")
        assert eligibility.why_not(prob.volunteers[0], shift) == "blocked"
        sunday_only = vol("A", availability=[window(["Sun"], "00:00", "24:00")])
        prob, shift = one_shift(sunday_only, days=["Sun"], start="23:00", end="02:00")
        assert eligibility.why_not(sunday_only, shift) == "not_free"


class TestHandEditedRosters:
    def test_unknown_volunteer(self):
        prob, shift = one_shift(vol("A"))
        assert found(eligibility.check(view(prob, [("Z9", shift.id)]))) == [(NAME, "Z9", shift.id)]

    def test_unknown_shift(self):
        prob, _ = one_shift(vol("A"))
        bogus = sid("s", WED)  # the definition runs on Mondays only
        violations = eligibility.check(view(prob, [("A", bogus)]))
        assert found(violations) == [(NAME, "A", bogus)]
        assert "not a shift of the week" in violations[0].message

    def test_unknown_both_is_one_violation(self):
        prob, _ = one_shift(vol("A"))
        assert found(eligibility.check(view(prob, [("Z9", "nope@2026-11-30")]))) == [(NAME, "Z9", "nope@2026-11-30")]

    def test_duplicate_pair_is_reported_once(self):
        prob, shift = one_shift(vol("A"))
        violations = eligibility.check(view(prob, [("A", shift.id)] * 2))
        assert found(violations) == [(NAME, "A", shift.id)]
        assert "twice" in violations[0].message

    def test_triplicate_pair_is_reported_twice(self):
        prob, shift = one_shift(vol("A"))
        assert len(eligibility.check(view(prob, [("A", shift.id)] * 3))) == 2


def test_several_volunteers_and_shifts_exact():
    prob = problem(
        [vol("A"), vol("B", active=False), vol("C", teams={"service"}), vol("D", unavailable=[blocked(THU, FRI)])],
        [sdef("gate", days=["Mon", "Thu"], teams={"service"}), sdef("read", days=["Fri"], start="14:00", end="16:00")],
    )
    pairs = [("A", sid("gate", MON)), ("B", sid("read", FRI)), ("C", sid("gate", THU)), ("D", sid("gate", THU)),
             ("D", sid("read", FRI)), ("A", sid("read", FRI))]
    assert found(eligibility.check(view(prob, pairs))) == sorted([
        (NAME, "A", sid("gate", MON)), (NAME, "B", sid("read", FRI)), (NAME, "D", sid("gate", THU)),
        (NAME, "D", sid("read", FRI))], key=repr)


def test_eligible_volunteers_in_register_order():
    prob = problem([vol("B"), vol("A", active=False), vol("C"), vol("A2", unavailable=[blocked(SAT)])],
                   [sdef("s", days=["Mon", "Sat"])])
    assert eligibility.eligible_volunteers(prob) == {sid("s", MON): ["B", "C", "A2"], sid("s", SAT): ["B", "C"]}


class TestAdd:
    def test_no_variable_for_ineligible_pairs(self):
        prob = problem([vol("A"), vol("B", active=False)], [sdef("s")])
        plan = plan_for(prob)
        eligibility.add(plan)
        assert plan.works("A", sid("s", MON)) is not None
        assert plan.works("B", sid("s", MON)) is None
        assert list(plan.pairs()) == [("A", sid("s", MON))]
        force(plan, [("A", sid("s", MON))])
        assert feasible(plan)

    def test_charges_nothing(self):
        prob = problem([vol("A")], [sdef("s")])
        assert charged_points(eligibility, prob, [("A", sid("s", MON))]) == 0
