"""The availability grammar (weekly windows) and unavailable dates."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.domain.models import DateRange, Window
from scheduler.loading.availability import ACCEPTED_FORMS, parse_availability, parse_unavailable
from scheduler.loading.values import BadValue

ALL = frozenset(range(7))
H = 60


def window(days, start, end):
    return Window(days=frozenset(days), start=start, end=end)


def windows(text):
    return parse_availability(text)


@pytest.mark.parametrize("text", ["", "   ", ";", " ； | "])
def test_empty_means_any_time(text):
    assert windows(text) is None


@pytest.mark.parametrize("text, day", [
    *[(name, number) for number, name in enumerate(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])],
    *[(name, number) for number, name in enumerate(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])],
    ("mon", 0), ("MON", 0), ("tues", 1), ("thurs", 3),
    *[(f"周{c}", number) for number, c in enumerate("一二三四五六日")], ("周天", 6),
    *[(f"星期{c}", number) for number, c in enumerate("一二三四五六日")], ("星期天", 6),
    ("每周六", 5), ("礼拜三", 2),
])
def test_each_day_form_alone_means_that_day_all_day(text, day):
    assert windows(text) == (window({day}, 0, 24 * H),)


@pytest.mark.parametrize("text, days", [
    ("Mon-Fri", range(5)), ("mon - fri", range(5)), ("Mon to Fri", range(5)),
    ("周一至周五", range(5)), ("周一到周五", range(5)), ("周一-周五", range(5)), ("周一~周五", range(5)),
    ("周一至五", range(5)), ("星期一至星期三", range(3)), ("Sat-Sun", {5, 6}),
    ("Fri-Mon", {4, 5, 6, 0}),  # runs over the weekend
    ("Sat,Sun", {5, 6}), ("Sat，Sun", {5, 6}), ("周一、周三", {0, 2}), ("周一、三、五", {0, 2, 4}),
    ("Mon Wed", {0, 2}), ("周二/周四", {1, 3}),
    ("工作日", range(5)), ("weekdays", range(5)), ("Weekdays", range(5)),
    ("双休日", {5, 6}), ("周末", {5, 6}), ("weekends", {5, 6}),
    ("每天", range(7)), ("daily", range(7)), ("every day", range(7)), ("Every Day", range(7)),
])
def test_day_ranges_lists_and_sets(text, days):
    assert windows(text) == (window(days, 0, 24 * H),)


@pytest.mark.parametrize("text, start, end", [
    ("07:00-11:30", 7 * H, 11 * H + 30), ("7:00-11:30", 7 * H, 11 * H + 30),
    ("07:00~11:30", 7 * H, 11 * H + 30), ("07:00至11:30", 7 * H, 11 * H + 30),
    ("07:00到11:30", 7 * H, 11 * H + 30), ("07:00 - 11:30", 7 * H, 11 * H + 30),
    ("7:00 to 11:30", 7 * H, 11 * H + 30), ("０７：００－１１：３０", 7 * H, 11 * H + 30),
    ("18:00-24:00", 18 * H, 24 * H), ("00:00-06:00", 0, 6 * H),
    ("7点-11点半", 7 * H, 11 * H + 30), ("7点30分-9点", 7 * H + 30, 9 * H),
    ("morning", 6 * H, 12 * H), ("上午", 6 * H, 12 * H), ("Morning", 6 * H, 12 * H),
    ("afternoon", 12 * H, 18 * H), ("下午", 12 * H, 18 * H),
    ("evening", 18 * H, 22 * H), ("晚上", 18 * H, 22 * H),
    ("all day", 0, 24 * H), ("全天", 0, 24 * H), ("All Day", 0, 24 * H),
])
def test_a_time_without_days_means_every_day(text, start, end):
    assert windows(text) == (window(ALL, start, end),)


@pytest.mark.parametrize("text, expected", [
    ("Mon-Fri 07:00-11:00; Sat 全天",
     (window(range(5), 7 * H, 11 * H), window({5}, 0, 24 * H))),
    ("周一、周三 上午", (window({0, 2}, 6 * H, 12 * H),)),
    ("工作日 下午 | 双休日 全天", (window(range(5), 12 * H, 18 * H), window({5, 6}, 0, 24 * H))),
    ("周一至周五上午；周六晚上", (window(range(5), 6 * H, 12 * H), window({5}, 18 * H, 22 * H))),
    ("Mon 07:00-09:00\nTue 08:00-10:00", (window({0}, 7 * H, 9 * H), window({1}, 8 * H, 10 * H))),
    # several time parts: one window each for the same days
    ("周六 上午 下午", (window({5}, 6 * H, 12 * H), window({5}, 12 * H, 18 * H))),
    ("Sat 07:00-09:00 14:00-16:00", (window({5}, 7 * H, 9 * H), window({5}, 14 * H, 16 * H))),
    # a part of the day followed by clock times qualifies them
    ("周一至五 下午2:00-5:00", (window(range(5), 14 * H, 17 * H),)),
    ("晚上 7点-9点", (window(ALL, 19 * H, 21 * H),)),
    ("上午 8:00-11:00", (window(ALL, 8 * H, 11 * H),)),
    # days after a complete window start another
    ("周一上午周三下午", (window({0}, 6 * H, 12 * H), window({2}, 12 * H, 18 * H))),
    ("上午 周一", (window({0}, 6 * H, 12 * H),)),
    # the same window twice is kept once
    ("Mon 上午; 周一 上午", (window({0}, 6 * H, 12 * H),)),
])
def test_windows(text, expected):
    assert windows(text) == expected


@pytest.mark.parametrize("text, token", [
    ("周八", "周八"),
    ("周一至周八 上午", "周八"),
    ("周八上午", "周八"),
    ("Mon-Fir", "Fir"),
    ("xmon", "xmon"),
    ("Mon 07:00-11:00; holiday", "holiday"),
    ("2026-12-01", "2026-12-01"),
    ("上午-下午", "-"),
])
def test_errors_quote_the_token(text, token):
    with pytest.raises(BadValue) as caught:
        windows(text)
    assert caught.value.message == f"availability text does not parse: '{token}' is not a day or a time"
    assert caught.value.fix == ACCEPTED_FORMS


def test_the_fix_names_the_accepted_forms():
    assert ACCEPTED_FORMS == (
        "write windows like 'Mon-Fri 07:00-11:00; Sat 全天': days Mon..Sun or 周一..周日, "
        "工作日, 双休日, 每天; times 07:00-11:30, 上午, 下午, 晚上, 全天"
    )


def test_a_time_without_an_end():
    with pytest.raises(BadValue) as caught:
        windows("周一 07:00")
    assert caught.value.message == "availability text does not parse: '07:00' has no end time"


def test_a_day_range_without_its_last_day():
    with pytest.raises(BadValue) as caught:
        windows("Mon- 上午")
    assert caught.value.message == "availability text does not parse: 'Mon-上午' is not a day range"


@pytest.mark.parametrize("text", ["22:00-06:00", "11:00-11:00", "Mon 12:00-08:00"])
def test_windows_do_not_run_past_midnight(text):
    with pytest.raises(BadValue) as caught:
        windows(text)
    clock = text.split()[-1]
    assert caught.value.message == f"availability time '{clock}' ends before it starts (windows do not run past midnight)"
    assert caught.value.fix == "split it at midnight into two windows, e.g. 'Fri 22:00-24:00; Sat 00:00-06:00'"


@pytest.mark.parametrize("text", ["25:00-26:00", "07:60-08:00", "24:30-24:45"])
def test_impossible_times(text):
    with pytest.raises(BadValue) as caught:
        windows(text)
    assert caught.value.message == f"availability time '{text}' is not a time of day"


def test_parsing_is_cached():
    assert parse_availability("Mon-Fri 07:00-11:00") is parse_availability("Mon-Fri 07:00-11:00")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("MonFriSat周一五六日至到-~:;|,、 0123456789上午下全天每工作ab八\n")) | st.characters(),
               max_size=30))
def test_random_text_never_raises_anything_else(text):
    try:
        result = parse_availability(text)
    except BadValue as problem:
        assert problem.message and problem.fix
    else:
        assert result is None or all(0 <= w.start < w.end <= 24 * H and w.days for w in result)


# ----------------------------------------------------------------------------- unavailable dates


def span(first, last=None):
    return DateRange(first=dt.date.fromisoformat(first), last=dt.date.fromisoformat(last or first))


@pytest.mark.parametrize("text, expected", [
    ("", ()),
    ("2026-12-15", (span("2026-12-15"),)),
    ("2026-12-01..2026-12-07; 2026-12-15", (span("2026-12-01", "2026-12-07"), span("2026-12-15"))),
    ("2026-12-01~2026-12-07", (span("2026-12-01", "2026-12-07"),)),
    ("2026-12-01至2026-12-07", (span("2026-12-01", "2026-12-07"),)),
    ("2026-12-01 到 2026-12-07", (span("2026-12-01", "2026-12-07"),)),
    ("2026/12/1..2026/12/7、2026年12月15日", (span("2026-12-01", "2026-12-07"), span("2026-12-15"))),
    ("20261215；20261216", (span("2026-12-15"), span("2026-12-16"))),
])
def test_unavailable_forms(text, expected):
    assert parse_unavailable(text) == expected


@pytest.mark.parametrize("text, message", [
    ("2026-12-07..2026-12-01", "unavailable range '2026-12-07..2026-12-01' ends before it starts"),
    ("2026-02-30", "unavailable date '2026-02-30' does not exist"),
    ("next week", "unavailable text does not parse: 'next week' is not a date"),
    ("2026-12", "unavailable text does not parse: '2026-12' is not a date"),
    ("2026-12-01..", "unavailable text does not parse: '2026-12-01..' is not a date or a range"),
])
def test_unavailable_errors(text, message):
    with pytest.raises(BadValue) as caught:
        parse_unavailable(text)
    assert caught.value.message == message


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("2026-1207.~至到;,、 年月日/")) | st.characters(), max_size=30))
def test_random_unavailable_text_never_raises_anything_else(text):
    try:
        result = parse_unavailable(text)
    except BadValue as problem:
        assert problem.message and problem.fix
    else:
        assert all(span.first <= span.last for span in result)
