"""Questionnaire snapshots, audit cycles, their audience and opening them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from scoring.definitions.model import Questionnaire

from .. import audit_trail
from ..extensions import db
from ..models import (
    AuditCycle,
    ContactRole,
    CycleQuestionnaire,
    CycleStatus,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Partnership,
    QuestionnaireVersion,
    Return,
    ReturnSection,
    ReturnStatus,
    ReturnStatusChange,
    Role,
    RoleGrant,
    User,
    cycle_partnership,
    partnership_organisation,
    utcnow,
)
from .scores import questionnaire_of


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
    reminder_schedule: dict | None = None,
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
        reminder_schedule=reminder_schedule or {},
        status=CycleStatus.DRAFT,
    )
    cycle.partnerships.append(partnership)
    cycle.partnerships.extend(p for p in joint_with if p.id != partnership.id)
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


# ---- the audience ---------------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """Who a cycle asks for a return, kept on the cycle to show and to re-apply.

    Whole kinds of organisation (agencies, schools, colleges), narrowed if asked:
    agencies to some agency types; schools and colleges to some GIAS establishment
    type codes and to some LA codes. Hand-picked organisations are added whatever
    the rest says. Closed organisations are never in it.
    """

    kinds: tuple[str, ...] = ()
    agency_types: tuple[str, ...] = ()
    type_codes: tuple[str, ...] = ()
    la_codes: tuple[str, ...] = ()
    organisation_ids: tuple[int, ...] = ()

    def to_dict(self) -> dict:
        return {
            "kinds": list(self.kinds),
            "agency_types": list(self.agency_types),
            "type_codes": list(self.type_codes),
            "la_codes": list(self.la_codes),
            "organisation_ids": list(self.organisation_ids),
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> Audience:
        data = data or {}
        return cls(
            kinds=tuple(data.get("kinds", ())),
            agency_types=tuple(data.get("agency_types", ())),
            type_codes=tuple(data.get("type_codes", ())),
            la_codes=tuple(data.get("la_codes", ())),
            organisation_ids=tuple(int(i) for i in data.get("organisation_ids", ())),
        )

    def includes(self, organisation: Organisation) -> bool:
        if organisation.status is not OrganisationStatus.OPEN:
            return False
        if organisation.id in self.organisation_ids:
            return True
        if organisation.kind.value not in self.kinds:
            return False
        if organisation.kind is OrganisationKind.AGENCY:
            return not self.agency_types or organisation.agency_type in self.agency_types
        if self.type_codes and organisation.type_code not in self.type_codes:
            return False
        return not self.la_codes or organisation.la_code in self.la_codes


def _members_of(partnership_ids: list[int]):
    return select(partnership_organisation.c.organisation_id).where(
        partnership_organisation.c.partnership_id.in_(partnership_ids)
    )


def organisations_of(partnerships: list[Partnership]) -> list[Organisation]:
    """The open organisations of these partnerships, each once, by name (contacts loaded)."""
    return list(
        db.session.scalars(
            select(Organisation)
            .where(
                Organisation.id.in_(_members_of([p.id for p in partnerships])),
                Organisation.status == OrganisationStatus.OPEN,
            )
            .options(selectinload(Organisation.contacts))
            .order_by(Organisation.name, Organisation.id)
        )
    )


def audience_of(cycle: AuditCycle) -> list[Organisation]:
    """The organisations the cycle's audience selects, from every partnership running it."""
    audience = Audience.from_dict(cycle.audience)
    return [o for o in organisations_of(list(cycle.partnerships)) if audience.includes(o)]


@dataclass
class DraftReview:
    """What opening a draft cycle would do, and what stands in its way."""

    organisations: list[Organisation]
    without_lead: list[Organisation] = field(default_factory=list)
    without_questionnaire: list[Organisation] = field(default_factory=list)


def review_draft(cycle: AuditCycle) -> DraftReview:
    duties = {cq.duty for cq in cycle.questionnaires}
    organisations = audience_of(cycle)
    return DraftReview(
        organisations,
        without_lead=[o for o in organisations if not any(c.role is ContactRole.LEAD for c in o.contacts)],
        without_questionnaire=[o for o in organisations if o.duty not in duties],
    )


class CycleCannotOpen(Exception):
    """Opening would leave the cycle wrong; nothing was created."""


def open_for_audience(cycle_id: int) -> list[Return]:
    """Open a draft cycle: one return per organisation in its audience.

    Everything happens in the caller's transaction, so it is all or nothing: if
    anything fails the caller rolls back and no return exists. The cycle is
    claimed with a conditional UPDATE first, so two requests to open it (a double
    click, two workers) cannot both create returns.
    """
    claimed = db.session.execute(
        update(AuditCycle)
        .where(AuditCycle.id == cycle_id, AuditCycle.status == CycleStatus.DRAFT)
        .values(status=CycleStatus.OPEN)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise CycleCannotOpen("This cycle has already been opened.")
    audit_trail.record_change(db.session, "cycle", cycle_id, "status", CycleStatus.DRAFT, CycleStatus.OPEN)
    cycle = db.session.get(AuditCycle, cycle_id, populate_existing=True)
    review = review_draft(cycle)
    if not review.organisations:
        raise CycleCannotOpen("No organisation is in this cycle's audience, so there is nothing to open.")
    if review.without_questionnaire:
        names = ", ".join(o.name for o in review.without_questionnaire[:5])
        more = len(review.without_questionnaire) - 5
        raise CycleCannotOpen(
            f"{len(review.without_questionnaire)} organisations have no questionnaire in this cycle "
            f"({names}{f' and {more} more' if more > 0 else ''}). Nothing was opened."
        )
    section_ids = {
        cq.duty: [section.id for section in questionnaire_of(cq.questionnaire_version).sections]
        for cq in cycle.questionnaires
    }
    return open_cycle(cycle, review.organisations, section_ids)


# ---- finding cycles -------------------------------------------------------------------


def cycle_in_scope(partnership: Partnership, cycle_id: int) -> AuditCycle | None:
    """The cycle if this partnership runs it (alone or jointly), else None (shown as not found)."""
    return db.session.scalar(
        select(AuditCycle)
        .join(cycle_partnership, cycle_partnership.c.cycle_id == AuditCycle.id)
        .where(AuditCycle.id == cycle_id, cycle_partnership.c.partnership_id == partnership.id)
    )


def administered_partnerships(user: User) -> list[Partnership]:
    """The partnerships in which this person is a business unit admin, by name."""
    return list(
        db.session.scalars(
            select(Partnership)
            .where(
                Partnership.id.in_(
                    select(RoleGrant.partnership_id).where(
                        RoleGrant.user_id == user.id, RoleGrant.role == Role.ADMIN
                    )
                )
            )
            .order_by(Partnership.name, Partnership.id)
        )
    )


@dataclass(frozen=True)
class AudienceChoices:
    """What the audience can be narrowed by, from the partnerships' registers."""

    agency_types: list[str]
    establishment_types: list[tuple[str, str]]  # (type code, type name)
    la_codes: list[tuple[str, str]]  # (LA code, LA name)
    organisations: list[Organisation]


def audience_choices(partnerships: list[Partnership]) -> AudienceChoices:
    organisations = organisations_of(partnerships)
    types: dict[str, str] = {}
    areas: dict[str, str] = {}
    for organisation in organisations:
        if organisation.type_code:
            types.setdefault(organisation.type_code, organisation.type_name or organisation.type_code)
        if organisation.la_code:
            areas.setdefault(organisation.la_code, organisation.la_name or "")
    return AudienceChoices(
        agency_types=sorted({o.agency_type for o in organisations if o.agency_type}),
        establishment_types=sorted(types.items(), key=lambda item: item[1].lower()),
        la_codes=sorted(areas.items()),
        organisations=organisations,
    )


@dataclass(frozen=True)
class QuestionnaireFile:
    """A questionnaire file offered for a new cycle: its parsed form and exact text."""

    file_name: str
    questionnaire: Questionnaire
    text: str


def create_draft(
    partnership: Partnership,
    name: str,
    opens_on: date,
    initial_deadline: date,
    final_deadline: date,
    questionnaires: dict[str, QuestionnaireFile],
    audience: Audience,
    joint_with: list[Partnership],
    reminder_schedule: dict,
) -> AuditCycle:
    """Snapshot the chosen questionnaire files and create the draft cycle; commits."""
    versions = {
        duty: store_questionnaire(chosen.questionnaire, chosen.text, chosen.file_name)
        for duty, chosen in sorted(questionnaires.items())
    }
    cycle = create_cycle(
        partnership,
        name,
        opens_on=opens_on,
        initial_deadline=initial_deadline,
        final_deadline=final_deadline,
        questionnaires=versions,
        audience=audience.to_dict(),
        joint_with=joint_with,
        reminder_schedule=reminder_schedule,
    )
    db.session.commit()
    return cycle
