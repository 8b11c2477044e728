"""Clock text: times of day written `07:00`, as minutes after midnight.

Shift definitions, roster files read back, the ledger and the printed table all read and write
times here. `24:00` is the end of a day; `７：００` (full-width, as a Chinese input method types
it) reads like `07:00`.
"""

from __future__ import annotations

import re

DAY_MINUTES = 24 * 60

# Decimal digits only (`\d` is what int() reads, full-width ０７ too): `²`.isdigit() is True, yet no digit.
_TIME = re.compile(r"(\d+)[:：](\d{2})")


def clock(minutes: int) -> str:
    """`420` -> `'07:00'`; 1440 is written `24:00`."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_clock(value: object) -> int | None:
    """`"07:00"` or `7:00` -> minutes after midnight, up to `24:00`; anything else (a bare number too) -> None."""
    if isinstance(value, str) and (parts := _TIME.fullmatch(value.strip())):
        hours, minutes = int(parts[1]), int(parts[2])
        if minutes < 60 and hours * 60 + minutes <= DAY_MINUTES:
            return hours * 60 + minutes
    return None
