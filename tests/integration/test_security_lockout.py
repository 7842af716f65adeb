from datetime import timedelta

import pyotp

from audit_app.models import Role, utcnow

from ..support.client import TWO_FACTOR, soup
from ..support.factories import PASSWORD, make_organisation, make_partnership, make_user

SAME_WORDS = "Enter a correct email address and password"


def respondent():
    partnership = make_partnership()
    return make_user(Role.RESPONDENT, partnership, make_organisation(partnership))


def attempt(client, email, password):
    return client.submit("/sign-in", {"email": email, "password": password})


def summary(response) -> str:
    return soup(response).select_one(".govuk-error-summary").get_text(" ", strip=True)


def test_five_wrong_passwords_lock_the_account_with_the_usual_message(client):
    user = respondent()
    for _ in range(5):
        assert attempt(client, user.email, "not the password").status_code == 200
    assert user.locked_until is not None and user.locked_until > utcnow()

    locked = attempt(client, user.email, PASSWORD)
    unknown = attempt(client, "nobody@example.org", PASSWORD)
    assert locked.status_code == 200
    assert SAME_WORDS in summary(locked)
    assert summary(locked) == summary(unknown)
    assert client.get("/returns").status_code == 302  # not signed in


def test_a_locked_account_opens_again_when_the_lock_runs_out(client):
    user = respondent()
    for _ in range(5):
        attempt(client, user.email, "not the password")
    user.locked_until = utcnow() - timedelta(seconds=1)  # as if 15 minutes had passed
    response = attempt(client, user.email, PASSWORD)
    assert response.headers["Location"] == "/"
    assert client.get("/returns").status_code == 200


def test_a_successful_sign_in_clears_the_count_of_wrong_passwords(client):
    user = respondent()
    for _ in range(4):
        attempt(client, user.email, "not the password")
    assert user.failed_sign_ins == 4
    client.sign_in(user.email, PASSWORD)
    assert user.failed_sign_ins == 0
    client.sign_out()
    for _ in range(4):
        attempt(client, user.email, "not the password")
    assert user.locked_until is None
    client.sign_in(user.email, PASSWORD)


def test_wrong_codes_lock_an_admins_account_too(client):
    admin = make_user(Role.ADMIN, make_partnership())
    client.sign_in(admin.email, PASSWORD)
    client.sign_out()
    attempt(client, admin.email, PASSWORD)
    right = pyotp.TOTP(admin.totp_secret).now()
    wrong = str((int(right) + 500_000) % 1_000_000).zfill(6)
    for _ in range(4):
        assert client.submit(TWO_FACTOR, {"code": wrong}).status_code == 200
    fifth = client.submit(TWO_FACTOR, {"code": wrong})
    assert fifth.headers["Location"] == "/sign-in"
    banner = soup(client.get("/sign-in")).select_one(".govuk-notification-banner").get_text()
    assert "You entered too many wrong codes" in banner
    assert admin.locked_until > utcnow()
    assert client.get(TWO_FACTOR).headers["Location"] == "/sign-in"
    assert SAME_WORDS in summary(attempt(client, admin.email, PASSWORD))


def test_too_many_attempts_for_one_email_get_a_page_saying_so(app, client):
    app.config["RATE_LIMIT_PER_ACCOUNT"] = "3 per 15 minutes"
    for _ in range(3):
        assert attempt(client, "someone@example.org", "guess").status_code == 200
    response = attempt(client, "Someone@Example.org", "guess")
    assert response.status_code == 429
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Too many attempts"
    assert "Wait 15 minutes, then try again." in page.get_text()
    assert response.headers["Retry-After"] == "900"
    # Someone else, from the same address, is not held up.
    assert attempt(client, "another@example.org", "guess").status_code == 200


def test_too_many_attempts_from_one_address_get_a_page_saying_so(app, client):
    app.config["RATE_LIMIT_PER_ADDRESS"] = "4 per 10 minutes"
    for n in range(4):
        attempt(client, f"guess{n}@example.org", "guess")
    response = attempt(client, "guess5@example.org", "guess")
    assert response.status_code == 429
    assert soup(response).h1.get_text(strip=True) == "Too many attempts"
    assert "Wait 10 minutes" in soup(response).get_text()


def test_successful_sign_ins_do_not_use_up_the_limit(app, client):
    app.config["RATE_LIMIT_PER_ADDRESS"] = "2 per 15 minutes"
    user = respondent()
    for _ in range(4):
        client.sign_in(user.email, PASSWORD)
        client.sign_out()


def test_password_reset_requests_are_limited_for_each_email(app, client):
    app.config["RATE_LIMIT_PER_ACCOUNT"] = "2 per 15 minutes"
    user = respondent()
    for _ in range(2):
        assert client.submit("/forgot-password", {"email": user.email}).status_code == 302
    response = client.submit("/forgot-password", {"email": user.email})
    assert response.status_code == 429
    assert soup(response).h1.get_text(strip=True) == "Too many attempts"


def test_code_attempts_are_limited_for_each_account(app, client):
    app.config["RATE_LIMIT_PER_ACCOUNT"] = "2 per 15 minutes"
    app.config["SIGN_IN_LOCKOUT_ATTEMPTS"] = 10
    admin = make_user(Role.ADMIN, make_partnership())
    attempt(client, admin.email, PASSWORD)
    for _ in range(2):
        assert client.submit("/sign-in/set-up-two-factor", {"code": "000000"}).status_code == 200
    response = client.submit("/sign-in/set-up-two-factor", {"code": "000000"})
    assert response.status_code == 429
