import re
from urllib.parse import parse_qs, urlparse

import pyotp

from audit_app.data import outbox, people
from audit_app.extensions import db
from audit_app.models import Role

from ..support.client import SET_UP_TWO_FACTOR, TWO_FACTOR, authenticator_code, soup
from ..support.factories import PASSWORD, make_organisation, make_partnership, make_user


def enter_password(client, user):
    response = client.submit("/sign-in", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def shown_key(page) -> str:
    return page.find(id="two-factor-key").get_text()


def error_summary(response) -> list[str]:
    return [a.get_text(strip=True) for a in soup(response).select(".govuk-error-summary a")]


def test_an_admin_sets_up_an_authenticator_app_at_first_sign_in(client):
    admin = make_user(Role.ADMIN, make_partnership(), email="manager@demoshire.example")
    assert enter_password(client, admin).headers["Location"] == TWO_FACTOR
    assert client.get(TWO_FACTOR).headers["Location"] == SET_UP_TWO_FACTOR

    page = soup(client.get(SET_UP_TWO_FACTOR))
    assert page.h1.get_text(strip=True) == "Set up two-factor authentication"
    key = shown_key(page)
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", key)  # grouped for reading
    secret = key.replace(" ", "")
    setup_link = page.find("a", string="open the setup link in your app")["href"]
    assert parse_qs(urlparse(setup_link).query)["secret"] == [secret]
    qr_code = page.find("img", alt=re.compile("QR code"))
    assert qr_code["src"].startswith("data:image/svg+xml;base64,")

    done = client.submit(SET_UP_TWO_FACTOR, {"code": pyotp.TOTP(secret).now()})
    assert done.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/business-unit"
    home = client.get("/business-unit")
    assert home.status_code == 200
    assert (
        "Two-factor authentication is set up"
        in soup(home).select_one(".govuk-notification-banner").get_text()
    )
    assert admin.totp_confirmed_at is not None
    [notice] = outbox.messages_to("manager@demoshire.example")
    assert "Two-factor authentication was set up" in notice.subject


def test_the_key_offered_stays_the_same_until_it_is_confirmed(client):
    admin = make_user(Role.ADMIN, make_partnership())
    enter_password(client, admin)
    first = shown_key(soup(client.get(SET_UP_TWO_FACTOR)))
    client.sign_out()
    enter_password(client, admin)
    assert shown_key(soup(client.get(SET_UP_TWO_FACTOR))) == first


def test_a_wrong_code_when_setting_up_is_explained_and_sets_nothing_up(client):
    admin = make_user(Role.ADMIN, make_partnership())
    enter_password(client, admin)
    secret = shown_key(soup(client.get(SET_UP_TWO_FACTOR))).replace(" ", "")
    wrong = str((int(pyotp.TOTP(secret).now()) + 1) % 1_000_000).zfill(6)
    response = client.submit(SET_UP_TWO_FACTOR, {"code": wrong})
    assert response.status_code == 200
    assert soup(response).title.get_text().startswith("Error: Set up two-factor authentication")
    assert error_summary(response) == [
        "The code is not right. Enter the code your authenticator app shows now"
    ]
    assert admin.totp_confirmed_at is None


def test_a_missing_or_malformed_code_is_named(client):
    admin = make_user(Role.ADMIN, make_partnership())
    enter_password(client, admin)
    assert error_summary(client.submit(SET_UP_TWO_FACTOR, {"code": ""})) == [
        "Enter the code from your authenticator app"
    ]
    assert error_summary(client.submit(SET_UP_TWO_FACTOR, {"code": "12345"})) == [
        "The code must be 6 numbers"
    ]
    assert error_summary(client.submit(SET_UP_TWO_FACTOR, {"code": "12345a"})) == [
        "The code must be 6 numbers"
    ]


def test_a_set_up_admin_is_asked_for_a_code_and_signed_in_with_it(client):
    admin = make_user(Role.ADMIN, make_partnership())
    client.sign_in(admin.email, PASSWORD)  # sets up the app
    client.sign_out()

    enter_password(client, admin)
    page = client.get(TWO_FACTOR)
    assert page.status_code == 200
    assert soup(page).h1.get_text(strip=True) == "Enter the code from your authenticator app"
    code = authenticator_code(admin.totp_secret, admin.totp_last_step)
    response = client.submit(TWO_FACTOR, {"code": code})
    assert response.headers["Location"] == "/"
    assert client.get("/business-unit").status_code == 200


def test_a_code_cannot_be_used_twice(client):
    reviewer = make_user(Role.REVIEWER, make_partnership())
    client.sign_in(reviewer.email, PASSWORD)
    client.sign_out()
    enter_password(client, reviewer)
    code = authenticator_code(reviewer.totp_secret, reviewer.totp_last_step)
    assert client.submit(TWO_FACTOR, {"code": code}).headers["Location"] == "/"
    client.sign_out()

    enter_password(client, reviewer)
    replayed = client.submit(TWO_FACTOR, {"code": code})
    assert replayed.status_code == 200
    assert error_summary(replayed) == [
        "That code has already been used. Wait for your app to show a new code, then enter it"
    ]
    assert client.get("/review").headers["Location"] == TWO_FACTOR


def test_a_wrong_code_at_sign_in_is_refused(client):
    admin = make_user(Role.ADMIN, make_partnership())
    client.sign_in(admin.email, PASSWORD)
    client.sign_out()
    enter_password(client, admin)
    right = pyotp.TOTP(admin.totp_secret).now()
    wrong = str((int(right) + 500_000) % 1_000_000).zfill(6)
    response = client.submit(TWO_FACTOR, {"code": wrong})
    assert response.status_code == 200
    assert soup(response).title.get_text().startswith("Error: Enter the code from your authenticator app")
    assert error_summary(response) == [
        "The code is not right. Enter the code your authenticator app shows now"
    ]
    assert admin.failed_sign_ins == 1


def test_a_password_alone_opens_no_page_but_the_second_step(app, client):
    partnership = make_partnership()
    school = make_organisation(partnership)
    admin = make_user(Role.ADMIN, partnership)
    for role in (Role.REVIEWER, Role.BOARD_VIEWER):
        people.grant_role(admin, role, partnership)
    people.grant_role(admin, Role.RESPONDENT, partnership, organisation_id=school.id)
    db.session.commit()
    enter_password(client, admin)

    guarded = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and not rule.arguments
        and getattr(app.view_functions[rule.endpoint], "access_rule", "public")
        not in ("public", "awaiting_second_step")
    ]
    assert {"/business-unit", "/review", "/board", "/returns", "/partnership"} <= set(guarded)
    for path in guarded:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == TWO_FACTOR, path
    assert client.get("/").headers["Location"] == TWO_FACTOR


def test_a_respondent_signs_in_without_a_code(client):
    partnership = make_partnership()
    school = make_organisation(partnership, "Oakbridge Primary School")
    respondent = make_user(Role.RESPONDENT, partnership, school)
    assert enter_password(client, respondent).headers["Location"] == "/"
    assert client.get("/returns").status_code == 200


def test_a_board_viewer_signs_in_without_a_code(client):
    viewer = make_user(Role.BOARD_VIEWER, make_partnership())
    assert enter_password(client, viewer).headers["Location"] == "/"
    assert client.get("/board").status_code == 200


def test_someone_made_an_admin_while_signed_in_is_asked_for_a_code(client):
    partnership = make_partnership()
    viewer = make_user(Role.BOARD_VIEWER, partnership)
    enter_password(client, viewer)
    assert client.get("/board").status_code == 200
    people.grant_role(viewer, Role.ADMIN, partnership)
    db.session.commit()
    response = client.get("/board")
    assert response.headers["Location"] == TWO_FACTOR
    assert client.get(TWO_FACTOR).headers["Location"] == SET_UP_TWO_FACTOR


def test_the_second_step_cannot_be_opened_without_the_password(client):
    assert client.get(TWO_FACTOR).headers["Location"] == "/sign-in"
    assert client.get(SET_UP_TWO_FACTOR).headers["Location"] == "/sign-in"


def test_the_second_step_returns_to_the_page_asked_for(client):
    admin = make_user(Role.ADMIN, make_partnership())
    token = client.csrf_token("/sign-in")
    client.post(
        "/sign-in?next=/business-unit", data={"csrf_token": token, "email": admin.email, "password": PASSWORD}
    )
    assert client.give_two_factor_code(admin.email).headers["Location"] == "/business-unit"


def test_resetting_two_factor_from_the_command_line_means_setting_up_again(client, runner):
    admin = make_user(Role.ADMIN, make_partnership(), email="lost.phone@demoshire.example")
    other_browser = client.application.test_client()
    other_browser.sign_in(admin.email, PASSWORD)
    assert admin.totp_confirmed_at is not None

    result = runner.invoke(args=["users", "reset-2fa", "Lost.Phone@demoshire.example"])
    assert result.exit_code == 0, result.output
    assert "Two-factor authentication was reset for lost.phone@demoshire.example" in result.output
    db.session.expire_all()
    assert admin.totp_secret is None and admin.totp_confirmed_at is None
    assert other_browser.get("/business-unit").status_code == 302  # signed out everywhere
    enter_password(client, admin)
    assert client.get(TWO_FACTOR).headers["Location"] == SET_UP_TWO_FACTOR


def test_resetting_two_factor_for_an_unknown_email_says_so(runner):
    result = runner.invoke(args=["users", "reset-2fa", "nobody@example.org"])
    assert result.exit_code == 1
    assert "No account has the email address nobody@example.org" in result.output
