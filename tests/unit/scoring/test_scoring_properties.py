"""Properties of scoring that hold for any questionnaire and any answers."""

import random

from hypothesis import assume, given
from hypothesis import strategies as st

from scoring import Answer, score_return
from scoring.definitions.model import QuestionType

from .scoring_strategies import answer_sets, choices_of, questionnaires


def _draw_return(data):
    form = data.draw(questionnaires(), label="questionnaire")
    duty = data.draw(st.sampled_from(form.duties), label="duty")
    answers = data.draw(answer_sets(form), label="answers")
    return form, duty, answers


def _standard_scores(form, answers, duty):
    return {s.section_id: s.score for s in score_return(form, answers, duty).standards}


@given(st.data())
def test_scores_stay_between_zero_and_one(data):
    form, duty, answers = _draw_return(data)
    result = score_return(form, answers, duty)
    scores = [standard.score for standard in result.standards]
    scores += [result.overall.score, *result.question_scores.values()]
    assert all(0 <= score <= 1 for score in scores if score is not None)


@given(st.data())
def test_answering_not_applicable_to_an_unanswered_question_never_changes_a_standard_score(data):
    form, duty, answers = _draw_return(data)
    answered = {answer.question_id for answer in answers}
    open_questions = [q for q in form.questions() if q.na_allowed and q.id not in answered]
    assume(open_questions)
    question = data.draw(st.sampled_from(open_questions), label="question answered N/A")
    before = _standard_scores(form, answers, duty)
    after = _standard_scores(form, [*answers, Answer(question.id, na_reason="Not ours")], duty)
    assert after == before


@given(st.data())
def test_choosing_an_option_worth_more_never_lowers_its_standard_score(data):
    form, duty, answers = _draw_return(data)
    # Changing the answer to a question some show_if names can show or hide others,
    # which is a different change; those questions are left alone here.
    named = {
        condition.question
        for question in form.questions()
        if question.show_if
        for condition in question.show_if.conditions
    }
    given_values = {a.question_id: a.value for a in answers if not a.not_applicable}
    candidates = [
        q
        for q in form.questions()
        if q.scored and q.id not in named and given_values.get(q.id) not in (None, "", [])
    ]
    assume(candidates)
    question = data.draw(st.sampled_from(candidates), label="question improved")
    value = given_values[question.id]
    if question.type is QuestionType.MULTIPLE_CHOICE:
        unchosen = [v for v in choices_of(question, form.scale) if v not in value]
        assume(unchosen)
        better = [*value, data.draw(st.sampled_from(unchosen), label="option added")]
    else:
        worth = question.option(value).points
        higher = [o.value for o in question.options if o.points > worth]
        assume(higher)
        better = data.draw(st.sampled_from(higher), label="better option")
    improved = [Answer(a.question_id, better) if a.question_id == question.id else a for a in answers]
    section = next(s.id for s in form.sections if question in s.questions)
    before = _standard_scores(form, answers, duty).get(section)
    after = _standard_scores(form, improved, duty).get(section)
    if before is not None:
        assert after >= before


@given(st.data())
def test_scoring_is_deterministic_whatever_the_order_of_the_answers(data):
    form, duty, answers = _draw_return(data)
    shuffled = list(answers)
    random.Random(data.draw(st.integers(0, 1000), label="seed")).shuffle(shuffled)
    first = score_return(form, answers, duty).to_dict()
    assert score_return(form, answers, duty).to_dict() == first
    assert score_return(form, shuffled, duty).to_dict() == first
