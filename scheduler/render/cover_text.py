"""The words of `roster cover`: the replacements found by `scheduler.analysis.cover` in zh or en."""

from __future__ import annotations

from scheduler.analysis.cover import Cover, Replacement
from scheduler.domain.models import PastShift, Shift
from scheduler.domain.roster import Roster
from scheduler.render.labels import examples, goals_text, past_text, person, shift_text, signed_points, taste_facts
from scheduler.render.reasons import funnel_steps, rules_label
from scheduler.render.texts import t, unmet_text
from scheduler.render.violations import violation_text

MAX_SHOWN = 10
"""Candidates listed; the rest are counted."""


def cover_text(cover: Cover, lang: str, shown: int = MAX_SHOWN) -> str:
    """Who can take the shift (the first `shown` of them), or whether the one person asked about can, in `lang`."""
    return "\n".join(cover_lines(cover, lang, shown)) + "\n"


def cover_lines(cover: Cover, lang: str, shown: int = MAX_SHOWN) -> list[str]:
    shift, leaving = cover.shift, cover.without
    if leaving is not None:
        lines = [t(lang, "cover.title", shift=shift_text(shift, lang), id=shift.id, who=person(leaving, lang))]
    else:
        on = sum(1 for _, s in cover.base if s == shift.id)
        lines = [t(lang, "cover.title_empty", shift=shift_text(shift, lang), id=shift.id, on=on, need=shift.need,
                   max=shift.max)]
    if cover.base_violations:
        lines.append(t(lang, "cover.base_violations", who=person(leaving, lang), n=len(cover.base_violations))
                     if leaving else t(lang, "cover.base_violations_empty", n=len(cover.base_violations)))
        lines += [f"  - {violation_text(v, lang)}" for v in cover.base_violations[:5]]
    if cover.named is not None:
        return lines + _named_lines(cover, lang)
    if cover.candidates:
        removed = cover.removed
        if leaving is not None:
            lines.append(t(lang, "cover.removed", who=person(leaving, lang), total=signed_points(sum(removed.values())),
                           points=goals_text(removed, lang, signed=True)))
        lines.append(t(lang, "cover.found", n=len(cover.candidates)))
        for rank, r in enumerate(cover.candidates[:shown], start=1):
            lines.append("  " + t(lang, "cover.line", rank=rank, who=person(r.volunteer, lang),
                                  total=signed_points(r.total), points=goals_text(r.goals, lang, signed=True))
                         + " — " + _facts(r, lang))
        if len(cover.candidates) > shown:
            lines.append("  " + t(lang, "explain.more", n=len(cover.candidates) - shown))
    else:
        lines.append(t(lang, "cover.none"))
        lines.append(t(lang, "explain.s.funnel", funnel=t(lang, "join.causes").join(funnel_steps(cover.funnel, lang))))
    if cover.held:
        lines.append(t(lang, "cover.held", n=sum(len(p) for p in cover.held.values())))
        for rules, people in cover.held.items():
            lines.append("  - " + t(lang, "explain.group", label=rules_label(rules, lang), n=len(people),
                                    examples=examples([person(p, lang) for p in people], lang)))
    if cover.candidates:
        lines.append(t(lang, "cover.apply_hint"))
    return lines


def _named_lines(cover: Cover, lang: str) -> list[str]:
    """`--with`: whether the one person named can take the shift, and what it costs or breaks."""
    assert cover.named is not None, "only asked when a person was named"
    who = person(cover.named, lang)
    if cover.refused:
        return [t(lang, "cover.refused", who=who)] + [f"  - {violation_text(v, lang)}" for v in cover.refused]
    if not cover.candidates:  # held by a rule the catalogue's check finds nothing new for: say which
        rules = next(iter(cover.held), ())
        return [t(lang, "cover.refused", who=who)] + [f"  - [{rules_label([rule], lang)}]" for rule in rules]
    r = cover.candidates[0]
    return [t(lang, "cover.named_fits", who=who),
            "  " + t(lang, "cover.line", rank=1, who=who, total=signed_points(r.total),
                     points=goals_text(r.goals, lang, signed=True)) + " — " + _facts(r, lang),
            t(lang, "cover.apply_hint_named")]


def _facts(r: Replacement, lang: str) -> str:
    parts = []
    if r.leaves:
        parts.append(t(lang, "cover.leaves", unmet=unmet_text(lang, r.leaves)))
    parts.append(t(lang, "cover.facts", load=r.load, offered=r.offered, earlier=r.earlier))
    parts += taste_facts(lang, r.wish, r.rotation, r.partner)
    rest = [t(lang, "cover.rest_before", hours=f"{r.rest_before[0]:g}", shift=_label(r.rest_before[1], lang))
            ] if r.rest_before else []
    rest += [t(lang, "cover.rest_after", hours=f"{r.rest_after[0]:g}", shift=_label(r.rest_after[1], lang))
             ] if r.rest_after else []
    parts.append(t(lang, "join.items").join(rest) if rest else t(lang, "cover.rest_none"))
    return t(lang, "join.causes").join(parts)


def _label(shift: Shift | PastShift, lang: str) -> str:
    return shift_text(shift, lang) if isinstance(shift, Shift) else past_text(shift, lang)


def changes_lines(cover: Cover, rank: int, before: Roster, after: Roster, lang: str) -> list[str]:
    """What `--apply` changed: who left the shift, who joined, and the objective before and after."""
    chosen = cover.candidates[rank - 1].volunteer
    label = shift_text(cover.shift, lang)
    old, new = sum(before.objective.values()), sum(after.objective.values())
    if cover.without is None:
        lines = [t(lang, "cover.applied_empty", who=person(chosen, lang), shift=label)]
    else:
        lines = [t(lang, "cover.applied", who=person(chosen, lang), out=person(cover.without, lang), shift=label),
                 "  " + t(lang, "cover.change_out", who=person(cover.without, lang), shift=label)]
    return lines + ["  " + t(lang, "cover.change_in", who=person(chosen, lang), shift=label),
                    t(lang, "cover.objective", before=old, after=new, change=signed_points(new - old))]
