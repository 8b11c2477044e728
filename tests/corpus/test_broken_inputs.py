"""Every case of the broken-input catalogue (`cases.py`) through the command line.

For each case a copy of the tutorial folder gets the broken file, and `roster validate` (or
`roster check`) must answer as the catalogue says: exit 2 with a message naming the file, the row,
the column and the value, with a "Fix:" part, and no traceback; or, for a legal input, load it as
what it means. Nothing anywhere in the problem folder may be written or changed. A few cases also
go through `roster solve`, next to an earlier roster that must stay byte-identical.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli as run

from .builders import TUTORIAL
from .cases import CASES, WEEK, Case

BY_ID = {case.id: case for case in CASES}
KINDS = ("volunteers", "shifts", "rules")


def param(case: Case):
    marks = [pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else []
    return pytest.param(case, id=case.id, marks=marks)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (None) under `folder`, by relative path."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


def place(case: Case, folder: Path) -> Path:
    """Put the case's file into the problem folder, removing the input it replaces."""
    target = folder / case.file
    kind = target.name.split(".")[0]
    if case.command == "validate" and kind in KINDS:
        for other in folder.glob(f"{kind}.*"):
            other.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case.build())
    return target


def command(case: Case, folder: Path, target: Path) -> list[object]:
    """The case's command, in English: the cases name the English words (a broken rules file would
    otherwise leave the tutorial's messages in the rules' default, Chinese)."""
    if case.command == "check":
        return ["check", folder, target, "--lang", "en"]
    return ["validate", folder, "--week", WEEK, "--lang", "en"]


def plain(output: str, folder: Path) -> str:
    return output.replace(str(folder), "PROBLEM")


def assert_no_traceback(output: str) -> None:
    assert "Traceback" not in output and "Internal error" not in output, output


@pytest.fixture
def problem(tmp_path: Path) -> Path:
    folder = tmp_path / "tutorial"
    shutil.copytree(TUTORIAL, folder, ignore=shutil.ignore_patterns("rosters"))
    return folder


@pytest.fixture(scope="module")
def tutorial_summary(tmp_path_factory) -> str:
    """What `roster validate` says about the clean tutorial, paths taken out."""
    folder = tmp_path_factory.mktemp("clean") / "tutorial"
    shutil.copytree(TUTORIAL, folder, ignore=shutil.ignore_patterns("rosters"))
    result = run("validate", folder, "--week", WEEK)
    assert result.exit_code == 0, result.output
    return plain(result.output, folder)


def test_the_catalogue_is_big_and_every_id_is_unique():
    assert len(CASES) >= 40
    assert len(BY_ID) == len(CASES)
    assert {case.command for case in CASES} == {"validate", "check"}


@pytest.mark.parametrize("case", [param(case) for case in CASES])
def test_broken_input(case: Case, problem: Path, tutorial_summary: str):
    target = place(case, problem)
    before = snapshot(problem)
    result = run(*command(case, problem, target))
    output = plain(result.output, problem)

    assert_no_traceback(output)
    assert result.exit_code == case.exit, output
    for fragment in case.expect:
        assert fragment in output, f"{fragment!r} missing from:\n{output}"
    for fragment in case.forbid:
        assert fragment not in output, f"{fragment!r} is misleading here:\n{output}"
    if case.exit == 2:
        assert re.search(re.escape(target.name) + r"(?!\w)", output), f"the message does not name {target.name}:\n{output}"
        assert "Fix:" in output, output
    if case.same_as_tutorial:
        assert output == tutorial_summary
    assert snapshot(problem) == before, "the problem folder was changed"


# ----------------------------------------------------------------------------- roster solve

SOLVE_CASES = [
    "csv-gender-lady", "csv-random-bytes", "xlsx-is-a-csv-renamed", "json-truncated", "shifts-need-10000",
    "shifts-duplicate-key", "rules-unknown-key", "rules-rest-infinite", "rules-weight-absurd",
]
SOLVE_BUGS: dict[str, str] = {}  # case id -> known defect of `roster solve` on it (strict xfail)


@pytest.fixture(scope="module")
def earlier_roster(tmp_path_factory) -> dict[str, bytes]:
    """The four files of a real tutorial roster for the week, solved once for the whole module."""
    folder = tmp_path_factory.mktemp("earlier") / "tutorial"
    shutil.copytree(TUTORIAL, folder, ignore=shutil.ignore_patterns("rosters"))
    result = run("solve", folder, "--week", WEEK, "--quiet", "--time-limit", "5")
    assert result.exit_code in (0, 3), result.output
    out = folder / "rosters" / WEEK
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


@pytest.mark.parametrize("case", [
    pytest.param(BY_ID[name], id=name,
                 marks=[pytest.mark.xfail(strict=True, reason=SOLVE_BUGS[name])] if name in SOLVE_BUGS else [])
    for name in SOLVE_CASES
])
def test_solve_on_broken_input_writes_nothing_and_keeps_the_earlier_roster(
        case: Case, problem: Path, earlier_roster: dict[str, bytes], tmp_path: Path):
    week_dir = problem / "rosters" / WEEK
    week_dir.mkdir(parents=True)
    for name, data in earlier_roster.items():
        (week_dir / name).write_bytes(data)
    place(case, problem)
    before = snapshot(problem)

    result = run("solve", problem, "--week", WEEK, "--quiet", "--time-limit", "5")
    assert_no_traceback(result.output)
    assert result.exit_code == 2, result.output
    assert "Nothing was written" in result.output
    assert snapshot(problem) == before
    assert {p.name: p.read_bytes() for p in week_dir.iterdir() if p.is_file()} == earlier_roster

    elsewhere = tmp_path / "elsewhere"
    result = run("solve", problem, "--week", WEEK, "--quiet", "--time-limit", "5", "--out", elsewhere)
    assert result.exit_code == 2, result.output
    assert not elsewhere.exists()
    assert snapshot(problem) == before


def test_a_message_quotes_the_value_once_per_problem(problem: Path):
    """Several mistakes in one register: one line each, every line located, all in one run."""
    case = BY_ID["csv-gender-lady"]
    text = case.build().decode("utf-8").replace("1958-09-03", "1958-02-30").replace("Sat,Sun all day", "Sat,Sun whenever")
    (problem / "volunteers.csv").write_text(text, encoding="utf-8")
    result = run("validate", problem, "--week", WEEK)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.startswith("  - ")]
    assert len(lines) == 3, result.output
    assert all(re.search(r"volunteers\.csv, row \d+, column '\w+': .* \(value: '.*'\)\. Fix: ", line) for line in lines)
