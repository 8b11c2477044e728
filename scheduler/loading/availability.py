"""The `availability` grammar (weekly windows) and the `unavailable` dates of the register.

`availability` is a list of windows separated by `;` `；` `|` or a line break. A window is
DAYS then TIMES:

- days: `Mon`..`Sun` or full English names (any case), `周一`..`周日`/`周天`,
  `星期一`..`星期日`/`星期天` (also `每周六`, `礼拜六`); ranges `Mon-Fri`, `周一至周五`,
  `周一到周五`, `周一-周五`, `周一至五`; a range may run over the weekend (`Fri-Mon` is Friday to
  Monday); lists joined by `,` `，` `、` `/` `和` or a space; `工作日`/`weekdays`,
  `双休日`/`周末`/`weekends`, `每天`/`daily`/`every day` (`随时`/`不限`/`any time` too).
- times: `07:00-11:30` (also `7:00`, `~`, `至`, `到`, `to`; `24:00` as an end; `7点-11点半`),
  `morning`/`上午` 06:00-12:00, `afternoon`/`下午` 12:00-18:00, `evening`/`晚上` 18:00-22:00,
  `all day`/`全天` 00:00-24:00.

Decisions where the contract is silent:

- Days without a time mean all day; a time without days means every day.
- Several time parts in one window (`周六 上午 下午`) make one window each for the same days.
  Windows never join, so that person cannot take a 11:00-13:00 shift; `周六 06:00-18:00` can.
- A named part of the day directly followed by clock times qualifies them instead of adding a
  window: `下午 2:00-5:00` is 14:00-17:00 (after 下午/晚上 an hour 1-11 means that hour + 12).
- Days that follow a complete window start a new one (`周一上午周三下午` is two windows).
- Windows do not run past midnight; `22:00-06:00` is an error asking for two windows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from scheduler.domain.models import DateRange, Window
from scheduler.loading.values import BadValue, ImpossibleDate, normalize, parse_date

ALL_DAY = (0, 24 * 60)
EVERY_DAY = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})

_ENGLISH_DAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}
_CHINESE_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_DAY_SETS = {
    "工作日": WEEKDAYS, "weekday": WEEKDAYS, "weekdays": WEEKDAYS,
    "双休日": WEEKEND, "周末": WEEKEND, "weekend": WEEKEND, "weekends": WEEKEND,
    "每天": EVERY_DAY, "每日": EVERY_DAY, "天天": EVERY_DAY, "daily": EVERY_DAY, "everyday": EVERY_DAY,
    "随时": EVERY_DAY, "不限": EVERY_DAY, "anytime": EVERY_DAY,
}
_PERIODS = {
    "morning": (6 * 60, 12 * 60), "上午": (6 * 60, 12 * 60), "早上": (6 * 60, 12 * 60),
    "afternoon": (12 * 60, 18 * 60), "下午": (12 * 60, 18 * 60),
    "evening": (18 * 60, 22 * 60), "晚上": (18 * 60, 22 * 60),
    "allday": ALL_DAY, "全天": ALL_DAY, "整天": ALL_DAY,
}
_AFTER_NOON = {"afternoon", "下午", "evening", "晚上"}

_TO = r"(?:-|~|〜|–|—|至|到|to(?![a-z]))"
_CLOCK = r"[0-9]{1,2}(?::[0-9]{2}|点(?:半|[0-9]{1,2}分?)?)?"
_TOKEN = re.compile(
    rf"""
      (?P<space>\s+)
    | (?P<clock>{_CLOCK}\s*{_TO}\s*{_CLOCK}(?![0-9:]))
    | (?P<set>工作日|双休日|周末|每天|每日|天天|随时|不限
              |(?:weekdays?|weekends?|daily|every\s*day|any\s*time)(?![a-z]))
    | (?P<day>每?(?:周|星期|礼拜)[一二三四五六日天]
              |(?:monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu
                 |friday|fri|saturday|sat|sunday|sun)(?![a-z]))
    | (?P<period>上午|早上|下午|晚上|全天|整天|(?:morning|afternoon|evening|all\s*day)(?![a-z]))
    | (?P<to>{_TO})
    | (?P<join>[,、/和])
    | (?P<numeral>[一二三四五六日天])
    """,
    re.IGNORECASE | re.VERBOSE,
)
_CLOCK_PARTS = re.compile(
    rf"(?P<start>{_CLOCK})\s*{_TO}\s*(?P<end>{_CLOCK})", re.IGNORECASE
)
_HOUR_MINUTE = re.compile(r"([0-9]{1,2})(?::([0-9]{2})|点(半)?(?:([0-9]{1,2})分?)?)?")
_WINDOW_SEPARATORS = re.compile(r"[;；|｜\n]")

ACCEPTED_FORMS = (
    "write windows like 'Mon-Fri 07:00-11:00; Sat 全天': days Mon..Sun or 周一..周日, "
    "工作日, 双休日, 每天; times 07:00-11:30, 上午, 下午, 晚上, 全天"
)


class Token(NamedTuple):
    kind: str
    text: str


@lru_cache(maxsize=4096)
def parse_availability(text: str) -> tuple[Window, ...] | None:
    """The weekly windows written in one `availability` cell; empty text means any time (None).

    Raises `BadValue` quoting the part that does not parse. Cached: many volunteers share the
    same text, and the result is immutable.
    """
    windows: list[Window] = []
    for part in _WINDOW_SEPARATORS.split(normalize(text)):
        for window in _parse_window(part):
            if window not in windows:
                windows.append(window)
    return tuple(windows) or None


def _parse_window(part: str) -> list[Window]:
    """One `;`-separated part: DAYS then TIMES (days after a complete window start another)."""
    tokens = [token for token in _tokens(part) if token.kind != "space"]
    windows: list[Window] = []
    days: set[int] = set()
    times: list[tuple[int, int]] = []
    index = 0
    while index < len(tokens):
        kind = tokens[index].kind
        if kind in ("day", "set", "numeral"):  # a bare 三 continues 周一、三、五
            if days and times:
                windows += _windows(days, times)
                days, times = set(), []
            found_days, index = _days_at(tokens, index)
            days |= found_days
        elif kind in ("period", "clock"):
            found_times, index = _times_at(tokens, index)
            times.append(found_times)
        elif kind == "join":
            index += 1
        else:
            raise _does_not_parse(tokens[index].text)
    if days or times:
        windows += _windows(days, times)
    return windows


def _windows(days: set[int], times: list[tuple[int, int]]) -> list[Window]:
    """Days without times are all day; times without days are every day."""
    return [
        Window(days=frozenset(days or EVERY_DAY), start=start, end=end)
        for start, end in times or [ALL_DAY]
    ]


def _days_at(tokens: list[Token], index: int) -> tuple[frozenset[int], int]:
    """The day, day set or day range starting at `index`, and the index after it."""
    token = tokens[index]
    if token.kind == "set":
        return _DAY_SETS[_squeeze(token.text)], index + 1
    first = _day_number(token.text)
    if index + 1 < len(tokens) and tokens[index + 1].kind == "to":
        if index + 2 >= len(tokens) or tokens[index + 2].kind not in ("day", "numeral"):
            following = tokens[index + 2].text if index + 2 < len(tokens) else ""
            raise BadValue(
                f"availability text does not parse: "
                f"'{token.text}{tokens[index + 1].text}{following}' is not a day range",
                "write a day range like Mon-Fri or 周一至周五",
            )
        last = _day_number(tokens[index + 2].text)
        span = (last - first) % 7  # Fri-Mon runs over the weekend
        return frozenset((first + step) % 7 for step in range(span + 1)), index + 3
    return frozenset({first}), index + 1


def _day_number(text: str) -> int:
    """`Mon`, `monday`, `周一`, `星期天`, or a bare `五` after `周一至` -> 0..6."""
    key = text.lower()
    if key in _ENGLISH_DAYS:
        return _ENGLISH_DAYS[key]
    return _CHINESE_DAYS[text[-1]]


def _times_at(tokens: list[Token], index: int) -> tuple[tuple[int, int], int]:
    """Clock times, a named part of the day, or clock times it qualifies (`下午 2:00-5:00` is
    14:00-17:00), and the index after them."""
    token = tokens[index]
    if token.kind == "clock":
        return _clock_range(token.text), index + 1
    name = _squeeze(token.text)
    if index + 1 < len(tokens) and tokens[index + 1].kind == "clock":
        return _clock_range(tokens[index + 1].text, after_noon=name in _AFTER_NOON), index + 2
    return _PERIODS[name], index + 1


def _clock_range(text: str, after_noon: bool = False) -> tuple[int, int]:
    """`07:00-11:30` -> (420, 690); `24:00` is allowed as an end; no running past midnight."""
    parts = _CLOCK_PARTS.fullmatch(text)
    assert parts is not None, text  # the tokenizer gave it the kind "clock"
    start = _minutes(parts["start"], after_noon)
    end = _minutes(parts["end"], after_noon)
    if start is None or end is None or start >= 24 * 60:
        raise BadValue(
            f"availability time '{text}' is not a time of day",
            "write times from 00:00 to 24:00, e.g. 07:30-11:00",
        )
    if end <= start:
        raise BadValue(
            f"availability time '{text}' ends before it starts (windows do not run past midnight)",
            "split it at midnight into two windows, e.g. 'Fri 22:00-24:00; Sat 00:00-06:00'",
        )
    return start, end


def _minutes(text: str, after_noon: bool) -> int | None:
    """`7:30`, `07:30`, `7点半`, `7点30分`, `7` -> minutes after midnight; None if impossible."""
    parts = _HOUR_MINUTE.fullmatch(text)
    assert parts is not None, text  # a clock token's start or end
    hour_text, minute_text, half, chinese_minutes = parts.groups()
    hour = int(hour_text)
    minute = 30 if half else int(minute_text or chinese_minutes or 0)
    if after_noon and 1 <= hour <= 11:
        hour += 12
    if hour > 24 or minute >= 60 or (hour == 24 and minute):
        return None
    return hour * 60 + minute


def _tokens(text: str) -> Iterator[Token]:
    """Split one window into tokens; an unknown stretch raises `BadValue` quoting it."""
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _does_not_parse(text[position:_next_token_start(text, position)])
        assert match.lastgroup is not None  # every alternative of _TOKEN is a named group
        yield Token(match.lastgroup, match.group())
        position = match.end()


def _next_token_start(text: str, position: int) -> int:
    """Where an unknown stretch ends: at a space or `,` `、`, or where a Chinese token begins
    (`周八上午` quotes `周八`); Latin letters and digits stay together (`xmon`, `7-115`)."""
    for end in range(position + 1, len(text)):
        if text[end].isspace() or text[end] in ",、":
            return end
        chinese_boundary = not (text[end].isascii() and text[end - 1].isascii())
        if chinese_boundary and _TOKEN.match(text, end):
            return end
    return len(text)


def _does_not_parse(token: str) -> BadValue:
    if re.fullmatch(_CLOCK, token.strip()):
        return BadValue(f"availability text does not parse: '{token.strip()}' has no end time", ACCEPTED_FORMS)
    return BadValue(f"availability text does not parse: '{token.strip()}' is not a day or a time", ACCEPTED_FORMS)


def _squeeze(text: str) -> str:
    """`Every  Day` -> `everyday`, for looking up names written with spaces or capitals."""
    return re.sub(r"\s+", "", text).lower()


# ----------------------------------------------------------------------------- unavailable dates

_DATE_RANGE_TO = re.compile(r"\s*(?:\.\.|~|〜|至|到|–|—)\s*|\s+-\s+")
_DATE_SEPARATORS = re.compile(r"[;；|｜,，、\n]")
UNAVAILABLE_FORMS = ("write dates like 2026-12-15 or 12月15日 and ranges like 2026-12-01..2026-12-07 or "
                     "12月14日至18日, separated by ;")
# Dates without a year, as registers write them: 12月10日, 12月10号, 12月10, 12/16.
_MONTH_DAY = re.compile(r"(?P<m>[0-9]{1,2})\s*(?:月\s*(?P<d>[0-9]{1,2})\s*[日号]?|/\s*(?P<d2>[0-9]{1,2}))")
_DAY_ONLY = re.compile(r"(?P<d>[0-9]{1,2})\s*[日号]?")  # the end of 12月14日至18日


@lru_cache(maxsize=4096)
def parse_unavailable(text: str, around: dt.date | None = None) -> tuple[DateRange, ...]:
    """Dates and ranges such as `2026-12-01..2026-12-07; 2026-12-15` (also `~`, `至`, `到`, and a
    plain `-` between two full dates: `2026.12.8-2026.12.9`).

    With `around` (the planned week's Monday), dates without a year (`12月10日`, `12/16`) and short
    ranges (`12月14日至18日`) are read in the year that puts them nearest that day: in the planned
    week's year, or the next one across New Year (`1月2日` planned in late December).
    """
    ranges = []
    for part in _DATE_SEPARATORS.split(normalize(text)):
        if part.strip():
            ranges.append(_date_range(part.strip(), around))
    return tuple(ranges)


def _date_range(part: str, around: dt.date | None = None) -> DateRange:
    """One date or one range of dates, both ends included."""
    ends = _DATE_RANGE_TO.split(part)
    if len(ends) == 1 and "-" in part:
        ends = _split_at_dash(part, around) or ends
    if len(ends) > 2 or not all(ends):
        raise BadValue(f"unavailable text does not parse: '{part}' is not a date or a range", UNAVAILABLE_FORMS)
    first = _date(ends[0], around)
    last = first if len(ends) == 1 else _date(ends[-1], around, first=first)
    if last < first and len(ends) == 2 and not _has_year(ends[-1]):  # 12月30日至1月2日: into the next year
        last = _next_year(last)
    if last < first:
        raise BadValue(
            f"unavailable range '{part}' ends before it starts",
            "write the earlier date first, e.g. 2026-12-01..2026-12-07",
        )
    return DateRange(first=first, last=last)


def _split_at_dash(part: str, around: dt.date | None) -> list[str] | None:
    """`2026.12.8-2026.12.9` or `12月8日-12月9日` -> its two dates, trying each `-` (dates use them too)."""
    for position in (index for index, ch in enumerate(part) if ch == "-"):
        left, right = part[:position].strip(), part[position + 1:].strip()
        try:
            first = _date(left, around)
            _date(right, around, first=first)
        except BadValue:
            continue
        return [left, right]
    return None


def _has_year(text: str) -> bool:
    return re.search(r"[0-9]{4}", text) is not None


def _next_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + dt.timedelta(days=365)


def _date(text: str, around: dt.date | None = None, first: dt.date | None = None) -> dt.date:
    """A date with a day, in any of the register's date forms; without a year when `around` is known.

    `first` is the start of the range this date ends: a bare day (`18日`) is in its month.
    """
    try:
        return parse_date(text)
    except ImpossibleDate:
        raise BadValue(f"unavailable date '{text}' does not exist", "check the day and the month") from None
    except BadValue:
        pass
    cleaned = text.strip()
    parts = _MONTH_DAY.fullmatch(cleaned)
    day_only = _DAY_ONLY.fullmatch(cleaned) if first is not None and parts is None else None
    if parts is None and day_only is None:
        raise BadValue(f"unavailable text does not parse: '{text}' is not a date", UNAVAILABLE_FORMS) from None
    if around is None and first is None:
        raise BadValue(f"unavailable date '{text}' has no year", "write the year too, e.g. 2026-12-10") from None
    try:
        if day_only is not None:
            assert first is not None  # a bare day is only read at the end of a range
            return dt.date(first.year, first.month, int(day_only["d"]))
        assert parts is not None
        month, day = int(parts["m"]), int(parts["d"] or parts["d2"])
        dt.date(2000, month, day)  # a real day in some year (29 February in a leap year)
    except ValueError:
        raise BadValue(f"unavailable date '{text}' does not exist", "check the day and the month") from None
    anchor = first or around
    assert anchor is not None  # refused above when both are None
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:  # 2月29日 outside a leap year
            continue
    if first is not None:  # the end of a range: the first such day on or after its start
        return min((c for c in candidates if c >= first), default=candidates[-1])
    return min(candidates, key=lambda c: (abs((c - anchor).days), c.year != anchor.year))
