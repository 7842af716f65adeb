"""The review of a return: its overview, each standard with its answers, evidence, and who reviews it."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_login import current_user

from ..access import requires_role
from ..data import review as review_data
from ..data.returns import ReturnNotFound
from ..data.review import assignment
from ..fields import options
from ..models import ReturnStatus, Role
from . import bp, presenters
from .forms import AGREE, AssignForm, EvidenceForm, ModerationForm

REVIEWING = (Role.ADMIN, Role.REVIEWER)


@bp.context_processor
def review_helpers() -> dict:
    return {
        "rating_tag": presenters.rating_tag,
        "rating_label": presenters.rating_label,
        "action_tag": presenters.action_tag,
        "flag_names": presenters.FLAG_NAMES,
    }


def load(return_id: int) -> review_data.Review:
    try:
        return review_data.load_review(current_user, g.partnership, g.roles, return_id)
    except ReturnNotFound:
        abort(404)


def acting(return_id: int) -> review_data.Review:
    """The return, for someone about to record something on it: its reviewer or an admin."""
    review = load(return_id)
    if not review.can_act:
        abort(403)
    return review


def refused(review, heading: str, message: str):
    """A page saying why what was asked cannot be done (the return changed, or is not in a state for it)."""
    return render_template("review/refused.html", review=review, heading=heading, message=message), 409


def overview_url(review) -> str:
    return url_for("review.show", return_id=review.audit_return.id)


@bp.route("/returns/<int:return_id>")
@requires_role(*REVIEWING)
def show(return_id: int):
    review = load(return_id)
    flags = review.flags
    return render_template(
        "review/show.html",
        review=review,
        score=review.score,
        standards=presenters.standard_lines(review.view, review.score, review.moderations, flags),
        general_flags=presenters.general_flags(flags),
        flag_names=presenters.FLAG_NAMES,
        titles=presenters.section_titles(review.view.questionnaire),
        information=[s for s in review.view.applicable_sections if not s.scored],
        admin=Role.ADMIN in g.roles,
        decidable=review.audit_return.status is ReturnStatus.SUBMITTED,
    )


def _section(review, section_id: str):
    try:
        return review.view.section(section_id)
    except ReturnNotFound:
        abort(404)


def _moderation_form(review, line) -> ModerationForm:
    form = ModerationForm()
    questionnaire = review.view.questionnaire
    own = line.self_rating
    agreed_with = own if own is not None else line.scored_rating
    whose = "the organisation's own rating" if own is not None else "the rating its answers score"
    items = [(AGREE, f"Agree with {whose}: {presenters.rating_label(questionnaire, agreed_with)}")]
    items += [(r.id, r.label) for r in questionnaire.scale.ratings if r.id != agreed_with]
    form.rating.choices = options(items)
    form.rating.hints = {r.id: r.meaning for r in questionnaire.scale.ratings}
    if line.scored_rating is not None and line.scored_rating != agreed_with:
        form.rating.hints[line.scored_rating] += " This is the rating its answers score."
    if own is not None and line.scored_rating is not None:
        form.rating.hints[AGREE] = (
            f"Its answers score {presenters.rating_label(questionnaire, line.scored_rating)}."
        )
    form.rating.divider_before = items[1][0] if len(items) > 1 else None
    if not form.is_submitted() and line.moderation is not None:
        form.rating.data = line.moderation.moderated_rating or AGREE
        form.reason.data = line.moderation.reason
    return form


@bp.route("/returns/<int:return_id>/standards/<section_id>", methods=["GET", "POST"])
@requires_role(*REVIEWING)
def standard(return_id: int, section_id: str):
    review = load(return_id)
    section = _section(review, section_id)
    lines = presenters.standard_lines(review.view, review.score, review.moderations, review.flags)
    line = next((line for line in lines if line.section.id == section.id), None)
    form = _moderation_form(review, line) if line is not None and review.score else None
    if form is not None and form.is_submitted():
        if not review.can_act:
            abort(403)
        if form.validate():
            rating = None if form.rating.data == AGREE else form.rating.data
            try:
                review_data.moderate_standard(review, section.id, rating, form.reason.data, current_user)
            except review_data.Refused as refusal:
                return refused(review, "Your rating was not saved", refusal.message)
            flash(f"Your rating of “{section.title}” has been saved.", "success")
            return redirect(overview_url(review))
    return render_template(
        "review/standard.html",
        review=review,
        section=section,
        line=line,
        answers=presenters.answer_lines(review.view, section),
        questions=[q for q in review.questions if q.section_id == section.id],
        form=form if review.can_act else None,
        flag_names=presenters.FLAG_NAMES,
    )


@bp.route("/returns/<int:return_id>/evidence/<int:evidence_id>", methods=["GET", "POST"])
@requires_role(*REVIEWING)
def evidence(return_id: int, evidence_id: int):
    review = load(return_id)
    item = next((e for items in review.view.evidence.values() for e in items if e.id == evidence_id), None)
    if item is None:
        abort(404)
    question = review.view.questionnaire.question(item.question_id)
    section = next(s for s in review.view.questionnaire.sections if question in s.questions)
    form = EvidenceForm()
    if form.is_submitted():
        if not review.can_act:
            abort(403)
        if form.validate():
            reason = None if form.adequate.data else form.reason.data
            try:
                review_data.mark_evidence(review, item, reason)
            except review_data.Refused as refusal:
                return refused(review, "The evidence was not marked", refusal.message)
            done = "marked as not adequate" if reason else "marked as adequate"
            flash(f"“{presenters.EvidenceLine(item).name}” has been {done}.", "success")
            return redirect(url_for("review.standard", return_id=return_id, section_id=section.id))
    elif item.inadequate_reason:
        form.reason.data = item.inadequate_reason
    return render_template(
        "review/evidence.html",
        review=review,
        line=presenters.EvidenceLine(item),
        question=question,
        section=section,
        form=form if review.can_act else None,
    )


@bp.route("/returns/<int:return_id>/reviewer", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def assign(return_id: int):
    review = load(return_id)
    candidates = assignment.reviewer_candidates(g.partnership, review.audit_return)
    form = AssignForm()
    # Everyone is offered, so that choosing someone who may not review this return is explained.
    offered = [(str(c.user.id), c.user.name) for c in candidates.eligible]
    offered += [(str(user.id), user.name) for user, _ in candidates.excluded]
    form.reviewer.choices = options(offered)
    form.reviewer.hints = {
        str(c.user.id): f"Peer reviewer from {c.peer_from}" for c in candidates.eligible if c.peer_from
    }
    form.reviewer.hints.update(
        {str(user.id): f"{why}: cannot review this return" for user, why in candidates.excluded}
    )
    if not form.is_submitted() and review.audit_return.reviewer_id:
        form.reviewer.data = str(review.audit_return.reviewer_id)
    if form.validate_on_submit():
        try:
            chosen = assignment.assign_reviewer(review, g.partnership, int(form.reviewer.data))
        except review_data.Refused as refusal:
            form.reviewer.errors.append(refusal.message)
        else:
            flash(f"{chosen.name} will review this return.", "success")
            return redirect(overview_url(review))
    return render_template("review/assign.html", review=review, form=form, candidates=candidates)


from . import actions, decisions, respondents  # noqa: E402,F401
