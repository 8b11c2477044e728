"""Why a seat stays empty, as codes and figures that `scheduler.render.reasons` puts into words.

Two kinds of answer, both read off the roster and the catalogue's own checks:
- `too_few`: too few people can ever take the shift; the funnel from everyone to the eligible few;
- `competition`: enough could, but they are held by hard rules given the rest of the roster
  (their weekly limit, the day's limit, rest, …): which rules, how many people, who; and why
  anyone held by no rule is still not on the shift (a frozen day, a full shift, a search stopped
  early).

The records carry what the words need (names beside ids, each shift's name, date and time), so a
roster.json can be worded again in either language without the inputs it was planned from.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import constraints
from constraints import Context, RosterView
from constraints.eligibility import funnel
from scheduler.domain.models import Problem, Shift, Volunteer, VolunteerId, counts_for
from scheduler.domain.roster import ReasonCode

MAX_NAMES = 4
MAX_HELD_SHIFTS = 3


def _people(people: list[Volunteer]) -> dict[str, object]:
    """How many, and the first few by name and id: what a reason names."""
    return {"n": len(people), "people": [{"id": v.id, "name": v.name} for v in people[:MAX_NAMES]]}


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


def _holding(problem: Problem, people: list[Volunteer], own: dict) -> list[dict[str, object]]:
    """A few of the shifts the people at their weekly limit hold, the most shared first: where their week went."""
    held = Counter(sid for v in people for _, sid in own.get(v.id, ()) if sid in problem.shift)
    top = sorted(held.items(), key=lambda item: (-item[1], problem.shift[item[0]].start, item[0]))[:MAX_HELD_SHIFTS]
    return [{**shift_facts(problem.shift[sid]), "n": n} for sid, n in top]


def shift_facts(shift: Shift) -> dict[str, str]:
    """What a reason says of a shift: its id, name, date and time (`render.reasons` adds the weekday)."""
    return {"shift": shift.id, "name": shift.name, "date": shift.date.isoformat(), "time": shift.time_label}


def pairs_by_volunteer(pairs: list[tuple[str, str]]) -> dict[VolunteerId, list[tuple[str, str]]]:
    """Each volunteer's own pairs: build it once when explaining many shifts of one roster."""
    own: dict[VolunteerId, list[tuple[str, str]]] = defaultdict(list)
    for vid, sid in pairs:
        own[vid].append((vid, sid))
    return own


def reasons_for(problem: Problem, shift: Shift, unmet: dict[str, int], pairs: list[tuple[str, str]],
                context: Context, own: dict[VolunteerId, list[tuple[str, str]]] | None = None) -> list[ReasonCode]:
    """One reason per missing item (`seats`, `female`, `male`, a tag), in the order of `unmet`."""
    own = pairs_by_volunteer(pairs) if own is None else own
    on_shift = {vid for vid in context.eligible.get(shift.id, ()) if (vid, shift.id) in own.get(vid, ())}
    eligible = [problem.volunteer[vid] for vid in context.eligible.get(shift.id, ())]
    reasons = []
    for key, missing in unmet.items():
        counts = counts_for(key)
        wanted = shift.need if key == "seats" else missing + sum(1 for v in eligible if v.id in on_shift and counts(v))
        candidates = [v for v in eligible if counts(v)]
        if len(candidates) < wanted:
            steps = funnel([v for v in problem.volunteers if counts(v)], shift)
            reasons.append(ReasonCode(code="too_few", params={"item": key, "funnel": [list(s) for s in steps]}))
        else:
            free = [v for v in candidates if v.id not in on_shift]
            params = _competition(problem, shift, free, own, context, len(on_shift))
            reasons.append(ReasonCode(code="competition", params={"item": key, **params}))
    return reasons


def _competition(problem: Problem, shift: Shift, free: list[Volunteer], own: dict, context: Context,
                 present: int = 0) -> dict[str, object]:
    """Who could take the shift but is held, grouped by every rule that holds them; then anyone not held at all."""
    held: dict[tuple[str, ...], list[Volunteer]] = defaultdict(list)
    loose: list[Volunteer] = []
    for volunteer in free:
        rules = binding_rules(problem, volunteer, shift, own.get(volunteer.id, []), context)
        (held[rules] if rules else loose).append(volunteer)
    causes = []
    for rules, people in held.items():
        cause: dict[str, object] = {"rules": list(rules), **_people(people)}
        if rules == ("max_shifts_per_week",):
            cause["holding"] = _holding(problem, people, own)
        causes.append(cause)
    return {"held": sum(len(people) for people in held.values()), "free": len(free), "causes": causes,
            "loose": _loose(shift, loose, context, present) if loose else None}


def _loose(shift: Shift, loose: list[Volunteer], context: Context, present: int) -> dict[str, object]:
    """Why people free of every hard rule are not on the shift: a frozen day, a full shift, or a search stopped early."""
    if context.frozen_before is not None and shift.date < context.frozen_before:
        return {"code": "frozen", **_people(loose)}
    if present >= shift.max:
        return {"code": "full", "max": shift.max, **_people(loose)}
    return {"code": "free_but_left", **_people(loose)}
