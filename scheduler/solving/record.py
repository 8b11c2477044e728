"""The roster record of a week's pairs: assignments, the shifts left short and why, each person's load
and share of the goals, the objective per goal, the re-plan's figures and the solver's report."""

from __future__ import annotations

import time
from collections.abc import Sequence

import ortools

import constraints
from constraints import GOALS, Context, Pair, RosterView
from scheduler import __version__ as TOOL_VERSION
from scheduler.domain.models import Problem
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
from scheduler.solving.parts import PartResult
from scheduler.solving.reasons import pairs_by_volunteer, reasons_for
from scheduler.solving.search import SolveOptions
from scheduler.solving.warm_start import Halt, never


def solver_report(results: Sequence[PartResult], options: SolveOptions, coverage_weight: int, objective: int,
                  started: float, processes: int = 1) -> SolverReport:
    """One solver report for all parts, on the whole week's objective scale; `processes`: those that
    prepared the parts (the roster is the same whatever their number)."""
    # A part's bound (m, s): at least m missing items, and then at least s soft points.
    bound = sum(coverage_weight * missing + soft for missing, soft in (r.bound for r in results))
    optimal = all(r.optimal for r in results)
    interrupted = bool(options.stopper and options.stopper.requested)
    settings = next((r.settings for r in results if r.settings), {}) | {"parts": len(results), "processes": processes}
    return SolverReport(
        status="OPTIMAL" if optimal else ("FEASIBLE" if all(r.searched or r.optimal for r in results) else "FEASIBLE (greedy fill)"),
        objective=objective, best_bound=bound, gap=_gap(objective, bound),
        wall_seconds=round(time.perf_counter() - started, 3), build_seconds=round(sum(r.build_seconds for r in results), 3),
        seed=options.seed, workers=options.workers,
        deterministic=options.deterministic and not interrupted and not any(r.capped for r in results),
        interrupted=interrupted, time_limit=options.time_limit, ortools=ortools.__version__, tool=TOOL_VERSION,  # type: ignore[attr-defined]  # only ortools.sat is typed
        variables=sum(r.variables for r in results), settings=settings, parts=len(results),
        parts_optimal=sum(r.optimal for r in results),
    )


def replan_report(context: Context, pairs: list[Pair], baseline_generated_at: str = "") -> Replan | None:
    """Kept, dropped and added assignments against the roster this one replaces."""
    if not (context.baseline or context.locks or context.frozen_before):
        return None
    now, before = set(pairs), set(context.baseline)
    return Replan(baseline_generated_at=baseline_generated_at, kept=len(now & before), dropped=len(before - now),
                  added=len(now - before), locks=len(context.locks),
                  frozen_until=context.frozen_before.isoformat() if context.frozen_before else None,
                  history_weeks=list(context.history.weeks))


def _gap(objective: int | None, bound: int | None) -> float | None:
    if objective is None or bound is None:
        return None
    return round(abs(objective - bound) / max(abs(objective), 1), 6)


def make_roster(problem: Problem, pairs: list[Pair], context: Context,
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
    weights = constraints.goal_weights(problem.rules.weights,
                                       coverage_weight or constraints.coverage_weight(problem, context))
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


def unfilled_shifts(problem: Problem, pairs: list[Pair], context: Context,
                    halt: Halt = never, view: RosterView | None = None) -> list[Unfilled]:
    """Every shift left short, with what is missing and why (no reasons once `halt()` says so)."""
    short = constraints.shortfalls(problem, view or pairs, context)
    if not short:
        return []
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
