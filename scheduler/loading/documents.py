"""Reading the YAML/JSON files (shifts, rules): line numbers kept, duplicates and typos caught.

PyYAML follows YAML 1.1, where an unquoted `07:00` is the base-60 integer 420 and `2026-12-05`
is a date; the shifts loader turns those back into what the coordinator wrote.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Hashable
from pathlib import Path

import yaml

from scheduler.errors import Finding
from scheduler.loading.encodings import decode


class LineDict(dict):
    """A mapping that remembers the line of each key (1-based) and its own first line."""

    line: int = 0
    key_lines: dict


class DocumentError(Exception):
    def __init__(self, finding: Finding):
        super().__init__(str(finding))
        self.finding = finding


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings are LineDicts and which refuses duplicate keys."""

    def construct_mapping(self, node, deep=False):
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if not isinstance(key, Hashable):
                start, end = key_node.start_mark, key_node.end_mark
                raise DocumentError(Finding(
                    file=self.name, row=line, value=start.buffer[start.index:end.index] if start.buffer else None,
                    message="a list or a group of keys stands before a colon, where a key belongs",
                    fix="write a plain key before the colon and the value after it, e.g. 'days: [Sat]'",
                ))
            if key in mapping:
                raise DocumentError(Finding(
                    file=self.name, row=line, column=str(key), value=str(key),
                    message=f"the key '{key}' appears twice in the same entry (first on line {mapping.key_lines[key]})",
                    fix="keep one of the two lines",
                ))
            mapping[key] = self.construct_object(value_node, deep=deep)
            mapping.key_lines[key] = line
        return mapping


    def construct_yaml_int(self, node):
        # YAML 1.1 reads an unquoted 18:00 as the base-60 number 1080 and 0700 as octal 448; a
        # coordinator meant the text. Plain numbers such as `need: 2` stay numbers.
        text = self.construct_scalar(node)
        if ":" in text or (len(text) > 1 and text.startswith("0") and text[1:2].isdigit()):
            return text
        return super().construct_yaml_int(node)

    def construct_yaml_timestamp(self, node):
        # An impossible date (2026-02-30) is the shifts loader's to report, with its row.
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _LineLoader.construct_yaml_int)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_yaml_timestamp)


def read_document(path: str | Path) -> object:
    """Parse a YAML or JSON file; raise DocumentError with the line of a syntax error."""
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(Finding(file=name, message=f"cannot read the file: {exc.strerror}",
                                    fix="check the path and that the file is not open elsewhere")) from None
    text = decode(raw, guess=False)
    if text is None:
        raise DocumentError(Finding(file=name, message="the file is not text (UTF-8, GB18030 or UTF-16)",
                                    fix="save it as UTF-8 text"))
    if path.suffix.lower() in {".yaml", ".yml"}:
        for number, line in enumerate(text.splitlines(), start=1):
            if "\t" in line[: len(line) - len(line.lstrip())]:
                raise DocumentError(Finding(file=name, row=number, message="YAML does not allow tab characters for indenting",
                                            fix="replace the tabs at the start of that line with spaces"))
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text, object_pairs_hook=_json_mapping(name))
        except json.JSONDecodeError as exc:
            raise DocumentError(Finding(file=name, row=exc.lineno, message=f"the JSON is malformed: {exc.msg}",
                                        fix="check the brackets, quotes and commas near that line")) from None
    loader = None
    try:
        loader = _LineLoader(text)  # refuses control characters (a form feed pasted from Word) at once
        loader.name = name
        return loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        raise DocumentError(Finding(file=name, row=text.count("\n", 0, exc.position) + 1,
                                    message=f"this line holds an invisible control character ({_code(exc.character)})",
                                    fix="retype the line, or delete the character (a page break or another "
                                        "special character pasted from elsewhere)")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if "'\\t'" in problem:  # an invisible tab pasted from Excel: say so, not "malformed"
            raise DocumentError(Finding(file=name, row=mark.line + 1 if mark else None,
                                        message="a tab character stands on this line",
                                        fix="replace the tab with a space")) from None
        raise DocumentError(Finding(file=name, row=mark.line + 1 if mark else None,
                                    message=f"the YAML is malformed: {problem}",
                                    fix="check the indentation and the colons near that line")) from None
    finally:
        if loader is not None:
            loader.dispose()


def _code(character: object) -> str:
    """`#x000c` for a form feed, as Unicode tables name characters."""
    return f"#x{ord(character) if isinstance(character, str) else character:04x}"


def _json_mapping(name: str):
    def build(pairs):
        mapping = LineDict()
        mapping.key_lines = {}
        for key, value in pairs:
            if key in mapping:
                raise DocumentError(Finding(file=name, column=key, value=key,
                                            message=f"the key '{key}' appears twice in the same object",
                                            fix="keep one of the two"))
            mapping[key] = value
        return mapping
    return build


def line_of(mapping: object, key: str | None = None) -> int | None:
    """The line of `key` in a mapping read by read_document (or of the mapping itself)."""
    if not isinstance(mapping, LineDict):
        return None
    if key is not None and key in getattr(mapping, "key_lines", {}):
        return mapping.key_lines[key]
    return mapping.line or None


def unknown_key_findings(mapping: dict, known: list[str], file: str, where: str) -> list[Finding]:
    """A typo such as `min_femal` is an error that names the nearest valid key, never ignored."""
    findings = []
    for key in mapping:
        if key in known:
            continue
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        fix = f"did you mean '{close[0]}'?" if close else "valid keys: " + ", ".join(known)
        findings.append(Finding(file=file, row=line_of(mapping, key), column=str(key),
                                message=f"unknown key '{key}' in {where}", fix=fix))
    return findings
