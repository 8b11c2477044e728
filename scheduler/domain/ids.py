"""The ids of the tool: a shift's `<definition>@<date>`, and volunteer ids as people type them.

A shift of the week is named by its definition's id and its date, `east-gate-am@2026-11-30`;
`shift_id` writes it and `split_shift_id` reads it back, and nothing else spells the `@`.

Volunteer ids: one way to match an id Excel stripped of its leading zeros.

A register id like `006` becomes the number 6 when a coordinator types it into a cell that is
not formatted as text. Every face of the tool that reads an id back (check, diff, explain, hours,
cover) matches it here, and only here: the id itself when it exists, else the one id with the
same digits once zeros are stripped. Two candidates (`06` and `006`) match nothing, so a guess
is never made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the record is built on the models, which name their shifts here
    from scheduler.domain.roster import Roster

SHIFT_ID_SEPARATOR = "@"


def shift_id(definition: str, day: dt.date) -> str:
    """The id of a definition's shift on `day`: `east-gate-am@2026-11-30`."""
    return f"{definition}{SHIFT_ID_SEPARATOR}{day.isoformat()}"


def split_shift_id(text: str) -> tuple[str, str]:
    """(definition id, date text) of a shift id `<definition>@<date>`; a text without `@` is a
    definition id alone, with `''` for the date. The date text is not checked: callers that need a
    date parse it and say what is wrong in their own words."""
    definition, separator, day = text.rpartition(SHIFT_ID_SEPARATOR)
    return (definition, day) if separator else (text, "")


def match_id(text: str, ids: Iterable[str]) -> str | None:
    """The id among `ids` that `text` names: itself, or the single id equal to it but for leading zeros."""
    text = str(text).strip()
    known = ids if isinstance(ids, (set, frozenset, dict)) else set(ids)
    if text in known:
        return text
    if not text.isdigit():
        return None
    same = [i for i in known if i.isdigit() and i.lstrip("0") == text.lstrip("0")]
    return same[0] if len(same) == 1 else None


def with_known_ids(roster: Roster, ids: Iterable[str]) -> Roster:
    """The roster with every volunteer id that `match_id` finds among `ids` written as there (`6` -> `006`).

    Ids that match nothing are left as they are, for the rules to report.
    """
    known = set(ids)
    changed = []
    for a in roster.assignments:
        found = match_id(a.volunteer, known)
        changed.append(a if found is None or found == a.volunteer else a.model_copy(update={"volunteer": found}))
    return roster.model_copy(update={"assignments": changed})
