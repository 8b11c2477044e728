"""The search: CP-SAT's parameters, live progress, and the run with its stopping.

Determinism: CP-SAT's parallel portfolio is not reproducible under a wall-clock limit. In the
default mode the workers are interleaved (`interleave_search`, documented as deterministic for
any number of workers) and each search stops after a fixed amount of *deterministic* time
(`WORK_PER_SECOND` of it per second of the time limit), so the same inputs, seed and settings
give the same roster whatever the machine load. The wall-clock cap still holds, and
`deterministic=False` runs the plain parallel portfolio under the wall clock: faster, not
reproducible. A `Stopper` ends a running search from a signal handler or a service.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from constraints import Pair, Plan
from scheduler.domain.errors import Finding, InputError
from scheduler.solving.model import Built, hint_with
from scheduler.solving.parts import MIN_PART_SECONDS

WORK_PER_SECOND = 0.5
"""Deterministic seconds of search per second of the time limit. CP-SAT's deterministic clock runs
at about half the wall clock on this kind of model (measured on the sample week with 8 interleaved
workers on 2 cores), so the fixed amount of search usually ends before its wall-clock cap."""


@dataclass(frozen=True)
class Progress:
    """One line of live progress: the best roster so far."""

    elapsed: float
    shortfall: int
    objective: int
    bound: int
    part: str = ""  # "3/22" (the third of 22 parts) when the week splits into independent parts


@dataclass(frozen=True)
class SolveOptions:
    """How long and how to search. The defaults are reproducible."""

    time_limit: float = 30.0
    seed: int = 0
    workers: int = 8
    deterministic: bool = True
    language: str | None = None
    hint: bool = True
    stopper: Stopper | None = None
    wall_seconds: float | None = None  # wall-clock budget of the whole solve (default: the time limit)
    on_progress: Callable[[Progress], None] | None = None
    on_phase: Callable[[str], None] | None = None  # called with a code of PHASES as each phase starts
    max_memory: float | None = None  # GB; refuse a larger week before building (default: the memory available)
    processes: int = field(default_factory=lambda: os.cpu_count() or 1)  # for the parts' warm starts (1: in process)

    def __post_init__(self) -> None:
        # NaN would mean "no search" and write NaN into roster.json, which is not JSON; inf never ends.
        for name, seconds in (("time_limit", self.time_limit), ("wall_seconds", self.wall_seconds)):
            if seconds is not None and not math.isfinite(seconds):
                raise InputError([Finding(file=name, value=str(seconds), code="input.option.seconds",
                                          params={"option": name})])


class ProgressReporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, built: Built, report: Callable[[Progress], None], part: str = ""):
        super().__init__()
        self._coverage = [p.var for p in built.plan.penalties if p.goal == "coverage"]
        self._report = report
        self._part = part

    def on_solution_callback(self) -> None:
        self._report(Progress(
            elapsed=self.wall_time, shortfall=sum(self.value(v) for v in self._coverage),
            objective=int(self.objective_value), bound=int(self.best_objective_bound), part=self._part,
        ))


def solver_for(options: SolveOptions, seconds: float | None = None, work: float | None = None) -> cp_model.CpSolver:
    """A CP-SAT solver for the options, with `seconds` of wall clock and `work` deterministic seconds.

    `seconds` defaults to the time limit, `work` to its deterministic share (`WORK_PER_SECOND`).
    In the deterministic mode the amount of search is fixed in deterministic seconds, so that it
    does not depend on how busy the machine is; the wall clock caps it all the same.
    """
    seconds = options.time_limit if seconds is None else seconds
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = options.workers
    params.random_seed = options.seed
    params.catch_sigint_signal = False  # the command line decides what Ctrl-C means (see Stopper)
    params.max_time_in_seconds = max(0.0, seconds)
    if options.deterministic:
        params.interleave_search = True
        # Small batches let the LP-based workers, which close these rosters, take turns sooner:
        # measured on the sample week, 4.4 deterministic seconds to optimality instead of 9.3.
        params.interleave_batch_size = 1
        params.max_deterministic_time = options.time_limit * WORK_PER_SECOND if work is None else work
    return solver


def settings_of(solver: cp_model.CpSolver) -> dict[str, object]:
    """Every solver setting that shapes the roster, for roster.json."""
    p = solver.parameters
    return {"num_workers": p.num_workers, "random_seed": p.random_seed, "interleave_search": p.interleave_search,
            "interleave_batch_size": p.interleave_batch_size, "max_deterministic_time": round(p.max_deterministic_time, 3),
            "wall_clock_cap": "the part's share of the wall time left"}


class Stopper:
    """Lets a signal handler (or a service) stop a running plan; the best roster found so far is kept.

    `stop()` only sets flags and asks a running search to end: it is safe in a signal handler.
    Every phase of the engine asks `requested` between steps. `seal()` is called just before the
    files are written: from then on a stop can no longer change what is written (`sealed`).
    `grace` seconds after a requested stop let a second Ctrl-C abort first.
    """

    def __init__(self, grace: float = 0.0) -> None:
        self._lock = threading.Lock()
        self._solver: cp_model.CpSolver | None = None
        self.requested = False
        self.requested_at: float | None = None  # time.perf_counter() of the first stop
        self.sealed = False
        self.grace = grace

    def __call__(self) -> bool:
        """`requested`, for the loops that take a halt function."""
        return self.requested

    def attach(self, solver: cp_model.CpSolver | None) -> None:
        """The search a stop must end (None once it is over)."""
        with self._lock:
            self._solver = solver

    def stop(self) -> None:
        if not self.requested:
            self.requested_at = time.perf_counter()
        self.requested = True
        solver = self._solver
        if solver is not None:
            solver.stop_search()

    def seal(self) -> None:
        if self.requested and self.grace:
            time.sleep(self.grace)
        self.sealed = True


def run(solver: cp_model.CpSolver, model: cp_model.CpModel, reporter: cp_model.CpSolverSolutionCallback | None,
        stopper: Stopper | None) -> cp_model.CpSolverStatus:
    """Solve; with a stopper, in a worker thread so that the main thread stays free for signals.

    A stop that arrives just before CP-SAT has started would be dropped by it, so while the
    search runs a requested stop is passed on again every tenth of a second.
    """
    if stopper is None:
        return solver.solve(model, reporter)
    stopper.attach(solver)
    status: list[cp_model.CpSolverStatus] = []
    error: list[BaseException] = []

    def work() -> None:
        try:
            status.append(solver.solve(model, reporter))
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            error.append(exc)

    thread = threading.Thread(target=work, name="cp-sat", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.1)
            if stopper.requested:
                solver.stop_search()
    except BaseException:
        solver.stop_search()  # aborting: let the search end, write nothing
        thread.join()
        raise
    finally:
        stopper.attach(None)
    if error:
        raise error[0]
    return status[0]


def hint_completed(plan: Plan, pairs: Iterable[Pair], seconds: float, stopper: Stopper | None = None,
                   whole: bool = True) -> bool:
    """Start the search from a known roster, with every variable of the model hinted (`whole`), or
    the assignments and the penalties only.

    A hint of the assignment variables alone leaves CP-SAT to work out the rest (shortfalls,
    penalties, helper booleans), which on a big part it may not manage before its time is up:
    measured on a 1,000-volunteer part, no solution at all in 4 s; on the sample week the
    interleaved search needs 8.3 deterministic seconds to prove the optimum from it, 0.41 with
    the penalties hinted too. So the model is first solved with the assignments fixed to the
    roster, a trivial search, and its answer becomes the hint. The interleaved (deterministic)
    search must not get every variable: OR-Tools 9.15 then reports the hint as a solution before
    presolve, and a stop arriving at that moment aborts the process ("Check failed:
    solution->size() == postsolve_mapping.size()"); leaving the fairness loads out (the
    assignments fix them by propagation) keeps the hint partial. Without the time for the fixed
    solve (or when it fails) only the assignments are hinted; False then.
    """
    chosen = set(pairs)
    if seconds > MIN_PART_SECONDS:
        fixed = plan.model.clone()
        for pair, var in plan.pairs().items():
            fixed.add(fixed.get_bool_var_from_proto_index(var.index) == int(pair in chosen))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.catch_sigint_signal = False
        if run(solver, fixed, None, stopper) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = list(solver.response_proto.solution)
            hinted = range(len(values)) if whole else _partial(plan)
            plan.model.clear_hints()
            plan.model.proto.solution_hint.vars.extend(hinted)
            plan.model.proto.solution_hint.values.extend(values[i] for i in hinted)
            return True
    hint_with(plan, chosen)
    return False


def _partial(plan: Plan) -> list[int]:
    """The variables a partial hint names: the assignments and the penalties, never every variable."""
    loads = {p.var.index for p in plan.penalties if p.goal == "fairness"}
    named = sorted({var.index for var in plan.pairs().values()}
                   | {p.var.index for p in plan.penalties if p.var.index not in loads})
    if len(named) == len(plan.model.proto.variables):
        named.pop()  # a model of assignments and penalties only: one left out is enough
    return named
