"""The plain-text summary a coordinator reads after a solve: coverage, what is short and why, load, solver.

`render_summary` returns the text; printing it (and saying where the files went) is the CLI's job.
"""

from __future__ import annotations

from collections import Counter

from scheduler.domain.models import Problem
from scheduler.domain.roster import Roster, SolverReport, Unfilled
from scheduler.render.reasons import reason_texts
from scheduler.render.texts import day_label, day_label_text, has, solver_status, status_word, t, unmet_text

INDENT = "  "


def render_summary(roster: Roster, problem: Problem, lang: str) -> str:
    """The whole summary in `lang` (`zh` or `en`), one fact per line, ending with a newline."""
    lines = [
        _week_line(problem, lang),
        _status_line(roster, lang),
        _coverage_line(roster, problem, lang),
        *_unfilled_lines(roster, problem, lang),
        *_load_lines(roster, problem, lang),
        _participation_line(roster, problem, lang),
        _solver_line(roster.solver, lang),
    ]
    return "\n".join(lines) + "\n"


def _week_line(problem: Problem, lang: str) -> str:
    """`计划周：2026-W49（2026-11-30 周一 至 2026-12-06 周日）`."""
    week = problem.week
    return t(lang, "summary.week", week=week.label, start=day_label(lang, week.monday), end=day_label(lang, week.sunday))


def _status_line(roster: Roster, lang: str) -> str:
    """Complete or partial, with the number of empty seats when partial."""
    status = status_word(lang, roster.status)
    if roster.seats_missing:
        return t(lang, "summary.status_missing", status=status, n=roster.seats_missing)
    return t(lang, "summary.status", status=status)


def _coverage_line(roster: Roster, problem: Problem, lang: str) -> str:
    """Seats filled out of seats needed; seats beyond `need` (up to `max`) do not count twice."""
    needed = sum(shift.need for shift in problem.shifts)
    filled = max(0, needed - roster.seats_missing)
    percent = f"{100 * filled / needed:.1f}%" if needed else "100%"
    return t(lang, "summary.coverage", filled=filled, needed=needed, percent=percent)


def _unfilled_lines(roster: Roster, problem: Problem, lang: str) -> list[str]:
    """A heading, then one line per short shift in time order, its reasons indented below."""
    if not roster.unfilled:
        return [t(lang, "summary.unfilled_none")]
    lines = [t(lang, "summary.unfilled", n=len(roster.unfilled))]
    for item in sorted(roster.unfilled, key=lambda u: (_when(u, problem), u.shift)):
        lines.append(INDENT + _unfilled_line(item, problem, lang))
        lines.extend(INDENT * 3 + t(lang, "summary.reason", reason=reason) for reason in reason_texts(item, lang))
    return lines


def _when(item: Unfilled, problem: Problem) -> str:
    """An ISO date-and-time string to order unfilled shifts by."""
    shift = problem.shift.get(item.shift)
    return shift.start.isoformat() if shift else f"{item.date}T{item.start}"


def _unfilled_line(item: Unfilled, problem: Problem, lang: str) -> str:
    """`东门文明劝导  2026-12-06 周日  07:00-09:00  缺1人（缺女性1人）`."""
    shift = problem.shift.get(item.shift)
    name = item.name or (shift.name if shift else item.shift)
    day = day_label(lang, shift.date) if shift else day_label_text(lang, item.date)
    time = shift.time_label if shift else f"{item.start}-{item.end}"
    what = t(lang, "summary.missing", n=item.missing) if item.missing else ""
    if item.unmet:
        what += t(lang, "summary.unmet", unmet=unmet_text(lang, item.unmet))
    return t(lang, "summary.unfilled_line", name=name, day=day, time=time, what=what.strip())


def _load_lines(roster: Roster, problem: Problem, lang: str) -> list[str]:
    """How many active volunteers got 0, 1, 2… shifts, and the spread of shifts given per shift offered."""
    active = problem.active_volunteers
    if not active:
        return [t(lang, "summary.load_none")]
    given = Counter(a.volunteer for a in roster.assignments)
    people = Counter(given[v.id] for v in active)
    counts = [t(lang, "summary.load_count", n=n, people=people[n]) for n in range(max(people) + 1)]
    lines = [t(lang, "summary.load", n=len(active), counts=t(lang, "join.items").join(counts))]
    return lines + [INDENT + _offered_line(roster, lang)]


def _participation_line(roster: Roster, problem: Problem, lang: str) -> str:
    """Active people with a weekly limit above 0 who got no shift, and how many of them had no shift they could take."""
    loads = {load.volunteer: load for load in roster.volunteers}
    out = [loads[v.id] for v in problem.active_volunteers
           if v.id in loads and problem.rules.weekly_cap(v) > 0 and not loads[v.id].shifts]
    return t(lang, "summary.participation", n=len(out), none=sum(1 for load in out if load.offered == 0))


def _offered_line(roster: Roster, lang: str) -> str:
    """Lowest and highest share of offered shifts actually given, over people offered at least one."""
    shares = [v.shifts / v.offered for v in roster.volunteers if v.offered > 0]
    if not shares:
        return t(lang, "summary.offered_nobody")
    return t(lang, "summary.offered", low=f"{min(shares):.0%}", high=f"{max(shares):.0%}", n=len(shares))


def _solver_line(solver: SolverReport | None, lang: str) -> str:
    """How the search ended, in a coordinator's words: proven the best, or a good roster that might be bettered
    (by how much at most), and how long it took. English adds the figures a technical reader asks about
    (objective, bound, seed, workers); all of them are in roster.json's `solver`.

    `gap` is read as a fraction (0.05 means 5%), as CP-SAT's relative gap is.
    """
    if solver is None:
        return t(lang, "summary.solver_none")
    # A part the search never bettered keeps the warm start: "FEASIBLE (greedy fill)" in roster.json.
    key = "summary.solved.greedy" if solver.status.endswith("(greedy fill)") else f"summary.solved.{solver.status}"
    line = t(
        lang, key if has(lang, key) else "summary.solved.other", status=solver_status(lang, solver.status),
        objective=_figure(solver.objective), bound=_figure(solver.best_bound),
        gap="—" if solver.gap is None else f"{100 * solver.gap:.1f}%", seconds=f"{solver.wall_seconds:.1f}",
        seed=solver.seed, workers=solver.workers,
    )
    return line + (t(lang, "summary.interrupted") if solver.interrupted else "")


def _figure(value: int | None) -> str:
    """A solver figure, or `—` when the solver did not report one."""
    return "—" if value is None else str(value)
