"""From a problem to the best weekly roster: the phases of a solve, in order, against one deadline.

The pieces: `model` (the CP-SAT model from the catalogue and its objective), `search` (CP-SAT's
parameters, progress, the run and its stopping), `parts` (independent parts of the week and the
time each gets), `warm_start` / `flow_start` / `polish` (the roster before the search), `record`
(the roster record). This module strings them together; the names the rest of the package uses
(`Progress`, `Stopper`, `SolveOptions`, `build`, `make_roster` …) are importable from here too.

Determinism: the search is reproducible by default (see `scheduler.solving.search`). The
wall-clock budget still holds: each search is also capped at its share of the wall time left,
and when that cap ends a search first the roster records it (`solver.deterministic = false`).

Phases, time and stopping: a solve goes through the phases of `PHASES`, each announced to
`SolveOptions.on_phase` when it first starts, all budgeted against one wall-clock deadline. The
warm start comes first (it is the roster of last resort, and it keeps the locks and frozen days)
and runs to the deadline, but at least `WARM_START_MIN_SECONDS`; polishing, model building and
search take what the deadline leaves, the reasons for empty seats what is left after that. A `Stopper` is honoured in every phase: long loops ask it between
steps, so a stop ends the solve within moments with the best roster so far. Whatever ends the
solve, the roster it returns is proven: the catalogue's checks run on it last, and a violation
is an `InternalCheckError`, never a roster.

Processes: on a big week of several parts the warm start and polishing of each part run in worker
processes (`SolveOptions.processes`, see `scheduler.solving.processes`), each part by the same
functions as in process (`_warm_job`, then `_polish_job` in search order) against the same
deadlines, so the roster does not depend on the number of processes. The search stays here.
"""

from __future__ import annotations

import contextlib
import functools
import pickle
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ortools.sat.python import cp_model

import constraints
from constraints import Context, Pair, RosterView
from constraints.base import Violation, missing_items
from scheduler.domain import aside, collector
from scheduler.domain.errors import InternalCheckError
from scheduler.domain.models import Problem
from scheduler.domain.roster import Roster
from scheduler.solving.capacity import check_fits
from scheduler.solving.flow_start import best_start, flow_bound
from scheduler.solving.model import Built, assemble_objective, build, hint_with
from scheduler.solving.parts import (
    MIN_PART_SECONDS,
    Job,
    PartResult,
    kept_fill,
    quick_bound,
    search_order,
    stoppable_parts,
    sub_context,
    sub_problem,
    time_share,
)
from scheduler.solving.polish import polish
from scheduler.solving.processes import Pool, StopSignal, start_early, usable
from scheduler.solving.record import make_roster, replan_report, solver_report, unfilled_shifts
from scheduler.solving.search import (
    WORK_PER_SECOND,
    Progress,
    ProgressReporter,
    SolveOptions,
    Stopper,
    hint_completed,
    run,
    settings_of,
    solver_for,
)
from scheduler.solving.warm_start import Halt, greedy_fill

goal_weights = constraints.goal_weights

__all__ = [
    "MIN_PART_SECONDS", "PHASES", "WORK_PER_SECOND", "Built", "PartResult", "Progress", "SolveOptions", "Stopper",
    "assemble_objective", "build", "finish_reserve", "goal_weights", "hint_completed", "hint_with", "make_roster",
    "prepare_processes", "quick_bound", "replan_report", "solve", "solver_for", "unfilled_shifts",
]

PHASES = ("context", "supply", "warm_start", "polish", "model", "search", "reasons")
"""The engine's phases in order, by the stable codes `on_phase` receives. `supply` (the figures of
`scheduler.analysis.supply`) is asked for by the caller before solving; `context` runs in `solve` only when
no context is given; the others run in `solve`, each announced once, when it first starts."""

WARM_START_MIN_SECONDS = 30.0
"""The warm start runs to the deadline, and for at least this long whatever the budget: a short time
limit on a big week should still give a full roster rather than keep the limit to the second
(measured on 2 cores: about 2 s for 5,000 volunteers, 9 s for 20,000 on a quiet machine, three
times that on a busy one)."""

REASONS_MIN_SECONDS = 0.5
"""The reasons for empty seats run to the deadline, and for at least this long."""

POLISH_SHARE = 0.6
"""Polishing takes at most this share of the wall time left for polishing, building and search."""

STOP_GRACE_SECONDS = 0.5
"""After a stop, the warm start still gets this long (on most weeks it is done by then), and so do
the reasons for empty seats (the seats left then get none): a stop ends a run within moments
whatever the size, with as good a roster as those moments allow."""

FINISH_SECONDS = 0.2
FINISH_SECONDS_PER_SEAT = 0.00015
"""Wall time kept back from the search for the roster record and its final check (about 0.15 ms a seat at 20,000 volunteers)."""


class _Halts:
    """Halt functions against a stop (the solve's stopper, or in a worker process the one it forwards),
    noting when the clock, not a stop, cut a phase short (`cut`)."""

    def __init__(self, stopper: StopSignal | None, grace: float | None = None):
        self.stopper = stopper
        self.grace = STOP_GRACE_SECONDS if grace is None else grace
        self.cut = False  # a phase was cut short by the clock: the roster depends on the machine's speed

    def stopped(self) -> bool:
        return bool(self.stopper and self.stopper.requested)

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
        """A halt function: True `grace` seconds after a stop (or once `deadline` has passed)."""
        def halt() -> bool:
            now = time.perf_counter()
            if deadline is not None and now >= deadline:
                self.cut = True
                return True
            return self.stopped() and now >= (self.stopper.requested_at or now) + self.grace  # type: ignore[union-attr]  # stopped() needs a stopper
        return halt


class _Clock(_Halts):
    """One wall-clock deadline for the whole solve, the stopper, and the phase announcements."""

    def __init__(self, options: SolveOptions):
        super().__init__(options.stopper)
        self.started = time.perf_counter()
        budget = options.time_limit if options.wall_seconds is None else options.wall_seconds
        self.deadline = self.started + max(0.0, budget)
        self._on_phase = options.on_phase
        self._announced: set[str] = set()

    def phase(self, code: str) -> None:
        if code not in self._announced:
            self._announced.add(code)
            if self._on_phase:
                self._on_phase(code)

    def left(self, until: float) -> float:
        return until - time.perf_counter()


@dataclass(frozen=True)
class _Task:
    """One part to warm-start, fit to send to a worker process."""

    problem: Problem
    context: Context
    size: int  # its eligible pairs, plus one
    warm_until: float  # the warm start's deadline, a time.perf_counter() moment (one clock for every process)
    grace: float  # the stop's grace for the warm start


def _warm_job(task: _Task, halt: Halt, stopped: Callable[[], bool]) -> Job:
    """A part's warm start: the greedy fill (`halt` cuts it short) and what it leaves unmet."""
    fill = greedy_fill(task.problem, task.context, halt=halt)
    job = Job(problem=task.problem, context=task.context, fill=fill, missing=0, size=task.size)
    if not stopped():  # (the order of the search and the bound of a part the time does not reach: a stop skips both)
        job.missing = missing_items(constraints.shortfalls(task.problem, fill, task.context))
        job.floor()
    return job


def _polish_job(job: Job, halt: Halt) -> None:
    """A part's warm start polished, then the minimum-cost flow's start and bound, while `halt` allows."""
    job.fill = polish(job.problem, job.context, job.fill, halt=halt)
    if not halt():
        # The minimum-cost flow's roster instead, when it keeps every hard rule and costs less;
        # the same flow without the composition minimums bounds what any roster of the part costs.
        job.fill = best_start(job.problem, job.context, job.fill, functools.partial(polish, halt=halt))
        job.bound = divmod(flow_bound(job.problem, job.context), constraints.coverage_weight(job.problem, job.context))


def _warm_in_worker(task: _Task, stop: StopSignal) -> tuple[list[Pair], int, tuple[int, int] | None, bool]:
    """`_warm_job` in a worker process, against the stop the solve forwards: the fill, its missing
    items, its quick bound and whether the clock cut it (the part itself stays with the solve)."""
    halts = _Halts(stop, task.grace)
    job = _warm_job(task, halts.after_stop(task.warm_until), halts.stopped)
    return job.fill, job.missing, job.quick, halts.cut


def _polish_in_worker(sent: tuple[Job, float], stop: StopSignal) -> tuple[list[Pair], tuple[int, int] | None, bool]:
    """`_polish_job` in a worker process until the moment sent: the fill, the bound, whether the clock cut it."""
    job, until = sent
    halts = _Halts(stop)
    _polish_job(job, halts.halt_at(until))
    return job.fill, job.bound, halts.cut


def _warm_jobs(tasks: list[_Task], pool: Pool | None, clock: _Clock) -> list[Job]:
    """Every part's warm start, in the pool's workers when there is a pool; here, a part it did not answer."""
    answers = pool.run(_warm_in_worker, tasks) if pool else {}
    jobs = []
    for i, task in enumerate(tasks):
        if i not in answers:
            jobs.append(_warm_job(task, clock.after_stop(task.warm_until), clock.stopped))
            continue
        fill, missing, quick, cut = answers[i]
        clock.cut = clock.cut or cut
        jobs.append(Job(problem=task.problem, context=task.context, fill=fill, missing=missing, size=task.size,
                        quick=quick))
    return jobs


def _polish_jobs(jobs: list[Job], pool: Pool | None, clock: _Clock, until: float) -> None:
    """Every part polished until `until`, in search order, in the pool's workers when there is a pool
    (after a stop, or for a part it did not answer: here, where the stop ends it at once)."""
    # Without time to polish, sending every part to the workers and back would cost more than it gives.
    worth_sending = pool is not None and not clock.stopped() and clock.left(until) > MIN_PART_SECONDS
    answers = pool.run(_polish_in_worker, [(job, until) for job in jobs]) if pool and worth_sending else {}
    halt = clock.halt_at(until)
    for i, job in enumerate(jobs):
        if i not in answers:
            _polish_job(job, halt)
            continue
        job.fill, job.bound, cut = answers[i]
        clock.cut = clock.cut or cut


def _solve_part(job: Job, options: SolveOptions, clock: _Clock, finish: float, share: float, work: float,
                label: str) -> PartResult:
    """Build and search one part with `share` of the wall time left before `finish` and `work`
    deterministic seconds; without time (or when stopped) the part keeps its warm start."""
    if not clock.stopped() and job.bound is not None and _meets_bound(job, job.bound):
        return PartResult(pairs=job.fill, bound=job.bound, optimal=True)  # proven, whatever time is left
    if clock.stopped() or clock.left(finish) * share <= MIN_PART_SECONDS:
        return kept_fill(job, stopped=clock.stopped())
    clock.phase("model")
    built = build(job.problem, job.context, clock.halt_at(finish))
    if built is None:
        return kept_fill(job, stopped=clock.stopped())
    # The warm start holds the locks, the frozen days and what the earlier roster could keep.
    # The interleaved (deterministic) search gets a partial hint (see `hint_completed`).
    if options.hint and not hint_completed(built.plan, job.fill, clock.left(finish) * share / 2, options.stopper,
                                           whole=not options.deterministic):
        clock.cut = True
    seconds = clock.left(finish) * share
    if clock.stopped() or seconds <= MIN_PART_SECONDS:
        return kept_fill(job, coverage_weight=built.coverage_weight, build_seconds=built.seconds,
                         variables=len(built.plan.pairs()))
    clock.phase("search")
    solver = solver_for(options, seconds, work)
    reporter = ProgressReporter(built, options.on_progress, label) if options.on_progress else None
    status = run(solver, built.plan.model, reporter, options.stopper)
    if status == cp_model.INFEASIBLE:
        # The warm start keeps every hard rule, so the model cannot be infeasible: a model out of
        # step with the catalogue's checks. Never guess: say so.
        raise InternalCheckError([], "the model has no roster, yet the warm start keeps every hard rule")
    capped = (options.deterministic and status != cp_model.OPTIMAL and not clock.stopped()
              and solver.deterministic_time < solver.parameters.max_deterministic_time * 0.99)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return kept_fill(job, coverage_weight=built.coverage_weight, build_seconds=built.seconds,
                         variables=len(built.plan.pairs()), settings=settings_of(solver), capped=capped)
    pairs = [pair for pair, var in built.plan.pairs().items() if solver.boolean_value(var)]
    weight = built.coverage_weight
    floor = job.floor()
    bound = max(int(solver.best_objective_bound), floor[0] * weight + floor[1],
                0 if job.bound is None else job.bound[0] * weight + job.bound[1])
    # The deterministic mode's hint is partial, so a search cut short by the clock may end on a roster
    # worse than its own warm start (seats the fill had taken left empty): keep the better one.
    searched = status == cp_model.OPTIMAL or _total(job, pairs, weight) <= _priced(job)[1]
    return PartResult(pairs=pairs if searched else job.fill, bound=divmod(bound, weight),
                      optimal=status == cp_model.OPTIMAL, coverage_weight=weight, wall=solver.wall_time,
                      work=solver.deterministic_time, build_seconds=built.seconds, variables=len(built.plan.pairs()),
                      searched=searched, capped=capped, settings=settings_of(solver))


def _at_once() -> bool:
    return True


def _total(job: Job, pairs: list[Pair], coverage_weight: int) -> int:
    return sum(constraints.weighted_points(job.problem, pairs, job.context, coverage_weight).values())


def _priced(job: Job) -> tuple[int, int]:
    """The part's coverage weight and its final warm start's objective, counted once."""
    if job.priced is None:
        weight = constraints.coverage_weight(job.problem, job.context)
        job.priced = weight, _total(job, job.fill, weight)
    return job.priced


def _report_start(job: Job, on_progress: Callable[[Progress], None], clock: _Clock, label: str) -> None:
    weight, cost = _priced(job)
    bound = job.bound or job.floor()
    missing = missing_items(constraints.shortfalls(job.problem, job.fill, job.context))
    on_progress(Progress(elapsed=round(time.perf_counter() - clock.started, 2), shortfall=missing,
                         objective=cost, bound=bound[0] * weight + bound[1], part=label))


def _meets_bound(job: Job, bound: tuple[int, int]) -> bool:
    """The part's warm start costs no more than its flow bound: it is optimal, no search needed."""
    weight, cost = _priced(job)
    return cost <= bound[0] * weight + bound[1]


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
        context = constraints.build_context(problem, halt=clock.stopped)
    clock.phase("warm_start")  # which starts by splitting the week into its parts
    prepare_processes(context, options.processes)
    # Stopped before the eligible lists or the parts were done: the roster is what the plan pins (the
    # locks, the frozen days, whose lists are complete). Parts made of unfinished lists would be one per shift.
    pieces = None if context.cut_short else stoppable_parts(problem, context, clock.stopped)
    if pieces is None:
        pinned = sorted(constraints.pinned_pairs(problem, context))
        return _proven(problem, options, clock, context, [PartResult(pairs=pinned, bound=(0, 0))],
                       constraints.coverage_weight(problem, context))
    check_fits((sum(len(context.eligible.get(sid, ())) for sid in piece.shifts) for piece in pieces),
               options.max_memory, options.language or problem.rules.language)
    single = len(pieces) == 1
    finish = clock.deadline - finish_reserve(problem)
    # The warm start is the roster of last resort: only a stop or the deadline cuts it short.
    warm_until = max(finish, time.perf_counter() + WARM_START_MIN_SECONDS)
    tasks = [_Task(problem if single else sub_problem(problem, piece), context if single else sub_context(context, piece),
                   sum(len(context.eligible.get(sid, ())) for sid in piece.shifts) + 1, warm_until, clock.grace)
             for piece in pieces]
    processes = 1 if clock.stopped() else usable(options.processes, len(tasks), sum(task.size - 1 for task in tasks))
    # The whole week's scale of the objective (the parts' soft penalties add up, so it is theirs added
    # up); asked now so that a stop does not wait for it, and while the fork server may still be
    # importing the engine for the workers (`prepare_processes`).
    coverage_weight = constraints.coverage_weight(problem, context)
    with contextlib.ExitStack() as stack:  # the worker processes, if any, live until the search
        pool = stack.enter_context(Pool(processes, options.stopper, clock.grace, __name__)) if processes > 1 else None
        jobs = search_order(_warm_jobs(tasks, pool, clock))
        clock.phase("polish")
        _polish_jobs(jobs, pool, clock, time.perf_counter() + POLISH_SHARE * max(0.0, clock.left(finish)))
    labels = ["" if single else f"{i + 1}/{len(jobs)}" for i in range(len(jobs))]
    if options.on_progress and not clock.stopped():  # the first progress line of each part: its warm start
        for job, label in zip(jobs, labels):
            _report_start(job, options.on_progress, clock, label)
    work_left = options.time_limit * WORK_PER_SECOND
    results: list[PartResult] = []
    for i, job in enumerate(jobs):
        share = time_share(jobs, i)
        result = _solve_part(job, options, clock, finish, share, work_left * share, labels[i])
        work_left = max(0.0, work_left - result.work)
        results.append(result)
    return _proven(problem, options, clock, context, results, coverage_weight, processes)


def prepare_processes(context: Context, processes: int) -> None:
    """Start what the warm start's worker processes come from, when the week is big enough to use them
    (see `processes.start_early`): a run calls it as soon as its eligible lists are made."""
    if not context.cut_short and usable(processes, 2, sum(len(people) for people in context.eligible.values())) > 1:
        start_early(__name__)


CHECK_ASIDE_FROM = 5000
"""A roster of at least this many assignments is checked in a forked child while this process makes
its record (`scheduler.domain.aside`). On the generated 20,000-volunteer week (45,061 assignments)
the check takes about 0.6 s of CPU and the record 1.0 s: one after the other they were most of
what a stop waits for. Below the threshold both take a few hundredths of a second."""


@contextlib.contextmanager
def _final_check(problem: Problem, view: RosterView, context: Context) -> Iterator[Callable[[], list[Violation]]]:
    """The catalogue's checks of the roster: yields a function giving their violations.

    A big roster is checked in a child process while the block goes on (the same checks on the
    same view); if that child dies, it is checked here.
    """
    if len(view.pairs) < CHECK_ASIDE_FROM or not aside.available():
        found = constraints.check(problem, view, context)
        yield lambda: found
        return
    view.shifts_by_volunteer, view.volunteers_by_shift  # noqa: B018 - made once, for the child and the record
    with aside.aside({"final check": lambda: pickle.dumps(constraints.check(problem, view, context))}) as collect:
        def violations() -> list[Violation]:
            try:
                return pickle.loads(collect()["final check"])
            except aside.ChildDied:
                return constraints.check(problem, view, context)
        yield violations


def _proven(problem: Problem, options: SolveOptions, clock: _Clock, context: Context, results: list[PartResult],
            coverage_weight: int, processes: int = 1) -> Roster:
    """The parts' pairs as one roster, proven by the catalogue's checks, with its record and the solver's report."""
    pairs = sorted((p for r in results for p in r.pairs), key=lambda p: (problem.shift[p[1]].start, p[1], p[0]))
    with collector.paused():  # the proof's tables and the record: many small objects, no cycles
        view = RosterView(problem, pairs, context)  # one view for the proof and the record
        with _final_check(problem, view, context) as violations:
            clock.phase("reasons")
            halt_reasons = clock.after_stop(max(clock.deadline, time.perf_counter() + REASONS_MIN_SECONDS))
            if context.cut_short:
                halt_reasons = _at_once  # reasons asked of eligible lists a stop left unfinished would be wrong
            roster = make_roster(problem, pairs, context, None, coverage_weight, options.language, halt_reasons, view)
            broken = violations()
        if broken:
            raise InternalCheckError(broken)
    report = solver_report(results, options, coverage_weight, sum(roster.objective.values()), clock.started, processes)
    if clock.cut:
        report = report.model_copy(update={"deterministic": False})
    return roster.model_copy(update={"solver": report})
