"""The rule catalogue is the only authority: every module has the shape its kind declares, and the
goals, their weights, their words, the coverage weight and the generated rules file all follow it."""

from __future__ import annotations

import datetime as dt
import inspect
import pkgutil
from pathlib import Path

import pytest
import yaml

import constraints
from constraints import CATALOGUE, COVERAGE_RULES, GOALS, HARD_RULES, SOFT_RULES, CoverageRule, HardRule, Plan, SoftRule
from scheduler import api
from scheduler.domain.models import History, PastShift, Problem, Rules, Weights
from scheduler.render.en import EN
from scheduler.render.zh import ZH
from scheduler.solving.parts import parts, sub_context, sub_problem
from scheduler.solving.warm_start import greedy_fill
from scheduler.synthetic.generate import RULES_YAML
from tests.rules.factory import MON, TUE, problem, sdef, vol

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
PROTOCOL = {"hard": HardRule, "coverage": CoverageRule, "soft": SoftRule}
# The arguments each function of a protocol takes, by name (a module's own extras may follow with defaults).
ARGUMENTS = {"add": ["plan"], "check": ["view"], "shortfall": ["view"], "score": ["view", "context"],
             "points_of": ["view", "context"], "worst": ["problem", "context"]}


@pytest.mark.parametrize("rule", CATALOGUE, ids=lambda rule: rule.NAME)
def test_every_rule_module_has_the_shape_of_its_kind(rule):
    assert rule.__name__.rpartition(".")[2] == rule.NAME
    assert isinstance(rule, PROTOCOL[rule.KIND])
    functions = [name for name in ARGUMENTS if name in dir(PROTOCOL[rule.KIND])]
    for name in functions:
        assert list(inspect.signature(getattr(rule, name)).parameters)[:len(ARGUMENTS[name])] == ARGUMENTS[name], name
    assert (getattr(rule, "SCOPE", None) in constraints.SCOPES) == (rule.KIND == "hard")


def test_a_module_missing_a_function_of_its_kind_is_not_that_kind():
    assert not isinstance(constraints.coverage, SoftRule)  # no worst, no points_of
    assert not isinstance(constraints.stability, HardRule)  # no check, no SCOPE


def test_every_module_of_the_package_is_in_the_catalogue():
    folder = Path(constraints.__file__).parent
    modules = {info.name for info in pkgutil.iter_modules([str(folder)])} - {"base"}
    assert modules == {rule.NAME for rule in CATALOGUE}


def test_every_rule_has_its_own_tests():
    tests = Path(__file__).resolve().parent / "rules"
    assert [rule.NAME for rule in CATALOGUE if not (tests / f"test_{rule.NAME}.py").is_file()] == []


def test_the_groups_are_the_catalogue_sorted_by_kind_in_its_order():
    assert CATALOGUE == HARD_RULES + COVERAGE_RULES + SOFT_RULES
    assert {rule.KIND for rule in HARD_RULES} == {"hard"} and {rule.KIND for rule in SOFT_RULES} == {"soft"}
    assert {rule.KIND for rule in COVERAGE_RULES} == {"coverage"}
    assert ("coverage", *(rule.NAME for rule in SOFT_RULES)) == GOALS


def missing_parts(goals: tuple[str, ...]) -> list[str]:
    """What a goal of the objective lacks: a weight in the rules (`Weights`), its words in either language."""
    weights = list(Weights.model_fields)
    missing = [f"weight of {goal}" for goal in goals[1:] if goal not in weights]
    missing += [f"weight {name} without a goal" for name in weights if name not in goals]
    missing += [f"{lang} words goal.{goal}" for lang, words in (("zh", ZH), ("en", EN)) for goal in goals
                if f"goal.{goal}" not in words]
    return missing


def test_every_goal_has_a_weight_and_its_words_and_every_weight_a_goal():
    assert missing_parts(GOALS) == []
    assert list(Weights.model_fields) == list(GOALS[1:])  # the rules file lists them in priority order too


def test_a_goal_added_without_its_weight_or_words_is_found():
    assert missing_parts((*GOALS, "quiet_hours")) == [
        "weight of quiet_hours", "zh words goal.quiet_hours", "en words goal.quiet_hours"]
    assert missing_parts(GOALS[:-1]) == ["weight stability without a goal"]


def test_the_generated_rules_file_is_the_models_defaults():
    written = yaml.safe_load(RULES_YAML)
    assert Rules(**written) == Rules()
    assert list(written["weights"]) == list(GOALS[1:])


# -- the coverage weight, without a model ----------------------------------------------------------------

def with_history_and_baseline(week: Problem) -> constraints.Context:
    """The week's context with a baseline (its greedy fill) and one history week holding the same slots."""
    fill = greedy_fill(week, constraints.build_context(week))
    past = tuple(PastShift(week="2026-W01", volunteer=vid, shift=f"{week.shift[sid].definition_id}@old",
                           post=week.shift[sid].post, start=week.shift[sid].start - dt.timedelta(days=7),
                           end=week.shift[sid].end - dt.timedelta(days=7)) for vid, sid in fill)
    history = History(weeks=("2026-W01",), shifts=past,
                      left_out=tuple(("2026-W01", v.id) for v in week.volunteers[::3]))
    return constraints.build_context(week, history=history, baseline=fill)


def weeks():
    tutorial = api.load(SAMPLES / "tutorial", week="2026-W49")
    yanji = api.load(SAMPLES / "yanji7", week="2026-W49")
    return [("tutorial", tutorial, constraints.build_context(tutorial)),
            ("tutorial, re-planned", tutorial, with_history_and_baseline(tutorial)),
            ("yanji7", yanji, constraints.build_context(yanji)),
            ("yanji7, re-planned", yanji, with_history_and_baseline(yanji))]


@pytest.mark.parametrize("name, week, context", weeks(), ids=lambda x: x if isinstance(x, str) else "")
def test_each_goals_worst_is_what_its_penalties_charge_at_most(name, week, context):
    """`constraints.coverage_weight` is asked of `worst`; the model charges the penalty records: they agree."""
    for rule in SOFT_RULES:
        plan = Plan(week, context)
        rule.add(plan)
        assert sum(p.points * p.upper for p in plan.penalties) == rule.worst(week, context), rule.NAME
        assert rule.worst(week, context) > 0 or (rule.NAME in ("rotation", "stability") and not context.baseline)
    weights = week.rules.weights
    assert constraints.coverage_weight(week, context) == 1 + sum(
        getattr(weights, rule.NAME) * rule.worst(week, context) for rule in SOFT_RULES)


def test_the_coverage_weight_of_a_week_is_its_parts_added_up():
    """So one coverage weight serves the whole week and each part's model alike."""
    people = [vol(f"a{i}", teams={"A"}, partner="a0") for i in range(3)] + [vol(f"b{i}", teams={"B"}) for i in range(4)]
    week = problem(people, [sdef("gate", days=["Mon", "Tue"], teams={"A"}, need=2),
                            sdef("desk", days=["Mon"], teams={"B"}, need=3)])
    context = constraints.build_context(week, baseline=[("a1", f"gate@{MON}"), ("b2", f"desk@{MON}")],
                                        history=History(weeks=("2026-W48",), left_out=(("2026-W48", "b3"),)))
    pieces = parts(week, context)
    assert len(pieces) == 2 and TUE in week.week.dates
    per_part = [constraints.coverage_weight(sub_problem(week, p), sub_context(context, p)) for p in pieces]
    assert constraints.coverage_weight(week, context) == 1 + sum(weight - 1 for weight in per_part) > 1


# -- small facts with one home ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, parts", [
    ("east-gate-am@2026-11-30", ("east-gate-am", "2026-11-30")), ("gate", ("gate", "")), ("gate@", ("gate", "")),
    ("a@b@2026-11-30", ("a@b", "2026-11-30")),
])
def test_a_shift_id_is_read_back_in_one_place(text, parts):
    from scheduler.domain.ids import shift_id, split_shift_id

    assert split_shift_id(text) == parts
    if parts[1]:
        assert shift_id(parts[0], dt.date.fromisoformat(parts[1])) == text


@pytest.mark.parametrize("text, minutes", [
    ("07:00", 420), (" 7:05 ", 425), ("24:00", 1440), ("７：００", 420), ("00:00", 0),
    ("24:01", None), ("7:60", None), ("7:5", None), ("7", None), ("²:00", None), ("", None), (420, None),
])
def test_clock_text_is_read_in_one_place(text, minutes):
    from scheduler.domain.clock import clock, parse_clock

    assert parse_clock(text) == minutes
    if minutes is not None:
        assert parse_clock(clock(minutes)) == minutes
