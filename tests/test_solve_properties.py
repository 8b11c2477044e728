"""End to end: solve small problems, then verify the roster with the plain-Python checks alone.

Properties, never one exact roster: no hard rule broken; the solver's objective equals the
penalties recomputed from the roster; as many seats filled as the hard rules allow (checked
against an independent max-flow where the hard rules are separable); the same roster twice.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.graph.python.max_flow import SimpleMaxFlow

import constraints
from constraints import GOALS
from constraints.eligibility import why_not
from scheduler.domain.models import (
    DateRange,
    Gender,
    Health,
    PlanningWeek,
    Problem,
    Rules,
    ShiftDefinition,
    Volunteer,
    Weights,
    Window,
    expand,
)
from scheduler.domain.roster import Roster
from scheduler.solving.solver import SolveOptions, build, goal_weights, solve
from tests.rules.factory import history_of

WEEK = PlanningWeek(year=2026, week=49)
MON = WEEK.monday
# A fixed amount of deterministic search (10 deterministic seconds) and a wall-clock budget no
# machine load reaches: the answers do not depend on how busy the machine is.
FAST = SolveOptions(time_limit=20, workers=8, wall_seconds=600)
KINDS = ("patrol", "service", "reading")
TEAMS = ("civility", "service")
TAGS = ("first_aid", "english")


def hm(text: str) -> int:
    hours, _, mins = text.partition(":")
    return int(hours) * 60 + int(mins)


def make_problem(volunteers, definitions, **rules) -> Problem:
    definitions = tuple(definitions)
    return Problem(week=WEEK, volunteers=tuple(volunteers), definitions=definitions,
                   shifts=expand(definitions, WEEK), rules=Rules(**rules))


def seats_filled(problem: Problem, pairs) -> int:
    on = {}
    for _, sid in pairs:
        on[sid] = on.get(sid, 0) + 1
    return sum(min(on.get(s.id, 0), s.need) for s in problem.shifts)


def assert_sound(problem: Problem, roster: Roster, context: constraints.Context) -> None:
    """Optimal, no hard rule broken, and the objective is the sum of the penalties recomputed from the roster."""
    assert roster.solver is not None and roster.solver.status == "OPTIMAL"
    pairs = roster.pairs()
    assert constraints.check(problem, pairs) == []
    coverage_weight = build(problem, context).coverage_weight
    weights = goal_weights(problem.rules.weights, coverage_weight)
    points = constraints.goal_points(problem, pairs, context)
    recomputed = {goal: weights[goal] * points[goal] for goal in GOALS}
    assert roster.objective == recomputed
    assert roster.solver.objective == sum(recomputed.values())
    # The report agrees: every empty seat is listed.
    assert roster.seats_missing == sum(s.need for s in problem.shifts) - seats_filled(problem, pairs)


# -- hand-built problems ---------------------------------------------------------------------------

def village() -> Problem:
    """A week with every kind of rule in play: gender mix, a required skill, partners, wishes, a night patrol."""
    definitions = [
        ShiftDefinition(id="gate-am", name="gate", kind="patrol", days=frozenset(range(5)), start=hm("07:00"),
                        end=hm("09:00"), need=2, max=3, min_female=1),
        ShiftDefinition(id="night", name="night", kind="patrol", days=frozenset({4, 5}), start=hm("22:00"),
                        end=hm("01:00"), need=2, max=2, min_male=1, min_health=Health.FAIR),
        ShiftDefinition(id="read", name="read", kind="reading", teams=frozenset({"service"}), days=frozenset({2}),
                        dates=(MON + dt.timedelta(days=5),), start=hm("14:00"), end=hm("16:00"), need=1, max=1,
                        require={"first_aid": 1}),
    ]
    volunteers = [
        Volunteer(id="V1", name="a", gender=Gender.FEMALE, age=66, teams=frozenset({"service"}),
                  skills=frozenset({"first_aid"}), prefers=frozenset({"reading"})),
        Volunteer(id="V2", name="b", gender=Gender.MALE, age=70, partner="V3", health=Health.FAIR),
        Volunteer(id="V3", name="c", gender=Gender.MALE, age=58, avoids=frozenset({"night"})),
        Volunteer(id="V4", name="d", gender=Gender.FEMALE, age=61, max_shifts_per_week=1,
                  availability=(Window(days=frozenset(range(7)), start=hm("06:00"), end=hm("12:00")),)),
        Volunteer(id="V5", name="e", gender=Gender.FEMALE, age=45, unavailable=(
            DateRange(first=MON + dt.timedelta(days=1), last=MON + dt.timedelta(days=2)),)),
        Volunteer(id="V6", name="f", gender=Gender.MALE, age=40, health=Health.POOR),
        Volunteer(id="V7", name="g", gender=Gender.FEMALE, age=52),
    ]
    return make_problem(volunteers, definitions)


def short_week() -> Problem:
    """Far more seats than people can take: the roster is partial, never a crash."""
    definitions = [ShiftDefinition(id="s", name="s", days=frozenset(range(7)), start=hm("08:00"), end=hm("12:00"),
                                   need=3, max=3, min_female=2, require={"english": 1})]
    volunteers = [Volunteer(id=f"V{i}", name=str(i), gender=Gender.MALE if i % 2 else Gender.FEMALE,
                            skills=frozenset({"english"}) if i == 1 else frozenset()) for i in range(4)]
    return make_problem(volunteers, definitions, max_shifts_per_week=2, max_consecutive_days=2)


def nobody_can_come() -> Problem:
    shift = ShiftDefinition(id="s", name="s", days=frozenset({0, 6}), start=hm("22:00"), end=hm("02:00"), need=2, max=2)
    away = Volunteer(id="A", name="a", gender=Gender.FEMALE, active=False)
    night_owl = Volunteer(id="B", name="b", gender=Gender.MALE, unavailable=(DateRange(first=MON, last=WEEK.sunday),))
    return make_problem([away, night_owl], [shift])


def no_shift_this_week() -> Problem:
    later = ShiftDefinition(id="s", name="s", dates=(dt.date(2027, 1, 1),), start=hm("08:00"), end=hm("09:00"),
                            need=1, max=1)
    return make_problem([Volunteer(id="A", name="a", gender=Gender.FEMALE)], [later])


@pytest.mark.parametrize("build_problem, earlier", [
    (village, None),
    (village, {"V1": 3, "V7": 1}),
    (short_week, None),
    (nobody_can_come, None),
    (no_shift_this_week, None),
])
def test_hand_built_problems(build_problem, earlier):
    problem = build_problem()
    context = constraints.build_context(problem, history=history_of(earlier))
    roster = solve(problem, FAST, context)
    assert_sound(problem, roster, context)


def test_short_week_fills_what_it_can():
    problem = short_week()
    roster = solve(problem, FAST)
    # Four people, two shifts each: 8 of 21 seats; women and English are short somewhere.
    assert seats_filled(problem, roster.pairs()) == 8
    assert roster.status == "partial" and roster.seats_missing == 13


def test_same_problem_same_roster():
    first, second = solve(village()), solve(village())
    assert first.pairs() == second.pairs()
    assert first.objective == second.objective
    assert first.solver.objective == second.solver.objective
    assert first.solver.deterministic and second.solver.deterministic


# -- random problems -------------------------------------------------------------------------------

# Slots that never overlap one another on any day, including the night slot into the next morning.
SLOTS = (("06:00", "08:00"), ("09:00", "11:00"), ("13:00", "15:00"), ("18:00", "20:00"), ("22:00", "01:00"))
WEEK_AND_NEXT_MONDAY = WEEK.dates + [WEEK.sunday + dt.timedelta(days=1)]


@st.composite
def windows(draw):
    days = frozenset(draw(st.sets(st.integers(0, 6), min_size=1, max_size=7)))
    start = draw(st.integers(0, 44)) * 30
    end = draw(st.integers(start // 30 + 1, 48)) * 30
    return Window(days=days, start=start, end=end)


@st.composite
def volunteers(draw, index: int, ids: list[str]):
    """One register row; blocked dates may fall on the Monday after the week (a Sunday night shift's end)."""
    vid = ids[index]
    blocked = []
    if draw(st.booleans()):
        first = draw(st.sampled_from(WEEK_AND_NEXT_MONDAY))
        blocked.append(DateRange(first=first, last=first + dt.timedelta(days=draw(st.integers(0, 2)))))
    availability = None
    if draw(st.sampled_from([False, False, True])):
        availability = tuple(draw(st.lists(windows(), min_size=1, max_size=2)))
    return Volunteer(
        id=vid, name=vid, gender=draw(st.sampled_from(list(Gender))),
        age=draw(st.sampled_from([None, 17, 30, 45, 60, 66, 70, 78, 85])),
        health=draw(st.sampled_from(list(Health))),
        teams=frozenset(draw(st.sets(st.sampled_from(TEAMS)))),
        skills=frozenset(draw(st.sets(st.sampled_from(TAGS)))),
        availability=availability, unavailable=tuple(blocked),
        max_shifts_per_week=draw(st.none() | st.integers(0, 4)),
        prefers=frozenset(draw(st.sets(st.sampled_from(KINDS), max_size=1))),
        avoids=frozenset(draw(st.sets(st.sampled_from(KINDS), max_size=1))),
        partner=draw(st.none() | st.sampled_from(ids)),
        active=draw(st.sampled_from([True] * 7 + [False])),
    )


@st.composite
def definitions(draw, index: int, slot: tuple[str, str] | None, composition: bool):
    """A definition at a random time (often past midnight) or in a given slot; gender and skill minimums
    only with `composition`."""
    if slot is None:
        start = draw(st.integers(0, 47)) * 30
        length = draw(st.integers(1, 8)) * 30
        times = (start, (start + length) % 1440)
    else:
        times = (hm(slot[0]), hm(slot[1]))
    need = draw(st.sampled_from([1, 2, 3, 2, 0]))
    most = need + draw(st.integers(0, 1))
    extra = {}
    if composition:
        extra["min_female"] = draw(st.integers(0, min(most, 2)))
        extra["min_male"] = draw(st.integers(0, most - extra["min_female"]))
        extra["require"] = draw(st.dictionaries(st.sampled_from(TAGS), st.integers(1, 2), max_size=1))
    limits = draw(st.sampled_from(["", "", "min_age", "max_age"]))
    if limits:
        extra[limits] = draw(st.sampled_from([18, 60, 75]))
    one_off = draw(st.lists(st.sampled_from(WEEK.dates), max_size=1))
    days = frozenset(draw(st.sets(st.integers(0, 6), min_size=0 if one_off else 1, max_size=7)))
    return ShiftDefinition(
        id=f"d{index}", name=f"d{index}", kind=draw(st.sampled_from(KINDS)),
        teams=frozenset(draw(st.sampled_from([(), (), (), ("civility",)]))),
        days=days, dates=tuple(one_off), start=times[0], end=times[1], need=need, max=most,
        min_health=draw(st.sampled_from([None, None, Health.FAIR, Health.GOOD])), **extra,
    )


@st.composite
def problems(draw, separable: bool):
    """Any problem; or, when `separable`, one without composition rules whose per-day, rest and run limits are
    slack and whose shifts never overlap, so that the weekly cap is the only limit tying a person's shifts."""
    count = draw(st.sampled_from(range(3, 13)))
    ids = [f"V{i:02d}" for i in range(count)]
    people = [draw(volunteers(i, ids)) for i in range(count)]
    n_defs = draw(st.sampled_from(range(1, 6)))
    slots = draw(st.permutations(SLOTS))[:n_defs] if separable else [None] * n_defs
    defs = [draw(definitions(i, slot, composition=not separable)) for i, slot in enumerate(slots)]
    weights = Weights(**{goal: draw(st.integers(0, 10)) for goal in ("fairness", "preference", "partner")})
    if separable:
        rules = Rules(max_shifts_per_week=draw(st.integers(1, 4)), max_shifts_per_day=len(SLOTS), min_rest_hours=0,
                      max_consecutive_days=7, weights=weights)
    else:
        rules = Rules(max_shifts_per_week=draw(st.integers(1, 4)), max_shifts_per_day=draw(st.integers(1, 2)),
                      min_rest_hours=draw(st.sampled_from([0, 8, 10, 12.5])),
                      max_consecutive_days=draw(st.integers(1, 7)), weights=weights)
    return Problem(week=WEEK, volunteers=tuple(people), definitions=tuple(defs), shifts=expand(defs, WEEK), rules=rules)


def most_seats(problem: Problem) -> int:
    """Max flow source -> volunteer (weekly cap) -> eligible shift (1) -> sink (need): the most seats fillable
    when the weekly cap is the only limit binding a person across shifts."""
    flow = SimpleMaxFlow()
    source, sink = 0, 1
    person = {v.id: 2 + i for i, v in enumerate(problem.volunteers)}
    seat = {s.id: 2 + len(person) + i for i, s in enumerate(problem.shifts)}
    for v in problem.volunteers:
        flow.add_arc_with_capacity(source, person[v.id], problem.rules.weekly_cap(v))
        for s in problem.shifts:
            if why_not(v, s) is None:
                flow.add_arc_with_capacity(person[v.id], seat[s.id], 1)
    for s in problem.shifts:
        flow.add_arc_with_capacity(seat[s.id], sink, s.need)
    assert flow.solve(source, sink) == SimpleMaxFlow.OPTIMAL
    return flow.optimal_flow()


def test_most_seats_on_a_small_case():
    # Two people with one shift each, three single seats: two seats. One person with three: three.
    shift = ShiftDefinition(id="s", name="s", days=frozenset({0, 1, 2}), start=hm("08:00"), end=hm("09:00"), need=1, max=1)
    two = [Volunteer(id=v, name=v, gender=Gender.FEMALE, max_shifts_per_week=1) for v in "AB"]
    assert most_seats(make_problem(two, [shift])) == 2
    assert most_seats(make_problem([Volunteer(id="A", name="A", gender=Gender.MALE)], [shift])) == 3


def test_separable_slots_never_overlap():
    defs = [ShiftDefinition(id=str(i), name="x", days=frozenset(range(7)), start=hm(a), end=hm(b), need=1, max=1)
            for i, (a, b) in enumerate(SLOTS)]
    shifts = expand(defs, WEEK)
    assert not any(a.overlaps(b) for a in shifts for b in shifts if a.id != b.id)


PROPERTY_SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                             suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@PROPERTY_SETTINGS
@given(problems(separable=False))
def test_random_problems(problem):
    """Any rules, overlapping and past-midnight shifts, gender and skill minimums."""
    context = constraints.build_context(problem)
    assert_sound(problem, solve(problem, FAST, context), context)


@PROPERTY_SETTINGS
@given(problems(separable=True))
def test_separable_problems_fill_every_seat_possible(problem):
    context = constraints.build_context(problem)
    roster = solve(problem, FAST, context)
    assert_sound(problem, roster, context)
    assert seats_filled(problem, roster.pairs()) == most_seats(problem)
