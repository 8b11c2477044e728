"""A week whose estimated peak memory would not fit is refused before building: exit 2, its size, a fix, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import scheduler
from scheduler.cli import main
from scheduler.solving import capacity

WEEK = "2026-W49"


@pytest.fixture
def problem(tutorial_copy: Path) -> Path:
    return tutorial_copy  # tests/conftest.py: the tutorial's inputs, without any rosters


def files_under(folder: Path) -> dict[str, bytes]:
    """The folder's files but the run lock (an empty file the operating system releases)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".roster.lock"}


def solve(problem: Path, *args: str):
    return CliRunner().invoke(main, ["solve", str(problem), "--week", WEEK, "--time-limit", "2", "--quiet", *args])


def test_a_tiny_max_memory_refuses_the_week_with_its_size_and_a_fix(problem):
    before = files_under(problem)
    result = solve(problem, "--max-memory", "0.01", "--lang", "en")
    assert result.exit_code == 2, result.output
    assert "too large to plan" in result.output
    assert "possible (volunteer, shift) pairs" in result.output
    assert "the --max-memory limit (0.01 GB)" in result.output
    assert "plan each community (or team) as its own problem folder" in result.output
    assert "Nothing was written" in result.output
    assert files_under(problem) == before  # no roster folder, no lock left behind


def test_the_refusal_speaks_chinese_when_the_rules_do(problem):
    result = solve(problem, "--max-memory", "0.01", "--lang", "zh")
    assert result.exit_code == 2, result.output
    assert "这一周太大" in result.output and "--max-memory" in result.output


def test_the_default_limit_is_the_memory_this_machine_has(problem, monkeypatch):
    monkeypatch.setattr(capacity, "available_gb", lambda: 0.05)
    result = solve(problem, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert "the memory available on this machine now (0.05 GB)" in result.output
    assert not (problem / "rosters").exists()


def test_a_normal_week_passes_with_the_default(problem):
    result = solve(problem)
    assert result.exit_code in (0, 3), result.output
    assert (problem / "rosters" / WEEK / "roster.json").is_file()


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "lots"])
def test_max_memory_must_be_a_positive_number(problem, value):
    result = solve(problem, "--max-memory", value)
    assert result.exit_code == 2
    assert "--max-memory" in result.output
    assert not (problem / "rosters").exists()


def test_plan_week_passes_max_memory_through(problem):
    with pytest.raises(scheduler.ProblemTooLargeError, match="pairs"):
        scheduler.plan_week(problem, WEEK, time_limit=2, max_memory=0.01)
    assert not (problem / "rosters").exists()


def test_the_estimate_grows_with_the_largest_part_and_refuses_only_above_the_limit():
    assert capacity.estimate_gb(0, 0) == capacity.BASE_GB
    assert capacity.estimate_gb(1_000_000, 1_000_000) > capacity.estimate_gb(1_000_000, 30_000)
    assert capacity.check_fits([30_000] * 87, max_memory=100) == capacity.estimate_gb(87 * 30_000, 30_000)
    with pytest.raises(scheduler.ProblemTooLargeError, match="3,000,000"):
        capacity.check_fits([3_000_000], max_memory=capacity.estimate_gb(3_000_000, 3_000_000) - 0.1, language="en")


def test_available_memory_is_read_from_this_machine():
    found = capacity.available_gb()
    assert found is None or found > 0
