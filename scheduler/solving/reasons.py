"""Why a seat stays empty, in words a coordinator can repeat to the committee.

Two kinds of answer, both read off the roster and the catalogue's own checks:
- too few people can ever take the shift: the funnel from everyone to the eligible few;
- enough could, but every one of them is held by a hard rule given the rest of the roster
  (their weekly limit, the day's limit, rest, …): which rule, how many people, who.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import constraints
from constraints import Context, RosterView
from constraints.eligibility import funnel
from scheduler.domain.models import Problem, Shift, Volunteer, VolunteerId, counts_for
from scheduler.render.texts import t, tag_label, weekday

MAX_NAMES = 4
MAX_HELD_SHIFTS = 3


def _who(people: list[Volunteer], lang: str) -> str:
    names = [f"{v.name} {v.id}" for v in people[:MAX_NAMES]]
    more = len(people) - MAX_NAMES
    return t(lang, "join.items").join(names) + (f" +{more}" if more > 0 else "")


def _subject(key: str) -> str | None:
    """How the reasons name who counts for a missing item (nothing for plain seats)."""
    return {"seats": None, "female": "reason.subject.female", "male": "reason.subject.male"}.get(
        key, "reason.subject.tag")


def binding_rule(problem: Problem, volunteer: Volunteer, shift: Shift, own: list[tuple[str, str]],
                 context: Context) -> str | None:
    """The first hard rule that would break if `volunteer` also took `shift`, given their own shifts."""
    found = binding_rules(problem, volunteer, shift, own, context)
    return found[0] if found else None


def binding_rules(problem: Problem, volunteer: Volunteer, shift: Shift, own: list[tuple[str, str]],
                  context: Context) -> tuple[str, ...]:
    """Every hard rule that would break if `volunteer` also took `shift`: all must be relaxed to free the person."""
    view = RosterView(problem, own + [(volunteer.id, shift.id)], context)
    return tuple(rule.NAME for rule in constraints.hard_rules("volunteer") if rule.check(view))


def _holding(problem: Problem, people: list[Volunteer], own: dict, lang: str) -> str:
    """A few of the shifts the people at their weekly limit hold, the most shared first: where their week went."""
    held = Counter(sid for v in people for _, sid in own.get(v.id, ()) if sid in problem.shift)
    top = sorted(held.items(), key=lambda item: (-item[1], problem.shift[item[0]].start, item[0]))[:MAX_HELD_SHIFTS]
    items = [t(lang, "reason.holding_item", shift=shift_label(problem.shift[sid], lang), n=n) for sid, n in top]
    return t(lang, "reason.holding", shifts=t(lang, "join.items").join(items)) if items else ""


def shift_label(shift: Shift, lang: str) -> str:
    """`路口文明劝导 周一 07:00-09:00` / `Crossing Mon 07:00-09:00`."""
    return t(lang, "reason.shift", name=shift.name, day=weekday(lang, shift.date), time=shift.time_label)


def pairs_by_volunteer(pairs: list[tuple[str, str]]) -> dict[VolunteerId, list[tuple[str, str]]]:
    """Each volunteer's own pairs: build it once when explaining many shifts of one roster."""
    own: dict[VolunteerId, list[tuple[str, str]]] = defaultdict(list)
    for vid, sid in pairs:
        own[vid].append((vid, sid))
    return own


def reasons_for(problem: Problem, shift: Shift, unmet: dict[str, int], pairs: list[tuple[str, str]],
                context: Context, lang: str, own: dict[VolunteerId, list[tuple[str, str]]] | None = None) -> list[str]:
    """One sentence per missing item (seats, women, a tag …) saying why it is missing."""
    own = pairs_by_volunteer(pairs) if own is None else own
    on_shift = {vid for vid in context.eligible.get(shift.id, ()) if (vid, shift.id) in own.get(vid, ())}
    eligible = [problem.volunteer[vid] for vid in context.eligible.get(shift.id, ())]
    sentences = []
    for key, missing in unmet.items():
        subject, counts = _subject(key), counts_for(key)
        wanted = shift.need if key == "seats" else missing + sum(1 for v in eligible if v.id in on_shift and counts(v))
        candidates = [v for v in eligible if counts(v)]
        if len(candidates) < wanted:
            steps = funnel([v for v in problem.volunteers if counts(v)], shift)
            text = t(lang, "reason.too_few", funnel="; ".join(
                t(lang, "reason.funnel_step", label=t(lang, f"funnel.{code}"), n=n) for code, n in steps))
        else:
            text = _competition(problem, shift, [v for v in candidates if v.id not in on_shift], own, context, lang,
                                len(on_shift))
        sentences.append(t(lang, "reason.for_subject", subject=t(lang, subject, tag=tag_label(lang, key)), text=text)
                         if subject else text)
    return sentences


def _competition(problem: Problem, shift: Shift, free: list[Volunteer], own: dict, context: Context,
                 lang: str, present: int = 0) -> str:
    """Who could take the shift but is held, grouped by every rule that holds them; then anyone not held at all."""
    held: dict[tuple[str, ...], list[Volunteer]] = defaultdict(list)
    loose: list[Volunteer] = []
    for volunteer in free:
        rules = binding_rules(problem, volunteer, shift, own.get(volunteer.id, []), context)
        (held[rules] if rules else loose).append(volunteer)
    causes = []
    for rules, people in held.items():
        label = t(lang, "join.rules").join(t(lang, f"rule.{rule}") for rule in rules)
        cause = t(lang, "reason.cause", rule=label, n=len(people), people=_who(people, lang))
        if rules == ("max_shifts_per_week",):
            holding = _holding(problem, people, own, lang)
            cause = f"{cause}{t(lang, 'reason.holding_sep')}{holding}" if holding else cause
        causes.append(cause)
    n_held = sum(len(people) for people in held.values())
    key = "reason.competition_some" if loose else "reason.competition"
    text = t(lang, key, n=n_held, total=len(free), causes=t(lang, "join.causes").join(causes)) if causes else ""
    if loose:
        extra = _loose(shift, loose, context, lang, present)
        text = f"{text}; {extra}" if text else extra
    return text


def _loose(shift: Shift, loose: list[Volunteer], context: Context, lang: str, present: int) -> str:
    """Why people free of every hard rule are not on the shift: a frozen day, a full shift, or a search stopped early."""
    if context.frozen_before is not None and shift.date < context.frozen_before:
        return t(lang, "reason.frozen", n=len(loose), people=_who(loose, lang))
    if present >= shift.max:
        return t(lang, "reason.full", n=len(loose), people=_who(loose, lang), max=shift.max)
    return t(lang, "reason.free_but_left", n=len(loose), people=_who(loose, lang))
