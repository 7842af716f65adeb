"""The batch path gives exactly what scoring each return on its own gives."""

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import Answer, InvalidAnswer, score_many, score_return
from scoring.definitions.model import Duty

from .scoring_builders import NA, answers, choice, questionnaire, section, shown_if, yes_no
from .scoring_strategies import answer_sets, long_frame, questionnaires


def _value(cell):
    """A frame cell as the engine's result would hold it (NaN and missing as None)."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return None
    return cell


def _check_equal(form, returns, duties, moderated, batch):
    standards = batch.standards.set_index(["return_id", "section_id"])
    overall = batch.overall.set_index("return_id")
    for return_id, given_answers in returns.items():
        expected = score_return(form, given_answers, duties[return_id], moderated=moderated.get(return_id))
        for standard in expected.standards:
            row = standards.loc[(return_id, standard.section_id)]
            progress = expected.progress[standard.section_id]
            assert (
                row["status"],
                _value(row["score"]),
                _value(row["rating"]),
                row["capped"],
                _value(row["self_rating"]),
                row["self_rating_mismatch"],
                _value(row["moderated_rating"]),
                _value(row["final_rating"]),
                row["answered"],
                row["required"],
            ) == (
                standard.status.value,
                standard.score,  # equal to the last bit, not approximately
                standard.rating,
                standard.capped,
                standard.self_rating,
                standard.self_rating_mismatch,
                standard.moderated_rating,
                standard.final_rating,
                progress.answered,
                progress.required,
            ), (return_id, standard.section_id)
        row = overall.loc[return_id]
        for prefix, result in (("", expected.overall), ("scored_", expected.scored_overall)):
            assert (
                row[f"{prefix}status"],
                _value(row[f"{prefix}score"]),
                _value(row[f"{prefix}rating"]),
                row[f"{prefix}capped"],
            ) == (result.status.value, result.score, result.rating, result.capped), return_id
        assert (row["answered"], row["required"]) == (
            expected.overall_progress.answered,
            expected.overall_progress.required,
        )
        questions = batch.questions[batch.questions["return_id"] == return_id]
        assert dict(zip(questions["question_id"].astype(str), questions["score"], strict=True)) == dict(
            expected.question_scores
        )


@settings(max_examples=150)
@given(st.data())
def test_batch_scores_equal_scoring_each_return_on_its_own(data):
    form = data.draw(questionnaires(), label="questionnaire")
    count = data.draw(st.integers(1, 6), label="returns")
    returns, duties, moderated = {}, {}, {}
    for n in range(count):
        return_id = 1000 + n
        duties[return_id] = data.draw(st.sampled_from(form.duties), label="duty")
        returns[return_id] = data.draw(answer_sets(form), label="answers")
        standards = [s.id for s in form.sections if s.scored]
        ratings = [r.id for r in form.scale.ratings]
        if standards:
            moderation = data.draw(
                st.dictionaries(st.sampled_from(standards), st.sampled_from(ratings), max_size=2),
                label="moderation",
            )
            if moderation:
                moderated[return_id] = moderation
    frame = long_frame(returns, lists=data.draw(st.booleans(), label="lists"))
    moderation_frame = pd.DataFrame(
        [(r, s, rating) for r, items in moderated.items() for s, rating in items.items()],
        columns=["return_id", "section_id", "rating"],
    )
    batch = score_many(form, frame, duties, moderated=moderation_frame, with_questions=True)
    _check_equal(form, returns, duties, moderated, batch)


FORM = questionnaire(
    section(
        "s",
        yes_no("s.lead", critical=True),
        choice(
            "s.training",
            {"induction": 1, "refresher": 1, "online": 0.5},
            multiple=True,
            na_allowed=True,
        ),
        yes_no("s.refresher-dates", show_if=shown_if("s.training", "refresher"), na_allowed=True),
    ),
    duties=(Duty.S11, Duty.S175),
)


def test_multiple_choice_may_come_as_rows_or_as_lists():
    given_answers = {
        1: answers({"s.lead": "yes", "s.training": ["induction", "refresher"], "s.refresher-dates": NA})
    }
    as_rows = score_many(FORM, long_frame(given_answers, lists=False), {1: "s11"})
    as_lists = score_many(FORM, long_frame(given_answers, lists=True), {1: "s11"})
    pd.testing.assert_frame_equal(as_rows.standards, as_lists.standards)
    # (1 + 1) / 2 = 1 for s.lead and (1 + 1) / 2 = 1 for the training: 1, green.
    assert as_rows.standards.loc[0, "score"] == 1.0


def test_returns_without_answers_come_out_unrated():
    batch = score_many(FORM, long_frame({}, lists=False), {7: Duty.S11, 8: "s175"})
    assert list(batch.overall["status"]) == ["unrated", "unrated"]
    assert list(batch.overall["duty"]) == ["s11", "s175"]
    assert list(batch.overall["required"]) == [2, 2]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([(1, "s.nothing", "yes", False)], "'s.nothing' is not a question"),
        ([(1, "s.lead", "maybe", False)], "return 1: 'maybe' is not an answer to question s.lead"),
        (
            [(1, "s.lead", "yes", False), (1, "s.lead", "no", False)],
            "return 1: question s.lead is answered twice",
        ),
        ([(1, "s.training", "online", False), (1, "s.training", None, True)], "s.training is answered twice"),
        ([(1, "s.lead", None, True)], "s.lead cannot be answered 'not applicable'"),
        ([(1, "s.lead", ["yes"], False)], "s.lead takes an option"),
    ],
)
def test_batch_refuses_what_the_engine_refuses(rows, message):
    frame = pd.DataFrame(rows, columns=["return_id", "question_id", "value", "na"])
    with pytest.raises(InvalidAnswer, match=message):
        score_many(FORM, frame, {1: "s11"})


def test_batch_refuses_answers_for_returns_without_a_duty_and_duties_not_served():
    frame = pd.DataFrame([(2, "s.lead", "yes", False)], columns=["return_id", "question_id", "value", "na"])
    with pytest.raises(ValueError, match="answers for return 2, which has no duty"):
        score_many(FORM, frame, {1: "s11"})
    with pytest.raises(ValueError, match="does not serve the duty 'fe'"):
        score_many(FORM, frame, {2: "fe"})


def test_engine_and_batch_agree_on_a_blank_answer_beside_a_real_one():
    given_answers = [Answer("s.lead", "yes"), Answer("s.training", ["", "online"])]
    frame = long_frame({1: given_answers}, lists=False)
    batch = score_many(FORM, frame, {1: "s11"})
    expected = score_return(FORM, given_answers, "s11")
    # s.lead 1, s.training 0.5 / 2 = 0.25: (1 + 0.25) / 2 = 0.625.
    assert batch.standards.loc[0, "score"] == expected.standard("s").score == 0.625
