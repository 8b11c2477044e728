"""Why a seat stays empty, in words a coordinator can repeat to the committee.

Two kinds of answer, both read off the roster and the catalogue's own checks:
- too few people can ever take the shift: the funnel from everyone to the eligible few;
- enough could, but every one of them is held by a hard rule given the rest of the roster
  (their weekly limit, the day's limit, rest, …): which rule, how many people, who.
"""

from __future__ import annotations

from collections import defaultdict

from constraints import Context, RosterView
from constraints.eligibility import funnel
from scheduler.greedy import PERSONAL_RULES
from scheduler.models import Problem, Shift, Volunteer, VolunteerId
from scheduler.texts import t, tag_label

MAX_NAMES = 4


def _who(people: list[Volunteer], lang: str) -> str:
    names = [f"{v.name} {v.id}" for v in people[:MAX_NAMES]]
    more = len(people) - MAX_NAMES
    return t(lang, "join.items").join(names) + (f" +{more}" if more > 0 else "")


def _subject(key: str) -> tuple[str | None, callable]:
    """Who counts for a missing item: everyone for seats, women, men, or carriers of a tag."""
    if key == "seats":
        return None, lambda v: True
    if key == "female":
        return "reason.subject.female", lambda v: v.gender.value == "F"
    if key == "male":
        return "reason.subject.male", lambda v: v.gender.value == "M"
    return "reason.subject.tag", lambda v, tag=key: tag in v.tags


def binding_rule(problem: Problem, volunteer: Volunteer, shift: Shift, own: list[tuple[str, str]],
                 context: Context) -> str | None:
    """The first hard rule that would break if `volunteer` also took `shift`, given their own shifts."""
    view = RosterView(problem, own + [(volunteer.id, shift.id)], context)
    for rule in PERSONAL_RULES:
        if rule.check(view):
            return rule.NAME
    return None


def reasons_for(problem: Problem, shift: Shift, unmet: dict[str, int], pairs: list[tuple[str, str]],
                context: Context, lang: str) -> list[str]:
    """One sentence per missing item (seats, women, a tag …) saying why it is missing."""
    own: dict[VolunteerId, list[tuple[str, str]]] = defaultdict(list)
    on_shift = set()
    for vid, sid in pairs:
        own[vid].append((vid, sid))
        if sid == shift.id:
            on_shift.add(vid)
    eligible = [problem.volunteer[vid] for vid in context.eligible.get(shift.id, ())]
    sentences = []
    for key, missing in unmet.items():
        subject, counts = _subject(key)
        wanted = shift.need if key == "seats" else missing + sum(1 for v in eligible if v.id in on_shift and counts(v))
        candidates = [v for v in eligible if counts(v)]
        if len(candidates) < wanted:
            steps = funnel([v for v in problem.volunteers if counts(v)], shift)
            text = t(lang, "reason.too_few", funnel="; ".join(
                t(lang, "reason.funnel_step", label=t(lang, f"funnel.{code}"), n=n) for code, n in steps))
        else:
            text = _competition(problem, shift, [v for v in candidates if v.id not in on_shift], own, context, lang)
        sentences.append(t(lang, "reason.for_subject", subject=t(lang, subject, tag=tag_label(lang, key)), text=text)
                         if subject else text)
    return sentences


def _competition(problem: Problem, shift: Shift, free: list[Volunteer], own: dict, context: Context,
                 lang: str) -> str:
    held: dict[str, list[Volunteer]] = defaultdict(list)
    loose = []
    for volunteer in free:
        rule = binding_rule(problem, volunteer, shift, own.get(volunteer.id, []), context)
        (held[rule] if rule else loose).append(volunteer)
    causes = [t(lang, "reason.cause", rule=t(lang, f"rule.{rule}"), n=len(people), people=_who(people, lang))
              for rule, people in held.items()]
    text = t(lang, "reason.competition", n=len(free), causes=t(lang, "join.items").join(causes)) if causes else ""
    if loose:
        extra = t(lang, "reason.free_but_left", n=len(loose))
        text = f"{text}; {extra}" if text else extra
    return text
