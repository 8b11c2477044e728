"""The one exception hierarchy of the library.

The library raises these and never prints or exits; the command line turns them into messages
and exit codes in one place (`scheduler.cli`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

SHOWN_CHARACTERS = 40  # a longer value is cut: a garbled cell may hold a whole row of someone's data
LONG_NUMBER = re.compile(r"[0-9０-９]{7,}")  # kept for callers: a plain run of 7 or more digits

# Phone-like numbers: 7 or more digits, in groups joined by one space, dash or dot (`139 1234 5678`,
# `021-6543-2100`, `139.1234.5678`), with an optional country code (`+86-139-…`, `0086 139…`,
# `(+86)139…`). Full-width digits count too. Only the last 4 digits are shown.
_DIGIT = "[0-9０-９]"
_JOIN = "[ \u3000\\-－.．]"
_PHONE_LIKE = re.compile(
    rf"(?:(?:[+＋]|00)\s?86\s?[)）]?{_JOIN}?|[(（][+＋]?86[)）]{_JOIN}?)?"
    rf"(?<![0-9０-９])[(（]?{_DIGIT}(?:[)）]?{_JOIN}?{_DIGIT}){{6,}}(?![0-9０-９])"
)
# A date or a range of dates (`2026-12-08`, `2026.12.8-2026.12.9`) looks like a digit group but is
# no phone: it is shown as written.
_DATES = re.compile(r"\d{4}[-.]\d{1,2}[-.]\d{1,2}(?:[-.]\d{4}[-.]\d{1,2}[-.]\d{1,2})?")


def _mask_number(number: re.Match) -> str:
    text = number[0]
    plain = re.sub(r"[()（）]", "", text.translate(_FULL_WIDTH))
    if _DATES.fullmatch(plain):
        return text
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    hidden = set(digits[:-4])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


_FULL_WIDTH = str.maketrans("０１２３４５６７８９－．", "0123456789-.")


def mask(text: object, limit: int | None = SHOWN_CHARACTERS) -> str:
    """Text made safe to show or share: phone-like numbers masked, then cut to `limit` characters.

    `13912345678`, `139 1234 5678` and `+86-139-1234-5678` become `*******5678`,
    `*** **** 5678` and `+**-***-****-5678`; dates stay readable. Every message about inputs
    (`Finding`) and every internal-error report goes through here.
    """
    shown = _PHONE_LIKE.sub(_mask_number, str(text))
    if limit is not None and len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return shown


@dataclass(frozen=True)
class Phrase:
    """Words in no language yet: a key of the words catalogue (`scheduler.render`) and its blanks.

    A finding's blanks may hold phrases themselves (`shift 'gate-am'`, a column's name), rendered
    in the same language as the finding.
    """

    code: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Listing:
    """Several blanks shown as one list, joined the language's way (`join` names the joining words:
    `join.items` is `, ` in English and `、` in Chinese). The items may be texts, phrases or dates."""

    items: tuple[object, ...]
    join: str = "join.items"


# The words of the English renderer, installed by `scheduler.render.findings` when the package is
# imported (`scheduler/__init__.py`): the domain knows no words, yet `str(finding)` reads English.
_ENGLISH: list[Callable[[Finding], tuple[str, str]]] = []


def speak_english_with(words: Callable[[Finding], tuple[str, str]]) -> None:
    """Install the function that gives a finding's English (message, fix); the render layer calls this."""
    _ENGLISH[:] = [words]


@dataclass(frozen=True)
class Finding:
    """One problem (or warning) found in the inputs, located the way a coordinator can find it.

    `code` names what is wrong (`input.register.no_volunteers`, a key of the words catalogue) and
    `params` fills its blanks; `scheduler.render.findings` turns both into a Chinese or English
    line, and `message`, `fix` and `str()` give the English for library users and logs.
    `row` is the row number as a spreadsheet shows it (the header row of a CSV is row 1), or a
    line number for YAML files; `column` is the header as written in the file. A text `value`
    is shown cut to 40 characters, with long numbers masked (a phone or ID-card number in the
    wrong cell never reaches a message), unless `value_is_id`: ids are shown as written.
    """

    file: str
    code: str = ""
    params: Mapping[str, object] = field(default_factory=dict, hash=False)
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
        return mask(self.value)

    def _english(self) -> tuple[str, str]:
        if not _ENGLISH:
            return self.code + (f" {dict(self.params)}" if self.params else ""), ""
        return _ENGLISH[0](self)

    @property
    def message(self) -> str:
        """What is wrong, in English (unmasked: `shown_message` is what may be shown)."""
        return self._english()[0]

    @property
    def fix(self) -> str:
        """How to fix it, in English ("" when there is nothing to do)."""
        return self._english()[1]

    def shown_message(self) -> str:
        """The message, its phone-like numbers masked too: parsers quote the part of a cell they refuse."""
        return shown_text(self, self.message)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.shown_message()}"
        if self.value is not None and self.value != "":
            text += f" (value: {self.shown_value()!r})"
        fix = self.fix
        if fix:
            text += f". Fix: {fix}"
        return text


def shown_text(finding: Finding, message: str) -> str:
    """A finding's message in any language as it may be shown: phone-like numbers masked, unless the
    finding quotes an id (ids are shown as written)."""
    return message if finding.value_is_id else mask(message, limit=None)


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
