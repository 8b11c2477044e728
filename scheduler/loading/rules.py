"""The rules file: limits and weights, every key checked, defaults for what is left out."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from scheduler.errors import Finding
from scheduler.loading.documents import DocumentError, line_of, read_document, unknown_key_findings
from scheduler.models import Rules, Weights

RULE_KEYS = list(Rules.model_fields)
WEIGHT_KEYS = list(Weights.model_fields)


def parse_rules(document: object, file: str) -> tuple[Rules, list[Finding]]:
    """A mapping of rule keys -> Rules; unknown keys and bad values are findings."""
    if document is None:
        return Rules(), []
    if not isinstance(document, dict):
        return Rules(), [Finding(file=file, message="the rules file must be a list of 'key: value' lines",
                                 fix="see the README for an example rules file")]
    findings = unknown_key_findings(document, RULE_KEYS, file, "the rules file")
    weights = document.get("weights")
    if isinstance(weights, dict):
        findings += unknown_key_findings(weights, WEIGHT_KEYS, file, "weights")
    if findings:
        return Rules(), findings
    try:
        return Rules.model_validate(dict(document) | ({"weights": dict(weights)} if isinstance(weights, dict) else {})), []
    except ValidationError as exc:
        return Rules(), [_finding_of(error, document, file) for error in exc.errors()]


def _finding_of(error: dict, document: dict, file: str) -> Finding:
    path = [str(part) for part in error["loc"]]
    key = ".".join(path)
    holder = document.get("weights") if path[0] == "weights" and len(path) > 1 else document
    line = line_of(holder, path[-1])
    value = error.get("input")
    field = (Weights if path[0] == "weights" and len(path) > 1 else Rules).model_fields.get(path[-1])
    default = field.default if field is not None else None
    return Finding(file=file, row=line, column=key, value=value if isinstance(value, (str, int, float)) else None,
                   message=f"{key}: {error['msg'].lower()}",
                   fix=f"write a valid value (the default is {default})" if default is not None else "correct the value")


def load_rules(path: str | Path | None) -> tuple[Rules, list[Finding]]:
    if path is None:
        return Rules(), []
    try:
        document = read_document(path)
    except DocumentError as exc:
        return Rules(), [exc.finding]
    return parse_rules(document, str(path))
