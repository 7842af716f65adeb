"""The Demoshire demonstration partnership.

Everything is built through the same data functions the app uses, from the
bundled register files (the GIAS sample is in the real GIAS format) and the
shipped questionnaires. Answers come from a seeded random generator, so two
seeds on the same date give the same demo.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from scoring import Answer as GivenAnswer
from scoring import visible_question_ids
from scoring.definitions import load_questionnaire
from scoring.definitions.model import Duty, Question, Questionnaire, QuestionType

from ..data import cycles, organisations, people, scores
from ..extensions import db
from ..models import (
    Answer,
    AuditCycle,
    ContactRole,
    Evidence,
    EvidenceKind,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Partnership,
    Return,
    ReturnStatus,
    ReturnStatusChange,
    Role,
    RoleGrant,
    SignOff,
    User,
)
from ..registers.agencies import read_agencies
from ..registers.gias import read_establishments
from ..registers.gias_links import read_links, successor_chain

DATA = Path(__file__).resolve().parent / "data"
QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"
GIAS_FILE = DATA / "edubasealldata20261101.csv"
LINKS_FILE = DATA / "links_edubasealldata20261101.csv"
AGENCIES_FILE = DATA / "agencies.csv"

DEMO_PASSWORD = "demoshire-demo-2026"
PARTNERSHIP_NAME = "Demoshire Safeguarding Children Partnership"
LA_CODES = ["990"]


@dataclass
class SeedSummary:
    schools: int = 0
    colleges: int = 0
    agencies: int = 0
    closed: int = 0
    returns: dict[str, Counter] = field(default_factory=dict)

    def describe(self) -> str:
        lines = [
            f"Seeded {PARTNERSHIP_NAME}: {self.schools} schools, {self.colleges} colleges, "
            f"{self.agencies} agencies ({self.closed} closed schools kept for their history)."
        ]
        for cycle_name, counts in self.returns.items():
            parts = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in sorted(counts.items()))
            lines.append(f"  {cycle_name}: {parts}")
        return "\n".join(lines)


# Who signs in to the demo, for which role. Respondents are attached below to a
# real organisation from the sample register.
STAFF = [
    ("Business unit admin", Role.ADMIN, "Dana Whitfield", "manager@demoshire-partnership.example"),
    ("Reviewer / auditor", Role.REVIEWER, "Ravi Chandran", "auditor@demoshire-partnership.example"),
    ("Board viewer", Role.BOARD_VIEWER, "Councillor Joan Abbott", "board@demoshire-partnership.example"),
]
SCHOOL_DSL_NAME = "Nadia Kowalski"


def demo_sign_ins() -> list[tuple[str, str]]:
    """(who, email) of each account in the demo partnership, read back from the database."""
    partnership = db.session.scalar(select(Partnership).where(Partnership.slug == "demoshire"))
    if partnership is None:
        return []
    rows = db.session.execute(
        select(RoleGrant.role, User.email, Organisation.name)
        .join(User, User.id == RoleGrant.user_id)
        .outerjoin(Organisation, Organisation.id == RoleGrant.organisation_id)
        .where(RoleGrant.partnership_id == partnership.id)
        .order_by(RoleGrant.id)
    )
    return [(f"{role.label} – {org}" if org else role.label, email) for role, email, org in rows]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def _register(
    partnership: Partnership, summary: SeedSummary
) -> tuple[list[Organisation], list[Organisation]]:
    """Schools and colleges from the GIAS sample, agencies from agencies.csv."""
    gias = read_establishments(GIAS_FILE, la_codes=LA_CODES)
    if gias.errors:
        raise RuntimeError(f"the bundled GIAS sample has errors: {gias.errors[0]}")
    by_urn: dict[int, Organisation] = {}
    education: list[Organisation] = []
    for establishment, status in [
        *[(e, OrganisationStatus.OPEN) for e in gias.establishments],
        *[(e, OrganisationStatus.CLOSED) for e in gias.closed],
    ]:
        kind = OrganisationKind.COLLEGE if establishment.duty is Duty.FE else OrganisationKind.SCHOOL
        organisation = organisations.add_organisation(
            partnership,
            kind,
            establishment.name,
            establishment.duty.value,
            status=status,
            urn=establishment.urn,
            ukprn=establishment.ukprn or None,
            la_code=establishment.la_code,
            la_name=establishment.la_name,
            establishment_number=establishment.establishment_number,
            type_code=establishment.type_code,
            type_name=establishment.type_name,
            phase=establishment.phase,
            trust_code=establishment.trust_code or None,
            trust_name=establishment.trust_name or None,
            pupils=establishment.pupils,
            low_age=establishment.low_age,
            high_age=establishment.high_age,
            opened_on=establishment.open_date,
            closed_on=establishment.close_date if status is OrganisationStatus.CLOSED else None,
            close_reason=establishment.close_reason or None,
            street=establishment.street,
            town=establishment.town,
            postcode=establishment.postcode,
            website=establishment.website,
            telephone=establishment.telephone,
        )
        by_urn[establishment.urn] = organisation
        if status is OrganisationStatus.CLOSED:
            summary.closed += 1
            continue
        education.append(organisation)
        if kind is OrganisationKind.COLLEGE:
            summary.colleges += 1
        else:
            summary.schools += 1
        # GIAS holds no email addresses: the demo makes up a DSL mailbox per school.
        domain = _slug(establishment.name) + ".example"
        organisations.add_contact(
            organisation, "Designated safeguarding lead", f"dsl@{domain}", ContactRole.LEAD
        )
        head = establishment.head
        if head.last_name:
            head_name = " ".join(p for p in (head.title, head.first_name, head.last_name) if p)
            organisations.add_contact(
                organisation,
                head_name,
                f"head@{domain}",
                ContactRole.ESCALATION,
                position=head.job_title or "Head teacher",
            )

    links = read_links(LINKS_FILE)
    for urn, organisation in by_urn.items():
        chain = successor_chain(urn, links)
        successor = next((by_urn[u] for u in chain if u in by_urn), None)
        if successor is not None and successor is not organisation:
            organisation.successor = successor

    agencies = []
    for agency in read_agencies(AGENCIES_FILE).agencies:
        organisation = organisations.add_organisation(
            partnership,
            OrganisationKind.AGENCY,
            agency.name,
            Duty.S11.value,
            agency_type=agency.agency_type.value,
        )
        organisations.add_contact(
            organisation, agency.lead_contact_name, agency.lead_contact_email, ContactRole.LEAD
        )
        if agency.executive_lead_email:
            organisations.add_contact(
                organisation,
                agency.executive_lead_name,
                agency.executive_lead_email,
                ContactRole.ESCALATION,
                position="Executive lead for safeguarding",
            )
        agencies.append(organisation)
    summary.agencies = len(agencies)
    db.session.flush()
    return education, agencies


def _questionnaires() -> dict[str, tuple[Questionnaire, object]]:
    """Each shipped questionnaire by id, with its stored snapshot."""
    loaded = {}
    for path in sorted(QUESTIONNAIRES.glob("*.yaml")):
        questionnaire = load_questionnaire(path)
        stored = cycles.store_questionnaire(questionnaire, path.read_text(encoding="utf-8"), path.name)
        loaded[questionnaire.id] = (questionnaire, stored)
    return loaded


# ---- answers ------------------------------------------------------------

_PEOPLE = ["Sam Okafor", "Helen Brierley", "Tom Aziz", "Grace Lindqvist", "Owen Pryce", "Maya Chaudhry"]
_NOTES = [
    "Reviewed by the safeguarding lead and reported to the senior leadership team in the spring term.",
    "Covered in the annual safeguarding report; minutes available on request.",
    "Arrangements are in place and were checked during the last internal audit.",
]
_EVIDENCE = [
    "Safeguarding and child protection policy, approved September 2026 (policy library, section 2)",
    "Training matrix exported from the learning system, showing completion by staff group",
    "Minutes of the governing board meeting where the annual safeguarding report was received",
    "Single central record summary signed off by the chair of governors",
]


def _choose(question: Question, questionnaire: Questionnaire, rng: random.Random, strength: float):
    """An answer value for one question, better on average for a stronger organisation."""
    if question.type is QuestionType.SELF_RATING:
        # Organisations tend to rate themselves generously.
        ratings = questionnaire.scale.ratings
        return ratings[0].id if rng.random() < 0.6 else ratings[min(1, len(ratings) - 1)].id
    if question.options and question.type is not QuestionType.MULTIPLE_CHOICE:
        options = sorted(question.options, key=lambda o: -(o.points or 0))
        if rng.random() < strength:
            return options[0].value
        return rng.choice(options).value
    if question.type is QuestionType.MULTIPLE_CHOICE:
        chosen = [o.value for o in question.options if rng.random() < strength]
        if "none" in chosen and len(chosen) > 1:
            chosen.remove("none")  # "None of these" stands alone, as the page requires (returns/forms.py)
        return chosen or [question.options[0].value]
    if question.type is QuestionType.NUMBER:
        return rng.randint(0, 60)
    if question.type is QuestionType.DATE:
        return (date.today() - timedelta(days=rng.randint(20, 700))).isoformat()
    if question.type is QuestionType.PERSON:
        trained = date.today() - timedelta(days=rng.randint(30, 800))
        return {"name": rng.choice(_PEOPLE), "role": "", "trained_on": trained.isoformat()}
    if question.type is QuestionType.EVIDENCE:
        return rng.choice(_EVIDENCE)
    return rng.choice(_NOTES)


def _fill(
    audit_return: Return,
    questionnaire: Questionnaire,
    rng: random.Random,
    section_share: float,
    when: datetime,
) -> None:
    """Answer the first ``section_share`` of the sections, as the organisation would see them."""
    duty = Duty(audit_return.duty)
    sections = [s for s in questionnaire.sections if s.applies(duty)]
    wanted = sections[: max(1, round(len(sections) * section_share))]
    strength = rng.choice([0.95, 0.85, 0.75, 0.6])
    given: dict[str, GivenAnswer] = {}
    for section in wanted:
        for question in section.questions:
            if not question.applies(duty):
                continue
            if question.na_allowed and rng.random() < 0.08:
                given[question.id] = GivenAnswer(question.id, None, "Not part of what our organisation does.")
            else:
                given[question.id] = GivenAnswer(question.id, _choose(question, questionnaire, rng, strength))
    shown = visible_question_ids(questionnaire, given.values(), duty)
    for question_id, answer in given.items():
        if question_id not in shown:
            continue
        db.session.add(
            Answer(
                return_id=audit_return.id,
                question_id=question_id,
                value=answer.value,
                na_reason=answer.na_reason,
                updated_at=when,
            )
        )
        question = questionnaire.question(question_id)
        needs_evidence = answer.value in question.evidence.required_when
        # Some organisations claim a policy and attach nothing: the flags must catch it.
        if needs_evidence and rng.random() < 0.85:
            db.session.add(
                Evidence(
                    return_id=audit_return.id,
                    question_id=question_id,
                    kind=EvidenceKind.LINK,
                    description=rng.choice(_EVIDENCE),
                    uploaded_at=when,
                )
            )
    answered_sections = {s.id for s in wanted}
    for row in audit_return.sections:
        if row.section_id in answered_sections:
            row.version = 1
            row.completed = True
            row.updated_at = when


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(hour=rng.randint(8, 17), minute=rng.randint(0, 59)), tzinfo=UTC)


def _progress_return(
    audit_return: Return,
    status: ReturnStatus,
    questionnaire: Questionnaire,
    rng: random.Random,
    started: date,
    submitted: date | None,
    today: date,
) -> None:
    history = [(ReturnStatus.NOT_STARTED, ReturnStatus.IN_PROGRESS, started)]
    audit_return.started_at = _moment(started, rng)
    share = 1.0 if status.is_returned else rng.choice([0.25, 0.5, 0.75])
    _fill(audit_return, questionnaire, rng, share, audit_return.started_at)
    if submitted is not None:
        audit_return.submitted_at = _moment(submitted, rng)
        history.append((ReturnStatus.IN_PROGRESS, ReturnStatus.SUBMITTED, submitted))
        for role in questionnaire.sign_off:
            if role.applies_to and Duty(audit_return.duty) not in role.applies_to:
                continue
            db.session.add(
                SignOff(
                    return_id=audit_return.id,
                    role_id=role.id,
                    name=rng.choice(_PEOPLE),
                    position=role.label,
                    signed_on=submitted,
                )
            )
    if status is ReturnStatus.ACCEPTED:
        accepted = min(today, submitted + timedelta(days=5))
        audit_return.accepted_at = _moment(accepted, rng)
        history.append((ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED, accepted))
    audit_return.status = status
    for before, after, day in history:
        db.session.add(
            ReturnStatusChange(
                return_id=audit_return.id, from_status=before, to_status=after, changed_at=_moment(day, rng)
            )
        )


def _run_cycle(
    cycle: AuditCycle,
    returns: list[Return],
    questionnaires: dict[int, Questionnaire],
    plan: list[ReturnStatus],
    rng: random.Random,
    today: date,
    summary: SeedSummary,
) -> None:
    """Move each return to the status the plan gives it, with answers to match."""
    counts: Counter = Counter()
    for audit_return, status in zip(returns, plan, strict=True):
        counts[status.value] += 1
        if status is ReturnStatus.NOT_STARTED:
            continue
        started = cycle.opens_on + timedelta(days=rng.randint(1, 20))
        submitted = None
        if status.is_returned:
            latest = min(today, cycle.final_deadline)
            submitted = min(latest, cycle.initial_deadline, started + timedelta(days=rng.randint(3, 40)))
            # Most arrive by the initial deadline; where it has passed, a few come in late.
            days_late = (latest - cycle.initial_deadline).days
            if days_late > 0 and rng.random() < 0.25:
                submitted = cycle.initial_deadline + timedelta(days=rng.randint(1, days_late))
            started = min(started, submitted)
        _progress_return(
            audit_return,
            status,
            questionnaires[audit_return.questionnaire_version_id],
            rng,
            started,
            submitted,
            today,
        )
        db.session.flush()
        if status.is_returned:
            scores.score_and_store(audit_return, today)
    summary.returns[cycle.name] = counts


def _plan(count: int, shares: list[tuple[ReturnStatus, float]], rng: random.Random) -> list[ReturnStatus]:
    plan: list[ReturnStatus] = []
    for status, share in shares:
        plan.extend([status] * round(count * share))
    plan = (plan + [ReturnStatus.NOT_STARTED] * count)[:count]
    rng.shuffle(plan)
    return plan


def _section_ids(questionnaire: Questionnaire) -> list[str]:
    return [section.id for section in questionnaire.sections]


def seed_demo(today: date) -> SeedSummary:
    """Create the demo partnership and everything in it; commits once at the end."""
    rng = random.Random(2026)
    summary = SeedSummary()
    partnership = Partnership(
        name=PARTNERSHIP_NAME,
        slug="demoshire",
        la_codes=LA_CODES,
        independent_chair="Professor Alison Carver, independent scrutineer",
    )
    db.session.add(partnership)
    db.session.flush()

    education, agencies = _register(partnership, summary)
    loaded = _questionnaires()
    s11, s11_version = loaded["s11-8-standards"]
    schools, schools_version = loaded["s175-s157-schools"]
    colleges, colleges_version = loaded["fe-colleges"]
    by_version_id = {stored.id: q for q, stored in loaded.values()}

    s11_cycle = cycles.create_cycle(
        partnership,
        f"Section 11 audit {today.year}",
        opens_on=today - timedelta(days=70),
        initial_deadline=today - timedelta(days=10),
        final_deadline=today + timedelta(days=20),
        questionnaires={Duty.S11.value: s11_version},
        audience={"kinds": ["agency"]},
    )
    s11_returns = cycles.open_cycle(s11_cycle, agencies, {Duty.S11.value: _section_ids(s11)})
    schools_cycle = cycles.create_cycle(
        partnership,
        f"Schools and colleges safeguarding audit {today.year}",
        opens_on=today - timedelta(days=30),
        initial_deadline=today + timedelta(days=21),
        final_deadline=today + timedelta(days=49),
        questionnaires={
            Duty.S175.value: schools_version,
            Duty.S157.value: schools_version,
            Duty.NMSS.value: schools_version,
            Duty.FE.value: colleges_version,
        },
        audience={"kinds": ["school", "college"]},
    )
    school_sections = _section_ids(schools)
    schools_returns = cycles.open_cycle(
        schools_cycle,
        education,
        {
            Duty.S175.value: school_sections,
            Duty.S157.value: school_sections,
            Duty.NMSS.value: school_sections,
            Duty.FE.value: _section_ids(colleges),
        },
    )

    # The S11 initial deadline has passed, so anything not returned is overdue.
    s11_plan = _plan(
        len(s11_returns),
        [(ReturnStatus.SUBMITTED, 0.45), (ReturnStatus.ACCEPTED, 0.15), (ReturnStatus.IN_PROGRESS, 0.25)],
        rng,
    )
    schools_plan = _plan(
        len(schools_returns),
        [(ReturnStatus.SUBMITTED, 0.25), (ReturnStatus.ACCEPTED, 0.05), (ReturnStatus.IN_PROGRESS, 0.3)],
        rng,
    )
    # The demo respondents' own returns: the school's in progress, the police's not started (and overdue).
    school_index = next(i for i, r in enumerate(schools_returns) if r.organisation.duty == Duty.S175.value)
    schools_plan[school_index] = ReturnStatus.IN_PROGRESS
    s11_plan[0] = ReturnStatus.NOT_STARTED
    _run_cycle(s11_cycle, s11_returns, by_version_id, s11_plan, rng, today, summary)
    _run_cycle(schools_cycle, schools_returns, by_version_id, schools_plan, rng, today, summary)

    for _label, role, name, email in STAFF:
        user = people.create_user(email, name, DEMO_PASSWORD)
        people.grant_role(user, role, partnership)
    for audit_return, name in ((schools_returns[school_index], SCHOOL_DSL_NAME), (s11_returns[0], None)):
        organisation = audit_return.organisation
        contact = next(c for c in organisation.contacts if c.role is ContactRole.LEAD)
        contact.name = name or contact.name
        respondent = people.create_user(contact.email, contact.name, DEMO_PASSWORD)
        people.grant_role(respondent, Role.RESPONDENT, partnership, organisation_id=organisation.id)

    db.session.commit()
    return summary
