"""Planning one week of a problem folder: the workflow every face of the tool calls.

`plan_week(folder)` is exactly `roster solve FOLDER`: it loads the inputs, takes the folder lock,
reads the earlier weeks (history), the week's earlier roster (the baseline of a re-plan) and
`locks.csv`, plans within the time limit for the whole run, proves the roster against every
hard rule, and writes the week's files (`changes.csv` too after a re-plan, the earlier roster
kept under `previous/`). The command line, the HTTP service and city-wide runs only render
what it returns.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import constraints
from constraints import Context
from scheduler.analysis.supply import Supply
from scheduler.analysis.supply import supply as week_supply
from scheduler.domain import collector
from scheduler.domain.errors import Finding, InputError
from scheduler.domain.models import History, Problem
from scheduler.domain.roster import Roster
from scheduler.io.changes import Change, diff_rosters
from scheduler.io.writers import ensure_writable, write_outputs
from scheduler.loading import load_problem
from scheduler.loading.folder import ROSTER_FILE, ROSTERS, find_locks, folder_lock, week_folder
from scheduler.loading.history import load_baseline, load_history
from scheduler.loading.locks import load_locks
from scheduler.loading.rosterfile import read_roster
from scheduler.render.reasons import worded
from scheduler.solving.solver import Progress, SolveOptions, Stopper, prepare_processes
from scheduler.solving.solver import solve as run_solver


def plan_context(problem: Problem, *, history: History | None = None, baseline: Roster | None = None,
                 locks: str | Path | list[tuple[str, str]] | None = None,
                 freeze_until: dt.date | str | None = None, halt: Callable[[], bool] | None = None) -> Context:
    """What the week is planned against: earlier weeks, the roster it replaces, promises, frozen days.

    A `halt()` that says so (a stop) cuts the eligible lists short (`Context.cut_short`).
    Raises InputError when a lock breaks a hard rule or freezing has no earlier roster to keep.
    """
    if isinstance(freeze_until, str):
        freeze_until = _date_option("--freeze-until", freeze_until)
    if freeze_until is not None and baseline is None:
        raise InputError([Finding(file="--freeze-until", value=str(freeze_until), code="input.option.nothing_to_freeze")])
    context = constraints.build_context(problem, history=history, baseline=baseline.pairs() if baseline else (),
                                        frozen_before=freeze_until, halt=halt)
    if locks is None:
        return context
    if isinstance(locks, (str, Path)):
        pinned, findings = load_locks(locks, problem, context)
        if findings:
            raise InputError(findings)
    else:
        pinned = frozenset(locks)
    context.locks = pinned
    return context


def _date_option(option: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError([Finding(file=option, value=text, code="input.option.not_a_date")]) from None


def solve(problem: Problem, *, time_limit: float = 30.0, seed: int = 0, workers: int = 8,
          deterministic: bool = True, language: str | None = None, on_progress: Callable[[Progress], None] | None = None,
          history: History | None = None, baseline: Roster | None = None,
          locks: str | Path | list[tuple[str, str]] | None = None, freeze_until: dt.date | str | None = None,
          stopper: Stopper | None = None, wall_seconds: float | None = None,
          context: Context | None = None, on_phase: Callable[[str], None] | None = None,
          max_memory: float | None = None, processes: int | None = None) -> Roster:
    """The best roster within the time limit. A short week gives `status == 'partial'` and `unfilled`.

    `language` (zh/en) is that of the reasons in `unfilled`; the rules file's by default.
    `history` (see `load_history`) makes fairness and rotation look back; `baseline`, an earlier
    roster of the same week, is kept as far as possible (a re-plan); `locks` (a locks file or
    pairs) are kept for certain; days before `freeze_until` keep the baseline exactly. A `Stopper`
    lets another thread (a signal handler) end the search early with the best roster so far.
    `wall_seconds` caps the wall-clock time of building and search (default: the time limit).
    A `context` made by `plan_context` stands for history, baseline, locks and freeze_until.
    A week whose estimated peak memory exceeds `max_memory` GB (default: the memory available on
    this machine) is refused before building, with ProblemTooLargeError (see `scheduler.solving.capacity`).
    `processes` (default: the machine's cores) prepare a big week's independent parts side by side
    (see `scheduler.solving.processes`); the roster is the same whatever their number.

    This plans a problem in memory and writes nothing; `plan_week` plans a problem folder as
    `roster solve` does (history, earlier roster and locks.csv read from the folder, files written).
    """
    options = SolveOptions(time_limit=time_limit, seed=seed, workers=workers, deterministic=deterministic,
                           language=language, on_progress=on_progress, stopper=stopper, wall_seconds=wall_seconds,
                           on_phase=on_phase, max_memory=max_memory)
    if processes is not None:
        options = replace(options, processes=processes)
    if context is None:
        context = plan_context(problem, history=history, baseline=baseline, locks=locks, freeze_until=freeze_until)
    roster = worded(run_solver(problem, options, context))
    if baseline is not None and roster.replan is not None:
        roster = roster.model_copy(update={"replan": roster.replan.model_copy(
            update={"baseline_generated_at": baseline.generated_at})})
    return roster


MIN_SEARCH_SECONDS = 1.0
"""The search always gets at least this much, however long loading took."""

SUPPLY_SHARE = 0.2
"""The share of the time left (the limit less loading and the writing reserve) that the supply figures
before the search may take."""

SUPPLY_MIN_SECONDS = 0.2
"""What the supply figures may take however little time is left: all of a small week's (a few
milliseconds), the first rows of a big one's."""


@dataclass(frozen=True)
class WeekPlan:
    """What planning a week did: the roster, where it was written, and what changed."""

    roster: Roster
    problem: Problem
    out_dir: Path
    written: list[Path]
    supply: Supply
    changes: list[Change] | None = None  # against the week's earlier roster, when there was one
    later_weeks: list[str] = field(default_factory=list)  # planned weeks that counted this one as history

    @property
    def seats_needed(self) -> int:
        return sum(shift.need for shift in self.problem.shifts)

    @property
    def seats_filled(self) -> int:
        """Seats of `need` that have someone; people above `need` (up to `max`) do not count twice."""
        return max(0, self.seats_needed - self.roster.seats_missing)


@collector.one_run()
def plan_week(folder: str | Path, week: str | None = None, *, out: str | Path | None = None,
              volunteers: str | Path | None = None, shifts: str | Path | None = None,
              rules: str | Path | None = None, time_limit: float | None = None, seed: int = 0, workers: int = 8,
              deterministic: bool = True, lang: str | None = None, history: bool = True, fresh: bool = False,
              locks: str | Path | None = None, freeze_until: dt.date | str | None = None, wait: float = 600.0,
              stopper: Stopper | None = None, on_progress: Callable[[Progress], None] | None = None,
              on_supply: Callable[[Supply, Problem], None] | None = None,
              on_phase: Callable[[str], None] | None = None,
              on_wait: Callable[[float], None] | None = None, sheet: str | None = None,
              max_memory: float | None = None, processes: int | None = None) -> WeekPlan:
    """Plan `week` (default: next week) of the problem `folder` and write its files, as `roster solve` does.

    `time_limit` (default: the rules file's `time_limit`, 30 s without one) is for the whole run:
    loading, waiting aside, and writing are kept out of the search's share. `history=False` ignores earlier weeks; `fresh=True` ignores an earlier roster
    of this week; `locks` defaults to the folder's locks.csv; days before `freeze_until` keep the
    earlier roster exactly. A `stopper` stopped from another thread (a signal handler, a service)
    ends the run early and the best roster so far is written, marked interrupted.
    `on_supply(supply, problem)` is told the week's supply figures before the search,
    `on_phase(code)` when each phase starts, `on_wait(seconds)` when another run holds the folder.
    `sheet` names the sheet of a workbook register (default: the planned month's, else the first).
    `max_memory` (GB, default: the memory available) refuses a larger week before building.
    `processes` (default: the machine's cores) prepare the parts of a big week side by side, as `solve`.

    Raises InputError (the findings), RosterLockedError or RosterError; writes nothing then.
    """
    started = time.monotonic()
    phase = on_phase or (lambda code: None)
    phase("loading")
    problem = load_problem(folder, volunteers=volunteers, shifts=shifts, rules=rules, week=week, sheet=sheet)
    collector.settle()  # the week lives to the end of the run: later collections leave it alone
    lang = lang or problem.rules.language
    time_limit = problem.rules.time_limit if time_limit is None else time_limit
    out_dir = Path(out) if out else week_folder(folder, problem.week)
    stopper = stopper or Stopper()
    ensure_writable(out_dir)  # a read-only week folder fails now, not after the search
    with folder_lock(folder, wait, on_wait, out=out_dir) as waited:
        phase("history")
        earlier = load_history(folder, problem) if history else None
        baseline = None if fresh else load_baseline(out_dir)
        context = plan_context(problem, history=earlier, baseline=baseline,
                               locks=locks or find_locks(folder), freeze_until=freeze_until, halt=stopper)
        collector.settle()  # and so do its eligible lists
        prepare_processes(context, SolveOptions().processes if processes is None else processes)
        phase("supply")
        # The figures before the search are worth a fifth of the time left at most (what loading and
        # the writing to come leave of the limit: a short limit on a big week leaves them little, see
        # SUPPLY_MIN_SECONDS), and a stop ends them.
        left = time_limit - (time.monotonic() - started - waited) - writing_reserve(problem)
        supply_until = time.monotonic() + max(SUPPLY_MIN_SECONDS, SUPPLY_SHARE * left)
        found_supply = week_supply(problem, context,
                                   halt=lambda: stopper.requested or time.monotonic() > supply_until)
        if on_supply:
            on_supply(found_supply, problem)
        spent = time.monotonic() - started - waited
        search_seconds = max(MIN_SEARCH_SECONDS, time_limit - spent - writing_reserve(problem))
        roster = solve(problem, time_limit=time_limit, seed=seed, workers=workers, deterministic=deterministic,
                       language=lang, on_progress=on_progress, on_phase=on_phase, context=context,
                       baseline=baseline, stopper=stopper, wall_seconds=search_seconds, max_memory=max_memory,
                       processes=processes)
        stopper.seal()
        collector.settle()  # the roster too, while its files are written
        phase("writing")
        changes = diff_rosters(baseline, roster) if baseline is not None else None
        written = write_outputs(roster, problem, out_dir, lang, changes=changes)  # one set, switched at once
    later = later_weeks_built_on(folder, problem.week.label) if baseline is not None else []
    return WeekPlan(roster=roster, problem=problem, out_dir=out_dir, written=written, supply=found_supply,
                    changes=changes, later_weeks=later)


def writing_reserve(problem: Problem) -> float:
    """Seconds kept back from the search for the report and the files.

    Measured by `benchmarks/phases.py`: writing takes about 0.27 ms a seat on an idle machine
    (3.1 s for 11,318 seats, 12.8 s for 45,061), plus half a second; the reserve allows half as much
    again for a busy one."""
    return 0.5 + 0.0004 * sum(shift.need for shift in problem.shifts)


def later_weeks_built_on(folder: str | Path, week_label: str) -> list[str]:
    """The planned weeks after `week_label` whose fairness and rotation counted it as history.

    After a re-plan of an earlier week, their rosters were made against what it said before.
    """
    found = []
    for path in sorted((Path(folder) / ROSTERS).glob(f"*/{ROSTER_FILE}")):
        label = path.parent.name
        if label <= week_label:
            continue
        try:
            if week_label in read_roster(path).history:
                found.append(label)
        except Exception:  # noqa: BLE001 - an unreadable later roster is reported when that week is planned
            continue
    return found
