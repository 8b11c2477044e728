"""How explain and cover name people, shifts and points: the small words their lines are built of."""

from __future__ import annotations

from scheduler.domain.models import PastShift, Shift, Volunteer
from scheduler.render.texts import day_label, t, weekday


def person(volunteer: Volunteer, lang: str) -> str:
    """`王敏（V001）` / `Wang Min (V001)`."""
    return t(lang, "explain.person", name=volunteer.name, id=volunteer.id)


def shift_text(shift: Shift, lang: str) -> str:
    """`路口文明劝导 2026-11-30 周一 07:00-09:00` / `Crossing Mon 2026-11-30 07:00-09:00`."""
    return t(lang, "explain.shift", name=shift.name, day=day_label(lang, shift.date), time=shift.time_label)


def past_text(past: PastShift, lang: str) -> str:
    """A history shift: its id and start, e.g. `crossing-pm@2026-11-29 周日 16:30`."""
    return f"{past.shift} {weekday(lang, past.start.date())} {past.start.strftime('%H:%M')}"


def goals_text(goals: dict[str, int], lang: str, signed: bool = False) -> str:
    """`fairness 500, preference 300` (or `+500`, `−300` with `signed`); `0` when empty."""
    parts = [t(lang, "explain.goal_points", goal=t(lang, f"goal.{goal}"),
               points=signed_points(p) if signed or p < 0 else p) for goal, p in goals.items() if p]
    return t(lang, "join.items").join(parts) if parts else "0"


def signed_points(points: int) -> str:
    """`+500`, `−300`, `0`."""
    return f"+{points}" if points > 0 else f"−{-points}" if points < 0 else "0"


def examples(items: list[str], lang: str, most: int = 3) -> str:
    """A few items and how many more: `A, B, C +12`."""
    shown = t(lang, "join.items").join(items[:most])
    return shown + (f" +{len(items) - most}" if len(items) > most else "")


def taste_facts(lang: str, wish: str, rotation: int, partner: str) -> list[str]:
    """What a person's wishes, past slots and partner say about one shift (nothing when they say nothing)."""
    parts = [t(lang, f"explain.wish.{wish}")] if wish else []
    if rotation:
        parts.append(t(lang, "explain.fact.rotation", n=rotation))
    if partner:
        parts.append(t(lang, f"explain.partner.{partner}"))
    return parts
