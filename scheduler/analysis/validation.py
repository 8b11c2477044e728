"""Warnings about legal but suspicious inputs, and the supply-and-demand overview of a week."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from constraints import Context
from constraints.eligibility import REASONS, funnel, why_not
from scheduler.analysis.supply import Supply, supply
from scheduler.domain.errors import Finding, Listing, Phrase
from scheduler.domain.models import WEEKDAYS, Problem, Shift

AGE_BANDS = ((0, 39, "under 40"), (40, 59, "40-59"), (60, 69, "60-69"), (70, 79, "70-79"), (80, 200, "80 and over"))


@dataclass
class WeekOverview:
    """The figures `roster validate` prints, kept as data so the library can use them too."""

    volunteers_total: int = 0
    volunteers_active: int = 0
    per_team: dict[str, int] = field(default_factory=dict)
    age_bands: dict[str, int] = field(default_factory=dict)
    health: dict[str, int] = field(default_factory=dict)
    shifts_per_kind: dict[str, int] = field(default_factory=dict)
    per_day: list[dict] = field(default_factory=list)
    per_team_supply: list[dict] = field(default_factory=list)
    supply: Supply | None = None
    """Per time of day, per team's shifts, per requirement, and what no roster can meet (scheduler.analysis.supply)."""


def warnings(problem: Problem, context: Context) -> list[Finding]:
    """Legal but suspicious: what loading noticed (rows skipped, the sheet read, columns ignored), unused
    teams, shifts nobody could staff, volunteers never free, partner oddities."""
    shifts_file = problem.sources["shifts"].path if "shifts" in problem.sources else "shifts"
    register = problem.sources["volunteers"].path if "volunteers" in problem.sources else "volunteers"
    found = list(problem.notes)
    used_teams = set().union(*(d.teams for d in problem.definitions))
    for team in sorted(set().union(*(v.teams for v in problem.volunteers)) - used_teams):
        found.append(Finding(file=register, column="teams", value=team, code="input.warn.team_unused",
                             params={"team": team}))
    found += _unstaffable(problem, context, shifts_file)
    found += partner_warnings(problem, register)
    for volunteer in problem.active_volunteers:
        if not _free_some_day(problem, volunteer):
            found.append(Finding(
                file=register, row=volunteer.row, column="availability", value=volunteer.id, value_is_id=True,
                code="input.warn.never_free",
                params={"name": volunteer.name, "id": volunteer.id, "week": problem.week.label,
                        "first": problem.week.monday.isoformat(), "last": problem.week.sunday.isoformat()}))
    return found


def partner_warnings(problem: Problem, register: str) -> list[Finding]:
    """Partners that cannot work as written: an inactive partner, one partner named by several
    people, and circles of three or more (A names B, B names C, C names A). Each is legal, and each
    means someone the coordinator thinks is paired will often serve without their partner."""
    people = problem.volunteer
    found = []

    def warn(volunteer, code: str, **blanks: object) -> None:
        found.append(Finding(file=register, row=volunteer.row, column="partner", value=volunteer.partner,
                             value_is_id=True, code=code, params=blanks))

    naming: dict[str, list] = {}
    for volunteer in problem.volunteers:
        partner = people.get(volunteer.partner) if volunteer.partner else None
        if partner is None or partner.id == volunteer.id or not volunteer.active:
            continue
        naming.setdefault(partner.id, []).append(volunteer)
        if not partner.active:
            warn(volunteer, "input.partner.inactive", name=volunteer.name, id=volunteer.id, partner=partner.name,
                 partner_id=partner.id)
    for partner_id, those in naming.items():
        if len(those) > 1:
            who = Listing(tuple(f"{v.name} ({v.id})" for v in those), "join.names")
            warn(those[1], "input.partner.shared", who=who, partner=people[partner_id].name, partner_id=partner_id)
    for circle in _partner_circles(people):
        if len(circle) >= 3:
            chain = " → ".join(f"{people[vid].name} ({vid})" for vid in circle + [circle[0]])
            warn(people[circle[0]], "input.partner.circle", chain=chain)
    return found


def _partner_circles(people: dict) -> list[list[str]]:
    """Every circle of the "names as partner" links, each once, in linear time (each person is
    followed once: a walk stops at anyone an earlier walk reached)."""
    done: set[str] = set()
    circles = []
    for start in people:
        walk: list[str] = []
        position: dict[str, int] = {}
        current = start
        while current in people and current not in done and current not in position:
            position[current] = len(walk)
            walk.append(current)
            current = people[current].partner
        if current in position:
            circles.append(walk[position[current]:])
        done.update(walk)
    return circles


def _unstaffable(problem: Problem, context: Context, shifts_file: str) -> list[Finding]:
    """One warning per shift definition and blocking test whose occurrences nobody could ever take."""
    empty: dict[tuple[str, str], list[Shift]] = {}
    for shift in problem.shifts:
        if shift.need and not context.eligible.get(shift.id):
            steps = funnel(list(problem.volunteers), shift)
            blocker = next(code for code, count in steps if count == 0)
            empty.setdefault((shift.definition_id, blocker), []).append(shift)
    found = []
    for (_, blocker), shifts in empty.items():
        first = shifts[0]
        counts = Listing(tuple(Phrase("input.warn.funnel_count", {"what": Phrase(f"input.funnel.{code}"), "n": count})
                               for code, count in funnel(list(problem.volunteers), first) if count or code == "everyone"),
                         "join.causes")
        params = {"name": first.name, "time": first.time_label, "days": Listing(tuple(s.date for s in shifts)),
                  "blocker": Phrase(f"input.funnel.{blocker}"),
                  "detail": "" if blocker == "everyone" else _limit_detail(problem, first, blocker),
                  "counts": counts}
        found.append(Finding(file=shifts_file, row=first.definition.line, column="id", value=first.definition_id,
                             code="input.warn.nobody_at_all" if blocker == "everyone" else "input.warn.nobody",
                             params=params))
    return found


def _limit_detail(problem: Problem, shift: Shift, code: str) -> Phrase | str:
    """The shift's own limit that stopped the last candidates, in brackets ("" when there is none to name)."""
    rule = shift.definition
    # The people still in the running when this test came: excluded by it or by a later one.
    later = set(REASONS[REASONS.index(code):])
    left = [v for v in problem.volunteers if why_not(v, shift) in later]
    ages = [a for a in (v.age_on(shift.week_monday) for v in left) if a is not None]
    if code == "too_old" and ages:
        return Phrase("input.warn.detail.too_old", {"limit": rule.max_age, "n": len(left), "age": min(ages)})
    if code == "too_young" and ages:
        return Phrase("input.warn.detail.too_young", {"limit": rule.min_age, "n": len(left), "age": max(ages)})
    if code == "health" and rule.min_health:
        return Phrase("input.warn.detail.health", {"limit": rule.min_health.value})
    if code == "team":
        return Phrase("input.warn.detail.brackets", {"text": Listing(tuple(sorted(rule.teams)))})
    if code == "not_free":
        return Phrase("input.warn.detail.brackets", {"text": shift.time_label})
    return ""


def _free_some_day(problem: Problem, volunteer) -> bool:
    for day in problem.week.dates:
        if volunteer.is_blocked(day):
            continue
        if volunteer.availability is None or any(day.weekday() in w.days for w in volunteer.availability):
            return True
    return False


def overview(problem: Problem, context: Context) -> WeekOverview:
    """Who is there, what the week asks for, and what the volunteers could give, per day and team."""
    monday = problem.week.monday
    active = problem.active_volunteers
    result = WeekOverview(volunteers_total=len(problem.volunteers), volunteers_active=len(active))
    result.per_team = dict(sorted(Counter(t for v in active for t in v.teams).items()))
    result.age_bands = {label: sum(1 for v in active if lo <= (v.age_on(monday) or -1) <= hi) for lo, hi, label in AGE_BANDS}
    result.health = {level: sum(1 for v in active if v.health.value == level) for level in ("good", "fair", "poor")}
    result.shifts_per_kind = dict(sorted(Counter(s.kind or "(none)" for s in problem.shifts).items()))
    per_day_limit = problem.rules.max_shifts_per_day
    for day in problem.week.dates:
        day_shifts = [s for s in problem.shifts if s.date == day]
        eligible_count = Counter(vid for s in day_shifts for vid in context.eligible.get(s.id, ()))
        result.per_day.append({
            "date": day.isoformat(), "weekday": WEEKDAYS[day.weekday()], "shifts": len(day_shifts),
            "seats": sum(s.need for s in day_shifts), "people": len(eligible_count),
            "offered": sum(min(n, per_day_limit) for n in eligible_count.values()),
        })
    teams = sorted(set(result.per_team) | set().union(*(d.teams for d in problem.definitions)))
    for team in teams:
        members = [v for v in active if team in v.teams]
        result.per_team_supply.append({
            "team": team, "members": len(members),
            "seats": sum(s.need for s in problem.shifts if team in s.definition.teams),
            "offered": sum(context.offered.get(v.id, 0) for v in members),
        })
    open_seats = sum(s.need for s in problem.shifts if not s.definition.teams)
    if open_seats:
        result.per_team_supply.append({"team": "(open to all)", "members": len(active), "seats": open_seats,
                                       "offered": sum(context.offered.get(v.id, 0) for v in active)})
    result.supply = supply(problem, context)
    return result
