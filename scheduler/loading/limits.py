"""Limits that keep a hostile or damaged input file from costing minutes or gigabytes.

A register, a shifts file or a rules file is small: a few thousand rows, a few dozen entries.
Whatever is far bigger, deeper or stranger than any real one is refused at once with a message
saying what was found and where, instead of being read until the machine runs out of memory:

- files over `MAX_FILE_BYTES` (a generated week of 200,000 volunteers is 25 MB of register and
  14 MB of shifts);
- a workbook whose parts decompress to more than `MAX_UNZIPPED_BYTES` (a "zip bomb"), found by
  streaming the parts, never by trusting the sizes the zip declares;
- a cell longer than `MAX_CELL_CHARACTERS`, in any column, also one the tool ignores;
- YAML/JSON nested deeper than `MAX_DEPTH`, or YAML whose aliases (`*a`) would add more than
  `MAX_ALIAS_VALUES` values to what the file itself writes (the "billion laughs");
- control characters (a vertical tab or NUL pasted from another program), which no cell or key
  needs and which make the workbook writer fail at the very end of a solve.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024  # all parts of a workbook, decompressed (200,000 volunteers: ~200 MB)
MAX_CELL_CHARACTERS = 32 * 1024
MAX_DEPTH = 50  # a shifts file nests 4 levels deep (shifts → entry → require → count)
MAX_ALIAS_VALUES = 100_000  # values YAML aliases may add; a file without aliases adds none
CHUNK = 1024 * 1024

# C0 and C1 control characters and DEL, except tab, line feed and carriage return.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(text: str) -> str | None:
    """The first control character in `text` (other than tab and line breaks), or None."""
    found = CONTROL.search(text)
    return found[0] if found else None


def code(character: str) -> str:
    """`U+000B` for a vertical tab: how the character can be looked up."""
    return f"U+{ord(character):04X}"


def too_big(path: Path, limit: int) -> int | None:
    """The file's size when it is over `limit` bytes, else None."""
    size = path.stat().st_size
    return size if size > limit else None


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


class ZipTooBig(Exception):
    """A workbook part decompresses to more than the cap."""

    def __init__(self, member: str, limit: int):
        super().__init__(member)
        self.member, self.limit = member, limit


def scan_zip(path: Path, limit: int = MAX_UNZIPPED_BYTES, search: dict[str, re.Pattern] | None = None) -> dict[str, bool]:
    """Decompress every part of a zip by streaming, stop past `limit` bytes in all; raise ZipTooBig.

    `search` maps member names to byte patterns; the answer says, for each, whether it occurs
    (a pattern is looked for across chunk borders with a small overlap). Memory stays at one chunk.
    """
    search = search or {}
    found = {name: False for name in search}
    total = 0
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            pattern = search.get(info.filename)
            tail = b""
            with archive.open(info) as member:
                while chunk := member.read(CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise ZipTooBig(info.filename, limit)
                    if pattern is not None and not found[info.filename]:
                        found[info.filename] = pattern.search(tail + chunk) is not None
                        tail = chunk[-64:]
    return found


def document_depth_and_size(root: object, limit_depth: int = MAX_DEPTH, limit_nodes: int = 2**62
                            ) -> tuple[bool, bool]:
    """Whether a parsed document is (too deep, too big), walked without recursion.

    Shared sub-structures (YAML aliases) are counted each time they are reached, as every reader
    of the document would walk them; the walk stops as soon as a limit is passed.
    """
    if _within_limits(root, limit_depth, limit_nodes):  # the common answer, found at a tenth of the cost
        return False, False
    stack = [(root, 1)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if depth > limit_depth:
            return True, False
        if nodes > limit_nodes:
            return False, True
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, (list, tuple)):
            stack.extend((item, depth + 1) for item in value)
    return False, False


def _within_limits(root: object, limit_depth: int, limit_nodes: int) -> bool:
    """Whether no value of a document lies deeper than `limit_depth` and it holds at most
    `limit_nodes` values (each counted each time it is reached), found level by level: each
    container is opened once and its values are counted together, never one by one."""
    containers, depth, nodes = [root], 1, 1
    if limit_depth < 1 or limit_nodes < 1:
        return False
    while containers:
        level: list[object] = []  # every value one level further down
        for value in containers:
            if isinstance(value, dict):
                level.extend(value.keys())
                level.extend(value.values())
            elif isinstance(value, (list, tuple)):
                level.extend(value)
        if not level:
            return True
        depth, nodes = depth + 1, nodes + len(level)
        if depth > limit_depth or nodes > limit_nodes:
            return False
        containers = [value for value in level if isinstance(value, (dict, list, tuple))]
    return True
