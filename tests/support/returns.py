"""Returns to complete in the tests: a small questionnaire with every question type, and the people who answer it."""

from __future__ import annotations

from datetime import date, timedelta

from audit_app.data import cycles, people
from audit_app.data.scores import questionnaire_of
from audit_app.extensions import db
from audit_app.models import (
    Answer,
    AuditCycle,
    Organisation,
    OrganisationKind,
    Partnership,
    Return,
    ReturnStatus,
    Role,
    User,
    utcnow,
)
from scoring.definitions import parse_questionnaire

from .client import soup
from .factories import make_organisation, make_user

# Every question type, a show_if, "not applicable", evidence, a section and a
# sign-off role only academies see, and an optional question.
QUESTIONNAIRE = """
id: test-schools
version: "{version}"
title: Test safeguarding self-assessment for schools
description: Answer for the last academic year.
legal_basis: Education Act 2002, sections 175 and 157
duties: [s175, s157]
scale:
  name: RAG
  points: {{min: 0, max: 2}}
  ratings:
    - {{id: green, label: Green, meaning: Fully meets the standard., colour: green, min_score: 0.85}}
    - {{id: amber, label: Amber, meaning: Partly meets the standard., colour: amber, min_score: 0.5}}
    - {{id: red, label: Red, meaning: Does not meet the standard., colour: red, min_score: 0}}
sign_off:
  - {{id: head-teacher, label: Head teacher}}
  - {{id: chair-of-governors, label: Chair of governors, applies_to: [s175]}}
  - {{id: chair-of-trust, label: Chair of the trust board, applies_to: [s157]}}
declaration: We confirm that this return is accurate.
sections:
  - id: setting
    title: Setting details
    scored: false
    questions:
      - id: setting.pupils
        text: How many pupils were on roll in January?
        type: number
      - id: setting.dsl
        text: Who is the designated safeguarding lead?
        type: person
      - id: setting.policy-date
        text: When was the policy last reviewed?
        type: date
      - id: setting.notes
        text: Anything else we should know?
        type: text
        required: false
  - id: culture
    title: Safeguarding culture
    description: How leaders make safeguarding everyone's responsibility.
    references: ["KCSIE 2025, Part 2"]
    questions:
      - id: culture.listening
        text: Do leaders build a culture of listening to children?
        hint: Think about how pupils raise worries.
        references: ["KCSIE 2025, Part 1"]
        type: yes_partly_no
        evidence: {{required_when: ["yes"], hint: The minutes where this was discussed.}}
      - id: culture.whistleblowing
        text: Is there a whistleblowing procedure?
        references: ["KCSIE 2025, Part 4"]
        type: yes_no
        critical: true
      - id: culture.whistleblowing-gap
        text: What will you do to put one in place?
        type: text
        show_if: {{question: culture.whistleblowing, is: "no"}}
      - id: culture.routes
        text: Which ways for pupils to share a worry are in place?
        type: multiple_choice
        options:
          - {{value: trusted-adults, label: Trusted adults, points: 1}}
          - {{value: worry-box, label: A worry box, points: 1}}
          - {{value: none, label: None of these, points: 0, fails: true}}
      - id: culture.survey
        text: How often do you survey pupils?
        type: single_choice
        na_allowed: true
        options:
          - {{value: termly, label: Every term, points: 2}}
          - {{value: yearly, label: Every year, points: 1}}
          - {{value: never, label: Never, points: 0}}
      - id: culture.self-rating
        text: How do you rate your safeguarding culture?
        type: self_rating
  - id: records
    title: Records and transfer
    questions:
      - id: records.files-moved
        text: Are child protection files moved within 5 school days?
        type: yes_no
        na_allowed: true
      - id: records.register
        text: Upload your records policy.
        type: evidence
  - id: academies
    title: Academy trust arrangements
    applies_to: [s157]
    questions:
      - id: academies.trust-policy
        text: Does the trust have a safeguarding policy?
        type: yes_no
"""

# Answers that complete every section a maintained school (s175) is shown.
COMPLETE_ANSWERS = {
    "setting": {
        "setting.pupils": "240",
        "setting.dsl--name": "Nadia Kowalski",
        "setting.dsl--trained-on": ["4", "9", "2025"],
        "setting.policy-date": ["1", "9", "2025"],
    },
    "culture": {
        "culture.listening": "partly",
        "culture.whistleblowing": "yes",
        "culture.routes": ["trusted-adults", "worry-box"],
        "culture.survey": "termly",
        "culture.self-rating": "green",
    },
    "records": {
        "records.files-moved": "yes",
        "records.register": "Records policy, approved by governors in September",
    },
}

_versions = iter(range(1, 10_000))


def questionnaire_text(version: str | None = None) -> str:
    return QUESTIONNAIRE.format(version=version or f"2025.{next(_versions)}")


def store_test_questionnaire(text: str | None = None):
    text = text or questionnaire_text()
    questionnaire = parse_questionnaire(text, "test-schools.yaml")
    return cycles.store_questionnaire(questionnaire, text, "test-schools.yaml")


def open_test_cycle(
    partnership: Partnership,
    organisations: list[Organisation],
    name: str = "Schools safeguarding audit 2026",
    text: str | None = None,
    opens_on: date | None = None,
) -> AuditCycle:
    """An open cycle using the test questionnaire for maintained schools and academies."""
    version = store_test_questionnaire(text)
    opens = opens_on or date.today() - timedelta(days=10)
    cycle = cycles.create_cycle(
        partnership,
        name,
        opens_on=opens,
        initial_deadline=opens + timedelta(days=40),
        final_deadline=opens + timedelta(days=60),
        questionnaires={"s175": version, "s157": version},
    )
    section_ids = [section.id for section in questionnaire_of(version).sections]
    cycles.open_cycle(cycle, organisations, {"s175": section_ids, "s157": section_ids})
    db.session.commit()
    return cycle


def return_of(organisation: Organisation, cycle: AuditCycle | None = None) -> Return:
    query = db.select(Return).where(Return.organisation_id == organisation.id)
    if cycle is not None:
        query = query.where(Return.cycle_id == cycle.id)
    return db.session.scalars(query.order_by(Return.id.desc())).first()


def school_return(
    partnership: Partnership, duty: str = "s175", name: str = "Abbey Fields Primary School"
) -> Return:
    """A maintained school (or academy) with an open return for the test questionnaire."""
    school = make_organisation(partnership, name, kind=OrganisationKind.SCHOOL, duty=duty)
    cycle = open_test_cycle(partnership, [school])
    return return_of(school, cycle)


def respondent_for(audit_return: Return, email: str | None = None, name: str = "Nadia Kowalski") -> User:
    partnership = audit_return.cycle.partnership
    return make_user(Role.RESPONDENT, partnership, audit_return.organisation, email=email, name=name)


def section_path(audit_return: Return, section_id: str) -> str:
    return f"/returns/{audit_return.id}/sections/{section_id}"


def answers_of(audit_return: Return) -> dict[str, object]:
    db.session.expire_all()
    rows = db.session.scalars(db.select(Answer).where(Answer.return_id == audit_return.id))
    return {row.question_id: row.value for row in rows}


def hidden_fields(client, path: str) -> dict[str, str]:
    """The hidden inputs of the form on ``path`` (CSRF token, the version the page was loaded with…),
    as a browser sends them back."""
    page = soup(client.get(path))
    return {field["name"]: field.get("value", "") for field in page.select("form input[type=hidden]")}


def post_page(client, path: str, data: dict, button: dict | None = None):
    """Load ``path`` and post its form as a browser would: its hidden fields, ``data`` and a button."""
    return client.post(path, data={**hidden_fields(client, path), **data, **(button or {})})


def save_section(client, audit_return: Return, section_id: str, data: dict, later: bool = False):
    button = {"later": "Save and come back later"} if later else {"save": "Save and continue"}
    return post_page(client, section_path(audit_return, section_id), data, button)


def complete_every_section(client, audit_return: Return) -> None:
    for section_id, data in COMPLETE_ANSWERS.items():
        response = save_section(client, audit_return, section_id, data)
        assert response.status_code == 302, error_messages(response)


def sign_off_data(day: date | None = None) -> dict:
    day = day or date.today()
    parts = [str(day.day), str(day.month), str(day.year)]
    return {
        "head-teacher--name": "Helen Brierley",
        "head-teacher--position": "Head teacher",
        "head-teacher--signed-on": parts,
        "chair-of-governors--name": "Owen Pryce",
        "chair-of-governors--position": "Chair of governors",
        "chair-of-governors--signed-on": parts,
    }


def error_messages(response) -> list[str]:
    """What the error summary lists, in order."""
    return [link.get_text(strip=True) for link in soup(response).select(".govuk-error-summary a")]


def accepted_last_year(
    organisation: Organisation,
    cycle: AuditCycle,
    answers: dict[str, object],
    na: dict[str, str] | None = None,
) -> Return:
    """Mark the organisation's return in ``cycle`` accepted, holding ``answers``."""
    audit_return = return_of(organisation, cycle)
    for question_id, value in answers.items():
        db.session.add(Answer(return_id=audit_return.id, question_id=question_id, value=value))
    for question_id, reason in (na or {}).items():
        db.session.add(Answer(return_id=audit_return.id, question_id=question_id, na_reason=reason))
    audit_return.status = ReturnStatus.ACCEPTED
    audit_return.submitted_at = utcnow() - timedelta(days=300)
    audit_return.accepted_at = utcnow() - timedelta(days=290)
    db.session.commit()
    return audit_return


def grant_other_partnership_role(user: User, role: Role, partnership: Partnership) -> None:
    people.grant_role(user, role, partnership)
    db.session.commit()
