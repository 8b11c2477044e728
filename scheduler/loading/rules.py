"""The rules file: limits and weights, every key checked, defaults for what is left out."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from scheduler.domain.errors import Finding
from scheduler.domain.models import Rules, Weights
from scheduler.loading.documents import DocumentError, line_of, read_document, unknown_key_findings

RULE_KEYS = list(Rules.model_fields)
WEIGHT_KEYS = list(Weights.model_fields)
TEXT_KEYS = ("committee", "duty_table_title", "contact", "notice_template", "notice_changed_template")
"""Rules that are words for the printed table and the notices: a number written there is kept as text."""
YES_NO_KEYS = ("duty_table_per_team",)


def parse_rules(document: object, file: str) -> tuple[Rules, list[Finding]]:
    """A mapping of rule keys -> Rules; unknown keys and bad values are all findings, in one go."""
    if document is None:
        return Rules(), []
    if not isinstance(document, dict):
        return Rules(), [Finding(file=file, message="the rules are not written as 'key: value' lines",
                                 fix="put a space after each colon and no '-' in front, e.g. 'max_shifts_per_day: 1'")]
    findings = unknown_key_findings(document, RULE_KEYS, file, "the rules file")
    known = {key: value for key, value in document.items() if key in RULE_KEYS}
    weights = document.get("weights")
    if isinstance(weights, dict):
        findings += unknown_key_findings(weights, WEIGHT_KEYS, file, "weights")
        known["weights"] = {key: value for key, value in weights.items() if key in WEIGHT_KEYS}
    elif weights is None:
        known.pop("weights", None)  # 'weights:' with every line commented out: the defaults
    else:
        findings.append(Finding(file=file, row=line_of(document, "weights"), column="weights",
                                message="weights must be 'name: number' lines under 'weights:'",
                                fix="indent lines such as 'fairness: 10' below 'weights:'"))
        known.pop("weights")
    for key in TEXT_KEYS:
        if key in known:
            known[key] = _text_of(known[key])
    for key, value in list(known.items()) + [(f"weights.{k}", v) for k, v in known.get("weights", {}).items()]:
        if isinstance(value, bool) and key not in YES_NO_KEYS:
            holder = weights if key.startswith("weights.") else document
            findings.append(Finding(file=file, row=line_of(holder, key.rpartition(".")[2]), column=key, value=str(value),
                                    message=f"{key} must be a number, not yes/no", fix="write a number such as 3"))
    if isinstance(known.get("language"), str):
        known["language"] = known["language"].strip().lower()
    try:
        rules = Rules.model_validate(known)
    except ValidationError as exc:
        return Rules(), findings + [_finding_of(error, document, file) for error in exc.errors()]
    return (Rules(), findings) if findings else (rules, [])


def _text_of(value: object) -> object:
    """A text rule as written: `contact: 65432100` is the text 65432100, an empty entry is empty."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else value


def _finding_of(error: ErrorDetails, document: dict, file: str) -> Finding:
    """A pydantic error in words a coordinator can act on."""
    path = [str(part) for part in error["loc"]]
    in_weights = path[0] == "weights" and len(path) > 1
    key = path[-1]
    holder = document.get("weights") if in_weights else document
    value = error.get("input")
    field = (Weights if in_weights else Rules).model_fields.get(key)
    default = field.default if field is not None else None
    kind, context = error["type"], error.get("ctx", {})
    if key == "language":
        message, fix = "language must be zh (中文) or en (English)", "write language: zh or language: en"
    elif kind == "bool_parsing" or kind == "bool_type":
        message, fix = f"{key} must be yes or no", f"write {key}: true or {key}: false"
    elif kind == "string_too_long":
        message, fix = f"{key} is too long", f"keep it under {context.get('max_length')} characters"
    elif kind == "string_type":
        message, fix = f"{key} must be a line of text", f"write it on one line after '{key}: '"
    elif kind == "literal_error":  # a choice such as hours_rounding: nearest, down or up
        message, fix = f"{key} must be {context.get('expected')}", f"the default is {default}"
    elif kind == "int_from_float":
        message, fix = f"{key} must be a whole number", f"write a whole number such as {default}"
    elif kind in ("greater_than_equal", "greater_than"):
        message, fix = f"{key} must be {context.get('ge', context.get('gt'))} or more", f"the default is {default}"
    elif kind in ("less_than_equal", "int_parsing_size", "finite_number") and field is not None:
        low, high = _bounds(field)
        message = f"{key} must be {high} or less" if kind != "finite_number" else f"{key} must be a number from {low} to {high}"
        fix = f"write a number from {low} to {high}; the default is {default}"
        if in_weights:
            fix += "; weights are relative, so 1000 already puts a goal a thousand times above another"
    else:
        message, fix = f"{key} must be a number such as {default}", f"write digits only, e.g. {default}"
    return Finding(file=file, row=line_of(holder, key), column=".".join(path),
                   value=value if isinstance(value, (str, int, float)) else None, message=message, fix=fix)


def _bounds(field) -> tuple[object, object]:
    """The lowest and highest value a Rules or Weights field allows, as a coordinator writes them (168, not 168.0)."""
    low = next((m.ge for m in field.metadata if getattr(m, "ge", None) is not None), 0)
    high = next((m.le for m in field.metadata if getattr(m, "le", None) is not None), None)
    low, high = (int(b) if isinstance(b, float) and b.is_integer() else b for b in (low, high))
    return low, high


def load_rules(path: str | Path | None) -> tuple[Rules, list[Finding]]:
    if path is None:
        return Rules(), []
    try:
        document = read_document(path)
    except DocumentError as exc:
        return Rules(), [exc.finding]
    return parse_rules(document, str(path))
