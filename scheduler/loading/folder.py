"""The problem folder's layout, and the lock that lets one run at a time write into it.

    PROBLEM/
      volunteers.csv, shifts.yaml, rules.yaml   the inputs (see scheduler.loading)
      locks.csv (or locks.xlsx)                 promised assignments, optional
      .roster.lock                              held while a run writes
      rosters/<week>/roster.json …              what the tool wrote, one folder per ISO week

Every module that reads or writes the folder takes these names from here, so that the library's
workflows (`plan_week`, `cover_week`, …) and the command line agree on where things are.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from scheduler.domain.errors import RosterLockedError
from scheduler.domain.models import PlanningWeek

ROSTERS = "rosters"
ROSTER_FILE = "roster.json"
LOCK_FILE = ".roster.lock"
LOCKS_FILES = ("locks.csv", "locks.xlsx")


def rosters_folder(folder: str | Path) -> Path:
    """`PROBLEM/rosters`: one sub-folder per planned week."""
    return Path(folder) / ROSTERS


def week_folder(folder: str | Path, week: PlanningWeek | str) -> Path:
    """`PROBLEM/rosters/<week>`, where a week's four files and its `previous/` backups live."""
    return rosters_folder(folder) / (week if isinstance(week, str) else week.label)


def week_roster_file(folder: str | Path, week: PlanningWeek | str) -> Path:
    """`PROBLEM/rosters/<week>/roster.json`."""
    return week_folder(folder, week) / ROSTER_FILE


def find_locks(folder: str | Path) -> Path | None:
    """The folder's locks file (`locks.csv`, else `locks.xlsx`), or None when it has none."""
    for name in LOCKS_FILES:
        if (Path(folder) / name).is_file():
            return Path(folder) / name
    return None


def planned_weeks(folder: str | Path) -> list[str]:
    """The ISO weeks with a roster under `PROBLEM/rosters/`, oldest first (folders not named for a week ignored)."""
    weeks = []
    for path in rosters_folder(folder).glob(f"*/{ROSTER_FILE}"):
        try:
            weeks.append(PlanningWeek.parse(path.parent.name))
        except ValueError:
            continue
    return [week.label for week in sorted(weeks, key=lambda w: w.monday)]


def lock_folder(folder: Path, out: str | Path | None) -> Path:
    """Where the lock file goes: the problem folder, or `out` (created) when the problem folder is read-only."""
    if out is None or (os.access(folder, os.W_OK) and not _read_only_disk(folder)):
        return folder
    Path(out).mkdir(parents=True, exist_ok=True)
    return Path(out)


def _read_only_disk(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False


@contextlib.contextmanager
def folder_lock(folder: str | Path, wait: float = 600.0,
                on_wait: Callable[[float], None] | None = None, out: str | Path | None = None) -> Iterator[float]:
    """One run at a time writes to a problem folder; yields the seconds spent waiting for another run.

    The lock file lives in the problem folder; when that folder is read-only (a shared register
    planned into `out`), it lives in `out`, the one folder the run writes to.

    When another run holds the lock, `on_wait(wait)` (if given) is told once, and the lock is
    awaited up to `wait` seconds; then RosterLockedError. The OS frees the lock when a run
    dies, so a crashed run never leaves it stuck.
    """
    folder = Path(folder)
    lock = FileLock(lock_folder(folder, out) / LOCK_FILE)
    started = time.monotonic()
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait is not None:
            on_wait(wait)
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise RosterLockedError(f"another roster run is still writing to {folder} after {wait:g} s. "
                                    "Fix: wait for it to finish (or stop it), then run again") from None
    try:
        yield time.monotonic() - started
    finally:
        lock.release()
