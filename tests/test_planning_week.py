"""The planned week: ISO week labels, the default week, and the shifts a week expands to."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from scheduler.domain.errors import InputError
from scheduler.domain.models import PlanningWeek, ShiftDefinition, expand
from scheduler.loading import resolve_week

W49 = PlanningWeek(year=2026, week=49)
MON, TUE, WED, THU, FRI, SAT, SUN = W49.dates


def define(did: str, days=(), dates=(), start="07:00", end="09:00", need=1) -> ShiftDefinition:
    def minutes(text: str) -> int:
        hours, minutes_ = text.split(":")
        return int(hours) * 60 + int(minutes_)

    return ShiftDefinition(id=did, name=f"name-{did}", days=frozenset(days), dates=tuple(dates),
                           start=minutes(start), end=minutes(end) % 1440, need=need, max=need)


# ----------------------------------------------------------------------------- PlanningWeek


@pytest.mark.parametrize("text", ["2026-W49", "2026W49", "2026-w49", "2026w49", " 2026-W49 "])
def test_parse_forms(text):
    assert PlanningWeek.parse(text) == W49


def test_the_week_knows_its_dates_and_label():
    assert (W49.monday, W49.sunday) == (dt.date(2026, 11, 30), dt.date(2026, 12, 6))
    assert W49.dates == [dt.date(2026, 11, 30) + dt.timedelta(days=i) for i in range(7)]
    assert W49.label == str(W49) == "2026-W49"
    assert PlanningWeek.parse("2027-W1").label == "2027-W01"


def test_week_53_exists_only_in_long_years():
    assert PlanningWeek.parse("2026-W53").monday == dt.date(2026, 12, 28)  # 2026 has 53 ISO weeks
    with pytest.raises(ValidationError):
        PlanningWeek.parse("2025-W53")
    with pytest.raises(ValidationError):
        PlanningWeek(year=2027, week=53)


@pytest.mark.parametrize("text", ["2026-W00", "2026-W54", "49", "W49", "next week", "2026-12-01", ""])
def test_parse_rejects_what_is_not_a_week(text):
    with pytest.raises(ValueError):
        PlanningWeek.parse(text)


def test_containing_and_after():
    assert PlanningWeek.containing(dt.date(2026, 12, 6)) == W49
    assert PlanningWeek.containing(dt.date(2027, 1, 1)) == PlanningWeek(year=2026, week=53)
    assert PlanningWeek.after(dt.date(2026, 11, 25)) == W49


# ---------------------------------------------------------------------------- resolve_week


@pytest.mark.parametrize("today, planned", [
    (dt.date(2026, 11, 23), "2026-W49"),   # Monday of week 48
    (dt.date(2026, 11, 25), "2026-W49"),   # Wednesday of week 48
    (dt.date(2026, 11, 29), "2026-W49"),   # Sunday of week 48
    (dt.date(2026, 11, 30), "2026-W50"),   # Monday of week 49: plan the next one
    (dt.date(2026, 12, 22), "2026-W53"),   # 2026 has a week 53
    (dt.date(2026, 12, 29), "2027-W01"),   # across the year end
    (dt.date(2025, 12, 24), "2026-W01"),   # 2025-12-29 is in 2026's week 1
])
def test_the_default_is_the_week_after_today(today, planned):
    assert resolve_week(None, today=today).label == planned


def test_a_given_week_wins_over_today():
    assert resolve_week("2026-W49", today=dt.date(2030, 1, 1)) == W49
    assert resolve_week(W49) is W49


@pytest.mark.parametrize("text, message", [
    ("2026-W60", "not an ISO week (weeks run from W01 to W52 or W53)"),
    ("2026-W00", "not an ISO week (weeks run from W01 to W52 or W53)"),
    ("2025-W53", "2025 has no week 53"),
    ("2027w53", "2027 has no week 53"),
    ("next", "not an ISO week (weeks run from W01 to W52 or W53)"),
    ("49", "not an ISO week (weeks run from W01 to W52 or W53)"),
])
def test_a_bad_week_text_is_an_input_error(text, message):
    with pytest.raises(InputError) as caught:
        resolve_week(text)
    (finding,) = caught.value.findings
    assert str(finding) == (f"--week: {message} (value: {text!r}). "
                            "Fix: write the week as 2026-W49 (year, W, week number) or a date in it such as 2026-12-01")
    assert str(caught.value) == f"1 problem in the inputs:\n  - {finding}"


@pytest.mark.parametrize("text, planned", [
    ("2026-11-30", "2026-W49"),   # a Monday
    ("2026-12-01", "2026-W49"),
    (" 2026-12-06 ", "2026-W49"),  # a Sunday
    ("2027-01-01", "2026-W53"),   # a date early in January may belong to the last week of the year before
    ("2025-12-29", "2026-W01"),   # and one late in December to the first week of the next
])
def test_a_date_gives_the_week_it_falls_in(text, planned):
    assert resolve_week(text, today=dt.date(2030, 1, 1)).label == planned


# ---------------------------------------------------------------------------------- expand


def test_days_give_one_shift_per_weekday_named_id_at_date():
    shifts = expand([define("gate", days={0, 2, 6})], W49)
    assert [s.id for s in shifts] == ["gate@2026-11-30", "gate@2026-12-02", "gate@2026-12-06"]
    assert [s.date for s in shifts] == [MON, WED, SUN]
    assert all(s.definition_id == "gate" for s in shifts)


def test_dates_inside_the_week_count_and_the_others_are_ignored():
    definition = define("reading", dates=[dt.date(2026, 11, 29), SAT, dt.date(2026, 12, 7), dt.date(2027, 1, 2)])
    assert [s.id for s in expand([definition], W49)] == ["reading@2026-12-05"]
    assert expand([define("later", dates=[dt.date(2027, 1, 2)])], W49) == ()


def test_a_date_on_one_of_the_days_is_one_shift_not_two():
    shifts = expand([define("gate", days={5}, dates=[SAT, SUN])], W49)
    assert [s.id for s in shifts] == ["gate@2026-12-05", "gate@2026-12-06"]


def test_times_and_hours():
    (shift,) = expand([define("gate", days={0}, start="07:00", end="09:30")], W49)
    assert (shift.start, shift.end) == (dt.datetime(2026, 11, 30, 7, 0), dt.datetime(2026, 11, 30, 9, 30))
    assert shift.hours == 2.5 and shift.time_label == "07:00-09:30"


def test_an_overnight_shift_starts_on_its_date_and_ends_the_next_day():
    (shift,) = expand([define("night", days={6}, start="22:00", end="01:00")], W49)
    assert shift.id == "night@2026-12-06" and shift.date == SUN
    assert shift.start == dt.datetime(2026, 12, 6, 22, 0)
    assert shift.end == dt.datetime(2026, 12, 7, 1, 0)  # past the end of the planned week
    assert shift.hours == 3.0 and shift.time_label == "22:00-01:00"


def test_a_shift_ending_at_midnight():
    (shift,) = expand([define("late", days={0}, start="20:00", end="24:00")], W49)
    assert shift.end == dt.datetime(2026, 12, 1, 0, 0) and shift.hours == 4.0
    assert shift.time_label == "20:00-00:00"


def test_shifts_are_ordered_by_start_then_end_then_id():
    definitions = [
        define("b-evening", days={0, 1}, start="18:00", end="20:00"),
        define("z-morning", days={1}, start="07:00", end="09:00"),
        define("a-morning", days={1}, start="07:00", end="09:00"),
        define("long-morning", days={1}, start="07:00", end="11:00"),
        define("night", days={0}, start="23:00", end="01:00"),
        define("early", days={1}, start="06:00", end="07:00"),
    ]
    assert [s.id for s in expand(definitions, W49)] == [
        "b-evening@2026-11-30", "night@2026-11-30",
        "early@2026-12-01", "a-morning@2026-12-01", "z-morning@2026-12-01", "long-morning@2026-12-01",
        "b-evening@2026-12-01",
    ]


def test_another_week_gives_other_dates():
    shifts = expand([define("gate", days={0})], PlanningWeek.parse("2027-W01"))
    assert [s.id for s in shifts] == ["gate@2027-01-04"]
