"""Reviewing a return: moderation of its standards, evidence judged inadequate, challenge
questions, the decision (changes or accepted) and the feedback.

Who reviews a return is :mod:`.assignment`'s business; what the organisation sees of its
review, and answering the questions, :mod:`.respondents`'.

A return is reviewed by the reviewer the business unit assigns to it, or by an
admin; other reviewers of the partnership may read it. Every decision is kept
as a ReturnStatusChange (who, when, the comment); the other records carry who
and when themselves, and the audit trail logs every field they change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

import scoring

from ...extensions import db
from ...models import (
    ActionItem,
    AuditCycle,
    ChallengeQuestion,
    CycleStatus,
    Evidence,
    MessageStage,
    Partnership,
    Return,
    ReturnFeedback,
    ReturnStatus,
    ReturnStatusChange,
    Role,
    StandardModeration,
    User,
    cycle_partnership,
    partnership_organisation,
    utcnow,
)
from .. import actions, outbox
from ..returns import ReturnNotFound, ReturnView, load_return
from ..scores import score_and_store

REASON_LIMIT = 5_000
QUESTION_LIMIT = 5_000
FEEDBACK_LIMIT = 10_000
_RETURNED = [status for status in ReturnStatus if status.is_returned]
# The order returns are listed in for review: decisions still to make first.
_REVIEW_ORDER = {ReturnStatus.SUBMITTED: 0, ReturnStatus.CHANGES_REQUESTED: 1, ReturnStatus.ACCEPTED: 2}


class NotAllowed(Exception):
    """The person may read the return but not act on it (shown as 403)."""


class Refused(Exception):
    """What was asked cannot be done now; ``message`` says why, for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ReviewChanged(Refused):
    def __init__(self) -> None:
        super().__init__(
            "Someone else changed this return while you were working on it. "
            "Check the return as it is now, then try again."
        )


# ---- reading ---------------------------------------------------------------


@dataclass
class Review:
    """A return with everything its reviewer reads and records."""

    view: ReturnView
    moderations: dict[str, StandardModeration]
    questions: list[ChallengeQuestion]
    history: list[ReturnStatusChange]
    feedback: ReturnFeedback | None
    carried: list[ActionItem]
    names: dict[int, str]
    can_act: bool
    why_not: str = ""
    today: date = field(default_factory=date.today)

    @property
    def audit_return(self) -> Return:
        return self.view.audit_return

    @property
    def score(self) -> scoring.ReturnScore | None:
        stored = self.audit_return.score
        return scoring.ReturnScore.from_dict(stored) if stored else None

    @property
    def flags(self) -> list[scoring.Flag]:
        return [scoring.Flag.from_dict(item) for item in self.audit_return.flags or []]

    def name(self, user_id: int | None) -> str:
        return self.names.get(user_id, "The system") if user_id else "The system"

    def require_can_act(self) -> None:
        if not self.can_act:
            raise NotAllowed(self.why_not)


def names_of(user_ids) -> dict[int, str]:
    ids = {user_id for user_id in user_ids if user_id}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).tuples().all())


def questions_of(audit_return: Return) -> list[ChallengeQuestion]:
    return list(
        db.session.scalars(
            select(ChallengeQuestion)
            .where(ChallengeQuestion.return_id == audit_return.id)
            .order_by(ChallengeQuestion.asked_at, ChallengeQuestion.id)
        )
    )


def history_of(audit_return: Return) -> list[ReturnStatusChange]:
    return list(
        db.session.scalars(
            select(ReturnStatusChange)
            .where(ReturnStatusChange.return_id == audit_return.id)
            .order_by(ReturnStatusChange.changed_at, ReturnStatusChange.id)
        )
    )


def load_review(user: User, partnership: Partnership, roles: set[Role], return_id: int) -> Review:
    """The return for an admin or reviewer of the partnership; ReturnNotFound for anyone else."""
    if not roles & {Role.ADMIN, Role.REVIEWER}:
        raise ReturnNotFound(return_id)
    view = load_return(user, partnership, roles, return_id)
    audit_return = view.audit_return
    moderations = {
        row.section_id: row
        for row in db.session.scalars(
            select(StandardModeration)
            .where(StandardModeration.return_id == audit_return.id)
            .order_by(StandardModeration.section_id)
        )
    }
    questions = questions_of(audit_return)
    history = history_of(audit_return)
    feedback = db.session.scalar(select(ReturnFeedback).where(ReturnFeedback.return_id == audit_return.id))
    can_act, why_not = True, ""
    if Role.ADMIN not in roles and audit_return.reviewer_id != user.id:
        can_act = False
        if audit_return.reviewer_id is None:
            why_not = "No reviewer has been assigned to this return yet. The business unit assigns reviewers."
        else:
            why_not = (
                "This return is assigned to another reviewer. Only they or the business unit can review it."
            )
    ids = [audit_return.reviewer_id, *(row.moderated_by_id for row in moderations.values())]
    ids += [q.asked_by_id for q in questions] + [q.responded_by_id for q in questions]
    ids += [change.changed_by_id for change in history]
    ids += [feedback.updated_by_id] if feedback else []
    return Review(
        view=view,
        moderations=moderations,
        questions=questions,
        history=history,
        feedback=feedback,
        carried=actions.carried_actions(audit_return, partnership),
        names=names_of(ids),
        can_act=can_act,
        why_not=why_not,
    )


@dataclass
class ReviewList:
    assigned: list[Return]
    others: list[Return]


def returns_for_reviewer(user: User, partnership: Partnership, every_accepted: bool = False) -> ReviewList:
    """The partnership's returns that have been sent, those assigned to this person first;
    within each list, decisions still to make come first, oldest first. Others' accepted
    returns are left out unless ``every_accepted`` (for the business unit)."""
    rows = db.session.scalars(
        select(Return)
        .join(AuditCycle, AuditCycle.id == Return.cycle_id)
        .join(cycle_partnership, cycle_partnership.c.cycle_id == AuditCycle.id)
        .where(
            cycle_partnership.c.partnership_id == partnership.id,
            AuditCycle.status != CycleStatus.DRAFT,
            Return.status.in_(_RETURNED),
            Return.organisation_id.in_(
                select(partnership_organisation.c.organisation_id).where(
                    partnership_organisation.c.partnership_id == partnership.id
                )
            ),
        )
        .options(joinedload(Return.organisation), joinedload(Return.cycle), joinedload(Return.reviewer))
        .order_by(Return.submitted_at, Return.id)
    )
    ordered = sorted(rows, key=lambda r: _REVIEW_ORDER[r.status])
    return ReviewList(
        assigned=[r for r in ordered if r.reviewer_id == user.id],
        others=[
            r
            for r in ordered
            if r.reviewer_id != user.id and (every_accepted or r.status is not ReturnStatus.ACCEPTED)
        ],
    )


# ---- moderation and evidence -----------------------------------------------


def _require_sent(review: Review) -> None:
    if not review.audit_return.status.is_returned:
        raise Refused("The organisation has not sent this return yet, so it cannot be reviewed.")


def moderate_standard(review: Review, section_id: str, rating: str | None, reason: str, user: User) -> None:
    """Record the reviewer's judgement on a standard and score the return again.

    ``rating`` None agrees with the organisation's own rating; any other band
    needs a reason. The self and scored ratings are kept beside the judgement.
    """
    review.require_can_act()
    _require_sent(review)
    reason = (reason or "").strip()
    if rating is not None and not reason:
        raise Refused("Enter why you have given a different rating")
    if len(reason) > REASON_LIMIT:
        raise Refused(f"The reason must be {REASON_LIMIT:,} characters or fewer")
    score = review.score
    standards = {standard.section_id: standard for standard in score.standards} if score else {}
    standard = standards.get(section_id)
    row = review.moderations.get(section_id)
    if row is None:
        row = StandardModeration(return_id=review.audit_return.id, section_id=section_id)
        db.session.add(row)
    row.self_rating = standard.self_rating if standard else None
    row.scored_rating = standard.rating if standard else None
    row.moderated_rating = rating
    row.reason = reason
    row.moderated_by_id = user.id
    _rescore_and_commit(review.audit_return)


def mark_evidence(review: Review, evidence: Evidence, reason: str | None) -> None:
    """Mark the evidence inadequate, with why; None marks it adequate again."""
    review.require_can_act()
    _require_sent(review)
    if reason is not None:
        reason = reason.strip()
        if not reason:
            raise Refused("Enter why the evidence is not adequate")
        if len(reason) > REASON_LIMIT:
            raise Refused(f"The reason must be {REASON_LIMIT:,} characters or fewer")
    evidence.inadequate_reason = reason
    commit()


def _rescore_and_commit(audit_return: Return) -> None:
    try:
        score_and_store(audit_return)
        db.session.flush()
    except (IntegrityError, StaleDataError) as exc:
        db.session.rollback()
        raise ReviewChanged() from exc
    commit()


def commit() -> None:
    try:
        db.session.commit()
    except (IntegrityError, StaleDataError) as exc:
        # Two people saved the same standard, or changed the return, at the same moment.
        db.session.rollback()
        raise ReviewChanged() from exc


# ---- challenge questions ---------------------------------------------------


def ask_question(review: Review, section_id: str | None, question: str, user: User) -> ChallengeQuestion:
    review.require_can_act()
    _require_sent(review)
    question = (question or "").strip()
    if not question:
        raise Refused("Enter your question")
    if len(question) > QUESTION_LIMIT:
        raise Refused(f"The question must be {QUESTION_LIMIT:,} characters or fewer")
    asked = ChallengeQuestion(
        return_id=review.audit_return.id,
        section_id=section_id or None,
        question=question,
        asked_by_id=user.id,
        asked_at=utcnow(),
    )
    db.session.add(asked)
    commit()
    return asked


# ---- the decision and the feedback -----------------------------------------


@dataclass(frozen=True)
class Notice:
    """An email that goes with a decision, worded by the caller: queued in the decision's transaction."""

    to: str
    subject: str
    body: str
    cc: str = ""


def _decide(
    review: Review, to_status: ReturnStatus, comment: str, user: User, notice: Notice | None = None
) -> int | None:
    review.require_can_act()
    audit_return = review.audit_return
    status = audit_return.status
    if status is ReturnStatus.CHANGES_REQUESTED:
        raise Refused(
            "This return is with the organisation for changes. You can decide on it again once they send it back."
        )
    if status is ReturnStatus.ACCEPTED:
        raise Refused("This return has already been accepted.")
    _require_sent(review)
    now = utcnow()
    audit_return.status = to_status
    audit_return.accepted_at = now if to_status is ReturnStatus.ACCEPTED else None
    change = ReturnStatusChange(
        return_id=audit_return.id,
        from_status=status,
        to_status=to_status,
        changed_at=now,
        changed_by_id=user.id,
        comment=comment,
    )
    db.session.add(change)
    message_id = None
    if notice is not None:
        db.session.flush()
        # Keyed on the decision itself: one message per acceptance, however often it is retried.
        message_id = outbox.add_message(
            key=f"feedback-ready:{audit_return.id}:{change.id}",
            stage=MessageStage.FEEDBACK,
            to=notice.to,
            cc=notice.cc,
            subject=notice.subject,
            body=notice.body,
            partnership_id=audit_return.cycle.partnership_id,
            return_id=audit_return.id,
            organisation_id=audit_return.organisation_id,
            created_at=now,
        )
    _rescore_and_commit(audit_return)
    return message_id


def request_changes(review: Review, comment: str, user: User) -> None:
    """Send the return back to the organisation, saying what needs to change."""
    comment = (comment or "").strip()
    if not comment:
        raise Refused("Enter what the organisation needs to change")
    if len(comment) > FEEDBACK_LIMIT:
        raise Refused(f"The changes needed must be {FEEDBACK_LIMIT:,} characters or fewer")
    _decide(review, ReturnStatus.CHANGES_REQUESTED, comment, user)


def accept(review: Review, comment: str, user: User, notice: Notice | None = None) -> int | None:
    """Accept the return. ``notice`` (for a school or college: its feedback is ready) is
    queued in the outbox with the decision; the new message's id is returned."""
    comment = (comment or "").strip()
    if len(comment) > FEEDBACK_LIMIT:
        raise Refused(f"The comment must be {FEEDBACK_LIMIT:,} characters or fewer")
    return _decide(review, ReturnStatus.ACCEPTED, comment, user, notice)


def save_feedback(review: Review, strengths: str, areas: str, user: User) -> ReturnFeedback:
    """The strengths and areas for development the feedback letter tells the organisation."""
    review.require_can_act()
    _require_sent(review)
    strengths, areas = (strengths or "").strip(), (areas or "").strip()
    if len(strengths) > FEEDBACK_LIMIT or len(areas) > FEEDBACK_LIMIT:
        raise Refused(f"Each part of the feedback must be {FEEDBACK_LIMIT:,} characters or fewer")
    feedback = review.feedback
    if feedback is None:
        feedback = ReturnFeedback(return_id=review.audit_return.id)
        db.session.add(feedback)
    feedback.strengths = strengths
    feedback.areas_for_development = areas
    feedback.updated_by_id = user.id
    commit()
    return feedback
