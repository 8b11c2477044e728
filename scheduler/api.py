"""The library: everything the command line does, as function calls that raise and never print.

    import scheduler
    problem = scheduler.load("sample_data/yanji7", week="2026-W49")
    roster = scheduler.solve(problem, time_limit=20)
    roster.assignments_frame()             # a pandas DataFrame
    scheduler.check(problem, roster)       # [] when every hard rule holds
    scheduler.write(roster, problem, "out/")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import constraints
from constraints import Violation
from scheduler.errors import Finding
from scheduler.loading import load_problem
from scheduler.models import Problem
from scheduler.roster import Roster
from scheduler.rosterfile import read_roster
from scheduler.solver import Progress, SolveOptions
from scheduler.solver import solve as _solve
from scheduler.validation import WeekOverview, overview, warnings
from scheduler.writers import write_outputs

load = load_problem


@dataclass(frozen=True)
class Validation:
    """What `roster validate` reports once the inputs load: warnings and the week's overview."""

    warnings: list[Finding]
    overview: WeekOverview


def validate(problem: Problem) -> Validation:
    context = constraints.build_context(problem)
    return Validation(warnings=warnings(problem, context), overview=overview(problem, context))


def solve(problem: Problem, *, time_limit: float = 30.0, seed: int = 0, workers: int = 8,
          deterministic: bool = True, language: str | None = None, on_progress: Callable[[Progress], None] | None = None) -> Roster:
    """The best roster within the time limit. A short week gives `status == 'partial'` and `unfilled`.

    `language` (zh/en) is that of the reasons in `unfilled`; the rules file's by default.
    """
    options = SolveOptions(time_limit=time_limit, seed=seed, workers=workers, deterministic=deterministic,
                           language=language, on_progress=on_progress)
    return _solve(problem, options)


def check(problem: Problem, roster: Roster | str | Path) -> list[Violation]:
    """Every hard rule's plain-Python check on a roster (a Roster, or a roster.json / assignments.csv path)."""
    if not isinstance(roster, Roster):
        roster = read_roster(roster)
    return constraints.check(problem, roster.pairs())


def write(roster: Roster, problem: Problem, out_dir: str | Path, lang: str | None = None) -> list[Path]:
    """Write roster.json, assignments.csv, duty_table.csv and roster.xlsx atomically; earlier rosters are kept."""
    return write_outputs(roster, problem, Path(out_dir), lang or roster.language)
