"""The review as the organisation sees it: the reviewer's questions to answer, evidence found
inadequate, the changes asked for, actions carried from earlier cycles, and the notices on
the respondent's returns page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import (
    ActionItem,
    AuditCycle,
    ChallengeQuestion,
    CycleStatus,
    Evidence,
    Partnership,
    Return,
    ReturnStatus,
    ReturnStatusChange,
    Role,
    User,
    cycle_partnership,
    utcnow,
)
from .. import actions
from ..people import organisation_ids_for
from ..returns import ReturnNotFound, ReturnView, load_return
from . import QUESTION_LIMIT, Refused, commit, history_of, names_of, questions_of


@dataclass
class RespondentReview:
    """What the organisation's respondents see of the review of their return."""

    view: ReturnView
    questions: list[ChallengeQuestion]
    history: list[ReturnStatusChange]
    inadequate: list[Evidence]
    carried: list[ActionItem]
    names: dict[int, str]

    @property
    def audit_return(self) -> Return:
        return self.view.audit_return

    @property
    def changes_requested(self) -> ReturnStatusChange | None:
        """The request for changes the organisation is working on, if it is."""
        if self.audit_return.status is not ReturnStatus.CHANGES_REQUESTED:
            return None
        requests = [c for c in self.history if c.to_status is ReturnStatus.CHANGES_REQUESTED]
        return requests[-1] if requests else None

    def name(self, user_id: int | None) -> str:
        return self.names.get(user_id, "The system") if user_id else "The system"


def load_for_respondent(user: User, partnership: Partnership, return_id: int) -> RespondentReview:
    """The review of a return for a respondent of its organisation; ReturnNotFound for anyone else."""
    view = load_return(user, partnership, {Role.RESPONDENT}, return_id)
    if not view.respondent:
        raise ReturnNotFound(return_id)
    audit_return = view.audit_return
    questions = questions_of(audit_return)
    history = history_of(audit_return)
    inadequate = [
        item for items in view.evidence.values() for item in items if item.inadequate_reason is not None
    ]
    ids = [q.asked_by_id for q in questions] + [q.responded_by_id for q in questions]
    ids += [change.changed_by_id for change in history]
    return RespondentReview(
        view=view,
        questions=questions,
        history=history,
        inadequate=sorted(inadequate, key=lambda item: (item.question_id, item.id)),
        carried=actions.carried_actions(audit_return, partnership),
        names=names_of(ids),
    )


def answer_question(review: RespondentReview, question_id: int, response: str, user: User) -> None:
    """Keep the organisation's answer to a challenge question; each question is answered once."""
    asked = next((q for q in review.questions if q.id == question_id), None)
    if asked is None:
        raise ReturnNotFound(question_id)
    if asked.response is not None:
        raise Refused("This question has already been answered.")
    response = (response or "").strip()
    if not response:
        raise Refused("Enter your answer")
    if len(response) > QUESTION_LIMIT:
        raise Refused(f"Your answer must be {QUESTION_LIMIT:,} characters or fewer")
    asked.response = response
    asked.responded_by_id = user.id
    asked.responded_at = utcnow()
    commit()


# ---- what a respondent is told on their returns page -----------------------


@dataclass(frozen=True)
class Notice:
    """Something a respondent should act on: questions to answer, changes asked for, overdue actions."""

    audit_return: Return
    unanswered: int
    changes_requested: bool
    overdue_actions: int


def respondent_notices(user: User, partnership: Partnership, today: date) -> list[Notice]:
    organisation_ids = organisation_ids_for(user, partnership)
    if not organisation_ids:
        return []
    returned = db.session.scalars(
        select(Return)
        .join(AuditCycle, AuditCycle.id == Return.cycle_id)
        .join(cycle_partnership, cycle_partnership.c.cycle_id == AuditCycle.id)
        .where(
            cycle_partnership.c.partnership_id == partnership.id,
            AuditCycle.status != CycleStatus.DRAFT,
            Return.organisation_id.in_(organisation_ids),
        )
        .options(joinedload(Return.organisation), joinedload(Return.cycle))
        .order_by(Return.organisation_id, AuditCycle.opens_on.desc(), Return.id.desc())
    ).all()
    unanswered = dict(
        db.session.execute(
            select(ChallengeQuestion.return_id, func.count(ChallengeQuestion.id))
            .where(
                ChallengeQuestion.return_id.in_([r.id for r in returned]),
                ChallengeQuestion.response.is_(None),
            )
            .group_by(ChallengeQuestion.return_id)
        )
        .tuples()
        .all()
    )
    notices = []
    latest_seen: set[int] = set()
    for audit_return in returned:
        # Overdue actions are the organisation's, told once, beside its newest return.
        overdue = 0
        if audit_return.organisation_id not in latest_seen:
            latest_seen.add(audit_return.organisation_id)
            overdue = actions.counts_for(audit_return.organisation_id, partnership, today).overdue
        notice = Notice(
            audit_return,
            unanswered.get(audit_return.id, 0),
            audit_return.status is ReturnStatus.CHANGES_REQUESTED,
            overdue,
        )
        if notice.unanswered or notice.changes_requested or notice.overdue_actions:
            notices.append(notice)
    return notices
