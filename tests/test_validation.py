"""Warnings about legal but suspicious inputs, and the supply-and-demand overview of a week.

Small hand-made problems in 2026-W49 (Monday 2026-11-30 .. Sunday 2026-12-06); no solver.
"""

from __future__ import annotations

import datetime as dt

import constraints
from scheduler.analysis.validation import overview, warnings
from scheduler.domain.models import (
    DateRange,
    Gender,
    Health,
    PlanningWeek,
    Problem,
    Rules,
    ShiftDefinition,
    Source,
    Volunteer,
    Window,
    expand,
)

WEEK = PlanningWeek(year=2026, week=49)
MON, TUE, WED, THU, FRI, SAT, SUN = WEEK.dates
SOURCES = {"volunteers": Source(path="volunteers.csv"), "shifts": Source(path="shifts.yaml")}


def person(vid: str, name: str, gender: str = "F", age: int = 65, row: int | None = None, **fields) -> Volunteer:
    for key in ("teams", "skills", "roles"):
        if key in fields:
            fields[key] = frozenset(fields[key])
    return Volunteer(id=vid, name=name, gender=Gender(gender), age=age, row=row, **fields)


def post(did: str, days=(0,), start: int = 7 * 60, end: int = 9 * 60, need: int = 1, line: int | None = None,
         **fields) -> ShiftDefinition:
    if "teams" in fields:
        fields["teams"] = frozenset(fields["teams"])
    return ShiftDefinition(id=did, name=fields.pop("name", f"name-{did}"), days=frozenset(days), start=start,
                           end=end, need=need, max=need, line=line, **fields)


def make(volunteers, definitions, sources=SOURCES, **rules) -> Problem:
    definitions = tuple(definitions)
    return Problem(week=WEEK, volunteers=tuple(volunteers), definitions=definitions,
                   shifts=expand(definitions, WEEK), rules=Rules(**rules), sources=sources)


def warned(problem: Problem) -> list[str]:
    return [str(f) for f in warnings(problem, constraints.build_context(problem))]


def whole_week_off() -> tuple[DateRange, ...]:
    return (DateRange(first=MON, last=SUN),)


# ---------------------------------------------------------------------------------- warnings


def test_a_clean_problem_has_no_warnings():
    problem = make([person("V1", "王秀英", teams=["civility"])], [post("gate", teams=["civility"])])
    assert warned(problem) == []


def test_a_register_team_no_shift_uses():
    problem = make([person("V1", "王秀英", teams=["civility", "civilty"], row=2),
                    person("V2", "李建国", "M", teams=["civility", "greening"], row=3)],
                   [post("gate", teams=["civility"])])
    findings = warnings(problem, constraints.build_context(problem))
    assert [str(f) for f in findings] == [
        "volunteers.csv, column 'teams': team 'civilty' appears in the register but no shift uses it "
        "(value: 'civilty'). Fix: check the spelling against the teams in the shifts file",
        "volunteers.csv, column 'teams': team 'greening' appears in the register but no shift uses it "
        "(value: 'greening'). Fix: check the spelling against the teams in the shifts file",
    ]
    assert all(f.row is None for f in findings)


def test_an_unused_team_is_reported_even_while_some_shift_is_open_to_all():
    # Its members can still take the open shift, but a misspelt team must not hide behind it.
    problem = make([person("V1", "王秀英", teams=["greening"])], [post("cleanup")])
    assert warned(problem) == [
        "volunteers.csv, column 'teams': team 'greening' appears in the register but no shift uses it "
        "(value: 'greening'). Fix: check the spelling against the teams in the shifts file"
    ]


def test_a_shift_nobody_is_young_enough_for_names_the_funnel():
    problem = make([person("V1", "王秀英", age=70, teams=["civility"]),
                    person("V2", "李建国", "M", age=72, teams=["civility"]),
                    person("V3", "张桂兰", age=25, teams=["service"])],
                   [post("gate", teams=["civility"], max_age=30, line=5, name="东门文明劝导"),
                    post("visit", teams=["service"])])
    assert warned(problem) == [
        "shifts.yaml, row 5, column 'id': nobody could ever staff 东门文明劝导 (07:00-09:00) on Mon 2026-11-30: "
        "no one is young enough (max_age 30; the youngest of the 2 left is 70) "
        "(everyone: 3; active: 3; in its team: 2; old enough: 2) "
        "(value: 'gate'). Fix: relax the shift's limits or widen its teams, or recruit for that time"
    ]


def test_a_shift_nobody_is_in_the_team_for():
    problem = make([person("V1", "王秀英", teams=["civility"])],
                   [post("visit", teams=["service"], line=9), post("gate", teams=["civility"])])
    findings = warnings(problem, constraints.build_context(problem))
    assert [(f.row, f.value, f.message) for f in findings] == [
        (9, "visit",
         "nobody could ever staff name-visit (07:00-09:00) on Mon 2026-11-30: no one is in its team (service) "
         "(everyone: 1; active: 1)"),
    ]


def test_the_funnel_stops_at_the_first_empty_step():
    # Two healthy but busy people and one of poor health: the health step leaves one, time leaves none.
    problem = make([person("V1", "王秀英", availability=(Window(days=frozenset({1}), start=0, end=1440),)),
                    person("V2", "李建国", "M", health=Health.POOR),
                    person("V3", "张桂兰", availability=(Window(days=frozenset({0}), start=8 * 60, end=12 * 60),))],
                   [post("gate", min_health=Health.FAIR)])
    (finding,) = warnings(problem, constraints.build_context(problem))
    assert finding.message == (
        "nobody could ever staff name-gate (07:00-09:00) on Mon 2026-11-30: no one is free then (07:00-09:00) "
        "(everyone: 3; active: 3; in its team: 3; old enough: 3; young enough: 3; of known age: 3; "
        "healthy enough: 2; not blocked that day: 2)")


def test_a_problem_without_volunteers_says_so():
    problem = make([], [post("gate", line=3)])
    (finding,) = warnings(problem, constraints.build_context(problem))
    assert (finding.message, finding.fix) == (
        "nobody could ever staff name-gate (07:00-09:00) on Mon 2026-11-30: the register has no volunteers",
        "add the volunteers to the register")


def test_an_unstaffable_shift_is_reported_once_with_all_its_days():
    problem = make([person("V1", "王秀英", teams=["civility"])],
                   [post("visit", days=(0, 2), teams=["service"], line=4), post("gate", teams=["civility"])])
    assert [(f.row, f.column, f.value, f.message) for f in warnings(problem, constraints.build_context(problem))] == [
        (4, "id", "visit",
         "nobody could ever staff name-visit (07:00-09:00) on Mon 2026-11-30, Wed 2026-12-02: "
         "no one is in its team (service) (everyone: 1; active: 1)"),
    ]


def test_a_shift_nobody_is_old_enough_for_names_the_limit_and_the_oldest():
    problem = make([person("V1", "王秀英", age=17, teams=["youth"]), person("V2", "李建国", "M", age=16, teams=["youth"])],
                   [post("escort", teams=["youth"], min_age=18)])
    (finding,) = warnings(problem, constraints.build_context(problem))
    assert finding.message == (
        "nobody could ever staff name-escort (07:00-09:00) on Mon 2026-11-30: no one is old enough "
        "(min_age 18; the oldest of the 2 left is 17) (everyone: 2; active: 2; in its team: 2)")


def test_a_shift_nobody_is_healthy_enough_for_names_the_limit():
    problem = make([person("V1", "王秀英", health=Health.POOR)], [post("gate", min_health=Health.FAIR)])
    (finding,) = warnings(problem, constraints.build_context(problem))
    assert finding.message == (
        "nobody could ever staff name-gate (07:00-09:00) on Mon 2026-11-30: no one is healthy enough "
        "(min_health fair) (everyone: 1; active: 1; in its team: 1; old enough: 1; young enough: 1; of known age: 1)")


def test_a_shift_that_needs_nobody_is_not_reported():
    problem = make([person("V1", "王秀英", teams=["civility"])],
                   [post("spare", teams=["service"], need=0), post("gate", teams=["civility"])])
    assert warned(problem) == []


def test_a_volunteer_blocked_the_whole_week():
    problem = make([person("V1", "王秀英", row=2),
                    person("V2", "李建国", "M", row=3, unavailable=whole_week_off())],
                   [post("gate")])
    assert warned(problem) == [
        "volunteers.csv, row 3, column 'availability': 李建国 (V2) cannot serve at any time in week 2026-W49 "
        "(2026-11-30 - 2026-12-06) (value: 'V2'). "
        "Fix: nothing to do if that is right; otherwise check 可服务时间 (availability) and 不可服务日期 (unavailable)"
    ]


def test_a_volunteer_free_only_on_blocked_days_has_no_availability():
    problem = make([person("V1", "王秀英", row=2),
                    person("V2", "李建国", "M", row=7, availability=(Window(days=frozenset({5}), start=0, end=1440),),
                           unavailable=(DateRange(first=SAT, last=SAT),))],
                   [post("gate")])
    findings = warnings(problem, constraints.build_context(problem))
    assert [(f.row, f.column, f.value, f.message) for f in findings] == [
        (7, "availability", "V2", "李建国 (V2) cannot serve at any time in week 2026-W49 (2026-11-30 - 2026-12-06)")]


def test_blocked_on_some_days_only_or_inactive_is_not_reported():
    problem = make([person("V1", "王秀英", unavailable=(DateRange(first=MON, last=SAT),)),
                    person("V2", "李建国", "M", active=False, unavailable=whole_week_off()),
                    person("V3", "张桂兰", availability=())],
                   [post("gate", days=(6,))])
    # V3 gave an empty availability: never free, so reported; V2 is inactive and ignored.
    assert [f.value for f in warnings(problem, constraints.build_context(problem))] == ["V3"]


def test_without_sources_the_warnings_name_the_inputs_generically():
    problem = make([person("V1", "王秀英", teams=["greening"], unavailable=whole_week_off())],
                   [post("gate", teams=["civility"])], sources={})
    assert [f.file for f in warnings(problem, constraints.build_context(problem))] == [
        "volunteers", "shifts", "volunteers"]


# ---------------------------------------------------------------------------------- overview


def overview_problem() -> Problem:
    """A: civility, any time. B: civility, Monday mornings only. C: service, blocked on Tuesday.
    D: civility but inactive. gate (civility, Mon+Tue, 2 seats), eve (civility, Mon, 1 seat),
    read (open to all, Tue afternoon, 1 seat)."""
    volunteers = [
        person("A", "甲", age=35, teams=["civility"]),
        person("B", "乙", "M", age=65, teams=["civility"],
               availability=(Window(days=frozenset({0}), start=6 * 60, end=12 * 60),)),
        person("C", "丙", age=80, teams=["service"], health=Health.FAIR,
               unavailable=(DateRange(first=TUE, last=TUE),)),
        person("D", "丁", "M", age=50, teams=["civility"], active=False),
    ]
    definitions = [
        post("gate", days=(0, 1), need=2, teams=["civility"], kind="patrol"),
        post("eve", days=(0,), start=18 * 60, end=20 * 60, teams=["civility"], kind="patrol"),
        post("read", days=(1,), start=14 * 60, end=16 * 60),
    ]
    return make(volunteers, definitions)


def test_overview_people():
    problem = overview_problem()
    result = overview(problem, constraints.build_context(problem))
    assert (result.volunteers_total, result.volunteers_active) == (4, 3)
    assert result.per_team == {"civility": 2, "service": 1}
    assert result.age_bands == {"under 40": 1, "40-59": 0, "60-69": 1, "70-79": 0, "80 and over": 1}
    assert result.health == {"good": 2, "fair": 1, "poor": 0}
    assert result.shifts_per_kind == {"(none)": 1, "patrol": 3}


def test_overview_per_day():
    problem = overview_problem()
    result = overview(problem, constraints.build_context(problem))
    quiet = [{"date": day.isoformat(), "weekday": name, "shifts": 0, "seats": 0, "people": 0, "offered": 0}
             for day, name in zip(WEEK.dates[2:], ("Wed", "Thu", "Fri", "Sat", "Sun"))]
    assert result.per_day == [
        # Monday: gate (A, B) and eve (A; B is free mornings only): A could do 2 but the daily cap is 1.
        {"date": "2026-11-30", "weekday": "Mon", "shifts": 2, "seats": 3, "people": 2, "offered": 2},
        # Tuesday: only A is free (B Mondays only, C blocked); gate and read both want A.
        {"date": "2026-12-01", "weekday": "Tue", "shifts": 2, "seats": 3, "people": 1, "offered": 1},
        *quiet,
    ]


def test_overview_per_day_follows_the_daily_cap():
    problem = overview_problem().model_copy(update={"rules": Rules(max_shifts_per_day=2)})
    result = overview(problem, constraints.build_context(problem))
    assert [(d["people"], d["offered"]) for d in result.per_day[:2]] == [(2, 3), (1, 2)]


def test_overview_per_team():
    problem = overview_problem()
    context = constraints.build_context(problem)
    assert context.offered == {"A": 2, "B": 1, "C": 0, "D": 0}
    result = overview(problem, context)
    assert result.per_team_supply == [
        {"team": "civility", "members": 2, "seats": 5, "offered": 3},
        {"team": "service", "members": 1, "seats": 0, "offered": 0},
        {"team": "(open to all)", "members": 3, "seats": 1, "offered": 3},
    ]


def test_overview_lists_a_shift_team_nobody_belongs_to():
    problem = make([person("A", "甲", teams=["civility"])],
                   [post("gate", teams=["civility"]), post("visit", days=(2,), need=2, teams=["service"])])
    result = overview(problem, constraints.build_context(problem))
    assert result.per_team_supply == [
        {"team": "civility", "members": 1, "seats": 1, "offered": 1},
        {"team": "service", "members": 0, "seats": 2, "offered": 0},
    ]


def test_overview_of_the_tutorial_week_adds_up():
    from pathlib import Path

    from scheduler.loading import load_problem

    problem = load_problem(Path(__file__).resolve().parent.parent / "sample_data" / "tutorial", week="2026-W49")
    result = overview(problem, constraints.build_context(problem))
    assert sum(d["shifts"] for d in result.per_day) == len(problem.shifts) == 7
    assert sum(d["seats"] for d in result.per_day) == sum(s.need for s in problem.shifts) == 5 * 1 + 3 + 2
    assert sum(result.shifts_per_kind.values()) == 7
    assert result.volunteers_total == 8
    assert dt.date.fromisoformat(result.per_day[0]["date"]) == WEEK.monday
