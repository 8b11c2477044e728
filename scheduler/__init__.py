"""volunteer-roster: weekly duty rosters for community volunteer teams, optimised with CP-SAT.

The public library is `scheduler.api`, reachable from here: `scheduler.plan_week(folder)` does
what `roster solve FOLDER` does; `scheduler.load`, `scheduler.solve`, `scheduler.check`,
`scheduler.write` … plan a problem in memory; the errors are `scheduler.InputError` and its kin.
"""

from __future__ import annotations

__version__ = "0.1.0"

_NAMED_LIKE_MODULES = ("supply", "cover", "ledger", "generate")
"""Library functions that share their name with a module of the package: the function wins."""
_ERRORS = ("RosterError", "InputError", "RosterFileError", "RosterLockedError", "ProblemTooLargeError",
           "InternalCheckError", "Finding")


def __getattr__(name: str):
    # Re-exported lazily: `constraints` imports `scheduler.models`, and `scheduler.api` imports
    # `constraints`, so importing the API here eagerly would meet a half-initialised package.
    import importlib
    import importlib.util

    if name in _ERRORS:
        return getattr(importlib.import_module("scheduler.errors"), name)
    if name not in _NAMED_LIKE_MODULES and name != "__all__" and importlib.util.find_spec(f"{__name__}.{name}"):
        return importlib.import_module(f"{__name__}.{name}")  # `from scheduler import atomic` inside the package
    if name.startswith("_") and name != "__all__":
        raise AttributeError(f"module 'scheduler' has no attribute {name!r}")
    api = importlib.import_module("scheduler.api")
    if name == "__all__":
        return [*api.__all__, *_ERRORS]  # the public names are declared once, in scheduler.api
    if name in api.__all__:
        return getattr(api, name)
    raise AttributeError(f"module 'scheduler' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__getattr__("__all__")])
