"""Weekdays in the shifts file (`days:`), read with the register's own availability grammar.

`Mon`, `周一`, `星期一`, ranges (`Mon-Fri`, `周一至周五`), groups (`工作日`, `双休日`, `daily`) mean
the same in a shift's `days` as in a volunteer's availability, so one grammar reads both.
"""

from __future__ import annotations

from scheduler.loading.availability import ALL_DAY, parse_availability
from scheduler.loading.values import BadValue


def parse_weekday_token(token: str) -> frozenset[int]:
    """`Mon`, `周一至周五`, `Mon-Fri`, `工作日` -> weekday numbers (0 = Monday). BadValue if unknown."""
    text = str(token).strip()
    try:
        windows = parse_availability(text) if text else None
    except BadValue:
        windows = None
    # A time of day (`07:00-09:00`, or a lone `全天`) is not a weekday, even though availability reads it.
    if not windows or any((w.start, w.end) != ALL_DAY for w in windows) \
            or text.lower().replace(" ", "") in ("全天", "整天", "allday"):
        raise BadValue("input.shift.not_a_weekday", text=text)
    return frozenset().union(*(w.days for w in windows))


def parse_weekdays(tokens: list) -> frozenset[int]:
    """A list of weekday tokens -> their union."""
    days: set[int] = set()
    for token in tokens:
        days |= parse_weekday_token(str(token))
    return frozenset(days)
