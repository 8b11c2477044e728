"""Results carry codes and the words come at the edge: a roster planned in Chinese is explained and
checked in English (and the other way round), its reasons stay readable in roster.json, and an older
roster.json without codes still explains with the words it stored.

The Yanji rosters here are built from the warm start's greedy fill with every second assignment
dropped (many empty seats, no search), so the tests take a second or two.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from rules.factory import problem as tiny_problem
from rules.factory import sdef, vol

import constraints
from constraints.eligibility import REASONS
from scheduler import api
from scheduler.domain.models import Problem
from scheduler.domain.roster import Roster
from scheduler.io.writers import roster_json
from scheduler.loading.folder import week_roster_file
from scheduler.render.en import EN
from scheduler.render.reasons import reason_texts
from scheduler.render.violations import violation_sentence, violation_text
from scheduler.render.zh import ZH
from scheduler.solving.solver import make_roster
from scheduler.solving.warm_start import greedy_fill
from tests.conftest import run_cli

WEEK = "2026-W49"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def data_words(problem: Problem) -> list[str]:
    """Every text of the inputs that holds Chinese (names, posts, teams, tags, wishes), longest first."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            if CJK.search(value):
                found.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for item in value:
                walk(item)

    for record in (*problem.volunteers, *problem.definitions):
        walk(record.model_dump())
    return sorted(found, key=len, reverse=True)


def without_data(text: str, problem: Problem) -> str:
    for word in data_words(problem):
        text = text.replace(word, "")
    return text


def half_roster(problem: Problem, language: str = "zh") -> Roster:
    """A roster of the week with every second assignment of a greedy fill: valid, with many seats empty."""
    context = api.plan_context(problem)
    return make_roster(problem, greedy_fill(problem, context)[::2], context, None, language=language)


@pytest.fixture
def yanji_planned(yanji_copy: Path) -> tuple[Path, Problem, Roster]:
    """The Yanji folder (its rules say `language: zh`) with a Chinese roster.json of the week."""
    problem = api.load(yanji_copy, week=WEEK)
    assert problem.rules.language == "zh"
    roster = half_roster(problem)
    path = week_roster_file(yanji_copy, problem.week)
    path.parent.mkdir(parents=True)
    path.write_text(roster_json(roster), encoding="utf-8")
    return yanji_copy, problem, roster


# ---------------------------------------------------------------- reasons in roster.json


def too_few_and_held():
    """Monday: a patrol for three with two people; Tuesday: one patrol seat whose only candidate is at their limit."""
    vols = [vol("A", age=40, max_shifts_per_week=1), vol("B", age=40)]
    return tiny_problem(vols, [sdef("patrol", days=["Mon"], need=3), sdef("desk", days=["Tue"], need=1, teams=["x"]),
                               sdef("late", days=["Wed"], need=1)])


def test_reasons_are_codes_in_roster_json_with_words_beside_them_and_worded_again_in_the_other_language():
    prob = too_few_and_held()
    context = api.plan_context(prob)
    roster = make_roster(prob, [("A", "patrol@2026-11-30"), ("B", "patrol@2026-11-30")], context, None, language="zh")
    record = json.loads(roster_json(roster))
    by_shift = {u["shift"]: u for u in record["unfilled"]}
    patrol, late = by_shift["patrol@2026-11-30"], by_shift["late@2026-12-02"]
    assert [r["code"] for r in patrol["reason_codes"]] == ["too_few"]
    assert patrol["reason_codes"][0]["params"]["funnel"][0] == ["everyone", 2]
    assert patrol["reasons"] == [("能安排的人太少：全部 2; 在册 2; 属于队伍 2; 年龄不低于下限 2; 年龄不超过上限 2; 年龄已知 2; "
                                  "健康符合 2; 当日未请假 2; 该时段有空 2")]
    (held,) = late["reason_codes"]
    assert held["code"] == "competition"
    assert held["params"]["causes"] == [{"rules": ["max_shifts_per_week"], "n": 1,
                                         "people": [{"id": "A", "name": "name-A"}],
                                         "holding": [{"shift": "patrol@2026-11-30", "name": "name-patrol",
                                                      "date": "2026-11-30", "time": "07:00-09:00", "n": 1}]}]
    assert "本周已达上限 1 人（name-A A）" in late["reasons"][0]

    back = Roster.model_validate_json(roster_json(roster))
    english = {u.shift: reason_texts(u, "en") for u in back.unfilled}
    assert english["patrol@2026-11-30"] == [("too few people can ever take it: everyone: 2; active: 2; in the team: 2; "
                                             "old enough: 2; young enough: 2; of known age: 2; fit enough: 2; "
                                             "not blocked that day: 2; free then: 2")]
    assert english["late@2026-12-02"][0].startswith("1 of the 2 who could take it are held by other rules: "
                                                    "at the weekly limit: 1 (name-A A) — they hold e.g. name-patrol Mon")
    assert not any(CJK.search(text) for texts in english.values() for text in texts)


def test_an_old_roster_json_without_codes_keeps_its_words_and_still_explains(yanji_planned):
    folder, problem, _ = yanji_planned
    path = week_roster_file(folder, problem.week)
    record = json.loads(path.read_text(encoding="utf-8"))
    short = record["unfilled"][0]
    for item in record["unfilled"]:
        del item["reason_codes"]
        item["reasons"] = ["旧版写下的原因"]
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert reason_texts(api.read_roster(path).unfilled[0], "en") == ["旧版写下的原因"]
    result = run_cli("explain", folder, "--week", WEEK, "--shift", short["shift"], "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "reason: 旧版写下的原因" in result.output


# ---------------------------------------------------------------- explain in the other language


@pytest.mark.parametrize("ask", ["objective", "volunteer", "short shift", "full shift"])
def test_explain_in_english_on_a_chinese_roster_is_english_throughout(yanji_planned, ask):
    folder, problem, roster = yanji_planned
    short = roster.unfilled[0].shift
    full = next(a.shift for a in roster.assignments if a.shift not in {u.shift for u in roster.unfilled})
    args = {"objective": [], "volunteer": ["--volunteer", roster.assignments[0].volunteer],
            "short shift": ["--shift", short], "full shift": ["--shift", full]}[ask]
    result = run_cli("explain", folder, "--week", WEEK, *args, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert CJK.search(result.output), "the data's names and posts are Chinese: they are shown as they are"
    left = without_data(result.output, problem)
    assert not CJK.search(left), f"Chinese words outside the data: {CJK.findall(left)[:20]}\n{result.output}"
    framing = [text for text in ZH.values() if isinstance(text, str) and len(text) > 3 and text in result.output]
    assert framing == []
    if ask == "short shift":
        assert "reason: " in result.output and "who could take it" in result.output


def test_explain_in_chinese_by_default_and_the_reasons_follow_the_language_asked(yanji_planned):
    folder, _, roster = yanji_planned
    short = roster.unfilled[0].shift
    chinese = run_cli("explain", folder, "--week", WEEK, "--shift", short)
    english = run_cli("explain", folder, "--week", WEEK, "--shift", short, "--lang", "en")
    assert "原因：" in chinese.output and "reason: " not in chinese.output
    (reason,) = reason_texts(roster.unfilled[0], "en")[:1]
    assert f"reason: {reason}" in english.output
    assert api.explain_week(folder, WEEK, shift=short).lang == "zh"
    assert api.explain_week(folder, WEEK, shift=short, lang="en").text().startswith(english.output.splitlines()[0])


# ---------------------------------------------------------------- check in the committee's language


@pytest.fixture
def broken_roster(yanji_planned) -> tuple[Path, Problem, Path]:
    """The Yanji roster with one person on a shift they may not take and one person over their daily limit."""
    folder, problem, roster = yanji_planned
    context = api.plan_context(problem)
    pairs = roster.pairs()
    vid, sid = next((v.id, s.id) for s in problem.shifts for v in problem.volunteers
                    if v.id not in context.eligible[s.id] and v.active)
    path = folder / "edited.json"
    record = json.loads(roster_json(roster))
    record["assignments"].append({"shift": sid, "volunteer": vid})
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert (vid, sid) not in pairs
    return folder, problem, path


def test_check_speaks_chinese_in_a_chinese_folder_and_english_when_asked(broken_roster):
    folder, problem, path = broken_roster
    chinese = run_cli("check", folder, path)
    assert chinese.exit_code == 4, chinese.output
    assert "处违反规则：" in chinese.output and "[不符合条件] " in chinese.output
    assert "violation" not in chinese.output and "eligibility" not in chinese.output

    english = run_cli("check", folder, path, "--lang", "en")
    assert english.exit_code == 4, english.output
    assert re.search(r": \d+ violations?:", english.output) and "[not eligible] " in english.output
    left = without_data(english.output, problem)
    assert not CJK.search(left), f"Chinese words outside the data: {CJK.findall(left)[:20]}\n{english.output}"


def many_violations(problem: Problem) -> list[constraints.Violation]:
    """A roster that breaks every hard rule: forty people on every shift of the week, a stranger, a repeat,
    a promise not kept, and a frozen day changed."""
    context = api.plan_context(problem)
    days = sorted({s.date for s in problem.shifts})
    people = problem.volunteers[:40]
    pairs = [(v.id, s.id) for s in problem.shifts if s.date in days for v in people]
    pairs += [("6", problem.shifts[0].id), ("nobody", problem.shifts[1].id), (people[0].id, "nothing@2026-12-01"),
              pairs[5]]
    baseline = frozenset(pairs[:5])
    history_context = dataclasses.replace(context, locks=frozenset([(problem.volunteers[-1].id, problem.shifts[-1].id)]),
                                          baseline=baseline, frozen_before=days[-1])
    return constraints.check(problem, pairs[5:], history_context)


def test_every_violation_has_words_in_both_languages_and_the_english_is_its_message(yanji_copy):
    problem = api.load(yanji_copy, week=WEEK)
    found = many_violations(problem)
    assert {v.rule for v in found} == {rule.NAME for rule in constraints.HARD_RULES}
    assert {(v.rule, v.code) for v in found} >= {("eligibility", "unknown_volunteer"), ("eligibility", "twice"),
                                                 ("eligibility", "unknown_shift"), ("freeze", "removed")}
    for violation in found:
        assert violation.code, violation
        key = (f"violation.why.{violation.code}" if violation.code in REASONS
               else f"violation.{violation.rule}.{violation.code}")
        assert key in ZH and key in EN, f"{key} has no words: it would fall back to the English message"
        assert violation_sentence(violation, "en") == violation.message
    words = data_words(problem)
    for violation in {(v.rule, v.code): v for v in found}.values():
        chinese = violation_text(violation, "zh")
        assert chinese.startswith(f"[{ZH[f'rule.{violation.rule}']}] ")
        for word in words:
            chinese = chinese.replace(word, "")
        assert not re.search(r"\b(is|has|the|on|of)\b", chinese), chinese
