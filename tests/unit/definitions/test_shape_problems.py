"""Keys and value types: each mistake is reported on its own line, with what was expected."""

from __future__ import annotations

from .helpers import VALID, edit, line_of, problems_in, the_problem


def test_an_unknown_key_suggests_the_key_that_was_probably_meant() -> None:
    text = edit(VALID, "        weight: 0.5\n", "        wieght: 0.5\n")
    problem = the_problem(text)
    assert (problem.line, problem.column) == (line_of(text, "wieght"), 9)
    assert problem.message == "unknown key 'wieght' in this question: did you mean 'weight'?"


def test_an_unknown_key_with_no_near_match_lists_the_keys_that_are_allowed() -> None:
    text = edit(VALID, "    weight: 2\n", "    colour_scheme: blue\n")
    problem = the_problem(text)
    assert problem.line == line_of(text, "colour_scheme")
    assert problem.message.startswith("unknown key 'colour_scheme' in this section: the keys are id, title,")


def test_a_missing_required_key_is_reported_where_its_mapping_starts() -> None:
    text = edit(VALID, "        text: How many pupils are on roll?\n", "")
    problem = the_problem(text)
    assert (problem.line, problem.column) == (line_of(text, "- id: setting.pupils"), 9)
    assert problem.message.startswith("this question has no 'text': add it")


def test_a_missing_top_level_key_is_reported_on_line_1() -> None:
    text = edit(VALID, "legal_basis: Education Act 2002, sections 175 and 157\n", "")
    problem = the_problem(text)
    assert (problem.line, problem.column) == (1, 1)
    assert problem.message.startswith("this questionnaire has no 'legal_basis'")


def test_a_weight_that_is_not_a_number_says_a_number_was_expected() -> None:
    text = edit(VALID, "weight: 0.5", 'weight: "heavy"')
    problem = the_problem(text)
    assert (problem.line, problem.column) == (line_of(text, "heavy"), 17)
    assert problem.message == "weight must be a number, got the text 'heavy'"


def test_options_that_are_not_a_list_say_a_list_was_expected() -> None:
    text = VALID.replace(
        "        options:\n"
        "          - {value: primary, label: Primary}\n"
        "          - {value: secondary, label: Secondary}\n",
        "        options: primary or secondary\n",
    )
    problem = the_problem(text)
    assert (problem.line, problem.column) == (line_of(text, "options: primary or secondary"), 18)
    assert problem.message == (
        "options must be a list, one item per line starting '- '; got the text 'primary or secondary'"
    )


def test_a_version_that_is_not_quoted_is_a_number_and_must_be_put_in_quotes() -> None:
    problem = the_problem(edit(VALID, 'version: "2025.1"', "version: 2025.1"))
    assert (problem.line, problem.column) == (2, 10)
    assert problem.message == "version must be text, got the number 2025.1: put it in quotes"


def test_true_or_false_is_expected_for_flags() -> None:
    text = edit(VALID, "critical: true", "critical: yes")
    problem = the_problem(text)
    assert problem.line == line_of(text, "critical: yes")
    assert problem.message == "critical must be true or false, got the text 'yes'"


def test_a_show_if_that_is_not_a_mapping_shows_the_form_expected() -> None:
    text = edit(VALID, "show_if: {question: policy.published, is: yes}", "show_if: policy.published")
    problem = the_problem(text)
    assert problem.line == line_of(text, "show_if: policy.published")
    assert problem.message.startswith("show_if must be a mapping such as {question: ..., is: ...}")


def test_a_section_that_is_not_a_mapping_is_reported_at_the_item() -> None:
    text = edit(VALID, "sections:\n", "sections:\n  - just some words\n")
    problem = the_problem(text)
    assert problem.line == line_of(text, "just some words")
    assert (
        problem.message == "each section must be a mapping of keys and values, got the text 'just some words'"
    )


def test_a_key_with_no_value_is_reported() -> None:
    text = edit(VALID, "declaration: We confirm this return is accurate.", "declaration:")
    problem = the_problem(text)
    assert problem.line == line_of(text, "declaration:")
    assert problem.message == "declaration has no value: give one, or remove the key"


def test_empty_text_is_reported() -> None:
    text = edit(VALID, "title: About the setting", 'title: "  "')
    assert the_problem(text).message == "title is empty: write it, or remove the key"


def test_an_unquoted_date_where_text_belongs_must_be_quoted() -> None:
    text = edit(VALID, 'version: "2025.1"', "version: 2025-09-01")
    assert the_problem(text).message == "version must be text, got the date 2025-09-01: put it in quotes"


def test_a_question_id_with_capitals_is_not_a_valid_id() -> None:
    text = edit(VALID, "- id: policy.notes", "- id: Policy.Notes")
    problem = the_problem(text)
    assert (problem.line, problem.column) == (line_of(text, "Policy.Notes"), 13)
    assert problem.message == (
        "id 'Policy.Notes' is not a valid id: use lower-case letters and digits in parts joined by "
        "'.', '-' or '_', e.g. training.dsl-refresher"
    )


def test_a_questionnaire_id_may_only_use_hyphens() -> None:
    problem = the_problem(edit(VALID, "id: test-standards", "id: test.standards"))
    assert (problem.line, problem.column) == (1, 5)
    assert "lower-case letters, digits and hyphens" in problem.message


def test_an_unknown_question_type_suggests_the_nearest() -> None:
    text = edit(VALID, "type: multiple_choice", "type: multi_choice")
    problem = the_problem(text)
    assert problem.line == line_of(text, "multi_choice")
    assert problem.message.endswith("got 'multi_choice': did you mean 'multiple_choice'?")


def test_a_colour_other_than_green_amber_or_red_is_reported() -> None:
    text = edit(VALID, "colour: amber", "colour: orange")
    problem = the_problem(text)
    assert problem.line == line_of(text, "orange")
    assert problem.message == "colour must be one of green, amber, red; got 'orange'"


def test_an_unknown_duty_code_is_reported_in_duties() -> None:
    problem = the_problem(edit(VALID, "duties: [s175, s157]", "duties: [s175, S157]"))
    assert (problem.line, problem.column) == (5, 16)
    assert problem.message == (
        "each item of duties must be one of s11, s175, s157, nmss, fe; got 'S157': did you mean 's157'?"
    )


def test_an_unknown_duty_code_is_reported_in_applies_to() -> None:
    text = edit(VALID, "applies_to: [s157]", "applies_to: [academies]")
    problem = the_problem(text)
    assert problem.line == line_of(text, "academies")
    assert "got 'academies'" in problem.message


def test_a_duty_listed_twice_is_reported() -> None:
    problem = the_problem(edit(VALID, "duties: [s175, s157]", "duties: [s175, s157, s175]"))
    assert (problem.line, problem.column) == (5, 22)
    assert problem.message == "'s175' is listed twice in duties (first on line 5)"


def test_a_questionnaire_must_serve_at_least_one_duty() -> None:
    problems = problems_in(edit(VALID, "duties: [s175, s157]", "duties: []"))
    assert "duties is empty: name at least one duty" in [problem.message for problem in problems]


def test_a_weight_that_is_not_positive_is_reported_with_the_value_given() -> None:
    text = edit(VALID, "weight: 0.5", "weight: -1")
    problem = the_problem(text)
    assert (
        str(problem)
        == f"test.yaml:{line_of(text, 'weight: -1')}:17: weight must be a positive number, got -1"
    )


def test_a_section_weight_of_zero_is_not_positive() -> None:
    text = edit(VALID, "    weight: 2\n", "    weight: 0\n")
    problem = the_problem(text)
    assert problem.line == line_of(text, "weight: 0")
    assert problem.message == "weight must be a positive number, got 0"


def test_a_threshold_outside_0_to_1_is_reported() -> None:
    text = edit(VALID, "min_score: 0.8", "min_score: 80")
    problem = the_problem(text)
    assert problem.line == line_of(text, "min_score: 80")
    assert problem.message == "min_score must be between 0 and 1, got 80"


def test_a_scale_needs_at_least_two_bands() -> None:
    text = VALID.replace(
        "    - {id: amber, label: Amber, meaning: Partly meets the standard, colour: amber, min_score: 0.5}\n"
        "    - {id: red, label: Red, meaning: Does not meet the standard, colour: red, min_score: 0}\n",
        "",
    )
    problems = problems_in(text)
    assert (line_of(text, "ratings:"), "ratings is too short: a scale needs at least two bands") in [
        (problem.line, problem.message) for problem in problems
    ]


def test_a_condition_needs_is_or_in_but_not_both() -> None:
    neither = edit(
        VALID, "show_if: {question: policy.published, is: yes}", "show_if: {question: policy.published}"
    )
    both = edit(
        VALID, "{question: policy.published, is: yes}", "{question: policy.published, is: yes, in: [no]}"
    )
    assert the_problem(neither).message == "this condition needs one of 'is' or 'in'"
    problem = the_problem(both)
    assert (problem.line, problem.message) == (
        line_of(both, "in: [no]"),
        "give only one of 'is' or 'in', not is and in",
    )


def test_every_problem_in_a_file_is_reported_not_just_the_first() -> None:
    text = edit(VALID, 'version: "2025.1"', "version: 2025.1")
    text = edit(text, "colour: amber", "colour: orange")
    text = edit(text, "weight: 0.5", "weight: -1")
    text = edit(text, "{id: amber,", "{id: Amber,")
    text = edit(
        text, "show_if: {question: policy.published, is: yes}", "show_if: {question: policy.publish, is: yes}"
    )
    lines = [problem.line for problem in problems_in(text)]
    assert lines == sorted(
        [
            2,
            line_of(text, "orange"),
            line_of(text, "weight: -1"),
            line_of(text, "{id: Amber,"),
            line_of(text, "publish,"),
        ]
    )
