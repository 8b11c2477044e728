"""A volunteer is never on two shifts at the same time.

Formulation: for each shift start, the volunteer's shifts running at that moment form a clique;
at most one of them. (Two intervals overlap exactly when one starts while the other runs.)
"""

from __future__ import annotations

from constraints.base import Plan, RosterView, Violation

NAME = "no_overlap"
KIND = "hard"
SCOPE = "volunteer"


def add(plan: Plan) -> None:
    # With one shift a day at most, a clique within one date is already forbidden by that rule.
    one_a_day = plan.problem.rules.max_shifts_per_day <= 1 and "max_shifts_per_day" in plan.posted
    for vid in plan.volunteers_with_shifts():
        shifts = plan.shifts_of(vid)  # in time order
        running: list = []
        for i, (shift, var) in enumerate(shifts):
            running = [(other, v) for other, v in running if other.end > shift.start] + [(shift, var)]
            if i + 1 < len(shifts) and shifts[i + 1][0].start == shift.start:
                continue  # the clique at this moment is complete once every shift starting now is in
            if len(running) > 1 and not (one_a_day and len({other.date for other, _ in running}) == 1):
                plan.model.add_at_most_one([v for _, v in running])


def check(view: RosterView) -> list[Violation]:
    violations = []
    for vid, shifts in view.shifts_by_volunteer.items():
        for i, first in enumerate(shifts):
            for second in shifts[i + 1:]:
                if second.start >= first.end:
                    break
                name = view.problem.volunteer[vid].name
                violations.append(Violation(NAME, f"{name} ({vid}) is on {first.id} and {second.id}, which overlap",
                                            vid, second.id, code="overlap",
                                            params={"name": name, "first": first.id, "second": second.id}))
    return violations
