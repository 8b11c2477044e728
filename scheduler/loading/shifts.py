"""The shifts file: posts and activities, checked entry by entry, every problem reported."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from scheduler.domain.clock import parse_clock
from scheduler.domain.errors import Finding, Phrase
from scheduler.domain.ids import SHIFT_ID_SEPARATOR
from scheduler.domain.models import Health, ShiftDefinition
from scheduler.loading.documents import DocumentError, line_of, read_document, unknown_key_findings
from scheduler.loading.values import BadValue
from scheduler.loading.weekdays import parse_weekdays

SHIFT_KEYS = [
    "id", "name", "kind", "post", "teams", "days", "dates", "start", "end", "need", "max",
    "min_age", "max_age", "min_health", "min_female", "min_male", "require",
]
HEALTH_WORDS = {"good": "good", "fair": "fair", "poor": "poor", "良好": "good", "一般": "fair", "较差": "poor"}
COUNT_KEYS = ("need", "max", "min_age", "max_age", "min_female", "min_male")
NOT_A_NUMBER = (".nan", "nan")  # YAML's and JSON's NaN, kept as the text written
MAX_SEATS = 1000  # more people than this on one shift is surely a typo (need 10,000)


class _Entry:
    """One shift entry being read: its raw mapping and the findings it produced."""

    def __init__(self, raw: dict, file: str, index: int):
        self.raw, self.file = raw, file
        self.label = Phrase("input.where.entry", {"n": index + 1}) if _blank(raw.get("id")) else \
            Phrase("input.where.shift", {"id": raw.get("id")})
        self.findings: list[Finding] = []

    def error(self, key: str, code: str, **params: object) -> None:
        """A finding about `key` of this entry; its words start with the entry's name (`{shift}`)."""
        self.findings.append(Finding(file=self.file, row=line_of(self.raw, key), column=key,
                                     value=_show(self.raw.get(key)), code=code,
                                     params={"shift": self.label, "key": key, **params}))


def _show(value: object) -> object:
    return None if _blank(value) else (value if isinstance(value, (str, int, float)) else str(value))


def _blank(value: object) -> bool:
    """Absent, empty, or NaN (how pandas hands over an empty cell)."""
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))

parse_time = parse_clock


def _parse_count(entry: _Entry, key: str, default: int | None) -> int | None:
    value = entry.raw.get(key)
    if _blank(value):
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        entry.error(key, "input.shift.not_whole")
        return default
    try:
        number = float(str(value).strip())
    except (ValueError, OverflowError):
        entry.error(key, "input.shift.nan" if str(value).strip().lower() in NOT_A_NUMBER else "input.shift.not_whole")
        return default
    if not math.isfinite(number):  # .inf, 1e400
        entry.error(key, "input.shift.nan_number" if math.isnan(number) else "input.shift.infinite")
        return default
    if number != int(number) or number < 0:
        entry.error(key, "input.shift.negative")
        return default
    if number > MAX_SEATS:
        shown = int(number) if number < 1e9 else value
        entry.error(key, "input.shift.too_many", n=shown, most=MAX_SEATS)
        return default
    return int(number)


def _parse_list(value: object) -> list:
    if _blank(value):
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [part.strip() for part in str(value).replace("；", ";").replace("、", ";").replace(",", ";").split(";") if part.strip()]


LIST_KEYS = {"days": "[Mon, Tue]", "dates": "[2026-12-05]", "teams": "[civility]"}


def _nested_lists(entry: _Entry) -> set[str]:
    """The list keys (days, dates, teams) holding a list or a mapping as an item: an error each, and
    they are read no further (their text could be huge: nesting multiplies it)."""
    nested = set()
    for key, example in LIST_KEYS.items():
        value = entry.raw.get(key)
        if isinstance(value, (list, tuple)) and any(isinstance(item, (list, tuple, dict)) for item in value):
            entry.error(key, "input.shift.nested", example=example)
            nested.add(key)
    return nested


def _parse_dates(entry: _Entry) -> tuple[dt.date, ...]:
    dates = []
    for item in _parse_list(entry.raw.get("dates")):
        if isinstance(item, dt.datetime):
            item = item.date()
        if isinstance(item, dt.date):
            dates.append(item)
            continue
        try:
            dates.append(dt.date.fromisoformat(str(item).strip()))
        except ValueError:
            entry.error("dates", "input.shift.not_a_date", text=item)
    return tuple(dates)


def _parse_require(entry: _Entry) -> dict[str, int]:
    raw = entry.raw.get("require")
    if _blank(raw) or raw == {}:
        return {}
    if not isinstance(raw, dict):
        entry.error("require", "input.shift.require")
        return {}
    require = {}
    for tag, count in raw.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            entry.error("require", "input.shift.require_count", tag=tag)
        elif count:
            require[str(tag).strip()] = count
    return require


def _text(raw: dict, key: str) -> str:
    value = raw.get(key)
    return "" if _blank(value) else str(value).strip()


def parse_shift(raw: object, file: str, index: int) -> tuple[ShiftDefinition | None, list[Finding]]:
    """One entry of the `shifts:` list -> a definition, or None and the reasons why not."""
    if not isinstance(raw, dict):
        return None, [Finding(file=file, row=line_of(raw), value=_show(raw), code="input.shift.not_an_entry",
                              params={"n": index + 1})]
    entry = _Entry(raw, file, index)
    entry.findings.extend(unknown_key_findings(raw, SHIFT_KEYS, file, entry.label))
    shift_id = "" if _blank(raw.get("id")) else str(raw.get("id")).strip()
    if not shift_id:
        entry.error("id", "input.shift.id_missing")
    elif SHIFT_ID_SEPARATOR in shift_id:
        entry.error("id", "input.shift.id_at")
    start, end = parse_time(raw.get("start")), parse_time(raw.get("end"))
    for key, value in (("start", start), ("end", end)):
        if value is None:
            entry.error(key, "input.shift.not_a_time")
    if start == 24 * 60:
        entry.error("start", "input.shift.start_24")
        start = None
    if start is not None and end is not None and start % 1440 == end % 1440:
        entry.error("end", "input.shift.no_length")
    nested = _nested_lists(entry)
    days: frozenset[int] = frozenset()
    try:
        days = frozenset() if "days" in nested else parse_weekdays(_parse_list(raw.get("days")))
    except BadValue as exc:
        entry.error("days", exc.code, **exc.params)
    dates = () if "dates" in nested else _parse_dates(entry)
    if not days and not dates and not any(f.column in ("days", "dates") for f in entry.findings):
        entry.error("days", "input.shift.no_days")
    counts = {key: _parse_count(entry, key, None) for key in COUNT_KEYS}
    need = counts["need"]
    if need is None and _blank(raw.get("need")) and not any(f.column == "need" for f in entry.findings):
        entry.error("need", "input.shift.need_missing")
    most = counts["max"] if counts["max"] is not None else need
    if need is not None and most is not None and need > most:
        entry.error("max", "input.shift.need_above_max", need=need, most=most)
    gender_min = (counts["min_female"] or 0) + (counts["min_male"] or 0)
    if most is not None and gender_min > most:
        entry.error("min_female", "input.shift.genders_above_max", n=gender_min, most=most)
    if counts["min_age"] is not None and counts["max_age"] is not None and counts["min_age"] > counts["max_age"]:
        entry.error("max_age", "input.shift.ages", low=counts["min_age"], high=counts["max_age"])
    min_health = None
    if not _blank(raw.get("min_health")):
        min_health = HEALTH_WORDS.get(str(raw["min_health"]).strip().lower())
        if min_health is None:
            entry.error("min_health", "input.shift.min_health")
    require = _parse_require(entry)
    if entry.findings or need is None or start is None or end is None:  # no time without a finding
        return None, entry.findings
    return ShiftDefinition(
        id=shift_id, name=_text(raw, "name") or shift_id, kind=_text(raw, "kind"), post=_text(raw, "post"),
        teams=frozenset(str(t).strip() for t in _parse_list(raw.get("teams"))),  # flat: checked above
        days=days, dates=dates, start=start, end=end % 1440, need=need, max=most,
        min_age=counts["min_age"], max_age=counts["max_age"],
        min_health=Health(min_health) if min_health else None,
        min_female=counts["min_female"] or 0, min_male=counts["min_male"] or 0, require=require,
        line=line_of(raw),
    ), []


def parse_shifts(document: object, file: str) -> tuple[list[ShiftDefinition], list[Finding]]:
    """The whole shifts document: a list under `shifts:` (or a bare list)."""
    entries = document.get("shifts") if isinstance(document, dict) else document
    findings = unknown_key_findings(document, ["shifts"], file, Phrase("input.where.shifts")) \
        if isinstance(document, dict) else []
    if not isinstance(entries, list) or not entries:
        return [], findings + [Finding(file=file, code="input.shift.none")]
    definitions: list[ShiftDefinition] = []
    first_line: dict[str, int | None] = {}
    for index, raw in enumerate(entries):
        definition, problems = parse_shift(raw, file, index)
        findings.extend(problems)
        if definition is None:
            continue
        if definition.id in first_line:
            findings.append(Finding(file=file, row=definition.line, column="id", value=definition.id,
                                    code="input.shift.id_twice",
                                    params={"id": definition.id, "first_line": first_line[definition.id]}))
            continue
        first_line[definition.id] = definition.line
        definitions.append(definition)
    return definitions, findings


def load_shifts(path: str | Path) -> tuple[list[ShiftDefinition], list[Finding]]:
    try:
        document = read_document(path)
    except DocumentError as exc:
        return [], [exc.finding]
    return parse_shifts(document, str(path))
