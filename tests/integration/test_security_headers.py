import re

from audit_app import create_app
from audit_app.config import config_from_env
from audit_app.models import Role

from ..support.client import soup
from ..support.factories import PASSWORD, make_organisation, make_partnership, make_user


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.split(" ", 1) for part in header.split("; "))


def nonce_in(response) -> str:
    match = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9_-]+)'", policy(response)["script-src"])
    assert match, policy(response)["script-src"]
    return match.group(1)


def test_every_page_says_where_scripts_may_come_from_without_allowing_inline_code(client):
    response = client.get("/sign-in")
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    directives = policy(response)
    assert directives["default-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_the_nonce_is_new_for_each_request_and_is_the_one_on_the_pages_scripts(client):
    first, second = client.get("/sign-in"), client.get("/sign-in")
    assert nonce_in(first) != nonce_in(second)
    for response in (first, second):
        scripts = soup(response).find_all("script")
        assert scripts, "the page has GOV.UK Frontend's scripts"
        assert {script.get("nonce") for script in scripts} == {nonce_in(response)}
        inline = [script for script in scripts if not script.get("src")]
        assert len(inline) == 1 and "js-enabled" in inline[0].get_text()


def test_pages_carry_the_other_protective_headers(client):
    response = client.get("/sign-in")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers  # only in production, behind HTTPS


def test_production_tells_browsers_to_use_https_only(app, client):
    app.config["AUDIT_ENV"] = "production"
    response = client.get("/sign-in")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_signed_in_pages_are_never_cached(client):
    partnership = make_partnership()
    user = make_user(Role.RESPONDENT, partnership, make_organisation(partnership))
    client.sign_in(user.email, PASSWORD)
    response = client.get("/returns")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response.headers


def test_error_pages_carry_the_headers_too(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert nonce_in(response) == soup(response).find("script").get("nonce")
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_second_step_pages_are_never_cached(client):
    admin = make_user(Role.ADMIN, make_partnership())
    client.submit("/sign-in", {"email": admin.email, "password": PASSWORD})
    response = client.get("/sign-in/set-up-two-factor")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert policy(response)["img-src"] == "'self' data:"  # the QR code is a data: image


def test_static_files_may_still_be_cached(client):
    with client.get("/static/dist/app.css") as response:
        assert response.status_code == 200
        assert response.headers.get("Cache-Control") != "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_in_production_the_session_cookie_is_secure_http_only_and_same_site(tmp_path):
    """The header a browser actually gets from a production configuration, not only the
    settings that should produce it. Its own app: the test fixtures' configuration is not
    production's, and the sign-in page needs no database."""
    config = config_from_env(
        {
            "AUDIT_ENV": "production",
            "SECRET_KEY": "k" * 64,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'never-opened.db'}",
        },
        tmp_path,
    )
    app = create_app(config)
    # The sign-in page puts its form's CSRF secret in the session, so the cookie is set.
    response = app.test_client().get("/sign-in", base_url="https://audit.example.org")
    assert response.status_code == 200
    [cookie] = [value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")]
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert "secure" in attributes
    assert "httponly" in attributes
    assert attributes.get("samesite") == "SameSite=Lax"
    assert "domain" not in attributes  # sent back to this host only
