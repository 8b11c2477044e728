"""The words of a broken hard rule: a `constraints.Violation`'s code and figures in zh or en.

Each rule's `check` says what it found as a code (`violation.<rule>.<code>`) and the figures the
words need; a violation without a code (a rule added outside the catalogue) keeps its English
message.
"""

from __future__ import annotations

import datetime as dt

from constraints import Violation
from scheduler.render.texts import has, t, weekday


def violation_text(violation: Violation, lang: str) -> str:
    """`[本周已达上限] 徐丽华（006）本周有 4 个班次，上限为 3 个` / `[at the weekly limit] Xu Lihua (006) has 4 …`."""
    rule = t(lang, f"rule.{violation.rule}") if has(lang, f"rule.{violation.rule}") else violation.rule
    return t(lang, "violation.line", rule=rule, text=violation_sentence(violation, lang))


def violation_sentence(violation: Violation, lang: str) -> str:
    """What is broken, without the rule's name."""
    key = f"violation.{violation.rule}.{violation.code}"
    params = dict(violation.params)
    if violation.rule == "eligibility" and violation.code not in ("unknown_volunteer", "unknown_shift", "twice", ""):
        key = "violation.eligibility.not_eligible"
        params["why"] = _why(violation.code, params, lang)
    if not violation.code or not has(lang, key):
        return violation.message
    text = t(lang, key, **params, id=violation.volunteer or "", shift=violation.shift or "",
             who=_who(violation.volunteer or "", str(params.get("name", "")), lang))
    same = params.get("same")
    if violation.code == "unknown_volunteer" and isinstance(same, list) and same:
        text += t(lang, "violation.eligibility.zeros", ids=t(lang, "violation.or").join(map(str, same)))
    return text


def _who(vid: str, name: str, lang: str) -> str:
    return t(lang, "violation.who", name=name, id=vid) if name else vid


def _why(code: str, params: dict[str, object], lang: str) -> str:
    """Why a person may not take the shift (eligibility's reason code), in words."""
    facts = dict(params)
    if code == "team":
        teams = facts.get("teams")
        names = [str(team) for team in teams] if isinstance(teams, list) else []
        facts.update(teams=t(lang, "join.items").join(names), n=len(names))
    if code == "health":
        facts.update({key: t(lang, f"health.{facts[key]}") if has(lang, f"health.{facts[key]}") else facts[key]
                      for key in ("health", "required")})
    if code == "not_free":
        facts["day"] = weekday(lang, dt.date.fromisoformat(str(facts["date"])))
    return t(lang, f"violation.why.{code}", **facts)
