"""The problem folder's layout and the one-run-at-a-time lock, in one place.

A problem folder holds the register, the shifts, the rules and optionally locks.csv; the tool
writes each week under `rosters/<week>/`. Only one run at a time writes to a folder.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from scheduler.errors import RosterLockedError

ROSTERS = "rosters"
ROSTER_FILE = "roster.json"
LOCK_FILE = ".roster.lock"


def week_dir(problem_dir: str | Path, week_label: str) -> Path:
    """Where the roster of `week_label` (e.g. 2026-W49) is written."""
    return Path(problem_dir) / ROSTERS / week_label


@contextlib.contextmanager
def folder_lock(problem_dir: str | Path, wait: float,
                on_wait: Callable[[float], None] | None = None) -> Iterator[float]:
    """One run at a time writes to a problem folder; yields the seconds spent waiting for another run.

    `on_wait(wait)` is told once when another run holds the folder. The OS frees the lock when
    a run dies, so a crashed run never leaves it stuck.
    """
    problem_dir = Path(problem_dir)
    lock = FileLock(problem_dir / LOCK_FILE)
    started = time.monotonic()
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait:
            on_wait(wait)
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise RosterLockedError(f"another roster run is still writing to {problem_dir} after {wait:g} s. "
                                    "Fix: wait for it to finish (or stop it), then run again") from None
    try:
        yield time.monotonic() - started
    finally:
        lock.release()
