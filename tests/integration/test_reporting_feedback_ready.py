"""Accepting a school's or college's return tells its lead contact that the feedback is ready,
with a link that serves it; a college is compared with other further education settings."""

from __future__ import annotations

from datetime import timedelta

import pytest

from audit_app.data import cycles
from audit_app.data.scores import questionnaire_of
from audit_app.extensions import db
from audit_app.models import Message, MessageStage, MessageStatus, OrganisationKind, ReturnStatus, Role

from ..support.challenge import TODAY, agenda_cycle, open_schools_cycle, pdf_text, send_return, signed_in
from ..support.cycles import organisation_with_contacts, return_of, shipped_version
from ..support.factories import PASSWORD, make_partnership, make_user
from ..support.review import review_path
from ..support.smtp import SMTPServer


@pytest.fixture
def smtp(app):
    server = SMTPServer()
    server.configure(app)
    yield server.inbox
    server.stop()


def feedback_messages() -> list[Message]:
    return list(
        db.session.scalars(
            db.select(Message).where(Message.stage == MessageStage.FEEDBACK).order_by(Message.id)
        )
    )


def link_in(body: str) -> str:
    return next(line.strip() for line in body.splitlines() if line.strip().endswith("/feedback.pdf"))


def test_accepting_a_schools_return_emails_its_lead_a_link_that_serves_its_feedback(client, smtp):
    partnership = make_partnership("Demoshire Safeguarding Children Partnership")
    school = organisation_with_contacts(
        partnership, "Abbey Fields Primary School", OrganisationKind.SCHOOL, phase="Primary"
    )
    cycle = open_schools_cycle(partnership, [school])
    audit_return = send_return(return_of(cycle, school))
    signed_in(client, Role.ADMIN, partnership)
    assert feedback_messages() == []

    response = client.submit(review_path(audit_return, "accept"), {"comment": "A thorough return."})
    assert response.status_code == 302
    # Asked again (a double click, a stale tab), the decision is refused and nothing more is queued.
    assert client.get(review_path(audit_return, "accept")).status_code == 409

    db.session.expire_all()
    [message] = feedback_messages()
    assert message.to == "lead@abbeyfieldsprimaryschool.example"
    assert message.return_id == audit_return.id
    assert message.subject.startswith("Abbey Fields Primary School's safeguarding feedback is ready")
    link = link_in(message.body)
    assert link == f"http://audit.test/reports/returns/{audit_return.id}/feedback.pdf"
    # SMTP is configured: the message went at once.
    assert message.status is MessageStatus.SENT
    [received] = smtp.to("lead@abbeyfieldsprimaryschool.example")
    assert link in received.body()

    client.sign_out()
    respondent = make_user(Role.RESPONDENT, partnership, school, email="dsl@abbeyfields.example")
    client.sign_in(respondent.email, PASSWORD)
    served = client.get(link.removeprefix("http://audit.test"))
    assert served.mimetype == "application/pdf"
    assert "Safeguarding audit feedback for Abbey Fields Primary School" in pdf_text(served.data)


def test_each_acceptance_after_changes_is_one_message_and_agencies_get_none(client):
    partnership = make_partnership("Demoshire Safeguarding Children Partnership")
    school = organisation_with_contacts(partnership, "Brackenby Primary School", OrganisationKind.SCHOOL)
    cycle = open_schools_cycle(partnership, [school])
    audit_return = send_return(return_of(cycle, school))
    signed_in(client, Role.ADMIN, partnership)
    client.submit(review_path(audit_return, "request-changes"), {"comment": "Add the training dates."})
    assert feedback_messages() == []  # changes requested: no feedback yet

    db.session.refresh(audit_return)
    audit_return.status = ReturnStatus.SUBMITTED  # the school sends it again
    db.session.commit()
    client.submit(review_path(audit_return, "accept"), {"comment": ""})
    db.session.expire_all()
    assert [m.to for m in feedback_messages()] == ["lead@brackenbyprimaryschool.example"]
    assert feedback_messages()[0].status is MessageStatus.OUTBOX_ONLY  # no SMTP: kept in the outbox

    agencies = agenda_cycle(make_partnership("Other Partnership"))
    police_return = agencies.return_of(agencies.steady)
    signed_in(client, Role.ADMIN, agencies.partnership)
    client.submit(review_path(police_return, "accept"), {"comment": ""})
    db.session.refresh(police_return)
    assert police_return.status is ReturnStatus.ACCEPTED
    assert len(feedback_messages()) == 1


def test_a_college_is_compared_with_other_further_education_settings_only(client):
    partnership = make_partnership("Demoshire Safeguarding Children Partnership")
    colleges = [
        organisation_with_contacts(partnership, f"{name} College", OrganisationKind.COLLEGE, duty="fe")
        for name in ("Demoton", "Eastbury", "Fenwick", "Greyfriars", "Hartley", "Ivybridge")
    ]
    schools = [
        organisation_with_contacts(
            partnership, f"{name} Primary School", OrganisationKind.SCHOOL, phase="Primary"
        )
        for name in ("Abbey Fields", "Brackenby")
    ]
    versions = {"fe": shipped_version("fe"), "s175": shipped_version("schools")}
    cycle = cycles.create_cycle(
        partnership,
        "Schools and colleges safeguarding audit 2026",
        opens_on=TODAY - timedelta(days=60),
        initial_deadline=TODAY - timedelta(days=20),
        final_deadline=TODAY + timedelta(days=10),
        questionnaires=versions,
        audience={"kinds": ["school", "college"]},
    )
    sections = {duty: [s.id for s in questionnaire_of(v).sections] for duty, v in versions.items()}
    cycles.open_cycle(cycle, [*colleges, *schools], sections)
    db.session.commit()
    for organisation in [*colleges, *schools]:
        send_return(return_of(cycle, organisation), status=ReturnStatus.ACCEPTED)

    respondent = make_user(Role.RESPONDENT, partnership, colleges[0], email="dsl@demoton.example")
    client.sign_in(respondent.email, PASSWORD)
    response = client.get(f"/reports/returns/{return_of(cycle, colleges[0]).id}/feedback.pdf")
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Safeguarding audit feedback for Demoton College" in text
    assert "other further education settings in this audit whose returns have been accepted" in text
    # The five other colleges, every one green; the two primary schools are not counted.
    assert "100% green, 0% amber, 0% red (n=5)" in text
    assert "(n=7)" not in text and "Eastbury" not in text
