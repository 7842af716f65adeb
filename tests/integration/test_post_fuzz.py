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

The fuzz runs on SQLite only (``database`` is parametrized here), to keep it
under two minutes on a shared machine; PostgreSQL's own refusals (ids beyond
an integer column, NUL characters in text) are tested on both backends in
tests/integration/test_object_access.py.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import url_for
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_app.extensions import db
from audit_app.models import ReturnStatus

from ..support.access import build_world, sign_in_as
from ..support.client import soup
from .test_access_matrix import GONE, IN, NF, NO, POST_OUTCOMES, ROLES, SPECIAL_VALUES

EXAMPLES_PER_ENDPOINT = 25
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


def _fuzz(client, endpoint: str, address: str, names: list[str], token: str) -> int:
    """Post random forms to one address; returns how many were posted."""
    posted = 0

    @settings(max_examples=EXAMPLES_PER_ENDPOINT)
    @given(form=_form(names), csrf=st.sampled_from(["valid", "valid", "missing", "forged"]))
    def post(form, csrf):
        nonlocal posted
        data = dict(form)
        if csrf == "valid":
            data["csrf_token"] = token
        elif csrf == "forged":
            data["csrf_token"] = token[::-1]
        response = client.post(address, data=data)
        response.close()
        posted += 1
        problem = _problem(response)
        assert problem is None, f"POST {address} ({endpoint}) with {data!r}: {problem}"

    post()
    return posted


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
    posted = 0
    for endpoint in endpoints:
        rule = rules[endpoint]
        given_values = {**values, **SPECIAL_VALUES.get(endpoint, lambda _: {})(world.ours)}
        with app.test_request_context():
            address = url_for(endpoint, **{name: given_values[name] for name in rule.arguments})
        names = _field_names(client, address) if "GET" in rule.methods else []

        posted += _fuzz(client, endpoint, address, names, client.csrf_token("/sign-in"))
    assert posted >= EXAMPLES_PER_ENDPOINT * len(endpoints) * 0.8
