"""Starting a return from an invitation link."""

from datetime import timedelta

from sqlalchemy import select

from audit_app.data.invitations import create_invitation
from audit_app.extensions import db
from audit_app.models import AuthToken, Role, RoleGrant, User, utcnow

from ..support.client import soup
from ..support.factories import PASSWORD, make_partnership, make_user
from ..support.returns import error_messages, school_return

NEW_PASSWORD = "a long and memorable passphrase"


def invited(email="new.dsl@school.example"):
    audit_return = school_return(make_partnership())
    link = create_invitation(audit_return, email)
    db.session.commit()
    return audit_return, link


def respondent_grants(email):
    user = db.session.scalar(select(User).where(User.email == email))
    return db.session.scalars(
        select(RoleGrant).where(RoleGrant.user_id == user.id, RoleGrant.role == Role.RESPONDENT)
    ).all()


def test_an_invitation_is_a_start_link_whose_secret_is_not_stored(client):
    audit_return, link = invited()
    assert link.startswith("/start/")
    token = db.session.scalar(select(AuthToken))
    assert token.return_id == audit_return.id
    assert link.removeprefix("/start/") not in token.token_hash
    assert token.expires_at > utcnow() + timedelta(days=59)


def test_a_new_person_sets_up_an_account_and_lands_on_the_return(client):
    audit_return, link = invited("New.DSL@School.example")
    page = client.get(link)
    assert soup(page).h1.get_text(strip=True) == "Set up your account"
    assert "new.dsl@school.example" in soup(page).get_text()

    response = client.submit(
        link, {"name": "Grace Lindqvist", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.headers["Location"] == f"/returns/{audit_return.id}"
    task_list = client.get(response.headers["Location"])
    assert task_list.status_code == 200
    [grant] = respondent_grants("new.dsl@school.example")
    assert grant.organisation_id == audit_return.organisation_id
    assert grant.partnership_id == audit_return.cycle.partnership_id
    client.sign_out()
    client.sign_in("new.dsl@school.example", NEW_PASSWORD)


def test_the_new_password_follows_the_reset_rules(client):
    _, link = invited()
    response = client.submit(link, {"name": "", "password": "short", "confirm": "different"})
    assert error_messages(response) == [
        "Enter your full name",
        "Password must be 12 characters or more",
        "The passwords do not match",
    ]
    assert db.session.scalar(select(User)) is None


def test_someone_with_an_account_signs_in_and_gets_the_role(client):
    audit_return, link = invited("head@school.example")
    make_user(email="head@school.example", name="Helen Brierley")
    page = client.get(link)
    assert soup(page).h1.get_text(strip=True) == "Sign in to start your return"
    wrong = client.submit(link, {"password": "not the password"})
    assert error_messages(wrong) == ["Enter the correct password for this account"]
    response = client.submit(link, {"password": PASSWORD})
    assert response.headers["Location"] == f"/returns/{audit_return.id}"
    assert client.get(response.headers["Location"]).status_code == 200
    assert len(respondent_grants("head@school.example")) == 1


def test_someone_already_signed_in_confirms_and_keeps_a_single_role(client):
    audit_return, link = invited("dsl@school.example")
    user = make_user(
        Role.RESPONDENT, audit_return.cycle.partnership, audit_return.organisation, email="dsl@school.example"
    )
    client.sign_in(user.email, PASSWORD)
    page = client.get(link)
    assert soup(page).h1.get_text(strip=True) == "Start your return"
    response = client.submit(link, {})
    assert response.headers["Location"] == f"/returns/{audit_return.id}"
    assert len(respondent_grants("dsl@school.example")) == 1


def test_several_people_of_one_organisation_can_be_invited(client, app):
    audit_return = school_return(make_partnership())
    first, second = (
        create_invitation(audit_return, "one@school.example"),
        create_invitation(audit_return, "two@school.example"),
    )
    db.session.commit()
    client.submit(first, {"name": "One", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    other = app.test_client()
    other.submit(second, {"name": "Two", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert client.get(f"/returns/{audit_return.id}").status_code == 200
    assert other.get(f"/returns/{audit_return.id}").status_code == 200


def test_a_used_link_gets_a_clear_page(client, app):
    _, link = invited()
    client.submit(link, {"name": "Grace", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again = app.test_client().get(link)
    assert again.status_code == 410
    assert soup(again).h1.get_text(strip=True) == "This invitation link has expired or has been used"


def test_an_expired_link_gets_a_clear_page(client):
    _, link = invited()
    token = db.session.scalar(select(AuthToken))
    token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 410
    assert "sign in" in soup(response).get_text()


def test_a_made_up_link_gets_the_same_page(client):
    assert client.get("/start/not-a-real-invitation").status_code == 410


def test_opening_the_link_does_not_use_it_up(client):
    _, link = invited()
    client.get(link)
    client.get(link)
    assert db.session.scalar(select(AuthToken)).used_at is None


def test_someone_signed_in_as_another_person_is_told_so(client):
    audit_return, link = invited("invited@school.example")
    someone = make_user(Role.RESPONDENT, audit_return.cycle.partnership, audit_return.organisation)
    client.sign_in(someone.email, PASSWORD)
    page = client.get(link)
    assert soup(page).h1.get_text(strip=True) == "This invitation is for someone else"
    assert db.session.scalar(select(AuthToken)).used_at is None
