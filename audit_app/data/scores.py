"""Scoring a return and keeping the result, so dashboards never rescore per request."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from sqlalchemy import select

import scoring
from scoring.definitions import parse_questionnaire
from scoring.definitions.model import Questionnaire

from ..extensions import db
from ..models import (
    ActionItem,
    ActionStatus,
    Answer,
    AuditCycle,
    Evidence,
    EvidenceKind,
    Organisation,
    QuestionnaireVersion,
    Return,
    ReturnStatus,
    StandardModeration,
    cycle_partnership,
    utcnow,
)
from .evidence import file_for_scoring

# The app's statuses in the scoring core's words.
_STATUS_FOR_SCORING = {
    ReturnStatus.NOT_STARTED: scoring.ReturnStatus.NOT_STARTED,
    ReturnStatus.IN_PROGRESS: scoring.ReturnStatus.IN_PROGRESS,
    ReturnStatus.SUBMITTED: scoring.ReturnStatus.SUBMITTED,
    ReturnStatus.CHANGES_REQUESTED: scoring.ReturnStatus.RETURNED_FOR_CHANGES,
    ReturnStatus.ACCEPTED: scoring.ReturnStatus.ACCEPTED,
}
_ACTION_STATUS_FOR_SCORING = {
    ActionStatus.OPEN: scoring.ActionStatus.OPEN,
    ActionStatus.IN_PROGRESS: scoring.ActionStatus.IN_PROGRESS,
    ActionStatus.DONE: scoring.ActionStatus.COMPLETED,
}
# Academy conversions rarely chain more than a couple of times; the bound stops
# a mistaken loop of successor links from going round for ever.
_LINEAGE_LIMIT = 20


# Parsed snapshots by content hash (sha256 of the text) and file name, most recently used
# last. A stored snapshot never changes, so a page needs neither its text (tens of kilobytes,
# left unread by the queries that load a return) nor a parse once it is kept here.
_SNAPSHOTS_KEPT = 32
_snapshots: OrderedDict[tuple[str, str], Questionnaire] = OrderedDict()
_snapshots_lock = threading.Lock()


def questionnaire_of(version: QuestionnaireVersion) -> Questionnaire:
    """The questionnaire exactly as the cycle stored it (never the file as it is now)."""
    key = (version.content_hash, version.source_name)
    with _snapshots_lock:
        questionnaire = _snapshots.get(key)
        if questionnaire is not None:
            _snapshots.move_to_end(key)
            return questionnaire
    questionnaire = parse_questionnaire(version.source_text, version.source_name)
    if questionnaire.content_hash != version.content_hash:
        return questionnaire  # a row whose hash is not its text's: never kept under that hash
    with _snapshots_lock:
        _snapshots[key] = questionnaire
        while len(_snapshots) > _SNAPSHOTS_KEPT:
            _snapshots.popitem(last=False)
    return questionnaire


def _answers(audit_return: Return) -> list[scoring.Answer]:
    rows = db.session.scalars(
        select(Answer).where(Answer.return_id == audit_return.id).order_by(Answer.question_id)
    )
    return [scoring.Answer(row.question_id, row.value, row.na_reason) for row in rows]


def _evidence(audit_return: Return) -> dict[str, scoring.Evidence]:
    rows = db.session.scalars(
        select(Evidence).where(Evidence.return_id == audit_return.id).order_by(Evidence.id)
    )
    by_question: dict[str, tuple[list[scoring.EvidenceFile], list[str]]] = {}
    for row in rows:
        files, notes = by_question.setdefault(row.question_id, ([], []))
        if row.kind is EvidenceKind.FILE:
            files.append(file_for_scoring(row))
        else:
            notes.append(row.description or row.url or "")
    return {
        question_id: scoring.Evidence(files=tuple(files), description=" ".join(n for n in notes if n))
        for question_id, (files, notes) in by_question.items()
    }


def lineage(organisation_id: int) -> list[int]:
    """The organisation and every organisation it replaced (GIAS successor links followed backwards)."""
    found = [organisation_id]
    newest = [organisation_id]
    while newest and len(found) < _LINEAGE_LIMIT:
        newest = [
            earlier
            for earlier in db.session.scalars(
                select(Organisation.id).where(Organisation.successor_id.in_(newest)).order_by(Organisation.id)
            )
            if earlier not in found
        ]
        found.extend(newest)
    return found


def previous_return(audit_return: Return) -> Return | None:
    """The organisation's (or its predecessor's) latest scored return on the same questionnaire
    from an earlier cycle, so that a standard's rating can be compared year on year."""
    cycle: AuditCycle = audit_return.cycle
    candidates = db.session.scalars(
        select(Return)
        .join(AuditCycle, AuditCycle.id == Return.cycle_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Return.questionnaire_version_id)
        .where(
            Return.organisation_id.in_(lineage(audit_return.organisation_id)),
            Return.cycle_id != cycle.id,
            AuditCycle.opens_on < cycle.opens_on,
            QuestionnaireVersion.questionnaire_key == audit_return.questionnaire_version.questionnaire_key,
            Return.status.in_([s for s in ReturnStatus if s.is_returned]),
        )
        .order_by(AuditCycle.opens_on.desc(), Return.id.desc())
    )
    # The score is JSON, where "no score" may be stored as JSON null: checked here, not in SQL.
    return next((candidate for candidate in candidates if candidate.score), None)


def _previous_ratings(audit_return: Return, questionnaire: Questionnaire) -> dict[str, str]:
    earlier = previous_return(audit_return)
    if earlier is None:
        return {}
    on_scale = {rating.id for rating in questionnaire.scale.ratings}
    ratings = {}
    for standard in scoring.ReturnScore.from_dict(earlier.score).standards:
        # A later version of the questionnaire may have changed its scale: only comparable bands count.
        if standard.final_rating in on_scale:
            ratings[standard.section_id] = standard.final_rating
    return ratings


def _agreed_actions(audit_return: Return) -> list[scoring.AgreedAction]:
    """The organisation's actions agreed by any partnership that runs the return's cycle."""
    rows = db.session.execute(
        select(ActionItem.due_on, ActionItem.status)
        .where(
            ActionItem.organisation_id.in_(lineage(audit_return.organisation_id)),
            ActionItem.partnership_id.in_(
                select(cycle_partnership.c.partnership_id).where(
                    cycle_partnership.c.cycle_id == audit_return.cycle_id
                )
            ),
        )
        .order_by(ActionItem.due_on, ActionItem.id)
    )
    return [scoring.AgreedAction(due_on, _ACTION_STATUS_FOR_SCORING[status]) for due_on, status in rows]


def moderated_ratings(audit_return: Return, questionnaire: Questionnaire) -> dict[str, str]:
    """Standard id → the band a reviewer settled on, from the return's moderations.

    A reviewer who agrees with the organisation's own rating makes that rating
    the standard's final one, so where it differs from the scored band it is
    applied as a moderation. Agreeing where the two are the same changes
    nothing, and is left out so that a critical cap on that band still holds.
    """
    standards = {section.id for section in questionnaire.sections if section.scored}
    on_scale = {rating.id for rating in questionnaire.scale.ratings}
    ratings = {}
    rows = db.session.scalars(
        select(StandardModeration)
        .where(StandardModeration.return_id == audit_return.id)
        .order_by(StandardModeration.section_id)
    )
    for row in rows:
        band = row.moderated_rating
        if band is None and row.self_rating != row.scored_rating:
            band = row.self_rating
        if band in on_scale and row.section_id in standards:
            ratings[row.section_id] = band
    return ratings


def score_and_store(audit_return: Return, today: date | None = None) -> scoring.ReturnScore:
    """Score the return from its answers, evidence and moderations, and store the result and its flags.

    The flags compare each standard with the organisation's previous return on the
    same questionnaire (DECLINED) and look at its agreed actions (ACTIONS_OVERDUE).
    """
    questionnaire = questionnaire_of(audit_return.questionnaire_version)
    result = scoring.score_return(
        questionnaire,
        _answers(audit_return),
        audit_return.duty,
        evidence=_evidence(audit_return),
        moderated=moderated_ratings(audit_return, questionnaire),
    )
    cycle: AuditCycle = audit_return.cycle
    context = scoring.ReturnContext(
        status=_STATUS_FOR_SCORING[audit_return.status],
        initial_deadline=cycle.initial_deadline,
        final_deadline=cycle.final_deadline,
        today=today or date.today(),
        started_at=audit_return.started_at,
        submitted_at=audit_return.submitted_at,
        previous_ratings=_previous_ratings(audit_return, questionnaire),
        actions=_agreed_actions(audit_return),
    )
    flags = scoring.flags_for(questionnaire, context, result)
    audit_return.score = result.to_dict()
    audit_return.flags = [flag.to_dict() for flag in flags]
    audit_return.scored_at = utcnow()
    return result
