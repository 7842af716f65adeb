import json

from sqlalchemy import select

from audit_app.data import organisations, outbox
from audit_app.extensions import db
from audit_app.models import AuditLogEntry, Contact, ContactRole, MessageStage, Role, RoleGrant, User

from ..support.client import soup
from ..support.factories import PASSWORD, make_organisation, make_partnership, make_user

EMAIL = "nadia.kowalski@oakbridge.example"


def a_person():
    partnership = make_partnership("Demoshire Safeguarding Children Partnership")
    school = make_organisation(partnership, "Oakbridge Primary School")
    user = make_user(Role.RESPONDENT, partnership, school, email=EMAIL, name="Nadia Kowalski")
    organisations.add_contact(school, "Nadia Kowalski", EMAIL, ContactRole.LEAD, position="DSL")
    outbox.queue_message(
        key="invitation:test",
        stage=MessageStage.INVITATION,
        to=EMAIL,
        subject="Your school's safeguarding return",
        body="Dear Nadia Kowalski, please complete the return.",
    )
    db.session.commit()
    return user, school


def test_export_lists_the_account_roles_contacts_and_messages(runner):
    a_person()
    result = runner.invoke(args=["people", "export", EMAIL.upper()])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["account"]["name"] == "Nadia Kowalski"
    assert data["account"]["roles"] == [
        {
            "role": "Organisation respondent",
            "partnership": "Demoshire Safeguarding Children Partnership",
            "organisation": "Oakbridge Primary School",
        }
    ]
    assert [c["organisation"] for c in data["contacts"]] == ["Oakbridge Primary School"]
    assert [m["subject"] for m in data["messages"]] == ["Your school's safeguarding return"]


def test_erasure_removes_the_name_and_address_everywhere_and_closes_the_account(runner, client):
    user, school = a_person()
    result = runner.invoke(args=["people", "erase", EMAIL, "--yes"])
    assert result.exit_code == 0, result.output
    assert "Erased 1 account(s), 1 organisation contact(s) and the address in 1 message(s)." in result.output

    everything = json.dumps(runner.invoke(args=["people", "export", EMAIL]).output)
    assert "Nadia" not in everything
    erased = db.session.get(User, user.id)
    assert (erased.name, erased.active, erased.password_hash) == ("Erased person", False, None)
    assert db.session.scalars(select(RoleGrant).where(RoleGrant.user_id == user.id)).all() == []
    contact = db.session.scalars(select(Contact).where(Contact.organisation_id == school.id)).one()
    assert "Nadia" not in contact.name and EMAIL not in contact.email
    [message] = outbox.messages_to("erased@erased.invalid")
    assert "Nadia" not in message.body
    # The audit trail kept its rows, and never held the name or the address.
    trail = db.session.scalars(select(AuditLogEntry)).all()
    assert trail and not any("Nadia" in str(e.old_value) + str(e.new_value) for e in trail)
    assert not any(EMAIL in str(e.old_value) + str(e.new_value) for e in trail)
    assert client.submit("/sign-in", {"email": EMAIL, "password": PASSWORD}).status_code == 200


def test_erasure_asks_for_confirmation_without_yes(runner):
    a_person()
    result = runner.invoke(args=["people", "erase", EMAIL], input="n\n")
    assert result.exit_code == 1
    assert db.session.scalar(select(User).where(User.email == EMAIL)) is not None


def test_the_privacy_notice_is_public_and_linked_from_every_page(client):
    page = soup(client.get("/privacy"))
    assert page.h1.get_text(strip=True) == "Privacy notice"
    assert "article 6(1)(e)" in page.get_text()
    assert soup(client.get("/sign-in")).find("a", string="Privacy")["href"] == "/privacy"
