"""Returns sent for review in the tests, their reviewers, and the review pages' addresses."""

from __future__ import annotations

from datetime import date, timedelta

import scoring
from audit_app.data import people
from audit_app.data.scores import questionnaire_of, score_and_store
from audit_app.extensions import db
from audit_app.models import (
    Answer,
    AuditCycle,
    Organisation,
    OrganisationKind,
    Partnership,
    Return,
    ReturnStatus,
    ReturnStatusChange,
    Role,
    User,
    utcnow,
)

from .factories import make_organisation, make_user
from .returns import open_test_cycle, return_of

# Stored answers (the shapes data/answers.py keeps) completing the test questionnaire for a
# maintained school: "Safeguarding culture" scores 0.875 (green, the organisation's own
# rating too) and "Records and transfer" 1.0 (green).
SENT_ANSWERS = {
    "setting.pupils": 240,
    "setting.dsl": {"name": "Nadia Kowalski", "role": "", "trained_on": "2025-09-04"},
    "setting.policy-date": "2025-09-01",
    "culture.listening": "partly",
    "culture.whistleblowing": "yes",
    "culture.routes": ["trusted-adults", "worry-box"],
    "culture.survey": "termly",
    "culture.self-rating": "green",
    "records.files-moved": "yes",
    "records.register": "Records policy, approved by governors in September",
}


def send(audit_return: Return, answers: dict | None = None, sent_on: date | None = None) -> Return:
    """Give the return its answers and send it, as the organisation would: status, history, score."""
    for question_id, value in (SENT_ANSWERS if answers is None else answers).items():
        db.session.add(Answer(return_id=audit_return.id, question_id=question_id, value=value))
    moment = (
        utcnow()
        if sent_on is None
        else utcnow().replace(year=sent_on.year, month=sent_on.month, day=sent_on.day)
    )
    audit_return.status = ReturnStatus.SUBMITTED
    audit_return.started_at = moment
    audit_return.submitted_at = moment
    db.session.add(
        ReturnStatusChange(
            return_id=audit_return.id,
            from_status=ReturnStatus.IN_PROGRESS,
            to_status=ReturnStatus.SUBMITTED,
            changed_at=moment,
            comment="Sent by the organisation",
        )
    )
    db.session.flush()
    score_and_store(audit_return)
    db.session.commit()
    return audit_return


def sent_return(
    partnership: Partnership,
    name: str = "Abbey Fields Primary School",
    answers: dict | None = None,
    organisation: Organisation | None = None,
    opens_on: date | None = None,
) -> Return:
    """A maintained school's return for the test questionnaire, sent and scored."""
    school = organisation or make_organisation(partnership, name, kind=OrganisationKind.SCHOOL, duty="s175")
    cycle = open_test_cycle(partnership, [school], opens_on=opens_on)
    return send(return_of(school, cycle), answers)


def earlier_cycle(
    partnership: Partnership, organisation: Organisation, answers: dict | None = None
) -> Return:
    """The organisation's return in a cycle that opened a year ago, sent and scored."""
    cycle_opens = date.today() - timedelta(days=375)
    return sent_return(partnership, organisation=organisation, answers=answers, opens_on=cycle_opens)


def make_reviewer(
    partnership: Partnership, name: str = "Ravi Chandran", peer_from: Organisation | None = None
) -> User:
    user = make_user(name=name)
    people.grant_role(
        user, Role.REVIEWER, partnership, from_organisation_id=peer_from.id if peer_from else None
    )
    db.session.commit()
    return user


def assign(audit_return: Return, reviewer: User) -> Return:
    audit_return.reviewer_id = reviewer.id
    db.session.commit()
    return audit_return


def stored_score(audit_return: Return) -> scoring.ReturnScore:
    db.session.refresh(audit_return)
    return scoring.ReturnScore.from_dict(audit_return.score)


def flag_codes(audit_return: Return) -> list[str]:
    db.session.refresh(audit_return)
    return [flag["code"] for flag in audit_return.flags or []]


def questionnaire_for(audit_return: Return):
    return questionnaire_of(audit_return.questionnaire_version)


def cycle_of(audit_return: Return) -> AuditCycle:
    return db.session.get(AuditCycle, audit_return.cycle_id)


def review_path(audit_return: Return, *rest: str) -> str:
    return "/".join([f"/review/returns/{audit_return.id}", *rest])
