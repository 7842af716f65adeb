"""Hypothesis strategies: random questionnaires (as the loader would produce them) and
random answers to them, for property tests and for checking the batch path."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

from scoring import Answer
from scoring.definitions.model import (
    Condition,
    Duty,
    Option,
    Question,
    Questionnaire,
    QuestionType,
    Scale,
    Section,
    ShowIf,
)

from .scoring_builders import MET, RAG, questionnaire

ALL_DUTIES = tuple(Duty)
CHOICE_TYPES = ("yes_no", "yes_partly_no", "single", "unscored", "multiple", "self_rating")
KINDS = (*CHOICE_TYPES, "text")


def _points(draw, scale: Scale) -> float:
    # Points on a grid of quarters of the scale, so ties and boundaries come up.
    step = draw(st.integers(0, 4))
    return scale.points_min + step * (scale.points_max - scale.points_min) / 4


def _options(draw, scale: Scale, kind: str) -> tuple[Option, ...]:
    low, high = scale.points_min, scale.points_max
    if kind == "yes_no":
        return (Option("yes", "Yes", high), Option("no", "No", low, fails=True))
    if kind == "yes_partly_no":
        return (
            Option("yes", "Yes", high),
            Option("partly", "Partly", (low + high) / 2),
            Option("no", "No", low, fails=True),
        )
    if kind == "unscored":
        count = draw(st.integers(2, 4))
        return tuple(Option(f"o{n}", f"Option {n}") for n in range(count))
    count = draw(st.integers(2, 4))
    options = []
    for n in range(count):
        options.append(Option(f"o{n}", f"Option {n}", _points(draw, scale), draw(st.booleans())))
    return tuple(options)


def _show_if(draw, earlier: list[Question], scale: Scale) -> ShowIf | None:
    candidates = [q for q in earlier if q.options or q.type is QuestionType.SELF_RATING]
    if not candidates or draw(st.integers(0, 2)) > 0:
        return None
    conditions = []
    for _ in range(draw(st.integers(1, 2))):
        target = draw(st.sampled_from(candidates))
        values = [o.value for o in target.options] or [r.id for r in scale.ratings]
        chosen = draw(st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True))
        conditions.append(Condition(target.id, tuple(chosen)))
    return ShowIf(draw(st.sampled_from(["any", "all"])), tuple(conditions))


def _duties(draw, duties: tuple[Duty, ...]) -> tuple[Duty, ...]:
    if draw(st.integers(0, 3)) > 0:
        return ()
    return tuple(draw(st.lists(st.sampled_from(duties), min_size=1, max_size=2, unique=True)))


_TYPES = {
    "yes_no": QuestionType.YES_NO,
    "yes_partly_no": QuestionType.YES_PARTLY_NO,
    "single": QuestionType.SINGLE_CHOICE,
    "unscored": QuestionType.SINGLE_CHOICE,
    "multiple": QuestionType.MULTIPLE_CHOICE,
    "self_rating": QuestionType.SELF_RATING,
    "text": QuestionType.TEXT,
}


@st.composite
def questionnaires(draw) -> Questionnaire:
    """1-4 sections of 1-6 questions of every kind, with weights, applies_to, show_if
    on earlier questions, "not applicable", critical questions, optional questions."""
    scale = draw(st.sampled_from([RAG, MET]))
    duties = tuple(draw(st.lists(st.sampled_from(ALL_DUTIES), min_size=1, max_size=3, unique=True)))
    sections: list[Section] = []
    earlier: list[Question] = []
    for s in range(draw(st.integers(1, 4))):
        scored = draw(st.integers(0, 4)) > 0
        questions: list[Question] = []
        for n in range(draw(st.integers(1, 6))):
            kind = draw(st.sampled_from(KINDS))
            if kind == "self_rating" and any(q.type is QuestionType.SELF_RATING for q in questions):
                kind = "yes_no"
            options = () if kind in ("text", "self_rating") else _options(draw, scale, kind)
            fails = any(option.fails for option in options)
            question = Question(
                f"s{s}.q{n}",
                f"Question {s}.{n}?",
                _TYPES[kind],
                required=draw(st.integers(0, 4)) > 0,
                na_allowed=draw(st.booleans()),
                options=options,
                weight=draw(st.sampled_from([0.5, 1.0, 1.0, 2.0, 3.0])),
                critical=fails and kind != "unscored" and draw(st.booleans()),
                show_if=_show_if(draw, earlier, scale),
                applies_to=_duties(draw, duties),
            )
            questions.append(question)
            earlier.append(question)
        if scored and not any(q.scored for q in questions):
            # The loader insists on a scored question in every standard.
            options = _options(draw, scale, "yes_no")
            extra = Question(f"s{s}.extra", "Extra?", QuestionType.YES_NO, options=options)
            questions.append(extra)
            earlier.append(extra)
        sections.append(
            Section(
                f"s{s}",
                f"Standard {s}",
                questions=tuple(questions),
                scored=scored,
                weight=draw(st.sampled_from([0.5, 1.0, 2.0])),
                applies_to=_duties(draw, duties),
            )
        )
    return questionnaire(*sections, scale=scale, duties=duties)


def choices_of(question: Question, scale: Scale) -> list[str]:
    if question.type is QuestionType.SELF_RATING:
        return [rating.id for rating in scale.ratings]
    return [option.value for option in question.options]


@st.composite
def answer_sets(draw, form: Questionnaire) -> list[Answer]:
    """Answers to some of the questions: values, blanks, "not applicable" (with or
    without a reason) where allowed."""
    given = []
    for question in form.questions():
        what = draw(st.sampled_from(["skip", "answer", "answer", "answer", "na"]))
        if what == "skip":
            continue
        if what == "na" and question.na_allowed:
            given.append(Answer(question.id, na_reason=draw(st.sampled_from(["Not ours", ""]))))
            continue
        choices = choices_of(question, form.scale)
        if question.type is QuestionType.MULTIPLE_CHOICE:
            value = draw(st.lists(st.sampled_from(choices), max_size=len(choices), unique=True))
        elif choices:
            value = draw(st.sampled_from(choices))
        else:
            value = draw(st.sampled_from(["Reviewed in March", ""]))
        given.append(Answer(question.id, value))
    return given


def long_frame(returns: dict[object, list[Answer]], *, lists: bool) -> pd.DataFrame:
    """The answers of many returns as score_many's long frame: a row per answer, and
    for multiple choice a row per chosen option (or, with ``lists``, the list)."""
    rows = []
    for return_id, given in returns.items():
        for answer in given:
            if answer.not_applicable:
                rows.append((return_id, answer.question_id, None, True, answer.na_reason))
            elif isinstance(answer.value, list) and not lists:
                for value in answer.value or [None]:
                    rows.append((return_id, answer.question_id, value, False, None))
            else:
                rows.append((return_id, answer.question_id, answer.value, False, None))
    return pd.DataFrame(rows, columns=["return_id", "question_id", "value", "na", "na_reason"])
