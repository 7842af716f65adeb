"""Inviting a colleague to help with a return: the form, the personal email, and the colleague's way in."""

import re

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import AuditLogEntry, AuthToken, Message, Role, User

from ..support.client import soup
from ..support.factories import PASSWORD, make_partnership, make_user
from ..support.returns import (
    COMPLETE_ANSWERS,
    answers_of,
    error_messages,
    respondent_for,
    save_section,
    school_return,
)

NEW_PASSWORD = "a long and memorable passphrase"
START_LINK = re.compile(r"http://audit\.test(/start/[\w-]+)")


def invite_path(audit_return) -> str:
    return f"/returns/{audit_return.id}/invite"


def signed_in_return(client):
    audit_return = school_return(make_partnership())
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    return audit_return


def test_a_respondent_invites_a_colleague_who_follows_the_link_and_saves_a_section(client, app):
    audit_return = signed_in_return(client)
    task_list = soup(client.get(f"/returns/{audit_return.id}"))
    link = task_list.find("a", string="Invite a colleague to help with this return")
    assert link["href"] == invite_path(audit_return)

    response = client.submit(
        invite_path(audit_return), {"name": "Tomasz Wilk", "email": " Deputy.DSL@School.example "}
    )
    assert response.headers["Location"] == f"/returns/{audit_return.id}"
    banner = soup(client.get(response.headers["Location"])).select_one(".govuk-notification-banner")
    assert "We have emailed an invitation to Tomasz Wilk at deputy.dsl@school.example." in banner.get_text()

    [message] = db.session.scalars(select(Message).where(Message.to == "deputy.dsl@school.example")).all()
    assert message.cc == ""
    assert message.subject == (
        f"Nadia Kowalski has invited you to help with {audit_return.organisation.name}'s safeguarding return"
    )
    [start] = START_LINK.findall(message.body)
    assert "Dear Tomasz Wilk" in message.body

    # The invitation is in the return's audit trail, without the address or the secret.
    [created] = db.session.scalars(
        select(AuditLogEntry).where(
            AuditLogEntry.entity_type == "invitation",
            AuditLogEntry.field == "email",
            AuditLogEntry.return_id == audit_return.id,
        )
    ).all()
    assert created.action == "create" and created.new_value == "(changed)"
    assert created.organisation_id == audit_return.organisation_id
    assert created.user_id == respondent_for_id(audit_return)

    colleague = app.test_client()
    page = colleague.get(start)
    assert soup(page).h1.get_text(strip=True) == "Set up your account"
    signed_up = colleague.submit(
        start, {"name": "Tomasz Wilk", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert signed_up.headers["Location"] == f"/returns/{audit_return.id}"
    same_return = soup(colleague.get(signed_up.headers["Location"]))
    assert audit_return.reference in same_return.get_text()
    saved = save_section(colleague, audit_return, "setting", COMPLETE_ANSWERS["setting"])
    assert saved.status_code == 302
    assert answers_of(audit_return)["setting.pupils"] == 240


def respondent_for_id(audit_return) -> int:
    return db.session.scalar(select(User.id).where(User.name == "Nadia Kowalski"))


def test_the_invitation_form_refuses_a_missing_name_and_a_clearly_invalid_email(client):
    audit_return = signed_in_return(client)
    response = client.submit(invite_path(audit_return), {"name": "", "email": "not an email"})
    assert response.status_code == 200
    assert soup(response).title.get_text().startswith("Error: ")
    assert error_messages(response) == [
        "Enter your colleague's full name",
        "Enter an email address in the correct format, like name@example.org",
    ]
    assert db.session.scalar(select(db.func.count(AuthToken.id))) == 0
    assert db.session.scalar(select(db.func.count(Message.id))) == 0


def test_someone_who_can_already_work_on_the_return_is_not_invited_again(client):
    audit_return = signed_in_return(client)
    other = make_user(
        Role.RESPONDENT,
        audit_return.cycle.partnership,
        audit_return.organisation,
        email="other@school.example",
    )
    response = client.submit(invite_path(audit_return), {"name": other.name, "email": "Other@School.example"})
    assert error_messages(response) == [
        "other@school.example can already work on this return: they can sign in with that address"
    ]
    assert db.session.scalar(select(db.func.count(Message.id))) == 0


def test_the_business_unit_can_invite_someone_to_an_organisations_return(client):
    audit_return = school_return(make_partnership())
    admin = make_user(Role.ADMIN, audit_return.cycle.partnership)
    client.sign_in(admin.email, PASSWORD)
    task_list = soup(client.get(f"/returns/{audit_return.id}"))
    assert task_list.find("a", string="Invite a colleague to help with this return") is not None
    response = client.submit(
        invite_path(audit_return), {"name": "New Lead", "email": "new.lead@school.example"}
    )
    assert response.status_code == 302
    [message] = db.session.scalars(select(Message).where(Message.to == "new.lead@school.example")).all()
    assert START_LINK.search(message.body)
    assert message.subject.startswith(f"{admin.name} has invited you")


def test_one_person_can_send_only_so_many_invitations(client, app):
    app.config["INVITATIONS_PER_PERSON"] = "2/day"
    audit_return = signed_in_return(client)
    refused = client.submit(invite_path(audit_return), {"name": "", "email": "not an address"})
    assert refused.status_code == 200  # a form sent back does not count
    sent = [
        client.submit(
            invite_path(audit_return), {"name": f"Colleague {n}", "email": f"colleague{n}@school.example"}
        )
        for n in range(3)
    ]
    assert [response.status_code for response in sent] == [302, 302, 429]
    page = soup(sent[-1])
    assert page.h1.get_text(strip=True) == "Too many attempts"
    addressed = db.session.scalars(select(Message.to).where(Message.to.like("colleague%"))).all()
    assert sorted(addressed) == ["colleague0@school.example", "colleague1@school.example"]
