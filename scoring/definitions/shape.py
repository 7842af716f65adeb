"""Checking a file's keys and value types against :mod:`scoring.definitions.spec`.

The check reports every unknown key, missing key and value of the wrong kind,
and returns a cleaned copy of the tree with the bad values left out. The
relational rules then run on that copy, so one typing mistake does not hide
the other problems in the file, and never trips them up.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re

from scoring.definitions.problems import Position, Report, quote
from scoring.definitions.spec import Alternatives, Boolean, Kind, ListOf, Number, Record, Text
from scoring.definitions.tree import Map, Seq

# Returned for a value that was reported and left out.
DROPPED = object()


def check_shape(tree: object, spec: Record, report: Report) -> Map | None:
    """Report every way ``tree`` departs from ``spec``; return what can be trusted."""
    if not isinstance(tree, Map):
        report.add(
            getattr(tree, "position", (1, 1)),
            f"a questionnaire file must be a mapping of keys such as 'id' and 'title', got {describe(tree)}",
        )
        return None
    return _record(tree, spec, report)


def describe(value: object) -> str:
    """How a message names a value the file gave: 'the text ...', 'the number 3', 'a list'…"""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return f"the text {quote(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return quote(value)


def _check(value: object, kind: Kind, key: str, position: Position, report: Report) -> object:
    if value is None:
        report.add(position, f"{key} has no value: give one, or remove the key")
        return DROPPED
    if isinstance(kind, Text):
        return _text(value, kind, key, position, report)
    if isinstance(kind, Number):
        return _number(value, kind, key, position, report)
    if isinstance(kind, Boolean):
        if isinstance(value, bool):
            return value
        report.add(position, f"{key} must be true or false, got {describe(value)}")
        return DROPPED
    if isinstance(kind, ListOf):
        return _list(value, kind, key, position, report)
    if isinstance(kind, Alternatives):
        if not isinstance(value, Map):
            report.add(
                position, f"{key} must be a mapping such as {{question: ..., is: ...}}, got {describe(value)}"
            )
            return DROPPED
        return _record(value, kind.pick(value), report)
    if not isinstance(value, Map):
        report.add(position, f"{key} must be a mapping of keys and values, got {describe(value)}")
        return DROPPED
    return _record(value, kind, report)


def _text(value: object, kind: Text, key: str, position: Position, report: Report) -> object:
    if not isinstance(value, str):
        if isinstance(value, list | dict):
            report.add(position, f"{key} must be text, got {describe(value)}")
        else:
            report.add(position, f"{key} must be text, got {describe(value)}: put it in quotes")
        return DROPPED
    if not value.strip():
        report.add(position, f"{key} is empty: write it, or remove the key")
        return DROPPED
    if kind.choices and value not in kind.choices:
        report.add(
            position,
            f"{key} must be one of {', '.join(kind.choices)}; got {quote(value)}{_suggest(value, kind.choices)}",
        )
        return DROPPED
    if kind.pattern and re.fullmatch(kind.pattern, value) is None:
        report.add(position, f"{key} {quote(value)} is not a valid id: use {kind.pattern_help}")
        return DROPPED
    return value


def _number(value: object, kind: Number, key: str, position: Position, report: Report) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float):
        report.add(position, f"{key} must be a number, got {describe(value)}")
        return DROPPED
    if not math.isfinite(value):
        report.add(position, f"{key} must be a finite number, got {value}")
        return DROPPED
    if kind.positive and value <= 0:
        report.add(position, f"{key} must be a positive number, got {value}")
        return DROPPED
    if kind.minimum is not None and kind.maximum is not None and not kind.minimum <= value <= kind.maximum:
        report.add(position, f"{key} must be between {kind.minimum:g} and {kind.maximum:g}, got {value}")
        return DROPPED
    return value


def _list(value: object, kind: ListOf, key: str, position: Position, report: Report) -> object:
    if not isinstance(value, Seq):
        form = "e.g. [s11]" if key in ("duties", "applies_to") else "one item per line starting '- '"
        report.add(position, f"{key} must be a list, {form}; got {describe(value)}")
        return DROPPED
    cleaned = Seq(value.position)
    seen: dict[object, int] = {}
    for index, item in enumerate(value):
        item_position = value.at(index)
        if item is None:
            report.add(item_position, f"an item of {key} has no value: remove the empty '- ' line")
            cleaned.incomplete = True
            continue
        checked = _check(item, kind.item, _item_name(key, kind.item), item_position, report)
        if checked is DROPPED:
            cleaned.incomplete = True
            continue
        if kind.unique and isinstance(checked, str):
            if checked in seen:
                report.add(
                    item_position,
                    f"{quote(checked)} is listed twice in {key} (first on line {seen[checked]})",
                )
                continue
            seen[checked] = item_position[0]
        cleaned.put(checked, item_position)
    return cleaned


def _item_name(key: str, item: Kind) -> str:
    if isinstance(item, Record | Alternatives):
        return f"each {item.name}"
    return f"each item of {key}"


def _record(mapping: Map, record: Record, report: Report) -> Map:
    cleaned = Map(mapping.position)
    for key, value in mapping.items():
        if key not in record.keys:
            report.add(mapping.key_at(key), _unknown_key(key, record))
            continue
        kind = record.field(key).kind
        checked = _check(value, kind, key, mapping.at(key), report)
        if checked is DROPPED:
            # Remembered so that later rules do not call the key missing as well.
            cleaned.dropped.add(key)
            continue
        cleaned.put(key, checked, mapping.key_at(key), mapping.at(key))
        # Judged on what was written, so a list of bad items is not also called empty.
        if isinstance(kind, ListOf) and len(value) < kind.min_items:
            report.add(
                mapping.key_at(key), f"{key} {'is empty' if not value else 'is too short'}: {kind.too_few}"
            )
    for key, spec_field in record.fields:
        if spec_field.required and key not in mapping:
            report.add(mapping.position, f"this {record.name} has no '{key}': add it ({spec_field.doc})")
    for group in record.one_of:
        given = [key for key in group if key in mapping]
        if not given:
            report.add(mapping.position, f"this {record.name} needs one of {_or(group)}")
        elif len(given) > 1:
            report.add(mapping.key_at(given[1]), f"give only one of {_or(group)}, not {' and '.join(given)}")
    return cleaned


def _unknown_key(key: str, record: Record) -> str:
    suggestion = _suggest(key, record.keys)
    if suggestion:
        return f"unknown key {quote(key)} in this {record.name}{suggestion}"
    return f"unknown key {quote(key)} in this {record.name}: the keys are {', '.join(record.keys)}"


def _suggest(word: str, known: tuple[str, ...]) -> str:
    matches = difflib.get_close_matches(word.lower(), known, n=1, cutoff=0.6)
    return f": did you mean '{matches[0]}'?" if matches else ""


def _or(keys: tuple[str, ...]) -> str:
    return " or ".join(f"'{key}'" for key in keys)
