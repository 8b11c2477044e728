"""The words of `roster explain`: the explanation records of `scheduler.analysis.explain` in zh or en.

`explanation_text(x, lang)` words any of the three records; the `*_lines` functions give the lines.
"""

from __future__ import annotations

from scheduler.analysis.explain import (
    MAX_CANDIDATES,
    MAX_EXAMPLES,
    Charge,
    ObjectiveExplanation,
    ShiftExplanation,
    VolunteerExplanation,
)
from scheduler.analysis.tracing import wish_of
from scheduler.domain.models import Shift, Volunteer
from scheduler.render.labels import examples, goals_text, person, shift_text, signed_points, taste_facts
from scheduler.render.reasons import funnel_steps, reason_texts, rules_label
from scheduler.render.texts import t, unmet_text

Explanation = VolunteerExplanation | ShiftExplanation | ObjectiveExplanation


def explanation_text(x: Explanation, lang: str) -> str:
    """An explanation in `lang` (`zh` or `en`), one fact per line, ending with a newline."""
    if isinstance(x, VolunteerExplanation):
        lines = volunteer_lines(x, lang)
    elif isinstance(x, ShiftExplanation):
        lines = shift_lines(x, lang)
    else:
        lines = objective_lines(x, lang)
    return "\n".join(lines) + "\n"


def charge_facts(charge: Charge, lang: str, candidate: bool = False) -> str:
    """`shift 2 of 3 this week, 1 earlier, offered 3; prefers it; with their partner`."""
    parts = [t(lang, "explain.fact.would_be" if candidate else "explain.fact.count", k=charge.count,
               earlier=charge.earlier, offered=charge.offered)]
    parts += taste_facts(lang, charge.wish, charge.rotation, charge.partner)
    return t(lang, "join.causes").join(parts)


def volunteer_lines(x: VolunteerExplanation, lang: str) -> list[str]:
    v = x.volunteer
    lines = [t(lang, "explain.v.title", who=person(v, lang), week=x.problem.week.label, n=len(x.held),
               limit=x.limit, offered=x.offered)]
    if not v.active:
        return lines + ["  " + t(lang, "explain.v.inactive")]
    for shift, goals in x.held:
        lines.append("  - " + t(lang, "explain.v.held", shift=shift_text(shift, lang), points=goals_text(goals, lang)))
    if not x.held:
        lines += _idle_lines(x, lang)
    lines += _eligibility_lines(x, lang)
    lines += _traded_lines(x, lang)
    lines += _points_lines(x, lang)
    return lines


def _idle_lines(x: VolunteerExplanation, lang: str) -> list[str]:
    """Why someone who got no shift got none, and why no roster with the same coverage could give them one."""
    if x.limit == 0:
        return ["  " + t(lang, "explain.v.idle_limit")]
    if x.offered == 0:
        return ["  " + t(lang, "explain.v.idle_nothing")]
    lines = ["  " + t(lang, "explain.v.idle_streak" if x.streak else "explain.v.idle", n=x.streak,
                      points=goals_text({"participation": x.idle}, lang))]
    if x.placed >= x.placeable:
        key = "explain.v.idle_bound"
    else:
        key = "explain.v.idle_optimal" if x.optimal else "explain.v.idle_unproven"
    return lines + ["  " + t(lang, key, bound=x.placeable, placed=x.placed)]


def _eligibility_lines(x: VolunteerExplanation, lang: str) -> list[str]:
    total = len(x.problem.shifts)
    lines = ["", t(lang, "explain.v.eligible", n=len(x.eligible), total=total)]
    if x.excluded:
        lines.append("  " + t(lang, "explain.v.excluded", n=total - len(x.eligible)))
        for code, shifts in x.excluded.items():
            lines.append("    - " + t(lang, "explain.group", label=t(lang, f"explain.reason.{code}"), n=len(shifts),
                                      examples=examples([shift_text(s, lang) for s in shifts], lang, MAX_EXAMPLES)))
    not_held = sum(len(s) for s in x.held_by_rules.values()) + len(x.taken) + len(x.open_seats)
    if not not_held:
        return lines
    lines.append("  " + t(lang, "explain.v.not_held", n=not_held))
    for rules, shifts in x.held_by_rules.items():
        lines.append("    - " + t(lang, "explain.group", label=rules_label(rules, lang), n=len(shifts),
                                  examples=examples([shift_text(s, lang) for s in shifts], lang, MAX_EXAMPLES)))
        if "max_shifts_per_week" in rules:
            lines.append("      " + t(lang, "explain.v.weekly_limit", n=len(x.held), limit=x.limit))
    if x.taken:
        lines.append("    - " + t(lang, "explain.v.taken", n=len(x.taken)))
        for shift, holders, swap in x.taken[:MAX_EXAMPLES]:
            lines.append("      " + _taken_line(shift, holders, swap, lang))
        if len(x.taken) > MAX_EXAMPLES:
            lines.append("      " + t(lang, "explain.more", n=len(x.taken) - MAX_EXAMPLES))
    if x.open_seats:
        lines.append("    - " + t(lang, "explain.v.open", n=len(x.open_seats),
                                  examples=examples([shift_text(s, lang) for s in x.open_seats], lang)))
    return lines


def _taken_line(shift: Shift, holders: list[Volunteer], swap, lang: str) -> str:
    who = t(lang, "join.items").join(person(h, lang) for h in holders)
    text = t(lang, "explain.v.taken_by", shift=shift_text(shift, lang), who=who)
    if swap is None:
        return text
    other, change, lost = swap
    if lost:
        return text + t(lang, "explain.v.swap_lost", other=person(other, lang), unmet=unmet_text(lang, lost))
    if not change:
        return text + t(lang, "explain.v.swap_tie", other=person(other, lang))
    return text + t(lang, "explain.v.swap", other=person(other, lang), total=signed_points(sum(change.values())),
                    points=goals_text(change, lang, signed=True))


def _traded_lines(x: VolunteerExplanation, lang: str) -> list[str]:
    v = x.volunteer
    lines = ["", t(lang, "explain.v.traded")]
    if x.history_weeks:
        lines.append("  - " + t(lang, "explain.v.fairness_history", n=x.earlier, weeks=len(x.history_weeks),
                                labels=t(lang, "join.items").join(x.history_weeks)))
    else:
        lines.append("  - " + t(lang, "explain.v.fairness_no_history"))
    if x.history_weeks:
        fewer = [person(p, lang) for p in x.peers_fewer]
        lines.append("    " + t(lang, "explain.v.peers", n=x.peers, fewer=len(fewer), more=x.peers_more)
                     + (t(lang, "explain.v.peers_examples", examples=examples(fewer, lang)) if fewer else ""))
    lines.append("    " + t(lang, "explain.v.offer", n=x.offered, limit=x.limit))
    if v.prefers or v.avoids:
        wishes = [wish_of(v, shift) for shift, _ in x.held]
        lines.append("  - " + t(lang, "explain.v.preferences", prefers=", ".join(sorted(v.prefers)) or "—",
                                avoids=", ".join(sorted(v.avoids)) or "—",
                                honoured=sum(w in ("prefers", "") for w in wishes), n=len(wishes)))
    rotated = [(shift, goals["rotation"]) for shift, goals in x.held if goals.get("rotation")]
    if rotated:
        lines.append("  - " + t(lang, "explain.v.rotation",
                                shifts=examples([shift_text(s, lang) for s, _ in rotated], lang)))
    if x.partner is not None:
        lines.append("  - " + t(lang, "explain.v.partner", who=person(x.partner, lang), together=len(x.together),
                                apart=len(x.apart)))
    return lines


def _points_lines(x: VolunteerExplanation, lang: str) -> list[str]:
    stored = {g: p for g, p in (x.stored or {}).items() if p}
    shown = stored if x.stored is not None else x.recomputed
    lines = ["", t(lang, "explain.v.points", points=goals_text(shown, lang), total=sum(shown.values()),
                   roster=x.roster_total)]
    recomputed = x.recomputed
    if x.stored is not None and {g: p for g, p in stored.items() if g != "stability"} != recomputed:
        lines.append("  " + t(lang, "explain.v.points_differ", points=goals_text(recomputed, lang)))
    return lines


def shift_lines(x: ShiftExplanation, lang: str) -> list[str]:
    s = x.shift
    lines = [t(lang, "explain.s.title", shift=shift_text(s, lang), id=s.id, need=s.need, max=s.max, n=len(x.chosen))]
    if x.missing or x.unmet:
        what = [t(lang, "summary.missing", n=x.missing)] if x.missing else []
        what += [unmet_text(lang, x.unmet)] if x.unmet else []
        lines.append("  " + t(lang, "explain.s.short", what=t(lang, "join.items").join(what)))
        reasons = reason_texts(x.unfilled, lang) if x.unfilled is not None else []
        lines += ["    " + t(lang, "summary.reason", reason=r) for r in reasons]
    lines.append(t(lang, "explain.s.funnel", funnel=t(lang, "join.causes").join(funnel_steps(x.funnel, lang))))
    if x.excluded:
        lines.append(t(lang, "explain.s.excluded", n=sum(len(p) for p in x.excluded.values())))
        for code, people in x.excluded.items():
            label = t(lang, f"explain.reason_person.{code}")
            lines.append("  - " + t(lang, "explain.group", label=label, n=len(people),
                                    examples=examples([person(p, lang) for p in people], lang)))
    lines += ["", t(lang, "explain.s.chosen" if x.chosen else "explain.s.nobody")]
    for c in x.chosen:
        lines.append("  - " + t(lang, "explain.s.charge", who=person(c.volunteer, lang), total=c.total,
                                points=goals_text(c.goals, lang), facts=charge_facts(c, lang)))
    if x.candidates:
        full = len(x.chosen) >= s.max
        lines += ["", t(lang, "explain.s.candidates_full" if full else "explain.s.candidates", n=len(x.candidates),
                        max=s.max)]
        for c in x.candidates[:MAX_CANDIDATES]:
            line = t(lang, "explain.s.charge", who=person(c.volunteer, lang), total=signed_points(c.total),
                     points=goals_text(c.goals, lang, signed=True), facts=charge_facts(c, lang, candidate=True))
            if c.swap is not None:
                other, change, lost = c.swap
                if lost:
                    line += t(lang, "explain.s.swap_lost", other=person(other, lang), unmet=unmet_text(lang, lost))
                elif not change:
                    line += t(lang, "explain.s.swap_tie", other=person(other, lang))
                else:
                    line += t(lang, "explain.s.swap", other=person(other, lang),
                              total=signed_points(sum(change.values())))
            lines.append("  - " + line)
        if len(x.candidates) > MAX_CANDIDATES:
            lines.append("  " + t(lang, "explain.more", n=len(x.candidates) - MAX_CANDIDATES))
    if x.held:
        lines += ["", t(lang, "explain.s.held", n=sum(len(p) for p in x.held.values()))]
        for rules, people in x.held.items():
            lines.append("  - " + t(lang, "explain.group", label=rules_label(rules, lang), n=len(people),
                                    examples=examples([person(p, lang) for p in people], lang)))
    return lines


def objective_lines(x: ObjectiveExplanation, lang: str) -> list[str]:
    r = x.roster
    total = sum(r.objective.values())
    lines = [t(lang, "explain.o.title", week=r.week, total=total,
               solver=r.solver.objective if r.solver and r.solver.objective is not None else "—"),
             "  " + goals_text(r.objective, lang) if total else "  0"]
    for goal, people in x.top.items():
        share = t(lang, "join.items").join(t(lang, "explain.o.person", name=name, id=vid, points=p)
                                           for vid, name, p in people[:MAX_CANDIDATES])
        more = len(people) - MAX_CANDIDATES
        lines.append(t(lang, "explain.o.goal", goal=t(lang, f"goal.{goal}"), points=r.objective.get(goal, 0),
                       n=len(people), people=share + (f" +{more}" if more > 0 else "")))
    if r.unfilled:
        lines.append(t(lang, "explain.o.coverage", n=r.seats_missing, shifts=len(r.unfilled)))
    lines.append(t(lang, "explain.o.hint"))
    return lines
