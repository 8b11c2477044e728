"""What changed between two rosters of a week: who gained and who lost which shift.

`roster diff OLD NEW` prints the changes; after a re-plan, `write_changes` puts `changes.csv`
beside the roster. An assignment is the pair (volunteer id, shift id `<definition>@<date>`): a
pair only in the new roster was *gained*, a pair only in the old one was *lost*. Times, names or
attendance changing on a pair are not changes of who serves, and are not listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Literal

from scheduler.domain.ids import split_shift_id
from scheduler.domain.roster import Assignment, Roster
from scheduler.io import atomic
from scheduler.io.writers import _csv_bytes, _minutes, natural_key
from scheduler.render.texts import check_lang, date_header, t

CHANGES_FILE = "changes.csv"
CHANGE_COLUMNS = ["volunteer", "volunteer_name", "change", "shift", "name", "date", "start", "end"]
"""The headers of `changes.csv`: English field names whatever the language, so that it reads back."""

SHIFT_DETAILS = ("name", "date", "start", "end")


@dataclass(frozen=True)
class Change:
    """One volunteer gaining or losing one shift."""

    volunteer: str
    volunteer_name: str
    shift: str
    name: str
    date: str
    start: str
    end: str
    change: Literal["gained", "lost"]


def diff_rosters(old: Roster, new: Roster) -> list[Change]:
    """Every (volunteer, shift) found in only one of the rosters: `gained` when in `new`, `lost` when in `old`.

    Sorted by volunteer id (`V2` before `V10`), then date and start time. A row repeated in a
    roster counts once. Details one roster lacks (a hand-edited CSV without names or times) are
    taken from the other where it has them, the new roster first.
    """
    before, after = _by_pair(old), _by_pair(new)
    names = {**_volunteer_names(old), **_volunteer_names(new)}
    details = _shift_details(new, old)
    changes = [_change(a, "gained", names, details) for pair, a in after.items() if pair not in before]
    changes += [_change(a, "lost", names, details) for pair, a in before.items() if pair not in after]
    return sorted(changes, key=_order)


def _by_pair(roster: Roster) -> dict[tuple[str, str], Assignment]:
    pairs: dict[tuple[str, str], Assignment] = {}
    for a in roster.assignments:
        pairs.setdefault((a.volunteer, a.shift), a)
    return pairs


def _volunteer_names(roster: Roster) -> dict[str, str]:
    return {a.volunteer: a.volunteer_name for a in roster.assignments if a.volunteer_name}


def _shift_details(*rosters: Roster) -> dict[str, dict[str, str]]:
    """For each shift id, the first non-empty name, date, start and end any of the rosters gives it."""
    details: dict[str, dict[str, str]] = {}
    for roster in rosters:
        for a in roster.assignments:
            known = details.setdefault(a.shift, {})
            for key in SHIFT_DETAILS:
                if getattr(a, key) and not known.get(key):
                    known[key] = getattr(a, key)
    return details


def _change(a: Assignment, kind: Literal["gained", "lost"], names: Mapping[str, str], details: Mapping[str, Mapping[str, str]]) -> Change:
    known = details.get(a.shift, {})
    definition, day = split_shift_id(a.shift)
    values = {key: getattr(a, key) or known.get(key, "") for key in SHIFT_DETAILS}
    values["date"] = values["date"] or day
    values["name"] = values["name"] or a.shift_id or definition
    return Change(volunteer=a.volunteer, volunteer_name=a.volunteer_name or names.get(a.volunteer, ""),
                  shift=a.shift, change=kind, **values)


def _order(change: Change) -> tuple:
    return (natural_key(change.volunteer), change.date, _minutes(change.start), change.shift, change.change)


# ---------------------------------------------------------------- changes.csv and the text


def changes_csv(changes: list[Change], lang: str) -> bytes:
    """`changes.csv`: one row per change, UTF-8 with BOM for Excel.

    Headers and the `change` values (`gained`/`lost`) are English field names in either language,
    so that the file reads back and imports the same everywhere; `lang` is checked for symmetry
    with the other writers.
    """
    check_lang(lang)
    return _csv_bytes(CHANGE_COLUMNS, [[getattr(change, column) for column in CHANGE_COLUMNS] for change in changes])


def changes_text(changes: list[Change], lang: str) -> str:
    """The changes in words, a line per volunteer (gains, then losses), then a count line.

    zh: `王秀英（V007）：+东门文明劝导 12-01 周二 07:00-09:00；−路口文明劝导 12-03 周四 16:30-18:30`
    en: `Wang Xiuying (V007) gained East gate Tue 12-01 07:00-09:00; lost Crossing Thu 12-03 16:30-18:30`
    """
    if not changes:
        return t(lang, "changes.none")
    lines = []
    for volunteer, group in groupby(sorted(changes, key=_order), key=lambda c: c.volunteer):
        lines.append(_person_line(lang, volunteer, list(group)))
    people = t(lang, "changes.people", n=len({c.volunteer for c in changes}))
    lines += ["", t(lang, "changes.total", people=people, changes=t(lang, "changes.count", n=len(changes)))]
    return "\n".join(lines)


def _person_line(lang: str, volunteer: str, changes: list[Change]) -> str:
    groups = []
    for kind in ("gained", "lost"):
        items = [t(lang, f"changes.{kind}_item", shift=shift_text(lang, c)) for c in changes if c.change == kind]
        if items:
            groups.append(t(lang, f"changes.{kind}", items=t(lang, "changes.items_sep").join(items)))
    name = next((c.volunteer_name for c in changes if c.volunteer_name), "")
    who = t(lang, "changes.who", name=name, id=volunteer) if name else volunteer
    return t(lang, "changes.person", who=who, groups=t(lang, "changes.groups_sep").join(groups))


def shift_text(lang: str, change: Change) -> str:
    """`东门文明劝导 12-01 周二 07:00-09:00` / `East gate Tue 12-01 07:00-09:00`; parts unknown are left out."""
    try:
        day = date_header(lang, dt.date.fromisoformat(change.date))
    except ValueError:
        day = change.date
    time = f"{change.start}-{change.end}" if change.start or change.end else ""
    return " ".join(t(lang, "changes.shift", name=change.name, day=day, time=time).split())


# ---------------------------------------------------------------- writing


def write_changes(out_dir: str | Path, changes: list[Change], lang: str) -> Path:
    """Add `changes.csv` to the set of files in `out_dir`, in one atomic step (also when there are no
    changes: no stale file stays). `write_outputs(..., changes=)` writes it together with the roster."""
    from scheduler.io.writers import SET_FILES

    return atomic.commit(Path(out_dir), {CHANGES_FILE: changes_csv(changes, lang)}, members=SET_FILES, carry=True)[0]


def write_changes_csv(path: str | Path, changes: list[Change], lang: str) -> Path:
    """Write the changes as CSV to `path` (complete or not at all)."""
    path = Path(path)
    write_atomically({path: changes_csv(changes, lang)})
    return path


def write_atomically(files: Mapping[Path, bytes]) -> list[Path]:
    """Each file written complete, then renamed into place (see `scheduler.io.atomic.replace_files`)."""
    return atomic.replace_files({Path(path): data for path, data in files.items()})
