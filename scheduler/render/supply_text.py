"""Supply against demand in words: the headline and certain shortfalls `roster solve` prints before the
search, and the tables of `roster validate` (the figures are `scheduler.analysis.supply`'s)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from scheduler.analysis.supply import Shortfall, Supply, SupplyRow
from scheduler.domain.models import Problem
from scheduler.render.texts import day_label, t, tag_label, weekday


def row_label(row: SupplyRow, problem: Problem, lang: str) -> str:
    """`Sun 2026-12-06 evening`, `team civility`, `women (min_female)`, `Evening patrol Sun 2026-12-06 18:00-20:00`."""
    if row.kind == "week":
        return t(lang, "supply.label.week", week=problem.week.label)
    if row.kind == "day":
        return day_label(lang, row.key[0])
    if row.kind == "time":
        period = t(lang, f"supply.period.{row.key[1]}")
        return t(lang, "supply.label.time", day=day_label(lang, row.key[0]), period=period)
    if row.kind == "team":
        return t(lang, "supply.label.team", team=row.key[0])
    if row.kind == "tag":
        return requirement_label(row.key[0], lang)
    shift = problem.shift[row.key[0]]
    label = t(lang, "supply.label.shift", name=shift.name, day=day_label(lang, shift.date), time=shift.time_label)
    return label if row.requirement == "seats" else f"{label}, {requirement_label(row.requirement, lang)}"


def requirement_label(item: str, lang: str) -> str:
    if item in ("female", "male"):
        return t(lang, f"supply.requirement.{item}")
    return t(lang, "supply.requirement.tag", tag=tag_label(lang, item))


def shortfall_line(found: Shortfall, problem: Problem, lang: str) -> str:
    """`Sun 2026-12-06 evening: 6 seats, at most 4 person-shifts offered (…): at least 2 will stay empty`."""
    row = found.row
    seats = row.requirement == "seats"
    key = "supply.cannot.seats" if seats else "supply.cannot.requirement"
    return t(lang, key, label=row_label(row, problem, lang), seats=_n(lang, "seats" if seats else "needed", row.seats),
             offered=_n(lang, "offered", row.offered), people=_n(lang, "people", row.people), n=found.at_least)


def _n(lang: str, what: str, n: int) -> str:
    """`1 seat`, `3 seats`, `3 人次`: a count with its noun."""
    return t(lang, f"supply.n.{what}", n=n)


def headline(result: Supply, lang: str) -> str:
    """One line: seats of the week, people who could take some shift, the most they could give."""
    week = result.week
    return t(lang, "supply.headline", seats=_n(lang, "seats", week.seats), shifts=_n(lang, "shifts", week.shifts),
             people=_n(lang, "people", week.people), offered=_n(lang, "offered", week.offered))


def cannot_meet_lines(result: Supply, problem: Problem, lang: str, indent: str = "  ") -> list[str]:
    """The certain shortfalls, one per line, then the least number of seats left empty in all."""
    if not result.cannot_meet:
        return [t(lang, "supply.all_possible" if result.complete else "supply.cut_short")]
    lines = [t(lang, "supply.cannot.title")]
    lines += [indent + "- " + shortfall_line(found, problem, lang) for found in result.cannot_meet]
    if result.seats_short:
        lines.append(indent + t(lang, "supply.cannot.total", n=result.seats_short, seats=result.week.seats))
    return lines


def before_solving_text(result: Supply, problem: Problem, lang: str) -> str:
    """What `roster solve` prints on stderr before the search: the headline and the certain shortfalls."""
    return "\n".join([headline(result, lang), *cannot_meet_lines(result, problem, lang)])


WIDTHS = (34, 7, 7, 8, 9)


def pad(text: object, width: int, right: bool = False) -> str:
    """`text` filled with spaces to `width` columns as a terminal shows them (a Chinese character is two)."""
    shown = str(text)
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in shown)
    fill = " " * max(0, width - len(shown) - wide)
    return fill + shown if right else shown + fill


def _table(title: str, header: list[str], rows: Iterable[list[object]]) -> list[str]:
    """A title, a header and rows: the first column left-aligned, the figures right-aligned."""
    def line(cells: Sequence[object]) -> str:
        return "  " + "".join(pad(c, w, right=i > 0) for i, (c, w) in enumerate(zip(cells, WIDTHS)))
    return ["", title, line(header), *(line(row) for row in rows)]


def _cells(label: str, row: SupplyRow, lang: str) -> list[object]:
    flag = t(lang, "supply.flag_short") if row.short else ""
    return [label, row.shifts, row.seats, row.people, f"{row.offered}{flag}"]


def supply_tables(result: Supply, problem: Problem, lang: str) -> str:
    """The tables `roster validate` prints: per time of day, per team's shifts, per requirement, what cannot be met."""
    head = [t(lang, f"supply.col.{c}") for c in ("group", "shifts", "seats", "people", "offered")]
    lines = _table(t(lang, "supply.title.time"), head, (
        _cells(f"{weekday(lang, r.key[0])} {r.key[0].isoformat()} {t(lang, f'supply.period.{r.key[1]}')}", r, lang)
        for r in result.per_time))
    if result.per_team:
        lines += _table(t(lang, "supply.title.team"), head, (_cells(r.key[0], r, lang) for r in result.per_team))
    if result.per_tag:
        needed = head[:2] + [t(lang, "supply.col.needed")] + head[3:]
        lines += _table(t(lang, "supply.title.tag"), needed,
                        (_cells(requirement_label(r.key[0], lang), r, lang) for r in result.per_tag))
    lines += ["", t(lang, "supply.note"), "", *cannot_meet_lines(result, problem, lang)]
    return "\n".join(lines)
