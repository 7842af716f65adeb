"""The JSON Schema editors use: generated from the loader's spec, and shipped up to date."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from scoring.definitions import json_schema
from scoring.definitions.schema import schema_text
from scoring.definitions.tree import DefinitionLoader

from .helpers import REPO, VALID, edit

VALIDATOR = jsonschema.Draft202012Validator(json_schema())


def data(text: str) -> object:
    # The loader's own YAML rules (only true/false are booleans), as an editor on YAML 1.2 reads them.
    return yaml.load(text, Loader=DefinitionLoader)


def errors(text: str) -> list[str]:
    return [error.message for error in VALIDATOR.iter_errors(data(text))]


def test_the_shipped_schema_file_is_the_generated_schema() -> None:
    shipped = (REPO / "questionnaires" / "questionnaire.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_text(), "regenerate it: python -m scoring.definitions --write-schema"
    assert json.loads(shipped) == json_schema()


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema())


def test_a_valid_questionnaire_satisfies_the_schema() -> None:
    assert errors(VALID) == []


def test_the_readme_example_satisfies_the_schema() -> None:
    readme = (REPO / "questionnaires" / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(id: .*?)```", readme, re.DOTALL)
    assert example is not None
    assert errors(example.group(1)) == []


@pytest.mark.parametrize("path", sorted((REPO / "questionnaires").glob("*.yaml")), ids=lambda path: path.name)
def test_every_shipped_questionnaire_satisfies_the_schema(path) -> None:
    assert errors(path.read_text(encoding="utf-8")) == []


def test_an_unknown_key_fails_the_schema() -> None:
    assert errors(edit(VALID, "weight: 0.5", "wieght: 0.5")) != []


def test_a_value_of_the_wrong_type_fails_the_schema() -> None:
    assert errors(edit(VALID, 'version: "2025.1"', "version: 2025.1")) == ["2025.1 is not of type 'string'"]


def test_options_on_a_question_type_that_takes_none_fail_the_schema() -> None:
    assert errors(edit(VALID, "        type: number\n", "        type: number\n        options: []\n")) != []


def test_a_choice_question_without_options_fails_the_schema() -> None:
    text = edit(VALID, "        options:\n          - {value: primary, label: Primary}\n", "")
    text = edit(text, "          - {value: secondary, label: Secondary}\n", "")
    assert errors(text) != []


def test_a_condition_with_both_is_and_in_fails_the_schema() -> None:
    text = edit(
        VALID, "{question: policy.published, is: yes}", "{question: policy.published, is: yes, in: [no]}"
    )
    assert errors(text) != []
