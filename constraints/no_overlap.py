"""A volunteer is never on two shifts at the same time.

Formulation: for each shift start, the volunteer's shifts running at that moment form a clique;
at most one of them. (Two intervals overlap exactly when one starts while the other runs.)
"""

from __future__ import annotations

from constraints.base import Plan, RosterView, Violation

NAME = "no_overlap"
KIND = "hard"


def add(plan: Plan) -> None:
    for vid in plan.volunteers_with_shifts():
        shifts = plan.shifts_of(vid)
        for shift, _ in shifts:
            running = [var for other, var in shifts if other.start <= shift.start < other.end]
            if len(running) > 1:
                plan.model.add_at_most_one(running)


def check(view: RosterView) -> list[Violation]:
    violations = []
    for vid, shifts in view.shifts_by_volunteer.items():
        for i, first in enumerate(shifts):
            for second in shifts[i + 1:]:
                if second.start >= first.end:
                    break
                name = view.problem.volunteer[vid].name
                violations.append(Violation(NAME, f"{name} ({vid}) is on {first.id} and {second.id}, which overlap",
                                            vid, second.id))
    return violations
