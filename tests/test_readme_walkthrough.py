"""The README's walkthrough prints what the tool prints: run it and compare, so it cannot go stale."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from tests.conftest import REPOSITORY, run_cli

README = (REPOSITORY / "README.md").read_text(encoding="utf-8")
WALKTHROUGH = README[README.index("## Walkthrough"):README.index("## Input files")]
WEEK = "2026-W49"


def _blocks() -> list[str]:
    """The walkthrough's plain code blocks (what the tool prints; commands are in ```bash blocks), in order."""
    blocks, current, fence = [], [], None
    for line in WALKTHROUGH.splitlines():
        if line.startswith("```"):
            if fence is None:
                fence, current = line[3:].strip(), []
            else:
                if fence == "":
                    blocks.append("\n".join(current))
                fence = None
        elif fence is not None:
            current.append(line)
    return blocks


def _timing_free(line: str) -> str:
    return re.sub(r"time [\d.]+ s", "time # s", line.rstrip())


def _assert_shown(block: str, output: str) -> None:
    printed = {_timing_free(line) for line in output.splitlines()}
    for line in block.splitlines():
        if line.strip() and line.strip() != "...":
            assert _timing_free(line) in printed, f"README shows {line!r}, the tool does not print it"


@pytest.fixture
def planned(tutorial_copy: Path) -> tuple[Path, str]:
    result = run_cli("solve", tutorial_copy, "--week", WEEK, "--time-limit", 10, "--quiet")
    assert result.exit_code == 0, result.output
    return tutorial_copy, result.output


def test_the_validate_output_is_what_the_readme_shows(tutorial_copy: Path) -> None:
    result = run_cli("validate", tutorial_copy, "--week", WEEK)
    assert result.exit_code == 0, result.output
    overview, per_time = _blocks()[0], _blocks()[1]
    _assert_shown(overview, result.output)
    _assert_shown(per_time, result.output)


def test_the_solve_summary_is_what_the_readme_shows(planned: tuple[Path, str]) -> None:
    summary = next(block for block in _blocks() if block.startswith("Week "))
    _assert_shown(summary, planned[1])


def test_the_duty_table_is_what_the_readme_shows(planned: tuple[Path, str]) -> None:
    folder, _ = planned
    shown = [[cell.strip() for cell in line.strip().strip("|").split("|")]
             for line in WALKTHROUGH.splitlines() if line.startswith("| ") and "---" not in line]
    with open(folder / "rosters" / WEEK / "duty_table.csv", encoding="utf-8-sig", newline="") as handle:
        written = [row for row in csv.reader(handle)]
    assert written == shown
