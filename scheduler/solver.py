"""From a problem to the best weekly roster: build the CP-SAT model from the catalogue, solve, read back.

Determinism: CP-SAT's parallel portfolio is not reproducible under a wall-clock limit. In the
default mode the workers are interleaved (`interleave_search`, documented as deterministic for
any number of workers) and the search stops after a fixed amount of *deterministic* time, so the
same inputs, seed and settings give the same roster on every machine load. A wall-clock cap a
little above the time limit stays as a safety net; when it fires, the roster records it
(`solver.deterministic = false`). `deterministic=False` runs the plain parallel portfolio under
the wall clock: faster, not reproducible.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import ortools
from ortools.sat.python import cp_model

import constraints
from constraints import CATALOGUE, GOALS, Context, Plan, fairness, participation
from scheduler.flow_start import best_start
from scheduler.greedy import greedy_fill
from scheduler.models import Problem, Weights
from scheduler.polish import polish
from scheduler.reasons import pairs_by_volunteer, reasons_for
from scheduler import __version__ as TOOL_VERSION
from scheduler.decompose import Part, parts, sub_context, sub_problem
from scheduler.errors import ProblemTooLargeError, RosterError
from scheduler.roster import Assignment, Replan, Roster, SolverReport, Unfilled, VolunteerLoad, now_stamp, period_of

WALL_MARGIN_SECONDS = 5.0
"""How far past the time limit the wall-clock safety net lets a deterministic search run."""

MIN_PART_SECONDS = 0.05
"""A part with less wall time than this left keeps its polished greedy fill."""

MAX_PAIRS = 3_000_000
"""Above this many eligible (volunteer, shift) pairs the model would not fit 4 GB of memory."""


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
    wall_seconds: float | None = None  # wall-clock budget for building and search (default: the time limit)
    on_progress: Callable[[Progress], None] | None = None


@dataclass
class Built:
    """A model ready to solve, with what is needed to read its answer."""

    plan: Plan
    coverage_weight: int
    seconds: float


def goal_weights(weights: Weights, coverage_weight: int) -> dict[str, int]:
    return {"coverage": coverage_weight} | {goal: getattr(weights, goal) for goal in GOALS if goal != "coverage"}


def build(problem: Problem, context: Context) -> Built:
    """Post every rule of the catalogue, then assemble the objective from the penalty records."""
    started = time.perf_counter()
    plan = Plan(problem, context)
    for rule in CATALOGUE:
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

    Both default to the time limit. In the deterministic mode the amount of search is fixed in
    deterministic seconds whatever the clock says, so that it never depends on how busy the
    machine is; the wall clock is only a safety net, `WALL_MARGIN_SECONDS` beyond its share.
    """
    seconds = options.time_limit if seconds is None else seconds
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = options.workers
    params.random_seed = options.seed
    params.catch_sigint_signal = False  # the command line decides what Ctrl-C means (see Stopper)
    if options.deterministic:
        params.interleave_search = True
        # Small batches let the LP-based workers, which close these rosters, take turns sooner:
        # measured on the sample week, 4.4 deterministic seconds to optimality instead of 9.3.
        params.interleave_batch_size = 1
        params.max_deterministic_time = options.time_limit if work is None else work
        params.max_time_in_seconds = seconds + WALL_MARGIN_SECONDS
    else:
        params.max_time_in_seconds = seconds
    return solver


def settings_of(solver: cp_model.CpSolver) -> dict[str, object]:
    """Every solver setting that shapes the roster, for roster.json."""
    p = solver.parameters
    return {"num_workers": p.num_workers, "random_seed": p.random_seed, "interleave_search": p.interleave_search,
            "interleave_batch_size": p.interleave_batch_size, "max_deterministic_time": round(p.max_deterministic_time, 3),
            "wall_clock_cap": "time limit minus model building, plus %g s" % WALL_MARGIN_SECONDS
            if p.interleave_search else "time limit minus model building"}


class Stopper:
    """Lets a signal handler stop a running search; the best roster found so far is kept."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._solver: cp_model.CpSolver | None = None
        self.requested = False

    def attach(self, solver: cp_model.CpSolver) -> None:
        with self._lock:
            self._solver = solver
            if self.requested:
                solver.stop_search()

    def stop(self) -> None:
        with self._lock:
            self.requested = True
            if self._solver is not None:
                self._solver.stop_search()


def _run(solver: cp_model.CpSolver, model: cp_model.CpModel, reporter, stopper: Stopper | None) -> int:
    """Solve; with a stopper, in a worker thread so that the main thread stays free for signals."""
    if stopper is None:
        return solver.solve(model, reporter)
    stopper.attach(solver)
    outcome: dict[str, object] = {}

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
    except BaseException:
        solver.stop_search()  # aborting: let the search end, write nothing
        thread.join()
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["status"]


def too_large(context: Context, part: Part) -> int | None:
    """The number of (volunteer, shift) pairs of a part when it exceeds what this machine can model."""
    pairs = sum(len(context.eligible.get(sid, ())) for sid in part.shifts)
    return pairs if pairs > MAX_PAIRS else None


@dataclass
class PartResult:
    """The answer for one independent part of the week."""

    pairs: list[tuple[str, str]]
    optimal: bool
    bound: int  # on this part's own objective scale
    coverage_weight: int
    wall: float
    work: float
    build_seconds: float
    variables: int
    searched: bool  # False when the part fell back to the greedy fill (no time, or stopped)
    capped: bool
    settings: dict[str, object]


def quick_bound(problem: Problem, context: Context, coverage_weight: int) -> int:
    """A lower bound on a part's objective without any search.

    Seats beyond what the eligible people can give in total stay empty (coverage weight each);
    the others add at least the cheapest fairness costs (`fairness.least`); the people no roster
    can place at least the cheapest participation points (`participation.least`); the other
    goals add at least nothing.
    """
    seats = sum(shift.need for shift in problem.shifts)
    capacity = sum(min(len(shifts), problem.rules.weekly_cap(problem.volunteer[vid]))
                   for vid, shifts in _eligible_shifts(context).items())
    fillable = min(seats, capacity)
    weights = problem.rules.weights
    return (coverage_weight * (seats - fillable) + weights.fairness * fairness.least(problem, context, fillable)
            + weights.participation * participation.least(problem, context))


def _eligible_shifts(context: Context) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for sid, vids in context.eligible.items():
        for vid in vids:
            table.setdefault(vid, []).append(sid)
    return table


def _solve_part(problem: Problem, context: Context, fill: list[tuple[str, str]], options: SolveOptions,
                deadline: float, share: float, work: float, label: str) -> PartResult:
    """Build and search one part with `share` of the wall time left before `deadline` and `work`
    deterministic seconds; without time (or when stopped) take the greedy fill."""
    if (options.stopper and options.stopper.requested) or deadline - time.perf_counter() <= MIN_PART_SECONDS:
        # No time left: the greedy fill as it is (polishing costs time the deadline no longer has).
        weight = constraints.coverage_weight(problem, context)
        return PartResult(fill, False, quick_bound(problem, context, weight), weight, 0.0, 0.0, 0.0, 0, False,
                          False, {})
    fill = best_start(problem, context, polish(problem, context, fill), polish)
    built = build(problem, context)
    if options.hint:
        # A re-plan starts from the roster it replaces; a first plan from the polished greedy fill.
        hint_with(built.plan, context.baseline or fill)
    # This part's share of the time left; the deterministic safety net adds its margin once at
    # most, since later parts only get what is left before the deadline.
    solver = solver_for(options, max(MIN_PART_SECONDS, (deadline - time.perf_counter()) * share), work)
    reporter = _ProgressReporter(built, options.on_progress, label) if options.on_progress else None
    status = _run(solver, built.plan.model, reporter, options.stopper)
    if status == cp_model.INFEASIBLE:
        # Only pinned assignments (locks, frozen days) can clash; they were checked on loading.
        raise RosterError("the locked assignments and the frozen days cannot all be kept together. "
                          "Fix: remove a lock, or freeze fewer days")
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if not found and (context.locks or context.frozen_before):
        raise RosterError("no roster keeping the locks and frozen days was found in the time given. "
                          "Fix: raise --time-limit")
    pairs = [pair for pair, var in built.plan.pairs().items() if solver.boolean_value(var)] if found else fill
    bound = max(int(solver.best_objective_bound) if found else 0,
                quick_bound(problem, context, built.coverage_weight))
    return PartResult(pairs, status == cp_model.OPTIMAL, bound,
                      built.coverage_weight, solver.wall_time, solver.deterministic_time, built.seconds,
                      len(built.plan.pairs()), found, solver.wall_time >= solver.parameters.max_time_in_seconds - 0.5,
                      settings_of(solver))


def solve(problem: Problem, options: SolveOptions = SolveOptions(), context: Context | None = None) -> Roster:
    """The best roster found within the limits; never raises for a short week (see `unfilled`).

    The week is split into independent parts (see `scheduler.decompose`), each searched in turn
    with a share of the time in proportion to its size. The wall-clock budget (`wall_seconds`,
    by default the time limit) covers building the models as well as the search; parts the
    budget does not reach keep their polished greedy fill, so a roster is always complete.
    """
    started = time.perf_counter()
    deadline = started + (options.time_limit if options.wall_seconds is None else options.wall_seconds)
    context = context or constraints.build_context(problem)
    pieces = parts(problem, context)
    for piece in pieces:
        size = too_large(context, piece)
        if size:
            raise ProblemTooLargeError(
                f"one group of volunteers and shifts that share shifts has {size:,} possible (volunteer, shift) "
                f"pairs, more than the {MAX_PAIRS:,} this tool models on one machine. "
                "Fix: plan each community (or team) as its own problem folder")
    single = len(pieces) == 1
    jobs = []
    for piece in pieces:
        sub = problem if single else sub_problem(problem, piece)
        sub_ctx = context if single else sub_context(context, piece)
        fill = greedy_fill(sub, sub_ctx)
        missing = sum(sum(unmet.values()) for unmet in constraints.shortfalls(sub, fill, sub_ctx).values())
        size = sum(len(context.eligible.get(sid, ())) for sid in piece.shifts) + 1
        jobs.append((sub, sub_ctx, fill, missing, size))
    # Parts the greedy fill leaves short are searched first: if time runs out, what is left is
    # parts that are already fully staffed.
    jobs.sort(key=lambda job: job[3] == 0)
    work_left = options.time_limit
    results: list[PartResult] = []
    for i, (sub, sub_ctx, fill, _, size) in enumerate(jobs):
        share = size / sum(job[4] for job in jobs[i:])
        result = _solve_part(sub, sub_ctx, fill, options, deadline, share, work_left * share,
                             "" if single else f"part {i + 1}/{len(jobs)}")
        work_left = max(0.0, work_left - result.work)
        results.append(result)
    # Parts' soft penalties add up, so the whole week's coverage weight is theirs added up.
    coverage_weight = sum(r.coverage_weight - 1 for r in results) + 1
    roster = make_roster(problem, [p for r in results for p in r.pairs], context, None, coverage_weight,
                         options.language)
    report = _report(results, options, coverage_weight, sum(roster.objective.values()), started)
    return roster.model_copy(update={"solver": report})


def _report(results: list[PartResult], options: SolveOptions, coverage_weight: int, objective: int,
            started: float) -> SolverReport:
    """One solver report for all parts, on the whole week's objective scale."""
    # A part's bound L means: at least L // W missing items, and then at least L % W soft points.
    bound = sum(coverage_weight * (r.bound // r.coverage_weight) + r.bound % r.coverage_weight for r in results)
    optimal = all(r.optimal for r in results)
    interrupted = bool(options.stopper and options.stopper.requested)
    settings = next((r.settings for r in results if r.settings), {}) | {"parts": len(results)}
    return SolverReport(
        status="OPTIMAL" if optimal else ("FEASIBLE" if all(r.searched for r in results) else "FEASIBLE (greedy fill)"),
        objective=objective, best_bound=bound, gap=_gap(objective, bound),
        wall_seconds=round(time.perf_counter() - started, 3), build_seconds=round(sum(r.build_seconds for r in results), 3),
        seed=options.seed, workers=options.workers,
        deterministic=options.deterministic and not interrupted and not any(r.capped for r in results),
        interrupted=interrupted, time_limit=options.time_limit, ortools=ortools.__version__, tool=TOOL_VERSION,
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


HINT_WORK = 1.0
"""Deterministic seconds at most for completing a hint (in practice propagation and one LP)."""


def hint_with(plan: Plan, pairs) -> None:
    """Start the search from a known roster: the assignments and every penalty get a hint.

    The assignments are the roster; the penalties (shortfalls, loads, people left out …) are what
    the model makes of them, found by solving a copy with the assignments fixed. A hint of the
    assignments alone leaves CP-SAT to guess the rest, and its guesses (a shortfall at its upper
    bound) made the first solution far worse than the roster hinted.
    """
    chosen = set(pairs)
    works = {var.index: int(pair in chosen) for pair, var in plan.pairs().items()}
    fixed = plan.model.clone()
    for index, value in works.items():
        domain = fixed.proto.variables[index].domain  # a boolean: [0, 1]
        domain[0] = domain[1] = value
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = HINT_WORK
    solver.parameters.catch_sigint_signal = False  # Ctrl-C is the command line's (see Stopper)
    status = solver.solve(fixed)
    plan.model.clear_hints()
    for pair, var in plan.pairs().items():
        plan.model.add_hint(var, pair in chosen)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return  # the roster breaks a pinned assignment: hint what it can
    # The penalties too, but not the fairness loads (the assignments fix them by propagation):
    # a hint naming every variable makes CP-SAT report it before presolve, and a stop request
    # arriving then crashed it (OR-Tools 9.15: "Check failed: solution->size() ==
    # postsolve_mapping.size()").
    hinted = set(works)
    for penalty in plan.penalties:
        if penalty.goal != "fairness" and penalty.var.index not in hinted:  # some goals charge the assignment itself
            hinted.add(penalty.var.index)
            plan.model.add_hint(penalty.var, solver.value(penalty.var))


def _gap(objective: int | None, bound: int | None) -> float | None:
    if objective is None or bound is None:
        return None
    return round(abs(objective - bound) / max(abs(objective), 1), 6)


def make_roster(problem: Problem, pairs: list[tuple[str, str]], context: Context,
                report: SolverReport | None, coverage_weight: int | None = None, language: str | None = None) -> Roster:
    """A Roster record from (volunteer, shift) pairs: assignments, shortfalls, loads, objective.

    The coverage weight is the solver's; without it, it is computed for the whole week.
    """
    pairs = sorted(pairs, key=lambda p: (problem.shift[p[1]].start, p[1], p[0]))
    assignments = [Assignment.of(problem.shift[sid], problem.volunteer[vid]) for vid, sid in pairs]
    language = language or problem.rules.language
    unfilled = unfilled_shifts(problem, pairs, context, language)
    points = constraints.goal_points(problem, pairs, context)
    weights = goal_weights(problem.rules.weights, coverage_weight or build(problem, context).coverage_weight)
    loads = _loads(problem, pairs, context, weights)
    return Roster(
        week=problem.week.label, period=period_of(problem), status="partial" if unfilled else "complete",
        language=language, generated_at=now_stamp(), solver=report,
        inputs={f"{key}_sha256": source.sha256 for key, source in problem.sources.items()},
        assignments=assignments, unfilled=unfilled, volunteers=loads,
        objective={goal: weights[goal] * points[goal] for goal in GOALS},
        replan=replan_report(context, pairs), history=list(context.history.weeks),
    )


def _loads(problem: Problem, pairs: list[tuple[str, str]], context: Context, weights: dict[str, int]) -> list[VolunteerLoad]:
    """Per active volunteer: shifts, hours, offer, and their share of each soft goal (weighted)."""
    per_person = constraints.points_by_volunteer(problem, pairs, context)
    count: dict[str, int] = {}
    hours: dict[str, float] = {}
    for vid, sid in pairs:
        count[vid] = count.get(vid, 0) + 1
        hours[vid] = hours.get(vid, 0.0) + problem.shift[sid].hours
    return [VolunteerLoad(volunteer=v.id, name=v.name, shifts=count.get(v.id, 0), hours=round(hours.get(v.id, 0.0), 2),
                          offered=context.offered.get(v.id, 0),
                          objective={goal: weights[goal] * p for goal, p in per_person.get(v.id, {}).items()})
            for v in problem.volunteers if v.active]


def unfilled_shifts(problem: Problem, pairs: list[tuple[str, str]], context: Context, language: str) -> list[Unfilled]:
    """Every shift left short, with what is missing and why."""
    short = constraints.shortfalls(problem, pairs, context)
    own = pairs_by_volunteer(pairs)
    assigned: dict[str, int] = {}
    for _, sid in pairs:
        assigned[sid] = assigned.get(sid, 0) + 1
    result = []
    for shift in problem.shifts:
        if shift.id not in short:
            continue
        unmet = dict(short[shift.id])
        reasons = reasons_for(problem, shift, unmet, pairs, context, language, own)
        missing = unmet.pop("seats", 0)
        result.append(Unfilled(
            shift=shift.id, name=shift.name, date=shift.date.isoformat(), start=shift.start.strftime("%H:%M"),
            end=shift.end.strftime("%H:%M"), need=shift.need, assigned=assigned.get(shift.id, 0), missing=missing,
            unmet=unmet, reasons=reasons,
        ))
    return result
