"""A volunteer takes only shifts they are eligible for: active, in the shift's team, of the
right age and health, free for the whole shift by their weekly availability, on no blocked date.

Formulation: no variable exists for an ineligible (volunteer, shift) pair, so the model cannot
break this rule; `why_not` remembers the reason for each excluded pair.
"""

from __future__ import annotations

from collections import Counter

from constraints.base import Plan, RosterView, Violation
from scheduler.models import Problem, Shift, ShiftId, Volunteer, VolunteerId

NAME = "eligibility"
KIND = "hard"

# Reason codes in the order a coordinator would filter a list: team first, then age and health,
# then time. `reason_text` turns them into words; reports and explanations reuse the codes.
REASONS = ("inactive", "team", "too_young", "too_old", "age_unknown", "health", "blocked", "not_free")


def why_not(volunteer: Volunteer, shift: Shift) -> str | None:
    """The first reason code that keeps `volunteer` off `shift`, or None when eligible."""
    rule = shift.definition
    if not volunteer.active:
        return "inactive"
    if rule.teams and not (rule.teams & volunteer.teams):
        return "team"
    if rule.min_age is not None or rule.max_age is not None:
        age = volunteer.age_on(shift.week_monday)
        if age is None:
            return "age_unknown"
        if rule.min_age is not None and age < rule.min_age:
            return "too_young"
        if rule.max_age is not None and age > rule.max_age:
            return "too_old"
    if rule.min_health is not None and not volunteer.health.at_least(rule.min_health):
        return "health"
    if volunteer.is_blocked_during(shift.start, shift.end):
        return "blocked"
    if not volunteer.is_available(shift.start, shift.end):
        return "not_free"
    return None


def reason_text(code: str, volunteer: Volunteer, shift: Shift) -> str:
    rule = shift.definition
    age = volunteer.age_on(shift.week_monday)
    return {
        "inactive": "is not active in the register",
        "team": f"is not in the team{'s' if len(rule.teams) > 1 else ''} {', '.join(sorted(rule.teams))}",
        "too_young": f"is {age}, below the minimum age {rule.min_age}",
        "too_old": f"is {age}, above the maximum age {rule.max_age}",
        "age_unknown": "has no birth date or age, and the shift has an age limit",
        "health": f"has health '{volunteer.health.value}', below the required '{rule.min_health.value if rule.min_health else ''}'",
        "blocked": f"is unavailable on {shift.date.isoformat()}",
        "not_free": f"is not free {shift.date.strftime('%a')} {shift.time_label} by their availability",
    }[code]


def funnel(volunteers: list[Volunteer], shift: Shift) -> list[tuple[str, int]]:
    """How many of `volunteers` remain after each test, in order: [('everyone', n), ('inactive', n'), …].

    Each step is named by the reason code it filters out; the last count is the eligible people.
    """
    excluded = Counter(why_not(v, shift) for v in volunteers)
    steps, left = [("everyone", len(volunteers))], len(volunteers)
    for code in REASONS:
        left -= excluded.get(code, 0)
        steps.append((code, left))
    return steps


def eligible_volunteers(problem: Problem) -> dict[ShiftId, list[VolunteerId]]:
    """For each shift of the week, the ids of the volunteers who may take it, in register order."""
    return {s.id: [v.id for v in problem.volunteers if why_not(v, s) is None] for s in problem.shifts}


def add(plan: Plan) -> None:
    """Nothing to post: the plan only holds variables for eligible pairs."""


def check(view: RosterView) -> list[Violation]:
    violations = []
    for vid, sid in view.pairs:
        volunteer, shift = view.problem.volunteer.get(vid), view.problem.shift.get(sid)
        if volunteer is None:
            violations.append(Violation(NAME, f"'{vid}' is not in the register", vid, sid))
        elif shift is None:
            violations.append(Violation(NAME, f"{volunteer.name} ({vid}) is on '{sid}', which is not a shift of the week", vid, sid))
        else:
            code = why_not(volunteer, shift)
            if code:
                violations.append(Violation(NAME, f"{volunteer.name} ({vid}) on {shift.name} {sid}: "
                                            + reason_text(code, volunteer, shift), vid, sid))
    seen = set()
    for pair in view.pairs:
        if pair in seen:
            violations.append(Violation(NAME, f"{pair[0]} is listed twice on {pair[1]}", *pair))
        seen.add(pair)
    return violations
