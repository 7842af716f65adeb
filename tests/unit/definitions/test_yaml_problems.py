"""Files that are not usable YAML: each is one clear problem at the right place, never an exception."""

from __future__ import annotations

import pytest

from scoring.definitions import QuestionnaireError, load_questionnaire

from .helpers import FILES, VALID, edit, line_of, problems_in, the_problem


def problems_of(name: str) -> list[tuple[int, int, str]]:
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(FILES / name)
    assert all(problem.path == str(FILES / name) for problem in caught.value.problems)
    return [(problem.line, problem.column, problem.message) for problem in caught.value.problems]


def test_a_yaml_syntax_error_is_reported_where_the_parser_gave_up() -> None:
    [(line, column, message)] = problems_of("unclosed-list.yaml")
    assert (line, column) == (5, 12)
    assert message.startswith("YAML syntax error: expected ',' or ']'")
    assert "while parsing a flow sequence, line 4 column 9" in message


def test_a_tab_used_for_indentation_is_a_syntax_error_that_says_so() -> None:
    [(line, column, message)] = problems_of("tab-indent.yaml")
    assert (line, column) == (4, 1)
    assert "YAML does not allow tabs" in message


def test_a_mapping_value_in_the_wrong_place_suggests_checking_indentation_or_quotes() -> None:
    text = edit(
        VALID, "declaration: We confirm this return is accurate.", "declaration: Note: we confirm: it"
    )
    problem = the_problem(text)
    assert problem.line == line_of(text, "declaration:")
    assert "put a value containing ': ' in quotes" in problem.message


def test_a_duplicate_key_is_reported_at_the_second_with_the_line_of_the_first() -> None:
    assert problems_of("duplicate-keys.yaml") == [
        (4, 1, "duplicate key 'title': it is already given on line 3"),
        (9, 28, "duplicate key 'min': it is already given on line 9"),
    ]


def test_anchors_and_aliases_are_refused() -> None:
    assert problems_of("anchors.yaml") == [
        (4, 14, "anchors (&name) are not supported: remove the anchor"),
        (15, 18, "aliases (*name) are not supported: write the value out in full"),
    ]


def test_an_empty_file_is_one_problem_on_line_1() -> None:
    assert problems_of("empty.yaml") == [
        (1, 1, "the file is empty: start from the example in questionnaires/README.md"),
    ]


def test_a_file_of_only_comments_counts_as_empty() -> None:
    assert the_problem("# nothing here yet\n").message.startswith("the file is empty")


def test_a_file_that_is_a_list_is_told_it_must_be_a_mapping() -> None:
    [(line, column, message)] = problems_of("list-at-top.yaml")
    assert (line, column) == (1, 1)
    assert message.startswith("a questionnaire file must be a mapping") and message.endswith("got a list")


def test_a_file_with_two_yaml_documents_is_told_to_drop_the_second() -> None:
    [(line, column, message)] = problems_of("two-documents.yaml")
    assert (line, column) == (2, 1)
    assert "remove the extra '---'" in message


def test_a_control_character_is_reported_at_its_line_and_column() -> None:
    text = edit(VALID, "title: Test", "title: Te\x07st")
    problem = the_problem(text)
    assert (problem.line, problem.column) == (3, 10)
    assert "(U+0007)" in problem.message


def test_binary_junk_is_a_problem_not_a_crash(tmp_path) -> None:
    path = tmp_path / "junk.yaml"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(path)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].line >= 1


def test_an_unsupported_tag_is_reported() -> None:
    text = edit(VALID, "title: Test safeguarding self-assessment", "title: !custom Test")
    problem = the_problem(text)
    assert problem.line == line_of(text, "title: !custom")
    assert problem.message == "the tag '!custom' is not supported: remove it"


def test_a_date_that_does_not_exist_is_reported_rather_than_raised() -> None:
    text = edit(VALID, "declaration: We confirm this return is accurate.", "declaration: 2025-02-30")
    problem = the_problem(text)
    assert problem.line == line_of(text, "2025-02-30")
    assert problem.message == "'2025-02-30' cannot be read: put it in quotes"


def test_lists_nested_far_too_deeply_are_a_problem_not_a_recursion_error() -> None:
    problems = problems_in("id: " + "[" * 5000 + "]" * 5000 + "\n")
    assert problems and all(problem.line == 1 for problem in problems)
