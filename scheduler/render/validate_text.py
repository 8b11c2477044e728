"""What `roster validate` prints, in the rules' language: the week, who is there, what the week asks
for and what the volunteers could give, then the warnings (the figures are `scheduler.analysis`'s)."""

from __future__ import annotations

import datetime as dt

from scheduler.analysis.validation import WeekOverview
from scheduler.domain.errors import Finding
from scheduler.domain.models import Problem
from scheduler.render.findings import finding_lines
from scheduler.render.supply_text import pad, supply_tables
from scheduler.render.texts import t, weekday

# The overview's age bands and labels are data (`WeekOverview` keys); their words are here.
AGE_BANDS = {"under 40": "validate.age.under_40", "80 and over": "validate.age.over_80"}
LABELS = {"(none)": "validate.kind_none"}
DAY_COLUMNS = (("shifts", 7), ("seats", 7), ("people", 8), ("offered", 9))


def _items(lang: str, counts: dict[str, int], words: dict[str, str] | None = None) -> str:
    words = words or {}
    return t(lang, "join.items").join(t(lang, "validate.item", what=t(lang, words[what]) if what in words else what, n=n)
                                      for what, n in counts.items())


def overview_text(view: WeekOverview, lang: str) -> str:
    """The validate summary: volunteers, shifts, and seats against what volunteers offer, per day."""
    health = {f"{level}": f"validate.health.{level}" for level in view.health}
    lines = [
        "",
        t(lang, "validate.volunteers", active=view.volunteers_active, total=view.volunteers_total),
        t(lang, "validate.per_team", items=_items(lang, view.per_team)),
        t(lang, "validate.ages", items=_items(lang, view.age_bands, AGE_BANDS)),
        t(lang, "validate.health", items=_items(lang, view.health, health)),
        "",
        t(lang, "validate.shifts", n=sum(d["shifts"] for d in view.per_day)),
        t(lang, "validate.per_kind", items=_items(lang, view.shifts_per_kind, LABELS)),
        "",
        t(lang, "validate.per_day"),
        "  " + pad(t(lang, "validate.col.date"), 16) + "".join(
            pad(t(lang, f"validate.col.{column}"), width, right=True) for column, width in DAY_COLUMNS),
    ]
    for day in view.per_day:
        flag = t(lang, "validate.short") if day["offered"] < day["seats"] else ""
        name = weekday(lang, dt.date.fromisoformat(day["date"]))
        lines.append(f"  {day['date']} " + pad(name, 5) + "".join(pad(day[column], width, right=True)
                                                                for column, width in DAY_COLUMNS) + flag)
    return "\n".join(lines)


def warnings_text(warnings: list[Finding], lang: str) -> str:
    if not warnings:
        return "\n" + t(lang, "validate.no_warnings")
    return "\n".join(["", t(lang, "validate.warnings", n=len(warnings)), *finding_lines(warnings, lang)])


def validate_text(problem: Problem, overview: WeekOverview, warnings: list[Finding], lang: str) -> str:
    """The whole report of `roster validate`."""
    week = problem.week
    assert overview.supply is not None  # validate always counts the supply
    return "\n".join([
        t(lang, "validate.valid", week=week.label, first=week.monday.isoformat(), last=week.sunday.isoformat()),
        overview_text(overview, lang),
        supply_tables(overview.supply, problem, lang),
        warnings_text(warnings, lang),
    ])
