"""A volunteer takes only shifts they are eligible for: active, in the shift's team, of the
right age and health, free for the whole shift by their weekly availability, on no blocked date.

Formulation: no variable exists for an ineligible (volunteer, shift) pair, so the model cannot
break this rule; `why_not` remembers the reason for each excluded pair.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection

import numpy as np

from constraints.base import Plan, RosterView, Violation
from scheduler.domain.models import Problem, Shift, ShiftId, Volunteer, VolunteerId

NAME = "eligibility"
KIND = "hard"
SCOPE = "pair"

# Reason codes in the order a coordinator would filter a list: team first, then age and health,
# then time. `reason_text` turns them into words; reports and explanations reuse the codes.
REASONS = ("inactive", "team", "too_young", "too_old", "age_unknown", "health", "blocked", "not_free")


def why_not(volunteer: Volunteer, shift: Shift) -> str | None:
    """The first reason code that keeps `volunteer` off `shift`, or None when eligible."""
    return standing_reason(volunteer, shift) or time_reason(volunteer, shift)


def standing_reason(volunteer: Volunteer, shift: Shift) -> str | None:
    """The tests that do not depend on the shift's date: active, team, age (on the week's Monday), health."""
    rule = shift.definition
    return (None if volunteer.active else "inactive") or team_reason(volunteer.teams, rule) \
        or age_reason(volunteer.age_on(shift.week_monday), rule) or health_reason(volunteer.health, rule)


def team_reason(teams: frozenset[str], rule) -> str | None:
    return "team" if rule.teams and not (rule.teams & teams) else None


def age_reason(age: int | None, rule) -> str | None:
    if rule.min_age is None and rule.max_age is None:
        return None
    if age is None:
        return "age_unknown"
    if rule.min_age is not None and age < rule.min_age:
        return "too_young"
    if rule.max_age is not None and age > rule.max_age:
        return "too_old"
    return None


def health_reason(health, rule) -> str | None:
    return "health" if rule.min_health is not None and not health.at_least(rule.min_health) else None


def time_reason(volunteer: Volunteer, shift: Shift) -> str | None:
    """The tests of the shift's own time: blocked dates, then weekly availability."""
    return blocked_reason(volunteer, shift) or free_reason(volunteer, shift)


def blocked_reason(volunteer: Volunteer, shift: Shift) -> str | None:
    return "blocked" if volunteer.is_blocked_during(shift.start, shift.end) else None


def free_reason(volunteer: Volunteer, shift: Shift) -> str | None:
    return None if volunteer.is_available(shift.start, shift.end) else "not_free"


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


def reason_facts(code: str, volunteer: Volunteer, shift: Shift) -> dict[str, object]:
    """The figures `reason_text` names, for words in any language (`scheduler.render.violations`)."""
    rule = shift.definition
    facts: dict[str, dict[str, object]] = {
        "team": {"teams": sorted(rule.teams)},
        "too_young": {"age": volunteer.age_on(shift.week_monday), "limit": rule.min_age},
        "too_old": {"age": volunteer.age_on(shift.week_monday), "limit": rule.max_age},
        "health": {"health": volunteer.health.value, "required": rule.min_health.value if rule.min_health else ""},
        "blocked": {"date": shift.date.isoformat()},
        "not_free": {"date": shift.date.isoformat(), "time": shift.time_label},
    }
    return facts.get(code, {})


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


HALT_EVERY = 500
"""Shifts between two questions to `halt` while the eligible lists are made."""


def eligible_volunteers(problem: Problem, halt: Callable[[], bool] | None = None,
                        first: Collection[ShiftId] = ()) -> dict[ShiftId, list[VolunteerId]]:
    """For each shift of the week, the ids of the volunteers who may take it, in register order.

    `halt()`, asked every HALT_EVERY shifts, ends the work early (a stop): the shifts not reached
    by then get nobody, except those of `first`, which are done before any other (the frozen
    days', whose earlier roster must be kept). Every list is then still true, only some are empty.

    The same answer as asking `why_not` of every pair (a test proves it), computed as two boolean
    tables: the standing tests per distinct standing (teams, ages, health: many definitions share
    one), and the time tests per distinct shift time, each test asked once per group of volunteers
    who look alike to it. A shift's eligible people are the rows true in both columns; shifts with
    the same two columns (posts of one team at the same hours) share the work of listing them.
    """
    people = problem.volunteers
    if not people or not problem.shifts:
        return {s.id: [] for s in problem.shifts}
    standing, standing_of = _standing_table(problem)
    free, time_of = _time_table(problem)
    ids = np.array([v.id for v in people], dtype=object)
    # Per standing column, the rows it admits (a team is a small share of a district's register);
    # a shift then tests only those rows' time column, not the whole register.
    admitted = [np.flatnonzero(column) for column in np.ascontiguousarray(standing.T)]
    listed: dict[tuple[int, int], list[VolunteerId]] = {}
    eligible: dict[ShiftId, list[VolunteerId]] = {}
    wanted = set(first)
    for number, s in enumerate(sorted(problem.shifts, key=lambda s: s.id not in wanted)):
        if number % HALT_EVERY == HALT_EVERY - 1 and s.id not in wanted and halt is not None and halt():
            break
        key = (standing_of[s.definition_id], time_of[s.start, s.end])
        if key not in listed:
            rows = admitted[key[0]]
            listed[key] = ids[rows[free[rows, key[1]]]].tolist()
        eligible[s.id] = list(listed[key])  # a list of its own: nobody's change to one shift's list shows in another's
    return {s.id: eligible.get(s.id, []) for s in problem.shifts}  # in the week's order, as always


def _standing_table(problem: Problem) -> tuple[np.ndarray, dict[str, int]]:
    """volunteers x distinct standings: True where the standing tests find nothing; and the column of
    each definition. A standing is all of a definition the standing tests look at."""
    people, monday = problem.volunteers, problem.week.monday  # one week: one Monday for ages
    definitions = {s.definition_id: s.definition for s in problem.shifts}

    def standing_part(d) -> tuple:
        return (d.teams, d.min_age, d.max_age, d.min_health)

    column_of: dict[tuple, int] = {}
    speaking_for: list = []  # the first definition of each standing speaks for it
    for definition in definitions.values():
        if column_of.setdefault(standing_part(definition), len(column_of)) == len(speaking_for):
            speaking_for.append(definition)
    table = np.array([v.active for v in people], dtype=bool)[:, None]
    # Each test looks at one part of a standing (its teams, its ages, its health), which many
    # standings share: it is asked once per distinct part.
    for value_of, reason, part_of in (
            (lambda v: v.teams, team_reason, lambda d: d.teams),
            (lambda v: v.age_on(monday), age_reason, lambda d: (d.min_age, d.max_age)),
            (lambda v: v.health, health_reason, lambda d: d.min_health)):
        group, values = _groups(people, value_of)
        table = table & _table(group, values, speaking_for, reason, part_of)
    return table, {key: column_of[standing_part(d)] for key, d in definitions.items()}


def _time_table(problem: Problem) -> tuple[np.ndarray, dict[tuple, int]]:
    """volunteers x distinct shift times: True where the person is free (no blocked date, inside a
    weekly window); and the column of each (start, end). Blocked dates and weekly windows are
    tested apart, each once per group sharing them (far fewer than the groups sharing both)."""
    people = problem.volunteers
    times = {(s.start, s.end): s for s in problem.shifts}
    free = np.ones((len(people), len(times)), dtype=bool)
    for value_of, reason in ((lambda v: v.unavailable, blocked_reason), (lambda v: v.availability, free_reason)):
        stand_in = {value_of(v): v for v in people}  # any member speaks for its group: same dates, same windows
        group, values = _groups(people, value_of)
        free &= _table(group, [stand_in[value] for value in values], times.values(), reason)
    return free, {key: i for i, key in enumerate(times)}


def _groups(people, key) -> tuple[np.ndarray, list]:
    """Each volunteer's group number under `key`, and the value (or member) standing for each group."""
    numbers: dict = {}
    index = np.empty(len(people), dtype=np.int64)
    for row, volunteer in enumerate(people):
        index[row] = numbers.setdefault(key(volunteer), len(numbers))
    return index, list(numbers)


def _table(group: np.ndarray, values: list, columns, reason, part_of=None) -> np.ndarray:
    """volunteers x columns: True where `reason(value of the volunteer's group, column)` finds nothing.

    `part_of(column)`, when given, is all of a column that `reason` looks at: columns with the
    same part share one answer.
    """
    columns = list(columns)
    if part_of is None:
        distinct, column_of = columns, np.arange(len(columns))
    else:
        first: dict = {}
        column_of = np.array([first.setdefault(part_of(column), len(first)) for column in columns], dtype=np.int64)
        standing_for = {part: None for part in first}
        for column in columns:
            if standing_for[part_of(column)] is None:
                standing_for[part_of(column)] = column
        distinct = list(standing_for.values())
    per_group = np.array([[reason(value, column) is None for column in distinct] for value in values],
                         dtype=bool).reshape(len(values), len(distinct))
    return per_group[group][:, column_of]


def add(plan: Plan) -> None:
    """Nothing to post: the plan only holds variables for eligible pairs."""


def check(view: RosterView) -> list[Violation]:
    violations = []
    for vid, sid in view.pairs:
        volunteer, shift = view.problem.volunteer.get(vid), view.problem.shift.get(sid)
        if volunteer is None:
            violations.append(Violation(NAME, f"'{vid}' is not in the register{_zeros_hint(view.problem, vid)}", vid, sid,
                                        code="unknown_volunteer", params={"same": _same_ids(view.problem, vid)}))
        elif shift is None:
            violations.append(Violation(NAME, f"{volunteer.name} ({vid}) is on '{sid}', which is not a shift of the week", vid, sid,
                                        code="unknown_shift", params={"name": volunteer.name}))
        else:
            code = why_not(volunteer, shift)
            if code:
                violations.append(Violation(NAME, f"{volunteer.name} ({vid}) on {shift.name} {sid}: "
                                            + reason_text(code, volunteer, shift), vid, sid, code=code,
                                            params={"name": volunteer.name, "shift_name": shift.name,
                                                    **reason_facts(code, volunteer, shift)}))
    seen = set()
    for pair in view.pairs:
        if pair in seen:
            violations.append(Violation(NAME, f"{pair[0]} is listed twice on {pair[1]}", *pair, code="twice"))
        seen.add(pair)
    return violations


def _same_ids(problem: Problem, vid: VolunteerId) -> list[VolunteerId]:
    """The register's ids that are `vid` but for the leading zeros Excel drops (006 for 6)."""
    return [v.id for v in problem.volunteers if vid.isdigit() and v.id.lstrip("0") == vid.lstrip("0") and v.id != vid]


def _zeros_hint(problem: Problem, vid: VolunteerId) -> str:
    """`; did you mean 006?` when Excel turned the id 006 into the number 6."""
    same = _same_ids(problem, vid)
    if not same:
        return ""
    return (f"; did you mean {' or '.join(same)}? (Excel drops leading zeros: format the column as Text before "
            "typing ids)")
