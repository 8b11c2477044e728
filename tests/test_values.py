"""Single register cells: gender, health, yes/no, lists, numbers and dates."""

import datetime as dt

import pytest

from scheduler.domain.models import Gender, Health
from scheduler.loading.values import (
    BadValue,
    normalize,
    parse_active,
    parse_age,
    parse_birth_date,
    parse_count,
    parse_date,
    parse_gender,
    parse_health,
    parse_tags,
)

TODAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize("text, expected", [
    ("F", Gender.FEMALE), ("f", Gender.FEMALE), ("female", Gender.FEMALE), ("Female", Gender.FEMALE),
    ("女", Gender.FEMALE), (" 女 ", Gender.FEMALE), ("Ｆ", Gender.FEMALE),
    ("M", Gender.MALE), ("MALE", Gender.MALE), ("男", Gender.MALE), ("男性", Gender.MALE),
])
def test_gender_forms(text, expected):
    assert parse_gender(text) == expected


def test_unknown_gender_has_the_exact_message():
    with pytest.raises(BadValue) as caught:
        parse_gender("X")
    assert caught.value.message == "gender must be F or M (女/男)"
    assert caught.value.fix == "write 女 or 男 (or F / M)"


def test_empty_gender_is_refused():
    with pytest.raises(BadValue, match="gender is empty"):
        parse_gender("")


@pytest.mark.parametrize("text, expected", [
    ("", Health.GOOD), ("good", Health.GOOD), ("GOOD", Health.GOOD), ("良好", Health.GOOD), ("好", Health.GOOD),
    ("fair", Health.FAIR), ("一般", Health.FAIR),
    ("poor", Health.POOR), ("较差", Health.POOR), ("差", Health.POOR),
])
def test_health_forms(text, expected):
    assert parse_health(text) == expected


def test_unknown_health_has_the_exact_message():
    with pytest.raises(BadValue) as caught:
        parse_health("很好")
    assert caught.value.message == "health must be good, fair or poor (良好/一般/较差)"
    assert caught.value.fix == "write 良好, 一般 or 较差 (or good / fair / poor), or leave it empty for 良好"


@pytest.mark.parametrize("text", ["", "yes", "Y", "true", "TRUE", "1", "是", "在册"])
def test_active_yes(text):
    assert parse_active(text) is True


@pytest.mark.parametrize("text", ["no", "N", "false", "0", "否", "不在册"])
def test_active_no(text):
    assert parse_active(text) is False


def test_unknown_active_has_the_exact_message():
    with pytest.raises(BadValue) as caught:
        parse_active("maybe")
    assert caught.value.message == "active must be yes or no (是/否)"


@pytest.mark.parametrize("text", [
    "civility;service", "civility；service", "civility、service", "civility|service",
    "civility,service", "civility，service", " civility ; service ; ", "civility;;service",
])
def test_list_separators(text):
    assert parse_tags(text) == {"civility", "service"}


def test_empty_list():
    assert parse_tags("") == frozenset()


@pytest.mark.parametrize("text, expected", [("", None), ("2", 2), ("2.0", 2), ("0", 0), ("２", 2), (" 3 ", 3)])
def test_count(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", ["-1", "2.5", "two", "两"])
def test_bad_count_has_the_exact_message(text):
    with pytest.raises(BadValue) as caught:
        parse_count(text)
    assert caught.value.message == "max_shifts_per_week must be a whole number, 0 or more"


@pytest.mark.parametrize("text, expected", [("67", 67), ("67.0", 67), ("67岁", 67), ("", None), ("120", 120)])
def test_age(text, expected):
    assert parse_age(text) == expected


@pytest.mark.parametrize("text", ["121", "-3", "sixty", "67.5"])
def test_bad_age_has_the_exact_message(text):
    with pytest.raises(BadValue) as caught:
        parse_age(text)
    assert caught.value.message == "age must be a whole number from 0 to 120"


@pytest.mark.parametrize("text, expected", [
    ("1958-03-12", dt.date(1958, 3, 12)),
    ("1958/3/12", dt.date(1958, 3, 12)),
    ("1958.3.12", dt.date(1958, 3, 12)),
    ("1958.03", dt.date(1958, 3, 1)),
    ("1958-03", dt.date(1958, 3, 1)),
    ("1958/3", dt.date(1958, 3, 1)),
    ("1958年3月", dt.date(1958, 3, 1)),
    ("1958年3月12日", dt.date(1958, 3, 12)),
    ("1958年03月12号", dt.date(1958, 3, 12)),
    ("19580312", dt.date(1958, 3, 12)),
    ("195803", dt.date(1958, 3, 1)),
    ("21256", dt.date(1958, 3, 12)),  # an Excel serial date
    ("21256.0", dt.date(1958, 3, 12)),
    ("1958-03-12 00:00:00", dt.date(1958, 3, 12)),
    ("１９５８－０３－１２", dt.date(1958, 3, 12)),
])
def test_birth_date_forms(text, expected):
    assert parse_birth_date(text, TODAY) == expected


def test_empty_birth_date_is_none():
    assert parse_birth_date("", TODAY) is None


@pytest.mark.parametrize("text, message", [
    ("1958-02-30", "birth_date is not a real date"),
    ("1958-13-01", "birth_date is not a real date"),
    ("1958年13月", "birth_date is not a real date"),
    ("2030-01-01", "birth_date is in the future"),
    ("1900-01-01", "birth_date makes the volunteer older than 120"),
    ("last spring", "birth_date is not a date"),
    ("1958", "birth_date is not a date"),
])
def test_bad_birth_dates(text, message):
    with pytest.raises(BadValue) as caught:
        parse_birth_date(text, TODAY)
    assert caught.value.message == message


def test_a_plain_date_needs_its_day():
    with pytest.raises(BadValue, match="date is not a date"):
        parse_date("2026-12")


def test_normalize_turns_full_width_into_ascii_and_keeps_chinese():
    assert normalize("　０７：００－１１：３０，周一　") == "07:00-11:30,周一"
    assert normalize(None) == ""
