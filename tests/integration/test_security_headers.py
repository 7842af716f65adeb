import re

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
