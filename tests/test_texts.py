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


# Finding codes (and the phrases in their blanks) are string literals such as "input.register.id_empty";
# a few are built from a name the code knows (f"input.folder.no_{key}"): those families are listed.
CODE = re.compile(r"""["'](input\.[a-z_0-9.]+)["']""")
BUILT_CODES = {
    "input.folder.no_": ("volunteers", "shifts"),
    "input.folder.several_": ("volunteers", "shifts", "rules"),
    "input.folder.not_given_": ("volunteers", "shifts"),
    "input.funnel.": ("everyone", *REASONS),
    "register.sheet_": ("named", "known", "month", "first"),
    "register.": ("total", "note", "example"),
    "input.locks.reason.": ("teams", *REASONS),
    "input.health.": ("good", "fair", "poor"),
    "input.weekday.": tuple(str(day) for day in range(7)),
}


def _codes_in_the_code() -> set[str]:
    return {m[1] for package in PACKAGES for path in package.rglob("*.py") if path.parent.name != "render"
            for m in CODE.finditer(path.read_text())}


def test_every_finding_code_the_code_uses_has_words_in_both_languages():
    codes = _codes_in_the_code()
    assert len(codes) > 150, "the pattern finds the codes the loaders use"
    assert sorted(code for code in codes if code not in ZH or code not in EN) == []


@pytest.mark.parametrize("prefix", sorted(BUILT_CODES))
def test_every_built_code_has_words(prefix):
    assert [prefix + name for name in BUILT_CODES[prefix] if prefix + name not in ZH] == []


def test_a_fix_belongs_to_a_finding_code():
    fixes = [key for key in ZH if key.endswith(".fix")]
    assert fixes and sorted(key for key in fixes if key.removesuffix(".fix") not in ZH) == []


def test_no_finding_is_built_from_an_english_sentence():
    """The loaders and checks hand over codes: `Finding(message=…)` would be words below the render layer."""
    built = [path.name for package in PACKAGES for path in package.rglob("*.py")
             if re.search(r"Finding\([^)]*\bmessage=", path.read_text())]
    assert built == []
