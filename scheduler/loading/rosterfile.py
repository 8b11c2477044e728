"""Reading a roster back: our roster.json, or a coordinator's hand-edited JSON or assignments CSV."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

from pydantic import ValidationError

from scheduler.domain.errors import Finding, InputError, RosterFileError
from scheduler.domain.ids import split_shift_id
from scheduler.domain.roster import ASSIGNMENT_COLUMNS, Assignment, Roster
from scheduler.loading import resolve_week
from scheduler.loading.csvsafe import original_cell
from scheduler.loading.documents import DocumentError, parse_json
from scheduler.loading.headings import LANGUAGES, every_language, heading
from scheduler.loading.tables import EMPTY_REGISTER, Table, header_key, read_table

CSV_COLUMNS = {"shift": ("shift", "班次"), "volunteer": ("volunteer", "志愿者编号")}
# Further columns of assignments.csv kept when present (a hand-edited file may have dropped any of them).
CSV_KEPT = ("shift_id", "date", "start", "end", "name", "kind", "post", "volunteer_name")
# The attendance column, by header_key: `出勤（served 到岗 / absent 缺勤）` as the workbook writes it matches too.
ATTENDANCE_HEADERS = ("attendance", "出勤", "出勤情况", "考勤")
# What a coordinator may type in the attendance column; anything else is an error, never a guess.
ATTENDANCE_WORDS = {
    "served": ("served", "到", "到岗", "出勤", "已到", "√", "✓", "✔"),
    "absent": ("absent", "缺", "缺勤", "未到", "缺岗", "×", "✗", "✘"),
}
ATTENDANCE_FIX = "write served (到岗) or absent (缺勤), or leave it empty"
TABLE_FIX = ("give the assignments.csv or roster.xlsx that 'roster solve' wrote (it needs the columns shift and "
             "volunteer), or restore it from rosters/<week>/previous/")


def read_roster(path: str | Path) -> Roster:
    """The roster in `path` (.json, .csv, or the 安排明细 sheet of a .xlsx). Only assignments are needed;
    missing fields are filled."""
    return read_roster_rows(path)[0]


def read_roster_rows(path: str | Path) -> tuple[Roster, list[str]]:
    """The roster in `path` and, for each of its assignments, where it is in the file (`row 5`, `assignment 3`)."""
    path = Path(path)
    if not path.is_file():
        raise RosterFileError(f"{path}: no such roster file. Fix: give the path of a roster.json or assignments.csv")
    if path.suffix.lower() == ".json":
        roster = _from_json(path)
        return roster, [f"assignment {n}" for n in range(1, len(roster.assignments) + 1)]
    if path.suffix.lower() in {".csv", ".xlsx"}:
        return _from_table(path)
    raise RosterFileError(f"{path}: a roster must be a .json, .csv or .xlsx file. "
                          "Fix: give roster.json, assignments.csv or roster.xlsx")


def assignments_sheet_names() -> tuple[str, ...]:
    """The name of the workbook's assignments sheet in each language (安排明细, Assignments)."""
    return every_language("sheet.assignments")


def _from_json(path: Path) -> Roster:
    try:
        data = parse_json(path.read_text(encoding="utf-8-sig"), str(path), max_nodes=None)
    except UnicodeDecodeError as exc:
        raise RosterFileError(f"{path}: the roster is not valid JSON ({exc}). "
                              "Fix: restore it from rosters/<week>/previous/ or plan the week again") from None
    except DocumentError as exc:  # malformed, nested too deep, a number too long
        raise RosterFileError(f"{path}: the roster is not valid JSON ({exc.finding.message}). "
                              "Fix: restore it from rosters/<week>/previous/ or plan the week again") from None
    if isinstance(data, list):
        data = {"assignments": data}
    if not isinstance(data, dict) or not isinstance(data.get("assignments"), list):
        raise RosterFileError(f"{path}: no 'assignments' list found. Fix: give a roster.json written by 'roster solve'")
    return _roster(data, path)


def _from_table(path: Path) -> tuple[Roster, list[str]]:
    """assignments.csv, or the assignments sheet of roster.xlsx (its headers in the roster's language),
    with the spreadsheet row of each assignment."""
    table = read_table(path, sheets=assignments_sheet_names())
    if table.findings:
        raise RosterFileError("\n".join(_table_problem(path, finding) for finding in table.findings))
    if path.suffix.lower() == ".csv":  # the tool's CSVs put ' before formula-like cells: read what was meant
        table = replace(table, frame=table.frame.map(original_cell))
    table = _with_field_names(table)
    headers = {str(h).strip().lower(): h for h in table.frame.columns}
    found = {key: next((headers[a] for a in aliases if a in headers), None) for key, aliases in CSV_COLUMNS.items()}
    missing = [key for key, column in found.items() if column is None]
    if missing:
        raise RosterFileError(f"{path}: missing column(s) {', '.join(missing)}. "
                              "Fix: keep the 'shift' and 'volunteer' columns of assignments.csv")
    rows = [{"shift": str(s).strip(), "volunteer": str(v).strip()}
            for s, v in zip(table.frame[found["shift"]], table.frame[found["volunteer"]]) if str(s).strip() or str(v).strip()]
    _keep_columns(rows, table, found, path)
    where = [f"row {number}" for number, s, v in zip(table.rows, table.frame[found["shift"]], table.frame[found["volunteer"]])
             if str(s).strip() or str(v).strip()]
    return _roster({"assignments": rows}, path), where


def _table_problem(path: Path, finding: Finding) -> str:
    """A reading problem in a roster's words: the table reader's whole-file fixes speak of the register."""
    if finding.code == EMPTY_REGISTER:
        return f"{path}: the roster file is empty. Fix: {TABLE_FIX}"
    if finding.row is None:
        return f"{path}: {finding.message}. Fix: {TABLE_FIX}"
    return str(finding)


def _with_field_names(table: Table) -> Table:
    """The workbook's assignments sheet has headers in the roster's language (班次, Volunteer id …): the field names."""
    for lang in LANGUAGES:
        names = {heading(lang, f"col.{name}"): name for name in (*ASSIGNMENT_COLUMNS, "weekday")}
        if {heading(lang, "col.shift"), heading(lang, "col.volunteer")} <= set(table.frame.columns):
            return replace(table, frame=table.frame.rename(columns=names))
    return table


def _keep_columns(rows: list[dict], table, found: dict, path: Path) -> None:
    """Add the optional columns (names, times, attendance) to `rows`, the non-empty rows of `table`."""
    kept = [i for i, (s, v) in enumerate(zip(table.frame[found["shift"]], table.frame[found["volunteer"]]))
            if str(s).strip() or str(v).strip()]
    headers = {str(h).strip().lower(): h for h in table.frame.columns}
    for name in CSV_KEPT:
        if name in headers:
            for row, i in zip(rows, kept):
                row[name] = str(table.frame[headers[name]].iloc[i]).strip()
    wanted = {header_key(h) for h in ATTENDANCE_HEADERS}
    column = next((h for h in table.frame.columns if header_key(h) in wanted), None)
    if column is None:
        return
    for row, i in zip(rows, kept):
        value = table.frame[column].iloc[i]
        row["attendance"] = attendance_of(value)
        if row["attendance"] is None:
            raise RosterFileError(f"{path}, row {table.rows[i]}, column '{column}': attendance {str(value).strip()!r} "
                                  f"is not understood. Fix: {ATTENDANCE_FIX}")


def attendance_of(value: object) -> str | None:
    """`served`, `absent` or `` for what a coordinator typed (到岗, 缺勤, √ …); None when it means neither."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip().casefold()
    if not text:
        return ""
    return next((mark for mark, words in ATTENDANCE_WORDS.items() if text in words), None)


def _roster(data: dict, path: Path) -> Roster:
    assignments = data["assignments"]
    _read_attendance(assignments, path)
    week = _week(data.get("week"), path) or _week_of(assignments)
    try:
        return Roster.model_validate({
            "week": week or "", "period": data.get("period") or {"start": "", "end": ""},
            "status": data.get("status") if data.get("status") in ("complete", "partial") else "partial",
            "assignments": assignments,
            **{k: data[k] for k in ("language", "generated_at", "solver", "inputs", "unfilled", "volunteers", "objective",
                                    "replan", "history")
               if k in data and data[k] is not None},
        })
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RosterFileError(f"{path}: '{where}' {first['msg'].lower()}. "
                              "Fix: every assignment needs a 'shift' and a 'volunteer'") from None


def _read_attendance(assignments: list, path: Path) -> None:
    """Turn a hand-typed attendance (到岗, 缺勤, null …) into `served` / `absent` / `` in place."""
    for number, item in enumerate(assignments, start=1):
        if not isinstance(item, dict) or "attendance" not in item:
            continue
        mark = attendance_of(item["attendance"])
        if mark is None:
            raise RosterFileError(f"{path}: assignment {number} ({item.get('volunteer', '')} on {item.get('shift', '')}): "
                                  f"attendance {item['attendance']!r} is not understood. Fix: {ATTENDANCE_FIX}")
        item["attendance"] = mark


def _week(week: object, path: Path) -> str | None:
    """The roster's own `week`, checked here so that a bad one is blamed on the file, not on --week."""
    if not week:
        return None
    try:
        return resolve_week(str(week)).label
    except InputError as exc:
        raise RosterFileError(f"{path}: the roster's week {week!r}: {exc.findings[0].message}. "
                              'Fix: write it in the file as "week": "2026-W49" (year, W, week number)') from None


def _week_of(assignments: list) -> str | None:
    """The ISO week of the first assignment's date (`<id>@<date>`), for rosters that do not say."""
    import datetime as dt

    for item in assignments:
        shift = str(item.get("shift", "")) if isinstance(item, dict) else ""
        _, day = split_shift_id(shift)
        try:
            year, week, _ = dt.date.fromisoformat(day).isocalendar()
            return f"{year}-W{week:02d}"
        except ValueError:
            continue
    return None


__all__ = ["Assignment", "read_roster", "read_roster_rows"]
