"""The engine's inputs: answers and evidence as plain data, and how answers are read.

Answer values follow the table in :mod:`scoring.definitions.model`. Reading checks each
answer against its question, so everything after it can trust the answers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from scoring.definitions.model import (
    Question,
    Questionnaire,
    QuestionType,
    Scale,
)


class InvalidAnswer(ValueError):
    """An answer that does not fit its questionnaire: an unknown question or option, a
    question answered twice, or "not applicable" where the question does not allow it."""


@dataclass(frozen=True)
class Answer:
    """One answer as stored.

    ``value`` is as described in :mod:`scoring.definitions.model` (a list of option
    values for multiple choice). A blank value (None, an empty string, a list with
    nothing in it) is no answer at all. "Not applicable" is an answer with no value and
    a ``na_reason``; it only counts as answered for progress when the reason is not
    blank.
    """

    question_id: str
    value: object = None
    na_reason: str | None = None

    @property
    def not_applicable(self) -> bool:
        return self.na_reason is not None


@dataclass(frozen=True)
class EvidenceFile:
    """One uploaded file, as the upload check found it."""

    name: str
    empty: bool = False  # no content, or a document with no text on any page
    unreadable: bool = False  # could not be opened

    @property
    def usable(self) -> bool:
        return not (self.empty or self.unreadable)


@dataclass(frozen=True)
class Evidence:
    """The evidence attached to one question: uploaded files, and a description or
    link."""

    files: tuple[EvidenceFile, ...] = ()
    description: str = ""

    @property
    def file_count(self) -> int:
        return len(self.files)

    @property
    def usable(self) -> bool:
        """A file with content, or a description or link: what required evidence needs.

        A blank document is not evidence: a known weakness of self-audits is that one
        passes for it.
        """
        has_file = any(file.usable for file in self.files)
        return has_file or bool(self.description.strip())


@dataclass(frozen=True)
class Given:
    """An answer checked against its question."""

    not_applicable: bool
    reason_given: bool  # whether a "not applicable" came with a reason
    # Option values (rating ids for a self rating); empty for types without options.
    chosen: frozenset[str]


def choice_values(question: Question, scale: Scale) -> tuple[str, ...]:
    """The values a question's answer is chosen from: its options' values, or the
    scale's rating ids for a self rating. Empty for types without options."""
    if question.type is QuestionType.SELF_RATING:
        return tuple(rating.id for rating in scale.ratings)
    return tuple(option.value for option in question.options)


def is_blank(value: object) -> bool:
    """None, an empty string or NaN: no answer. (An empty list is dealt with where
    multiple choice is read.)"""
    if value is None:
        return True
    if isinstance(value, str):
        return not value
    return isinstance(value, float) and math.isnan(value)


def read_answers(questionnaire: Questionnaire, answers: Iterable[Answer]) -> dict[str, Given]:
    """The answers that say something, by question id; blank answers are left out.

    Raises :class:`InvalidAnswer` for an unknown question, a question answered twice,
    "not applicable" where it is not allowed, or a value that is not one of the
    question's options (rating ids for a self rating).
    """
    questions = {question.id: question for question in questionnaire.questions()}
    given: dict[str, Given] = {}
    seen: set[str] = set()
    for answer in answers:
        question = questions.get(answer.question_id)
        if question is None:
            raise InvalidAnswer(
                f"{answer.question_id!r} is not a question of {questionnaire.id} {questionnaire.version}"
            )
        if question.id in seen:
            raise InvalidAnswer(f"question {question.id} is answered twice")
        seen.add(question.id)
        if answer.not_applicable:
            if not question.na_allowed:
                raise InvalidAnswer(f"question {question.id} cannot be answered 'not applicable'")
            reason_given = bool(answer.na_reason.strip())
            given[question.id] = Given(True, reason_given, frozenset())
        elif not is_blank(answer.value):
            chosen = _chosen(question, questionnaire.scale, answer.value)
            if chosen is not None:
                given[question.id] = Given(False, False, chosen)
    return given


def _chosen(question: Question, scale: Scale, value: object) -> frozenset[str] | None:
    """The chosen values (empty for types without options), or None when a multiple
    choice answer chose nothing."""
    choices = choice_values(question, scale)
    if not choices:
        return frozenset()
    many = isinstance(value, list | tuple | set | frozenset)
    if question.type is QuestionType.MULTIPLE_CHOICE and many:
        values = [item for item in value if not is_blank(item)]
    elif isinstance(value, str):
        values = [value]
    else:
        raise InvalidAnswer(f"question {question.id} takes one of {', '.join(choices)}, not {value!r}")
    for item in values:
        if item not in choices:
            raise InvalidAnswer(
                f"{item!r} is not an answer to question {question.id} (it takes {', '.join(choices)})"
            )
    return frozenset(values) if values else None
