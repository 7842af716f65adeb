"""A return as its respondent and its reviewers see it: scope, progress, sign-off and sending.

Answers are saved a section at a time by :mod:`.answers`; last year's answers
are carried into a new return by :mod:`.copy_forward`. Everything here reads
the questionnaire from the snapshot the cycle stored, never from the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

import scoring
from scoring.definitions.model import Duty, Question, Questionnaire, QuestionType, Section, SignOffRole

from ..extensions import db
from ..models import (
    Answer,
    AuditCycle,
    CycleStatus,
    Evidence,
    Partnership,
    QuestionnaireVersion,
    Return,
    ReturnSection,
    ReturnStatus,
    ReturnStatusChange,
    Role,
    SignOff,
    User,
    cycle_partnership,
    partnership_organisation,
    utcnow,
)
from .people import organisation_ids_for
from .scores import questionnaire_of, score_and_store

# A respondent may change a return in these states; a return sent back for
# changes is open again until it is sent once more.
EDITABLE = (ReturnStatus.NOT_STARTED, ReturnStatus.IN_PROGRESS, ReturnStatus.CHANGES_REQUESTED)
VIEWING_ROLES = frozenset({Role.ADMIN, Role.REVIEWER})


class ReturnNotFound(LookupError):
    """No such return in the person's scope: shown as 404, never as data."""


class CannotChange(Exception):
    """The return cannot be changed now (sent, cycle closed, or only viewed); ``reason`` says why."""

    def __init__(self, heading: str, reason: str):
        super().__init__(reason)
        self.heading = heading
        self.reason = reason


class ReturnIncomplete(Exception):
    """Sending was refused: required answers or signatures are missing."""

    def __init__(self, view: ReturnView):
        super().__init__("the return is not complete")
        self.view = view


class ReturnChanged(Exception):
    """Someone else changed the return while this request was sending or signing it."""


SectionStatus = str  # "completed" | "in_progress" | "not_started"


@dataclass
class ReturnView:
    """One return with everything needed to show it, and what the person may do with it."""

    audit_return: Return
    questionnaire: Questionnaire
    answers: dict[str, Answer]
    sections: dict[str, ReturnSection]
    evidence: dict[str, list[Evidence]]
    respondent: bool
    today: date = field(default_factory=date.today)

    @cached_property
    def sign_offs(self) -> dict[str, SignOff]:
        """The signatures given, read when first wanted: section pages and saves never look."""
        rows = db.session.scalars(
            select(SignOff).where(SignOff.return_id == self.audit_return.id).order_by(SignOff.role_id)
        )
        return {row.role_id: row for row in rows}

    @cached_property
    def duty(self) -> Duty:
        # Fixed when the cycle opened; kept so that reading it after a commit reads nothing again.
        return Duty(self.audit_return.duty)

    @property
    def status(self) -> ReturnStatus:
        return self.audit_return.status

    @cached_property
    def visible(self) -> frozenset[str]:
        return visible_ids(self.questionnaire, self.duty, self.answers.values())

    @cached_property
    def applicable_sections(self) -> list[Section]:
        return [section for section in self.questionnaire.sections if section.applies(self.duty)]

    @cached_property
    def sign_off_roles(self) -> list[SignOffRole]:
        return [
            role
            for role in self.questionnaire.sign_off
            if not role.applies_to or self.duty in role.applies_to
        ]

    def section(self, section_id: str) -> Section:
        for section in self.applicable_sections:
            if section.id == section_id:
                return section
        raise ReturnNotFound(section_id)

    def shown_questions(self, section: Section) -> list[Question]:
        return [question for question in section.questions if question.id in self.visible]

    def applicable_questions(self, section: Section) -> list[Question]:
        """Every question of the section for this duty, shown or waiting on a show_if."""
        return [question for question in section.questions if question.applies(self.duty)]

    def missing(self, section: Section) -> list[Question]:
        """Required questions shown in the section and not yet answered."""
        return [
            question
            for question in self.shown_questions(section)
            if question.required and not is_answered(question, self.answers.get(question.id), self.evidence)
        ]

    def unconfirmed(self, section: Section) -> list[Question]:
        """Answers copied from last year that nobody has confirmed by saving the section."""
        return [
            question
            for question in self.shown_questions(section)
            if question.id in self.answers and self.answers[question.id].copied_forward
        ]

    def evidence_expected(self, section: Section) -> list[Question]:
        """Shown questions whose answer asks for evidence (``required_when``) and that have none.

        This does not stop the return being sent: the answer is flagged "evidence missing" for
        the reviewers, as the scoring engine's NO_EVIDENCE flag says.
        """
        expected = []
        for question in self.shown_questions(section):
            answer = self.answers.get(question.id)
            wanted = question.evidence.required_when
            if answer is None or not wanted or self.evidence.get(question.id):
                continue
            values = answer.value if isinstance(answer.value, list) else [answer.value]
            if any(value in wanted for value in values):
                expected.append(question)
        return expected

    def section_status(self, section: Section) -> SectionStatus:
        row = self.sections.get(section.id)
        if row is None or row.version == 0:
            return "not_started"
        if row.completed and not self.missing(section) and not self.unconfirmed(section):
            return "completed"
        return "in_progress"

    @property
    def completed_count(self) -> int:
        return sum(self.section_status(section) == "completed" for section in self.applicable_sections)

    @property
    def missing_signatures(self) -> list[SignOffRole]:
        return [role for role in self.sign_off_roles if role.id not in self.sign_offs]

    @property
    def ready_to_send(self) -> bool:
        return not any(self.missing(s) or self.unconfirmed(s) for s in self.applicable_sections)

    @property
    def closed_reason(self) -> tuple[str, str] | None:
        """Why the return cannot be changed now (heading, explanation), or None if it can."""
        audit_return = self.audit_return
        cycle: AuditCycle = audit_return.cycle
        if audit_return.status not in EDITABLE:
            if audit_return.status is ReturnStatus.ACCEPTED:
                return (
                    "This return has been accepted",
                    "The partnership has accepted this return, so it can no longer be changed.",
                )
            return (
                "This return has already been sent",
                "Once a return has been sent it cannot be changed, unless the partnership asks for changes.",
            )
        if cycle.status is not CycleStatus.OPEN:
            return (
                "This audit is closed",
                f"The {cycle.name} is closed, so returns can no longer be changed. "
                "Contact your partnership's business unit if you need to add something.",
            )
        if not self.respondent:
            return (
                "You can only view this return",
                "Only the organisation's own respondents can change its return.",
            )
        return None

    @property
    def editable(self) -> bool:
        return self.closed_reason is None

    def require_editable(self) -> None:
        reason = self.closed_reason
        if reason is not None:
            raise CannotChange(*reason)


def visible_ids(questionnaire: Questionnaire, duty: Duty, answers) -> frozenset[str]:
    """The questions shown, given answers (stored rows or anything with question_id/value/na_reason)."""
    known = {question.id for question in questionnaire.questions()}
    given = [
        scoring.Answer(answer.question_id, answer.value, answer.na_reason)
        for answer in answers
        if answer.question_id in known
    ]
    return scoring.visible_question_ids(questionnaire, given, duty)


def is_answered(question: Question, answer: Answer | None, evidence: dict[str, list[Evidence]]) -> bool:
    """An answer that says something, or "not applicable" with a reason; an evidence
    question is answered by an upload as well as by a description."""
    if answer is not None:
        if answer.na_reason is not None:
            return bool(answer.na_reason.strip())
        if question.type is QuestionType.PERSON:
            # A role holder needs both their name and when they were last trained.
            value = answer.value if isinstance(answer.value, dict) else {}
            return bool(value.get("name")) and bool(value.get("trained_on"))
        if answer.value not in (None, "", []):
            return True
    return question.type is QuestionType.EVIDENCE and bool(evidence.get(question.id))


# ---- finding a return in scope -------------------------------------------


def _in_scope(return_id: int, partnership: Partnership) -> Return | None:
    """The return if its cycle is run by or with this partnership and its organisation belongs to it."""
    return db.session.scalar(
        select(Return)
        .join(AuditCycle, AuditCycle.id == Return.cycle_id)
        .join(cycle_partnership, cycle_partnership.c.cycle_id == AuditCycle.id)
        .where(
            Return.id == return_id,
            cycle_partnership.c.partnership_id == partnership.id,
            AuditCycle.status != CycleStatus.DRAFT,
            Return.organisation_id.in_(
                select(partnership_organisation.c.organisation_id).where(
                    partnership_organisation.c.partnership_id == partnership.id
                )
            ),
        )
        .options(
            joinedload(Return.organisation),
            joinedload(Return.cycle),
            # The snapshot's text is read only if its parsed questionnaire is not kept already.
            joinedload(Return.questionnaire_version).defer(QuestionnaireVersion.source_text),
        )
    )


def load_return(
    user: User,
    partnership: Partnership,
    roles: set[Role],
    return_id: int,
    organisation_ids: list[int] | None = None,
) -> ReturnView:
    """The return as this person may see it: a respondent of its organisation, or a reviewer
    or business-unit admin of the partnership. Anyone else gets ReturnNotFound.

    ``organisation_ids``, the organisations the person answers for in the partnership,
    saves a query when the caller has read them already.
    """
    audit_return = _in_scope(return_id, partnership)
    if audit_return is None:
        raise ReturnNotFound(return_id)
    if organisation_ids is None and Role.RESPONDENT in roles:
        organisation_ids = organisation_ids_for(user, partnership)
    respondent = Role.RESPONDENT in roles and audit_return.organisation_id in organisation_ids
    if not respondent and not roles & VIEWING_ROLES:
        raise ReturnNotFound(return_id)
    return _view(audit_return, respondent)


def _view(audit_return: Return, respondent: bool) -> ReturnView:
    answers = db.session.scalars(
        select(Answer).where(Answer.return_id == audit_return.id).order_by(Answer.question_id)
    )
    sections = db.session.scalars(
        select(ReturnSection)
        .where(ReturnSection.return_id == audit_return.id)
        .order_by(ReturnSection.section_id)
    )
    evidence: dict[str, list[Evidence]] = {}
    for item in db.session.scalars(
        select(Evidence)
        .where(Evidence.return_id == audit_return.id)
        .order_by(Evidence.uploaded_at, Evidence.id)
    ):
        evidence.setdefault(item.question_id, []).append(item)
    return ReturnView(
        audit_return=audit_return,
        questionnaire=questionnaire_of(audit_return.questionnaire_version),
        answers={answer.question_id: answer for answer in answers},
        sections={row.section_id: row for row in sections},
        evidence=evidence,
        respondent=respondent,
    )


def reload(view: ReturnView) -> ReturnView:
    """The same return read afresh (after a save, or after a refused one was rolled back)."""
    db.session.expire_all()
    return _view(db.session.get(Return, view.audit_return.id), view.respondent)


def section_row(view: ReturnView, section_id: str) -> ReturnSection:
    """The section's state, created on first use for a section the cycle did not set up."""
    row = view.sections.get(section_id)
    if row is not None:
        return row
    try:
        with db.session.begin_nested():
            row = ReturnSection(return_id=view.audit_return.id, section_id=section_id, version=0)
            db.session.add(row)
        db.session.commit()
    except IntegrityError:
        # Someone opened the same section at the same moment and created it first.
        db.session.rollback()
        row = db.session.scalar(
            select(ReturnSection).where(
                ReturnSection.return_id == view.audit_return.id, ReturnSection.section_id == section_id
            )
        )
    view.sections[section_id] = row
    return row


# ---- sign-off and sending ------------------------------------------------


@dataclass(frozen=True)
class Signature:
    name: str
    position: str
    signed_on: date


def sign_and_send(
    view: ReturnView, signatures: dict[str, Signature | None], user: User, send: bool
) -> scoring.ReturnScore | None:
    """Keep the signatures given (a role left blank loses its signature) and, if asked, send the return.

    Sending happens in the same transaction: status, time, history and score.
    It is refused (ReturnIncomplete, after the signatures are kept) while
    required answers, confirmations of last year's answers or signatures are
    missing. The return's version column makes its UPDATE conditional, so a
    change made by someone else since the return was read (a section saved, a
    reviewer's decision) refuses the send (ReturnChanged) instead of being lost.
    """
    view.require_editable()
    _keep_signatures(view, signatures, user)
    if not send:
        _commit()
        return None
    if not view.ready_to_send or view.missing_signatures:
        _commit()
        raise ReturnIncomplete(view)
    audit_return = view.audit_return
    now = utcnow()
    previous = audit_return.status
    audit_return.status = ReturnStatus.SUBMITTED
    audit_return.submitted_at = now
    db.session.add(
        ReturnStatusChange(
            return_id=audit_return.id,
            from_status=previous,
            to_status=ReturnStatus.SUBMITTED,
            changed_at=now,
            changed_by_id=user.id,
            comment="Sent by the organisation",
        )
    )
    try:
        result = score_and_store(audit_return, view.today)
    except StaleDataError as exc:
        db.session.rollback()
        raise ReturnChanged() from exc
    _commit()
    return result


def _keep_signatures(view: ReturnView, signatures: dict[str, Signature | None], user: User) -> None:
    for role in view.sign_off_roles:
        signature = signatures.get(role.id)
        existing = view.sign_offs.get(role.id)
        if signature is None:
            if existing is not None:
                db.session.delete(existing)
                del view.sign_offs[role.id]
            continue
        if existing is None:
            existing = SignOff(return_id=view.audit_return.id, role_id=role.id)
            db.session.add(existing)
            view.sign_offs[role.id] = existing
        existing.name = signature.name
        existing.position = signature.position
        existing.signed_on = signature.signed_on
        existing.recorded_by_id = user.id


def _commit() -> None:
    try:
        db.session.commit()
    except (IntegrityError, StaleDataError) as exc:
        # Two people signed the same role, or changed the return, at the same moment.
        db.session.rollback()
        raise ReturnChanged() from exc
