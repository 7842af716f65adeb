"""What the reviewer records on a return as a whole: questions, the decision and the feedback."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_login import current_user

from .. import mail
from ..access import requires_role
from ..data import review as review_data
from ..fields import options
from ..models import ReturnStatus
from . import bp, notices
from .forms import WHOLE_RETURN, AcceptForm, FeedbackForm, QuestionForm, RequestChangesForm
from .routes import REVIEWING, acting, overview_url, refused


@bp.route("/returns/<int:return_id>/questions/new", methods=["GET", "POST"])
@requires_role(*REVIEWING)
def ask(return_id: int):
    review = acting(return_id)
    form = QuestionForm()
    sections = review.view.applicable_sections
    form.section.choices = options(
        [(WHOLE_RETURN, "The return as a whole"), *((s.id, s.title) for s in sections)]
    )
    if not form.is_submitted():
        form.section.data = request.args.get("section", WHOLE_RETURN)
    if form.validate_on_submit():
        try:
            review_data.ask_question(review, form.section.data, form.question.data, current_user)
        except review_data.Refused as refusal:
            return refused(review, "Your question was not sent", refusal.message)
        flash("Your question has been sent to the organisation.", "success")
        return redirect(overview_url(review))
    return render_template("review/ask.html", review=review, form=form)


def _decision_page(return_id: int, form, template: str, decide, done: str):
    review = acting(return_id)
    if review.audit_return.status is not ReturnStatus.SUBMITTED:
        return refused(review, "You cannot decide on this return now", _why_undecidable(review))
    if form.validate_on_submit():
        try:
            decide(review, form.comment.data, current_user)
        except review_data.Refused as refusal:
            return refused(review, "Your decision was not saved", refusal.message)
        flash(done, "success")
        return redirect(overview_url(review))
    unanswered = [q for q in review.questions if q.response is None]
    return render_template(template, review=review, form=form, unanswered=unanswered)


def _why_undecidable(review) -> str:
    status = review.audit_return.status
    if status is ReturnStatus.CHANGES_REQUESTED:
        return "This return is with the organisation for changes. You can decide on it again once they send it back."
    if status is ReturnStatus.ACCEPTED:
        return "This return has already been accepted."
    return "The organisation has not sent this return yet."


@bp.route("/returns/<int:return_id>/request-changes", methods=["GET", "POST"])
@requires_role(*REVIEWING)
def request_changes(return_id: int):
    return _decision_page(
        return_id,
        RequestChangesForm(),
        "review/request_changes.html",
        review_data.request_changes,
        "The return has been sent back to the organisation for changes.",
    )


def _accept_and_tell(review, comment: str, user) -> None:
    """Accept; a school or college is told by email that its feedback is ready."""
    message_id = review_data.accept(review, comment, user, notices.feedback_ready(review.audit_return))
    if message_id is not None:
        mail.deliver_due(message_ids=[message_id])


@bp.route("/returns/<int:return_id>/accept", methods=["GET", "POST"])
@requires_role(*REVIEWING)
def accept(return_id: int):
    return _decision_page(
        return_id, AcceptForm(), "review/accept.html", _accept_and_tell, "The return has been accepted."
    )


@bp.route("/returns/<int:return_id>/feedback", methods=["GET", "POST"])
@requires_role(*REVIEWING)
def feedback(return_id: int):
    review = acting(return_id)
    form = FeedbackForm(obj=review.feedback) if request.method == "GET" else FeedbackForm()
    if form.validate_on_submit():
        try:
            review_data.save_feedback(
                review, form.strengths.data, form.areas_for_development.data, current_user
            )
        except review_data.Refused as refusal:
            return refused(review, "The feedback was not saved", refusal.message)
        flash("The feedback has been saved.", "success")
        return redirect(overview_url(review))
    return render_template("review/feedback.html", review=review, form=form)
