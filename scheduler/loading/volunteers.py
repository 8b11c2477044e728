"""Turning a register table into `Volunteer`s, collecting every problem instead of stopping.

Columns are matched by header (English or Chinese, see `tables.COLUMNS`); unknown columns, such as
身份证号, are ignored and never copied anywhere. Each known column is parsed once, column by
column, with a memo of the distinct texts (many people share the same team, availability or
gender), so a register of tens of thousands of rows loads in a second or two. Every problem
becomes a `Finding` with the file, the spreadsheet row, the header as written and the value.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scheduler.domain.errors import Finding
from scheduler.domain.models import PlanningWeek, Volunteer
from scheduler.loading.availability import parse_availability, parse_unavailable
from scheduler.loading.tables import COLUMNS, KNOWN_HEADERS, Table, header_key, read_table
from scheduler.loading.values import (
    BadValue,
    normalize,
    parse_active,
    parse_age,
    parse_birth_date,
    parse_count,
    parse_gender,
    parse_health,
    parse_tags,
)

REQUIRED = ("id", "name", "gender")
# Columns whose refused text is replaced, in messages, by what the column allows.
PRIVATE_COLUMNS = {"health": "良好 / 一般 / 较差 (good / fair / poor)"}
CHINESE = {name: next(alias for alias in aliases if not alias.isascii()) for name, aliases in COLUMNS.items()}


@dataclass(frozen=True)
class Column:
    """One known column of the register: its header as written and its cells, raw and parsed."""

    header: str
    raw: list[str]
    values: list[Any]  # parsed values (of the column's type), or the BadValue raised for that cell
    problems: dict[int, BadValue]  # the cells (by index) whose value was refused


def load_volunteers(path: str | Path, *, today: dt.date | None = None) -> tuple[list[Volunteer], list[Finding]]:
    """Read and check a register file; findings are errors (reading problems included)."""
    return parse_volunteers(read_table(path), today=today)


def parse_volunteers(table: Table, *, today: dt.date | None = None, week: PlanningWeek | None = None
                     ) -> tuple[list[Volunteer], list[Finding]]:
    """The volunteers of a register table and every problem found; never raises for bad data.

    Rows with a problem give no `Volunteer`. `today` (default: the real today) is the date birth
    dates must not come after; `week`, the planned week, gives the year of dates written without
    one (`12月10日`); without it such dates are refused.
    """
    findings = list(table.findings)
    if not table.rows and not findings:
        findings.append(_no_volunteers(table))
    if not len(table.frame.columns):
        return [], findings
    positions, column_findings = _match_columns(table)
    findings += column_findings
    parsers = _parsers(today or dt.date.today(), week.monday if week is not None else None)
    columns = {name: _parse_column(table, position, parsers.get(name, _text)) for name, position in positions.items()}
    problems = _row_problems(table, columns)
    for index, row in enumerate(table.rows):
        if row in table.untrusted:  # garbled cells: the table's own finding explains the row
            problems[index] = []
    findings += [finding for row_findings in problems.values() for finding in row_findings]
    if column_findings:
        return [], findings  # the register's shape is wrong: its rows are checked only for reporting
    volunteers, guard_findings = _volunteers(table, columns, skip=problems)
    return volunteers, findings + guard_findings


def ignored_columns(table: Table) -> list[str]:
    """The headers of the columns the tool does not read (身份证号, 备注, …), as written."""
    return [str(header) for header in table.frame.columns if header_key(header) not in KNOWN_HEADERS]


def _no_volunteers(table: Table) -> Finding:
    """A register without a single volunteer is a mistake (a wrong file, rows deleted), never an empty week."""
    if table.header_row:
        return Finding(file=table.file, row=table.header_row + 1, code="input.register.header_only",
                       params={"header_row": table.header_row})
    return Finding(file=table.file, code="input.register.no_volunteers")


# ----------------------------------------------------------------------------- columns


def _match_columns(table: Table) -> tuple[dict[str, int], list[Finding]]:
    """The position of each known column, and findings for missing or doubled columns."""
    positions: dict[str, int] = {}
    findings = []
    headers = list(table.frame.columns)
    for position, header in enumerate(headers):
        name = KNOWN_HEADERS.get(header_key(header))
        if name is None:
            continue
        if name in positions:
            findings.append(_doubled_column(table, name, headers[positions[name]], header))
        else:
            positions[name] = position
    for name in REQUIRED:
        if name not in positions:
            findings.append(Finding(file=table.file, row=table.header_row or None, code="input.register.column_missing",
                                    params={"name": name, "chinese": CHINESE[name]}))
    if "birth_date" not in positions and "age" not in positions:
        findings.append(Finding(file=table.file, row=table.header_row or None, code="input.register.age_missing"))
    return positions, findings


def _doubled_column(table: Table, name: str, first: str, second: str) -> Finding:
    """Two columns that mean the same thing: which one to believe is the coordinator's call."""
    code = "input.register.column_twice" if first == second else "input.register.columns_alike"
    return Finding(file=table.file, row=table.header_row or None, column=second, code=code,
                   params={"first": first, "second": second, "name": name, "chinese": CHINESE[name]})


def _parsers(today: dt.date, around: dt.date | None = None) -> dict[str, Callable[[str], object]]:
    """The parser of each column's normalised text; columns not listed are kept as text."""
    return {
        "name": _name,
        "gender": parse_gender,
        "birth_date": partial(parse_birth_date, today=today),
        "age": parse_age,
        "health": parse_health,
        "teams": parse_tags,
        "skills": parse_tags,
        "roles": parse_tags,
        "availability": parse_availability,
        "unavailable": partial(parse_unavailable, around=around),
        "max_shifts_per_week": parse_count,
        "prefers": parse_tags,
        "avoids": parse_tags,
        "active": parse_active,
    }


def _parse_column(table: Table, position: int, parser: Callable[[str], object]) -> Column:
    """Parse every cell of one column, each distinct text once."""
    raw = table.frame.iloc[:, position].tolist()
    memo: dict[str, Any] = {cell: _parse_cell(parser, cell) for cell in set(raw)}
    values = [memo[cell] for cell in raw]
    bad = {cell for cell, value in memo.items() if isinstance(value, BadValue)}
    problems = {index: memo[cell] for index, cell in enumerate(raw) if cell in bad} if bad else {}
    return Column(header=str(table.frame.columns[position]), raw=raw, values=values, problems=problems)


def _parse_cell(parser: Callable[[str], object], cell: str) -> object:
    """The parsed value of one cell, or the BadValue its parser raised."""
    try:
        return parser(normalize(cell))
    except BadValue as problem:
        return problem


def _text(text: str) -> str:
    return text


_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def _name(text: str) -> str:
    """A name without the spaces registers use to align two-character names (`王  英` -> `王英`)."""
    return _CJK_GAP.sub("", text)


# ----------------------------------------------------------------------------- rows

Problem = tuple[int, Finding]  # a finding and the index of the frame row it is about


def _row_problems(table: Table, columns: dict[str, Column]) -> dict[int, list[Finding]]:
    """Check every column and row; the findings by frame row, left to right within a row.

    The checks run column by column, which is what keeps big registers fast.
    """
    found: dict[int, list[Finding]] = defaultdict(list)
    checks = (_cell_problems, _identity_problems, _age_problems, _partner_problems)
    for index, finding in chain.from_iterable(check(table, columns) for check in checks):
        found[index].append(finding)
    order: dict[str | None, int] = {column.header: position for position, column in enumerate(columns.values())}
    return {index: sorted(found[index], key=lambda f: order[f.column]) for index in sorted(found)}


def _volunteers(table: Table, columns: dict[str, Column], skip: dict[int, list[Finding]]
                ) -> tuple[list[Volunteer], list[Finding]]:
    """A Volunteer from each row without problems."""
    volunteers, findings = [], []
    for index, values in enumerate(zip(*(column.values for column in columns.values()))):
        if index in skip:
            continue
        volunteer, problem = _volunteer(table.file, table.rows[index], dict(zip(columns, values)))
        if problem:
            findings.append(problem)
        else:
            assert volunteer is not None  # a row gives a volunteer or a finding
            volunteers.append(volunteer)
    return volunteers, findings


def _finding(table: Table, column: Column, index: int, code: str, value_is_id: bool = False, **params: Any
             ) -> Problem:
    """A finding about one cell, located by its spreadsheet row and header."""
    finding = Finding(file=table.file, row=table.rows[index], column=column.header, value=column.raw[index],
                      code=code, params=params, value_is_id=value_is_id)
    return index, finding


def _cell_problems(table: Table, columns: dict[str, Column]) -> Iterator[Problem]:
    """The cells whose parser refused them. A health cell is never quoted: what does not parse as a
    fitness level is usually a diagnosis (`高血压`), which no message may repeat."""
    for name, column in columns.items():
        for index, problem in column.problems.items():
            index, finding = _finding(table, column, index, problem.code, **problem.params)
            if name in PRIVATE_COLUMNS:
                finding = replace(finding, value=PRIVATE_COLUMNS[name])
            yield index, finding


def id_key(volunteer_id: str) -> str:
    """An id as people read it: NFKC, case folded, invisible characters removed (`V001`, `v001` and
    `V001` followed by a zero-width space are one id)."""
    return unicodedata.normalize("NFKC", _INVISIBLE.sub("", volunteer_id)).casefold()


# Format characters (zero-width spaces and joiners, the BOM, soft hyphens): they show as nothing.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def _identity_problems(table: Table, columns: dict[str, Column]) -> Iterator[Problem]:
    """An id and a name on every row; each id only once (the later rows are reported). Ids that
    differ only by capitals or invisible characters are the same id to a reader: also refused,
    naming both rows, since the roster would show two people under what looks like one id."""
    if "id" in columns:
        column = columns["id"]
        first_row: dict[str, int] = {}
        first_by_key: dict[str, tuple[int, str]] = {}
        for index, volunteer_id in enumerate(column.values):
            if not volunteer_id:
                yield _finding(table, column, index, "input.register.id_empty")
            elif (invisible := _INVISIBLE.search(volunteer_id)) is not None:
                yield _finding(table, column, index, "input.register.id_invisible", value_is_id=True,
                               character=f"U+{ord(invisible[0]):04X}", before=volunteer_id[:invisible.start()])
            elif volunteer_id in first_row:
                yield _finding(table, column, index, "input.register.id_twice", value_is_id=True,
                               first_row=first_row[volunteer_id])
            elif (first := first_by_key.get(key := id_key(volunteer_id))) is not None:
                yield _finding(table, column, index, "input.register.id_alike", value_is_id=True,
                               other=first[1], first_row=first[0])
            else:
                first_row[volunteer_id] = table.rows[index]
                first_by_key[key] = (table.rows[index], volunteer_id)
    if "name" in columns:
        column = columns["name"]
        for index, name in enumerate(column.values):
            if not name:
                yield _finding(table, column, index, "input.register.name_empty")


def _age_problems(table: Table, columns: dict[str, Column]) -> Iterator[Problem]:
    """A birth date or an age on every row (bad values are reported by their own parsers)."""
    given = [columns[name] for name in ("birth_date", "age") if name in columns]
    if not given:
        return
    for index, values in enumerate(zip(*(column.values for column in given))):
        if all(value is None for value in values):
            yield _finding(table, given[0], index, "input.register.age_empty")


def _partner_problems(table: Table, columns: dict[str, Column]) -> Iterator[Problem]:
    """A partner must be the id of another volunteer in the same register, written as that row writes it.

    The maps of ids and names are built once, whatever the number of bad partners.
    """
    if "partner" not in columns or "id" not in columns:
        return
    column, own_ids = columns["partner"], columns["id"].values
    ids = set(own_ids)
    names: dict[str, str] | None = None
    by_key: dict[str, str] = {}  # built with `names`
    for index, partner in enumerate(column.values):
        if not partner or (partner in ids and partner != own_ids[index]):
            continue
        if names is None:
            names = _ids_by_name(columns)
            by_key = {id_key(volunteer_id): volunteer_id for volunteer_id in reversed(own_ids) if volunteer_id}
        if partner == own_ids[index]:
            yield _finding(table, column, index, "input.register.partner_self")
        elif partner in names:
            yield _finding(table, column, index, "input.register.partner_name", id=names[partner], name=partner)
        elif by_key.get(id_key(partner)) not in (None, own_ids[index]):
            yield _finding(table, column, index, "input.register.partner_alike", id=by_key[id_key(partner)])
        else:
            yield _finding(table, column, index, "input.register.partner_unknown")


def _ids_by_name(columns: dict[str, Column]) -> dict[str, str]:
    """Volunteer ids by name, to suggest the id when a partner is written as a name."""
    if "name" not in columns:
        return {}
    return {name: volunteer_id for name, volunteer_id in zip(columns["name"].values, columns["id"].values) if name}


def _volunteer(file: str, row: int, values: dict[str, object]) -> tuple[Volunteer | None, Finding | None]:
    """A Volunteer from one checked row; absent columns take the model's defaults.

    The column names are the model's field names. The guard only catches what the checks above
    missed, so that bad data never raises.
    """
    for name in ("partner", "phone"):
        values[name] = values.get(name) or None
    try:
        return Volunteer(**values, row=row), None
    except ValidationError as problem:
        message = problem.errors()[0]["msg"]
        return None, Finding(file=file, row=row, code="input.register.row_unusable", params={"problem": message})
