"""CSV cells that a spreadsheet cannot run: the OWASP rule against formula injection, and its undoing.

Excel, WPS and LibreOffice treat a cell that starts with `=`, `+`, `-` or `@` (or a tab or a
carriage return before one) as a formula, so a volunteer named `=HYPERLINK("http://x","x")` or
`=cmd|' /C calc'!A0` in the register would run as one when a coordinator opens
assignments.csv. Every CSV the tool writes puts a `'` before such a text cell, which makes the
spreadsheet show it as text. A text cell that already starts with `'` gets one more, so that
reading back (`original_cell`, used by `check`, `hours` and `diff`) strips exactly one and
returns what was written. Numbers (the counts and hours columns) are written as numbers: a
negative number is not a formula. Times (`07:00`), dates and ids never start with these.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
BOM = "\ufeff"


def safe_cell(value: object) -> object:
    """A text that a spreadsheet would read as a formula (or that starts with `'`), with `'` before it."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, ESCAPE)):
        return ESCAPE + value
    return value


def original_cell(value: object) -> object:
    """`safe_cell` undone: the one `'` it added is removed; every other value is returned unchanged."""
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:].startswith((*FORMULA_STARTS, ESCAPE)):
        return value[1:]
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV text with a BOM so that Excel on a Chinese Windows reads it as UTF-8, not GBK; cells made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return (BOM + buffer.getvalue()).encode("utf-8")
