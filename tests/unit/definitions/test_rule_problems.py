"""Rules relating one value to another: ids, show_if, the scale, options, critical questions, duties."""

from __future__ import annotations

from .helpers import VALID, edit, line_of, place, problems_in, the_problem

SECOND_SELF_RATING = """\
      - id: policy.second-rating
        text: And again?
        type: self_rating
"""


def test_a_duplicate_question_id_names_the_line_of_the_first() -> None:
    text = edit(VALID, "- id: policy.notes", "- id: policy.published")
    problem = the_problem(text)
    assert (problem.line, problem.column) == place(text, "policy.published\n", 2)
    assert problem.message == (
        f"question id 'policy.published' is already used on line {line_of(text, '- id: policy.published')}: "
        "ids must be unique"
    )


def test_a_duplicate_section_id_names_the_line_of_the_first() -> None:
    text = edit(VALID, "  - id: policy\n", "  - id: setting\n")
    problem = the_problem(text)
    assert (problem.line, problem.column) == place(text, "setting\n    title: Child", 1)
    assert (
        problem.message
        == f"section id 'setting' is already used on line {line_of(text, '- id: setting')}: ids must be unique"
    )


def test_show_if_naming_an_unknown_question_suggests_the_nearest_id() -> None:
    text = edit(VALID, "{question: policy.published, is: yes}", "{question: policy.publish, is: yes}")
    problem = the_problem(text)
    assert (problem.line, problem.column) == (line_of(text, "policy.publish,"), 29)
    assert problem.message == (
        "show_if names 'policy.publish', which is not a question in this file: did you mean 'policy.published'?"
    )


def test_show_if_naming_its_own_question_is_reported() -> None:
    text = edit(VALID, "{question: policy.published, is: yes}", "{question: policy.reviewed, is: yes}")
    problem = the_problem(text)
    assert problem.line == line_of(text, "{question: policy.reviewed, is: yes}")
    assert (
        problem.message == "show_if names this question itself ('policy.reviewed'): name an earlier question"
    )


def test_show_if_naming_a_later_question_is_reported_with_its_line() -> None:
    text = edit(VALID, "{question: policy.published, is: yes}", "{question: policy.trust-policy, is: yes}")
    problem = the_problem(text)
    assert problem.line == line_of(text, "{question: policy.trust-policy, is: yes}")
    assert problem.message == (
        f"show_if names 'policy.trust-policy', which comes later (line {line_of(text, '- id: policy.trust-policy')}): "
        "a question can only depend on an earlier one"
    )


def test_a_loop_of_show_if_conditions_is_reported_once_as_a_loop() -> None:
    # policy.published now waits on policy.reviewed, which already waits on policy.published.
    text = edit(
        VALID,
        "        critical: true\n",
        "        critical: true\n        show_if: {question: policy.reviewed, is: yes}\n",
    )
    problems = problems_in(text)
    line = line_of(text, "show_if: {question: policy.reviewed, is: yes}")
    assert [(problem.line, problem.message) for problem in problems] == [
        (
            line,
            "show_if conditions form a loop: 'policy.published' -> 'policy.reviewed' -> 'policy.published'; "
            "each question must depend only on earlier ones",
        ),
        (
            line,
            f"show_if names 'policy.reviewed', which comes later (line {line_of(text, '- id: policy.reviewed')}): "
            "a question can only depend on an earlier one",
        ),
    ]


def test_a_show_if_value_that_is_not_an_option_of_the_question_is_reported() -> None:
    text = edit(VALID, "in: [yes, partly]", "in: [yes, mostly]")
    problem = the_problem(text)
    assert (problem.line, problem.column) == place(text, "mostly")
    assert problem.message == "'mostly' is not an option of 'policy.reviewed': use one of yes, partly, no"


def test_show_if_on_a_question_without_options_is_reported() -> None:
    text = edit(VALID, "{question: setting.phase, is: secondary}", "{question: setting.pupils, is: '100'}")
    problem = the_problem(text)
    assert problem.line == line_of(text, "setting.pupils, is")
    assert problem.message == (
        "show_if can only depend on a question with options, and 'setting.pupils' is a number question"
    )


def test_option_points_outside_the_scale_are_reported() -> None:
    text = edit(
        VALID, "{value: send, label: Children with SEND, points: 1}", "{value: send, label: SEND, points: 3}"
    )
    problem = the_problem(text)
    assert (problem.line, problem.column) == place(text, "3}")
    assert problem.message == "points 3 is outside the scale's points (0 to 2)"


def test_points_min_must_be_below_points_max() -> None:
    problem = the_problem(edit(VALID, "points: {min: 0, max: 2}", "points: {min: 2, max: 2}"))
    assert (problem.line, problem.column) == (8, 17)
    assert problem.message == "points.min (2) must be less than points.max (2)"


def test_a_critical_question_needs_a_failing_option() -> None:
    text = edit(VALID, "points: 0, fails: true}", "points: 1}")
    text = edit(text, "        weight: 0.5\n", "        weight: 0.5\n        critical: true\n")
    problem = the_problem(text)
    assert problem.line == line_of(text, "critical: true", 2)
    assert problem.message == (
        "a critical question needs a failing answer: mark an option with fails: true, "
        "or give one the scale's lowest points"
    )


def test_a_critical_question_of_an_unscored_type_is_reported() -> None:
    text = edit(VALID, "        required: false\n", "        critical: true\n")
    problem = the_problem(text)
    assert problem.line == line_of(text, "critical: true", 2)
    assert problem.message == (
        "a critical question must be scored, and this text question is not: "
        "remove critical, or use a yes_no, yes_partly_no or choice type"
    )


def test_a_critical_question_must_be_required() -> None:
    text = edit(VALID, "        critical: true\n", "        critical: true\n        required: false\n")
    problem = the_problem(text)
    assert problem.line == line_of(text, "required: false")
    assert "a critical question must be required" in problem.message


def test_thresholds_must_fall_from_the_best_band_to_the_worst() -> None:
    text = edit(VALID, "min_score: 0.5", "min_score: 0.8")
    problem = the_problem(text)
    assert (problem.line, problem.column) == place(text, "0.8}", 2)
    assert problem.message == (
        "min_score 0.8 must be lower than the band above's (0.8): list the bands best first, thresholds falling"
    )


def test_the_last_threshold_must_be_0() -> None:
    problem = the_problem(edit(VALID, "colour: red, min_score: 0}", "colour: red, min_score: 0.2}"))
    assert problem.line == 12
    assert problem.message == "the last band's min_score must be 0, so that every score earns a band; got 0.2"


def test_an_empty_section_is_reported() -> None:
    text = VALID + "  - id: extra\n    title: Extra\n    questions: []\n"
    problem = the_problem(text)
    assert (problem.line, problem.column) == place(text, "questions: []")
    assert problem.message == "questions is empty: a section needs at least one question"


def test_a_scored_section_needs_a_scored_question() -> None:
    text = edit(VALID, "    scored: false\n", "")
    problem = the_problem(text)
    assert problem.line == line_of(text, "questions:")
    assert problem.message.startswith("section 'setting' is scored but has no scored question")


def test_options_on_a_type_that_takes_none_are_reported() -> None:
    text = edit(
        VALID, "        type: number\n", "        type: number\n        options: [{value: a, label: A}]\n"
    )
    problem = the_problem(text)
    assert (problem.line, problem.column) == (line_of(text, "options: [{value: a"), 9)
    assert problem.message == "a number question takes no options (it has none): remove them"


def test_a_self_rating_question_takes_no_options() -> None:
    text = VALID + "        options: [{value: a, label: A}]\n"
    problem = the_problem(text)
    assert problem.line == line_of(text, "options: [{value: a")
    assert (
        problem.message
        == "a self_rating question takes no options (its options are the scale's bands): remove them"
    )


def test_a_choice_question_needs_at_least_two_options() -> None:
    text = edit(VALID, "          - {value: primary, label: Primary}\n", "")
    problem = the_problem(text)
    assert problem.line == line_of(text, "- {value: secondary")
    assert problem.message == "a single_choice question needs at least two options"


def test_a_choice_question_without_options_is_reported_at_its_type() -> None:
    text = edit(VALID, "        options:\n          - {value: primary, label: Primary}\n", "")
    text = edit(text, "          - {value: secondary, label: Secondary}\n", "")
    problem = the_problem(text)
    assert problem.line == line_of(text, "type: single_choice")
    assert problem.message == "a single_choice question needs options: list at least two"


def test_duplicate_option_values_are_reported_at_the_second() -> None:
    text = edit(VALID, "{value: primary, label: Primary}", "{value: secondary, label: Primary}")
    problem = the_problem(text)
    assert (problem.line, problem.column) == place(text, "secondary, label: Secondary")
    assert problem.message == (
        f"option value 'secondary' is given twice (first on line {line_of(text, 'label: Primary')}): values must differ"
    )


def test_options_must_all_have_points_or_none() -> None:
    text = edit(VALID, "{value: send, label: Children with SEND, points: 1}", "{value: send, label: SEND}")
    problem = the_problem(text)
    assert problem.line == line_of(text, "{value: send, label: SEND}")
    assert problem.message == (
        "option 'send' has no points but other options of this question do: give every option points, or none"
    )


def test_yes_no_options_written_out_must_be_yes_and_no_with_points() -> None:
    text = edit(
        VALID,
        "        applies_to: [s157]\n",
        "        applies_to: [s157]\n"
        "        options: [{value: yes, label: Yes, points: 2}, {value: maybe, label: Maybe}]\n",
    )
    problems = problems_in(text)
    line = line_of(text, "value: maybe")
    assert [(problem.line, problem.message) for problem in problems] == [
        (
            line,
            "a yes_no question's options must be yes, no (got yes, maybe): "
            "change their labels or points if you need to, or use single_choice for other answers",
        ),
        (line, "option 'maybe' needs points: a yes_no question is always scored"),
    ]


def test_more_than_one_self_rating_question_in_a_section_is_reported() -> None:
    text = VALID + SECOND_SELF_RATING
    problem = the_problem(text)
    assert problem.line == line_of(text, "type: self_rating", 2)
    assert problem.message == (
        f"a section takes one self_rating question at most; 'policy.self-rating' on line "
        f"{line_of(text, '- id: policy.self-rating')} is already one"
    )


def test_evidence_required_when_must_name_options_of_the_question() -> None:
    text = edit(VALID, 'required_when: ["yes"]', 'required_when: ["yes", "sometimes"]')
    problem = the_problem(text)
    assert (problem.line, problem.column) == place(text, '"sometimes"')
    assert problem.message == "required_when 'sometimes' is not an option of this question (yes, no)"


def test_evidence_required_when_on_a_question_without_options_is_reported() -> None:
    text = edit(VALID, "        required: false\n", "        evidence: {required_when: [anything]}\n")
    problem = the_problem(text)
    assert problem.line == line_of(text, "required_when: [anything]")
    assert problem.message == "required_when names answers, but a text question has no options to name"


def test_evidence_not_allowed_but_required_is_a_contradiction() -> None:
    text = edit(
        VALID, 'evidence: {required_when: ["yes"]', 'evidence: {allowed: false, required_when: ["yes"]'
    )
    problem = the_problem(text)
    assert problem.line == line_of(text, "allowed: false")
    assert problem.message.startswith("allowed: false contradicts required_when")


def test_applies_to_naming_a_duty_the_questionnaire_does_not_serve_is_reported() -> None:
    text = edit(VALID, "applies_to: [s157]", "applies_to: [fe]")
    problem = the_problem(text)
    assert (problem.line, problem.column) == (line_of(text, "applies_to: [fe]"), 22)
    assert problem.message == (
        "this question applies to 'fe', which is not among the questionnaire's duties (s157, s175): "
        "add it to duties, or remove it here"
    )


def test_a_sign_off_role_for_a_duty_not_served_is_reported() -> None:
    text = edit(VALID, "applies_to: [s175]}", "applies_to: [nmss]}")
    problem = the_problem(text)
    assert problem.line == line_of(text, "applies_to: [nmss]")
    assert problem.message.startswith("this sign-off role applies to 'nmss'")


def test_a_question_limited_to_a_duty_its_section_excludes_is_reported() -> None:
    text = edit(VALID, "    weight: 2\n", "    weight: 2\n    applies_to: [s175]\n")
    problem = the_problem(text)
    assert problem.line == line_of(text, "applies_to: [s157]")
    assert (
        problem.message
        == "this question applies to 's157' but its section only to s175: it would never be asked"
    )


def test_weight_on_a_question_that_is_not_scored_is_reported() -> None:
    text = edit(VALID, "        type: number\n", "        type: number\n        weight: 2\n")
    problem = the_problem(text)
    assert problem.line == line_of(text, "        weight: 2")
    assert problem.message == "weight has no effect on a question that is not scored (number): remove it"


def test_critical_in_an_information_section_is_reported() -> None:
    text = VALID.replace("scored: false", "scored: false", 1)
    text = edit(
        text,
        "          - {value: secondary, label: Secondary}\n",
        "          - {value: secondary, label: Secondary}\n",
    )
    text = edit(
        text,
        "        type: number\n",
        "        type: number\n      - id: setting.lead\n        text: Is there a DSL?\n        type: yes_no\n"
        "        critical: true\n",
    )
    problem = the_problem(text)
    assert problem.line == line_of(text, "critical: true")
    assert (
        problem.message
        == "critical has no effect in a section with scored: false, which is never rated: remove it"
    )


def test_a_self_rating_in_an_information_section_is_reported() -> None:
    text = edit(VALID, "        type: number\n", "        type: self_rating\n")
    problem = the_problem(text)
    assert problem.line == line_of(text, "type: self_rating")
    assert problem.message.startswith("a self_rating question needs a scored section to compare with")


def test_duplicate_rating_and_sign_off_ids_are_reported() -> None:
    text = edit(VALID, "{id: amber,", "{id: green,")
    text = edit(text, "{id: chair-of-governors,", "{id: head-teacher,")
    assert [(problem.line, problem.message) for problem in problems_in(text)] == [
        (11, "rating id 'green' is already used on line 10: ids must be unique"),
        (15, "sign-off role id 'head-teacher' is already used on line 14: ids must be unique"),
    ]


def test_a_bad_value_is_not_reported_again_by_the_rules_that_depend_on_it() -> None:
    # The option's points are reported once; the mixed-points, scoring and critical rules keep quiet.
    text = edit(
        VALID,
        "{value: send, label: Children with SEND, points: 1}",
        "{value: send, label: SEND, points: high}",
    )
    problem = the_problem(text)
    assert problem.message == "points must be a number, got the text 'high'"
