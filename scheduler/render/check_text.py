"""The words of `roster check`: what was read, what it was checked with, each violation where it is,
and where a workbook's two sheets disagree, in zh or en."""

from __future__ import annotations

from scheduler.analysis.checking import Difference, LocatedViolation, RosterCheck
from scheduler.render.texts import t
from scheduler.render.violations import violation_text

MAX_DIFFERENCES_SHOWN = 20


def check_text(result: RosterCheck, shown_as: str, lang: str) -> str:
    """The report of a check, `shown_as` naming the file as the coordinator gave it."""
    read = t(lang, "check.read_sheet", file=shown_as, sheet=result.read) if result.read != result.file.name else shown_as
    lines = []
    if result.differences:
        lines.append(t(lang, "check.grid_differs", grid=result.read, sheet=result.compared, n=len(result.differences)))
        lines += [f"  - {difference_text(d, result, lang)}" for d in result.differences[:MAX_DIFFERENCES_SHOWN]]
        if len(result.differences) > MAX_DIFFERENCES_SHOWN:
            lines.append("  " + t(lang, "check.more", n=len(result.differences) - MAX_DIFFERENCES_SHOWN))
    also = [t(lang, "check.locks_from", path=result.locks)] if result.locks else []
    also += [t(lang, "check.history_of", weeks=t(lang, "join.items").join(result.history))] if result.history else []
    checked_with = t(lang, "check.with", what=t(lang, "check.join").join(also)) if also else ""
    if result.ok:
        lines.append(t(lang, "check.ok", file=read, n=len(result.pairs), also=checked_with))
        return "\n".join(lines)
    lines.append(t(lang, "check.violations", file=read, n=len(result.violations), also=checked_with))
    lines += [f"  - {located_text(v, lang)}" for v in result.violations]
    return "\n".join(lines)


def located_text(located: LocatedViolation, lang: str) -> str:
    """`row 4: [不符合条件] 张华（004）在 …`: the violation after its place in the file, when it has one."""
    text = violation_text(located.violation, lang)
    return t(lang, "check.where", where=located.where, text=text) if located.where else text


def difference_text(difference: Difference, result: RosterCheck, lang: str) -> str:
    """One assignment only the duty grid, or only the assignments sheet, has."""
    d = difference
    who = t(lang, "violation.who", name=d.name, id=d.volunteer) if d.name else d.volunteer
    key = "check.only_in_grid" if d.in_grid else "check.only_on_sheet"
    return t(lang, key, where=d.where, who=who, shift=d.shift, grid=result.read, sheet=result.compared)
