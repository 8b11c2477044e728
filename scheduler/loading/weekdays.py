"""Weekday names in English and Chinese, singly, as ranges and as groups."""

from __future__ import annotations

import re

WEEKDAY_NAMES = {
    **{name: i for i, name in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])},
    **{name: i for i, name in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])},
    **{f"{prefix}{num}": i for prefix in ("周", "星期", "礼拜")
       for i, num in enumerate(["一", "二", "三", "四", "五", "六", "日"])},
    "周天": 6, "星期天": 6, "礼拜天": 6,
}
WEEKDAY_GROUPS = {
    "weekdays": range(0, 5), "工作日": range(0, 5),
    "weekends": range(5, 7), "weekend": range(5, 7), "双休日": range(5, 7), "周末": range(5, 7),
    "daily": range(7), "every day": range(7), "everyday": range(7), "每天": range(7), "每日": range(7),
}
RANGE_SEPARATORS = re.compile(r"\s*(?:-|–|~|～|至|到)\s*")


def weekday_number(token: str) -> int | None:
    return WEEKDAY_NAMES.get(token.strip().lower())


def parse_weekday_token(token: str) -> frozenset[int]:
    """`Mon`, `周一至周五`, `Mon-Fri`, `工作日` -> weekday numbers (0 = Monday). ValueError if unknown."""
    key = token.strip().lower()
    if key in WEEKDAY_GROUPS:
        return frozenset(WEEKDAY_GROUPS[key])
    single = weekday_number(key)
    if single is not None:
        return frozenset({single})
    parts = RANGE_SEPARATORS.split(key)
    if len(parts) == 2:
        first, last = weekday_number(parts[0]), weekday_number(parts[1])
        if first is not None and last is not None:
            # A range that wraps the week end (Sat-Mon) is legal: Sat, Sun, Mon.
            return frozenset((first + i) % 7 for i in range((last - first) % 7 + 1))
    raise ValueError(f"'{token.strip()}' is not a weekday")


def parse_weekdays(tokens: list) -> frozenset[int]:
    """A list of weekday tokens -> their union."""
    days: set[int] = set()
    for token in tokens:
        days |= parse_weekday_token(str(token))
    return frozenset(days)
