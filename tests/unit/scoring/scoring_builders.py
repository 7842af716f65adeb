"""Small builders for questionnaires and answers, saying only what a test needs.

Questionnaires are built straight from the model's dataclasses with options, points and
failing options already filled in, as the loader leaves them.
"""

from __future__ import annotations

from scoring import Answer
from scoring.definitions.model import (
    Condition,
    Duty,
    EvidenceRule,
    Option,
    Question,
    Questionnaire,
    QuestionType,
    Rating,
    Scale,
    Section,
    ShowIf,
)

# The README's example scale: points 0 to 2, green from 0.85, amber from 0.5.
RAG = Scale(
    name="RAG",
    ratings=(
        Rating("green", "Green", "Fully meets the standard", 0.85, "green"),
        Rating("amber", "Amber", "Partly meets the standard", 0.5, "amber"),
        Rating("red", "Red", "Does not meet the standard", 0.0, "red"),
    ),
    points_min=0,
    points_max=2,
)

# Four bands, 1 to 4 points, for "two bands apart" and a scale not starting at 0.
MET = Scale(
    name="Fully / Mostly / Partially / Not met",
    ratings=(
        Rating("fully", "Fully met", "Fully met", 0.9, "green"),
        Rating("mostly", "Mostly met", "Mostly met", 0.6, "amber"),
        Rating("partially", "Partially met", "Partially met", 0.3, "amber"),
        Rating("not-met", "Not met", "Not met", 0.0, "red"),
    ),
    points_min=1,
    points_max=4,
)


def _options(scale: Scale, points: dict[str, float], fails: tuple[str, ...] | None):
    # The loader's default: with no option marked, the options worth points.min fail.
    if fails is None:
        fails = tuple(value for value, worth in points.items() if worth == scale.points_min)
    return tuple(Option(value, value.capitalize(), worth, value in fails) for value, worth in points.items())


def yes_no(question_id: str, scale: Scale = RAG, **fields) -> Question:
    """Yes worth points.max, no worth points.min (failing)."""
    points = {"yes": scale.points_max, "no": scale.points_min}
    return Question(
        question_id,
        f"Question {question_id}?",
        QuestionType.YES_NO,
        options=_options(scale, points, None),
        **fields,
    )


def yes_partly_no(question_id: str, scale: Scale = RAG, **fields) -> Question:
    """Yes = max, partly = halfway, no = min (failing)."""
    middle = (scale.points_min + scale.points_max) / 2
    points = {"yes": scale.points_max, "partly": middle, "no": scale.points_min}
    return Question(
        question_id,
        f"Question {question_id}?",
        QuestionType.YES_PARTLY_NO,
        options=_options(scale, points, None),
        **fields,
    )


def choice(
    question_id: str,
    points: dict[str, float | None],
    *,
    multiple: bool = False,
    fails: tuple[str, ...] | None = None,
    scale: Scale = RAG,
    **fields,
) -> Question:
    """A single or multiple choice question with the given points per option value."""
    kind = QuestionType.MULTIPLE_CHOICE if multiple else QuestionType.SINGLE_CHOICE
    if all(worth is None for worth in points.values()):
        options = tuple(Option(value, value.capitalize()) for value in points)
    else:
        options = _options(scale, points, fails)
    return Question(question_id, f"Question {question_id}?", kind, options=options, **fields)


def self_rating(question_id: str, **fields) -> Question:
    return Question(question_id, "How do you rate yourselves?", QuestionType.SELF_RATING, **fields)


def free_text(question_id: str, **fields) -> Question:
    return Question(question_id, f"Question {question_id}?", QuestionType.TEXT, **fields)


def documents(question_id: str, **fields) -> Question:
    return Question(
        question_id,
        f"Documents for {question_id}",
        QuestionType.EVIDENCE,
        evidence=EvidenceRule(allowed=True),
        **fields,
    )


def shown_if(question_id: str, *values: str) -> ShowIf:
    return ShowIf("all", (Condition(question_id, values),))


def shown_if_any(*conditions: tuple[str, tuple[str, ...]]) -> ShowIf:
    return ShowIf("any", tuple(Condition(question, values) for question, values in conditions))


def shown_if_all(*conditions: tuple[str, tuple[str, ...]]) -> ShowIf:
    return ShowIf("all", tuple(Condition(question, values) for question, values in conditions))


def section(section_id: str, *questions: Question, **fields) -> Section:
    return Section(section_id, f"Standard {section_id}", questions=questions, **fields)


def questionnaire(
    *sections: Section, scale: Scale = RAG, duties: tuple[Duty, ...] = (Duty.S11,)
) -> Questionnaire:
    return Questionnaire(
        id="test-standards",
        version="2025.1",
        title="Test self-assessment",
        legal_basis="Children Act 2004, section 11",
        duties=duties,
        scale=scale,
        sections=sections,
    )


class NotApplicable:
    """Stands for a "not applicable" answer in :func:`answers`."""

    def __init__(self, reason: str = "We do not provide this service") -> None:
        self.reason = reason


NA = NotApplicable()


def answers(values: dict[str, object]) -> list[Answer]:
    """Answers from question id to value (or :data:`NA` / :class:`NotApplicable`)."""
    return [
        Answer(question_id, na_reason=value.reason)
        if isinstance(value, NotApplicable)
        else Answer(question_id, value)
        for question_id, value in values.items()
    ]
