from argon2 import PasswordHasher

from audit_app.data import people
from audit_app.extensions import db
from audit_app.models import OrganisationKind, Role

from ..support.client import soup
from ..support.factories import PASSWORD, make_organisation, make_partnership, make_user


def h1(response) -> str:
    return soup(response).h1.get_text(strip=True)


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in")


def test_sign_in_page_offers_email_password_and_reset(client):
    page = soup(client.get("/sign-in"))
    assert page.find("input", attrs={"name": "email", "type": "email"}) is not None
    assert page.find("input", attrs={"name": "password", "type": "password"}) is not None
    assert page.find("a", string="Forgotten your password?")["href"] == "/forgot-password"


def test_each_role_lands_on_its_own_home_page(client):
    partnership = make_partnership("Demoshire Safeguarding Children Partnership")
    school = make_organisation(partnership, "Oakbridge Primary School")
    expected = {
        Role.ADMIN: ("/business-unit", "Audit cycles"),
        Role.REVIEWER: ("/review", "Returns to review"),
        Role.BOARD_VIEWER: ("/board", "Board summary"),
        Role.RESPONDENT: ("/returns", "Your safeguarding returns"),
    }
    for role, (path, heading) in expected.items():
        user = make_user(role, partnership, school if role is Role.RESPONDENT else None)
        client.sign_in(user.email, PASSWORD)
        landing = client.get("/")
        assert landing.headers["Location"] == path
        home = client.get(path)
        assert home.status_code == 200
        assert h1(home) == heading
        header = soup(home).select_one(".govuk-header, .govuk-generic-header")
        assert "Demoshire Safeguarding Children Partnership" in header.get_text()
        client.sign_out()


def test_wrong_password_and_unknown_email_get_the_same_message(client):
    partnership = make_partnership()
    user = make_user(Role.ADMIN, partnership)
    wrong_password = client.submit("/sign-in", {"email": user.email, "password": "not the password"})
    unknown_email = client.submit("/sign-in", {"email": "nobody@example.org", "password": "not the password"})
    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        page = soup(response)
        assert page.title.get_text().startswith("Error: Sign in")
        summary = page.select_one(".govuk-error-summary")
        assert "Enter a correct email address and password" in summary.get_text()
    assert (
        soup(wrong_password).select_one(".govuk-error-summary").get_text()
        == soup(unknown_email).select_one(".govuk-error-summary").get_text()
    )


def test_empty_sign_in_form_names_each_missing_field(client):
    response = client.submit("/sign-in", {"email": "", "password": ""})
    summary = soup(response).select_one(".govuk-error-summary")
    links = {a["href"]: a.get_text(strip=True) for a in summary.select("a")}
    assert links == {"#email": "Enter your email address", "#password": "Enter your password"}


def test_email_is_kept_on_a_failed_sign_in(client):
    response = client.submit("/sign-in", {"email": "dsl@oakbridge.example", "password": ""})
    assert soup(response).find("input", attrs={"name": "email"})["value"] == "dsl@oakbridge.example"


def test_sign_in_is_case_insensitive_on_email(client):
    partnership = make_partnership()
    user = make_user(Role.ADMIN, partnership, email="manager@demoshire.example")
    response = client.submit("/sign-in", {"email": "  Manager@Demoshire.Example ", "password": PASSWORD})
    assert response.status_code == 302
    client.give_two_factor_code(user.email)  # an admin's sign-in ends with a code
    assert user.last_sign_in_at is not None


def test_sign_out_ends_the_session(client):
    partnership = make_partnership()
    user = make_user(Role.ADMIN, partnership)
    client.sign_in(user.email, PASSWORD)
    response = client.sign_out()
    assert response.headers["Location"] == "/sign-in"
    assert client.get("/business-unit").status_code == 302


def test_post_without_csrf_token_is_refused_with_a_clear_page(client):
    partnership = make_partnership()
    user = make_user(Role.ADMIN, partnership)
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert h1(response) == "Your page had expired"


def test_sign_in_never_redirects_off_site(client):
    partnership = make_partnership()
    user = make_user(Role.ADMIN, partnership)
    token = client.csrf_token("/sign-in")
    response = client.post(
        "/sign-in?next=//evil.example/phish",
        data={"csrf_token": token, "email": user.email, "password": PASSWORD},
    )
    response = client.give_two_factor_code(user.email)  # where an admin goes once signed in
    assert response.headers["Location"] == "/"


def test_sign_in_returns_to_the_page_asked_for(client):
    partnership = make_partnership()
    user = make_user(Role.BOARD_VIEWER, partnership)
    first = client.get("/board")
    assert "/sign-in?next=" in first.headers["Location"]
    token = client.csrf_token("/sign-in")
    response = client.post(
        "/sign-in?next=/board", data={"csrf_token": token, "email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/board"


def test_deactivated_account_cannot_sign_in(client):
    partnership = make_partnership()
    user = make_user(Role.ADMIN, partnership)
    user.active = False
    db.session.commit()
    response = client.submit("/sign-in", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert (
        "Enter a correct email address and password"
        in soup(response).select_one(".govuk-error-summary").get_text()
    )


def test_password_is_stored_as_an_argon2id_hash(app):
    user = make_user(email="hash@example.org")
    # OWASP's minimum for argon2id: 19 MiB, two passes, one lane.
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in user.password_hash
    assert people.authenticate("hash@example.org", PASSWORD) == user


def test_a_hash_of_another_cost_is_redone_at_sign_in(app):
    user = make_user(email="older@example.org")
    user.password_hash = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(PASSWORD)
    db.session.commit()
    assert people.authenticate("older@example.org", PASSWORD) == user
    db.session.expire_all()
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert people.authenticate("older@example.org", PASSWORD) == user


def test_respondent_cannot_open_the_business_unit_home(client):
    partnership = make_partnership()
    school = make_organisation(partnership, kind=OrganisationKind.SCHOOL)
    user = make_user(Role.RESPONDENT, partnership, school)
    client.sign_in(user.email, PASSWORD)
    response = client.get("/business-unit")
    assert response.status_code == 403
    assert h1(response) == "You do not have permission to see this page"
