"""The rules file: limits and weights, every key checked, defaults for what is left out."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from scheduler.domain.errors import Finding, Phrase
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
        return Rules(), [Finding(file=file, code="input.rules.not_a_mapping")]
    findings = unknown_key_findings(document, RULE_KEYS, file, Phrase("input.where.rules"))
    known = {key: value for key, value in document.items() if key in RULE_KEYS}
    weights = document.get("weights")
    if isinstance(weights, dict):
        findings += unknown_key_findings(weights, WEIGHT_KEYS, file, Phrase("input.where.weights"))
        known["weights"] = {key: value for key, value in weights.items() if key in WEIGHT_KEYS}
    elif weights is None:
        known.pop("weights", None)  # 'weights:' with every line commented out: the defaults
    else:
        findings.append(Finding(file=file, row=line_of(document, "weights"), column="weights",
                                code="input.rules.weights_not_a_mapping"))
        known.pop("weights")
    for key in TEXT_KEYS:
        if key in known:
            known[key] = _text_of(known[key])
    for key, value in list(known.items()) + [(f"weights.{k}", v) for k, v in known.get("weights", {}).items()]:
        if isinstance(value, bool) and key not in YES_NO_KEYS:
            holder = weights if key.startswith("weights.") else document
            findings.append(Finding(file=file, row=line_of(holder, key.rpartition(".")[2]), column=key, value=str(value),
                                    code="input.rules.yes_no", params={"key": key}))
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
    params: dict[str, object] = {"key": key, "default": default}
    if key == "language":
        code = "input.rules.language"
    elif kind == "bool_parsing" or kind == "bool_type":
        code = "input.rules.yes_or_no"
    elif kind == "string_too_long":
        code, params["most"] = "input.rules.too_long", context.get("max_length")
    elif kind == "string_type":
        code = "input.rules.not_text"
    elif kind == "literal_error":  # a choice such as hours_rounding: nearest, down or up
        code, params["expected"] = "input.rules.choice", context.get("expected")
    elif kind == "int_from_float":
        code = "input.rules.whole"
    elif kind in ("greater_than_equal", "greater_than"):
        code, params["least"] = "input.rules.at_least", context.get("ge", context.get("gt"))
    elif kind in ("less_than_equal", "int_parsing_size", "finite_number") and field is not None:
        params["low"], params["high"] = _bounds(field)
        code = "input.rules.at_most" if kind != "finite_number" else "input.rules.between"
        if in_weights:
            code += "_weight"
    else:
        code = "input.rules.number"
    return Finding(file=file, row=line_of(holder, key), column=".".join(path),
                   value=value if isinstance(value, (str, int, float)) else None, code=code, params=params)


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
