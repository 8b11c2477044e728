"""The one exception hierarchy of the library.

The library raises these and never prints or exits; the command line turns them into messages
and exit codes in one place (`scheduler.cli`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SHOWN_CHARACTERS = 40  # a longer value is cut: a garbled cell may hold a whole row of someone's data
LONG_NUMBER = re.compile(r"[0-9０-９]{7,}")  # phone and ID-card numbers: only their last 4 digits are shown


@dataclass(frozen=True)
class Finding:
    """One problem (or warning) found in the inputs, located the way a coordinator can find it.

    `row` is the row number as a spreadsheet shows it (the header row of a CSV is row 1), or a
    line number for YAML files; `column` is the header as written in the file. A text `value`
    is shown cut to 40 characters, with long numbers masked (a phone or ID-card number in the
    wrong cell never reaches a message), unless `value_is_id`: ids are shown as written.
    """

    file: str
    message: str
    fix: str = ""
    row: int | None = None
    column: str | None = None
    value: object = None
    value_is_id: bool = False

    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def shown_value(self) -> object:
        """The value as messages quote it: text cut short and its long numbers masked."""
        if not isinstance(self.value, str) or self.value_is_id:
            return self.value
        text = LONG_NUMBER.sub(lambda number: "*" * (len(number[0]) - 4) + number[0][-4:], self.value)
        return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.value is not None and self.value != "":
            text += f" (value: {self.shown_value()!r})"
        if self.fix:
            text += f". Fix: {self.fix}"
        return text


class RosterError(Exception):
    """Base of every error the library raises on purpose."""


class InputError(RosterError):
    """The inputs cannot be used. Carries every problem found, not just the first."""

    def __init__(self, findings: list[Finding], warnings: list[Finding] | None = None):
        self.findings = list(findings)
        self.warnings = list(warnings or [])
        count = len(self.findings)
        summary = f"{count} problem{'s' if count != 1 else ''} in the inputs"
        super().__init__(summary + ":\n" + "\n".join(f"  - {f}" for f in self.findings))


class RosterFileError(RosterError):
    """A roster file (ours or hand-edited) cannot be read."""


class ProblemTooLargeError(RosterError):
    """The problem would not fit this machine's memory or time limit."""


class RosterLockedError(RosterError):
    """Another run is writing the same roster folder."""


class OutputError(RosterError):
    """The outputs cannot be written where asked (read-only folder, full disk); nothing was changed there."""


class InternalCheckError(RosterError):
    """The engine produced a roster that the catalogue's checks reject: a defect of the tool, never of
    the inputs. The roster is not returned (so never written); `violations` says what broke."""

    def __init__(self, violations: list, detail: str = ""):
        self.violations = list(violations)
        lines = [f"  - {v}" for v in self.violations[:20]]
        if len(self.violations) > 20:
            lines.append(f"  … and {len(self.violations) - 20} more")
        what = detail or f"the planned roster breaks {len(self.violations)} hard rule check(s)"
        super().__init__(f"{what}; nothing was written. Please report this with the problem folder"
                         + (":\n" + "\n".join(lines) if lines else ""))
