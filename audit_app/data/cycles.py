"""Questionnaire snapshots, audit cycles and opening them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from scoring.definitions.model import Questionnaire

from ..extensions import db
from ..models import (
    AuditCycle,
    CycleQuestionnaire,
    CycleStatus,
    Organisation,
    Partnership,
    QuestionnaireVersion,
    Return,
    ReturnSection,
    ReturnStatus,
    ReturnStatusChange,
    utcnow,
)


def store_questionnaire(questionnaire: Questionnaire, text: str, source_name: str) -> QuestionnaireVersion:
    """The stored snapshot of exactly this text, created the first time it is used."""
    stored = db.session.scalar(
        select(QuestionnaireVersion).where(QuestionnaireVersion.content_hash == questionnaire.content_hash)
    )
    if stored is not None:
        return stored
    stored = QuestionnaireVersion(
        questionnaire_key=questionnaire.id,
        version=questionnaire.version,
        title=questionnaire.title,
        source_name=source_name,
        source_text=text,
        content_hash=questionnaire.content_hash,
        created_at=utcnow(),
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def create_cycle(
    partnership: Partnership,
    name: str,
    opens_on: date,
    initial_deadline: date,
    final_deadline: date,
    questionnaires: dict[str, QuestionnaireVersion],
    audience: dict | None = None,
    joint_with: list[Partnership] = (),
) -> AuditCycle:
    """A draft cycle; ``questionnaires`` maps each duty (s11, s175…) to the version it uses."""
    if not opens_on <= initial_deadline <= final_deadline:
        raise ValueError("dates must run: opens, initial deadline, final deadline")
    cycle = AuditCycle(
        partnership_id=partnership.id,
        name=name,
        opens_on=opens_on,
        initial_deadline=initial_deadline,
        final_deadline=final_deadline,
        audience=audience or {},
        status=CycleStatus.DRAFT,
    )
    cycle.partnerships.append(partnership)
    cycle.partnerships.extend(joint_with)
    for duty, version in sorted(questionnaires.items()):
        cycle.questionnaires.append(CycleQuestionnaire(duty=duty, questionnaire_version=version))
    db.session.add(cycle)
    db.session.flush()
    return cycle


def _reference(cycle: AuditCycle, sequence: int) -> str:
    return f"C{cycle.id:03d}-{sequence:05d}"


def open_cycle(
    cycle: AuditCycle, organisations: list[Organisation], section_ids: dict[str, list[str]]
) -> list[Return]:
    """Open the cycle: one return per organisation whose duty the cycle has a questionnaire for.

    ``section_ids`` gives, per duty, the sections of that duty's questionnaire,
    so each return starts with its per-standard rows in place.
    """
    by_duty = {cq.duty: cq.questionnaire_version_id for cq in cycle.questionnaires}
    already = db.session.scalar(select(func.count(Return.id)).where(Return.cycle_id == cycle.id)) or 0
    created = []
    for organisation in organisations:
        version_id = by_duty.get(organisation.duty)
        if version_id is None:
            continue
        already += 1
        audit_return = Return(
            cycle_id=cycle.id,
            organisation_id=organisation.id,
            questionnaire_version_id=version_id,
            duty=organisation.duty,
            reference=_reference(cycle, already),
            status=ReturnStatus.NOT_STARTED,
        )
        for section_id in section_ids[organisation.duty]:
            audit_return.sections.append(ReturnSection(section_id=section_id))
        db.session.add(audit_return)
        created.append(audit_return)
    cycle.status = CycleStatus.OPEN
    cycle.opened_at = utcnow()
    db.session.flush()
    for audit_return in created:
        db.session.add(
            ReturnStatusChange(
                return_id=audit_return.id,
                from_status=None,
                to_status=ReturnStatus.NOT_STARTED,
                changed_at=cycle.opened_at,
                comment="Cycle opened",
            )
        )
    db.session.flush()
    return created
