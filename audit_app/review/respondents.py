"""The organisation's side of the review: questions to answer, changes asked for, evidence
found not adequate, and the notices on the respondent's returns page."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, render_template, url_for
from flask_login import current_user

from ..access import requires_role
from ..data import review as review_data
from ..data.returns import ReturnNotFound
from ..data.review import respondents as respondent_data
from ..models import Role
from . import bp, presenters
from .forms import AnswerForm


def load(return_id: int) -> respondent_data.RespondentReview:
    try:
        return respondent_data.load_for_respondent(current_user, g.partnership, return_id)
    except ReturnNotFound:
        abort(404)


@bp.route("/returns/<int:return_id>/questions")
@requires_role(Role.RESPONDENT)
def respondent_view(return_id: int):
    review = load(return_id)
    questionnaire = review.view.questionnaire
    return render_template(
        "review/respondent.html",
        review=review,
        titles=presenters.section_titles(questionnaire),
        question_text={q.id: q.text for q in questionnaire.questions()},
        today=date.today(),
        action_tag=presenters.action_tag,
    )


@bp.route("/returns/<int:return_id>/questions/<int:question_id>/answer", methods=["GET", "POST"])
@requires_role(Role.RESPONDENT)
def answer(return_id: int, question_id: int):
    review = load(return_id)
    asked = next((q for q in review.questions if q.id == question_id), None)
    if asked is None:
        abort(404)
    back = url_for("review.respondent_view", return_id=return_id)
    if asked.response is not None:
        flash("This question has already been answered.", "info")
        return redirect(back)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            respondent_data.answer_question(review, question_id, form.response.data, current_user)
        except review_data.Refused as refusal:
            form.response.errors.append(refusal.message)
        else:
            flash("Your answer has been sent to the reviewer.", "success")
            return redirect(back)
    return render_template(
        "review/answer.html",
        review=review,
        asked=asked,
        form=form,
        titles=presenters.section_titles(review.view.questionnaire),
    )


@bp.app_template_global("review_notices")
def review_notices() -> list[respondent_data.Notice]:
    """What a respondent should act on, for their returns page (templates/review/_notices.html)."""
    if Role.RESPONDENT not in getattr(g, "roles", set()) or g.partnership is None:
        return []
    return respondent_data.respondent_notices(current_user, g.partnership, date.today())
