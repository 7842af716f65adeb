"""A small valid questionnaire, and helpers for tests that break it one way at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.definitions import Problem, QuestionnaireError, parse_questionnaire

FILES = Path(__file__).parent / "files"
REPO = Path(__file__).resolve().parents[3]

VALID = """\
id: test-standards
version: "2025.1"
title: Test safeguarding self-assessment
legal_basis: Education Act 2002, sections 175 and 157
duties: [s175, s157]
scale:
  name: RAG
  points: {min: 0, max: 2}
  ratings:
    - {id: green, label: Green, meaning: Fully meets the standard, colour: green, min_score: 0.8}
    - {id: amber, label: Amber, meaning: Partly meets the standard, colour: amber, min_score: 0.5}
    - {id: red, label: Red, meaning: Does not meet the standard, colour: red, min_score: 0}
sign_off:
  - {id: head-teacher, label: Head teacher}
  - {id: chair-of-governors, label: Chair of governors, applies_to: [s175]}
declaration: We confirm this return is accurate.
sections:
  - id: setting
    title: About the setting
    scored: false
    questions:
      - id: setting.pupils
        text: How many pupils are on roll?
        type: number
      - id: setting.phase
        text: Which phase of education do you provide?
        type: single_choice
        options:
          - {value: primary, label: Primary}
          - {value: secondary, label: Secondary}
  - id: policy
    title: Child protection policy
    references: ["KCSIE 2025, Part 2"]
    weight: 2
    questions:
      - id: policy.published
        text: Is the child protection policy published on the website?
        references: ["KCSIE 2025, paragraph 103"]
        type: yes_no
        critical: true
        evidence: {required_when: ["yes"], hint: A link to the policy}
      - id: policy.reviewed
        text: Has the governing body reviewed the policy in the last 12 months?
        type: yes_partly_no
        show_if: {question: policy.published, is: yes}
        na_allowed: true
      - id: policy.covers
        text: Which topics does the policy cover?
        type: multiple_choice
        weight: 0.5
        options:
          - {value: child-on-child, label: Child-on-child abuse, points: 1}
          - {value: send, label: Children with SEND, points: 1}
          - {value: none, label: None of these, points: 0, fails: true}
        show_if:
          any:
            - {question: setting.phase, is: secondary}
            - {question: policy.reviewed, in: [yes, partly]}
      - id: policy.trust-policy
        text: Does the trust's child protection policy apply to the school?
        type: yes_no
        applies_to: [s157]
      - id: policy.notes
        text: Anything else the panel should know?
        type: text
        required: false
      - id: policy.self-rating
        text: How do you rate the school against this standard?
        type: self_rating
"""


def edit(text: str, old: str, new: str) -> str:
    """``text`` with the one occurrence of ``old`` replaced by ``new``."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """The 1-based number of the line holding the ``occurrence``-th line containing ``fragment``."""
    lines = [number for number, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(lines) >= occurrence, f"{fragment!r} is on {len(lines)} lines"
    return lines[occurrence - 1]


def place(text: str, fragment: str, occurrence: int = 1) -> tuple[int, int]:
    """The (line, column), both from 1, where the ``occurrence``-th ``fragment`` starts."""
    start = -1
    for _ in range(occurrence):
        start = text.index(fragment, start + 1)
    before = text[:start]
    return before.count("\n") + 1, start - (before.rfind("\n") + 1) + 1


def problems_in(text: str) -> list[Problem]:
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text, "test.yaml")
    return caught.value.problems


def the_problem(text: str) -> Problem:
    """The single problem ``text`` has (failing if it has none or several)."""
    problems = problems_in(text)
    assert len(problems) == 1, "\n".join(str(problem) for problem in problems)
    return problems[0]
