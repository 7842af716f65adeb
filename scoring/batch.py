"""Scoring a whole cycle at once: a long frame of answers in, result frames out.

The rules are :func:`scoring.engine.score_return`'s, applied with numpy to every return
together. The answers become boolean matrices (:mod:`scoring.matrices`) and each rule
is a few array operations per question or per standard, never a Python step per answer.
Sums run in questionnaire order with the same floating-point operations as the engine,
so scores are equal to the last bit and ratings identical.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.definitions.model import Duty, Questionnaire, Section
from scoring.matrices import AnswerMatrices, Layout, plain, return_index, visibility
from scoring.ratings import BOUNDARY_TOLERANCE, band_range
from scoring.results import StandardStatus

# Status codes in the categoricals: positions in _STATUSES.
_STATUSES = [
    StandardStatus.RATED.value,
    StandardStatus.NOT_APPLICABLE.value,
    StandardStatus.UNRATED.value,
]
_RATED, _NOT_APPLICABLE, _UNRATED = 0, 1, 2
COLOURS = ["green", "amber", "red"]


@dataclass(frozen=True)
class BatchScores:
    """The scores of many returns, as frames.

    ``standards``: one row per return and standard (returns in the order of ``duties``,
    standards in questionnaire order): ``return_id``, ``section_id``, ``status``,
    ``score`` (NaN unless rated), ``rating`` (after the critical cap), ``capped``,
    ``self_rating``, ``self_rating_mismatch``, ``moderated_rating``, ``final_rating``
    (moderated, else scored), ``final_position`` (0 for the best band, -1 for none),
    ``final_colour``, ``answered`` and ``required``.

    ``overall``: one row per return: ``return_id``, ``duty``, ``status``, ``score``,
    ``rating``, ``capped`` and ``colour`` with moderation applied; ``scored_status``,
    ``scored_score``, ``scored_rating`` and ``scored_capped`` without it; ``answered``
    and ``required`` over every section.

    ``questions`` (when asked for): one row per question that counted towards its
    standard: ``return_id``, ``section_id``, ``question_id``, ``score``.

    Ids, ratings, statuses and colours are categoricals; rating categories are the
    scale's bands, best first.
    """

    standards: pd.DataFrame
    overall: pd.DataFrame
    questions: pd.DataFrame | None = None


def _question_scores(layout: Layout, chosen: np.ndarray, q: int) -> np.ndarray:
    # The engine's question_score for every return: points added in option order, kept
    # within the scale's points, scaled to 0-1. Adding 0.0 for an option not chosen
    # leaves each sum exactly the engine's.
    scale = layout.scale
    question = layout.questions[q]
    total = np.zeros(chosen.shape[0])
    for column, option in zip(layout.columns(question.id), question.options, strict=True):
        total = total + np.where(chosen[:, column], option.points, 0.0)
    total = np.minimum(np.maximum(total, scale.points_min), scale.points_max)
    return (total - scale.points_min) / (scale.points_max - scale.points_min)


def _band_positions(layout: Layout, scores: np.ndarray) -> np.ndarray:
    tolerance = BOUNDARY_TOLERANCE
    thresholds = np.array([rating.min_score - tolerance for rating in layout.scale.ratings])
    reached = np.nan_to_num(scores, nan=-1.0)[:, None] >= thresholds[None, :]
    return np.where(reached.any(axis=1), reached.argmax(axis=1), len(thresholds) - 1)


def _mismatch(layout: Layout, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    colours = np.array([rating.colour for rating in layout.scale.ratings], dtype=object)
    green, red = colours == "green", colours == "red"
    opposite = (green[first] & red[second]) | (red[first] & green[second])
    return opposite | (np.abs(first - second) >= 2)


def _standard(
    layout: Layout,
    section: Section,
    answers: AnswerMatrices,
    visible: np.ndarray,
    question_scores: np.ndarray | None,
) -> dict[str, np.ndarray]:
    """The engine's _score_standard, for every return at once."""
    n = len(answers.returns)
    counted = visible & answers.answered
    total, weights = np.zeros(n), np.zeros(n)
    unanswered = np.zeros(n, dtype=bool)
    capped = np.zeros(n, dtype=bool)
    for question in section.questions:
        if not question.scored:
            continue
        q = layout.position[question.id]
        scores = _question_scores(layout, answers.chosen, q)
        counts = counted[:, q]
        total = total + np.where(counts, question.weight * scores, 0.0)
        weights = weights + np.where(counts, question.weight, 0.0)
        unanswered |= visible[:, q] & ~answers.answered[:, q] & ~answers.na[:, q]
        if question.critical:
            failing = tuple(option.value for option in question.options if option.fails)
            columns = layout.columns(question.id, failing)
            capped |= counts & answers.chosen[:, columns].any(axis=1)
        if question_scores is not None:
            question_scores[:, q] = np.where(counts, scores, np.nan)
    rated = weights > 0
    score = np.divide(total, weights, out=np.full(n, np.nan), where=rated)
    worst = len(layout.scale.ratings) - 1
    position = np.where(capped, worst, _band_positions(layout, score))
    position = np.where(rated, position, -1)
    self_position = np.full(n, -1, dtype=np.intp)
    rating_question = section.self_rating_question
    if rating_question is not None:
        q = layout.position[rating_question.id]
        bands = answers.chosen[:, layout.columns(rating_question.id)]
        given = visible[:, q] & answers.answered[:, q]
        self_position = np.where(given, bands.argmax(axis=1), -1)
    mismatch = rated & (self_position >= 0) & _mismatch(layout, position, self_position)
    status = np.where(rated, _RATED, np.where(unanswered, _UNRATED, _NOT_APPLICABLE))
    return {
        "status": status,
        "score": score,
        "position": position,
        "capped": capped & rated,
        "self": self_position,
        "mismatch": mismatch,
    }


def _moderated_positions(layout: Layout, moderated: pd.DataFrame | None, returns: pd.Index) -> np.ndarray:
    positions = np.full((len(returns), len(layout.standards)), -1, dtype=np.intp)
    if moderated is None or moderated.empty:
        return positions
    lookups = (
        ("return", returns, "return_id"),
        (
            "standard",
            pd.Index([section.id for section in layout.standards]),
            "section_id",
        ),
        ("rating", pd.Index([rating.id for rating in layout.scale.ratings]), "rating"),
    )
    found = []
    for name, index, column in lookups:
        codes = index.get_indexer(moderated[column])
        if (codes < 0).any():
            unknown = plain(moderated[column].to_numpy()[codes < 0][0])
            raise ValueError(f"moderated ratings name an unknown {name}: {unknown!r}")
        found.append(codes)
    rows, columns, ratings = found
    if pd.Series(rows * len(layout.standards) + columns).duplicated().any():
        raise ValueError("a standard of a return is moderated twice")
    positions[rows, columns] = ratings
    return positions


def _overall(
    layout: Layout,
    table: dict[str, np.ndarray],
    moderated: np.ndarray,
    use_moderation: bool,
) -> dict[str, np.ndarray]:
    """The engine's _overall, for every return at once."""
    n = moderated.shape[0]
    bands = len(layout.scale.ratings)
    ranges = [band_range(layout.scale, position) for position in range(bands)]
    # A trailing NaN for position -1 (not moderated); those rows never use it.
    low = np.array([low for low, _ in ranges] + [np.nan])
    high = np.array([high for _, high in ranges] + [np.nan])
    total, weights = np.zeros(n), np.zeros(n)
    capped = np.zeros(n, dtype=bool)
    unrated = np.zeros(n, dtype=bool)
    for j, section in enumerate(layout.standards):
        status, score = table["status"][:, j], table["score"][:, j]
        rated = status == _RATED
        is_moderated = moderated[:, j] >= 0
        if not use_moderation:
            is_moderated = np.zeros(n, dtype=bool)
        lo, hi = low[moderated[:, j]], high[moderated[:, j]]
        settled = np.where(np.isnan(score), (lo + hi) / 2, np.minimum(np.maximum(score, lo), hi))
        contribution = np.nan_to_num(np.where(is_moderated, settled, score))
        counts = is_moderated | rated
        total = total + np.where(counts, section.weight * contribution, 0.0)
        weights = weights + np.where(counts, section.weight, 0.0)
        capped |= rated & ~is_moderated & table["capped"][:, j]
        unrated |= ~counts & (status == _UNRATED)
    has_rating = weights > 0
    score = np.divide(total, weights, out=np.full(n, np.nan), where=has_rating)
    position = np.where(capped, bands - 1, _band_positions(layout, score))
    status = np.where(has_rating, _RATED, np.where(unrated, _UNRATED, _NOT_APPLICABLE))
    return {
        "status": status,
        "score": score,
        "position": np.where(has_rating, position, -1),
        "capped": capped & has_rating,
    }


def _categorical(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.intp), categories=categories)


def score_many(
    questionnaire: Questionnaire,
    answers: pd.DataFrame,
    duties: Mapping[object, Duty | str] | pd.Series,
    *,
    moderated: pd.DataFrame | None = None,
    with_questions: bool = False,
) -> BatchScores:
    """Score many returns at once, exactly as :func:`scoring.engine.score_return` would.

    ``answers`` is a long frame with ``return_id``, ``question_id``, ``value`` and
    ``na`` (True for "not applicable"; the value is then ignored) and optionally
    ``na_reason`` (without it, every "not applicable" counts as having a reason). A
    multiple-choice answer is one row per chosen option or one row holding a list. A
    documents-only question counts as answered only when the frame has a row for it.

    ``duties`` maps every return id to the duty it is made under, and sets the order
    of the results; a return with no answers comes out unrated. ``moderated`` is an
    optional frame of ``return_id``, ``section_id``, ``rating``. Evidence is not
    checked here: that needs each return's files.

    Raises :class:`~scoring.answers.InvalidAnswer`, naming the return and question, for
    answers the engine would refuse.
    """
    layout = Layout(questionnaire)
    returns, duty_codes = return_index(questionnaire, duties)
    read = AnswerMatrices(layout, answers, returns)
    visible = visibility(layout, read, duty_codes)
    n = len(returns)
    question_scores = None
    if with_questions:
        question_scores = np.full((n, len(layout.questions)), np.nan, order="F")

    # Progress, section by section (information sections count too).
    section_answered, section_required = [], []
    for s in range(len(questionnaire.sections)):
        columns = np.flatnonzero(layout.section_of == s)
        required = visible[:, columns] & layout.required[columns]
        given = read.answered[:, columns] | read.na_with_reason[:, columns]
        section_answered.append((required & given).sum(axis=1))
        section_required.append(required.sum(axis=1))

    results = [_standard(layout, section, read, visible, question_scores) for section in layout.standards]
    keys = ("status", "score", "position", "capped", "self", "mismatch")
    table = {key: _by_standard([result[key] for result in results], n) for key in keys}
    scored_sections = [s for s, section in enumerate(questionnaire.sections) if section.scored]
    table["answered"] = _by_standard([section_answered[s] for s in scored_sections], n)
    table["required"] = _by_standard([section_required[s] for s in scored_sections], n)
    moderated_positions = _moderated_positions(layout, moderated, returns)
    scored = _overall(layout, table, moderated_positions, use_moderation=False)
    final = _overall(layout, table, moderated_positions, use_moderation=True)
    progress = (np.sum(section_answered, axis=0), np.sum(section_required, axis=0))
    return BatchScores(
        standards=_standards_frame(layout, returns, table, moderated_positions),
        overall=_overall_frame(layout, returns, duty_codes, scored, final, progress),
        questions=_questions_frame(layout, returns, question_scores),
    )


def _by_standard(columns: list[np.ndarray], n: int) -> np.ndarray:
    """A returns x standards matrix from one array per standard."""
    return np.column_stack(columns) if columns else np.zeros((n, 0), dtype=np.intp)


def _colour_codes(layout: Layout) -> np.ndarray:
    # Band position -> colour code; a trailing -1 so that position -1 maps to no colour.
    codes = [COLOURS.index(rating.colour) for rating in layout.scale.ratings]
    return np.array([*codes, -1], dtype=np.intp)


def _standards_frame(layout, returns, table, moderated_positions) -> pd.DataFrame:
    n, count = len(returns), len(layout.standards)
    rating_ids = [rating.id for rating in layout.scale.ratings]
    flat = {key: value.reshape(-1) for key, value in table.items()}
    final = np.where(moderated_positions >= 0, moderated_positions, table["position"])
    final = final.reshape(-1).astype(np.intp)
    return pd.DataFrame(
        {
            "return_id": np.repeat(returns.to_numpy(), count),
            "section_id": _categorical(
                np.tile(np.arange(count), n),
                [section.id for section in layout.standards],
            ),
            "status": _categorical(flat["status"], _STATUSES),
            "score": flat["score"].astype(float),
            "rating": _categorical(flat["position"], rating_ids),
            "capped": flat["capped"].astype(bool),
            "self_rating": _categorical(flat["self"], rating_ids),
            "self_rating_mismatch": flat["mismatch"].astype(bool),
            "moderated_rating": _categorical(moderated_positions.reshape(-1), rating_ids),
            "final_rating": _categorical(final, rating_ids),
            "final_position": final,
            "final_colour": _categorical(_colour_codes(layout)[final], COLOURS),
            "answered": flat["answered"].astype(np.int64),
            "required": flat["required"].astype(np.int64),
        }
    )


def _overall_frame(layout, returns, duty_codes, scored, final, progress) -> pd.DataFrame:
    rating_ids = [rating.id for rating in layout.scale.ratings]
    duties = [duty.value for duty in layout.questionnaire.duties]
    return pd.DataFrame(
        {
            "return_id": returns.to_numpy(),
            "duty": _categorical(duty_codes, duties),
            "status": _categorical(final["status"], _STATUSES),
            "score": final["score"],
            "rating": _categorical(final["position"], rating_ids),
            "capped": final["capped"],
            "colour": _categorical(_colour_codes(layout)[final["position"]], COLOURS),
            "scored_status": _categorical(scored["status"], _STATUSES),
            "scored_score": scored["score"],
            "scored_rating": _categorical(scored["position"], rating_ids),
            "scored_capped": scored["capped"],
            "answered": progress[0].astype(np.int64),
            "required": progress[1].astype(np.int64),
        }
    )


def _questions_frame(layout, returns, question_scores) -> pd.DataFrame | None:
    if question_scores is None:
        return None
    rows, columns = np.nonzero(~np.isnan(np.ascontiguousarray(question_scores)))
    section_ids = [section.id for section in layout.questionnaire.sections]
    return pd.DataFrame(
        {
            "return_id": returns.to_numpy()[rows],
            "section_id": _categorical(layout.section_of[columns], section_ids),
            "question_id": _categorical(columns, [q.id for q in layout.questions]),
            "score": question_scores[rows, columns],
        }
    )
