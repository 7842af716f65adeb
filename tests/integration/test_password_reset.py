import re
from datetime import timedelta

from audit_app.data import outbox
from audit_app.extensions import db
from audit_app.models import AuthToken, MessageStatus, Role, utcnow

from ..support.client import soup
from ..support.factories import PASSWORD, make_partnership, make_user

NEW_PASSWORD = "a new and much longer passphrase"


def reset_link_for(email: str) -> str:
    messages = outbox.messages_to(email)
    assert messages, f"no message was sent to {email}"
    match = re.search(r"http://audit\.test(/reset-password/\S+)", messages[-1].body)
    assert match, messages[-1].body
    return match.group(1)


def test_reset_link_is_emailed_and_sets_a_new_password(client):
    user = make_user(Role.ADMIN, make_partnership(), email="officer@demoshire.example")
    response = client.submit("/forgot-password", {"email": "officer@demoshire.example"})
    assert response.headers["Location"] == "/forgot-password/sent"

    [message] = outbox.messages_to("officer@demoshire.example")
    assert message.subject == "Reset your password for the safeguarding self-audit"
    assert message.status is MessageStatus.OUTBOX_ONLY  # no SMTP in the tests: kept in the outbox
    link = reset_link_for(user.email)

    page = soup(client.get(link))
    assert page.h1.get_text(strip=True) == "Choose a new password"
    done = client.submit(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.headers["Location"] == "/sign-in"

    old = client.submit("/sign-in", {"email": user.email, "password": PASSWORD})
    assert old.status_code == 200
    client.sign_in(user.email, NEW_PASSWORD)


def test_reset_link_works_only_once(client):
    user = make_user(Role.ADMIN, make_partnership())
    client.submit("/forgot-password", {"email": user.email})
    link = reset_link_for(user.email)
    client.submit(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again = client.get(link)
    assert again.status_code == 410
    assert soup(again).h1.get_text(strip=True) == "This link has expired or has been used"


def test_expired_reset_link_is_refused(client):
    user = make_user(Role.ADMIN, make_partnership())
    client.submit("/forgot-password", {"email": user.email})
    link = reset_link_for(user.email)
    token = db.session.query(AuthToken).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 410


def test_reset_for_unknown_email_looks_the_same_and_sends_nothing(client):
    make_user(Role.ADMIN, make_partnership(), email="known@example.org")
    response = client.submit("/forgot-password", {"email": "unknown@example.org"})
    assert response.headers["Location"] == "/forgot-password/sent"
    assert outbox.messages_to("unknown@example.org") == []


def test_a_made_up_token_is_refused(client):
    assert client.get("/reset-password/not-a-real-token").status_code == 410


def test_short_or_mismatched_new_password_is_explained(client):
    user = make_user(Role.ADMIN, make_partnership())
    client.submit("/forgot-password", {"email": user.email})
    link = reset_link_for(user.email)
    short = client.submit(link, {"password": "short", "confirm": "short"})
    assert [a.get_text(strip=True) for a in soup(short).select(".govuk-error-summary a")] == [
        "Password must be 12 characters or more"
    ]
    mismatched = client.submit(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"})
    assert [a.get_text(strip=True) for a in soup(mismatched).select(".govuk-error-summary a")] == [
        "The passwords do not match"
    ]


def test_resetting_the_password_signs_out_other_sessions(app, client):
    user = make_user(Role.ADMIN, make_partnership())
    other_browser = app.test_client()
    other_browser.sign_in(user.email, PASSWORD)
    assert other_browser.get("/business-unit").status_code == 200
    client.submit("/forgot-password", {"email": user.email})
    client.submit(reset_link_for(user.email), {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert other_browser.get("/business-unit").status_code == 302
