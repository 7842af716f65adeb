"""Loading valid questionnaires: the dataclasses, the defaults README promises, snapshots."""

from __future__ import annotations

import hashlib
import re

import pytest

from scoring.definitions import (
    Condition,
    Duty,
    EvidenceRule,
    Option,
    Question,
    Questionnaire,
    QuestionnaireError,
    QuestionType,
    Rating,
    Scale,
    Section,
    ShowIf,
    SignOffRole,
    check_paths,
    load_questionnaire,
    parse_questionnaire,
)

from .helpers import REPO, VALID, edit, line_of, the_problem

MINIMAL = """\
id: minimal
version: "1"
title: Minimal
legal_basis: Children Act 2004, section 11
duties: [s11]
scale:
  name: Met or not met
  points: {min: 0, max: 1}
  ratings:
    - {id: met, label: Met, meaning: Meets the standard, colour: green, min_score: 1}
    - {id: not-met, label: Not met, meaning: Does not meet it, colour: red, min_score: 0}
sections:
  - id: lead
    title: Leadership
    questions:
      - id: lead.named
        text: Is there a named safeguarding lead?
        type: yes_no
"""


def test_a_minimal_file_loads_into_the_model_with_every_default_filled() -> None:
    assert parse_questionnaire(MINIMAL, "minimal.yaml") == Questionnaire(
        id="minimal",
        version="1",
        title="Minimal",
        legal_basis="Children Act 2004, section 11",
        duties=(Duty.S11,),
        scale=Scale(
            name="Met or not met",
            ratings=(
                Rating("met", "Met", "Meets the standard", 1.0, "green"),
                Rating("not-met", "Not met", "Does not meet it", 0.0, "red"),
            ),
            points_min=0.0,
            points_max=1.0,
        ),
        sections=(
            Section(
                id="lead",
                title="Leadership",
                questions=(
                    Question(
                        id="lead.named",
                        text="Is there a named safeguarding lead?",
                        type=QuestionType.YES_NO,
                        options=(Option("yes", "Yes", 1.0), Option("no", "No", 0.0, fails=True)),
                        line=16,
                    ),
                ),
                line=13,
            ),
        ),
        source="minimal.yaml",
        content_hash=hashlib.sha256(MINIMAL.encode("utf-8")).hexdigest(),
    )


def test_yes_partly_no_defaults_to_yes_partly_halfway_and_a_failing_no() -> None:
    reviewed = parse_questionnaire(VALID, "t").question("policy.reviewed")
    assert reviewed.options == (
        Option("yes", "Yes", 2.0),
        Option("partly", "Partly", 1.0),
        Option("no", "No", 0.0, fails=True),
    )


def test_a_self_rating_question_offers_the_scales_bands_without_points() -> None:
    rating = parse_questionnaire(VALID, "t").question("policy.self-rating")
    assert rating.options == (Option("green", "Green"), Option("amber", "Amber"), Option("red", "Red"))
    assert all(option.points is None and not option.fails for option in rating.options)


def test_an_explicit_fails_replaces_the_lowest_points_rule() -> None:
    covers = parse_questionnaire(VALID, "t").question("policy.covers")
    assert [option.fails for option in covers.options] == [False, False, True]
    text = edit(
        VALID, "{value: send, label: Children with SEND, points: 1}", "{value: send, label: SEND, points: 0}"
    )
    covers = parse_questionnaire(text, "t").question("policy.covers")
    assert [(option.value, option.fails) for option in covers.options] == [
        ("child-on-child", False),
        ("send", False),
        ("none", True),
    ]


def test_options_worth_the_lowest_points_fail_when_none_says_fails() -> None:
    text = edit(VALID, "points: 0, fails: true}", "points: 0}")
    covers = parse_questionnaire(text, "t").question("policy.covers")
    assert [option.fails for option in covers.options] == [False, False, True]


def test_unscored_choice_options_keep_no_points_and_none_fails() -> None:
    phase = parse_questionnaire(VALID, "t").question("setting.phase")
    assert phase.options == (Option("primary", "Primary"), Option("secondary", "Secondary"))


def test_evidence_required_when_implies_evidence_is_allowed() -> None:
    published = parse_questionnaire(VALID, "t").question("policy.published")
    assert published.evidence == EvidenceRule(
        allowed=True, required_when=("yes",), hint="A link to the policy"
    )


def test_show_if_shorthand_is_one_condition_that_must_hold() -> None:
    reviewed = parse_questionnaire(VALID, "t").question("policy.reviewed")
    assert reviewed.show_if == ShowIf("all", (Condition("policy.published", ("yes",)),))


def test_show_if_any_keeps_each_condition_with_its_values_as_strings() -> None:
    covers = parse_questionnaire(VALID, "t").question("policy.covers")
    assert covers.show_if == ShowIf(
        "any",
        (Condition("setting.phase", ("secondary",)), Condition("policy.reviewed", ("yes", "partly"))),
    )


def test_show_if_all_is_read_as_mode_all() -> None:
    text = edit(VALID, "          any:\n", "          all:\n")
    assert parse_questionnaire(text, "t").question("policy.covers").show_if.mode == "all"


def test_unquoted_yes_and_no_stay_words_and_only_true_and_false_are_booleans() -> None:
    text = edit(VALID, "required: false", "required: off")
    problem = the_problem(text)
    assert problem.line == line_of(text, "required: off")
    assert problem.message == "required must be true or false, got the text 'off'"


def test_weights_references_duties_and_sign_off_are_read() -> None:
    questionnaire = parse_questionnaire(VALID, "t")
    policy = questionnaire.section("policy")
    assert (policy.weight, policy.references, policy.scored) == (2.0, ("KCSIE 2025, Part 2",), True)
    assert questionnaire.section("setting").scored is False
    assert questionnaire.question("policy.covers").weight == 0.5
    assert questionnaire.question("policy.trust-policy").applies_to == (Duty.S157,)
    assert questionnaire.duties == (Duty.S175, Duty.S157)
    assert questionnaire.sign_off[1] == SignOffRole(
        "chair-of-governors", "Chair of governors", "", (Duty.S175,)
    )
    assert questionnaire.question("policy.notes").required is False
    assert questionnaire.question("policy.reviewed").na_allowed is True


def test_questions_and_sections_remember_the_line_they_start_on() -> None:
    questionnaire = parse_questionnaire(VALID, "t")
    assert questionnaire.section("policy").line == line_of(VALID, "- id: policy\n".strip())
    assert questionnaire.question("policy.notes").line == line_of(VALID, "- id: policy.notes")


def test_parsing_the_same_text_twice_gives_equal_questionnaires() -> None:
    assert parse_questionnaire(VALID, "a.yaml") == parse_questionnaire(VALID, "a.yaml")


def test_the_content_hash_is_the_sha256_of_the_text_and_changes_with_it() -> None:
    first = parse_questionnaire(VALID, "a.yaml")
    changed = parse_questionnaire(VALID + "# a comment\n", "a.yaml")
    assert first.content_hash == hashlib.sha256(VALID.encode("utf-8")).hexdigest()
    assert changed.content_hash != first.content_hash
    assert changed.sections == first.sections


def test_load_questionnaire_reads_a_utf8_file_and_records_its_path(tmp_path) -> None:
    path = tmp_path / "test.yaml"
    text = edit(VALID, "title: Test safeguarding self-assessment", "title: Auto-évaluation \u2013 test")
    path.write_text(text, encoding="utf-8")
    questionnaire = load_questionnaire(path)
    assert questionnaire.title == "Auto-évaluation \u2013 test"
    assert questionnaire.source == str(path)
    assert questionnaire == parse_questionnaire(text, str(path))


def test_windows_line_endings_and_a_byte_order_mark_load_the_same(tmp_path) -> None:
    path = tmp_path / "windows.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode("utf-8"))
    assert load_questionnaire(path).sections == parse_questionnaire(VALID, "t").sections


def test_a_file_that_is_not_utf8_is_a_problem_at_its_first_bad_byte(tmp_path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(edit(VALID, "title: Test", "title: Tést").encode("latin-1"))
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (3, 9)
    assert "not UTF-8" in problem.message and "0xe9" in problem.message


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path) -> None:
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(tmp_path / "nowhere.yaml")
    assert [problem.message for problem in caught.value.problems] == ["no such file or folder"]


def test_a_questionnaire_error_says_its_first_problem() -> None:
    with pytest.raises(QuestionnaireError, match=r"invalid questionnaire: t:2:10: version must be text"):
        parse_questionnaire(edit(VALID, 'version: "2025.1"', "version: 2025.1"), "t")


def test_every_shipped_questionnaire_loads_without_problems() -> None:
    folder = REPO / "questionnaires"
    assert [str(problem) for problem in check_paths([folder])] == []
    for path in sorted(folder.glob("*.yaml")):
        assert load_questionnaire(path).sections


def test_the_readme_example_loads_as_documented() -> None:
    readme = (REPO / "questionnaires" / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(id: .*?)```", readme, re.DOTALL)
    assert example is not None
    questionnaire = parse_questionnaire(example.group(1), "README.md")
    assert questionnaire.question("leadership.named-lead").critical
    assert questionnaire.question("leadership.lead-in-job-description").evidence.allowed
