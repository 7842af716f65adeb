"""A JSON Schema for questionnaire files, generated from :mod:`scoring.definitions.spec`.

Editors that understand JSON Schema (VS Code's YAML extension, for one) use
the shipped copy, questionnaires/questionnaire.schema.json, to flag mistakes
while a file is typed. It covers keys, types and the options each question
type takes; the rules that relate values to each other (ids, show_if, the
scale's thresholds) are only checked by ``python -m scoring.definitions``.

Regenerate the shipped copy after changing the spec::

    python -m scoring.definitions --write-schema
"""

from __future__ import annotations

import json
from pathlib import Path

from scoring.definitions.defaults import CHOICE_TYPES, NO_OPTION_TYPES
from scoring.definitions.spec import QUESTIONNAIRE, Alternatives, Boolean, Kind, ListOf, Number, Record, Text

SHIPPED_SCHEMA = Path(__file__).resolve().parents[2] / "questionnaires" / "questionnaire.schema.json"


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) every questionnaire file must satisfy."""
    definitions: dict[str, dict] = {}
    root = _record(QUESTIONNAIRE, definitions)
    _add_question_type_rules(definitions["question"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Safeguarding self-audit questionnaire",
        **root,
        "$defs": dict(sorted(definitions.items())),
    }


def schema_text() -> str:
    """The schema as the shipped file holds it."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def _kind(kind: Kind, definitions: dict[str, dict]) -> dict:
    if isinstance(kind, Text):
        if kind.choices:
            return {"enum": list(kind.choices)}
        # "\S": some character that is not white space, as the loader demands.
        return {"type": "string", "pattern": kind.pattern or r"\S"}
    if isinstance(kind, Number):
        schema: dict = {"type": "number"}
        if kind.positive:
            schema["exclusiveMinimum"] = 0
        if kind.minimum is not None:
            schema["minimum"] = kind.minimum
        if kind.maximum is not None:
            schema["maximum"] = kind.maximum
        return schema
    if isinstance(kind, Boolean):
        return {"type": "boolean"}
    if isinstance(kind, ListOf):
        schema = {"type": "array", "items": _kind(kind.item, definitions)}
        if kind.min_items:
            schema["minItems"] = kind.min_items
        if kind.unique:
            schema["uniqueItems"] = True
        return schema
    if isinstance(kind, Alternatives):
        return {"oneOf": [_reference(record, definitions) for record in kind.records]}
    return _reference(kind, definitions)


def _reference(record: Record, definitions: dict[str, dict]) -> dict:
    if record.schema_name not in definitions:
        definitions[record.schema_name] = {}  # reserved first, so a record met again is not rebuilt
        definitions[record.schema_name] = _record(record, definitions)
    return {"$ref": f"#/$defs/{record.schema_name}"}


def _record(record: Record, definitions: dict[str, dict]) -> dict:
    schema: dict = {"type": "object"}
    if record.doc:
        schema["description"] = record.doc
    properties = {}
    for key, spec_field in record.fields:
        properties[key] = {"description": spec_field.doc, **_kind(spec_field.kind, definitions)}
    schema["properties"] = properties
    required = [key for key, spec_field in record.fields if spec_field.required]
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    if record.one_of:
        schema["allOf"] = [{"oneOf": [{"required": [key]} for key in group]} for group in record.one_of]
    return schema


def _add_question_type_rules(question: dict) -> None:
    """Which question types need options and which take none (README, "Question types")."""
    question.setdefault("allOf", []).extend(
        [
            {
                "if": {
                    "properties": {"type": {"enum": sorted(t.value for t in CHOICE_TYPES)}},
                    "required": ["type"],
                },
                "then": {"required": ["options"], "properties": {"options": {"minItems": 2}}},
            },
            {
                "if": {
                    "properties": {"type": {"enum": sorted(t.value for t in NO_OPTION_TYPES)}},
                    "required": ["type"],
                },
                "then": {"not": {"required": ["options"]}},
            },
        ]
    )


def write_schema(target: Path = SHIPPED_SCHEMA) -> Path:
    """Write the schema to ``target`` (by default over the shipped copy)."""
    target.write_text(schema_text(), encoding="utf-8")
    return target
