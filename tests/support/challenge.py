"""Challenge events and reports in the tests: returns answered, sent and scored as the app
would score them, a Section 11 cycle with an organisation for each agenda rule, and the
people who read the reports."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta

from bs4 import BeautifulSoup
from pypdf import PdfReader

from audit_app.data import actions, cycles, scores
from audit_app.extensions import db
from audit_app.models import (
    Answer,
    AuditCycle,
    ChallengeEvent,
    Evidence,
    EvidenceKind,
    Organisation,
    OrganisationKind,
    Partnership,
    Return,
    ReturnFeedback,
    ReturnStatus,
    Role,
    StandardModeration,
    utcnow,
)
from scoring.definitions.model import Duty, Questionnaire, QuestionType

from .cycles import open_s11_cycle, organisation_with_contacts, return_of, shipped_version
from .factories import PASSWORD, make_user

TODAY = date.today()


def best_answers(questionnaire: Questionnaire, duty: str) -> dict[str, object]:
    """An answer to every question the duty is asked, each earning full marks and rating itself green."""
    answers: dict[str, object] = {}
    for section in questionnaire.sections:
        for question in section.questions:
            if not question.applies(Duty(duty)):
                continue
            kind = question.type
            if kind is QuestionType.SELF_RATING:
                answers[question.id] = questionnaire.scale.ratings[0].id
            elif kind is QuestionType.MULTIPLE_CHOICE:
                answers[question.id] = [option.value for option in question.options if not option.fails]
            elif question.options:
                answers[question.id] = max(question.options, key=lambda o: o.points or 0).value
            elif kind is QuestionType.NUMBER:
                answers[question.id] = 12
            elif kind is QuestionType.DATE:
                answers[question.id] = (TODAY - timedelta(days=100)).isoformat()
            elif kind is QuestionType.PERSON:
                trained = (TODAY - timedelta(days=200)).isoformat()
                answers[question.id] = {"name": "Sam Okafor", "role": "", "trained_on": trained}
            else:
                answers[question.id] = "Arrangements are written down and reviewed every year."
    return answers


def send_return(
    audit_return: Return,
    changes: dict[str, object] | None = None,
    on: date | None = None,
    status: ReturnStatus = ReturnStatus.SUBMITTED,
    evidence: dict[str, str] | None = None,
    today: date = TODAY,
) -> Return:
    """Answer the return (full marks unless ``changes`` say otherwise), attach ``evidence``
    (question id → file name), mark it sent on ``on`` (accepted five days later if asked) and score it."""
    questionnaire = scores.questionnaire_of(audit_return.questionnaire_version)
    answers = {**best_answers(questionnaire, audit_return.duty), **(changes or {})}
    for question_id, value in answers.items():
        db.session.add(Answer(return_id=audit_return.id, question_id=question_id, value=value))
    for question_id, name in (evidence or {}).items():
        db.session.add(
            Evidence(
                return_id=audit_return.id,
                question_id=question_id,
                kind=EvidenceKind.FILE,
                original_filename=name,
                size_bytes=2048,
                uploaded_at=utcnow(),
            )
        )
    sent = on or today - timedelta(days=30)
    moment = utcnow().replace(year=sent.year, month=sent.month, day=sent.day, hour=11, minute=0)
    audit_return.started_at = moment - timedelta(days=3)
    audit_return.submitted_at = moment
    audit_return.status = status
    if status is ReturnStatus.ACCEPTED:
        audit_return.accepted_at = moment + timedelta(days=5)
    db.session.flush()
    scores.score_and_store(audit_return, today)
    db.session.commit()
    return audit_return


def moderate(audit_return: Return, section_id: str, rating: str, today: date = TODAY) -> None:
    """A reviewer's moderated rating for a standard, scored in as the review pages do."""
    db.session.add(
        StandardModeration(
            return_id=audit_return.id, section_id=section_id, moderated_rating=rating, reason=""
        )
    )
    db.session.flush()
    scores.score_and_store(audit_return, today)
    db.session.commit()


def give_feedback(audit_return: Return, strengths: str, areas: str) -> None:
    db.session.add(
        ReturnFeedback(return_id=audit_return.id, strengths=strengths, areas_for_development=areas)
    )
    db.session.commit()


def agree_action(
    partnership: Partnership, audit_return: Return, description: str, owner: str, due_on: date, **links
) -> None:
    actions.add_action(
        partnership,
        audit_return.organisation,
        description,
        owner,
        due_on,
        return_id=links.pop("return_id", audit_return.id),
        **links,
    )


@dataclass
class AgendaCycle:
    """A Section 11 cycle past its final deadline, with an organisation for each selection rule."""

    partnership: Partnership
    previous: AuditCycle
    cycle: AuditCycle
    steady: Organisation  # all green, on time: only "every organisation" selects it
    failing: Organisation  # a critical DBS answer fails: red, critical fail and a self-rating mismatch
    silent: Organisation  # never started: a non-return
    slipping: Organisation  # training was green last cycle, amber now: declined
    modest: Organisation  # rates itself red on a standard its answers score green: mismatch only

    def return_of(self, organisation: Organisation) -> Return:
        return return_of(self.cycle, organisation)


def agenda_cycle(partnership: Partnership) -> AgendaCycle:
    names = {
        "steady": ("Northgate Police", "police"),
        "failing": ("Riverside NHS Foundation Trust", "nhs_trust"),
        "silent": ("Hillside District Council", "district_council"),
        "slipping": ("Eastfield Housing Association", "housing"),
        "modest": ("Westbrook Youth Justice Service", "youth_justice"),
    }
    agencies = {
        key: organisation_with_contacts(partnership, name, OrganisationKind.AGENCY, agency_type=kind)
        for key, (name, kind) in names.items()
    }
    year_ago = TODAY - timedelta(days=365)
    previous = open_s11_cycle(
        partnership,
        list(agencies.values()),
        opens_on=year_ago - timedelta(days=90),
        initial_deadline=year_ago - timedelta(days=40),
        final_deadline=year_ago - timedelta(days=10),
        name="Section 11 audit 2025",
    )
    send_return(
        return_of(previous, agencies["slipping"]),
        on=year_ago - timedelta(days=45),
        status=ReturnStatus.ACCEPTED,
    )
    cycle = open_s11_cycle(
        partnership,
        list(agencies.values()),
        opens_on=TODAY - timedelta(days=90),
        initial_deadline=TODAY - timedelta(days=40),
        final_deadline=TODAY - timedelta(days=10),
    )
    send_return(return_of(cycle, agencies["steady"]), on=TODAY - timedelta(days=45))
    send_return(
        return_of(cycle, agencies["failing"]),
        {"safer-recruitment.dbs-checks": "no"},
        on=TODAY - timedelta(days=42),
        evidence={"responsibilities.safeguarding-policy": "Safeguarding policy 2026.pdf"},
    )
    send_return(
        return_of(cycle, agencies["slipping"]),
        {"training.induction": "partly", "training.records": "partly"},
        on=TODAY - timedelta(days=41),
    )
    send_return(
        return_of(cycle, agencies["modest"]),
        {"information-sharing.self-rating": "red"},
        on=TODAY - timedelta(days=43),
    )
    return AgendaCycle(partnership, previous, cycle, **agencies)


def open_schools_cycle(partnership: Partnership, schools: list[Organisation]) -> AuditCycle:
    """An open schools cycle on the shipped s175 / s157 questionnaire."""
    version = shipped_version("schools")
    cycle = cycles.create_cycle(
        partnership,
        "Schools safeguarding audit 2026",
        opens_on=TODAY - timedelta(days=60),
        initial_deadline=TODAY - timedelta(days=20),
        final_deadline=TODAY + timedelta(days=10),
        questionnaires={"s175": version, "s157": version},
        audience={"kinds": ["school"]},
    )
    sections = [section.id for section in scores.questionnaire_of(version).sections]
    cycles.open_cycle(cycle, schools, {"s175": sections, "s157": sections})
    db.session.commit()
    return cycle


def signed_in(
    client, role: Role, partnership: Partnership, email: str | None = None, name: str = "Dana Whitfield"
):
    user = make_user(role, partnership, email=email, name=name)
    client.sign_in(user.email, PASSWORD)
    return user


def new_event(
    partnership: Partnership, cycle: AuditCycle, title: str = "Section 11 challenge panel"
) -> ChallengeEvent:
    moment = utcnow().replace(hour=9, minute=30, second=0, microsecond=0) - timedelta(days=2)
    event = ChallengeEvent(
        partnership_id=partnership.id, cycle_id=cycle.id, title=title, starts_at=moment, place="County Hall"
    )
    db.session.add(event)
    db.session.commit()
    return event


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def pdf_text(content: bytes) -> str:
    """The PDF's text, whitespace folded, as a person copying it would get it."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def zip_members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def date_fields(name: str, day: date) -> dict[str, list[str]]:
    return {name: [str(day.day), str(day.month), str(day.year)]}
