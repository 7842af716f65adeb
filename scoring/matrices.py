"""A cycle's answers as boolean matrices, for :mod:`scoring.batch`.

Returns are rows. Questions are columns of ``answered`` / ``na`` / ``visible``, and every
choice (an option, or a band of the scale for a self rating) is a column of ``chosen``.
Matrices are column-major so that the per-question work reads contiguous memory.
Reading checks the answers as :func:`scoring.answers.read_answers` does and raises the
same :class:`~scoring.answers.InvalidAnswer`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from scoring.answers import InvalidAnswer, choice_values
from scoring.definitions.model import Duty, Questionnaire, QuestionType


class Layout:
    """The questionnaire as arrays: positions of questions, choices and sections."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        self.scale = questionnaire.scale
        self.questions = questionnaire.questions()
        self.position = {question.id: q for q, question in enumerate(self.questions)}
        self.section_of = np.array(
            [s for s, section in enumerate(questionnaire.sections) for _ in section.questions],
            dtype=np.intp,
        )
        self.choices = [choice_values(question, self.scale) for question in self.questions]
        counts = np.array([len(choices) for choices in self.choices], dtype=np.intp)
        self.first_choice = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
        self.choice_count = int(counts.sum())
        self.has_choices = counts > 0
        self.multiple = self._each(lambda q: q.type is QuestionType.MULTIPLE_CHOICE)
        self.na_allowed = self._each(lambda q: q.na_allowed)
        self.required = self._each(lambda q: q.required)
        # duties x questions: the question and its section apply to the duty.
        self.applies = np.array(
            [
                [
                    section.applies(duty) and question.applies(duty)
                    for section in questionnaire.sections
                    for question in section.questions
                ]
                for duty in questionnaire.duties
            ],
            dtype=bool,
        ).reshape(len(questionnaire.duties), len(self.questions))
        self.standards = [section for section in questionnaire.sections if section.scored]

    def _each(self, test) -> np.ndarray:
        return np.array([test(question) for question in self.questions], dtype=bool)

    def columns(self, question_id: str, values: tuple[str, ...] | None = None) -> list[int]:
        """The ``chosen`` columns of a question's choices, or of those among ``values``."""
        q = self.position[question_id]
        choices = self.choices[q]
        wanted = choices if values is None else [value for value in choices if value in values]
        return [int(self.first_choice[q]) + choices.index(value) for value in wanted]


def return_index(
    questionnaire: Questionnaire, duties: Mapping[object, Duty | str] | pd.Series
) -> tuple[pd.Index, np.ndarray]:
    """The return ids (rows, in the order given) and each one's duty as a position in
    ``questionnaire.duties``."""
    duties = duties if isinstance(duties, pd.Series) else pd.Series(duties, dtype=object)
    if not duties.index.is_unique:
        raise ValueError("each return needs exactly one duty; some return ids repeat")
    # A Duty member and its plain string value both name the duty.
    served: dict[object, int] = {}
    for code, duty in enumerate(questionnaire.duties):
        served[duty] = served[duty.value] = code
    codes = duties.astype(object).map(served)
    if codes.isna().any():
        unknown = duties[codes.isna()].iloc[0]
        raise ValueError(f"{questionnaire.id} {questionnaire.version} does not serve the duty {unknown!r}")
    return pd.Index(duties.index), codes.to_numpy(dtype=np.intp)


class AnswerMatrices:
    """A long answer frame read into matrices.

    ``chosen`` (returns x choices), ``answered`` (a value that is not blank),
    ``na`` ("not applicable") and ``na_with_reason`` (returns x questions).
    """

    def __init__(self, layout: Layout, frame: pd.DataFrame, returns: pd.Index) -> None:
        self.layout = layout
        self.returns = returns
        rows, questions, values, na, reason = self._columns(frame)
        rows, questions, values, na, reason = self._spread_lists(rows, questions, values, na, reason)
        bad = na & ~layout.na_allowed[questions]
        if bad.any():
            first = np.flatnonzero(bad)[0]
            raise self._error(rows[first], questions[first], "cannot be answered 'not applicable'")
        with_choices = np.flatnonzero(layout.has_choices[questions] & ~na)
        ordinals, blank_choice = self._choice_ordinals(
            rows[with_choices], questions[with_choices], values[with_choices]
        )
        blank = np.zeros(len(values), dtype=bool)
        blank[with_choices] = blank_choice
        others = np.flatnonzero(~layout.has_choices[questions] & ~na)
        blank[others] = pd.isna(values[others]) | (values[others] == "")
        given = ~na & ~blank

        n = len(returns)
        self.chosen = np.zeros((n, layout.choice_count), dtype=bool, order="F")
        keep = with_choices[~blank_choice]
        first_choice = layout.first_choice[questions[keep]]
        self.chosen[rows[keep], first_choice + ordinals[~blank_choice]] = True
        # Cell numbers of a column-major returns x questions matrix.
        cells = questions * n + rows
        self.answered = self._matrix(cells[given])
        self.na = self._matrix(cells[na])
        self.na_with_reason = self._matrix(cells[na & reason])
        self._refuse_repeats(cells, given, na, questions)

    def _matrix(self, cells: np.ndarray) -> np.ndarray:
        flat = np.zeros(len(self.returns) * len(self.layout.questions), dtype=bool)
        flat[cells] = True
        return flat.reshape((len(self.returns), len(self.layout.questions)), order="F")

    def _error(self, row: int, q: int, problem: str) -> InvalidAnswer:
        question_id = self.layout.questions[q].id
        return InvalidAnswer(f"return {plain(self.returns[row])!r}: question {question_id} {problem}")

    def _columns(self, frame: pd.DataFrame):
        for column in ("return_id", "question_id"):
            if column not in frame.columns:
                raise ValueError(f"the answers frame needs a {column!r} column")
        rows = self.returns.get_indexer(frame["return_id"])
        if (rows < 0).any():
            unknown = plain(frame["return_id"].to_numpy()[rows < 0][0])
            raise ValueError(f"answers for return {unknown!r}, which has no duty")
        # Factorising first means one dictionary look-up per distinct question id.
        codes, uniques = pd.factorize(frame["question_id"])
        known = self.layout.position
        lookup = np.array([known.get(question_id, -1) for question_id in uniques])
        if (codes < 0).any() or (lookup < 0).any():
            unknown = next((item for item in uniques if item not in known), None)
            raise InvalidAnswer(f"{unknown!r} is not a question of {self.layout.questionnaire.id}")
        questions = lookup[codes].astype(np.intp)
        size = len(frame)
        if "value" in frame.columns:
            values = frame["value"].to_numpy(dtype=object)
        else:
            values = np.full(size, None, dtype=object)
        if "na" in frame.columns:
            na = frame["na"].fillna(False).to_numpy(dtype=bool)
        else:
            na = np.zeros(size, dtype=bool)
        if "na_reason" in frame.columns:
            reasons = frame["na_reason"].fillna("").astype(str).str.strip()
            reason = reasons.ne("").to_numpy(dtype=bool)
        else:
            reason = np.ones(size, dtype=bool)
        return rows, questions, values, na, reason

    def _spread_lists(self, rows, questions, values, na, reason):
        # Multiple choice comes as one row per chosen option or as a list in one row;
        # spreading lists into rows (an empty list into one blank row) makes them alike.
        spread = self.layout.multiple[questions] & ~na
        if pd.api.types.infer_dtype(values[spread], skipna=True) in ("string", "empty"):
            return rows, questions, values, na, reason
        exploded = pd.Series(values[spread], index=np.flatnonzero(spread)).explode()
        source = np.concatenate([np.flatnonzero(~spread), exploded.index.to_numpy()])
        values = np.concatenate([values[~spread], exploded.to_numpy(dtype=object)])
        return rows[source], questions[source], values, na[source], reason[source]

    def _choice_ordinals(self, rows, questions, values):
        """Each answer's position among its question's choices, and which are blank."""
        layout = self.layout
        try:
            codes, distinct = pd.factorize(values)
        except TypeError:
            first = next(i for i, value in enumerate(values) if not _hashable(value))
            raise self._error(
                rows[first], questions[first], f"takes an option, not {values[first]!r}"
            ) from None
        distinct = list(distinct)
        # Rows: questions; columns: distinct values, then one for a missing value.
        table = np.full((len(layout.questions), len(distinct) + 1), -1, dtype=np.intp)
        column_of = {value: c for c, value in enumerate(distinct) if isinstance(value, str)}
        for q, choices in enumerate(layout.choices):
            for ordinal, value in enumerate(choices):
                if value in column_of:
                    table[q, column_of[value]] = ordinal
        blank_value = np.array([value == "" for value in distinct] + [True], dtype=bool)
        codes = np.where(codes < 0, len(distinct), codes)
        ordinals = table[questions, codes]
        blank = blank_value[codes]
        invalid = ~blank & (ordinals < 0)
        if invalid.any():
            first = np.flatnonzero(invalid)[0]
            q = questions[first]
            raise InvalidAnswer(
                f"return {plain(self.returns[rows[first]])!r}: {distinct[codes[first]]!r} is not "
                f"an answer to question {layout.questions[q].id} "
                f"(it takes {', '.join(layout.choices[q])})"
            )
        return ordinals, blank

    def _refuse_repeats(self, cells, given, na, questions):
        # One answer per question, except that multiple choice has a row per option.
        # Each answer row set one cell, so fewer cells than rows means a repeat; only
        # then is it worth finding which.
        single = (given & ~self.layout.multiple[questions]) | na
        set_cells = np.count_nonzero(self.answered & ~self.layout.multiple) + np.count_nonzero(self.na)
        both = self.na & self.answered
        if set_cells == np.count_nonzero(single) and not both.any():
            return
        counts = np.bincount(cells[single], minlength=self.answered.size) + both.reshape(-1, order="F")
        first = int(np.flatnonzero(counts > 1)[0])
        n = len(self.returns)
        raise self._error(first % n, first // n, "is answered twice")


def plain(value: object) -> object:
    """A numpy scalar as the Python value it holds, for messages (1, not np.int64(1))."""
    return value.item() if isinstance(value, np.generic) else value


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def visibility(layout: Layout, answers: AnswerMatrices, duty_codes: np.ndarray) -> np.ndarray:
    """returns x questions: shown to the organisation, by the engine's rules."""
    # Questionnaire order, as in the engine: conditions only see questions settled.
    applies = np.asfortranarray(layout.applies[duty_codes])
    visible = np.zeros_like(applies, order="F")
    for q, question in enumerate(layout.questions):
        if question.show_if is None:
            visible[:, q] = applies[:, q]
            continue
        results = [
            visible[:, layout.position[condition.question]]
            & answers.chosen[:, layout.columns(condition.question, condition.values)].any(axis=1)
            for condition in question.show_if.conditions
        ]
        if question.show_if.mode == "any":
            holds = np.logical_or.reduce(results)
        else:
            holds = np.logical_and.reduce(results)
        visible[:, q] = applies[:, q] & holds
    return visible
