"""Every human-facing word of the outputs, in Chinese (`zh`) and English (`en`).

One dict per language (`scheduler.render.zh`, `scheduler.render.en`), keyed by dotted names so that `grep 'unmet.female'` finds both the text
and its uses. `t(lang, key, **kw)` fills in the blanks. An English entry may be a pair
`(singular, plural)`: `t` picks by the keyword `n`. Chinese needs no plurals.

Machine-read headers (`assignments.csv`, `roster.json`) stay the spec's English field names and
are not here: they must read back whatever the language.
"""

from __future__ import annotations

import datetime as dt

from scheduler.loading.headings import LANGUAGES, WEEKDAY_NAMES
from scheduler.render.en import EN
from scheduler.render.zh import ZH

TEXTS = {"zh": ZH, "en": EN}


def check_lang(lang: str) -> str:
    """The language itself when it is one we have, else a ValueError saying which ones exist."""
    if lang not in TEXTS:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


def t(lang: str, key: str, /, **kw: object) -> str:
    """The text for `key` in `lang`, blanks filled from `kw`; a (singular, plural) pair picks by `n`."""
    text = TEXTS[check_lang(lang)][key]
    if isinstance(text, tuple):
        text = text[0] if kw.get("n") == 1 else text[1]
    return text.format(**kw)


def has(lang: str, key: str) -> bool:
    """Whether `lang` has a text for `key` (optional entries such as tag or solver-status names)."""
    return key in TEXTS[check_lang(lang)]


def weekday(lang: str, day: dt.date) -> str:
    """`周一` / `Mon` for a date."""
    return WEEKDAY_NAMES[check_lang(lang)][day.weekday()]


def date_header(lang: str, day: dt.date) -> str:
    """A duty-table column header: `11-30 周一` / `Mon 11-30`."""
    return t(lang, "duty.date_header", month_day=day.strftime("%m-%d"), weekday=weekday(lang, day))


def day_label(lang: str, day: dt.date) -> str:
    """A full date with its weekday: `2026-11-30 周一` / `Mon 2026-11-30`."""
    return t(lang, "duty.date_header", month_day=day.isoformat(), weekday=weekday(lang, day))


def day_label_text(lang: str, iso: str) -> str:
    """`day_label` for an ISO date string; anything unparsable is shown as it is."""
    try:
        return day_label(lang, dt.date.fromisoformat(iso))
    except ValueError:
        return iso


def tag_label(lang: str, tag: str) -> str:
    """A skill or role tag in words when we know it (`first_aid` -> `急救技能`), else the tag itself."""
    key = f"tag.{tag}"
    return t(lang, key) if has(lang, key) else tag


def unmet_text(lang: str, unmet: dict[str, int]) -> str:
    """What an unfilled shift still lacks: `缺女性1人、缺急救技能1人` / `1 woman missing, 1 first_aid missing`."""
    parts = []
    for what, n in unmet.items():
        if what in ("female", "male"):
            parts.append(t(lang, f"unmet.{what}", n=n))
        else:
            parts.append(t(lang, "unmet.tag", n=n, tag=tag_label(lang, what)))
    return t(lang, "join.items").join(parts)


def status_word(lang: str, status: str) -> str:
    """`完整`/`部分` or `complete`/`partial` for a roster status."""
    return t(lang, f"status.{status}") if has(lang, f"status.{status}") else status


def solver_status(lang: str, status: str) -> str:
    """CP-SAT's status in words where we have them: `最优（OPTIMAL）`; English keeps the status as is."""
    key = f"solver.{status}"
    return t(lang, key) if has(lang, key) else status
