"""Splitting a week into independent parts: people and shifts that can never meet.

Every rule of the catalogue concerns one volunteer (limits, rest, fairness, preference,
rotation, stability), one shift (coverage, headcount, composition) or a volunteer and their
partner. So when the volunteers fall into groups with no shift in common and no partner across,
the best roster of the week is exactly the best roster of each group put together. A
sub-district with dozens of compounds becomes dozens of committee-size models.
"""

from __future__ import annotations

from dataclasses import dataclass

from constraints import Context
from scheduler.domain.models import Problem, ShiftId, VolunteerId


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
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def join(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    for shift in problem.shifts:
        node = "s:" + shift.id
        find(node)
        for vid in context.eligible.get(shift.id, ()):
            join("v:" + vid, node)
    for volunteer in problem.volunteers:
        if volunteer.partner and volunteer.partner in problem.volunteer and "v:" + volunteer.id in parent:
            join("v:" + volunteer.id, "v:" + volunteer.partner)
    groups: dict[str, Part] = {}
    for node in parent:
        part = groups.setdefault(find(node), Part([], []))
        (part.volunteers if node.startswith("v:") else part.shifts).append(node[2:])
    order = {s.id: i for i, s in enumerate(problem.shifts)}
    rank = {v.id: i for i, v in enumerate(problem.volunteers)}
    found = [Part(sorted(p.volunteers, key=rank.__getitem__), sorted(p.shifts, key=order.__getitem__))
             for p in groups.values() if p.shifts]
    return sorted(found, key=lambda p: (-p.size, order[p.shifts[0]]))


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
