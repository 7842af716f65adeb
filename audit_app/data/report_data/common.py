"""What every report reads: a cycle's returns with their questionnaires and stored scores,
the words for organisations, cycles and ratings, and the cycle to compare with."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

import scoring
from reports import data as rd
from scoring.definitions.model import Duty, Questionnaire

from ...extensions import db
from ...models import (
    Answer,
    AuditCycle,
    CycleQuestionnaire,
    CycleStatus,
    Job,
    Organisation,
    OrganisationKind,
    Partnership,
    QuestionnaireVersion,
    Return,
    ReturnStatus,
    cycle_partnership,
    partnership_organisation,
)
from ...registers.agencies import AGENCY_TYPE_LABELS, AgencyType
from ..scores import questionnaire_of

UK = ZoneInfo("Europe/London")  # deadlines and letters are dated in England
RETURN_STATUS = {
    ReturnStatus.NOT_STARTED: "not_started",
    ReturnStatus.IN_PROGRESS: "in_progress",
    ReturnStatus.SUBMITTED: "submitted",
    ReturnStatus.CHANGES_REQUESTED: "returned_for_changes",
    ReturnStatus.ACCEPTED: "accepted",
}
_SCORING_STATUS = {
    ReturnStatus.NOT_STARTED: scoring.ReturnStatus.NOT_STARTED,
    ReturnStatus.IN_PROGRESS: scoring.ReturnStatus.IN_PROGRESS,
    ReturnStatus.SUBMITTED: scoring.ReturnStatus.SUBMITTED,
    ReturnStatus.CHANGES_REQUESTED: scoring.ReturnStatus.RETURNED_FOR_CHANGES,
    ReturnStatus.ACCEPTED: scoring.ReturnStatus.ACCEPTED,
}
_DEADLINE_FLAGS = frozenset(
    {
        scoring.FlagCode.NOT_STARTED,
        scoring.FlagCode.IN_PROGRESS_OVERDUE,
        scoring.FlagCode.NON_RETURN,
        scoring.FlagCode.LATE,
    }
)


def uk_day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.astimezone(UK).date()


def sector_of(organisation: Organisation) -> str:
    """The group boards report by: agency type, school phase (the type of establishment
    where GIAS gives the phase as "Not applicable", as for special schools) or further
    education."""
    if organisation.kind is OrganisationKind.AGENCY:
        try:
            return AGENCY_TYPE_LABELS[AgencyType(organisation.agency_type)]
        except ValueError:
            return "Other agency"
    if organisation.kind is OrganisationKind.COLLEGE:
        return "Further education"
    if organisation.phase and organisation.phase != "Not applicable":
        return organisation.phase
    return organisation.type_name or "School"


def partnership_ref(partnership: Partnership) -> rd.PartnershipRef:
    sender = current_app.config.get("SMTP_FROM", "")
    # The development default (…@localhost) is no address to print on a letter.
    email = sender if sender and not sender.endswith("@localhost") else ""
    return rd.PartnershipRef(partnership.name, email=email)


def cycle_ref(cycle: AuditCycle) -> rd.CycleRef:
    return rd.CycleRef(cycle.name, cycle.initial_deadline, cycle.final_deadline)


def organisation_ref(organisation: Organisation) -> rd.OrganisationRef:
    urn = str(organisation.urn) if organisation.urn else None
    return rd.OrganisationRef(organisation.name, organisation.kind.value, sector_of(organisation), urn)


def rating_ref(questionnaire: Questionnaire, rating_id: str | None) -> rd.RatingRef | None:
    if rating_id is None:
        return None
    try:
        band = questionnaire.scale.rating(rating_id)
    except KeyError:
        return None
    return rd.RatingRef(band.id, band.label, band.colour)


def scale_of(questionnaire: Questionnaire) -> tuple[rd.RatingRef, ...]:
    """The questionnaire's bands, best first."""
    return tuple(rd.RatingRef(band.id, band.label, band.colour) for band in questionnaire.scale.ratings)


@dataclass
class Rated:
    """A return with its organisation, its questionnaire and its stored score."""

    audit_return: Return
    organisation: Organisation
    questionnaire: Questionnaire

    @property
    def returned(self) -> bool:
        return self.audit_return.status.is_returned

    @property
    def score(self) -> scoring.ReturnScore | None:
        stored = self.audit_return.score
        return scoring.ReturnScore.from_dict(stored) if stored else None

    def standard_results(self) -> tuple[rd.StandardResult, ...]:
        """Each standard's ratings once returned; before that, the standards without ratings."""
        score = self.score if self.returned else None
        if score is None:
            duty = Duty(self.audit_return.duty)
            return tuple(
                rd.StandardResult(section.id, section.title)
                for section in self.questionnaire.sections
                if section.scored and section.applies(duty)
            )
        questionnaire = self.questionnaire
        return tuple(
            rd.StandardResult(
                section_id=standard.section_id,
                title=questionnaire.section(standard.section_id).title,
                self_rating=rating_ref(questionnaire, standard.self_rating),
                scored_rating=rating_ref(questionnaire, standard.rating),
                moderated_rating=rating_ref(questionnaire, standard.moderated_rating),
                score=standard.score,
                not_applicable=standard.status is scoring.StandardStatus.NOT_APPLICABLE,
            )
            for standard in score.standards
        )

    def overall(self) -> rd.RatingRef | None:
        score = self.score if self.returned else None
        return None if score is None else rating_ref(self.questionnaire, score.overall.rating)

    def organisation_return(self) -> rd.OrganisationReturn:
        return rd.OrganisationReturn(
            organisation=organisation_ref(self.organisation),
            status=RETURN_STATUS[self.audit_return.status],
            submitted_on=uk_day(self.audit_return.submitted_at),
            overall=self.overall(),
            standards=self.standard_results() if self.returned else (),
        )

    def flags(self, today: date) -> list[scoring.Flag]:
        """The stored flags; for a return not yet sent, with its deadline flag worked out
        for today, since one stored before a deadline passed is no longer true."""
        stored = [scoring.Flag.from_dict(flag) for flag in self.audit_return.flags or []]
        if self.returned:
            return stored
        cycle: AuditCycle = self.audit_return.cycle
        status = self.audit_return.status
        try:
            context = scoring.ReturnContext(
                status=_SCORING_STATUS[status],
                initial_deadline=cycle.initial_deadline,
                final_deadline=cycle.final_deadline,
                today=today,
                started_at=None if status is ReturnStatus.NOT_STARTED else self.audit_return.started_at,
            )
        except ValueError:
            return stored  # timestamps at odds with the status: only what was stored can be trusted
        deadline = scoring.flags_for(self.questionnaire, context)
        return deadline + [flag for flag in stored if flag.code not in _DEADLINE_FLAGS]

    def progress(self) -> scoring.Progress:
        score = self.score
        if score is not None:
            return score.overall_progress
        # Never scored (not yet sent): count the answers given so far.
        answers = db.session.scalars(
            select(Answer).where(Answer.return_id == self.audit_return.id).order_by(Answer.question_id)
        )
        given = [scoring.Answer(row.question_id, row.value, row.na_reason) for row in answers]
        try:
            live = scoring.score_return(self.questionnaire, given, self.audit_return.duty)
        except scoring.InvalidAnswer:
            return scoring.Progress(0, 0)
        return live.overall_progress


def members_of(partnership: Partnership):
    return select(partnership_organisation.c.organisation_id).where(
        partnership_organisation.c.partnership_id == partnership.id
    )


def questionnaires_by_version(version_ids: Iterable[int]) -> dict[int, Questionnaire]:
    ids = sorted(set(version_ids))
    if not ids:
        return {}
    versions = db.session.scalars(select(QuestionnaireVersion).where(QuestionnaireVersion.id.in_(ids)))
    return {version.id: questionnaire_of(version) for version in versions}


def cycle_returns(partnership: Partnership, cycle: AuditCycle) -> list[Rated]:
    """Every return of the cycle from the partnership's organisations, by organisation name.

    In a joint cycle each partnership reports on its own organisations.
    """
    pairs = db.session.execute(
        select(Return, Organisation)
        .join(Organisation, Organisation.id == Return.organisation_id)
        .where(Return.cycle_id == cycle.id, Return.organisation_id.in_(members_of(partnership)))
        .order_by(Organisation.name, Organisation.id)
    ).all()
    questionnaires = questionnaires_by_version(r.questionnaire_version_id for r, _ in pairs)
    return [Rated(r, o, questionnaires[r.questionnaire_version_id]) for r, o in pairs]


def rated(audit_return: Return) -> Rated:
    return Rated(
        audit_return, audit_return.organisation, questionnaire_of(audit_return.questionnaire_version)
    )


def return_in_partnership(partnership: Partnership, return_id: int) -> Return | None:
    """The return if its cycle is run by the partnership (and open or closed, not a draft)
    and its organisation belongs to the partnership; otherwise None, shown as not found."""
    return db.session.scalar(
        select(Return)
        .join(cycle_partnership, cycle_partnership.c.cycle_id == Return.cycle_id)
        .join(AuditCycle, AuditCycle.id == Return.cycle_id)
        .where(
            Return.id == return_id,
            cycle_partnership.c.partnership_id == partnership.id,
            AuditCycle.status != CycleStatus.DRAFT,
            Return.organisation_id.in_(members_of(partnership)),
        )
    )


def cycle_standards(cycle: AuditCycle, returns: list[Rated]) -> tuple[rd.StandardRef, ...]:
    """The standards of every questionnaire the cycle uses, the most used questionnaire's
    first; a standard id two questionnaires share appears once."""
    uses: dict[int, int] = {}
    for entry in returns:
        version_id = entry.audit_return.questionnaire_version_id
        uses[version_id] = uses.get(version_id, 0) + 1
    for link in db.session.scalars(
        select(CycleQuestionnaire)
        .where(CycleQuestionnaire.cycle_id == cycle.id)
        .order_by(CycleQuestionnaire.duty)
    ):
        uses.setdefault(link.questionnaire_version_id, 0)
    questionnaires = questionnaires_by_version(uses)
    standards: dict[str, rd.StandardRef] = {}
    for version_id in sorted(uses, key=lambda v: (-uses[v], v)):
        for section in questionnaires[version_id].sections:
            if section.scored and section.id not in standards:
                standards[section.id] = rd.StandardRef(section.id, section.title)
    return tuple(standards.values())


def previous_cycle(partnership: Partnership, cycle: AuditCycle) -> AuditCycle | None:
    """The cycle to compare with: the one recorded as coming before this one, else the
    latest that opened earlier in this partnership on one of the same questionnaires."""
    if cycle.previous_cycle_id is not None:
        return db.session.get(AuditCycle, cycle.previous_cycle_id)
    keys = (
        select(QuestionnaireVersion.questionnaire_key)
        .join(CycleQuestionnaire, CycleQuestionnaire.questionnaire_version_id == QuestionnaireVersion.id)
        .where(CycleQuestionnaire.cycle_id == cycle.id)
    )
    return db.session.scalar(
        select(AuditCycle)
        .join(cycle_partnership, cycle_partnership.c.cycle_id == AuditCycle.id)
        .join(CycleQuestionnaire, CycleQuestionnaire.cycle_id == AuditCycle.id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == CycleQuestionnaire.questionnaire_version_id)
        .where(
            cycle_partnership.c.partnership_id == partnership.id,
            AuditCycle.id != cycle.id,
            AuditCycle.status != CycleStatus.DRAFT,
            AuditCycle.opens_on < cycle.opens_on,
            QuestionnaireVersion.questionnaire_key.in_(keys),
        )
        .order_by(AuditCycle.opens_on.desc(), AuditCycle.id.desc())
        .limit(1)
    )


def reportable_cycles(partnership: Partnership) -> list[AuditCycle]:
    """The partnership's cycles that have been opened (open or closed), latest first."""
    return list(
        db.session.scalars(
            select(AuditCycle)
            .join(cycle_partnership, cycle_partnership.c.cycle_id == AuditCycle.id)
            .where(
                cycle_partnership.c.partnership_id == partnership.id, AuditCycle.status != CycleStatus.DRAFT
            )
            .order_by(AuditCycle.opens_on.desc(), AuditCycle.id.desc())
        )
    )


def cycle_in_scope(partnership: Partnership, cycle_id: int) -> AuditCycle | None:
    """An opened cycle the partnership runs, alone or jointly; otherwise None (not found)."""
    return next((cycle for cycle in reportable_cycles(partnership) if cycle.id == cycle_id), None)


def partnership_and_cycle(partnership_id: int, cycle_id: int) -> tuple[Partnership, AuditCycle]:
    """For a background job, which has no signed-in person to take the scope from."""
    partnership = db.session.get(Partnership, partnership_id)
    cycle = db.session.get(AuditCycle, cycle_id)
    if partnership is None or cycle is None or partnership not in cycle.partnerships:
        raise LookupError("the cycle is not run by this partnership")
    return partnership, cycle


def job_in_scope(partnership: Partnership, job_id: int, kinds: tuple[str, ...]) -> Job | None:
    """One of the partnership's background jobs of these kinds; otherwise None (not found)."""
    job = db.session.get(Job, job_id)
    if job is None or job.partnership_id != partnership.id or job.kind not in kinds:
        return None
    return job
