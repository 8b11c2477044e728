"""Between the end of a volunteer's shift and the start of their next one lie at least `min_rest_hours`.

Formulation: for each pair of the volunteer's shifts that do not overlap but leave less rest
than that, at most one of the two. (Overlapping pairs are the no_overlap rule's.) A shift of the
history (last Sunday evening, say) counts too: a shift of this week that starts too soon after it,
or overlaps it, is ruled out.
"""

from __future__ import annotations

import datetime as dt

from constraints.base import Plan, RosterView, Violation

NAME = "min_rest_hours"
KIND = "hard"
SCOPE = "volunteer"


def _too_close(first, second, rest: dt.timedelta) -> bool:
    """`second` starts after `first` ends, but too soon."""
    return first.end <= second.start < first.end + rest


def _after_history(earlier, shift, rest: dt.timedelta) -> bool:
    """`shift` starts too soon after (or during) a history shift."""
    return any(past.start < shift.end and shift.start < past.end + rest for past in earlier)


def add(plan: Plan) -> None:
    rest = dt.timedelta(hours=plan.problem.rules.min_rest_hours)
    # With one shift a day at most, two shifts of one date can never both be taken anyway.
    one_a_day = plan.problem.rules.max_shifts_per_day <= 1 and "max_shifts_per_day" in plan.posted
    for vid in plan.volunteers_with_shifts():
        shifts = plan.shifts_of(vid)  # in time order
        earlier = plan.context.earlier_shifts.get(vid, [])
        for i, (first, first_var) in enumerate(shifts):
            if earlier and _after_history(earlier, first, rest):
                plan.model.add(first_var == 0)
            if not rest:
                continue
            j = _next_date(shifts, i) if one_a_day else i + 1
            for second, second_var in shifts[j:]:
                if second.start >= first.end + rest:
                    break  # every later shift starts later still
                if _too_close(first, second, rest):
                    plan.model.add_bool_or([first_var.Not(), second_var.Not()])


def _next_date(shifts: list, i: int) -> int:
    """The index of the first shift after `shifts[i]` that falls on a later date."""
    j = i + 1
    while j < len(shifts) and shifts[j][0].date == shifts[i][0].date:
        j += 1
    return j


def check(view: RosterView) -> list[Violation]:
    hours = view.problem.rules.min_rest_hours
    rest = dt.timedelta(hours=hours)
    violations = []
    for vid, shifts in view.shifts_by_volunteer.items():
        for first in shifts:
            for second in shifts:
                if _too_close(first, second, rest):
                    gap = (second.start - first.end).total_seconds() / 3600
                    name = view.problem.volunteer[vid].name
                    violations.append(Violation(NAME, f"{name} ({vid}) rests only {gap:g} h between {first.id} "
                                                f"and {second.id}, at least {hours:g} h are required", vid, second.id,
                                                code="too_close", params={"name": name, "gap": gap, "first": first.id,
                                                                          "second": second.id, "hours": hours}))
        earlier = view.context.earlier_shifts.get(vid, [])
        for shift in shifts:
            for past in earlier:
                if _after_history([past], shift, rest):
                    name = view.problem.volunteer[vid].name
                    violations.append(Violation(NAME, f"{name} ({vid}) starts {shift.id} too soon after {past.shift} "
                                                f"of {past.week}, at least {hours:g} h of rest are required", vid, shift.id,
                                                code="after_history", params={"name": name, "past": past.shift,
                                                                              "week": past.week, "hours": hours}))
    return violations
