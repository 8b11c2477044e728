"""Reading the YAML/JSON files (shifts, rules): line numbers kept, duplicates and typos caught.

PyYAML follows YAML 1.1, where an unquoted `07:00` is the base-60 integer 420 and `2026-12-05`
is a date; the shifts loader turns those back into what the coordinator wrote.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from scheduler.domain.errors import Finding
from scheduler.loading.encodings import decode
from scheduler.loading.limits import (
    CONTROL,
    CONTROL_FIX,
    MAX_ALIAS_VALUES,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    code,
    control_character,
    document_depth_and_size,
    size_text,
    too_big,
)


class LineDict(dict):
    """A mapping that remembers the line of each key (1-based) and its own first line."""

    line: int = 0
    key_lines: dict


class DocumentError(Exception):
    def __init__(self, finding: Finding):
        super().__init__(str(finding))
        self.finding = finding


try:  # libyaml scans and parses ~10 times faster than Python; composing and constructing stay in Python
    from yaml._yaml import CParser as _Parser
except ImportError:  # PyYAML built without libyaml
    _Parser = None

_PARTS = (yaml.composer.Composer, yaml.constructor.SafeConstructor, yaml.resolver.Resolver)
_Base: Any = type("_Base", _PARTS + ((_Parser,) if _Parser is not None else
                                (yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser)), {})


def _start(loader, stream) -> None:
    """Set up the parts of a loader made of Python's composer over libyaml's (or Python's) parser."""
    if _Parser is not None:
        _Parser.__init__(loader, stream)
    else:
        yaml.reader.Reader.__init__(loader, stream)
        yaml.scanner.Scanner.__init__(loader)
        yaml.parser.Parser.__init__(loader)
    for part in _PARTS:
        part.__init__(loader)


def _too_deep(name: str, row: int | None) -> Finding:
    return Finding(file=name, row=row, message=f"the file nests lists or keys more than {MAX_DEPTH} levels deep",
                   fix="a shifts or rules file needs only a few levels; check the brackets and the indentation "
                       "near that line")


class _LineLoader(_Base):
    """A safe loader whose mappings are LineDicts and which refuses duplicate keys.

    It also refuses, before building anything, nesting deeper than `MAX_DEPTH` and aliases that
    would add more than `MAX_ALIAS_VALUES` values to those the file writes: a few hundred bytes of
    `&a [*b, *b, …]` lines otherwise become billions of values in whatever walks the document.
    """

    depth = 0

    def __init__(self, stream):
        _start(self, stream)

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise DocumentError(_too_deep(self.name, self.peek_event().start_mark.line + 1))
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def get_single_data(self):
        node = self.get_single_node()
        if node is None:
            return None
        written = _distinct_nodes(node)
        if _expanded_size(node, {}, written + MAX_ALIAS_VALUES) > written + MAX_ALIAS_VALUES:
            raise DocumentError(Finding(
                file=self.name, row=node.start_mark.line + 1,
                message=f"the file's aliases (*name) would add more than {MAX_ALIAS_VALUES:,} values to it",
                fix="write the values out instead of repeating them through & anchors and * aliases"))
        return self.construct_document(node)

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
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than Python converts (4,300)
            raise DocumentError(_long_number(self.name, node.start_mark.line + 1, text)) from None

    def construct_yaml_float(self, node):
        # `.nan` stays the text written: a NaN number means "empty" to the loaders (as pandas hands
        # over an empty cell), and `need: .nan` is not a number, not a missing need.
        number = super().construct_yaml_float(node)
        return self.construct_scalar(node) if number != number else number

    def construct_yaml_timestamp(self, node):
        # An impossible date (2026-02-30) is the shifts loader's to report, with its row.
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _LineLoader.construct_yaml_int)
_LineLoader.add_constructor("tag:yaml.org,2002:float", _LineLoader.construct_yaml_float)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_yaml_timestamp)


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return []


def _distinct_nodes(root) -> int:
    """How many values the file writes: each node once, however many aliases point at it."""
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            stack.extend(_children(node))
    return len(seen)


def _expanded_size(node, sizes: dict, cap: int) -> int:
    """How many values a YAML node stands for once every alias is written out (memoised per node,
    stopping past `cap`; nesting is at most MAX_DEPTH deep here, so the recursion is shallow)."""
    key = id(node)
    if key not in sizes:
        sizes[key] = cap + 1  # a node reached again while being counted: a cycle, refuse it
        total = 1
        for child in _children(node):
            total += _expanded_size(child, sizes, cap)
            if total > cap:
                break
        sizes[key] = total
    return sizes[key]


def _long_number(name: str, row: int | None, text: str) -> Finding:
    return Finding(file=name, row=row, value=text[:20] + "…",
                   message=f"a number with {sum(ch.isdigit() for ch in text):,} digits",
                   fix="write a number of a few digits, such as 2")


def _malformed_json(name: str, problem: json.JSONDecodeError) -> Finding:
    return Finding(file=name, row=problem.lineno, message=f"the JSON is malformed: {problem.msg}",
                   fix="check the brackets, quotes and commas near that line")


def parse_json(text: str, name: str, object_pairs_hook=None, max_nodes: int | None = None,
               malformed=_malformed_json) -> object:
    """json.loads within the input limits; raise DocumentError for a malformed text (`malformed`
    words the finding), nesting deeper than MAX_DEPTH, a number too long, more than `max_nodes` values."""
    too_deep = Finding(file=name, message=f"the JSON nests lists or objects more than {MAX_DEPTH} levels deep",
                       fix="check the brackets: a volunteers, shifts or rules file needs only a few levels")
    try:
        # NaN and Infinity stay the text written, so that `"need": NaN` is "not a number", never "missing".
        data = json.loads(text, object_pairs_hook=object_pairs_hook, parse_constant=str)
    except json.JSONDecodeError as exc:
        raise DocumentError(malformed(name, exc)) from None
    except RecursionError:
        raise DocumentError(too_deep) from None
    except ValueError:  # an integer of more than 4,300 digits
        longest = max(re.findall(r"[0-9]+", text), key=len, default="")
        raise DocumentError(_long_number(name, text.count("\n", 0, text.find(longest)) + 1, longest)) from None
    deep, big = document_depth_and_size(data, limit_nodes=max_nodes if max_nodes is not None else 2**62)
    if deep:
        raise DocumentError(too_deep)
    if big:
        raise DocumentError(Finding(file=name, message=f"the JSON holds more than {max_nodes:,} values",
                                    fix="check the file: a real one is far smaller"))
    return data


def control_findings(document: object, name: str) -> list[Finding]:
    """A finding for each key or text value holding a control character (YAML escapes such as
    "\\v" and JSON escapes such as "\\u000b" get past the parsers), with its line when known."""
    found = []
    stack: list[tuple[object, Any, Any]] = [(document, None, None)]
    seen: set[int] = set()  # containers already walked: YAML aliases share them, Python data may loop
    while stack:
        value, holder, key = stack.pop()
        if isinstance(value, (dict, list, tuple)):
            if id(value) in seen:
                continue
            seen.add(id(value))
        if isinstance(value, str):
            character = control_character(value)
            if character is not None:
                found.append(Finding(file=name, row=line_of(holder, key) if key is not None else line_of(holder),
                                     column=str(key) if key is not None and control_character(str(key)) is None
                                     else None,
                                     value=CONTROL.sub("?", value),
                                     message=f"the value holds an invisible control character ({code(character)})",
                                     fix=CONTROL_FIX))
        elif isinstance(value, dict):
            for item_key, item in value.items():
                stack.append((item, value, item_key))
                if isinstance(item_key, str):
                    stack.append((item_key, value, None))
        elif isinstance(value, (list, tuple)):
            stack.extend((item, value if holder is None else holder, key) for item in value)
    return sorted(found, key=lambda f: f.row or 0)


def read_document(path: str | Path) -> object:
    """Parse a YAML or JSON file; raise DocumentError with the line of a syntax error."""
    path = Path(path)
    name = str(path)
    try:
        size = too_big(path, MAX_FILE_BYTES)
        if size is not None:
            raise DocumentError(Finding(file=name, message=f"the file is {size_text(size)}, far more than a shifts or "
                                        f"rules file holds ({size_text(MAX_FILE_BYTES)} at most)",
                                        fix="give the right file; a real one is a few KB"))
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
        return _checked(parse_json(text, name, object_pairs_hook=_json_mapping(name)), name)
    loader = None
    try:
        loader = _LineLoader(text)  # refuses control characters (a form feed pasted from Word) at once
        loader.name = name
        return _checked(loader.get_single_data(), name)
    except yaml.reader.ReaderError as exc:
        raise DocumentError(Finding(file=name, row=text.count("\n", 0, exc.position) + 1,
                                    message=f"this line holds an invisible control character ({_code(exc.character)})",
                                    fix="retype the line, or delete the character (a page break or another "
                                        "special character pasted from elsewhere)")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if "nesting depth" in problem:  # PyYAML 6.0.4 and later have a nesting limit of their own
            raise DocumentError(_too_deep(name, mark.line + 1 if mark else None)) from None
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


def _checked(document: object, name: str) -> object:
    """The document, unless a text in it holds a control character (the first one is reported)."""
    found = control_findings(document, name)
    if found:
        raise DocumentError(found[0])
    return document


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
