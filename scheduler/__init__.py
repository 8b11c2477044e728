"""volunteer-roster: weekly duty rosters for community volunteer teams, optimised with CP-SAT.

The public library API (see `scheduler.api`): `load`, `validate`, `solve`, `check`, `write`,
`read_roster`, and the errors in `scheduler.errors`.
"""

from __future__ import annotations

__version__ = "0.1.0"

_API = {"load", "validate", "solve", "check", "write", "read_roster", "Validation"}
_ERRORS = {"RosterError", "InputError", "RosterFileError", "Finding"}


def __getattr__(name: str):
    # Imported lazily so that `import constraints` (which needs scheduler.models) never meets a
    # half-initialised package.
    if name in _API:
        from scheduler import api
        return getattr(api, name)
    if name in _ERRORS:
        from scheduler import errors
        return getattr(errors, name)
    raise AttributeError(f"module 'scheduler' has no attribute {name!r}")


__all__ = sorted(_API | _ERRORS)
