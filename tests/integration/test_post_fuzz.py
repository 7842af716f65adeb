"""Random and malformed posts to every POST endpoint: never a 500, never a traceback, always words.

Every endpoint that answers POST is posted to as someone who gets past its
access rule (tests/integration/test_access_matrix.py says who): the public
sign-in pages as someone not signed in; a return's section and declaration
pages, answering a question and progress on an action as organisation A's
respondent (their return sent back for changes, so the forms are open); the
rest as Testshire's business-unit admin. The form's own field names (read from
its page) are mixed with random ones; values are random text, unicode, NUL
characters, huge strings, numbers where text is expected and ids that do not
exist; the CSRF token is valid, missing or forged.

Each response must be a page a person can act on: a redirect, a download, or a
page with a heading; a 4xx page or a form shown again must say what is wrong
(an error summary, or an error page's heading), and no body may hold a
traceback. With TESTING on, an exception in a view fails the example itself.

Most posts carry a valid CSRF token, so that they reach the view's own form
handling rather than stopping at the CSRF check: each endpoint gets
``VALID_EXAMPLES_PER_ENDPOINT`` posts with one, then ``MIXED_EXAMPLES_PER_ENDPOINT``
whose token is valid, missing or forged. Every test counts what it posted and
asserts the count, so a fuzz that silently did less fails.

The forms behind a secret link or a half-finished sign-in are fuzzed with the
real thing, since a made-up token only ever gets "this link has expired": a
live password reset link, a live invitation to start a return (for a new
account and for an existing one), and the two-factor code page of an admin
who has given their password. Each example gets a fresh link, so that one
that succeeds does not spoil the next; lockout and rate limits are raised for
these tests, or after a few wrong codes every post would get the same refusal.

The fuzz runs on SQLite only (``database`` is parametrized here), to keep it
to about three minutes on a shared machine; PostgreSQL's own refusals (ids
beyond an integer column, NUL characters in text) are tested on both backends
in tests/integration/test_object_access.py.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from flask import url_for
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_app.data import invitations, tokens
from audit_app.extensions import db
from audit_app.models import ReturnStatus, Role, TokenPurpose

from ..support.access import build_world, sign_in_as
from ..support.client import soup
from ..support.factories import PASSWORD, make_partnership, make_user
from ..support.returns import school_return
from .test_access_matrix import GONE, IN, NF, NO, POST_OUTCOMES, ROLES, SPECIAL_VALUES

VALID_EXAMPLES_PER_ENDPOINT = 22
MIXED_EXAMPLES_PER_ENDPOINT = 5
# Posts to each secret-link or sign-in form: a fresh link (or session) each.
FORM_EXAMPLES = 40
RESPONDENT_ENDPOINTS = {"returns.section", "returns.declaration", "review.answer", "review.action_progress"}
TRACEBACK_WORDS = ("Traceback (most recent call last)", 'File "/', "sqlalchemy.exc", "werkzeug.exceptions")
EXTRA_KEYS = [
    "remove",
    "up",
    "down",
    "import_run_id",
    "organisation_id",
    "user_id",
    "cycle_id",
    "return_ids",
    "reviewer",
    "partnership",
    "section",
    "yours",
    "keep",
    "loaded_version",
    "version",
    "action",
    "later",
    "save",
]


def _who(endpoint: str) -> str:
    if endpoint in RESPONDENT_ENDPOINTS:
        return "respondent_a"
    row = POST_OUTCOMES[endpoint]
    if row[ROLES.index("admin")] not in (IN, NO, NF, GONE) and row[ROLES.index("anonymous")] == IN:
        return "admin"
    return "anonymous"


def _field_names(client, address: str) -> list[str]:
    page = client.get(address)
    if page.status_code != 200 or page.mimetype != "text/html":
        return []
    names = {field.get("name") for field in soup(page).select("form input, form select, form textarea")}
    return sorted(name for name in names if name and name != "csrf_token")


nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "²",
            "-1",
            "0",
            "1.5",
            "99999999999",
            "999999999999999999999999",
            "NaN",
            "true",
            "null",
            "[]",
            '[["a", "b"]]',
            "{}",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂",
            "\u202e\u200b",
            "31/02/2026",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.builds(lambda n: "x" * n, st.sampled_from([5_001, 100_000])),
)


def _form(names: list[str]):
    keys = st.one_of(st.sampled_from(names + EXTRA_KEYS), st.text(min_size=1, max_size=20))
    return st.dictionaries(keys, st.one_of(nasty_text, st.lists(nasty_text, max_size=3)), max_size=8)


def _problem(response) -> str | None:
    """What is wrong with this response for the person who sent the post, if anything."""
    if response.status_code >= 500:
        return f"status {response.status_code}"
    body = response.get_data(as_text=True)
    if any(word in body for word in TRACEBACK_WORDS):
        return "a traceback in the body"
    if response.status_code in (301, 302, 303):
        return (
            None if urlsplit(response.headers["Location"]).path.startswith("/") else "redirects off the site"
        )
    if response.mimetype != "text/html":
        return None  # a download
    page = soup(response)
    if response.status_code >= 400 or (page.title and page.title.get_text().strip().startswith("Error: ")):
        says = page.select_one(".govuk-error-summary") or (page.h1 and page.h1.get_text(strip=True))
        if not says:
            return f"a {response.status_code} page that says nothing"
    return None


def _with_token(form: dict, csrf: str, token: str) -> dict:
    data = dict(form)
    if csrf == "valid":
        data["csrf_token"] = token
    elif csrf == "forged":
        data["csrf_token"] = token[::-1]
    return data


def _fuzz(client, endpoint: str, address: str, names: list[str], token: str) -> tuple[int, int]:
    """Post random forms to one address; how many were posted, and how many with a valid token."""
    posted = {"valid": 0, "missing": 0, "forged": 0}

    def post(form, csrf):
        data = _with_token(form, csrf, token)
        response = client.post(address, data=data)
        response.close()
        posted[csrf] += 1
        problem = _problem(response)
        assert problem is None, f"POST {address} ({endpoint}) with {data!r}: {problem}"

    settings(max_examples=VALID_EXAMPLES_PER_ENDPOINT)(
        given(form=_form(names), csrf=st.just("valid"))(post)
    )()
    mixed = st.sampled_from(["valid", "missing", "forged"])
    settings(max_examples=MIXED_EXAMPLES_PER_ENDPOINT)(given(form=_form(names), csrf=mixed)(post))()
    return sum(posted.values()), posted["valid"]


def test_the_fuzz_posts_at_least_a_thousand_forms_with_a_valid_token():
    # Each of the tests below asserts that it posted its share, per endpoint it covers; together
    # they cover every POST endpoint.
    assert VALID_EXAMPLES_PER_ENDPOINT * len(POST_OUTCOMES) >= 1000


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("who", ["anonymous", "respondent_a", "admin"])
def test_random_posts_get_a_page_that_says_what_is_wrong(app, client, tmp_path, who):
    world = build_world(tmp_path)
    world.a.audit_return.status = ReturnStatus.CHANGES_REQUESTED
    db.session.commit()
    sign_in_as(client, world, who)
    values = world.url_values()
    endpoints = sorted(endpoint for endpoint in POST_OUTCOMES if _who(endpoint) == who)
    # Signing out would end the run's session; it is posted to last, once.
    endpoints.sort(key=lambda endpoint: endpoint == "auth.sign_out")
    assert endpoints
    rules = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
    posted = with_valid_token = 0
    for endpoint in endpoints:
        rule = rules[endpoint]
        given_values = {**values, **SPECIAL_VALUES.get(endpoint, lambda _: {})(world.ours)}
        with app.test_request_context():
            address = url_for(endpoint, **{name: given_values[name] for name in rule.arguments})
        names = _field_names(client, address) if "GET" in rule.methods else []

        counts = _fuzz(client, endpoint, address, names, client.csrf_token("/sign-in"))
        posted, with_valid_token = posted + counts[0], with_valid_token + counts[1]
    assert with_valid_token >= VALID_EXAMPLES_PER_ENDPOINT * len(endpoints)
    assert posted >= (VALID_EXAMPLES_PER_ENDPOINT + MIXED_EXAMPLES_PER_ENDPOINT) * len(endpoints)


# ---- the forms behind a live link or half a sign-in ---------------------------------------------

NEW_PASSWORD = "a brand new passphrase for testing"


def _filled_form(names: list[str], plausible: list[str]):
    """The form's own fields, often all given one plausible value (a password and its
    confirmation alike), each perhaps replaced by something nasty, plus stray fields."""
    same = st.one_of(st.sampled_from(plausible), nasty_text)
    own = st.builds(
        lambda value, changed, extra: {**extra, **dict.fromkeys(names, value), **changed},
        same,
        st.fixed_dictionaries({}, optional=dict.fromkeys(names, nasty_text)),
        _form(names),
    )
    return st.one_of(own, own, _form(names))


@pytest.fixture
def relaxed_limits(app):
    """Lockout and rate limits high enough that the forms themselves are what the posts reach."""
    app.config.update(
        SIGN_IN_LOCKOUT_ATTEMPTS=100_000,
        RATE_LIMIT_PER_ADDRESS="100000/minute",
        RATE_LIMIT_PER_ACCOUNT="100000/minute",
    )


def _post_to_a_fresh_form(app, path: str, form: dict, csrf: str) -> tuple[object, dict]:
    """A new browser opens ``path`` and sends ``form`` with its token valid, missing or forged."""
    browser = app.test_client()
    page = browser.get(path)
    assert page.status_code == 200, f"{path} is not a live form"
    token = soup(page).find("input", attrs={"name": "csrf_token"})["value"]
    data = _with_token(form, csrf, token)
    return browser.post(path, data=data), data


CSRF_MOSTLY_VALID = st.sampled_from(["valid", "valid", "valid", "missing", "forged"])


def _fuzz_single_use_link(app, live_link, names: list[str], plausible: list[str], what: str) -> None:
    """Post random forms to fresh single-use links (``live_link()`` makes one): never a 500 or a traceback."""
    posted = with_valid_token = 0

    @settings(max_examples=FORM_EXAMPLES)
    @given(form=_filled_form(names, plausible), csrf=CSRF_MOSTLY_VALID)
    def post(form, csrf):
        nonlocal posted, with_valid_token
        response, data = _post_to_a_fresh_form(app, live_link(), form, csrf)
        posted += 1
        with_valid_token += csrf == "valid"
        problem = _problem(response)
        assert problem is None, f"POST to {what} with {data!r}: {problem}"

    post()
    assert posted == FORM_EXAMPLES and with_valid_token >= FORM_EXAMPLES // 2


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_random_posts_to_a_live_password_reset_link(app, relaxed_limits):
    user = make_user(Role.BOARD_VIEWER, make_partnership(), email="reset.me@example.org")

    def live_link() -> str:
        secret, _ = tokens.issue_token(TokenPurpose.PASSWORD_RESET, user.email, timedelta(hours=2), user=user)
        db.session.commit()
        return f"/reset-password/{secret}"

    names = _field_names(app.test_client(), live_link())
    assert {"password", "confirm"} <= set(names)
    _fuzz_single_use_link(app, live_link, names, [NEW_PASSWORD, PASSWORD, "short"], "a reset link")


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("account", ["new", "existing"])
def test_random_posts_to_a_live_invitation(app, relaxed_limits, account):
    audit_return = school_return(make_partnership())
    existing = make_user(email="already@school.example")  # an account, not yet for this school
    emails = iter(f"new{n}@school.example" for n in range(10_000))

    def live_link() -> str:
        path = invitations.create_invitation(
            audit_return, existing.email if account == "existing" else next(emails)
        )
        db.session.commit()
        return path

    names = _field_names(app.test_client(), live_link())
    assert "password" in names
    _fuzz_single_use_link(
        app, live_link, names, [NEW_PASSWORD, PASSWORD, "Sam Smith"], f"an invitation ({account} account)"
    )


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_random_codes_at_the_second_step_of_signing_in(app, client, relaxed_limits):
    admin = make_user(Role.ADMIN, make_partnership(), email="admin@partnership.example")
    client.sign_in(admin.email, PASSWORD)  # sets up the authenticator app
    client.sign_out()
    posted = with_valid_token = 0

    def at_second_step() -> str:
        response = client.submit("/sign-in", {"email": admin.email, "password": PASSWORD})
        assert response.headers["Location"] == "/sign-in/two-factor"
        return client.csrf_token("/sign-in/two-factor")

    token = at_second_step()
    names = _field_names(client, "/sign-in/two-factor")
    assert "code" in names

    @settings(max_examples=FORM_EXAMPLES)
    @given(
        form=_filled_form(names, ["123456", "000000", "12345", "1234567", " 123 456 ", "１２３４５６"]),
        csrf=CSRF_MOSTLY_VALID,
    )
    def post(form, csrf):
        nonlocal posted, with_valid_token, token
        data = _with_token(form, csrf, token)
        response = client.post("/sign-in/two-factor", data=data)
        posted += 1
        with_valid_token += csrf == "valid"
        problem = _problem(response)
        assert problem is None, f"POST /sign-in/two-factor with {data!r}: {problem}"
        if response.status_code == 302:  # signed in after all, or sent back to sign in: start again
            client.post("/sign-out", data={"csrf_token": token})
            token = at_second_step()

    post()
    assert posted == FORM_EXAMPLES and with_valid_token >= FORM_EXAMPLES // 2
