"""The rules file: defaults without it, every key, typos with the nearest key, bad values with the default."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from scheduler.domain.models import Rules, Weights
from scheduler.loading.rules import RULE_KEYS, WEIGHT_KEYS, load_rules, parse_rules


def write(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def facts(finding) -> tuple:
    return finding.row, finding.column, finding.value, finding.message, finding.fix


def test_the_keys_are_the_documented_ones():
    """The README's rules block lists every key with its default."""
    import yaml

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Rules"):]
    documented = yaml.safe_load(section[section.index("```yaml") + 7:section.index("```", section.index("```yaml") + 7)])
    assert list(documented) == RULE_KEYS
    assert list(documented["weights"]) == WEIGHT_KEYS
    assert Rules(**documented) == Rules()


def test_defaults_without_a_file():
    rules, findings = load_rules(None)
    assert findings == []
    assert rules == Rules()
    assert (rules.max_shifts_per_week, rules.max_shifts_per_day, rules.min_rest_hours,
            rules.max_consecutive_days, rules.history_weeks, rules.language) == (3, 1, 10, 4, 4, "zh")
    assert rules.weights == Weights(shortage_spread=10, participation=10, fairness=10, preference=3, rotation=2,
                                    partner=2, stability=50)


@pytest.mark.parametrize("text", ["", "# nothing but a comment\n", "{}\n"])
def test_an_empty_file_means_the_defaults(tmp_path, text):
    assert load_rules(write(tmp_path, text)) == (Rules(), [])


def test_every_key_is_read(tmp_path):
    rules, findings = load_rules(write(tmp_path, """
        max_shifts_per_week: 5
        max_shifts_per_day: 2
        min_rest_hours: 7.5
        max_consecutive_days: 6
        history_weeks: 8
        language: en
        weights:
          shortage_spread: 7
          participation: 6
          fairness: 1
          preference: 2
          rotation: 3
          partner: 4
          stability: 5
        """))
    assert findings == []
    assert rules == Rules(max_shifts_per_week=5, max_shifts_per_day=2, min_rest_hours=7.5, max_consecutive_days=6,
                          history_weeks=8, language="en",
                          weights=Weights(shortage_spread=7, participation=6, fairness=1, preference=2, rotation=3, partner=4,
                                          stability=5))


def test_keys_left_out_keep_their_defaults(tmp_path):
    rules, findings = load_rules(write(tmp_path, """
        max_shifts_per_day: 2
        weights:
          fairness: 20
        """))
    assert findings == []
    assert rules == Rules(max_shifts_per_day=2, weights=Weights(fairness=20))


def test_a_json_rules_file(tmp_path):
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"max_shifts_per_week": 2, "weights": {"partner": 0}}), encoding="utf-8")
    assert load_rules(path) == (Rules(max_shifts_per_week=2, weights=Weights(partner=0)), [])


def test_a_dict_of_rules():
    assert parse_rules({"language": "en", "weights": {"stability": 0}}, "<rules data>") == (
        Rules(language="en", weights=Weights(stability=0)), [])


def test_the_sample_rules_files():
    root = Path(__file__).resolve().parent.parent / "sample_data"
    assert load_rules(root / "yanji7" / "rules.yaml") == (Rules(committee="延吉七村居民区", duty_table_title="创全志愿者值勤表",
                                                               contact="居委会 电话 6543 2100"), [])
    assert load_rules(root / "tutorial" / "rules.yaml") == (Rules(language="en"), [])


# -------------------------------------------------------------------------------- typos


def test_unknown_key_names_the_nearest(tmp_path):
    path = write(tmp_path, """
        max_shifts_per_day: 1
        max_shift_per_week: 2
        """)
    rules, findings = load_rules(path)
    assert rules == Rules()
    assert [str(f) for f in findings] == [
        f"{path}, row 2, column 'max_shift_per_week': unknown key 'max_shift_per_week' in the rules file. "
        "Fix: did you mean 'max_shifts_per_week'?"
    ]


def test_unknown_key_far_from_any_lists_the_valid_keys(tmp_path):
    (finding,) = load_rules(write(tmp_path, "colour: blue\n"))[1]
    assert facts(finding) == (1, "colour", None, "unknown key 'colour' in the rules file",
                              "valid keys: " + ", ".join(RULE_KEYS))


def test_unknown_weight_key_names_the_nearest(tmp_path):
    (finding,) = load_rules(write(tmp_path, """
        weights:
          fairness: 10
          prefrence: 3
        """))[1]
    assert facts(finding) == (3, "prefrence", None, "unknown key 'prefrence' in weights",
                              "did you mean 'preference'?")


def test_two_typos_are_both_reported(tmp_path):
    findings = load_rules(write(tmp_path, """
        max_shift_per_day: 2
        weights:
          rotaton: 1
        """))[1]
    assert [(f.row, f.column, f.fix) for f in findings] == [
        (1, "max_shift_per_day", "did you mean 'max_shifts_per_day'?"),
        (3, "rotaton", "did you mean 'rotation'?"),
    ]


def test_a_typo_does_not_hide_a_bad_value(tmp_path):
    rules, findings = load_rules(write(tmp_path, """
        colour: blue
        max_shifts_per_day: -1
        """))
    assert sorted(f.column for f in findings) == ["colour", "max_shifts_per_day"]
    assert rules == Rules()
    assert [facts(f) for f in findings] == [
        (1, "colour", None, "unknown key 'colour' in the rules file",
         "valid keys: " + ", ".join(RULE_KEYS)),
        (2, "max_shifts_per_day", -1, "max_shifts_per_day must be 0 or more", "the default is 1"),
    ]


def test_a_weight_typo_does_not_hide_a_bad_weight(tmp_path):
    findings = load_rules(write(tmp_path, """
        weights:
          fairnes: 1
          stability: x
        """))[1]
    assert [facts(f) for f in findings] == [
        (2, "fairnes", None, "unknown key 'fairnes' in weights", "did you mean 'fairness'?"),
        (3, "weights.stability", "x", "stability must be a number such as 50", "write digits only, e.g. 50"),
    ]


# ---------------------------------------------------------------------------- bad values


def test_a_negative_value_reports_key_line_and_default(tmp_path):
    path = write(tmp_path, """
        max_shifts_per_week: 3
        max_shifts_per_day: -1
        """)
    rules, findings = load_rules(path)
    assert rules == Rules()
    assert [str(f) for f in findings] == [
        f"{path}, row 2, column 'max_shifts_per_day': max_shifts_per_day must be 0 or more (value: -1). "
        "Fix: the default is 1"
    ]


def test_a_wrong_type_reports_key_line_and_default(tmp_path):
    (finding,) = load_rules(write(tmp_path, """
        language: zh
        min_rest_hours: ten
        """))[1]
    assert facts(finding) == (2, "min_rest_hours", "ten", "min_rest_hours must be a number such as 10",
                              "write digits only, e.g. 10")


def test_a_fraction_where_a_whole_number_is_needed(tmp_path):
    (finding,) = load_rules(write(tmp_path, "max_shifts_per_week: 2.5\n"))[1]
    assert facts(finding) == (1, "max_shifts_per_week", 2.5, "max_shifts_per_week must be a whole number",
                              "write a whole number such as 3")


def test_yes_or_no_is_not_a_number(tmp_path):
    (finding,) = load_rules(write(tmp_path, "max_shifts_per_week: true\n"))[1]
    assert facts(finding) == (1, "max_shifts_per_week", "True", "max_shifts_per_week must be a number, not yes/no",
                              "write a number such as 3")


def test_weights_with_every_line_commented_out_take_the_defaults(tmp_path):
    rules, findings = load_rules(write(tmp_path, "weights:\n#  fairness: 10\n"))
    assert findings == [] and rules == Rules()


def test_a_missing_space_after_the_colon(tmp_path):
    path = write(tmp_path, "max_shifts_per_day:1\n")
    assert [str(f) for f in load_rules(path)[1]] == [
        f"{path}: the rules are not written as 'key: value' lines. "
        "Fix: put a space after each colon and no '-' in front, e.g. 'max_shifts_per_day: 1'"
    ]


def test_max_consecutive_days_must_be_at_least_one(tmp_path):
    (finding,) = load_rules(write(tmp_path, "max_consecutive_days: 0\n"))[1]
    assert facts(finding) == (1, "max_consecutive_days", 0, "max_consecutive_days must be 1 or more",
                              "the default is 4")


def test_a_bad_weight_reports_its_own_line(tmp_path):
    findings = load_rules(write(tmp_path, """
        max_shifts_per_day: -1
        weights:
          fairness: x
          stability: -5
        """))[1]
    assert [facts(f) for f in findings] == [
        (1, "max_shifts_per_day", -1, "max_shifts_per_day must be 0 or more", "the default is 1"),
        (3, "weights.fairness", "x", "fairness must be a number such as 10", "write digits only, e.g. 10"),
        (4, "weights.stability", -5, "stability must be 0 or more", "the default is 50"),
    ]


@pytest.mark.parametrize("language", ["fr", "english", "中文", "chinese"])
def test_only_zh_and_en_are_languages(tmp_path, language):
    (finding,) = load_rules(write(tmp_path, f"language: {language}\n"))[1]
    assert facts(finding) == (1, "language", language, "language must be zh (中文) or en (English)",
                              "write language: zh or language: en")


@pytest.mark.parametrize("written, language", [("ZH", "zh"), ("En", "en"), ('" en "', "en")])
def test_the_language_is_read_whatever_its_case(tmp_path, written, language):
    assert load_rules(write(tmp_path, f"language: {written}\n")) == (Rules(language=language), [])


@pytest.mark.parametrize("written", ["10", "[fairness, 10]", "fairness=10"])
def test_weights_that_are_not_lines_under_weights(tmp_path, written):
    path = write(tmp_path, f"max_shifts_per_day: 2\nweights: {written}\n")
    rules, findings = load_rules(path)
    assert rules == Rules()
    assert [str(f) for f in findings] == [
        f"{path}, row 2, column 'weights': weights must be 'name: number' lines under 'weights:'. "
        "Fix: indent lines such as 'fairness: 10' below 'weights:'"
    ]


def test_a_rules_file_that_is_a_list(tmp_path):
    path = write(tmp_path, "- max_shifts_per_day: 1\n")
    rules, findings = load_rules(path)
    assert rules == Rules()
    assert [str(f) for f in findings] == [
        f"{path}: the rules are not written as 'key: value' lines. "
        "Fix: put a space after each colon and no '-' in front, e.g. 'max_shifts_per_day: 1'"
    ]


def test_document_errors_come_through(tmp_path):
    (finding,) = load_rules(write(tmp_path, "max_shifts_per_day: 1\nmax_shifts_per_day: 2\n"))[1]
    assert facts(finding) == (2, "max_shifts_per_day", "max_shifts_per_day",
                              "the key 'max_shifts_per_day' appears twice in the same entry (first on line 1)",
                              "keep one of the two lines")
    (finding,) = load_rules(write(tmp_path, "weights:\n\tfairness: 1\n"))[1]
    assert (finding.row, finding.message) == (2, "YAML does not allow tab characters for indenting")


def test_the_printing_and_notice_entries_are_read(tmp_path):
    rules, findings = load_rules(write(tmp_path, """
        committee: 延吉七村居民区
        duty_table_title: 创全志愿者值勤表
        contact: 65432100
        duty_table_per_team: true
        notice_address: name
        notice_template: "{称呼}：本周请于 {安排}。"
        """))
    assert findings == []
    assert (rules.committee, rules.duty_table_title, rules.contact) == ("延吉七村居民区", "创全志愿者值勤表", "65432100")
    assert rules.duty_table_per_team is True and rules.notice_address == "name"
    assert rules.notice_template == "{称呼}：本周请于 {安排}。"


def test_bad_printing_entries_say_what_to_write(tmp_path):
    findings = load_rules(write(tmp_path, """
        duty_table_per_team: 是
        notice_address: 阿姨
        committee: [a, b]
        """))[1]
    assert sorted((f.row, f.column, f.message, f.fix) for f in findings) == [
        (1, "duty_table_per_team", "duty_table_per_team must be yes or no",
         "write duty_table_per_team: true or duty_table_per_team: false"),
        (2, "notice_address", "notice_address must be 'auto' or 'name'", "the default is auto"),
        (3, "committee", "committee must be a line of text", "write it on one line after 'committee: '"),
    ]
