"""From a problem to the best weekly roster: build the CP-SAT model from the catalogue, solve, read back.

Determinism: CP-SAT's parallel portfolio is not reproducible under a wall-clock limit. In the
default mode the workers are interleaved (`interleave_search`, documented as deterministic for
any number of workers) and each search stops after a fixed amount of *deterministic* time
(`WORK_PER_SECOND` of it per second of the time limit), so the same inputs, seed and settings
give the same roster whatever the machine load. The wall-clock budget still holds: each search
is also capped at its share of the wall time left, and when that cap ends a search first the
roster records it (`solver.deterministic = false`). `deterministic=False` runs the plain parallel
portfolio under the wall clock: faster, not reproducible.

Phases, time and stopping: a solve goes through the phases of `PHASES`, each announced to
`SolveOptions.on_phase` when it first starts, all budgeted against one wall-clock deadline. The
warm start comes first (it is the roster of last resort, and it keeps the locks and frozen days)
and runs to the deadline, but at least `WARM_START_MIN_SECONDS`; polishing, model building and
search take what the deadline leaves, the reasons for empty seats what is left after that. A `Stopper` is honoured in every phase: long loops ask it between
steps, so a stop ends the solve within moments with the best roster so far. Whatever ends the
solve, the roster it returns is proven: the catalogue's checks run on it last, and a violation
is an `InternalCheckError`, never a roster.
"""

from __future__ import annotations

import functools
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ortools
from ortools.sat.python import cp_model

import constraints
from constraints import CATALOGUE, GOALS, Context, Plan, RosterView, fairness, participation
from scheduler import __version__ as TOOL_VERSION
from scheduler.domain.errors import Finding, InputError, InternalCheckError
from scheduler.domain.models import Problem, Weights
from scheduler.domain.roster import (
    Assignment,
    Replan,
    Roster,
    SolverReport,
    Unfilled,
    VolunteerLoad,
    now_stamp,
    period_of,
)
from scheduler.solving.capacity import check_fits
from scheduler.solving.flow_start import best_start
from scheduler.solving.parts import parts, sub_context, sub_problem
from scheduler.solving.polish import polish
from scheduler.solving.reasons import pairs_by_volunteer, reasons_for
from scheduler.solving.warm_start import Halt, greedy_fill, never

PHASES = ("context", "supply", "warm_start", "polish", "model", "search", "reasons")
"""The engine's phases in order, by the stable codes `on_phase` receives. `supply` (the figures of
`scheduler.analysis.supply`) is asked for by the caller before solving; `context` runs in `solve` only when
no context is given; the others run in `solve`, each announced once, when it first starts."""

WORK_PER_SECOND = 0.5
"""Deterministic seconds of search per second of the time limit. CP-SAT's deterministic clock runs
at about half the wall clock on this kind of model (measured on the sample week with 8 interleaved
workers on 2 cores), so the fixed amount of search usually ends before its wall-clock cap."""

MIN_PART_SECONDS = 0.05
"""A part with less wall time than this left keeps its polished greedy fill."""

WARM_START_MIN_SECONDS = 30.0
"""The warm start runs to the deadline, and for at least this long whatever the budget: a short time
limit on a big week should still give a full roster rather than keep the limit to the second
(measured on 2 cores: about 2 s for 5,000 volunteers, 9 s for 20,000 on a quiet machine, three
times that on a busy one)."""

REASONS_MIN_SECONDS = 0.5
"""The reasons for empty seats run to the deadline, and for at least this long."""

POLISH_SHARE = 0.15
"""Polishing takes at most this share of the wall time left for polishing, building and search."""

STOP_GRACE_SECONDS = 0.5
"""After a stop, the warm start still gets this long (on most weeks it is done by then), and so do
the reasons for empty seats (the seats left then get none): a stop ends a run within moments
whatever the size, with as good a roster as those moments allow."""

FINISH_SECONDS = 0.2
FINISH_SECONDS_PER_SEAT = 0.00015
"""Wall time kept back from the search for the roster record and its final check (about 0.15 ms a seat at 20,000 volunteers)."""

@dataclass(frozen=True)
class Progress:
    """One line of live progress: the best roster so far."""

    elapsed: float
    shortfall: int
    objective: int
    bound: int
    part: str = ""  # "part 3/22" when the week splits into independent parts


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

    def __post_init__(self) -> None:
        # NaN would mean "no search" and write NaN into roster.json, which is not JSON; inf never ends.
        for name, seconds in (("time_limit", self.time_limit), ("wall_seconds", self.wall_seconds)):
            if seconds is not None and not math.isfinite(seconds):
                raise InputError([Finding(file=name, value=str(seconds), code="input.option.seconds",
                                          params={"option": name})])


@dataclass
class Built:
    """A model ready to solve, with what is needed to read its answer."""

    plan: Plan
    coverage_weight: int
    seconds: float


def goal_weights(weights: Weights, coverage_weight: int) -> dict[str, int]:
    return {"coverage": coverage_weight} | {goal: getattr(weights, goal) for goal in GOALS if goal != "coverage"}


def build(problem: Problem, context: Context, halt: Halt = never) -> Built | None:
    """Post every rule of the catalogue, then assemble the objective from the penalty records.

    None when `halt()` says so between two rules (a stop, or no time left to search anyway).
    """
    started = time.perf_counter()
    plan = Plan(problem, context)
    for rule in CATALOGUE:
        if halt():
            return None
        rule.add(plan)
        plan.posted.add(rule.NAME)
    coverage_weight = assemble_objective(plan)
    return Built(plan, coverage_weight, time.perf_counter() - started)


def assemble_objective(plan: Plan) -> int:
    """The one place the objective is made. Returns the coverage weight.

    Coverage dominates: one missing seat (or woman, or skill) weighs more than every soft
    penalty of the model at its worst together, so no trade of coverage for comfort is possible.
    """
    weights = plan.problem.rules.weights
    soft_worst = sum(getattr(weights, p.goal) * p.points * p.upper for p in plan.penalties if p.goal != "coverage")
    coverage_weight = soft_worst + 1
    per_goal = goal_weights(weights, coverage_weight)
    plan.model.minimize(cp_model.LinearExpr.weighted_sum([p.var for p in plan.penalties],
                                                         [per_goal[p.goal] * p.points for p in plan.penalties]))
    return coverage_weight


class _ProgressReporter(cp_model.CpSolverSolutionCallback):
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


class _Clock:
    """One wall-clock deadline for the whole solve, the stopper, and the phase announcements."""

    def __init__(self, options: SolveOptions):
        self.started = time.perf_counter()
        budget = options.time_limit if options.wall_seconds is None else options.wall_seconds
        self.deadline = self.started + max(0.0, budget)
        self.stopper = options.stopper
        self._on_phase = options.on_phase
        self._announced: set[str] = set()
        self.cut = False  # a phase was cut short by the clock: the roster depends on the machine's speed

    def phase(self, code: str) -> None:
        if code not in self._announced:
            self._announced.add(code)
            if self._on_phase:
                self._on_phase(code)

    def stopped(self) -> bool:
        return bool(self.stopper and self.stopper.requested)

    def left(self, until: float) -> float:
        return until - time.perf_counter()

    def halt_at(self, moment: float) -> Halt:
        """A halt function: True once stopped, or once `moment` has passed."""
        def halt() -> bool:
            if self.stopped():
                return True
            if time.perf_counter() >= moment:
                self.cut = True
                return True
            return False
        return halt

    def after_stop(self, deadline: float | None = None) -> Halt:
        """A halt function: True `STOP_GRACE_SECONDS` after a stop (or once `deadline` has passed)."""
        def halt() -> bool:
            now = time.perf_counter()
            if deadline is not None and now >= deadline:
                self.cut = True
                return True
            return self.stopped() and now >= (self.stopper.requested_at or now) + STOP_GRACE_SECONDS  # type: ignore[union-attr]  # stopped() needs a stopper
        return halt


def _run(solver: cp_model.CpSolver, model: cp_model.CpModel, reporter, stopper: Stopper | None) -> cp_model.CpSolverStatus:
    """Solve; with a stopper, in a worker thread so that the main thread stays free for signals.

    A stop that arrives just before CP-SAT has started would be dropped by it, so while the
    search runs a requested stop is passed on again every tenth of a second.
    """
    if stopper is None:
        return solver.solve(model, reporter)
    stopper.attach(solver)
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["status"] = solver.solve(model, reporter)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            outcome["error"] = exc

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
    if "error" in outcome:
        raise outcome["error"]
    return outcome["status"]


@dataclass
class PartResult:
    """The answer for one independent part of the week."""

    pairs: list[tuple[str, str]]
    optimal: bool
    bound: tuple[int, int]  # at least this many items missing, and then at least this many soft points
    coverage_weight: int | None  # the part's own (None when no model was built)
    wall: float
    work: float
    build_seconds: float
    variables: int
    searched: bool  # False when the part kept its warm start (no time, stopped, or no solution found)
    capped: bool  # the wall clock, not the deterministic limit, ended the search
    settings: dict[str, object]


@dataclass
class _Job:
    """One part of the week on its way through the phases."""

    problem: Problem
    context: Context
    fill: list[tuple[str, str]]
    missing: int
    size: int


def quick_bound(problem: Problem, context: Context, coverage_weight: int) -> int:
    """A lower bound on a part's objective without any search.

    Seats beyond what the eligible people can give in total stay empty (coverage weight each);
    the others add at least the cheapest fairness costs (`fairness.least`); the people no roster
    can place at least the cheapest participation points (`participation.least`); the other
    goals add at least nothing.
    """
    missing, soft = _quick_bound(problem, context)
    return coverage_weight * missing + soft


def _quick_bound(problem: Problem, context: Context) -> tuple[int, int]:
    """`quick_bound` as (items missing at least, soft points at least)."""
    seats = sum(shift.need for shift in problem.shifts)
    capacity = sum(min(len(shifts), problem.rules.weekly_cap(problem.volunteer[vid]))
                   for vid, shifts in _eligible_shifts(context).items())
    fillable = min(seats, capacity)
    weights = problem.rules.weights
    return (seats - fillable, weights.fairness * fairness.least(problem, context, fillable)
            + weights.participation * participation.least(problem, context))


def _eligible_shifts(context: Context) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for sid, vids in context.eligible.items():
        for vid in vids:
            table.setdefault(vid, []).append(sid)
    return table


def _kept_fill(job: _Job, coverage_weight: int | None = None, build_seconds: float = 0.0, variables: int = 0,
               settings: dict | None = None, capped: bool = False, stopped: bool = False) -> PartResult:
    """The part's answer when it is not searched (or the search found nothing): its warm start.

    After a stop its bound is left at nothing (still a true bound) rather than spend time on it.
    """
    bound = (0, 0) if stopped else _quick_bound(job.problem, job.context)
    return PartResult(job.fill, False, bound, coverage_weight, 0.0, 0.0, build_seconds, variables, False, capped,
                      settings or {})


def _solve_part(job: _Job, options: SolveOptions, clock: _Clock, finish: float, share: float, work: float,
                label: str) -> PartResult:
    """Build and search one part with `share` of the wall time left before `finish` and `work`
    deterministic seconds; without time (or when stopped) the part keeps its warm start."""
    if clock.stopped() or clock.left(finish) * share <= MIN_PART_SECONDS:
        return _kept_fill(job, stopped=clock.stopped())
    clock.phase("model")
    built = build(job.problem, job.context, clock.halt_at(finish))
    if built is None:
        return _kept_fill(job, stopped=clock.stopped())
    if options.hint:
        # The warm start holds the locks, the frozen days and what the earlier roster could keep.
        if options.deterministic:
            # A complete hint makes OR-Tools 9.15's interleaved search abort the whole process when
            # it is stopped while that hint is its only solution ("Check failed: solution->size() ==
            # postsolve_mapping.size()"): the deterministic mode hints the assignments only.
            hint_with(built.plan, job.fill)
        elif not hint_completed(built.plan, job.fill, clock.left(finish) * share / 2, options.stopper):
            clock.cut = True
    seconds = clock.left(finish) * share
    if clock.stopped() or seconds <= MIN_PART_SECONDS:
        return _kept_fill(job, built.coverage_weight, built.seconds, len(built.plan.pairs()))
    clock.phase("search")
    solver = solver_for(options, seconds, work)
    reporter = _ProgressReporter(built, options.on_progress, label) if options.on_progress else None
    status = _run(solver, built.plan.model, reporter, options.stopper)
    if status == cp_model.INFEASIBLE:
        # The warm start keeps every hard rule, so the model cannot be infeasible: a model out of
        # step with the catalogue's checks. Never guess: say so.
        raise InternalCheckError([], "the model has no roster, yet the warm start keeps every hard rule")
    capped = (options.deterministic and status != cp_model.OPTIMAL and not clock.stopped()
              and solver.deterministic_time < solver.parameters.max_deterministic_time * 0.99)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _kept_fill(job, built.coverage_weight, built.seconds, len(built.plan.pairs()), settings_of(solver),
                          capped)
    pairs = [pair for pair, var in built.plan.pairs().items() if solver.boolean_value(var)]
    weight = built.coverage_weight
    bound = max(int(solver.best_objective_bound), quick_bound(job.problem, job.context, weight))
    return PartResult(pairs, status == cp_model.OPTIMAL, divmod(bound, weight), weight, solver.wall_time,
                      solver.deterministic_time, built.seconds, len(built.plan.pairs()), True, capped,
                      settings_of(solver))


def finish_reserve(problem: Problem) -> float:
    """Wall time kept back for the roster record and the final check."""
    return FINISH_SECONDS + FINISH_SECONDS_PER_SEAT * sum(shift.need for shift in problem.shifts)


def solve(problem: Problem, options: SolveOptions = SolveOptions(), context: Context | None = None) -> Roster:
    """The best roster found within the limits; never raises for a short week (see `unfilled`).

    The week is split into independent parts (see `scheduler.solving.parts`). Each gets a warm start
    (`scheduler.solving.warm_start`: the locks, the frozen days, what the earlier roster can keep, then a
    greedy fill), polished while time allows, then searched in turn with a share of the time in
    proportion to its size. The wall-clock budget (`wall_seconds`, by default the time limit)
    covers every phase; parts the budget does not reach, or a stop, keep their warm start, so a
    roster is always complete as far as the fill could make it, and always keeps every hard rule.
    Raises `InternalCheckError` (never returns) if the final check finds a broken rule.
    """
    clock = _Clock(options)
    if context is None:
        clock.phase("context")
        context = constraints.build_context(problem)
    pieces = parts(problem, context)
    check_fits((sum(len(context.eligible.get(sid, ())) for sid in piece.shifts) for piece in pieces),
               options.max_memory, options.language or problem.rules.language)
    single = len(pieces) == 1
    clock.phase("warm_start")
    finish = clock.deadline - finish_reserve(problem)
    warm_halt = clock.after_stop(max(finish, time.perf_counter() + WARM_START_MIN_SECONDS))
    jobs = []
    for piece in pieces:
        sub = problem if single else sub_problem(problem, piece)
        sub_ctx = context if single else sub_context(context, piece)
        # The warm start is the roster of last resort: only a stop or the deadline cuts it short.
        fill = greedy_fill(sub, sub_ctx, halt=warm_halt)
        # (Only for the order of the search, which a stop skips.)
        missing = 0 if clock.stopped() else sum(sum(unmet.values())
                                                for unmet in constraints.shortfalls(sub, fill, sub_ctx).values())
        size = sum(len(context.eligible.get(sid, ())) for sid in piece.shifts) + 1
        jobs.append(_Job(sub, sub_ctx, fill, missing, size))
    # Parts the greedy fill leaves short come first: if time runs out, what is left is parts that
    # are already fully staffed.
    jobs.sort(key=lambda job: job.missing == 0)
    # Needed at the end when some part builds no model; asked now so that a stop does not wait for it.
    week_weight = constraints.coverage_weight(problem, context)
    clock.phase("polish")
    halt_polish = clock.halt_at(time.perf_counter() + POLISH_SHARE * max(0.0, clock.left(finish)))
    for job in jobs:
        job.fill = polish(job.problem, job.context, job.fill, halt=halt_polish)
        if not halt_polish():
            # The minimum-cost flow's roster instead, when it keeps every hard rule and costs less.
            job.fill = best_start(job.problem, job.context, job.fill, functools.partial(polish, halt=halt_polish))
    work_left = options.time_limit * WORK_PER_SECOND
    results: list[PartResult] = []
    for i, job in enumerate(jobs):
        share = job.size / sum(later.size for later in jobs[i:])
        result = _solve_part(job, options, clock, finish, share, work_left * share,
                             "" if single else f"part {i + 1}/{len(jobs)}")
        work_left = max(0.0, work_left - result.work)
        results.append(result)
    pairs = sorted((p for r in results for p in r.pairs), key=lambda p: (problem.shift[p[1]].start, p[1], p[0]))
    view = RosterView(problem, pairs, context)  # one view for the proof and the record
    violations = constraints.check(problem, view, context)
    if violations:
        raise InternalCheckError(violations)
    clock.phase("reasons")
    # Parts' soft penalties add up, so the whole week's coverage weight is theirs added up (asked of
    # the catalogue, before the search, when some part built no model).
    built = [r.coverage_weight for r in results if r.coverage_weight]
    coverage_weight = sum(w - 1 for w in built) + 1 if len(built) == len(results) else week_weight
    halt_reasons = clock.after_stop(max(clock.deadline, time.perf_counter() + REASONS_MIN_SECONDS))
    roster = make_roster(problem, pairs, context, None, coverage_weight, options.language, halt_reasons, view)
    report = _report(results, options, coverage_weight, sum(roster.objective.values()), clock.started)
    if clock.cut:
        report = report.model_copy(update={"deterministic": False})
    return roster.model_copy(update={"solver": report})


def _report(results: list[PartResult], options: SolveOptions, coverage_weight: int, objective: int,
            started: float) -> SolverReport:
    """One solver report for all parts, on the whole week's objective scale."""
    # A part's bound (m, s): at least m missing items, and then at least s soft points.
    bound = sum(coverage_weight * missing + soft for missing, soft in (r.bound for r in results))
    optimal = all(r.optimal for r in results)
    interrupted = bool(options.stopper and options.stopper.requested)
    settings = next((r.settings for r in results if r.settings), {}) | {"parts": len(results)}
    return SolverReport(
        status="OPTIMAL" if optimal else ("FEASIBLE" if all(r.searched for r in results) else "FEASIBLE (greedy fill)"),
        objective=objective, best_bound=bound, gap=_gap(objective, bound),
        wall_seconds=round(time.perf_counter() - started, 3), build_seconds=round(sum(r.build_seconds for r in results), 3),
        seed=options.seed, workers=options.workers,
        deterministic=options.deterministic and not interrupted and not any(r.capped for r in results),
        interrupted=interrupted, time_limit=options.time_limit, ortools=ortools.__version__, tool=TOOL_VERSION,  # type: ignore[attr-defined]  # only ortools.sat is typed
        variables=sum(r.variables for r in results), settings=settings, parts=len(results),
        parts_optimal=sum(r.optimal for r in results),
    )


def replan_report(context: Context, pairs: list[tuple[str, str]], baseline_generated_at: str = "") -> Replan | None:
    """Kept, dropped and added assignments against the roster this one replaces."""
    if not (context.baseline or context.locks or context.frozen_before):
        return None
    now, before = set(pairs), set(context.baseline)
    return Replan(baseline_generated_at=baseline_generated_at, kept=len(now & before), dropped=len(before - now),
                  added=len(now - before), locks=len(context.locks),
                  frozen_until=context.frozen_before.isoformat() if context.frozen_before else None,
                  history_weeks=list(context.history.weeks))


def hint_completed(plan: Plan, pairs, seconds: float, stopper: Stopper | None = None) -> bool:
    """Start the search from a known roster, with every variable of the model hinted.

    A hint of the assignment variables alone leaves CP-SAT to work out the rest (shortfalls,
    penalties, helper booleans), which on a big part it may not manage before its time is up:
    measured on a 1,000-volunteer part, no solution at all in 4 s. So the model is first solved
    with the assignments fixed to the roster, a trivial search, and its whole answer becomes the
    hint. Without the time for that (or when it fails) only the assignments are hinted; False then.
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
        if _run(solver, fixed, None, stopper) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = list(solver.response_proto.solution)
            plan.model.clear_hints()
            plan.model.proto.solution_hint.vars.extend(range(len(values)))
            plan.model.proto.solution_hint.values.extend(values)
            return True
    hint_with(plan, chosen)
    return False


def hint_with(plan: Plan, pairs) -> None:
    """Start the search from a known roster: every assignment variable gets a hint (replacing any earlier one)."""
    chosen = set(pairs)
    plan.model.clear_hints()
    for pair, var in plan.pairs().items():
        plan.model.add_hint(var, pair in chosen)


def _gap(objective: int | None, bound: int | None) -> float | None:
    if objective is None or bound is None:
        return None
    return round(abs(objective - bound) / max(abs(objective), 1), 6)


def make_roster(problem: Problem, pairs: list[tuple[str, str]], context: Context,
                report: SolverReport | None, coverage_weight: int | None = None, language: str | None = None,
                halt: Halt = never, view: RosterView | None = None) -> Roster:
    """A Roster record from (volunteer, shift) pairs: assignments, shortfalls, loads, objective.

    The reasons for empty seats are codes (`Unfilled.reason_codes`); `scheduler.render.reasons.worded`
    adds their words in `language` (the rules file's by default). The coverage weight is the solver's; without it, it is computed for the whole week. Once
    `halt()` says so, the shifts left short that are still to be explained get no reasons. `view`:
    the pairs' RosterView when the caller has one (it is built once per roster).
    """
    pairs = sorted(pairs, key=lambda p: (problem.shift[p[1]].start, p[1], p[0]))
    view = view or RosterView(problem, pairs, context)
    assignments = [Assignment.of(problem.shift[sid], problem.volunteer[vid]) for vid, sid in pairs]
    language = language or problem.rules.language
    unfilled = unfilled_shifts(problem, pairs, context, halt, view)
    points = constraints.goal_points(problem, view, context)
    weights = goal_weights(problem.rules.weights, coverage_weight or constraints.coverage_weight(problem, context))
    loads = _loads(problem, view, context, weights)
    return Roster(
        week=problem.week.label, period=period_of(problem), status="partial" if unfilled else "complete",
        language=language, generated_at=now_stamp(), solver=report,
        inputs={f"{key}_sha256": source.sha256 for key, source in problem.sources.items()},
        assignments=assignments, unfilled=unfilled, volunteers=loads,
        objective={goal: weights[goal] * points[goal] for goal in GOALS},
        replan=replan_report(context, pairs), history=list(context.history.weeks),
    )


def _loads(problem: Problem, view: RosterView, context: Context, weights: dict[str, int]) -> list[VolunteerLoad]:
    """Per active volunteer: shifts, hours, offer, and their share of each soft goal (weighted)."""
    per_person = constraints.points_by_volunteer(problem, view, context)
    count: dict[str, int] = {}
    hours: dict[str, float] = {}
    for vid, sid in view.pairs:
        count[vid] = count.get(vid, 0) + 1
        hours[vid] = hours.get(vid, 0.0) + problem.shift[sid].hours
    return [VolunteerLoad(volunteer=v.id, name=v.name, shifts=count.get(v.id, 0), hours=round(hours.get(v.id, 0.0), 2),
                          offered=context.offered.get(v.id, 0),
                          objective={goal: weights[goal] * p for goal, p in per_person.get(v.id, {}).items()})
            for v in problem.volunteers if v.active]


def unfilled_shifts(problem: Problem, pairs: list[tuple[str, str]], context: Context,
                    halt: Halt = never, view: RosterView | None = None) -> list[Unfilled]:
    """Every shift left short, with what is missing and why (no reasons once `halt()` says so)."""
    short = constraints.shortfalls(problem, view or pairs, context)
    own = pairs_by_volunteer(pairs)
    assigned: dict[str, int] = {}
    for _, sid in pairs:
        assigned[sid] = assigned.get(sid, 0) + 1
    result = []
    for shift in problem.shifts:
        if shift.id not in short:
            continue
        unmet = dict(short[shift.id])
        reasons = [] if halt() else reasons_for(problem, shift, unmet, pairs, context, own)
        missing = unmet.pop("seats", 0)
        result.append(Unfilled(
            shift=shift.id, name=shift.name, date=shift.date.isoformat(), start=shift.start.strftime("%H:%M"),
            end=shift.end.strftime("%H:%M"), need=shift.need, assigned=assigned.get(shift.id, 0), missing=missing,
            unmet=unmet, reason_codes=reasons,
        ))
    return result
