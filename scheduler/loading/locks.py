"""The locks file: assignments the coordinator promised, checked against every hard rule before solving.

`PROBLEM/locks.csv` (or .xlsx), one row per promise, columns `volunteer` (志愿者编号 / 编号) and
`shift` (班次), the shift written `<id>@<date>` as in the rosters. Rows for other weeks are
ignored; a lock that breaks a hard rule is an input error that names the rule.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from constraints import HARD_RULES, Context, Pair, RosterView
from constraints import freeze as freeze_rule
from constraints import locks as locks_rule
from constraints.eligibility import why_not
from scheduler.domain.errors import Finding, Listing, Phrase
from scheduler.domain.ids import match_id, split_shift_id
from scheduler.domain.models import Problem, Shift, Volunteer
from scheduler.loading.folder import find_locks  # noqa: F401 - where callers have long found it
from scheduler.loading.tables import EMPTY_REGISTER, header_key, read_table

COLUMNS = {"volunteer": ("volunteer", "志愿者编号", "编号", "志愿者", "id"), "shift": ("shift", "班次")}


def load_locks(path: str | Path, problem: Problem, context: Context) -> tuple[frozenset[Pair], list[Finding]]:
    """The locked (volunteer, shift) pairs of the planned week, or the findings that forbid them."""
    table = read_table(path)
    if table.findings:
        return frozenset(), [_in_locks_words(finding) for finding in table.findings]
    file = table.file
    headers = {header_key(h): h for h in table.frame.columns}
    column = {key: next((headers[header_key(a)] for a in aliases if header_key(a) in headers), None)
              for key, aliases in COLUMNS.items()}
    missing = [key for key, name in column.items() if name is None]
    if missing:
        return frozenset(), [Finding(file=file, row=1, column=key, code="input.locks.column_missing",
                                     params={"key": key}) for key in missing]
    pairs, findings, rows = [], [], {}
    for row, vid, sid in zip(table.rows, table.frame[column["volunteer"]], table.frame[column["shift"]]):
        vid, sid = str(vid).strip(), str(sid).strip()
        vid = match_id(vid, problem.volunteer) or vid  # `6` typed for 006
        finding = _one_lock(problem, context, file, row, column, vid, sid)
        if finding is not None:
            findings.append(finding)
        elif sid in problem.shift:
            pairs.append((vid, sid))
            rows[(vid, sid)] = row
    findings += _together(problem, context, pairs + sorted(frozen_pairs(problem, context)), rows, file)
    return frozenset(pairs), findings


def _in_locks_words(finding: Finding) -> Finding:
    """A reading problem in the words of a locks file: the table reader's whole-file fixes speak of the register."""
    if finding.code == EMPTY_REGISTER:
        return Finding(file=finding.file, code="input.locks.empty")
    return finding


def frozen_pairs(problem: Problem, context: Context) -> set[Pair]:
    """The earlier roster's assignments on frozen days that can still be kept."""
    return freeze_rule.kept(problem, context)


def _one_lock(problem: Problem, context: Context, file: str, row: int, column: dict, vid: str, sid: str) -> Finding | None:
    """A lock that cannot stand on its own: unknown person or shift, or not eligible."""
    volunteer = problem.volunteer.get(vid)
    if volunteer is None:
        return Finding(file=file, row=row, column=column["volunteer"], value=vid, code="input.locks.no_volunteer")
    day = split_shift_id(sid)[1]
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        return Finding(file=file, row=row, column=column["shift"], value=sid, code="input.locks.shift_form")
    if not (problem.week.monday <= date <= problem.week.sunday):
        return None  # a promise for another week
    shift = problem.shift.get(sid)
    if shift is None:
        return Finding(file=file, row=row, column=column["shift"], value=sid, code="input.locks.no_shift",
                       params={"shift": sid, "week": problem.week.label})
    if context.frozen_before is not None and shift.date < context.frozen_before and (vid, sid) not in context.baseline:
        return Finding(file=file, row=row, column=column["shift"], value=sid, code="input.locks.frozen",
                       params={"shift": sid, "date": context.frozen_before.isoformat(), "id": vid})
    code = why_not(volunteer, shift)
    if code:
        return Finding(file=file, row=row, column=column["shift"], value=sid, code="input.locks.not_eligible",
                       params={"name": volunteer.name, "id": vid, "reason": _reason(code, volunteer, shift)})
    return None


def _reason(code: str, volunteer: Volunteer, shift: Shift) -> Phrase:
    """Why the person cannot take the shift at all (`constraints.eligibility.why_not`), as a phrase."""
    rule = shift.definition
    blanks = {"age": volunteer.age_on(shift.week_monday), "low": rule.min_age, "high": rule.max_age,
              "health": Phrase(f"input.health.{volunteer.health.value}"),
              "required": Phrase(f"input.health.{rule.min_health.value}") if rule.min_health else "",
              "date": shift.date.isoformat(), "weekday": Phrase(f"input.weekday.{shift.date.weekday()}"),
              "time": shift.time_label, "teams": Listing(tuple(sorted(rule.teams)))}
    if code == "team" and len(rule.teams) > 1:
        code = "teams"
    return Phrase(f"input.locks.reason.{code}", blanks)


def _together(problem: Problem, context: Context, pairs: list[Pair], rows: dict, file: str) -> list[Finding]:
    """Locks that are fine alone but break a rule together (two on one day, too many on a shift …)."""
    view = RosterView(problem, pairs, context)
    findings = []
    for rule in HARD_RULES:
        if rule in (locks_rule, freeze_rule):
            continue
        for violation in rule.check(view):
            row = rows.get((violation.volunteer, violation.shift))
            findings.append(Finding(file=file, row=row, column="shift", value=violation.shift,
                                    code="input.locks.together", params={"rule": violation.rule, "detail": violation}))
    return findings
