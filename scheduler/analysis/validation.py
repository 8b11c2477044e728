"""Warnings about legal but suspicious inputs, and the supply-and-demand overview of a week."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from constraints import Context
from constraints.eligibility import REASONS, funnel, why_not
from scheduler.analysis.supply import Supply, supply
from scheduler.domain.errors import Finding
from scheduler.domain.models import WEEKDAYS, Problem, Shift
from scheduler.render.texts import t

AGE_BANDS = ((0, 39, "under 40"), (40, 59, "40-59"), (60, 69, "60-69"), (70, 79, "70-79"), (80, 200, "80 and over"))

# How each exclusion reason reads in "nobody could staff it: no one in its team is … " sentences.
FUNNEL_WORDS = {
    "everyone": "everyone", "inactive": "active", "team": "in its team", "too_young": "old enough", "too_old": "young enough",
    "age_unknown": "of known age", "health": "healthy enough", "blocked": "not blocked that day",
    "not_free": "free then",
}


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
        found.append(Finding(file=register, column="teams", value=team,
                             message=f"team '{team}' appears in the register but no shift uses it",
                             fix="check the spelling against the teams in the shifts file"))
    found += _unstaffable(problem, context, shifts_file)
    found += partner_warnings(problem, register)
    for volunteer in problem.active_volunteers:
        if not _free_some_day(problem, volunteer):
            found.append(Finding(
                file=register, row=volunteer.row, column="availability", value=volunteer.id, value_is_id=True,
                message=f"{volunteer.name} ({volunteer.id}) cannot serve at any time in week {problem.week.label} "
                        f"({problem.week.monday.isoformat()} - {problem.week.sunday.isoformat()})",
                fix="nothing to do if that is right; otherwise check 可服务时间 (availability) and 不可服务日期 (unavailable)"))
    return found


def partner_warnings(problem: Problem, register: str) -> list[Finding]:
    """Partners that cannot work as written: an inactive partner, one partner named by several
    people, and circles of three or more (A names B, B names C, C names A). Each is legal, and each
    means someone the coordinator thinks is paired will often serve without their partner."""
    people, lang = problem.volunteer, problem.rules.language
    found = []

    def warn(volunteer, key: str, **blanks: object) -> None:
        found.append(Finding(file=register, row=volunteer.row, column="partner", value=volunteer.partner,
                             value_is_id=True, message=t(lang, f"partner.{key}", **blanks),
                             fix=t(lang, f"partner.{key}_fix")))

    naming: dict[str, list] = {}
    for volunteer in problem.volunteers:
        partner = people.get(volunteer.partner) if volunteer.partner else None
        if partner is None or partner.id == volunteer.id or not volunteer.active:
            continue
        naming.setdefault(partner.id, []).append(volunteer)
        if not partner.active:
            warn(volunteer, "inactive", name=volunteer.name, id=volunteer.id, partner=partner.name,
                 partner_id=partner.id)
    for partner_id, those in naming.items():
        if len(those) > 1:
            who = t(lang, "join.names").join(f"{v.name} ({v.id})" for v in those)
            warn(those[1], "shared", who=who, partner=people[partner_id].name, partner_id=partner_id)
    for circle in _partner_circles(people):
        if len(circle) >= 3:
            chain = " → ".join(f"{people[vid].name} ({vid})" for vid in circle + [circle[0]])
            warn(people[circle[0]], "circle", chain=chain)
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
        counts = "; ".join(f"{FUNNEL_WORDS[code]}: {count}"
                           for code, count in funnel(list(problem.volunteers), first) if count or code == "everyone")
        days = ", ".join(f"{WEEKDAYS[s.date.weekday()]} {s.date.isoformat()}" for s in shifts)
        found.append(Finding(
            file=shifts_file, row=first.definition.line, column="id", value=first.definition_id,
            message=f"nobody could ever staff {first.name} ({first.time_label}) on {days}: " + (
                "the register has no volunteers" if blocker == "everyone" else
                f"no one is {FUNNEL_WORDS[blocker]}{_limit_detail(problem, first, blocker)} ({counts})"),
            fix="add the volunteers to the register" if blocker == "everyone" else
                "relax the shift's limits or widen its teams, or recruit for that time"))
    return found


def _limit_detail(problem: Problem, shift: Shift, code: str) -> str:
    """The shift's own limit that stopped the last candidates, in brackets."""
    rule = shift.definition
    # The people still in the running when this test came: excluded by it or by a later one.
    later = set(REASONS[REASONS.index(code):])
    left = [v for v in problem.volunteers if why_not(v, shift) in later]
    ages = [a for a in (v.age_on(shift.week_monday) for v in left) if a is not None]
    if code == "too_old" and ages:
        return f" (max_age {rule.max_age}; the youngest of the {len(left)} left is {min(ages)})"
    if code == "too_young" and ages:
        return f" (min_age {rule.min_age}; the oldest of the {len(left)} left is {max(ages)})"
    if code == "health" and rule.min_health:
        return f" (min_health {rule.min_health.value})"
    if code == "team":
        return f" ({', '.join(sorted(rule.teams))})"
    if code == "not_free":
        return f" ({shift.time_label})"
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
