"""The words of why a seat stays empty: `scheduler.solving.reasons`' codes as zh or en sentences.

roster.json keeps both: the sentences in the roster's language for whoever opens the file, and
the codes, from which `summary`, `explain`, `check` and the service word the reasons again in the
language asked for. A roster written before the codes existed keeps its stored sentences.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from scheduler.domain.roster import ReasonCode, Roster, Unfilled
from scheduler.render.texts import day_label_text, t, tag_label, weekday

SUBJECTS = {"female": "reason.subject.female", "male": "reason.subject.male"}
"""How a reason names who counts for a missing item; a tag is `reason.subject.tag`, plain seats need no subject."""


def reason_text(reason: ReasonCode, lang: str) -> str:
    """One reason as a sentence: `all 33 who could take it are held by other rules: at the weekly limit: 31 (…)`."""
    params = reason.params
    if reason.code == "too_few":
        text = t(lang, "reason.too_few", funnel="; ".join(funnel_steps(params.get("funnel", []), lang)))
    elif reason.code == "competition":
        text = _competition(params, lang)
    else:  # a code of a later version: say what is known rather than fail
        text = reason.code
    item = params.get("item", "seats")
    if item == "seats":
        return text
    subject = t(lang, SUBJECTS.get(item, "reason.subject.tag"), tag=tag_label(lang, item))
    return t(lang, "reason.for_subject", subject=subject, text=text)


def reason_texts(unfilled: Unfilled, lang: str) -> list[str]:
    """The reasons of a short shift in `lang`; a roster without codes (an older roster.json) keeps its stored words."""
    if not unfilled.reason_codes:
        return list(unfilled.reasons)
    return [reason_text(reason, lang) for reason in unfilled.reason_codes]


def worded(roster: Roster, lang: str | None = None) -> Roster:
    """The roster with every short shift's `reasons` worded from its codes in `lang` (default: the roster's)."""
    lang = lang or roster.language
    if not any(u.reason_codes for u in roster.unfilled):
        return roster
    unfilled = [u.model_copy(update={"reasons": reason_texts(u, lang)}) for u in roster.unfilled]
    return roster.model_copy(update={"unfilled": unfilled})


def funnel_steps(steps: list[Any], lang: str) -> list[str]:
    """`everyone: 232`, `active: 228`, … for the count left after each eligibility test."""
    return [t(lang, "reason.funnel_step", label=t(lang, f"funnel.{code}"), n=n) for code, n in steps]


def rules_label(rules: list[str] | tuple[str, ...], lang: str) -> str:
    """`at the daily limit and too little rest`: every hard rule that holds someone."""
    return t(lang, "join.rules").join(t(lang, f"rule.{rule}") for rule in rules)


def _who(group: dict[str, Any], lang: str) -> str:
    names = [f"{p['name']} {p['id']}" for p in group.get("people", [])]
    more = group.get("n", len(names)) - len(names)
    return t(lang, "join.items").join(names) + (f" +{more}" if more > 0 else "")


def _shift(facts: dict[str, Any], lang: str) -> str:
    """`路口文明劝导 周一 07:00-09:00` / `Crossing Mon 07:00-09:00`."""
    try:
        day = weekday(lang, dt.date.fromisoformat(facts["date"]))
    except ValueError:
        day = day_label_text(lang, facts["date"])
    return t(lang, "reason.shift", name=facts["name"], day=day, time=facts["time"])


def _competition(params: dict[str, Any], lang: str) -> str:
    causes = []
    for cause in params.get("causes", []):
        text = t(lang, "reason.cause", rule=rules_label(cause["rules"], lang), n=cause["n"], people=_who(cause, lang))
        holding = [t(lang, "reason.holding_item", shift=_shift(item, lang), n=item["n"])
                   for item in cause.get("holding", [])]
        if holding:
            text += t(lang, "reason.holding_sep") + t(lang, "reason.holding", shifts=t(lang, "join.items").join(holding))
        causes.append(text)
    loose = params.get("loose")
    key = "reason.competition_some" if loose else "reason.competition"
    text = t(lang, key, n=params.get("held", 0), total=params.get("free", 0),
             causes=t(lang, "join.causes").join(causes)) if causes else ""
    if loose:
        extra = t(lang, f"reason.{loose['code']}", n=loose["n"], people=_who(loose, lang), max=loose.get("max", 0))
        text = f"{text}; {extra}" if text else extra
    return text
