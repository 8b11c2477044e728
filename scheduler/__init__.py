"""volunteer-roster: weekly duty rosters for community volunteer teams, optimised with CP-SAT.

The public library is `scheduler.api`, reachable from here: `scheduler.plan_week(folder)` does
what `roster solve FOLDER` does; `scheduler.load`, `scheduler.solve`, `scheduler.check`,
`scheduler.write` … plan a problem in memory; the errors are `scheduler.InputError` and its kin.
"""

from __future__ import annotations

__version__ = "0.1.0"

_ERRORS = ("RosterError", "InputError", "RosterFileError", "RosterLockedError", "ProblemTooLargeError", "Finding")
_API = (
    "plan_week", "WeekPlan",
    "load", "validate", "Validation", "supply", "Supply", "load_history", "load_baseline", "find_locks",
    "plan_context",
    "solve", "Stopper", "Progress", "check", "write", "read_roster", "read_week_roster",
    "explain_volunteer", "explain_shift", "explain_objective", "cover", "apply_cover",
    "diff", "ledger", "hours", "generate",
)
__all__ = [*_API, *_ERRORS]


def __getattr__(name: str):
    # Re-exported lazily: `constraints` imports `scheduler.models`, and `scheduler.api` imports
    # `constraints`, so importing the API here eagerly would meet a half-initialised package.
    import importlib

    if name in _ERRORS:
        return getattr(importlib.import_module("scheduler.errors"), name)
    if name in _API:
        return getattr(importlib.import_module("scheduler.api"), name)
    raise AttributeError(f"module 'scheduler' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
