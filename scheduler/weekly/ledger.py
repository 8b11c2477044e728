"""The service-hours ledger (志愿时长): hours per assignment served and per volunteer, from the weekly rosters.

Reads `PROBLEM/rosters/<week>/roster.json`, never the backups under `previous/`, as the coordinator
edited it afterwards in the files beside it: the `assignments.csv` and the workbook `roster.xlsx`
(its 安排明细 sheet, and its duty grid 值勤表 when the folder's register can read the names). A
file that lists another person on a shift records a stand-in, who is counted instead. Attendance:
`absent` never counts; with `served_only` only `served` counts; otherwise an unmarked assignment
counts as served. Marks come from roster.json's `attendance`, or from the `attendance` (出勤)
column of assignments.csv or of the workbook, which win where they are filled.

An assignment's hours run from its date and start to its end, an end at or before the start
being on the next day (22:00-02:00 is 4 hours). Each assignment is rounded on its own, to the
rules' `hours_round_to` (0: not at all) in the direction of `hours_rounding`, so that a person's
total is the sum of the hours on their rows.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from scheduler.analysis.checking import workbook_roster
from scheduler.domain.clock import clock, parse_clock
from scheduler.domain.errors import Finding, InputError, RosterError, RosterFileError
from scheduler.domain.ids import split_shift_id, with_known_ids
from scheduler.domain.models import PlanningWeek, Problem, Rules
from scheduler.domain.roster import Assignment, Roster
from scheduler.io.changes import write_atomically
from scheduler.io.writers import _csv_bytes, display_width, natural_key
from scheduler.loading import find_inputs, load_problem
from scheduler.loading.folder import ROSTER_FILE, rosters_folder
from scheduler.loading.rosterfile import read_roster
from scheduler.loading.rules import load_rules
from scheduler.render.texts import t

DETAIL_COLUMNS = ["name", "id", "activity", "date", "start", "end", "hours"]
"""One row per assignment counted; English headers, as volunteer-service record platforms import them."""
TOTAL_COLUMNS = ["name", "id", "shifts", "hours"]
MARKS_FILE = "assignments.csv"
WORKBOOK_FILE = "roster.xlsx"


@dataclass(frozen=True)
class Ledger:
    """The counted assignments and what was left out, for a span of dates."""

    detail: pd.DataFrame  # DETAIL_COLUMNS, by volunteer id then date; hours as floats
    weeks: tuple[str, ...]  # the weeks with shifts in the span
    first: dt.date | None  # the span: as given, else the first and last date with a shift
    last: dt.date | None
    absent: int  # assignments in the span marked absent
    unmarked: int  # assignments in the span without a mark (counted unless served_only)
    served_only: bool
    rules: Rules
    found: int  # rosters found in the folder, whatever their dates

    def totals(self) -> pd.DataFrame:
        """One row per volunteer (by id): name, id, shifts counted, hours (the sum of the rows' hours)."""
        if self.detail.empty:
            return pd.DataFrame(columns=TOTAL_COLUMNS)
        grouped = self.detail.groupby("id", sort=False).agg(name=("name", "first"), shifts=("hours", "size"),
                                                           hours=("hours", "sum"))
        grouped = grouped.reset_index()[TOTAL_COLUMNS]
        order = sorted(range(len(grouped)), key=lambda i: natural_key(grouped["id"].iloc[i]))
        return grouped.iloc[order].reset_index(drop=True)


def build_ledger(problem_dir: str | Path, start: dt.date | None = None, end: dt.date | None = None,
                 served_only: bool = False, rules: str | Path | Rules | None = None) -> Ledger:
    """The ledger of every roster under `problem_dir/rosters/` with shifts from `start` to `end` (both included).

    Raises RosterFileError naming the file when a roster (or the assignments.csv beside it) cannot
    be read, and InputError for a bad rules file or a span that ends before it starts.
    """
    folder = Path(problem_dir)
    if not folder.is_dir():
        raise InputError([Finding(file=str(folder), code="input.hours.missing")])
    rules = _rules(folder, rules)
    if start and end and start > end:
        raise InputError([Finding(file="--from", value=start.isoformat(), code="input.hours.backwards",
                                  params={"end": str(end)})])
    weeks: dict[str, Path]
    rows, dates, weeks = [], [], {}
    absent = unmarked = 0
    paths = _roster_paths(folder)
    for path in paths:
        if not _may_overlap(path.parent.name, start, end):
            continue  # an old week outside the span is not even read: a broken one cannot block this ledger
        week, entries = _entries(path, start, end)
        if not entries:
            continue
        if week in weeks:
            raise RosterFileError(f"{weeks[week]} and {path} are both rosters of {week}, so its hours would count "
                                  "twice. Fix: move the copy that was not served out of the rosters folder")
        weeks[week] = path
        for a, day, minutes, mark in entries:
            dates.append(day)
            absent += mark == "absent"
            unmarked += mark == ""
            if mark == "absent" or (served_only and mark != "served"):
                continue
            rows.append(_row(a, day, minutes, rules))
    detail = pd.DataFrame(rows, columns=DETAIL_COLUMNS)
    if rows:
        order = sorted(range(len(rows)), key=lambda i: (natural_key(rows[i]["id"]), rows[i]["date"], rows[i]["start"],
                                                        rows[i]["activity"]))
        detail = detail.iloc[order].reset_index(drop=True)
    detail["hours"] = detail["hours"].astype(float)
    return Ledger(detail=detail, weeks=tuple(weeks), first=start or min(dates, default=None),
                  last=end or max(dates, default=None), absent=absent, unmarked=unmarked, served_only=served_only,
                  rules=rules, found=len(paths))


def _rules(folder: Path, rules: str | Path | Rules | None) -> Rules:
    """The rules given, or the problem folder's rules file (for the rounding of hours)."""
    if isinstance(rules, Rules):
        return rules
    path = rules if rules is not None else find_inputs(folder, given=frozenset({"volunteers", "shifts"}))["rules"]
    loaded, findings = load_rules(path)
    if findings:
        raise InputError(findings)
    return loaded


def _roster_paths(folder: Path) -> list[Path]:
    """`rosters/<week>/roster.json` of every week folder, by folder name; `previous/` backups are one level deeper."""
    return sorted(rosters_folder(folder).glob(f"*/{ROSTER_FILE}"), key=lambda p: natural_key(p.parent.name))


def _may_overlap(name: str, start: dt.date | None, end: dt.date | None) -> bool:
    """False only when the folder is named for an ISO week lying wholly outside the span."""
    try:
        week = PlanningWeek.parse(name)
    except (ValueError, ValidationError):
        return True
    return not ((start and week.sunday < start) or (end and week.monday > end))


Entry = tuple[Assignment, dt.date, int, str]


def _entries(path: Path, start: dt.date | None, end: dt.date | None) -> tuple[str, list[Entry]]:
    """The roster's week and its assignments in the span: (assignment, date, minutes, attendance), each pair once.

    Who served and their marks come from roster.json as edited in the files beside it (see `served`).
    """
    roster = read_roster(path)
    week = roster.week or path.parent.name
    entries = []
    for a, mark in served(path, roster, _week_problem(path.parents[2], week)):
        day = _date(a, path)
        if (start and day < start) or (end and day > end):
            continue
        entries.append((a, day, _minutes(a, path), mark))
    return week, entries


def _week_problem(folder: Path, week: str) -> Problem | None:
    """The folder's inputs for `week`, to read names and the duty grid by; None when the folder has none usable."""
    try:
        return load_problem(folder, week=week)
    except (InputError, RosterError):
        return None


def served(json_path: Path, roster: Roster, problem: Problem | None = None) -> list[tuple[Assignment, str]]:
    """Who was on duty and their attendance mark: roster.json, as the coordinator edited it afterwards.

    assignments.csv and roster.xlsx beside roster.json may record a stand-in (another id on a row)
    and marks. A shift on which a file lists other people than roster.json takes that file's people;
    two files that list different people on one shift, or mark one person both ways, are an error.
    A mark in a file wins over roster.json's; ids Excel stripped of zeros are matched (scheduler.domain.ids).
    """
    ids = {a.volunteer for a in roster.assignments} | (set(problem.volunteer) if problem else set())
    files = _edited_files(json_path, problem)
    edits = [(path, with_known_ids(edited, ids)) for path, edited, _ in files]
    planned = _by_shift(roster.assignments)
    source: dict[str, Path]
    people, source = dict(planned), {}
    for (path, edited), (_, _, speaks_for) in zip(edits, files):
        stated = _by_shift(edited.assignments)
        # A shift the file has no row for says nothing, except in a duty grid, which shows every shift.
        stated.update({shift: {} for shift in speaks_for & planned.keys() if shift not in stated})
        for shift, listed in stated.items():
            if set(listed) == set(planned.get(shift, {})):
                continue  # as planned: this file records no change on the shift
            if shift in source and set(listed) != set(people[shift]):
                raise RosterFileError(f"{source[shift]} and {path} name different people on {shift} "
                                      f"({', '.join(people[shift]) or 'nobody'} against {', '.join(listed) or 'nobody'}). "
                                      "Fix: make the two files say the same (or delete the one not kept)")
            people[shift], source[shift] = listed, path
    names = _names(roster, problem)
    result = []
    for shift, listed in people.items():
        for vid, a in listed.items():
            mark = _mark(vid, shift, edits) or (a.attendance if shift not in source else "")
            result.append((a.model_copy(update={"volunteer_name": _name(vid, a, names, shift in source)}), mark))
    return result


def _edited_files(json_path: Path, problem: Problem | None) -> list[tuple[Path, Roster, frozenset[str]]]:
    """assignments.csv and roster.xlsx beside roster.json, as far as they exist, each with the shifts it speaks
    for even without a row (the workbook's duty grid, read against the register when the folder has one)."""
    files: list[tuple[Path, Roster, frozenset[str]]] = []
    csv_path, workbook = json_path.parent / MARKS_FILE, json_path.parent / WORKBOOK_FILE
    if csv_path.is_file():
        files.append((csv_path, read_roster(csv_path), frozenset()))
    if workbook.is_file():
        files.append((workbook, *workbook_roster(workbook, problem)))
    return files


def _by_shift(assignments: list[Assignment]) -> dict[str, dict[str, Assignment]]:
    """shift -> {volunteer: assignment}, each pair once, in the order given."""
    found: dict[str, dict[str, Assignment]] = {}
    for a in assignments:
        found.setdefault(a.shift, {}).setdefault(a.volunteer, a)
    return found


def _mark(vid: str, shift: str, edits: list[tuple[Path, Roster]]) -> str:
    """The attendance the edited files give the pair ('' when none does); two different marks are an error."""
    marks: dict[str, Path] = {}
    for path, edited in edits:
        for a in edited.assignments:
            if (a.volunteer, a.shift) == (vid, shift) and a.attendance:
                marks.setdefault(a.attendance, path)
    if len(marks) > 1:
        where = " and ".join(str(p) for p in dict.fromkeys(marks.values()))
        raise RosterFileError(f"{where}: {vid} on {shift} is marked both served and absent. Fix: keep one mark")
    return next(iter(marks), "")


def _names(roster: Roster, problem: Problem | None) -> dict[str, str]:
    names = {a.volunteer: a.volunteer_name for a in roster.assignments if a.volunteer_name}
    if problem is not None:
        names.update({v.id: v.name for v in problem.volunteers})
    return names


def _name(vid: str, a: Assignment, names: dict[str, str], edited: bool) -> str:
    """The person's name: the register's or roster.json's; a stand-in's row may still carry the name of the
    person it replaced, so an edited row's own name is only taken when it is nobody else's."""
    if vid in names:
        return names[vid]
    if not edited or a.volunteer_name not in names.values():
        return a.volunteer_name
    return ""


def _date(a: Assignment, path: Path) -> dt.date:
    """The date a shift starts on: its `date`, else the date in its id `<definition>@<date>`."""
    text = a.date or split_shift_id(a.shift)[1]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RosterFileError(f"{path}: {a.volunteer} on {a.shift}: the date {text!r} is not a date. "
                              "Fix: write dates as 2026-12-01, or plan the week again") from None


def _minutes(a: Assignment, path: Path) -> int:
    """Minutes from start to end; an end at or before the start is on the next day."""
    start, end = parse_clock(a.start), parse_clock(a.end)
    if start is None or end is None:
        raise RosterFileError(f"{path}: {a.volunteer} on {a.shift}: the time {a.start!r}-{a.end!r} cannot be read. "
                              "Fix: give start and end as 07:00 and 09:00, or plan the week again")
    return end - start if end > start else end - start + 24 * 60


def rounded_hours(minutes: int, step: float, mode: str) -> float:
    """Hours of `minutes`, rounded to a multiple of `step` (0: not rounded): nearest (halves up), down or up."""
    exact = Fraction(minutes, 60)
    if step <= 0:
        return float(exact)
    unit = Fraction(str(step))  # 0.1 is one tenth, not the float nearest to it
    count = exact / unit
    whole = {"down": math.floor(count), "up": math.ceil(count)}.get(mode, math.floor(count + Fraction(1, 2)))
    return float(whole * unit)


def _row(a: Assignment, day: dt.date, minutes: int, rules: Rules) -> dict:
    return {"name": a.volunteer_name or a.volunteer, "id": a.volunteer,
            "activity": a.name or a.shift_id or split_shift_id(a.shift)[0], "date": day.isoformat(),
            "start": clock(parse_clock(a.start) or 0), "end": clock(parse_clock(a.end) or 0),  # both read by _minutes
            "hours": rounded_hours(minutes, rules.hours_round_to, rules.hours_rounding)}


# ---------------------------------------------------------------- outputs


def hours_text(value: float) -> str:
    """`2.0` -> `2`, `2.5` -> `2.5`, `1/3` -> `0.33`."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def detail_csv(ledger: Ledger) -> bytes:
    """One row per assignment counted: `name, id, activity, date, start, end, hours`, UTF-8 with BOM."""
    rows = [[*row[:-1], hours_text(row[-1])] for row in ledger.detail[DETAIL_COLUMNS].values.tolist()]
    return _csv_bytes(DETAIL_COLUMNS, rows)


def totals_csv(ledger: Ledger) -> bytes:
    """One row per volunteer: `name, id, shifts, hours`, UTF-8 with BOM."""
    rows = [[name, vid, shifts, hours_text(hours)] for name, vid, shifts, hours in ledger.totals().values.tolist()]
    return _csv_bytes(TOTAL_COLUMNS, rows)


def write_ledger(ledger: Ledger, out: str | Path | None = None, totals: str | Path | None = None) -> list[Path]:
    """Write the detail to `out` and the totals to `totals` (either may be None), both or neither."""
    files = {}
    if out:
        files[Path(out)] = detail_csv(ledger)
    if totals:
        files[Path(totals)] = totals_csv(ledger)
    return write_atomically(files)


def ledger_text(ledger: Ledger, lang: str, folder: str | Path = "") -> str:
    """The coordinator's view: a table of hours per volunteer, the total, and what was not counted."""
    if not ledger.found:
        return t(lang, "hours.none_found", folder=folder)
    if not ledger.weeks:
        return t(lang, "hours.none_in_span", start=ledger.first or "…", end=ledger.last or "…")
    totals = ledger.totals()
    lines = [t(lang, "hours.title", start=ledger.first, end=ledger.last, weeks=t(lang, "hours.weeks", n=len(ledger.weeks))),
             ""]
    header = [t(lang, "col.volunteer"), t(lang, "col.volunteer_name"), t(lang, "col.shifts"), t(lang, "col.hours")]
    rows = [[vid, name, str(shifts), hours_text(hours)] for name, vid, shifts, hours in totals.values.tolist()]
    lines += _aligned([header, *rows], right=(2, 3))
    people = t(lang, "hours.people", n=len(totals))
    shifts = t(lang, "hours.shifts", n=len(ledger.detail))
    lines += ["", t(lang, "hours.total", people=people, shifts=shifts, hours=hours_text(ledger.detail["hours"].sum()))]
    if ledger.absent:
        lines.append(t(lang, "hours.absent", n=ledger.absent))
    if ledger.unmarked:
        lines.append(t(lang, "hours.unmarked_skipped" if ledger.served_only else "hours.unmarked_counted",
                       n=ledger.unmarked))
    if ledger.rules.hours_round_to > 0:
        lines.append(t(lang, f"hours.rounding.{ledger.rules.hours_rounding}", step=hours_text(ledger.rules.hours_round_to)))
    return "\n".join(lines)


def _aligned(rows: list[list[str]], right: tuple[int, ...] = ()) -> list[str]:
    """Rows as lines of columns padded to their widest cell (Chinese characters are two columns wide)."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - display_width(cell))
            cells.append(pad + cell if i in right else cell + pad)
        lines.append("  ".join(cells).rstrip())
    return lines
