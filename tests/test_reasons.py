"""The reasons given for an empty seat are true: relaxing exactly what a reason names fills the seat.

Tiny hand-made weeks (2026-W49), solved for real; each reason is read as a coordinator would read
it, the named limit is relaxed, and the week is solved again. Also: the shortfalls announced
before solving are lower bounds that the solver never beats.
"""

from __future__ import annotations

import random

import pytest
from rules.factory import problem, sdef, vol, window

from scheduler import api
from scheduler.analysis.supply import before_solving_text
from scheduler.domain.models import Problem, Rules
from scheduler.render.reasons import reason_texts, worded
from scheduler.solving.solver import make_roster


def solve(prob, lang="en"):
    return api.solve(prob, time_limit=5, workers=1, language=lang)


def named(text: str, prob) -> set[str]:
    """The ids of the volunteers a reason names (`name-A A`)."""
    return {v.id for v in prob.volunteers if f"{v.name} {v.id}" in text}


def with_volunteers(prob, changed: dict[str, dict]):
    """The same problem with some register fields changed."""
    volunteers = tuple(v.model_copy(update=changed.get(v.id, {})) for v in prob.volunteers)
    # A fresh Problem, not model_copy: its cached lookups (`problem.volunteer`) must see the new rows.
    return Problem(week=prob.week, volunteers=volunteers, definitions=prob.definitions, shifts=prob.shifts,
                   rules=prob.rules)


def weekly_limit_week():
    """Four weekday patrols for three people allowed one shift each; a fourth person, who could patrol too,
    keeps the office every morning (held by the daily limit and rest, not by the weekly one)."""
    vols = [vol("A", age=60, max_shifts_per_week=1), vol("B", age=60, max_shifts_per_week=1),
            vol("C", "M", age=60, max_shifts_per_week=1),
            vol("D", age=60, teams=["office"], max_shifts_per_week=5, prefers=["office"])]
    defs = [sdef("patrol", days=["Mon", "Tue", "Wed", "Thu"], need=1),
            sdef("office", days=["Mon", "Tue", "Wed", "Thu"], start="10:00", end="11:00", need=1, teams=["office"])]
    return problem(vols, defs)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_weekly_limit_reason_names_the_people_whose_limit_fills_the_seat(lang):
    prob = weekly_limit_week()
    roster = solve(prob, lang)
    assert roster.seats_missing == 1
    (short,) = roster.unfilled
    (reason,) = short.reasons
    limit_word = "at the weekly limit" if lang == "en" else "本周已达上限"
    day_word = "at the daily limit" if lang == "en" else "当天已达上限"
    assert limit_word in reason and day_word in reason
    # The weekly-limit group is named with a few of the shifts those people hold.
    limit_part = reason.split(limit_word, 1)[1].split(day_word)[0]
    held = "they hold e.g." if lang == "en" else "他们已排的班次如"
    assert held in limit_part and "name-patrol" in limit_part
    people = named(limit_part, prob)
    assert people == {"A", "B", "C"}
    # D is held by the daily limit only: raising D's weekly limit changes nothing ...
    assert solve(with_volunteers(prob, {"D": {"max_shifts_per_week": 9}})).seats_missing == 1
    # ... raising the named people's weekly limit fills the seat.
    relaxed = with_volunteers(prob, {vid: {"max_shifts_per_week": 2} for vid in people})
    assert solve(relaxed).status == "complete"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_funnel_reason_names_the_test_whose_relaxing_fills_the_seat(lang):
    vols = [vol("A", age=65), vol("B", age=74), vol("C", "M", age=76), vol("D", "M", age=82)]
    defs = [sdef("crossing", days=["Tue"], start="16:30", end="18:30", need=2, max_age=70)]
    prob = problem(vols, defs)
    roster = solve(prob, lang)
    (short,) = roster.unfilled
    assert short.missing == 1
    (reason,) = short.reasons
    too_few, young = ("too few people can ever take it", "young enough: 1") if lang == "en" else ("能安排的人太少", "年龄不超过上限 1")
    assert too_few in reason and young in reason
    # Before solving, the same shortfall is announced.
    assert api.supply(prob).seats_short == 1
    relaxed_shift = prob.definitions[0].model_copy(update={"max_age": 75})
    relaxed = problem(vols, [relaxed_shift])
    assert solve(relaxed).status == "complete"


def test_composition_reason_counts_only_women():
    vols = [vol("A", "M", age=40), vol("B", "M", age=40), vol("C", age=40, availability=[window(["Sun"], "06:00", "12:00")])]
    defs = [sdef("cleanup", days=["Sat"], start="09:00", end="11:00", need=2, min_female=1)]
    prob = problem(vols, defs)
    roster = solve(prob)
    (short,) = roster.unfilled
    assert short.missing == 0 and short.unmet == {"female": 1}
    (reason,) = short.reasons
    assert reason.startswith("women: too few people can ever take it") and "free then: 0" in reason
    opened = with_volunteers(prob, {"C": {"availability": None}})
    assert solve(opened).status == "complete"


def test_a_free_person_left_off_an_empty_seat_is_called_what_it_is():
    """Only a search stopped early leaves someone free off an empty seat; the reason says so, and adding them is valid."""
    vols = [vol("A", age=40), vol("B", age=40)]
    prob = problem(vols, [sdef("patrol", days=["Mon"], need=2)])
    context = api.plan_context(prob)
    roster = make_roster(prob, [("A", "patrol@2026-11-30")], context, None, language="en")
    (short,) = roster.unfilled
    assert short.reasons == [], "the engine gives codes; the words come at the edge"
    assert "1 is free of every hard rule and could take it (name-B B)" in reason_texts(short, "en")[0]
    assert api.check(prob, make_roster(prob, [("A", "patrol@2026-11-30"), ("B", "patrol@2026-11-30")], context, None)) == []


def test_a_full_shift_missing_a_woman_says_it_is_full():
    vols = [vol("A", "M", age=40), vol("B", "M", age=40), vol("C", age=40)]
    prob = problem(vols, [sdef("patrol", days=["Mon"], need=2, min_female=1)])
    context = api.plan_context(prob)
    roster = make_roster(prob, [("A", "patrol@2026-11-30"), ("B", "patrol@2026-11-30")], context, None, language="en")
    (short,) = worded(roster).unfilled
    assert "already has its maximum of 2 people" in short.reasons[0] and "name-C C" in short.reasons[0]


# ---------------------------------------------------------------- before solving: the bound holds


def test_supply_lines_before_solving_name_the_short_time_of_day():
    vols = [vol(f"V{i}", age=50, availability=[window(["Sun"], "18:00", "22:00")]) for i in range(4)]
    vols.append(vol("W", age=50, availability=[window(["Sun"], "06:00", "12:00")]))
    defs = [sdef("evening", days=["Sun"], start="18:30", end="20:30", need=3),
            sdef("late", days=["Sun"], start="19:00", end="21:00", need=3),
            sdef("morning", days=["Sun"], start="08:00", end="10:00", need=1)]
    prob = problem(vols, defs)
    supply = api.supply(prob)
    text = before_solving_text(supply, prob, "en")
    assert "Mon" not in text
    assert ("Sun 2026-12-06 evening: 6 seats, at most 4 person-shifts offered (4 people eligible): "
            "at least 2 will stay empty") in text
    assert "In all, at least 2 of the 7 seats will stay empty." in text
    assert "周日 晚上：需要 6 人次，最多只能提供 4 人次（可安排 4 人）：至少 2 个空缺" in before_solving_text(supply, prob, "zh")
    assert solve(prob).seats_missing == 2


def test_supply_counts_required_tags_and_women():
    vols = [vol("A", age=50, skills=["first_aid"]), vol("B", "M", age=50, skills=["first_aid"]), vol("C", "M", age=50)]
    defs = [sdef("clinic", days=["Mon", "Tue", "Wed"], need=1, require={"first_aid": 1}, min_female=1)]
    prob = problem(vols, defs, max_shifts_per_week=1)
    supply = api.supply(prob)
    rows = {row.key[0]: row for row in supply.per_tag}
    assert (rows["first_aid"].seats, rows["first_aid"].people, rows["first_aid"].offered) == (3, 2, 2)
    assert (rows["female"].seats, rows["female"].people, rows["female"].offered) == (3, 1, 1)
    lines = [f.row.key[0] for f in supply.cannot_meet if f.row.kind == "tag"]
    assert lines == ["female", "first_aid"]
    roster = solve(prob)
    unmet = sum(u.unmet.get("female", 0) for u in roster.unfilled)
    assert unmet == 2


def _random_problem(seed: int):
    rng = random.Random(seed)
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    vols = []
    for i in range(rng.randint(3, 7)):
        free = rng.sample(days, rng.randint(1, 7))
        vols.append(vol(f"V{i}", rng.choice("FM"), age=rng.randint(20, 85), teams=rng.sample(["a", "b"], rng.randint(1, 2)),
                        skills=["first_aid"] if rng.random() < 0.3 else [],
                        availability=[window(free, rng.choice(["06:00", "12:00"]), rng.choice(["18:00", "23:00"]))],
                        max_shifts_per_week=rng.randint(1, 4)))
    defs = []
    for j in range(rng.randint(2, 5)):
        start = rng.choice([7, 9, 13, 16, 19])
        defs.append(sdef(f"s{j}", days=rng.sample(days, rng.randint(1, 4)), start=f"{start:02d}:00",
                         end=f"{start + 2:02d}:00", need=rng.randint(1, 3), max_age=rng.choice([None, 70, 80]),
                         teams=rng.sample(["a", "b"], rng.randint(0, 1)),
                         min_female=rng.choice([0, 0, 1]), require=rng.choice([{}, {}, {"first_aid": 1}])))
    return problem(vols, defs, min_rest_hours=rng.choice([0, 10, 14]), max_consecutive_days=rng.randint(2, 5),
                   max_shifts_per_day=rng.choice([1, 2]))


@pytest.mark.parametrize("seed", range(30))
def test_shortfalls_announced_before_solving_are_never_beaten(seed):
    prob = _random_problem(seed)
    supply = api.supply(prob)
    roster = api.solve(prob, time_limit=5, workers=1)
    assert roster.solver.status == "OPTIMAL"
    assert roster.seats_missing >= supply.seats_short
    for found in supply.cannot_meet:
        row = found.row
        if row.requirement == "seats":
            missing = sum(u.missing for u in roster.unfilled if u.shift in row.shift_ids)
        else:
            missing = sum(u.unmet.get(row.requirement, 0) for u in roster.unfilled if u.shift in row.shift_ids)
        assert missing >= found.at_least, (row, missing)


def test_rules_defaults_are_the_factory_defaults():
    # The weeks above lean on the defaults: one shift a day, ten hours of rest.
    assert Rules().max_shifts_per_day == 1 and Rules().min_rest_hours == 10
