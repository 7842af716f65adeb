"""Answers in words: the same wording on every page and in the PDF copy."""

from __future__ import annotations

from datetime import date

from scoring.definitions.model import Question, Questionnaire, QuestionType

from ..presenters import format_date


def _option_label(question: Question, questionnaire: Questionnaire, value: str) -> str:
    if question.type is QuestionType.SELF_RATING:
        return next((r.label for r in questionnaire.scale.ratings if r.id == value), value)
    return next((o.label for o in question.options if o.value == value), value)


def _date(iso: str | None) -> str:
    try:
        return format_date(date.fromisoformat(iso)) if iso else ""
    except ValueError:
        return iso or ""


def answer_words(question: Question, questionnaire: Questionnaire, value: object) -> str:
    """A stored value in words (empty when unanswered); "not applicable" is shown apart."""
    if value in (None, "", []):
        return ""
    kind = question.type
    if kind is QuestionType.MULTIPLE_CHOICE and isinstance(value, list):
        return "; ".join(_option_label(question, questionnaire, item) for item in value)
    if kind is QuestionType.DATE:
        return _date(value)
    if kind is QuestionType.PERSON and isinstance(value, dict):
        trained = _date(value.get("trained_on"))
        name = value.get("name") or ""
        return f"{name}, last trained {trained}" if trained else f"{name}, no training date given"
    if kind is QuestionType.NUMBER:
        return f"{value:,}" if isinstance(value, int) else str(value)
    if isinstance(value, str) and (question.options or kind is QuestionType.SELF_RATING):
        return _option_label(question, questionnaire, value)
    return str(value)
