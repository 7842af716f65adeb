import json
from datetime import date, timedelta

from sqlalchemy import select

from audit_app.data import challenge, organisations, outbox, tokens
from audit_app.extensions import db
from audit_app.models import (
    AuditLogEntry,
    AuthToken,
    ChallengeEvent,
    Contact,
    ContactRole,
    MessageStage,
    PanelMember,
    Return,
    Role,
    RoleGrant,
    SignOff,
    TokenPurpose,
    User,
    utcnow,
)

from ..support.client import soup
from ..support.factories import PASSWORD, make_cycle, make_organisation, make_partnership, make_user

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


def signed_and_on_a_panel(user, school):
    """Nadia signed her school's declaration and sits on a challenge panel; a namesake signed elsewhere."""
    partnership = school.partnerships[0]
    elsewhere = make_organisation(partnership, "Riverside Primary School")
    cycle = make_cycle(partnership, [school, elsewhere])
    returns = {
        r.organisation_id: r for r in db.session.scalars(select(Return).where(Return.cycle_id == cycle.id))
    }
    for organisation in (school, elsewhere):
        db.session.add(
            SignOff(
                return_id=returns[organisation.id].id,
                role_id="head-teacher",
                name="Nadia Kowalski",
                position="Head teacher",
                signed_on=date.today(),
            )
        )
    event = ChallengeEvent(
        partnership_id=partnership.id, cycle_id=cycle.id, title="Schools challenge panel", starts_at=utcnow()
    )
    db.session.add(event)
    db.session.flush()
    challenge.add_panel_member(event, user, "", "Head teacher representative")
    tokens.issue_token(TokenPurpose.PASSWORD_RESET, EMAIL, timedelta(hours=1), user)
    db.session.commit()
    return returns[school.id], returns[elsewhere.id]


def test_erasure_replaces_the_name_on_panels_and_signatures_and_ends_unused_links(runner):
    user, school = a_person()
    ours, namesakes = signed_and_on_a_panel(user, school)
    exported = json.loads(runner.invoke(args=["people", "export", EMAIL]).output)
    assert [s["return"] for s in exported["signatures"]] == [ours.id]
    assert [p["event"] for p in exported["challenge_panels"]] == ["Schools challenge panel"]

    result = runner.invoke(args=["people", "erase", EMAIL, "--yes"])
    assert "1 challenge panel place(s) and 1 signature(s) now say “Erased person”." in result.output
    signatures = {s.return_id: s for s in db.session.scalars(select(SignOff))}
    # The declaration is part of the return: it stays signed, by whom in post and when.
    assert (signatures[ours.id].name, signatures[ours.id].position) == ("Erased person", "Head teacher")
    assert signatures[namesakes.id].name == "Nadia Kowalski"
    assert [m.name for m in db.session.scalars(select(PanelMember))] == ["Erased person"]
    assert db.session.scalars(select(AuthToken)).all() == []
    [erasure] = db.session.scalars(select(AuditLogEntry).where(AuditLogEntry.entity_type == "person")).all()
    assert (erasure.action, erasure.entity_id) == ("erase", user.id)
    assert erasure.new_value["signatures"] == 1 and "Nadia" not in json.dumps(erasure.new_value)
