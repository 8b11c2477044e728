"""The shifts file: every validation message, YAML 1.1 times, weekday forms, JSON, line numbers.

Each message is asserted exactly, with the row (the YAML line of the offending key), the column
and the value, because these sentences are what a coordinator reads.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest

from scheduler.domain.models import Health
from scheduler.loading.documents import DocumentError, _LineLoader, _plain
from scheduler.loading.shifts import load_shifts, parse_shifts, parse_time

VALID = """
shifts:
  - id: gate
    name: East gate
    days: [Mon]
    start: "07:00"
    end: "09:00"
    need: 2
"""


def write(tmp_path: Path, text: str, name: str = "shifts.yaml") -> Path:
    """Write a shifts file; the first line of `text` after the opening newline is line 1."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def entry(**keys) -> str:
    """A one-entry shifts file; keys override or (with None) drop the valid entry's keys, in order."""
    fields = {"id": "gate", "name": "East gate", "days": "[Mon]", "start": '"07:00"', "end": '"09:00"', "need": "2"}
    fields.update(keys)
    lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
    return "shifts:\n  - " + "\n    ".join(lines) + "\n"


def load(tmp_path: Path, text: str, name: str = "shifts.yaml"):
    return load_shifts(write(tmp_path, text, name))


def facts(finding) -> tuple:
    """Everything a finding says except its file."""
    return finding.row, finding.column, finding.value, finding.message, finding.fix


def only(findings) -> tuple:
    assert len(findings) == 1, [str(f) for f in findings]
    return facts(findings[0])


# ---------------------------------------------------------------------------------- a good file


def test_a_valid_entry_becomes_a_definition_with_defaults(tmp_path):
    definitions, findings = load(tmp_path, VALID)
    assert findings == []
    (gate,) = definitions
    assert gate.id == "gate" and gate.name == "East gate"
    assert gate.days == frozenset({0}) and gate.dates == ()
    assert (gate.start, gate.end) == (7 * 60, 9 * 60)
    assert (gate.need, gate.max) == (2, 2)  # max defaults to need
    assert gate.kind == "" and gate.post == "" and gate.teams == frozenset()
    assert gate.min_age is None and gate.max_age is None and gate.min_health is None
    assert (gate.min_female, gate.min_male, gate.require) == (0, 0, {})
    assert gate.line == 2


def test_every_key_is_read(tmp_path):
    definitions, findings = load(tmp_path, """
        shifts:
          - id: east-gate-am
            name: 东门文明劝导
            kind: patrol
            post: east-gate
            teams: [civility, service]
            days: [Mon, Tue]
            dates: [2026-12-05]
            start: "07:00"
            end: "09:00"
            need: 2
            max: 3
            min_age: 18
            max_age: 75
            min_health: fair
            min_female: 1
            min_male: 1
            require: {first_aid: 1, english: 0}
        """)
    assert findings == []
    (d,) = definitions
    assert d.name == "东门文明劝导" and d.kind == "patrol" and d.post == "east-gate"
    assert d.teams == frozenset({"civility", "service"})
    assert d.days == frozenset({0, 1}) and d.dates == (dt.date(2026, 12, 5),)
    assert (d.need, d.max, d.min_age, d.max_age) == (2, 3, 18, 75)
    assert d.min_health is Health.FAIR
    assert (d.min_female, d.min_male) == (1, 1)
    assert d.require == {"first_aid": 1}  # a count of 0 asks for nothing


def test_name_defaults_to_the_id_and_chinese_health_words_are_read(tmp_path):
    definitions, findings = load(tmp_path, entry(name=None, min_health="一般"))
    assert findings == []
    assert definitions[0].name == "gate" and definitions[0].min_health is Health.FAIR


def test_a_quoted_number_counts(tmp_path):
    definitions, findings = load(tmp_path, entry(need='"3"'))
    assert findings == [] and definitions[0].need == 3


def test_a_leading_zero_is_not_yaml_1_1_octal(tmp_path):
    # Plain YAML 1.1 would read 010 as octal 8.
    definitions, findings = load(tmp_path, entry(need="010", max="012"))
    assert findings == [] and (definitions[0].need, definitions[0].max) == (10, 12)


def test_a_bare_list_without_the_shifts_key_is_accepted(tmp_path):
    definitions, findings = load(tmp_path, """
        - id: gate
          days: [Mon]
          start: "07:00"
          end: "09:00"
          need: 1
        """)
    assert findings == [] and [d.id for d in definitions] == ["gate"]


# ------------------------------------------------------------------------------ id messages


def test_missing_id(tmp_path):
    findings = load(tmp_path, entry(id=None))[1]
    # Without an id the entry is named by its position; the row is the entry's first line.
    assert only(findings) == (2, "id", None, "shift entry 1: the id is missing",
                              "give every shift a unique id such as east-gate-am")


def test_at_sign_in_id(tmp_path):
    path = write(tmp_path, entry(id="gate@mon"))
    (finding,) = load_shifts(path)[1]
    assert str(finding) == (f"{path}, row 2, column 'id': shift 'gate@mon': an id cannot contain '@' "
                            "(value: 'gate@mon'). Fix: use letters, digits and dashes")


def test_duplicate_id_names_the_line_of_the_first(tmp_path):
    definitions, findings = load(tmp_path, """
        shifts:
          - id: gate
            days: [Mon]
            start: "07:00"
            end: "09:00"
            need: 1
          - id: gate
            days: [Tue]
            start: "07:00"
            end: "09:00"
            need: 1
        """)
    assert only(findings) == (7, "id", "gate", "the shift id 'gate' is used twice (also on line 2)",
                              "give each shift its own id")
    assert [d.days for d in definitions] == [frozenset({0})]  # the first one is kept


# ----------------------------------------------------------------------------- time messages


@pytest.mark.parametrize("key", ["start", "end"])
def test_missing_time(tmp_path, key):
    findings = load(tmp_path, entry(**{key: None}))[1]
    assert only(findings) == (2, key, None, f"shift 'gate': {key} is missing or not a time",
                              'write it as "07:00" (24-hour clock)')


@pytest.mark.parametrize("written, value", [
    ('"7am"', "7am"), ('"25:00"', "25:00"), ('"07:60"', "07:60"), ('"07:5"', "07:5"), ("seven", "seven"),
])
def test_start_that_is_not_a_time(tmp_path, written, value):
    findings = load(tmp_path, entry(start=written))[1]
    assert only(findings) == (5, "start", value, "shift 'gate': start is missing or not a time",
                              'write it as "07:00" (24-hour clock)')


def test_end_equal_to_start(tmp_path):
    findings = load(tmp_path, entry(end='"07:00"'))[1]
    assert only(findings) == (6, "end", "07:00", "shift 'gate': end equals start, so the shift has no length",
                              "give the real end time; an end before the start means the shift runs past midnight")


def test_unquoted_times_are_read_as_written_not_as_yaml_1_1_base_60(tmp_path):
    # Plain YAML 1.1 would read an unquoted 18:00 as the integer 1080 (18 * 60); the loader keeps the text.
    definitions, findings = load(tmp_path, entry(start="07:00", end="18:00"))
    assert findings == []
    assert (definitions[0].start, definitions[0].end) == (7 * 60, 18 * 60)


@pytest.mark.parametrize("start, end, minutes", [
    ("16:30", "18:30", (990, 1110)),
    ('"16:30"', '"18:30"', (990, 1110)),
    ("'7:00'", "'9:15'", (420, 555)),
    ('"07：00"', '"09：00"', (420, 540)),  # a full-width colon typed with a Chinese keyboard
])
def test_time_forms(tmp_path, start, end, minutes):
    definitions, findings = load(tmp_path, entry(start=start, end=end))
    assert findings == []
    assert (definitions[0].start, definitions[0].end) == minutes


@pytest.mark.parametrize("end", ["24:00", '"24:00"'])
def test_24_00_ends_at_midnight(tmp_path, end):
    definitions, findings = load(tmp_path, entry(start='"22:00"', end=end))
    assert findings == []
    (d,) = definitions
    assert d.end == 0 and d.minutes == 120


@pytest.mark.parametrize("start", ['"24:00"', "24:00"])
def test_24_00_is_not_a_start(tmp_path, start):
    definitions, findings = load(tmp_path, entry(start=start, end='"02:00"'))
    assert [(f.row, f.column) for f in findings] == [(5, "start")]
    assert definitions == []
    assert only(findings) == (5, "start", "24:00", "shift 'gate': start cannot be 24:00",
                              "write 00:00 and put the shift on the next day")


def test_a_shift_past_midnight(tmp_path):
    definitions, findings = load(tmp_path, entry(start='"22:00"', end='"01:00"'))
    assert findings == []
    assert (definitions[0].start, definitions[0].end, definitions[0].minutes) == (22 * 60, 60, 180)


def test_parse_time_directly_takes_only_text():
    assert parse_time("07:00") == 420
    assert parse_time(" 7:00 ") == 420
    assert parse_time("07：00") == 420
    assert parse_time("24:00") == 1440  # an end at midnight; the shifts loader refuses it as a start
    # A bare number is never a time: not YAML 1.1's base-60 reading of 18:00, not hours, not minutes.
    assert parse_time(1080) is None
    assert parse_time(7) is None
    assert parse_time(420) is None
    assert parse_time(7.5) is None
    assert parse_time("0700") is None
    assert parse_time("7") is None
    assert parse_time(float("nan")) is None
    assert parse_time("24:01") is None
    assert parse_time(True) is None
    assert parse_time(None) is None
    assert parse_time(-5) is None


@pytest.mark.parametrize("written, shown", [("7", 7), ("0700", "0700"), ("700", 700), ("420", 420)])
def test_a_bare_number_is_never_silently_read_as_minutes(tmp_path, written, shown):
    definitions, findings = load(tmp_path, entry(start=written))
    read_as_seven = bool(definitions) and definitions[0].start == 7 * 60
    reported = any(f.column == "start" for f in findings)
    assert read_as_seven or reported
    # It is reported, shown as written (0700 is not YAML 1.1's octal 448).
    assert definitions == []
    assert only(findings) == (5, "start", shown, "shift 'gate': start is missing or not a time",
                              'write it as "07:00" (24-hour clock)')


def test_an_unquoted_bad_time_is_shown_as_written(tmp_path):
    findings = load(tmp_path, entry(start="25:00"))[1]
    assert only(findings)[2] == "25:00"
    assert only(findings) == (5, "start", "25:00", "shift 'gate': start is missing or not a time",
                              'write it as "07:00" (24-hour clock)')


# ------------------------------------------------------------------------------ days and dates


def test_neither_days_nor_dates(tmp_path):
    findings = load(tmp_path, entry(days=None))[1]
    assert only(findings) == (2, "days", None, "shift 'gate': the shift has neither days nor dates",
                              "add days: [Mon, ...] or dates: [2026-12-05]")


def test_unknown_weekday(tmp_path):
    findings = load(tmp_path, entry(days="[Mon, Funday]"))[1]
    assert only(findings) == (4, "days", "['Mon', 'Funday']", "shift 'gate': 'Funday' is not a weekday",
                              "use Mon..Sun or 周一..周日, e.g. [Mon, Tue] or Mon-Fri")


@pytest.mark.parametrize("written, bad", [('["2026-12-32"]', "2026-12-32"), ("[5 Dec]", "5 Dec")])
def test_bad_date(tmp_path, written, bad):
    findings = load(tmp_path, entry(days=None, dates=written))[1]
    # A bad date is reported once, not also as "neither days nor dates".
    assert only(findings) == (7, "dates", f"['{bad}']", f"shift 'gate': '{bad}' is not a date",
                              "write dates as 2026-12-05")


def test_an_unquoted_impossible_date_is_a_finding_not_a_crash(tmp_path):
    findings = load(tmp_path, entry(days=None, dates="[2026-02-30]"))[1]
    assert [(f.row, f.column) for f in findings] == [(7, "dates")]
    assert only(findings) == (7, "dates", "['2026-02-30']", "shift 'gate': '2026-02-30' is not a date",
                              "write dates as 2026-12-05")


@pytest.mark.parametrize("days, numbers", [
    ("Mon", {0}),
    ("[Mon]", {0}),
    ("[Monday]", {0}),
    ("[周一]", {0}),
    ("[星期一]", {0}),
    ("[周日]", {6}),
    ("[星期天]", {6}),
    ("Mon-Fri", {0, 1, 2, 3, 4}),
    ("[Mon - Wed]", {0, 1, 2}),
    ("周一至周五", {0, 1, 2, 3, 4}),
    ("周一到周三", {0, 1, 2}),
    ("工作日", {0, 1, 2, 3, 4}),
    ("weekdays", {0, 1, 2, 3, 4}),
    ("双休日", {5, 6}),
    ("weekends", {5, 6}),
    ("daily", {0, 1, 2, 3, 4, 5, 6}),
    ("每天", {0, 1, 2, 3, 4, 5, 6}),
    ("[Mon, Wed, Fri]", {0, 2, 4}),
    ('"Sat,Sun"', {5, 6}),
    ("周六、周日", {5, 6}),
    ("[Sat-Mon]", {5, 6, 0}),  # a range may wrap the week end
    ("[Mon-Tue, 周五]", {0, 1, 4}),
])
def test_weekday_forms(tmp_path, days, numbers):
    definitions, findings = load(tmp_path, entry(days=days))
    assert findings == []
    assert definitions[0].days == frozenset(numbers)


def test_dates_alone_and_days_with_dates(tmp_path):
    definitions, findings = load(tmp_path, entry(days=None, dates="[2026-12-05, '2026-12-06']"))
    assert findings == [] and definitions[0].dates == (dt.date(2026, 12, 5), dt.date(2026, 12, 6))
    definitions, findings = load(tmp_path, entry(days="[Mon]", dates="2026-12-05"))
    assert findings == []
    assert (definitions[0].days, definitions[0].dates) == (frozenset({0}), (dt.date(2026, 12, 5),))


# ------------------------------------------------------------------------------- counts


def test_need_missing(tmp_path):
    findings = load(tmp_path, entry(need=None))[1]
    assert only(findings) == (2, "need", None, "shift 'gate': need is missing",
                              "say how many people the shift wants, e.g. need: 2")


def test_need_above_max(tmp_path):
    findings = load(tmp_path, entry(need="3", max="2"))[1]
    assert only(findings) == (8, "max", 2, "shift 'gate': need (3) is above max (2)", "raise max or lower need")


def test_min_female_and_min_male_above_max(tmp_path):
    findings = load(tmp_path, entry(need="2", min_female="2", min_male="1"))[1]
    assert only(findings) == (8, "min_female", 2, "shift 'gate': min_female + min_male (3) is above max (2)",
                              "lower min_female/min_male or raise max")


def test_min_age_above_max_age(tmp_path):
    findings = load(tmp_path, entry(min_age="60", max_age="50"))[1]
    assert only(findings) == (9, "max_age", 50, "shift 'gate': min_age (60) is above max_age (50)",
                              "swap or correct the two ages")


@pytest.mark.parametrize("key", ["need", "max", "min_age", "max_age", "min_female", "min_male"])
def test_negative_numbers(tmp_path, key):
    findings = load(tmp_path, entry(**{key: "-1"}))[1]
    assert [facts(f) for f in findings if f.column == key] == [
        (8 if key != "need" else 7, key, -1, f"shift 'gate': {key} must be a whole number, 0 or more",
         "write a number such as 2"),
    ]


def test_a_fraction_is_not_a_count(tmp_path):
    findings = load(tmp_path, entry(need="2.5"))[1]
    assert only(findings) == (7, "need", 2.5, "shift 'gate': need must be a whole number, 0 or more",
                              "write a number such as 2")


@pytest.mark.parametrize("written, value", [("two", "two"), ('"10,000"', "10,000"), ("true", None), ("[2]", "[2]")])
def test_need_that_is_not_a_number(tmp_path, written, value):
    findings = load(tmp_path, entry(need=written))[1]
    row, column, shown, message, fix = only(findings)
    assert (row, column, message, fix) == (7, "need", "shift 'gate': need must be a whole number",
                                           "write a number such as 2")
    assert shown == (True if written == "true" else value)


def test_an_absurd_need(tmp_path):
    path = write(tmp_path, entry(need="10000"))
    (finding,) = load_shifts(path)[1]
    assert str(finding) == (f"{path}, row 7, column 'need': shift 'gate': need of 10000 is far more than one shift "
                            "can hold (value: 10000). Fix: use a number below 1000; split a big event into several shifts")


def test_bad_min_health(tmp_path):
    findings = load(tmp_path, entry(min_health="excellent"))[1]
    assert only(findings) == (8, "min_health", "excellent", "shift 'gate': min_health must be good, fair or poor",
                              "write good, fair or poor (良好/一般/较差)")


def test_require_that_is_not_a_mapping(tmp_path):
    findings = load(tmp_path, entry(require="first_aid"))[1]
    assert only(findings) == (8, "require", "first_aid", "shift 'gate': require must map tags to counts",
                              "write it as {first_aid: 1}")


def test_require_with_a_bad_count(tmp_path):
    findings = load(tmp_path, entry(require="{first_aid: -1}"))[1]
    assert only(findings) == (8, "require", "{'first_aid': -1}",
                              "shift 'gate': the count for 'first_aid' must be a whole number, 0 or more",
                              "write {first_aid: 1}")


def test_nan_from_a_dataframe_means_missing():
    raw = {"id": "gate", "days": ["Mon"], "start": "07:00", "end": "09:00", "need": 2, "max": float("nan")}
    definitions, findings = parse_shifts([raw], "<shifts data>")
    assert findings == [] and definitions[0].max == 2


def test_nan_in_any_optional_key_means_missing():
    nan = float("nan")
    raw = {"id": "gate", "name": nan, "kind": nan, "post": nan, "teams": nan, "days": ["Mon"], "dates": nan,
           "start": "07:00", "end": "09:00", "need": 2, "max": nan, "min_age": nan, "max_age": nan,
           "min_health": nan, "min_female": nan, "min_male": nan, "require": nan}
    definitions, findings = parse_shifts([raw], "<shifts data>")
    assert findings == []
    (d,) = definitions
    assert (d.name, d.kind, d.post, d.teams, d.dates) == ("gate", "", "", frozenset(), ())
    assert (d.need, d.max, d.min_age, d.max_age, d.min_health) == (2, 2, None, None, None)
    assert (d.min_female, d.min_male, d.require) == (0, 0, {})


# ----------------------------------------------------------------------------- keys and shape


def test_unknown_key_names_the_nearest(tmp_path):
    path = write(tmp_path, entry(min_femal="1"))
    definitions, findings = load_shifts(path)
    assert definitions == []
    (finding,) = findings
    assert str(finding) == (f"{path}, row 8, column 'min_femal': unknown key 'min_femal' in shift 'gate'. "
                            "Fix: did you mean 'min_female'?")


def test_unknown_key_far_from_any_lists_the_valid_keys(tmp_path):
    findings = load(tmp_path, entry(colour="red"))[1]
    assert only(findings) == (8, "colour", None, "unknown key 'colour' in shift 'gate'",
                              "valid keys: id, name, kind, post, teams, days, dates, start, end, need, max, "
                              "min_age, max_age, min_health, min_female, min_male, require")


def test_an_entry_that_is_not_a_mapping(tmp_path):
    definitions, findings = load(tmp_path, VALID + "  - just-a-name\n")
    assert [d.id for d in definitions] == ["gate"]
    assert only(findings) == (None, None, "just-a-name",
                              "entry 2 under 'shifts:' is not written as '- id: …' with its keys below it",
                              "write each shift as '- id: ...' followed by its keys, indented")


@pytest.mark.parametrize("text", ["shifts: []\n", "shifts:\n", "", "# only a comment\n"])
def test_no_shifts(tmp_path, text):
    path = write(tmp_path, text)
    (finding,) = load_shifts(path)[1]
    assert str(finding) == f"{path}: no shifts found. Fix: list the shifts under 'shifts:'"


def test_a_misspelt_shifts_key_is_reported_and_so_is_the_missing_list(tmp_path):
    definitions, findings = load(tmp_path, VALID.replace("shifts:", "shift:"))
    assert definitions == []
    assert [facts(f) for f in findings] == [
        (1, "shift", None, "unknown key 'shift' in the shifts file", "did you mean 'shifts'?"),
        (None, None, None, "no shifts found", "list the shifts under 'shifts:'"),
    ]


def test_unknown_top_level_key_does_not_hide_the_entries_mistakes(tmp_path):
    definitions, findings = load(tmp_path, "version: 1\n" + entry(need="-1"))
    assert sorted(f.column for f in findings) == ["need", "version"]
    assert definitions == []
    assert [facts(f) for f in findings] == [
        (1, "version", None, "unknown key 'version' in the shifts file", "valid keys: shifts"),
        (8, "need", -1, "shift 'gate': need must be a whole number, 0 or more", "write a number such as 2"),
    ]


def test_unknown_top_level_key_beside_good_entries_is_the_only_finding(tmp_path):
    definitions, findings = load(tmp_path, "version: 1\n" + VALID.lstrip("\n"))
    assert [d.id for d in definitions] == ["gate"]
    assert [facts(f) for f in findings] == [
        (1, "version", None, "unknown key 'version' in the shifts file", "valid keys: shifts")]


# ------------------------------------------------------------------------------ document level


def test_malformed_yaml_reports_its_line(tmp_path):
    path = write(tmp_path, """
        shifts:
          - id: gate
            name: [East gate
            need: 2
        """)
    (finding,) = load_shifts(path)[1]
    # libyaml says "did not find expected ',' or ']'", PyYAML's Python parser "expected ',' or ']', but got ':'"
    assert str(finding).startswith(f"{path}, row 4: the YAML is malformed: ")
    assert "',' or ']'" in str(finding)
    assert str(finding).endswith(". Fix: check the indentation and the colons near that line")


def test_tabs_are_reported_with_their_line(tmp_path):
    path = write(tmp_path, VALID.replace('    end: "09:00"', '\tend: "09:00"'))
    (finding,) = load_shifts(path)[1]
    assert str(finding) == (f"{path}, row 6: YAML does not allow tab characters for indenting. "
                            "Fix: replace the tabs at the start of that line with spaces")


def test_tabs_inside_a_quoted_value_or_a_comment_are_not_indenting(tmp_path):
    definitions, findings = load(tmp_path, "# shifts\tfor the week\n" + entry(name='"East\tgate"'))
    assert findings == [] and definitions[0].name == "East\tgate"


def test_duplicate_keys_in_an_entry(tmp_path):
    path = write(tmp_path, VALID + "    need: 3\n")
    (finding,) = load_shifts(path)[1]
    assert facts(finding) == (8, "need", "need", "the key 'need' appears twice in the same entry (first on line 7)",
                              "keep one of the two lines")


def test_a_missing_file(tmp_path):
    path = tmp_path / "nope.yaml"
    (finding,) = load_shifts(path)[1]
    assert str(finding) == (f"{path}: cannot read the file: No such file or directory. "
                            "Fix: check the path and that the file is not open elsewhere")


def test_a_gb18030_file_is_read(tmp_path):
    path = tmp_path / "shifts.yaml"
    path.write_bytes(entry(name="东门文明劝导").encode("gb18030"))
    definitions, findings = load_shifts(path)
    assert findings == [] and definitions[0].name == "东门文明劝导"


# -------------------------------------------------------------------------------- JSON


def test_a_json_shifts_file_gives_the_same_definitions(tmp_path):
    data = {"shifts": [{"id": "gate", "name": "East gate", "days": ["Mon"], "dates": ["2026-12-05"],
                        "start": "07:00", "end": "09:00", "need": 2, "require": {"first_aid": 1}}]}
    path = tmp_path / "shifts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    from_json, findings = load_shifts(path)
    assert findings == []
    from_yaml, _ = load(tmp_path, entry(dates="[2026-12-05]", require="{first_aid: 1}"))
    assert [d.model_dump(exclude={"line"}) for d in from_json] == [d.model_dump(exclude={"line"}) for d in from_yaml]


def test_malformed_json_reports_its_line(tmp_path):
    path = tmp_path / "shifts.json"
    path.write_text('{"shifts": [\n  {"id": "gate",}\n]}', encoding="utf-8")
    (finding,) = load_shifts(path)[1]
    assert str(finding) == (f"{path}, row 2: the JSON is malformed: Expecting property name enclosed in double quotes. "
                            "Fix: check the brackets, quotes and commas near that line")


def test_duplicate_keys_in_json(tmp_path):
    path = tmp_path / "shifts.json"
    path.write_text('{"shifts": [{"id": "gate", "id": "gate2"}]}', encoding="utf-8")
    (finding,) = load_shifts(path)[1]
    assert (finding.column, finding.value, finding.message, finding.fix) == (
        "id", "id", "the key 'id' appears twice in the same object", "keep one of the two")


def test_json_entry_mistakes_are_reported(tmp_path):
    path = tmp_path / "shifts.json"
    path.write_text(json.dumps({"shifts": [{"id": "gate", "days": ["Mon"], "start": "07:00", "end": "09:00",
                                            "need": 3, "max": 2}]}), encoding="utf-8")
    (finding,) = load_shifts(path)[1]
    assert (finding.column, finding.value, finding.message) == ("max", 2, "shift 'gate': need (3) is above max (2)")


# ------------------------------------------------------------------------- all at once, rows


def test_four_mistakes_in_four_entries_give_four_findings(tmp_path):
    definitions, findings = load(tmp_path, """
        shifts:
          - name: no id here
            days: [Mon]
            start: "07:00"
            end: "09:00"
            need: 1
          - id: too-many
            days: [Tue]
            start: "07:00"
            end: "09:00"
            need: 3
            max: 2
          - id: typo
            days: [Wed]
            start: "07:00"
            end: "09:00"
            need: 1
            min_femal: 1
          - id: bad-start
            days: [Thu]
            start: "7am"
            end: "09:00"
            need: 1
          - id: fine
            days: [Fri]
            start: "07:00"
            end: "09:00"
            need: 1
        """)
    assert [d.id for d in definitions] == ["fine"]
    assert [(f.row, f.column, f.message) for f in findings] == [
        (2, "id", "shift entry 1: the id is missing"),
        (12, "max", "shift 'too-many': need (3) is above max (2)"),
        (18, "min_femal", "unknown key 'min_femal' in shift 'typo'"),
        (21, "start", "shift 'bad-start': start is missing or not a time"),
    ]


def test_four_mistakes_in_one_entry_give_four_findings_on_their_own_lines(tmp_path):
    findings = load(tmp_path, """
        shifts:
          - id: gate
            days: [Funday]
            start: "7am"
            end: "09:00"
            need: -1
            min_health: excellent
        """)[1]
    assert [(f.row, f.column) for f in findings] == [(4, "start"), (3, "days"), (6, "need"), (7, "min_health")]


def test_the_sample_files_load_cleanly():
    root = Path(__file__).resolve().parent.parent / "sample_data"
    for folder, count in (("yanji7", 18), ("tutorial", 3)):
        definitions, findings = load_shifts(root / folder / "shifts.yaml")
        assert findings == [] and len(definitions) == count


# ----------------------------------------------------------------------------- the two ways of reading YAML

PLAIN_TEXTS = [
    VALID,
    'a: 07:00\nb: 0700\nc: 2026-02-30\nd: .nan\ne: [1, 1.5, "x", ~, yes]\nf: {g: !!str 12}\n',
    "s: !!set {a, b}\no: !!omap [a: 1, b: 2]\nt: 2026-12-05 07:00:00\n",
    "- - - x\n  - y\n- {a: [b, {c: d}]}\n",
    "",
]


def _both_ways(text: str):
    """The document, lines and keys' lines, read by libyaml's composer and by the Python one."""
    def read(plain: bool):
        loader = _LineLoader(text, plain=plain)
        loader.name = "shifts.yaml"
        data = loader.get_single_data()
        return data, _lines(data)
    return read(True), read(False)


def _lines(value):
    if isinstance(value, dict):
        return (getattr(value, "line", None), getattr(value, "key_lines", None), [_lines(v) for v in value.values()])
    if isinstance(value, list):
        return [_lines(v) for v in value]
    return type(value).__name__


@pytest.mark.parametrize("text", PLAIN_TEXTS + [
    (Path(__file__).resolve().parent.parent / "sample_data" / folder / "shifts.yaml").read_text(encoding="utf-8")
    for folder in ("yanji7", "tutorial")])
def test_a_plain_document_reads_the_same_by_either_composer(text):
    assert _plain(text)
    fast, slow = _both_ways(text)
    assert fast == slow


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",  # aliases are counted, by the Python composer
    "a: 1\n---\nb: 2\n",  # two documents
    "a: " + "[" * 50 + "]" * 50 + "\n",  # 51 levels: refused by the Python composer, with its line
    "a: [1, 2\n",  # a syntax error: worded by the Python composer
])
def test_only_a_plain_document_is_left_to_libyaml_s_composer(text):
    assert not _plain(text)


@pytest.mark.parametrize("text, deep", [("[" * 50 + "]" * 50, False), ("[" * 50 + "x" + "]" * 50, True),
                                        ("a:\n" + "- " * 49 + "x\n", True), ("a:\n" + "- " * 48 + "x\n", False)])
def test_the_depth_limit_is_where_the_python_composer_puts_it(text, deep):
    loader = _LineLoader(text)
    loader.name = "shifts.yaml"
    if deep:
        with pytest.raises(DocumentError) as error:
            loader.get_single_data()
        assert error.value.finding.code == "input.document.too_deep"
    else:
        loader.get_single_data()
    assert _plain(text) is not deep
