"""Reading a questionnaire's YAML into plain values that remember where they were written.

PyYAML's composer gives every node its start mark; this module turns the nodes
into dicts, lists and scalars (``Map``, ``Seq``) that keep those positions, so
every later check can name the line and column of the value it objects to.
YAML's own errors, duplicate keys, anchors, aliases and tags become problems
here rather than exceptions.
"""

from __future__ import annotations

import datetime
import re

import yaml

from scoring.definitions.problems import Position, Report, quote

BOOL_TAG = "tag:yaml.org,2002:bool"
STR_TAG = "tag:yaml.org,2002:str"
SCALAR_TAGS = frozenset(
    {
        STR_TAG,
        BOOL_TAG,
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:timestamp",
    }
)
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"

# Far deeper than any questionnaire needs (about 8 levels). Anything deeper is
# reported instead of walked, so this module's own recursion stays shallow.
MAX_DEPTH = 40

Scalar = str | int | float | bool | None | datetime.date


class DefinitionLoader(yaml.SafeLoader):
    """A SafeLoader for questionnaire files.

    YAML 1.1 reads unquoted ``yes``, ``no``, ``on`` and ``off`` as booleans,
    which would turn the option value ``no`` into ``False``. Here only ``true``
    and ``false`` are booleans, as questionnaires/README.md promises. Anchors
    and aliases are refused: a file a safeguarding lead edits should say each
    thing where it applies.
    """

    def __init__(self, stream: str) -> None:
        self.refused: list[tuple[Position, str]] = []
        self.refused_nodes: set[int] = set()
        super().__init__(stream)

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self.get_event()
            self.refused.append(
                (
                    _position(event.start_mark),
                    "aliases (*name) are not supported: write the value out in full",
                )
            )
            node = yaml.ScalarNode("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
            self.refused_nodes.add(id(node))
            return node
        if getattr(event, "anchor", None) is not None:
            self.refused.append(
                (_position(event.start_mark), "anchors (&name) are not supported: remove the anchor")
            )
        return super().compose_node(parent, index)


DefinitionLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != BOOL_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
DefinitionLoader.add_implicit_resolver(BOOL_TAG, re.compile(r"^(?:true|false)$"), list("tf"))


class Map(dict):
    """A YAML mapping: a dict that knows where it, each key and each value were written."""

    def __init__(self, position: Position) -> None:
        super().__init__()
        self.position = position
        self.key_positions: dict[str, Position] = {}
        self.value_positions: dict[str, Position] = {}
        # Keys whose values the shape check reported and left out (see shape.py).
        self.dropped: set[str] = set()

    def at(self, key: str) -> Position:
        """Where ``key``'s value is (or the mapping, when the key is absent)."""
        return self.value_positions.get(key, self.position)

    def key_at(self, key: str) -> Position:
        return self.key_positions.get(key, self.position)

    def put(self, key: str, value: object, key_position: Position, value_position: Position) -> None:
        self[key] = value
        self.key_positions[key] = key_position
        self.value_positions[key] = value_position


class Seq(list):
    """A YAML sequence: a list that knows where it and each item were written."""

    def __init__(self, position: Position) -> None:
        super().__init__()
        self.position = position
        self.item_positions: list[Position] = []
        # True when the shape check reported and left out an item (see shape.py).
        self.incomplete = False

    def at(self, index: int) -> Position:
        return self.item_positions[index] if 0 <= index < len(self.item_positions) else self.position

    def put(self, value: object, position: Position) -> None:
        self.append(value)
        self.item_positions.append(position)


def read_tree(text: str, report: Report) -> object:
    """Parse ``text`` as YAML into Map / Seq / scalars, adding any problem to ``report``.

    Returns None when the file is empty or cannot be read as YAML at all.
    """
    try:
        # PyYAML checks a str for forbidden characters as the loader is made, before any parsing.
        loader = DefinitionLoader(text)
    except yaml.reader.ReaderError as error:
        report.add(_offset_position(text, error.position), _reader_message(error))
        return None
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        report.add(_position(mark) if mark else (1, 1), _syntax_message(error))
        return None
    except RecursionError:
        # PyYAML composes nested collections recursively; thousands of levels exhaust the stack.
        report.add(_position(loader.get_mark()), "the file nests lists or mappings too deeply to read")
        return None
    except yaml.YAMLError as error:
        report.add(_position(loader.get_mark()), f"this is not valid YAML: {error}")
        return None
    finally:
        loader.dispose()
    for position, message in loader.refused:
        report.add(position, message)
    if node is None:
        report.add((1, 1), "the file is empty: start from the example in questionnaires/README.md")
        return None
    return _convert(node, loader, report, 0)


def _convert(node: yaml.Node, loader: DefinitionLoader, report: Report, depth: int) -> object:
    position = _position(node.start_mark)
    if depth > MAX_DEPTH:
        report.add(position, "lists and mappings are nested too deeply here")
        return None
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, loader, report)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != SEQ_TAG:
            report.add(position, f"the tag {quote(node.tag)} is not supported: remove it")
        seq = Seq(position)
        for item in node.value:
            if id(item) not in loader.refused_nodes:
                seq.put(_convert(item, loader, report, depth + 1), _position(item.start_mark))
        return seq
    if node.tag != MAP_TAG:
        report.add(position, f"the tag {quote(node.tag)} is not supported: remove it")
    mapping = Map(position)
    for key_node, value_node in node.value:
        key_position = _position(key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode):
            report.add(key_position, "a key must be a single word such as 'title', not a list or mapping")
            continue
        key = key_node.value
        if key in mapping:
            first_line = mapping.key_positions[key][0]
            report.add(key_position, f"duplicate key {quote(key)}: it is already given on line {first_line}")
            continue
        if id(value_node) in loader.refused_nodes:
            continue
        value = _convert(value_node, loader, report, depth + 1)
        mapping.put(key, value, key_position, _position(value_node.start_mark))
    return mapping


def _scalar(node: yaml.ScalarNode, loader: DefinitionLoader, report: Report) -> Scalar:
    if node.tag == STR_TAG:
        return node.value
    if node.tag not in SCALAR_TAGS:
        report.add(_position(node.start_mark), f"the tag {quote(node.tag)} is not supported: remove it")
        return node.value
    try:
        return loader.construct_object(node)
    except (ValueError, OverflowError, yaml.YAMLError):
        # e.g. a date that does not exist, such as 2025-02-30
        report.add(_position(node.start_mark), f"{quote(node.value)} cannot be read: put it in quotes")
        return node.value


def _position(mark: yaml.Mark) -> Position:
    return (mark.line + 1, mark.column + 1)


def _offset_position(text: str, offset: int) -> Position:
    before = text[:offset]
    line = before.count("\n") + 1
    return (line, offset - (before.rfind("\n") + 1) + 1)


def _reader_message(error: yaml.reader.ReaderError) -> str:
    character = error.character if isinstance(error.character, int) else ord(error.character)
    return f"the file contains a character that is not allowed (U+{character:04X}): delete it"


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "this is not valid YAML"
    if error.context and error.context_mark and error.problem_mark:
        line, column = _position(error.context_mark)
        problem = f"{problem} ({error.context}, line {line} column {column})"
    elif error.context:
        problem = f"{problem} ({error.context})"
    if "\\t" in problem or "'\t'" in problem:
        hint = "indent with spaces: YAML does not allow tabs"
    elif "mapping values are not allowed" in problem:
        hint = "check the indentation, or put a value containing ': ' in quotes"
    elif "expected a single document" in problem:
        hint = "a questionnaire file holds one document: remove the extra '---'"
    else:
        hint = "check the indentation and quotes here"
    return f"YAML syntax error: {problem}; {hint}"
