"""Assignments the coordinator promised (the locks file) stay in the roster.

Formulation: the variable of each locked (volunteer, shift) pair is fixed to 1. The locks are
checked against every hard rule when they are loaded, so a lock that breaks one is an input
error naming that rule, never an infeasible model.
"""

from __future__ import annotations

from constraints.base import Plan, RosterView, Violation

NAME = "locks"
KIND = "hard"
SCOPE = "plan"


def add(plan: Plan) -> None:
    for vid, sid in sorted(plan.context.locks):
        var = plan.works(vid, sid)
        if var is not None:
            plan.model.add(var == 1)


def check(view: RosterView) -> list[Violation]:
    present = set(view.pairs)
    violations = []
    for vid, sid in sorted(view.context.locks - present):
        volunteer = view.problem.volunteer.get(vid)
        name = f"{volunteer.name} ({vid})" if volunteer else vid
        violations.append(Violation(NAME, f"{name} was promised {sid} (locks file) but is not on it", vid, sid,
                                    code="missing", params={"name": volunteer.name if volunteer else ""}))
    return violations
