"""volunteer-roster: weekly duty rosters for community volunteer teams, optimised with CP-SAT.

The public library API lives in `scheduler.api` and is reachable from here too:
`scheduler.load`, `scheduler.solve`, `scheduler.check`, `scheduler.write`, `scheduler.diff`,
`scheduler.hours`, … and the errors of `scheduler.errors` (`scheduler.InputError`, …).
"""

from __future__ import annotations

__version__ = "0.1.0"

_ERRORS = {"RosterError", "InputError", "RosterFileError", "RosterLockedError", "ProblemTooLargeError", "Finding"}


def _public_api() -> set[str]:
    """The library functions: what `scheduler.api` defines itself, not what it imports."""
    import importlib
    import inspect

    api = importlib.import_module("scheduler.api")
    return {name for name, value in vars(api).items()
            if not name.startswith("_") and (inspect.isfunction(value) or inspect.isclass(value))
            and value.__module__ == api.__name__} | {"load"}


def __getattr__(name: str):
    # Imported lazily so that `import constraints` (which needs scheduler.models) never meets a
    # half-initialised package.
    import importlib

    if name in _ERRORS:
        return getattr(importlib.import_module("scheduler.errors"), name)
    if not name.startswith("_") and name in _public_api():
        return getattr(importlib.import_module("scheduler.api"), name)
    raise AttributeError(f"module 'scheduler' has no attribute {name!r}")
