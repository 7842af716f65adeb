"""Comparing two versions of a questionnaire by question and section id."""

from __future__ import annotations

from scoring.definitions import (
    Change,
    QuestionnaireDiff,
    diff_questionnaires,
    parse_questionnaire,
    render_diff,
)

from .helpers import VALID, edit

OLD = parse_questionnaire(VALID, "old.yaml")


def diff_to(text: str) -> QuestionnaireDiff:
    return diff_questionnaires(
        OLD, parse_questionnaire(edit(text, 'version: "2025.1"', 'version: "2026.1"'), "new.yaml")
    )


def test_identical_questionnaires_have_no_differences() -> None:
    diff = diff_questionnaires(OLD, parse_questionnaire(VALID, "copy.yaml"))
    assert diff.empty
    assert render_diff(diff) == [
        "Comparing test-standards 2025.1 with test-standards 2025.1",
        "No differences in sections, questions or scale.",
    ]


def test_added_and_removed_questions_are_listed_by_id() -> None:
    text = edit(VALID, "- id: policy.notes", "- id: policy.anything-else")
    diff = diff_to(text)
    assert diff.added_questions == ("policy.anything-else",)
    assert diff.removed_questions == ("policy.notes",)
    assert diff.changed_questions == ()


def test_added_and_removed_sections_are_listed_by_id() -> None:
    text = edit(VALID, "  - id: setting\n", "  - id: about\n")
    text = text.replace("setting.", "about.")
    diff = diff_to(text)
    assert diff.added_sections == ("about",)
    assert diff.removed_sections == ("setting",)
    assert diff.added_questions == ("about.pupils", "about.phase")


def test_each_kind_of_question_change_is_described() -> None:
    text = edit(VALID, "text: Anything else the panel should know?", "text: Anything else?")
    text = edit(text, "        type: yes_partly_no\n", "        type: yes_no\n")
    text = edit(text, "weight: 0.5", "weight: 1.5")
    text = edit(text, "        critical: true\n", "")
    text = edit(text, "        required: false\n", "")
    text = edit(text, "        na_allowed: true\n", "")
    text = edit(text, "applies_to: [s157]", "applies_to: [s175, s157]")
    text = edit(
        text, "{value: send, label: Children with SEND, points: 1}", "{value: send, label: SEND, points: 2}"
    )
    text = edit(text, "            - {question: setting.phase, is: secondary}\n", "")
    text = edit(text, "in: [yes, partly]", "in: [yes]")
    diff = diff_to(text)
    assert diff.changed_questions == (
        Change("policy.published", ("critical: true -> false",)),
        Change(
            "policy.reviewed",
            (
                "type: yes_partly_no -> yes_no",
                "option removed: 'partly'",
                "na_allowed: true -> false",
            ),
        ),
        Change(
            "policy.covers",
            (
                "option 'send' points: 1 points -> 2 points",
                "option 'send' label: 'Children with SEND' -> 'SEND'",
                "weight: 0.5 -> 1.5",
                "show_if: setting.phase is secondary or policy.reviewed is yes or partly -> policy.reviewed is yes",
            ),
        ),
        Change("policy.trust-policy", ("applies to: s157 -> s175, s157",)),
        Change(
            "policy.notes",
            ("text: 'Anything else the panel should know?' -> 'Anything else?'", "required: false -> true"),
        ),
    )


def test_show_if_and_evidence_changes_are_described_in_words() -> None:
    text = edit(VALID, "        show_if: {question: policy.published, is: yes}\n", "")
    text = edit(
        text, 'evidence: {required_when: ["yes"], hint: A link to the policy}', "evidence: {allowed: true}"
    )
    diff = diff_to(text)
    assert diff.changed_questions == (
        Change("policy.published", ("evidence: required when yes -> allowed",)),
        Change("policy.reviewed", ("show_if: policy.published is yes -> always shown",)),
    )


def test_a_question_moved_to_another_section_is_a_change_not_an_addition() -> None:
    text = edit(
        VALID,
        "      - id: setting.pupils\n        text: How many pupils are on roll?\n        type: number\n",
        "",
    )
    text += "      - id: setting.pupils\n        text: How many pupils are on roll?\n        type: number\n"
    diff = diff_to(text)
    assert diff.added_questions == diff.removed_questions == ()
    assert diff.changed_questions == (
        Change("setting.pupils", ("moved from section 'setting' to 'policy'",)),
    )


def test_changes_to_sections_and_the_scale_are_described() -> None:
    text = edit(VALID, "    weight: 2\n", "    weight: 3\n")
    text = edit(text, "min_score: 0.8", "min_score: 0.85")
    diff = diff_to(text)
    assert diff.changed_sections == (Change("policy", ("weight: 2 -> 3",)),)
    assert diff.other_changes == (
        "scale bands: green from 0.8, amber from 0.5, red from 0 -> green from 0.85, amber from 0.5, red from 0",
    )


def test_the_rendered_diff_lists_everything_under_headings() -> None:
    text = edit(VALID, "- id: policy.notes", "- id: policy.anything-else")
    text = edit(text, "weight: 0.5", "weight: 2")
    assert render_diff(diff_to(text)) == [
        "Comparing test-standards 2025.1 with test-standards 2026.1",
        "Questions added (1):",
        "  + policy.anything-else",
        "Questions removed (1):",
        "  - policy.notes",
        "Questions changed (1):",
        "  ~ policy.covers",
        "      weight: 0.5 -> 2",
    ]
