"""Splitting a week into independent parts (people and shifts that can never meet), and the time each gets.

Every rule of the catalogue concerns one volunteer (limits, rest, fairness, preference,
rotation, stability), one shift (coverage, headcount, composition) or a volunteer and their
partner. So when the volunteers fall into groups with no shift in common and no partner across,
the best roster of the week is exactly the best roster of each group put together. A
sub-district with dozens of compounds becomes dozens of committee-size models.

Time sharing: the parts the warm start leaves short are searched first, and each part gets a
share of the time left in proportion to its size (`time_share`); a part the time does not reach keeps
its warm start (`kept_fill`), with the bound that is certain without search: the minimum-cost
flow's (`flow_start.flow_bound`) where polishing had time for it, else `quick_bound`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from constraints import Context, Pair, fairness, participation
from scheduler.domain.models import Problem, ShiftId, VolunteerId

MIN_PART_SECONDS = 0.05
"""A part with less wall time than this left keeps its polished greedy fill."""


@dataclass(frozen=True)
class Part:
    volunteers: list[VolunteerId]
    shifts: list[ShiftId]

    @property
    def size(self) -> int:
        return len(self.volunteers) + len(self.shifts)


def parts(problem: Problem, context: Context) -> list[Part]:
    """The connected groups of volunteers and shifts (eligibility and partners join them), largest first.

    Shifts nobody can take form parts of their own (they only report a shortfall).
    """
    found = stoppable_parts(problem, context, lambda: False)
    assert found is not None  # never halted
    return found


def stoppable_parts(problem: Problem, context: Context, halt: Callable[[], bool]) -> list[Part] | None:
    """`parts`, or None when `halt()` says so (asked every few hundred shifts: 1 s at 20,000 volunteers)."""
    people = {v.id: i for i, v in enumerate(problem.volunteers)}
    parent = list(range(len(people) + len(problem.shifts)))  # volunteers first, then shifts, by index

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for j, shift in enumerate(problem.shifts):
        if j % HALT_EVERY == 0 and halt():
            return None
        node = find(len(people) + j)
        for vid in context.eligible.get(shift.id, ()):
            root = find(people[vid])
            if root != node:
                parent[root] = node
    # People on some eligible list belong to a part; a partner joins theirs (and belongs to it too).
    listed = {vid for vids in context.eligible.values() for vid in vids}
    for volunteer in problem.volunteers:
        if volunteer.partner and volunteer.partner in people and volunteer.id in listed:
            parent[find(people[volunteer.id])] = find(people[volunteer.partner])
            listed.add(volunteer.partner)
    groups: dict[int, Part] = {}
    for j, shift in enumerate(problem.shifts):
        groups.setdefault(find(len(people) + j), Part([], [])).shifts.append(shift.id)
    for volunteer in problem.volunteers:
        part = groups.get(find(people[volunteer.id]))
        if part is not None and volunteer.id in listed:
            part.volunteers.append(volunteer.id)
    order = {s.id: i for i, s in enumerate(problem.shifts)}
    return sorted(groups.values(), key=lambda p: (-p.size, order[p.shifts[0]]))


HALT_EVERY = 500
"""Shifts between two questions to the halt function while the parts are found."""


def sub_problem(problem: Problem, part: Part) -> Problem:
    """The week restricted to one part: its volunteers (and their partners' ids), its shifts."""
    shifts = tuple(problem.shift[sid] for sid in part.shifts)  # a part's shifts are in the week's order
    definitions = {s.definition_id: s.definition for s in shifts}
    return Problem(week=problem.week, volunteers=tuple(problem.volunteer[v] for v in part.volunteers),
                   definitions=tuple(definitions.values()), shifts=shifts, rules=problem.rules,
                   sources=problem.sources)


def sub_context(context: Context, part: Part) -> Context:
    """The context restricted to one part (history, baseline and locks of its people only)."""
    people, shift_ids = set(part.volunteers), set(part.shifts)
    return Context(
        eligible={sid: context.eligible.get(sid, []) for sid in part.shifts},
        offered={vid: context.offered.get(vid, 0) for vid in part.volunteers},
        history=context.history.model_copy(update={
            "shifts": tuple(p for p in context.history.shifts if p.volunteer in people),
            "left_out": tuple(item for item in context.history.left_out if item[1] in people)}),
        baseline=frozenset(p for p in context.baseline if p[0] in people and p[1] in shift_ids),
        locks=frozenset(p for p in context.locks if p[0] in people and p[1] in shift_ids),
        frozen_before=context.frozen_before,
    )


@dataclass
class PartResult:
    """The answer for one independent part of the week."""

    pairs: list[Pair]
    bound: tuple[int, int]  # at least this many items missing, and then at least this many soft points
    optimal: bool = False
    coverage_weight: int | None = None  # the part's own (None when no model was built)
    wall: float = 0.0
    work: float = 0.0
    build_seconds: float = 0.0
    variables: int = 0
    searched: bool = False  # False when the part kept its warm start (no time, stopped, or no solution found)
    capped: bool = False  # the wall clock, not the deterministic limit, ended the search
    settings: dict[str, object] = field(default_factory=dict)


@dataclass
class Job:
    """One part of the week on its way through the phases: its week, its warm start, its size."""

    problem: Problem
    context: Context
    fill: list[Pair]
    missing: int  # items the warm start leaves unmet (only for the order of the search)
    size: int
    bound: tuple[int, int] | None = None  # `flow_start.flow_bound` as (items, soft points), once polishing has it
    priced: tuple[int, int] | None = None  # (its coverage weight, the fill's objective), once the fill is final
    quick: tuple[int, int] | None = None  # `quick_bound` as (items, soft points), counted once (see `floor`)

    def floor(self) -> tuple[int, int]:
        """The part's quick bound as (items, soft points): counted once, by the warm start's worker when
        there are workers (it is the bound of every part the time does not reach)."""
        if self.quick is None:
            self.quick = _quick_bound(self.problem, self.context)
        return self.quick


def search_order(jobs: list[Job]) -> list[Job]:
    """Parts the warm start leaves short first: if time runs out, what is left is parts already fully staffed."""
    return sorted(jobs, key=lambda job: job.missing == 0)


def time_share(jobs: list[Job], i: int) -> float:
    """The share of the time left that the i-th part gets: its size against the parts not yet searched."""
    return jobs[i].size / sum(later.size for later in jobs[i:])


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


def kept_fill(job: Job, *, stopped: bool = False, coverage_weight: int | None = None, build_seconds: float = 0.0,
              variables: int = 0, settings: dict[str, object] | None = None, capped: bool = False) -> PartResult:
    """The part's answer when it is not searched (or the search found nothing): its warm start.

    Its bound is the flow's when polishing computed it; otherwise the quick one, and after a stop
    nothing (still a true bound) rather than spend time on it.
    """
    bound = job.bound or job.quick or ((0, 0) if stopped else job.floor())
    return PartResult(pairs=job.fill, bound=bound, coverage_weight=coverage_weight, build_seconds=build_seconds,
                      variables=variables, capped=capped, settings=settings or {})
