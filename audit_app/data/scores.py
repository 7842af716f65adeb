"""Scoring a return and keeping the result, so dashboards never rescore per request."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import select

import scoring
from scoring.definitions import parse_questionnaire
from scoring.definitions.model import Questionnaire

from ..extensions import db
from ..models import (
    Answer,
    AuditCycle,
    Evidence,
    EvidenceKind,
    QuestionnaireVersion,
    Return,
    ReturnStatus,
    utcnow,
)

# The app's statuses in the scoring core's words.
_STATUS_FOR_SCORING = {
    ReturnStatus.NOT_STARTED: scoring.ReturnStatus.NOT_STARTED,
    ReturnStatus.IN_PROGRESS: scoring.ReturnStatus.IN_PROGRESS,
    ReturnStatus.SUBMITTED: scoring.ReturnStatus.SUBMITTED,
    ReturnStatus.CHANGES_REQUESTED: scoring.ReturnStatus.RETURNED_FOR_CHANGES,
    ReturnStatus.ACCEPTED: scoring.ReturnStatus.ACCEPTED,
}


@lru_cache(maxsize=32)
def _parse_snapshot(content_hash: str, text: str, source: str) -> Questionnaire:
    # Keyed by hash as well as text: a snapshot never changes once stored.
    return parse_questionnaire(text, source)


def questionnaire_of(version: QuestionnaireVersion) -> Questionnaire:
    """The questionnaire exactly as the cycle stored it (never the file as it is now)."""
    return _parse_snapshot(version.content_hash, version.source_text, version.source_name)


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
            files.append(scoring.EvidenceFile(row.original_filename or "file", empty=not row.size_bytes))
        else:
            notes.append(row.description or row.url or "")
    return {
        question_id: scoring.Evidence(files=tuple(files), description=" ".join(n for n in notes if n))
        for question_id, (files, notes) in by_question.items()
    }


def score_and_store(audit_return: Return, today: date | None = None) -> scoring.ReturnScore:
    """Score the return from its answers and evidence, and store the result and its flags."""
    questionnaire = questionnaire_of(audit_return.questionnaire_version)
    result = scoring.score_return(
        questionnaire, _answers(audit_return), audit_return.duty, evidence=_evidence(audit_return)
    )
    cycle: AuditCycle = audit_return.cycle
    context = scoring.ReturnContext(
        status=_STATUS_FOR_SCORING[audit_return.status],
        initial_deadline=cycle.initial_deadline,
        final_deadline=cycle.final_deadline,
        today=today or date.today(),
        started_at=audit_return.started_at,
        submitted_at=audit_return.submitted_at,
    )
    flags = scoring.flags_for(questionnaire, context, result)
    audit_return.score = result.to_dict()
    audit_return.flags = [flag.to_dict() for flag in flags]
    audit_return.scored_at = utcnow()
    return result
