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

from scheduler.domain.errors import Finding, Phrase
from scheduler.loading.encodings import decode
from scheduler.loading.limits import (
    CONTROL,
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


try:  # libyaml scans and parses ~10 times faster than Python; it also composes plain documents (`_plain`)
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
    return Finding(file=name, row=row, code="input.document.too_deep", params={"most": MAX_DEPTH})


class _LineLoader(_Base):
    """A safe loader whose mappings are LineDicts and which refuses duplicate keys.

    It also refuses, before building anything, nesting deeper than `MAX_DEPTH` and aliases that
    would add more than `MAX_ALIAS_VALUES` values to those the file writes: a few hundred bytes of
    `&a [*b, *b, …]` lines otherwise become billions of values in whatever walks the document.
    """

    depth = 0

    def __init__(self, stream, plain: bool = False):
        _start(self, stream)
        self.plain = plain
        self.resolved_tags: dict[tuple, str] = {}  # a scalar's text and implicitness -> its tag
        self.scalars: dict[tuple, object] = {}  # a scalar's tag and text -> its value (plain documents)

    def get_single_node(self):
        # A plain text (see `_plain`) is composed by libyaml's composer, written in C: the same
        # nodes, with the same marks, several times faster. Any other text goes through the Python
        # composer, which guards the depth and words every error as it always has.
        if self.plain:
            return _Parser.get_single_node(self)
        return super().get_single_node()

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
        if self.plain:  # no alias: every value is written in the file
            return self.construct_document(node)
        written = _distinct_nodes(node)
        if _expanded_size(node, {}, written + MAX_ALIAS_VALUES) > written + MAX_ALIAS_VALUES:
            raise DocumentError(Finding(file=self.name, row=node.start_mark.line + 1, code="input.document.aliases",
                                        params={"most": f"{MAX_ALIAS_VALUES:,}"}))
        return self.construct_document(node)

    def resolve(self, kind, value, implicit):
        # Most scalars repeat (Mon, 07:00, a team): each distinct one is matched against YAML's
        # patterns once. The answer depends on nothing else: this loader has no path resolvers.
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        if (value, implicit) not in self.resolved_tags:
            self.resolved_tags[value, implicit] = super().resolve(kind, value, implicit)
        return self.resolved_tags[value, implicit]

    def construct_document(self, node):
        if self.plain:
            try:
                return self._construct_tree(node)
            except Exception:  # noqa: BLE001 - built again in PyYAML's order, which finds the problem it always found
                self.constructed_objects, self.recursive_objects, self.state_generators = {}, {}, []
        return super().construct_document(node)

    def _construct_tree(self, node):
        """The value of a node of a plain document, depth first: without aliases each node is built
        once, so PyYAML's bookkeeping for shared and recursive values is not needed. Each distinct
        scalar is built once (its value depends only on its tag and text, and is immutable)."""
        kind = type(node)
        if kind is yaml.ScalarNode:
            if (node.tag, node.value) not in self.scalars:
                self.scalars[node.tag, node.value] = self.construct_object(node)
            return self.scalars[node.tag, node.value]
        if kind is yaml.SequenceNode and node.tag == _SEQUENCE_TAG:
            return [self._construct_tree(child) for child in node.value]
        if kind is yaml.MappingNode and node.tag == _MAPPING_TAG:
            return self._line_dict(node, self._construct_tree)
        return self.construct_object(node, deep=True)  # a set, an ordered map …: PyYAML's own way

    def construct_mapping(self, node, deep=False):
        return self._line_dict(node, lambda child: self.construct_object(child, deep=deep))

    def _line_dict(self, node, construct) -> LineDict:
        """A mapping node as a LineDict, each key and value built by `construct`."""
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = construct(key_node)
            line = key_node.start_mark.line + 1
            if not isinstance(key, Hashable):
                start, end = key_node.start_mark, key_node.end_mark
                raise DocumentError(Finding(
                    file=self.name, row=line, value=start.buffer[start.index:end.index] if start.buffer else None,
                    code="input.document.key_not_plain"))
            if key in mapping:
                raise DocumentError(Finding(file=self.name, row=line, column=str(key), value=str(key),
                                            code="input.document.key_twice",
                                            params={"key": key, "first_line": mapping.key_lines[key]}))
            mapping[key] = construct(value_node)
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


_MAPPING_TAG = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_SEQUENCE_TAG = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _LineLoader.construct_yaml_int)
_LineLoader.add_constructor("tag:yaml.org,2002:float", _LineLoader.construct_yaml_float)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_yaml_timestamp)


def _plain(text: str) -> bool:
    """Whether a YAML text is one well-formed document without anchors or aliases, nested at most
    MAX_DEPTH deep, by a pass over libyaml's events (an eighth of the Python composer's time).

    Only such a text may be left to libyaml's composer: it recurses on the C stack, so a file
    nested 100,000 deep would crash the process instead of being refused, and its words for an
    undefined alias differ from the Python composer's; with no alias there is nothing to count either.
    """
    if _Parser is None:
        return False
    open_collections = documents = 0
    try:
        for event in _events(text):
            kind = type(event)
            if kind is yaml.AliasEvent:
                return False
            if kind in _NODE_EVENTS:
                if event.anchor is not None or open_collections >= MAX_DEPTH:  # the node would be level MAX_DEPTH + 1
                    return False
                open_collections += kind is not yaml.ScalarEvent
            elif kind in _END_EVENTS:
                open_collections -= 1
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    return False
    except yaml.YAMLError:  # the Python composer reports it, with its line
        return False
    return True


def _events(text: str):
    """libyaml's events of a text, one at a time (never a list: a text may hold millions)."""
    parser = _Parser(text)
    try:
        while (event := parser.get_event()) is not None:
            yield event
    finally:
        parser.dispose()


_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
_END_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


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
    return Finding(file=name, row=row, value=text[:20] + "…", code="input.document.long_number",
                   params={"n": f"{sum(ch.isdigit() for ch in text):,}"})


def _malformed_json(name: str, problem: json.JSONDecodeError) -> Finding:
    return Finding(file=name, row=problem.lineno, code="input.document.bad_json", params={"problem": problem.msg})


def parse_json(text: str, name: str, object_pairs_hook=None, max_nodes: int | None = None,
               malformed=_malformed_json) -> object:
    """json.loads within the input limits; raise DocumentError for a malformed text (`malformed`
    words the finding), nesting deeper than MAX_DEPTH, a number too long, more than `max_nodes` values."""
    too_deep = Finding(file=name, code="input.document.json_too_deep", params={"most": MAX_DEPTH})
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
        raise DocumentError(Finding(file=name, code="input.document.json_too_big", params={"most": f"{max_nodes:,}"}))
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
                                     value=CONTROL.sub("?", value), code="input.control.value",
                                     params={"character": code(character)}))
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
            raise DocumentError(Finding(file=name, code="input.document.too_big",
                                        params={"size": size_text(size), "most": size_text(MAX_FILE_BYTES)}))
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(Finding(file=name, code="input.document.unreadable",
                                    params={"problem": exc.strerror})) from None
    text = decode(raw, guess=False)
    if text is None:
        raise DocumentError(Finding(file=name, code="input.document.not_text"))
    if path.suffix.lower() in {".yaml", ".yml"}:
        for number, line in enumerate(text.splitlines(), start=1):
            if "\t" in line[: len(line) - len(line.lstrip())]:
                raise DocumentError(Finding(file=name, row=number, code="input.document.tab_indent"))
    if path.suffix.lower() == ".json":
        return _checked(parse_json(text, name, object_pairs_hook=_json_mapping(name)), name, text)
    loader = None
    try:
        loader = _LineLoader(text, plain=_plain(text))  # refuses control characters (a form feed from Word) at once
        loader.name = name
        return _checked(loader.get_single_data(), name, text)
    except yaml.reader.ReaderError as exc:
        raise DocumentError(Finding(file=name, row=text.count("\n", 0, exc.position) + 1,
                                    code="input.control.line", params={"character": _code(exc.character)})) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if "nesting depth" in problem:  # PyYAML 6.0.4 and later have a nesting limit of their own
            raise DocumentError(_too_deep(name, mark.line + 1 if mark else None)) from None
        if "'\\t'" in problem:  # an invisible tab pasted from Excel: say so, not "malformed"
            raise DocumentError(Finding(file=name, row=mark.line + 1 if mark else None,
                                        code="input.document.tab")) from None
        raise DocumentError(Finding(file=name, row=mark.line + 1 if mark else None, code="input.document.bad_yaml",
                                    params={"problem": problem})) from None
    finally:
        if loader is not None:
            loader.dispose()


def _checked(document: object, name: str, text: str) -> object:
    """The document, unless a text in it holds a control character (the first one is reported).

    The document's texts are pieces of the file's text, or made by escapes (`\\v`, `\\u000b`),
    which start with a backslash: a file with neither holds none, and is not walked at all."""
    if CONTROL.search(text) is None and "\\" not in text:
        return document
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
                raise DocumentError(Finding(file=name, column=key, value=key, code="input.document.json_key_twice",
                                            params={"key": key}))
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


def unknown_key_findings(mapping: dict, known: list[str], file: str, where: Phrase) -> list[Finding]:
    """A typo such as `min_femal` is an error that names the nearest valid key, never ignored.

    `where` says where the key stands (the rules file, a shift entry), in the finding's words."""
    findings = []
    for key in mapping:
        if key in known:
            continue
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        code, params = ("input.document.unknown_key_close", {"close": close[0]}) if close else (
            "input.document.unknown_key", {"keys": ", ".join(known)})
        findings.append(Finding(file=file, row=line_of(mapping, key), column=str(key), code=code,
                                params={"key": key, "where": where, **params}))
    return findings
