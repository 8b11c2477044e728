"""The words catalogue: Chinese and English say the same things, every family the code builds keys
from is complete in both, and every key the code names exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import constraints
from constraints.eligibility import REASONS
from scheduler.domain.roster import ASSIGNMENT_COLUMNS
from scheduler.render.en import EN
from scheduler.render.zh import ZH

PACKAGES = [Path(__file__).resolve().parent.parent / name for name in ("scheduler", "constraints")]
LITERAL_KEY = re.compile(r"""\bt\(\s*[a-z_.]+,\s*"([a-z_]+\.[a-z_0-9.]+)\"""")


def _blanks(text: str | tuple[str, str]) -> set[str]:
    forms = text if isinstance(text, tuple) else (text,)
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


def test_both_languages_have_the_same_keys():
    assert sorted(set(ZH) - set(EN)) == []
    assert sorted(set(EN) - set(ZH)) == []


# Templates whose blanks differ by design: a notice template's blanks are the words a coordinator
# writes in the rules file (称呼, 安排 …), an English date spells the month out, and the English
# summary adds the solver's figures (objective, bound, seed) that the Chinese one leaves to roster.json.
OWN_BLANKS = {"notice.template", "notice.changed_template", "notice.month_day", "print.month_day",
              "summary.solved.OPTIMAL", "summary.solved.FEASIBLE", "summary.solved.greedy", "summary.solved.EDITED",
              "summary.solved.other"}


@pytest.mark.parametrize("key", sorted(set(ZH) - OWN_BLANKS))
def test_both_languages_fill_the_same_blanks(key):
    assert _blanks(ZH[key]) == _blanks(EN[key]), key
    assert all(form.strip() for form in (ZH[key], EN[key]) if isinstance(form, str)), key


def test_every_key_the_code_names_exists():
    named = {m[1] for package in PACKAGES for path in package.rglob("*.py") for m in LITERAL_KEY.finditer(path.read_text())}
    assert named, "the pattern finds the keys the code asks for"
    assert sorted(named - set(ZH)) == []


# The families whose keys are built at run time (f"goal.{goal}"): each member the code can ask for.
FAMILIES = {
    "goal": constraints.GOALS,
    "funnel": REASONS,
    "solver": ("OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "MODEL_INVALID", "EDITED"),
    "status": ("complete", "partial"),
    "unmet": ("female", "male", "tag"),
    "col": (*ASSIGNMENT_COLUMNS, "weekday"),
    "changes": ("gained", "lost", "gained_item", "lost_item"),
    "summary.solved": ("OPTIMAL", "FEASIBLE", "greedy", "EDITED", "other"),
    "health": ("good", "fair", "poor"),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_member_of_a_built_family_has_words(family):
    missing = [f"{family}.{member}" for member in FAMILIES[family] if f"{family}.{member}" not in ZH]
    assert missing == []


def test_every_hard_rule_has_a_name_in_words():
    """Explain and cover name the rules that hold a person, and check the rule a roster breaks: every hard rule."""
    missing = [f"rule.{rule.NAME}" for rule in constraints.HARD_RULES if f"rule.{rule.NAME}" not in ZH]
    assert missing == []
    assert {rule.NAME for rule in constraints.hard_rules("volunteer")} <= {rule.NAME for rule in constraints.HARD_RULES}


def test_the_english_summary_line_only_adds_figures_to_the_chinese_one():
    for key in FAMILIES["summary.solved"]:
        assert _blanks(ZH[f"summary.solved.{key}"]) <= _blanks(EN[f"summary.solved.{key}"]), key
