"""Carrying last year's answers and evidence into a new return, for the respondent to check and confirm.

When a return is first opened, answers are copied from the organisation's
latest accepted return — or that of the school it replaced, following GIAS
successor links backwards — for each question that still exists with the same
type and for which the old value is still a valid answer. The evidence
attached to those questions comes too: descriptions of and links to evidence
held elsewhere, and uploaded files. Each copy is marked ``copied_forward``
until someone saves the section it is in.

An uploaded file is copied into a new file of its own under EVIDENCE_DIR (same
bytes, name and type; a new stored name), so the two returns never share one:
removing either, or the return it belongs to, leaves the other whole. Not
copied: a file a reviewer marked inadequate (``inadequate_reason``), one the
upload check found a problem with (``check_problem``: empty or unreadable), and
one missing from disk or changed since it was stored — that is logged, and the
return opens without it. Files are written in the same transaction as the rows:
if it does not commit, they are deleted again (see audit_app/data/evidence.py).
A process killed between writing and committing can leave a file no row names;
the app never serves it, since a download goes through an Evidence row.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

import scoring
from scoring.answers import InvalidAnswer, read_answers
from scoring.definitions.model import Question, Questionnaire, QuestionType

from ..extensions import db
from ..models import (
    Answer,
    AuditCycle,
    Evidence,
    EvidenceKind,
    Organisation,
    Return,
    ReturnStatus,
    utcnow,
)
from . import evidence as evidence_store
from .returns import ReturnView
from .scores import questionnaire_of

# Academy conversions rarely chain more than once or twice; the bound keeps a
# mistaken loop of successor links from running forever.
_MAX_PREDECESSOR_STEPS = 10


def _organisation_and_predecessors(organisation_id: int) -> list[int]:
    found = [organisation_id]
    frontier = [organisation_id]
    for _ in range(_MAX_PREDECESSOR_STEPS):
        frontier = [
            oid
            for oid in db.session.scalars(
                select(Organisation.id)
                .where(Organisation.successor_id.in_(frontier))
                .order_by(Organisation.id)
            )
            if oid not in found
        ]
        if not frontier:
            break
        found.extend(frontier)
    return found


def last_accepted_return(audit_return: Return) -> Return | None:
    """The latest accepted return of the organisation (or a predecessor) from an earlier cycle."""
    return db.session.scalars(
        select(Return)
        .join(AuditCycle, AuditCycle.id == Return.cycle_id)
        .where(
            Return.organisation_id.in_(_organisation_and_predecessors(audit_return.organisation_id)),
            Return.status == ReturnStatus.ACCEPTED,
            Return.cycle_id != audit_return.cycle_id,
            AuditCycle.opens_on <= audit_return.cycle.opens_on,
        )
        .order_by(AuditCycle.opens_on.desc(), Return.accepted_at.desc(), Return.id.desc())
        .limit(1)
    ).first()


def still_valid(questionnaire: Questionnaire, question: Question, answer: Answer) -> bool:
    """Whether last year's answer is a valid answer to this year's question."""
    if answer.na_reason is not None:
        return question.na_allowed and bool(answer.na_reason.strip())
    value = answer.value
    if value in (None, "", []):
        return False
    try:
        read_answers(questionnaire, [scoring.Answer(question.id, value)])
    except InvalidAnswer:
        return False
    kind = question.type
    if kind is QuestionType.NUMBER:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is QuestionType.DATE:
        return isinstance(value, str) and _iso_date(value)
    if kind in (QuestionType.TEXT, QuestionType.EVIDENCE):
        return isinstance(value, str)
    if kind is QuestionType.PERSON:
        return (
            isinstance(value, dict)
            and isinstance(value.get("name"), str)
            and bool(value["name"].strip())
            and (not value.get("trained_on") or _iso_date(value["trained_on"]))
        )
    if kind is QuestionType.MULTIPLE_CHOICE:
        return isinstance(value, list)
    return isinstance(value, str)


def _iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return True


def _worth_copying(item: Evidence) -> bool:
    """Links and descriptions always; a file only if nobody found it wanting (see the module docstring)."""
    if item.kind is not EvidenceKind.FILE:
        return True
    return bool(item.stored_name) and item.inadequate_reason is None and item.check_problem is None


def copy_forward(view: ReturnView) -> int:
    """Pre-fill a return nobody has started from last year's accepted one; how many answers were copied.

    Runs once: only while the return is not started and holds no answers. The
    copy is guarded by a conditional UPDATE of the return's version, so two
    people opening the return at the same moment cannot both copy.
    """
    audit_return = view.audit_return
    if audit_return.status is not ReturnStatus.NOT_STARTED or view.answers:
        return 0
    if any(row.version for row in view.sections.values()):
        return 0
    previous = last_accepted_return(audit_return)
    if previous is None:
        return 0
    old_questionnaire = questionnaire_of(previous.questionnaire_version)
    new_questionnaire = view.questionnaire
    old_types = {question.id: question.type for question in old_questionnaire.questions()}
    new_questions = {
        question.id: question
        for section in view.applicable_sections
        for question in view.applicable_questions(section)
    }
    old_answers = db.session.scalars(
        select(Answer).where(Answer.return_id == previous.id).order_by(Answer.question_id)
    ).all()
    copies = [
        answer
        for answer in old_answers
        if answer.question_id in new_questions
        and old_types.get(answer.question_id) is new_questions[answer.question_id].type
        and still_valid(new_questionnaire, new_questions[answer.question_id], answer)
    ]
    copied_ids = {answer.question_id for answer in copies}
    evidence = [
        item
        for item in db.session.scalars(
            select(Evidence).where(Evidence.return_id == previous.id).order_by(Evidence.id)
        )
        if item.question_id in copied_ids and _worth_copying(item)
    ]
    if not copies:
        return 0
    claimed = db.session.execute(
        update(Return)
        .where(
            Return.id == audit_return.id,
            Return.version == audit_return.version,
            Return.status == ReturnStatus.NOT_STARTED,
        )
        .values(version=Return.version + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        return 0
    now = utcnow()
    for answer in copies:
        db.session.add(
            Answer(
                return_id=audit_return.id,
                question_id=answer.question_id,
                value=answer.value,
                na_reason=answer.na_reason,
                copied_forward=True,
                updated_at=now,
            )
        )
    for item in evidence:
        if item.kind is EvidenceKind.FILE:
            evidence_store.copy_file(item, audit_return)
            continue
        db.session.add(
            Evidence(
                return_id=audit_return.id,
                question_id=item.question_id,
                kind=EvidenceKind.LINK,
                description=item.description,
                url=item.url,
                copied_forward=True,
                uploaded_at=now,
            )
        )
    db.session.commit()
    return len(copies)
