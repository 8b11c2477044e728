"""Loading a problem: from a folder, from files one by one, or from Python objects and DataFrames.

Every input is read in full and every problem collected before anything is raised, so that a
coordinator fixes all mistakes in one go.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import TypeAlias

import pandas as pd

from scheduler.domain import collector
from scheduler.domain.errors import Finding, InputError
from scheduler.domain.models import PlanningWeek, Problem, Rules, ShiftDefinition, Source, Volunteer, expand
from scheduler.loading.documents import control_findings
from scheduler.loading.kept import notes as register_notes
from scheduler.loading.rules import load_rules, parse_rules
from scheduler.loading.shifts import load_shifts, parse_shifts
from scheduler.loading.tables import (
    OLD_EXCEL,
    read_table,
    table_from_frame,
    table_from_records,
)
from scheduler.loading.values import BadValue, parse_date
from scheduler.loading.volunteers import ignored_columns, parse_volunteers

VOLUNTEER_FILES = ("volunteers.csv", "volunteers.xlsx", "volunteers.json")
SHIFT_FILES = ("shifts.yaml", "shifts.yml", "shifts.json")
RULE_FILES = ("rules.yaml", "rules.yml", "rules.json")

VolunteersInput: TypeAlias = str | Path | pd.DataFrame | list
ShiftsInput = str | Path | list | dict
RulesInput = str | Path | dict | Rules | None


def find_inputs(folder: str | Path, given: frozenset[str] = frozenset()) -> dict[str, Path | None]:
    """The register, shifts and rules files of a problem folder (rules may be absent).

    Inputs named in `given` were passed one by one and need not be in the folder.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError([Finding(file=str(folder), code="input.folder.missing")])
    found: dict[str, Path | None] = {}
    findings = []
    for key, names, required in (("volunteers", VOLUNTEER_FILES, True), ("shifts", SHIFT_FILES, True),
                                 ("rules", RULE_FILES, False)):
        if key in given:
            found[key] = None
            continue
        present = [folder / name for name in names if (folder / name).is_file()]
        found[key] = present[0] if present else None
        old_excel = [folder / f"volunteers{suffix}" for suffix in OLD_EXCEL if key == "volunteers"]
        old_excel = [path for path in old_excel if path.is_file()]
        if required and not present and old_excel:  # saved as .xls: say so, not "no volunteers file"
            findings.append(Finding(file=str(old_excel[0]), code="input.register.old_excel"))
        elif required and not present:
            findings.append(Finding(file=str(folder), code=f"input.folder.no_{key}", params={"names": ", ".join(names)}))
        if len(present) > 1:
            findings.append(Finding(file=str(folder), code=f"input.folder.several_{key}",
                                    params={"names": ", ".join(p.name for p in present)}))
    if findings:
        raise InputError(findings)
    return found


_LANGUAGE_LINE = re.compile(r"""^\s*["']?language["']?\s*:\s*["']?\s*(zh|en)\b""", re.IGNORECASE | re.MULTILINE)


def rules_language(problem_dir: str | Path | None = None, rules: str | Path | None = None) -> str:
    """The language a problem's messages are shown in: the rules file's `language` (`rules`, else the
    folder's rules file). A rules file that cannot be read still gives its `language:` line when it
    has one; otherwise the rules' default (zh). Never raises."""
    path = Path(rules) if rules is not None else None
    if path is None and problem_dir is not None:
        path = next((Path(problem_dir) / name for name in RULE_FILES if (Path(problem_dir) / name).is_file()), None)
    if path is None or not path.is_file():
        return Rules().language
    loaded, findings = load_rules(path)
    if not findings:
        return loaded.language
    try:
        found = _LANGUAGE_LINE.search(path.read_bytes()[:1_000_000].decode("utf-8", errors="replace"))
    except OSError:
        found = None
    return found[1].lower() if found else Rules().language


def resolve_week(week: str | PlanningWeek | None, today: dt.date | None = None) -> PlanningWeek:
    """The planned ISO week; by default the week after today's. A date means the week it falls in."""
    if isinstance(week, PlanningWeek):
        return week
    if week is None:
        return PlanningWeek.after(today or dt.date.today())
    text = str(week).strip()
    try:
        return _in_years(PlanningWeek.parse(text), week)
    except ValueError:
        pass
    if re.fullmatch(r"\d{4}\s*[-/.年]\s*\d.*", text):
        try:
            day = parse_date(text)
        except BadValue as exc:
            code = "input.week.impossible" if exc.code == "input.value.date_impossible" else "input.week.not_a_date"
            raise InputError([Finding(file="--week", value=week, code=code)]) from None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise _out_of_years(week)
        return PlanningWeek.containing(day)
    year, _, number = text.upper().replace("-", "").partition("W")
    if year.isdigit() and number.isdigit() and int(number) == 53:
        raise InputError([Finding(file="--week", value=week, code="input.week.no_53", params={"year": year})])
    raise InputError([Finding(file="--week", value=week, code="input.week.not_a_week")])


FIRST_YEAR, LAST_YEAR = 2000, 2199  # weeks far outside these have no dates around them (0001-W01, 9999-W52)


def _in_years(planned: PlanningWeek, written: object) -> PlanningWeek:
    if not FIRST_YEAR <= planned.year <= LAST_YEAR:
        raise _out_of_years(written)
    return planned


def _out_of_years(written: object) -> InputError:
    return InputError([Finding(file="--week", value=str(written), code="input.week.years",
                               params={"first": FIRST_YEAR, "last": LAST_YEAR})])


@collector.paused()  # a register and its shifts: long-lived objects without cycles (see collector)
def load_problem(
    folder: str | Path | None = None,
    *,
    volunteers: VolunteersInput | None = None,
    shifts: ShiftsInput | None = None,
    rules: RulesInput = None,
    week: str | PlanningWeek | None = None,
    today: dt.date | None = None,
    sheet: str | None = None,
) -> Problem:
    """Load and validate a problem; raise InputError listing every problem found.

    Files given one by one override the folder's. Each of `volunteers`, `shifts` and `rules` may
    also be Python data: a DataFrame or a list of dicts (or of Volunteer), a list of shift dicts
    (or ShiftDefinition), a dict of rules (or Rules). A workbook register is read from the sheet
    named `sheet`, else from the sheet of the planned month (`12月`), else from its first sheet.
    Dates without a year in 不可服务日期 (`12月10日`) are read in the year nearest the planned week.
    """
    try:
        planned, week_findings = resolve_week(week, today), []
    except InputError as exc:  # reported together with the files' problems
        planned, week_findings = PlanningWeek.after(today or dt.date.today()), exc.findings
    if folder is not None:
        given = frozenset(name for name, value in (("volunteers", volunteers), ("shifts", shifts), ("rules", rules))
                          if value is not None)
        files = find_inputs(folder, given)
        volunteers = volunteers if volunteers is not None else files["volunteers"]
        shifts = shifts if shifts is not None else files["shifts"]
        rules = rules if rules is not None else files["rules"]
    missing = [name for name, value in (("volunteers", volunteers), ("shifts", shifts)) if value is None]
    if missing:
        raise InputError([Finding(file="(inputs)", code=f"input.folder.not_given_{name}") for name in missing])
    assert volunteers is not None and shifts is not None
    rule_set, sources_r, rule_findings = _rules(rules)
    people, sources_v, findings, notes = _volunteers(volunteers, planned, sheet)
    definitions, sources_s, shift_findings = _shifts(shifts)
    findings = week_findings + findings + shift_findings + rule_findings
    if findings:
        raise InputError(findings, warnings=notes)  # which sheet was read, which rows were skipped
    sources = {"volunteers": sources_v, "shifts": sources_s, "rules": sources_r}
    return Problem(week=planned, volunteers=tuple(people), definitions=tuple(definitions),
                   shifts=expand(definitions, planned), rules=rule_set, sources=sources, notes=tuple(notes))


def _source(value: object, label: str) -> Source:
    """The input's path (or a label for Python data) and the SHA-256 of its bytes."""
    if isinstance(value, (str, Path)) and Path(value).is_file():
        return Source(path=str(value), sha256=hashlib.sha256(Path(value).read_bytes()).hexdigest())
    if isinstance(value, pd.DataFrame):
        data = value.to_json(orient="records", force_ascii=False, date_format="iso")
    else:
        data = json.dumps(value, default=_plain, sort_keys=True, ensure_ascii=False)
    return Source(path=label, sha256=hashlib.sha256(data.encode()).hexdigest())


def _plain(value: object) -> object:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return str(value)


def _volunteers(value: VolunteersInput, week: PlanningWeek, sheet: str | None
                ) -> tuple[list[Volunteer], Source, list[Finding], list[Finding]]:
    """The volunteers, their source, the findings (errors) and the notes (warnings) of the register."""
    if isinstance(value, list) and value and all(isinstance(v, Volunteer) for v in value):
        return list(value), _source(value, "<Volunteer objects>"), [], []
    if isinstance(value, pd.DataFrame):
        table = table_from_frame(value)
    elif isinstance(value, list):
        table = table_from_records(value)
    else:
        table = read_table(value, sheet=sheet, month=week_months(week))
    people, findings = parse_volunteers(table, week=week)  # the table's own findings first, then every row's
    return people, _source(value, table.file), findings, register_notes(table, ignored_columns(table))


def week_months(week: PlanningWeek) -> tuple[int, tuple[int, ...]]:
    """The year and months of a week, the month of its Thursday first (the ISO rule for whose week it is)."""
    thursday = week.dates[3]
    return thursday.year, tuple(dict.fromkeys([thursday.month] + [day.month for day in week.dates]))


def _shifts(value: ShiftsInput) -> tuple[list[ShiftDefinition], Source, list[Finding]]:
    if isinstance(value, list) and value and all(isinstance(d, ShiftDefinition) for d in value):
        return list(value), _source(value, "<ShiftDefinition objects>"), []
    if isinstance(value, (list, dict)):
        definitions, findings = parse_shifts(value, "<shifts data>")
        return definitions, _source(value, "<shifts data>"), control_findings(value, "<shifts data>") + findings
    definitions, findings = load_shifts(value)
    return definitions, _source(value, str(value)), findings


def _rules(value: RulesInput) -> tuple[Rules, Source, list[Finding]]:
    if isinstance(value, Rules):
        return value, _source(value, "<Rules object>"), []
    if value is None:
        return Rules(), Source(path="(defaults)"), []
    if isinstance(value, dict):
        rule_set, findings = parse_rules(value, "<rules data>")
        return rule_set, _source(value, "<rules data>"), control_findings(value, "<rules data>") + findings
    rule_set, findings = load_rules(value)
    return rule_set, _source(value, str(value)), findings
