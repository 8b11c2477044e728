"""Parsing single register cells: gender, health, yes/no, lists, whole numbers, dates.

Every parser takes the text of one cell and either returns a value or raises `BadValue`, whose
code and blanks end up in a `Finding` (the words are `scheduler.render`'s). Cells are expected to
be NFKC-normalised already (`normalize`), so full-width digits and punctuation (`０７：００`,
`，`, `；`) arrive as their ASCII forms; the parsers still accept the full-width separators in
case a caller skipped that step.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from scheduler.domain.errors import Finding
from scheduler.domain.models import Gender, Health


class BadValue(ValueError):
    """A cell value that cannot be used: the code of what is wrong (`input.value.…`) and its blanks."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params: dict[str, Any] = params

    @property
    def message(self) -> str:
        """What is wrong, in English (for library users and logs)."""
        return Finding(file="", code=self.code, params=self.params).message

    @property
    def fix(self) -> str:
        return Finding(file="", code=self.code, params=self.params).fix

    def __str__(self) -> str:
        return self.message


class ImpossibleDate(BadValue):
    """A date written correctly that does not exist, such as `1958-02-30`."""


def normalize(text: object) -> str:
    """NFKC-normalise and strip a cell: full-width `０７：００` becomes `07:00`, Chinese text is unchanged."""
    if text is None:
        return ""
    return unicodedata.normalize("NFKC", str(text)).strip()


def is_empty(text: str) -> bool:
    return not text or text.isspace()


# ----------------------------------------------------------------------------- enumerations

_GENDERS = {
    "f": Gender.FEMALE, "female": Gender.FEMALE, "女": Gender.FEMALE, "女性": Gender.FEMALE,
    "m": Gender.MALE, "male": Gender.MALE, "男": Gender.MALE, "男性": Gender.MALE,
}

_HEALTH = {
    "good": Health.GOOD, "良好": Health.GOOD, "好": Health.GOOD, "良": Health.GOOD, "健康": Health.GOOD,
    "fair": Health.FAIR, "一般": Health.FAIR, "中": Health.FAIR, "尚可": Health.FAIR,
    "poor": Health.POOR, "较差": Health.POOR, "差": Health.POOR,
}

_YES = {"yes", "y", "true", "1", "是", "在册", "在", "有效", "active"}
_NO = {"no", "n", "false", "0", "否", "不在册", "离册", "无效", "停用", "inactive"}


def parse_gender(text: str) -> Gender:
    """`F`/`M`, `female`/`male`, `女`/`男` in any case."""
    key = normalize(text).casefold()
    if key in _GENDERS:
        return _GENDERS[key]
    if not key:
        raise BadValue("input.value.gender_empty")
    raise BadValue("input.value.gender")


def parse_health(text: str) -> Health:
    """`good`/`fair`/`poor` or `良好`/`一般`/`较差`; empty means good."""
    key = normalize(text).casefold()
    if not key:
        return Health.GOOD
    if key in _HEALTH:
        return _HEALTH[key]
    raise BadValue("input.value.health")


def parse_active(text: str) -> bool:
    """`yes`/`no`, `是`/`否`, `1`/`0`, `true`/`false`, `在册`/`不在册`; empty means yes."""
    key = normalize(text).casefold()
    if not key or key in _YES:
        return True
    if key in _NO:
        return False
    raise BadValue("input.value.active")


# ----------------------------------------------------------------------------- lists and numbers

_LIST_SEPARATORS = re.compile(r"[;；、|｜,，\n]")


def parse_tags(text: str) -> frozenset[str]:
    """A list such as `civility; service` or `急救、英语`: separated by `;` `；` `、` `|` `,` `，`."""
    return frozenset(part.strip() for part in _LIST_SEPARATORS.split(normalize(text)) if part.strip())


_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]*)?")


def parse_count(text: str) -> int | None:
    """A whole number 0 or more (`2`, `2.0`) for `max_shifts_per_week`; empty means none given."""
    cleaned = normalize(text)
    if not cleaned:
        return None
    number = _whole_number(cleaned)
    if number is None or number < 0:
        raise BadValue("input.value.max_shifts")
    return number


def parse_age(text: str) -> int | None:
    """Age in whole years, 0 to 120 (`67`, `67.0`, `67岁`); empty means none given."""
    cleaned = normalize(text).removesuffix("岁").strip()
    if not cleaned:
        return None
    number = _whole_number(cleaned)
    if number is None or not 0 <= number <= 120:
        raise BadValue("input.value.age")
    return number


def _whole_number(text: str) -> int | None:
    """`2` or `2.0` -> 2; `2.5`, `two` -> None (spreadsheets often turn 2 into 2.0)."""
    if not _NUMBER.fullmatch(text):
        return None
    number = float(text)
    return int(number) if number.is_integer() else None


# ----------------------------------------------------------------------------- dates

# 1958-03-12, 1958/3/12, 1958.3.12, 1958-03, 1958.03, 1958年3月, 1958年3月12日 (also 号)
_DATE_PARTS = re.compile(
    r"(?P<y>[0-9]{4})\s*[-/.年]\s*(?P<m>[0-9]{1,2})\s*"
    r"(?:月|[-/.月]\s*(?P<d>[0-9]{1,2})\s*[日号]?)?"
)
_COMPACT = re.compile(r"(?P<y>(?:19|20)[0-9]{2})(?P<m>[0-9]{2})(?P<d>[0-9]{2})?")  # 19580312, 195803
_SERIAL = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")  # an Excel date serial such as 21256 (1958-03-12)
_TIME_OF_DAY = re.compile(r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(text: str, *, month_alone: bool = False) -> dt.date:
    """One date in any of the register's forms; with `month_alone`, `1958-03` means 1958-03-01.

    Accepted: `1958-03-12`, `1958/3/12`, `1958.3.12`, `1958年3月12日`, `19580312`, Excel serial
    numbers (`21256`), and ISO date-times whose time is ignored; with `month_alone` also
    `1958-03`, `1958.03`, `1958年3月`, `195803` (a birth date's forms, and its words in messages).
    """
    cleaned = _TIME_OF_DAY.sub("", normalize(text))
    parts = _DATE_PARTS.fullmatch(cleaned) or _COMPACT.fullmatch(cleaned)
    if parts is None and _SERIAL.fullmatch(cleaned):
        return _EXCEL_EPOCH + dt.timedelta(days=int(float(cleaned)))
    if parts is None or (parts["d"] is None and not month_alone):
        raise BadValue("input.value.birth_date_not_a_date" if month_alone else "input.value.not_a_date")
    try:
        return dt.date(int(parts["y"]), int(parts["m"]), int(parts["d"] or 1))
    except ValueError:
        raise ImpossibleDate("input.value.birth_date_impossible" if month_alone
                             else "input.value.date_impossible") from None


def parse_birth_date(text: str, today: dt.date) -> dt.date | None:
    """A birth date (a month alone means its 1st), not in the future nor more than 120 years ago."""
    if is_empty(text):
        return None
    born = parse_date(text, month_alone=True)
    if born > today:
        raise BadValue("input.value.birth_date_future")
    if today.year - born.year - ((today.month, today.day) < (born.month, born.day)) > 120:
        raise BadValue("input.value.birth_date_too_old")
    return born
