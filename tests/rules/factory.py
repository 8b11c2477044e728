"""Tiny builders for the per-rule tests: volunteers, shift definitions, problems, plans and views.

The planned week is 2026-W49: Monday 2026-11-30 to Sunday 2026-12-06. Times are written "07:00".
"""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

import constraints
from constraints.base import Context, Plan, RosterView, Violation
from scheduler.domain.ids import shift_id as make_shift_id
from scheduler.domain.models import (
    WEEKDAYS,
    DateRange,
    Gender,
    Health,
    History,
    PastShift,
    PlanningWeek,
    Problem,
    Rules,
    ShiftDefinition,
    Volunteer,
    Weights,
    Window,
    expand,
)

WEEK = PlanningWeek(year=2026, week=49)
MON, TUE, WED, THU, FRI, SAT, SUN = WEEK.dates


def minutes(text: str) -> int:
    hours, _, mins = text.partition(":")
    return int(hours) * 60 + int(mins or 0)


def days_of(days) -> frozenset[int]:
    return frozenset(WEEKDAYS.index(d) if isinstance(d, str) else d for d in days)


def window(days, start: str, end: str) -> Window:
    """A weekly availability window, e.g. `window(["Mon", "Tue"], "06:00", "12:00")`."""
    return Window(days=days_of(days), start=minutes(start), end=minutes(end))


def blocked(first: dt.date, last: dt.date | None = None) -> DateRange:
    return DateRange(first=first, last=last or first)


def vol(vid: str, gender: str = "F", **fields) -> Volunteer:
    """A volunteer named after their id; any field of the register may be given."""
    for key in ("teams", "skills", "roles", "prefers", "avoids"):
        if key in fields:
            fields[key] = frozenset(fields[key])
    for key in ("availability", "unavailable"):
        if key in fields and fields[key] is not None:
            fields[key] = tuple(fields[key])
    if "health" in fields:
        fields["health"] = Health(fields["health"])
    return Volunteer(id=vid, name=f"name-{vid}", gender=Gender(gender), **fields)


def sdef(did: str, days=("Mon",), start: str = "07:00", end: str = "09:00", need: int = 1,
         max: int | None = None, **fields) -> ShiftDefinition:
    """A shift definition on `days` (names or numbers); `max` defaults to `need`."""
    if "teams" in fields:
        fields["teams"] = frozenset(fields["teams"])
    if "min_health" in fields:
        fields["min_health"] = Health(fields["min_health"])
    return ShiftDefinition(id=did, name=f"name-{did}", days=days_of(days), start=minutes(start), end=minutes(end),
                           need=need, max=need if max is None else max, **fields)


def problem(volunteers, definitions, weights: dict | None = None, **rules) -> Problem:
    """A problem for the week; `rules` are Rules fields (max_shifts_per_day=..., ...)."""
    if weights is not None:
        rules["weights"] = Weights(**weights)
    definitions = tuple(definitions)
    return Problem(week=WEEK, volunteers=tuple(volunteers), definitions=definitions,
                   shifts=expand(definitions, WEEK), rules=Rules(**rules))


def sid(did: str, day: dt.date) -> str:
    return make_shift_id(did, day)


def view(prob: Problem, pairs, context: Context | None = None) -> RosterView:
    return RosterView(prob, list(pairs), context or constraints.build_context(prob))


def context(prob: Problem) -> Context:
    return constraints.build_context(prob)


def history_of(loads: dict[str, int] | None) -> History:
    """A history in which each volunteer served `loads[v]` shifts, two weeks before the planned one,
    on a post of its own (so that only fairness notices it: no rest, run or rotation effect)."""
    shifts = []
    for vid, count in (loads or {}).items():
        for i in range(count):
            start = dt.datetime.combine(MON - dt.timedelta(days=14 - i), dt.time(10))
            shifts.append(PastShift(week="2026-W47", volunteer=vid, shift=f"old-post@{start.date()}", post="old-post",
                                    start=start, end=start + dt.timedelta(hours=1)))
    return History(weeks=("2026-W47",), shifts=tuple(shifts))


def found(violations: list[Violation]) -> list[tuple[str, str | None, str | None]]:
    """Violations as (rule, volunteer, shift), sorted, for exact comparisons."""
    return sorted(((v.rule, v.volunteer, v.shift) for v in violations), key=repr)


# -- add() alone on a tiny model ------------------------------------------------------------------

def plan_for(prob: Problem, ctx: Context | None = None) -> Plan:
    return Plan(prob, ctx or constraints.build_context(prob))


def force(plan: Plan, pairs, value: int = 1) -> None:
    """Fix these (volunteer, shift) assignments; the pairs must be eligible."""
    for vid, shift_id in pairs:
        var = plan.works(vid, shift_id)
        assert var is not None, f"{vid} is not eligible for {shift_id}"
        plan.model.add(var == value)


def fix_roster(plan: Plan, pairs) -> None:
    """Exactly this roster: the given pairs work, every other eligible pair does not."""
    chosen = set(pairs)
    for pair, var in plan.pairs().items():
        plan.model.add(var == int(pair in chosen))


def solve(plan: Plan, minimize_penalties: bool = False) -> tuple[int, cp_model.CpSolver]:
    """Solve on one worker with a fixed seed; optionally minimise the plain sum of penalty points."""
    if minimize_penalties:
        plan.model.minimize(sum(p.points * p.var for p in plan.penalties))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 7
    solver.parameters.max_time_in_seconds = 10
    return solver.solve(plan.model), solver


def feasible(plan: Plan) -> bool:
    status, _ = solve(plan)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE), status
    return status != cp_model.INFEASIBLE


def optimal_points(plan: Plan) -> int:
    """The least total penalty points (unweighted) the rule's records allow."""
    if not plan.penalties:
        assert feasible(plan)
        return 0
    status, solver = solve(plan, minimize_penalties=True)
    assert status == cp_model.OPTIMAL
    return round(solver.objective_value)


def charged_points(rule, prob: Problem, pairs, ctx: Context | None = None) -> int:
    """The points `rule` charges on the model for exactly this roster (penalty variables at their least)."""
    ctx = ctx or constraints.build_context(prob)
    plan = plan_for(prob, ctx)
    rule.add(plan)
    fix_roster(plan, pairs)
    return optimal_points(plan)


def solved_pairs(plan: Plan, solver: cp_model.CpSolver) -> list[tuple[str, str]]:
    return sorted(pair for pair, var in plan.pairs().items() if solver.boolean_value(var))
