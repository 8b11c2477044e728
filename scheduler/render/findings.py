"""Findings in words: a `Finding`'s code and blanks become a Chinese or English line.

The stages below hand over codes (`input.register.no_volunteers`) with their blanks; this module
looks the words up in `zh.py` / `en.py` (a finding's fix is the entry `<code>.fix`), fills the
blanks (phrases, lists and dates in the same language) and places the finding: the file, the row
as a spreadsheet shows it, the column as written, the value. Values and message texts go through
`scheduler.domain.errors.mask`, so a phone number in a wrong cell is never shown whole.

Importing this module makes `str(finding)` read English (`scheduler/__init__.py` does so).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from scheduler.domain.errors import Finding, InputError, Listing, Phrase, shown_text, speak_english_with
from scheduler.render.texts import day_label, has, t


def blank_text(lang: str, value: object) -> object:
    """One blank as the language shows it: a phrase in words, a list joined, a date with its weekday, a
    broken rule in words."""
    if isinstance(value, Phrase):
        return phrase_text(lang, value)
    if isinstance(value, Listing):
        return t(lang, value.join).join(str(blank_text(lang, item)) for item in value.items)
    if isinstance(value, (list, tuple)):
        return t(lang, "join.items").join(str(blank_text(lang, item)) for item in value)
    if isinstance(value, dt.date):
        return day_label(lang, value)
    # A rule that locks break together. Imported here: the package imports this module first thing, and the
    # catalogue (`constraints`) may be what is being imported then.
    from constraints import Violation
    from scheduler.render.violations import violation_sentence

    if isinstance(value, Violation):
        return violation_sentence(value, lang)
    return value


def _blanks(lang: str, params: Mapping[str, object]) -> dict[str, object]:
    return {name: blank_text(lang, value) for name, value in params.items()}


def phrase_text(lang: str, phrase: Phrase) -> str:
    return t(lang, phrase.code, **_blanks(lang, phrase.params))


def message_text(finding: Finding, lang: str) -> str:
    """What is wrong, in `lang` (not yet masked)."""
    return t(lang, finding.code, **_blanks(lang, finding.params))


def fix_text(finding: Finding, lang: str) -> str:
    """How to fix it, in `lang`; "" for a finding without a fix."""
    key = f"{finding.code}.fix"
    return t(lang, key, **_blanks(lang, finding.params)) if has(lang, key) else ""


def location_text(finding: Finding, lang: str) -> str:
    """`volunteers.csv, row 3, column 'gender'` / `volunteers.csv，第 3 行，列「性别」`."""
    parts = [str(finding.file)]
    if finding.row is not None:
        parts.append(t(lang, "finding.row", row=finding.row))
    if finding.column:
        parts.append(t(lang, "finding.column", column=finding.column))
    return t(lang, "finding.sep").join(parts)


def shown_message(finding: Finding, lang: str) -> str:
    """The message as it may be shown: phone-like numbers masked (unless the finding quotes an id)."""
    return shown_text(finding, message_text(finding, lang))


def finding_text(finding: Finding, lang: str) -> str:
    """One finding on one line: where, what, the value, how to fix it."""
    text = t(lang, "finding.line", location=location_text(finding, lang), message=shown_message(finding, lang))
    if finding.value is not None and finding.value != "":
        text += t(lang, "finding.value", value=finding.shown_value())
    fix = fix_text(finding, lang)
    if fix:
        text += t(lang, "finding.how", fix=fix)
    return text


def finding_lines(findings: Iterable[Finding], lang: str) -> list[str]:
    return [f"  - {finding_text(finding, lang)}" for finding in findings]


def findings_text(error: InputError, lang: str) -> str:
    """Every problem of an InputError, after a line counting them, in `lang`."""
    count = len(error.findings)
    return "\n".join([t(lang, "finding.count", n=count), *finding_lines(error.findings, lang)])


def _english(finding: Finding) -> tuple[str, str]:
    return message_text(finding, "en"), fix_text(finding, "en")


speak_english_with(_english)
