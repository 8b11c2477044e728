"""Days before the freeze date keep the earlier roster of the week exactly (they are published or past).

Formulation: on every shift that starts before `--freeze-until`, each variable is fixed to
whether the earlier roster had that assignment. An earlier assignment whose volunteer is no
longer eligible (left the register, say) cannot be kept; it shows in the changes.
"""

from __future__ import annotations

from constraints.base import Plan, RosterView, Violation

NAME = "freeze"
KIND = "hard"
SCOPE = "plan"


def _frozen(shift, context) -> bool:
    return context.frozen_before is not None and shift.date < context.frozen_before


def frozen_shifts(problem, context) -> set[str]:
    """The ids of the shifts that start before the freeze date (none without one)."""
    if context.frozen_before is None:
        return set()
    return {s.id for s in problem.shifts if _frozen(s, context)}


def kept(problem, context) -> set[tuple[str, str]]:
    """The earlier roster's assignments on frozen days that can be kept (the volunteer is still eligible)."""
    frozen = frozen_shifts(problem, context)
    return {(v, s) for v, s in context.baseline if s in frozen and v in context.eligible.get(s, ())}


def add(plan: Plan) -> None:
    context = plan.context
    if context.frozen_before is None:
        return
    for shift in plan.problem.shifts:
        if _frozen(shift, context):
            for volunteer, var in plan.volunteers_on(shift.id):
                plan.model.add(var == int((volunteer.id, shift.id) in context.baseline))


def check(view: RosterView) -> list[Violation]:
    context = view.context
    if context.frozen_before is None:
        return []
    frozen = frozen_shifts(view.problem, context)
    keepable = kept(view.problem, context)
    now = {(v, s) for v, s in view.pairs if s in frozen}
    violations = []
    for vid, sid in sorted(keepable - now):
        violations.append(Violation(NAME, f"{vid} was on {sid}, which is frozen, and is no longer", vid, sid,
                                    code="removed"))
    for vid, sid in sorted(now - keepable):
        violations.append(Violation(NAME, f"{vid} was added to {sid}, which is frozen", vid, sid, code="added"))
    return violations
