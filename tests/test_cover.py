"""`roster cover`: ranked replacements for a drop-out, each keeping every hard rule, and `--apply` rewriting the roster."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import constraints
from scheduler import api
from tests.conftest import TUTORIAL
from tests.conftest import run_cli as run

WEEK = "2026-W49"


def roster_json(folder: Path) -> dict:
    return json.loads((folder / "rosters" / WEEK / "roster.json").read_text(encoding="utf-8"))


def solved(folder: Path) -> Path:
    result = run("solve", folder, "--week", WEEK, "--quiet", "--time-limit", "5")
    assert result.exit_code in (0, 3), result.output
    return folder


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cover") / "tutorial"
    shutil.copytree(TUTORIAL, folder, ignore=shutil.ignore_patterns("rosters"))
    return solved(folder)


@pytest.fixture
def fresh(tmp_path, planned) -> Path:
    """A copy of the planned tutorial that a test may rewrite."""
    folder = tmp_path / "tutorial"
    shutil.copytree(planned, folder)
    return folder


def crafted(tmp_path: Path, volunteers: str, shifts: str) -> Path:
    folder = tmp_path / "crafted"
    folder.mkdir()
    (folder / "volunteers.csv").write_text(volunteers, encoding="utf-8")
    (folder / "shifts.yaml").write_text(shifts, encoding="utf-8")
    (folder / "rules.yaml").write_text("language: en\n", encoding="utf-8")
    return solved(folder)


def on_shift(folder: Path, shift: str) -> list[str]:
    return sorted(a["volunteer"] for a in roster_json(folder)["assignments"] if a["shift"] == shift)


@pytest.mark.parametrize("lang, expected", [
    ("en", ["Saturday clean-up Sat 2026-12-05 09:00-11:00 (cleanup@2026-12-05):", "cannot come.",
            "can step in without breaking any hard rule", "1. ", "Take one with --apply N"]),
    ("zh", ["Saturday clean-up 2026-12-05 周六 09:00-11:00（cleanup@2026-12-05）：", "不能到岗。",
            "可以顶替且不违反任何硬性规则", "1. ", "用 --apply 序号"]),
])
def test_cover_lists_replacements_through_the_cli(planned, lang, expected):
    leaving = on_shift(planned, "cleanup@2026-12-05")[0]
    result = run("cover", planned, "--week", WEEK, "--shift", "cleanup@2026-12-05", "--without", leaving, "--lang", lang)
    assert result.exit_code == 0, result.output
    for fragment in expected:
        assert fragment in result.output, f"{fragment!r} missing from:\n{result.output}"


def test_every_proposed_replacement_keeps_every_hard_rule(planned):
    problem = api.load(planned, week=WEEK)
    roster = api.read_week_roster(planned, problem)
    history = api.load_history(planned, problem)
    proposed = 0
    for assignment in roster.assignments:
        found = api.cover(problem, roster, assignment.shift, assignment.volunteer, history=history)
        ids = [r.volunteer.id for r in found.candidates]
        assert assignment.volunteer not in ids and len(ids) == len(set(ids))
        assert not set(ids) & set(on_shift(planned, assignment.shift))
        for rank in range(1, len(ids) + 1):
            pairs = found.pairs_with(rank)
            assert constraints.check(problem, pairs, found.context) == []
            assert (assignment.volunteer, assignment.shift) not in pairs
            proposed += 1
        # And nobody left out could have been proposed: each is held by a named rule.
        eligible = set(found.context.eligible[assignment.shift]) - {assignment.volunteer}
        held = {v.id for people in found.held.values() for v in people}
        assert eligible - set(on_shift(planned, assignment.shift)) == set(ids) | held
    assert proposed > 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_apply_rewrites_the_roster_which_then_passes_check(fresh, lang):
    shift = "cleanup@2026-12-05"
    leaving = on_shift(fresh, shift)[0]
    before = roster_json(fresh)
    problem = api.load(fresh, week=WEEK)
    found = api.cover(problem, api.read_week_roster(fresh, problem), shift, leaving,
                      history=api.load_history(fresh, problem))
    chosen = found.candidates[0].volunteer.id
    result = run("cover", fresh, "--week", WEEK, "--shift", shift, "--without", leaving, "--apply", "1", "--lang", lang)
    assert result.exit_code == 0, result.output
    after = roster_json(fresh)
    assert on_shift(fresh, shift) == sorted(set(on_shift_of(before, shift)) - {leaving} | {chosen})
    assert len(after["assignments"]) == len(before["assignments"])
    assert after["solver"]["status"] == "EDITED" and after["solver"]["best_bound"] is None
    assert after["solver"]["objective"] == sum(after["objective"].values())
    assert after["replan"]["kept"] == len(before["assignments"]) - 1
    assert (after["replan"]["dropped"], after["replan"]["added"]) == (1, 1)
    assert after["replan"]["baseline_generated_at"] == before["generated_at"]
    assert len(list((fresh / "rosters" / WEEK / "previous").glob("roster-*.json"))) == 1
    old, new = sum(before["objective"].values()), sum(after["objective"].values())
    assert f"{old} → {new}" in result.output
    checked = run("check", fresh, fresh / "rosters" / WEEK / "roster.json")
    assert checked.exit_code == 0, checked.output
    # The written load per person was recomputed too.
    loads = {v["volunteer"]: v["shifts"] for v in after["volunteers"]}
    assert loads[chosen] == sum(1 for a in after["assignments"] if a["volunteer"] == chosen)


def on_shift_of(record: dict, shift: str) -> list[str]:
    return [a["volunteer"] for a in record["assignments"] if a["shift"] == shift]


def test_someone_not_on_the_shift_exits_2(planned):
    absent = next(v for v in ("001", "002", "003", "004", "005", "006", "007")
                  if v not in on_shift(planned, "cleanup@2026-12-05"))
    result = run("cover", planned, "--week", WEEK, "--shift", "cleanup@2026-12-05", "--without", absent)
    assert result.exit_code == 2
    assert f"({absent}) is not on cleanup@2026-12-05 in the roster of 2026-W49" in result.output
    assert "Fix: give --without one of the people on the shift" in result.output


def test_apply_beyond_the_list_exits_2_and_writes_nothing(fresh):
    leaving = on_shift(fresh, "cleanup@2026-12-05")[0]
    before = (fresh / "rosters" / WEEK / "roster.json").read_bytes()
    result = run("cover", fresh, "--week", WEEK, "--shift", "cleanup@2026-12-05", "--without", leaving, "--apply", "99")
    assert result.exit_code == 2 and "there is no replacement number 99" in result.output
    assert (fresh / "rosters" / WEEK / "roster.json").read_bytes() == before


def test_cover_for_a_week_not_planned_exits_2(planned):
    result = run("cover", planned, "--week", "2026-W50", "--shift", "cleanup@2026-12-12", "--without", "001")
    assert result.exit_code == 2 and "week 2026-W50 has not been planned" in result.output


@pytest.mark.parametrize("lang, expected", [
    ("en", ["Nobody can step in without breaking a hard rule", "Who could take it: everyone: 2", "free then: 1"]),
    ("zh", ["没有人能在其余排班不变的前提下顶替", "谁能担任：全部 2", "该时段有空 1"]),
])
def test_no_replacement_says_so_and_shows_the_funnel(tmp_path, lang, expected):
    folder = crafted(tmp_path, "id,name,gender,age,availability\nA,An,F,40,Mon morning\nB,Bo,M,40,Tue morning\n",
                     "shifts:\n  - {id: patrol, name: Patrol, days: [Mon], start: '07:00', end: '09:00', need: 1}\n")
    result = run("cover", folder, "--week", WEEK, "--shift", "patrol@2026-11-30", "--without", "A", "--lang", lang)
    assert result.exit_code == 0, result.output
    for fragment in expected:
        assert fragment in result.output, f"{fragment!r} missing from:\n{result.output}"


def test_a_replacement_leaving_a_requirement_unmet_is_marked_and_ranked_after(tmp_path):
    folder = crafted(
        tmp_path,
        "id,name,gender,age,availability,avoids\n"
        "F1,Fang,F,40,Sat all day,\nM1,Ma,M,40,Sat all day,\nM2,Mo,M,40,Sat all day,\nF2,Fei,F,40,Sat all day,cleanup\n",
        "shifts:\n  - {id: cleanup, name: Clean-up, kind: cleanup, days: [Sat], start: '09:00', end: '11:00', "
        "need: 2, min_female: 1}\n")
    team = on_shift(folder, "cleanup@2026-12-05")
    assert "F1" in team and "F2" not in team
    result = run("cover", folder, "--week", WEEK, "--shift", "cleanup@2026-12-05", "--without", "F1", "--lang", "en")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()[:2] in ("1.", "2.")]
    assert lines[0].strip().startswith("1. Fei (F2)") and "leaves" not in lines[0]
    assert lines[1].strip().startswith("2. M") and "leaves 1 woman missing" in lines[1]


def test_cover_respects_the_locks_file(fresh):
    """A replacement may not undo another promise: a locked person stays where the locks file put them."""
    problem = api.load(fresh, week=WEEK)
    roster = api.read_week_roster(fresh, problem)
    shift = "cleanup@2026-12-05"
    leaving = on_shift(fresh, shift)[0]
    locks = [(a.volunteer, a.shift) for a in roster.assignments if a.shift != shift][:2] + [(leaving, shift)]
    found = api.cover(problem, roster, shift, leaving, locks=locks)
    assert (leaving, shift) not in found.context.locks and len(found.context.locks) == 2
    for rank in range(1, len(found.candidates) + 1):
        assert constraints.check(problem, found.pairs_with(rank), found.context) == []
