"""The community folders: `DATA/communities/<id>/` in exactly the layout the command line reads.

An upload is checked on its own (readable, columns, values) before it replaces anything: it is
written to a scratch folder inside the community's, checked there, then moved into place with
one rename, and only then is an earlier file of the same kind in another format removed.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from scheduler.domain.errors import Finding
from scheduler.io.writers import OUTPUT_FILES
from scheduler.loading import RULE_FILES, SHIFT_FILES, VOLUNTEER_FILES
from scheduler.loading.folder import LOCKS_FILES
from scheduler.loading.locks import COLUMNS as LOCK_COLUMNS
from scheduler.loading.rules import load_rules
from scheduler.loading.shifts import load_shifts
from scheduler.loading.tables import header_key, read_table
from scheduler.loading.volunteers import parse_volunteers

KINDS = {"volunteers": VOLUNTEER_FILES, "shifts": SHIFT_FILES, "rules": RULE_FILES, "locks": LOCKS_FILES}
WEEK_FILES = OUTPUT_FILES + ("changes.csv",)
COMMUNITY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
WEEK_LABEL = re.compile(r"\d{4}-W\d{2}")
MEDIA_TYPES = {".csv": "text/csv; charset=utf-8", ".json": "application/json", ".yaml": "application/yaml",
               ".yml": "application/yaml", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def kind_of(name: str) -> str | None:
    """`volunteers`, `shifts`, `rules` or `locks` for a file name the community folder may hold."""
    return next((kind for kind, names in KINDS.items() if name in names), None)


def community_dir(data: Path, community: str) -> Path:
    return Path(data) / "communities" / community


def media_type(name: str) -> str:
    return MEDIA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")


def check_file(path: Path) -> list[Finding]:
    """The findings of one input file read on its own, as `roster validate` words them."""
    kind = kind_of(path.name)
    if kind == "volunteers":
        return parse_volunteers(read_table(path))[1]
    if kind == "shifts":
        return load_shifts(path)[1]
    if kind == "rules":
        return load_rules(path)[1]
    return _check_locks(path)


def _check_locks(path: Path) -> list[Finding]:
    """A locks file alone: readable, with a volunteer and a shift column (the rest needs the register)."""
    table = read_table(path)
    if table.findings:
        return table.findings
    headers = {header_key(h) for h in table.frame.columns}
    return [Finding(file=table.file, row=1, column=key, message=f"the locks file has no '{key}' column",
                    fix="give the columns volunteer and shift (志愿者编号, 班次)")
            for key, aliases in LOCK_COLUMNS.items() if not any(header_key(a) in headers for a in aliases)]


def store(folder: Path, name: str, content: bytes) -> tuple[str, list[Finding]]:
    """Check `content` as the file `name` and, when it has no findings, make it the community's file.

    Returns the SHA-256 and the findings (paths shown relative to the community folder); with
    findings nothing changes.
    """
    folder.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".upload-", dir=folder))
    try:
        staged = scratch / name
        staged.write_bytes(content)
        findings = [relative(f, scratch) for f in check_file(staged)]
        if findings:
            return "", findings
        os.replace(staged, folder / name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    kind = kind_of(name)
    assert kind is not None, name  # the routes take only the names a community folder may hold
    for other in KINDS[kind]:
        if other != name and (folder / other).exists():
            (folder / other).unlink()
    return hashlib.sha256(content).hexdigest(), []


def relative(finding: Finding, folder: Path) -> Finding:
    """The finding with its file named within the community folder (`volunteers.csv`), never a server path."""
    text = str(finding.file)
    for base in {str(folder), str(Path(folder).resolve())}:
        if text == base:
            return replace(finding, file=".")
        if text.startswith(base + os.sep):
            return replace(finding, file=text[len(base) + 1:])
    return finding

