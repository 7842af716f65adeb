from audit_app.data import people
from audit_app.extensions import db
from audit_app.models import Role

from ..support.client import TWO_FACTOR, soup
from ..support.factories import PASSWORD, make_organisation, make_partnership, make_user

MINUTE = 60
HOUR = 60 * MINUTE


def board_viewer_in_two_partnerships():
    """Someone who can post a form (choosing a partnership) without a second step."""
    north = make_partnership("Northshire Safeguarding Children Partnership")
    south = make_partnership("Southshire Safeguarding Children Partnership")
    user = make_user(Role.BOARD_VIEWER, north)
    people.grant_role(user, Role.BOARD_VIEWER, south)
    db.session.commit()
    return user, north, south


def signed_in_respondent(client):
    partnership = make_partnership()
    user = make_user(Role.RESPONDENT, partnership, make_organisation(partnership))
    client.sign_in(user.email, PASSWORD)
    return user


def move_back(client, key: str, seconds: float) -> None:
    with client.session_transaction() as session:
        session[key] -= seconds


def banner(response) -> str:
    return soup(response).select_one(".govuk-notification-banner").get_text(" ", strip=True)


def test_a_session_left_alone_for_30_minutes_is_signed_out(client):
    signed_in_respondent(client)
    move_back(client, "last_seen", 30 * MINUTE + 1)
    response = client.get("/returns")
    assert response.headers["Location"] == "/sign-in?next=/returns"
    sign_in_page = client.get(response.headers["Location"])
    assert "You were signed out because you had not used the service for 30 minutes." in banner(sign_in_page)
    assert client.get("/returns").headers["Location"].startswith("/sign-in")


def test_a_session_in_use_stays_signed_in_and_its_clock_restarts(client):
    signed_in_respondent(client)
    move_back(client, "last_seen", 29 * MINUTE)
    assert client.get("/returns").status_code == 200
    move_back(client, "last_seen", 29 * MINUTE)
    assert client.get("/returns").status_code == 200


def test_a_session_ends_12_hours_after_signing_in_however_busy(client):
    signed_in_respondent(client)
    move_back(client, "signed_in_at", 12 * HOUR + 1)
    response = client.get("/returns")
    assert response.headers["Location"].startswith("/sign-in")
    assert "You were signed out because you signed in more than 12 hours ago." in banner(
        client.get("/sign-in")
    )


def test_the_idle_limit_is_a_setting(app, client):
    app.config["SESSION_IDLE_MINUTES"] = 5
    signed_in_respondent(client)
    move_back(client, "last_seen", 5 * MINUTE + 1)
    assert client.get("/returns").status_code == 302
    assert "had not used the service for 5 minutes" in banner(client.get("/sign-in"))


def test_a_form_sent_after_the_session_expired_is_not_saved_and_the_person_is_told(client):
    user, north, south = board_viewer_in_two_partnerships()
    client.sign_in(user.email, PASSWORD)
    client.submit("/partnership", {"partnership": north.id})
    token = client.csrf_token("/partnership")
    move_back(client, "last_seen", 31 * MINUTE)
    response = client.post("/partnership", data={"csrf_token": token, "partnership": south.id})
    assert response.headers["Location"] == "/sign-in?next=/partnership"
    message = banner(client.get("/sign-in"))
    assert "You were signed out because you had not used the service for 30 minutes." in message
    assert "Your changes were not saved." in message
    client.sign_in(user.email, PASSWORD)
    client.submit("/partnership", {"partnership": north.id})
    assert "Northshire" in soup(client.get("/board")).select_one(".govuk-generic-header").get_text()


def test_signing_in_starts_a_new_session(client):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    signed_in_respondent(client)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["signed_in_at"] == session["last_seen"]


def test_signing_out_ends_every_copy_of_the_session(app, client):
    signed_in_respondent(client)
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert copy.get("/returns").status_code == 200
    client.sign_out()
    assert copy.get("/returns").status_code == 302


def test_the_session_cookie_is_kept_from_scripts_and_other_sites(client):
    signed_in_respondent(client)
    response = client.get("/returns")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_a_password_step_not_followed_by_a_code_within_15_minutes_lapses(client):
    admin = make_user(Role.ADMIN, make_partnership())
    client.submit("/sign-in", {"email": admin.email, "password": PASSWORD})
    with client.session_transaction() as session:
        waiting = session["awaiting_second_step"]
        session["awaiting_second_step"] = {**waiting, "since": waiting["since"] - 15 * MINUTE - 1}
    response = client.get(TWO_FACTOR)
    assert response.headers["Location"] == "/sign-in"
    assert "you need to sign in again" in banner(client.get("/sign-in"))
    assert client.get(TWO_FACTOR).headers["Location"] == "/sign-in"


def test_signing_in_again_from_an_old_tab_just_works(client):
    user = signed_in_respondent(client)
    token = client.csrf_token("/sign-in")
    move_back(client, "last_seen", 31 * MINUTE)
    response = client.post("/sign-in", data={"csrf_token": token, "email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"
    assert client.get("/returns").status_code == 200
