"""The role × route matrix: what each kind of person gets from every address in the app.

Every endpoint in ``app.url_map`` is requested as seven people: someone not
signed in; a respondent of organisation A and one of organisation B (both in
Testshire); Testshire's reviewer (assigned A's return), its business-unit
admin and a board viewer; and the admin of Otherton, another partnership on
the same installation. URL parameters name organisation A's objects in
Testshire (tests/support/access.py builds one of everything). Admins and
reviewers sign in as people do: password, then the authenticator step, setting
up the app from the key on the page the first time (tests/support/client.py).

Each endpoint answers GET, POST or both; the tables below say what each person
gets for each method. A new endpoint without a row fails
``test_every_endpoint_has_a_row_in_the_matrix``, naming it, and so does an
endpoint answering a method with no table (PUT, PATCH, DELETE).

A 200 is not the end of it: a page the other partnership's admin or organisation
B's respondent may open must not show them anything of organisation A's, or of
Testshire's for the other admin (``_leaks``).

POSTs carry a valid CSRF token from the person's own session, exactly as the
browser would send it, and no other fields. CSRF is not switched off: some
views check the token themselves (the return's section and declaration pages,
the register imports), and with the check disabled a POST-only view that
forgot it would look no different. With a real token the outcome shows the
access rule and the view's own scope checks, not the CSRF check. (Missing and
forged tokens are exercised by tests/integration/test_post_fuzz.py.)

POSTs run after every GET, in the order of the table, and a POST can change
what the next one finds: an empty "accept" form accepts the return (no comment
is required), so the "request changes" that follows is refused with 409.
Signing out comes last.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from flask import url_for
from werkzeug.routing import Rule

from ..support.access import ROLES, World, build_world, sign_in_as
from ..support.client import soup

Outcome = int | str

OK, BAD, NO, NF, CONFLICT, GONE = 200, 400, 403, 404, 409, 410
IN = "redirect to sign in"


def to(endpoint: str) -> str:
    return f"redirect to {endpoint}"


# Not in the matrix, and why.
EXEMPT = {"static": "the stylesheet, scripts and images: the same files for everyone"}

# Addresses whose parameters cannot name organisation A's objects: what they name instead.
SPECIAL_VALUES = {
    # Only agencies can be edited (schools and colleges are kept up to date from GIAS).
    "organisations.edit_agency": lambda objects: {"organisation_id": objects.agency_id},
}

# The headings of the pages that refuse: the page says why in words, never with data.
REFUSAL_HEADINGS = {
    NO: "You do not have permission to see this page",
    NF: "Page not found",
}

# Notes on rows whose outcome is not obvious:
# - 409 on returns.section / returns.declaration (POST) and reporting.school_feedback: organisation
#   A's return has been sent, so it cannot be changed, and its feedback is not ready yet. Those
#   pages say so; what matters here is that the person got past the access checks.
# - returns.declaration (GET) on a sent return goes to the check-your-answers page.
# - auth.two_factor / auth.set_up_two_factor are only for someone between their password and
#   their code; anyone else is sent to sign in.
# - reset and invitation links use a token that does not exist: 410, the link has expired.
# - The other partnership's admin gets 200 from pages about their own partnership (its home
#   page, its lists, its new cycle form) and 404 for anything of Testshire's.
GET_OUTCOMES: dict[str, tuple[Outcome, ...]] = {
    # endpoint: (anonymous, respondent_a, respondent_b, reviewer, admin, other_admin, board)
    "audit.organisation_trail": (IN, NO, NO, NO, OK, NF, NO),
    "audit.return_trail": (IN, NO, NO, NO, OK, NF, NO),
    "auth.check_email": (OK, OK, OK, OK, OK, OK, OK),
    "auth.choose_partnership": (IN, OK, OK, OK, OK, OK, OK),
    "auth.forgot_password": (OK, OK, OK, OK, OK, OK, OK),
    "auth.index": (
        IN,
        to("home.respondent"),
        to("home.respondent"),
        to("home.reviewer"),
        to("home.admin"),
        to("home.admin"),
        to("home.board"),
    ),
    "auth.reset_password": (GONE, GONE, GONE, GONE, GONE, GONE, GONE),
    "auth.set_up_two_factor": (IN, IN, IN, IN, IN, IN, IN),
    "auth.sign_in": (OK, OK, OK, OK, OK, OK, OK),
    "auth.two_factor": (IN, IN, IN, IN, IN, IN, IN),
    "challenge.add_action": (IN, NO, NO, NO, OK, NF, NO),
    "challenge.add_panel_member": (IN, NO, NO, NO, OK, NF, NO),
    "challenge.add_to_agenda": (IN, NO, NO, NO, OK, NF, NO),
    "challenge.agenda": (IN, NO, NO, OK, OK, NF, NO),
    "challenge.briefing_pack": (IN, NO, NO, OK, OK, NF, NO),
    "challenge.build_agenda": (IN, NO, NO, NO, OK, NF, NO),
    "challenge.edit": (IN, NO, NO, NO, OK, NF, NO),
    "challenge.index": (IN, NO, NO, OK, OK, OK, NO),
    "challenge.item": (IN, NO, NO, OK, OK, NF, NO),
    "challenge.new": (IN, NO, NO, NO, OK, OK, NO),
    "challenge.show": (IN, NO, NO, OK, OK, NF, NO),
    "cycles.chase": (IN, NO, NO, NO, OK, NF, NO),
    "cycles.letter": (IN, NO, NO, NO, OK, NF, NO),
    "cycles.message": (IN, NO, NO, NO, OK, NF, NO),
    "cycles.new": (IN, NO, NO, NO, OK, OK, NO),
    "cycles.non_compliant": (IN, NO, NO, NO, OK, NF, NO),
    "cycles.non_compliant_file": (IN, NO, NO, NO, OK, NF, NO),
    "cycles.non_returns": (IN, NO, NO, NO, OK, NF, NO),
    "cycles.non_returns_file": (IN, NO, NO, NO, OK, NF, NO),
    "cycles.outbox_list": (IN, NO, NO, NO, OK, OK, NO),
    "cycles.published": (IN, NO, NO, NO, OK, NF, OK),
    "cycles.published_file": (IN, NO, NO, NO, OK, NF, OK),
    "cycles.show": (IN, NO, NO, NO, OK, NF, OK),
    "evidence.download": (IN, OK, NF, OK, OK, NF, NO),
    "health.healthz": (OK, OK, OK, OK, OK, OK, OK),
    "home.admin": (IN, NO, NO, NO, OK, OK, NO),
    "home.board": (IN, NO, NO, NO, NO, NO, OK),
    "home.respondent": (IN, OK, OK, NO, NO, NO, NO),
    "home.reviewer": (IN, NO, NO, OK, OK, OK, NO),
    "jobs.progress": (IN, NO, NO, OK, OK, NF, NO),
    "jobs.status": (IN, NO, NO, OK, OK, NF, NO),
    "organisations.add_agency": (IN, NO, NO, NO, OK, OK, NO),
    "organisations.add_contact": (IN, NO, NO, NO, OK, NF, NO),
    "organisations.detail": (IN, NO, NO, NO, OK, NF, NO),
    "organisations.edit_agency": (IN, NO, NO, NO, OK, NF, NO),
    "organisations.edit_contact": (IN, NO, NO, NO, OK, NF, NO),
    "organisations.import_agencies": (IN, NO, NO, NO, OK, OK, NO),
    "organisations.import_gias": (IN, NO, NO, NO, OK, OK, NO),
    "organisations.import_summary": (IN, NO, NO, NO, OK, NF, NO),
    "organisations.index": (IN, NO, NO, NO, OK, OK, NO),
    "organisations.remove_contact": (IN, NO, NO, NO, OK, NF, NO),
    "organisations.type_mapping": (IN, NO, NO, NO, OK, OK, NO),
    # A person's data: the pages after the search redirect to it until someone has been found.
    "people.download": (IN, NO, NO, NO, to("people.find"), to("people.find"), NO),
    "people.erase": (IN, NO, NO, NO, to("people.find"), to("people.find"), NO),
    "people.find": (IN, NO, NO, NO, OK, OK, NO),
    "people.person": (IN, NO, NO, NO, to("people.find"), to("people.find"), NO),
    "pages.privacy": (OK, OK, OK, OK, OK, OK, OK),
    "reporting.batch": (IN, NO, NO, OK, OK, NF, NO),
    "reporting.batch_download": (IN, NO, NO, OK, OK, NF, NO),
    "reporting.board_summary": (IN, NO, NO, NO, OK, NF, OK),
    "reporting.board_summary_pdf": (IN, NO, NO, NO, OK, NF, OK),
    "reporting.feedback_letter": (IN, NO, NO, OK, OK, NF, NO),
    "reporting.index": (IN, NO, NO, NO, OK, OK, OK),
    "reporting.letters": (IN, NO, NO, OK, OK, NF, NO),
    "reporting.school_feedback": (IN, CONFLICT, NF, CONFLICT, CONFLICT, NF, NO),
    "reporting.themes": (IN, NO, NO, NO, OK, NF, NO),
    "reporting.workbook": (IN, NO, NO, NO, OK, NF, NO),
    "reporting.your_feedback": (IN, OK, OK, NO, NO, NO, NO),
    "returns.check": (IN, OK, NF, OK, OK, NF, NO),
    "returns.copy_pdf": (IN, OK, NF, OK, OK, NF, NO),
    "returns.declaration": (IN, to("returns.check"), NF, to("returns.check"), to("returns.check"), NF, NO),
    "returns.invite_colleague": (IN, OK, NF, NO, OK, NF, NO),
    "returns.section": (IN, OK, NF, OK, OK, NF, NO),
    "returns.sent": (IN, OK, NF, OK, OK, NF, NO),
    "returns.start": (GONE, GONE, GONE, GONE, GONE, GONE, GONE),
    "returns.task_list": (IN, OK, NF, OK, OK, NF, NO),
    "review.accept": (IN, NO, NO, OK, OK, NF, NO),
    "review.action_plan": (IN, OK, NF, OK, OK, NF, NO),
    "review.action_progress": (IN, OK, NF, NO, NO, NO, NO),
    "review.add_action": (IN, NO, NO, OK, OK, NF, NO),
    "review.answer": (IN, OK, NF, NO, NO, NO, NO),
    "review.ask": (IN, NO, NO, OK, OK, NF, NO),
    "review.assign": (IN, NO, NO, NO, OK, NF, NO),
    "review.edit_action": (IN, NO, NO, OK, OK, NF, NO),
    "review.evidence": (IN, NO, NO, OK, OK, NF, NO),
    "review.feedback": (IN, NO, NO, OK, OK, NF, NO),
    "review.overdue_actions": (IN, NO, NO, OK, OK, OK, NO),
    "review.request_changes": (IN, NO, NO, OK, OK, NF, NO),
    "review.respondent_view": (IN, OK, NF, NO, NO, NO, NO),
    "review.show": (IN, NO, NO, OK, OK, NF, NO),
    "review.standard": (IN, NO, NO, OK, OK, NF, NO),
}
POST_OUTCOMES: dict[str, tuple[Outcome, ...]] = {
    # endpoint: (anonymous, respondent_a, respondent_b, reviewer, admin, other_admin, board)
    "auth.choose_partnership": (IN, OK, OK, OK, OK, OK, OK),
    "auth.forgot_password": (OK, OK, OK, OK, OK, OK, OK),
    "auth.reset_password": (GONE, GONE, GONE, GONE, GONE, GONE, GONE),
    "auth.set_up_two_factor": (IN, IN, IN, IN, IN, IN, IN),
    "auth.sign_in": (OK, OK, OK, OK, OK, OK, OK),
    "auth.sign_out": (IN, IN, IN, IN, IN, IN, IN),
    "auth.two_factor": (IN, IN, IN, IN, IN, IN, IN),
    "challenge.add_action": (IN, NO, NO, NO, OK, NF, NO),
    "challenge.add_panel_member": (IN, NO, NO, NO, OK, NF, NO),
    "challenge.add_to_agenda": (IN, NO, NO, NO, OK, NF, NO),
    "challenge.all_briefing_packs": (IN, NO, NO, NO, to("reporting.batch"), NF, NO),
    "challenge.build_agenda": (IN, NO, NO, NO, OK, NF, NO),
    "challenge.change_agenda": (IN, NO, NO, NO, BAD, NF, NO),
    "challenge.edit": (IN, NO, NO, NO, OK, NF, NO),
    "challenge.item": (IN, NO, NO, to("challenge.item"), to("challenge.item"), NF, NO),
    "challenge.new": (IN, NO, NO, NO, OK, OK, NO),
    "challenge.remove_panel_member": (IN, NO, NO, NO, to("challenge.show"), NF, NO),
    "cycles.chase": (IN, NO, NO, NO, OK, NF, NO),
    "cycles.new": (IN, NO, NO, NO, OK, OK, NO),
    "cycles.open_": (IN, NO, NO, NO, to("cycles.show"), NF, NO),
    "cycles.send_due": (IN, NO, NO, NO, to("cycles.outbox_list"), to("cycles.outbox_list"), NO),
    "organisations.add_agency": (IN, NO, NO, NO, OK, OK, NO),
    "organisations.add_contact": (IN, NO, NO, NO, OK, NF, NO),
    "organisations.apply_import": (IN, NO, NO, NO, BAD, BAD, NO),
    "organisations.edit_agency": (IN, NO, NO, NO, OK, NF, NO),
    "organisations.edit_contact": (IN, NO, NO, NO, OK, NF, NO),
    "organisations.import_agencies": (IN, NO, NO, NO, OK, OK, NO),
    "organisations.import_gias": (IN, NO, NO, NO, OK, OK, NO),
    "organisations.remove_contact": (IN, NO, NO, NO, to("organisations.detail"), NF, NO),
    "organisations.type_mapping": (
        IN,
        NO,
        NO,
        NO,
        to("organisations.type_mapping"),
        to("organisations.type_mapping"),
        NO,
    ),
    "people.erase": (IN, NO, NO, NO, to("people.find"), to("people.find"), NO),
    "people.find": (IN, NO, NO, NO, OK, OK, NO),
    "reporting.start_school_feedback": (IN, NO, NO, NO, to("reporting.batch"), NF, NO),
    "reporting.themes": (IN, NO, NO, NO, to("reporting.board_summary"), NF, NO),
    "returns.declaration": (IN, CONFLICT, NF, CONFLICT, CONFLICT, NF, NO),
    "returns.invite_colleague": (IN, OK, NF, NO, OK, NF, NO),
    "returns.section": (IN, CONFLICT, NF, CONFLICT, CONFLICT, NF, NO),
    "returns.start": (GONE, GONE, GONE, GONE, GONE, GONE, GONE),
    "review.accept": (IN, NO, NO, to("review.show"), to("review.show"), NF, NO),
    "review.action_progress": (IN, OK, NF, NO, NO, NO, NO),
    "review.add_action": (IN, NO, NO, OK, OK, NF, NO),
    "review.answer": (IN, OK, NF, NO, NO, NO, NO),
    "review.ask": (IN, NO, NO, OK, OK, NF, NO),
    "review.assign": (IN, NO, NO, NO, OK, NF, NO),
    "review.edit_action": (IN, NO, NO, OK, OK, NF, NO),
    "review.evidence": (IN, NO, NO, to("review.standard"), to("review.standard"), NF, NO),
    "review.feedback": (IN, NO, NO, to("review.show"), to("review.show"), NF, NO),
    "review.request_changes": (IN, NO, NO, CONFLICT, CONFLICT, NF, NO),
    "review.standard": (IN, NO, NO, OK, OK, NF, NO),
}


# The matrix's tables, by method. A method with no table here (PUT, PATCH, DELETE) has no rows,
# so any endpoint that answers it fails the check below until a table is added.
OUTCOMES: dict[str, dict[str, tuple[Outcome, ...]]] = {"GET": GET_OUTCOMES, "POST": POST_OUTCOMES}
# Answered for every GET endpoint by Werkzeug and Flask themselves: HEAD runs the GET view
# and drops the body (so the GET row covers it), OPTIONS lists the methods without running a view.
AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint not in EXEMPT]


def _missing_rows(rules) -> list[str]:
    """Every method each rule answers that has no row saying what each person gets."""
    problems = []
    for rule in rules:
        for method in sorted(rule.methods - AUTOMATIC_METHODS):
            if rule.endpoint not in OUTCOMES.get(method, {}):
                problems.append(
                    f"{rule.endpoint} ({method} {rule.rule}) has no row in the access matrix: add one to "
                    f"{method}_OUTCOMES in tests/integration/test_access_matrix.py saying what each of "
                    f"{', '.join(ROLES)} gets, adding that table to OUTCOMES if it is new "
                    "(or list the endpoint in EXEMPT, with the reason)"
                )
    return problems


def test_an_endpoint_answering_put_patch_or_delete_needs_rows_too():
    rules = [
        Rule("/returns/<int:return_id>", endpoint="returns.task_list", methods=["GET", "DELETE"]),
        Rule("/things/<int:thing_id>", endpoint="things.update", methods=["PUT", "PATCH"]),
    ]
    assert [problem.split(" has no row")[0] for problem in _missing_rows(rules)] == [
        "returns.task_list (DELETE /returns/<int:return_id>)",
        "things.update (PATCH /things/<int:thing_id>)",
        "things.update (PUT /things/<int:thing_id>)",
    ]


def test_every_endpoint_has_a_row_in_the_matrix(app):
    problems = _missing_rows(_rules(app))
    served = {(rule.endpoint, method) for rule in _rules(app) for method in rule.methods}
    for method, table in OUTCOMES.items():
        for endpoint, row in table.items():
            if (endpoint, method) not in served:
                problems.append(
                    f"{method}_OUTCOMES has a row for {endpoint}, which no longer answers {method}"
                )
            if len(row) != len(ROLES):
                problems.append(f"{method}_OUTCOMES[{endpoint!r}] needs one outcome for each of {ROLES}")
    assert not problems, "\n".join(problems)


def _addresses(app, world) -> dict[str, str]:
    values = world.url_values()
    addresses = {}
    with app.test_request_context():
        for rule in _rules(app):
            given = {**values, **SPECIAL_VALUES.get(rule.endpoint, lambda _: {})(world.ours)}
            addresses[rule.endpoint] = url_for(
                rule.endpoint, **{name: given[name] for name in rule.arguments}
            )
    return addresses


def _outcome(app, response) -> Outcome:
    response.close()  # a file sent from disk stays open until the response is closed, as a server would
    if response.status_code in (301, 302, 303):
        path = urlsplit(response.headers["Location"]).path
        if path == "/sign-in":
            return IN
        endpoint, _ = app.url_map.bind("audit.test").match(path, method="GET")
        return to(endpoint)
    return response.status_code


def _refusal_problems(response, got: Outcome, world) -> list[str]:
    """A refusal is a page saying so, and it names nobody's organisation."""
    if got not in REFUSAL_HEADINGS:
        return []
    page = soup(response)
    heading = page.h1.get_text(strip=True) if page.h1 else ""
    problems = []
    if heading != REFUSAL_HEADINGS[got]:
        problems.append(f"its page says {heading!r}, not {REFUSAL_HEADINGS[got]!r}")
    if world.a.organisation.name in page.get_text():
        problems.append(f"the refusal names {world.a.organisation.name}")
    return problems


def _not_theirs(world: World, role: str) -> list[str]:
    """Words that only pages about someone else's data contain: what ``role`` must never be shown.

    Organisation A's distinctive words for B's respondent; for the other partnership's admin,
    those and everything else of Testshire's. Legitimately shared, so not listed: for B's
    respondent, Testshire's own name, its cycle, its reviewer and its business unit (their return
    is in the same cycle, reviewed by the same people); for either, words that the fixture gives
    every partnership alike ("Lee Lead", "Jo Scrutineer", "County Hall", the cycle's name, the
    questionnaire's wording).
    """
    ours, users = world.ours, world.users

    def side_words(side) -> list[str]:
        name = side.organisation.name
        return [
            name,
            side.audit_return.reference,
            f"lead{side.organisation.id}@school.example",  # its contact
            f"chair{side.organisation.id}@school.example",  # the chair's letter
            f"{name} records policy.pdf",  # its evidence
            f"How do pupils at {name} raise a worry?",  # the reviewer's question
            f"{name} to review its records policy",  # its action
        ]

    words = [*side_words(world.a), users["respondent_a"].name, users["respondent_a"].email]
    if role == "other_admin":
        words += [*side_words(world.b), ours.partnership.name, "Testshire Constabulary"]
        words += [
            f"{ours.partnership.name} Youth Justice Service",
            f"{ours.partnership.name} challenge panel",
        ]
        words += [user.name for key, user in users.items() if key != "other_admin"]
        words += [user.email for key, user in users.items() if key != "other_admin"]
    return words


def _leaks(response, words: list[str]) -> list[str]:
    """The words of ``words`` that a 200 response shows."""
    if not (response.mimetype.startswith("text/") or response.mimetype == "application/json"):
        return [f"a {response.mimetype} download, which this check cannot read"]
    body = response.get_data(as_text=True)
    return [
        f"the page shows {word!r}"
        for word in words
        if re.search(rf"(?<![\w.]){re.escape(word)}(?![\w])", body)
    ]


# Whose 200 pages are read for other people's data: the people who share an installation or a
# partnership with organisation A without being allowed its data.
LEAK_CHECKED = {"respondent_b", "other_admin"}


@pytest.mark.parametrize("role", ROLES)
def test_each_person_gets_what_the_matrix_says(app, client, tmp_path, role):
    world = build_world(tmp_path)
    sign_in_as(client, world, role)
    addresses = _addresses(app, world)
    column = ROLES.index(role)
    mismatches = []

    not_theirs = _not_theirs(world, role) if role in LEAK_CHECKED else []
    leak_checked = 0

    def check(method: str, endpoint: str, response) -> None:
        nonlocal leak_checked
        expected = OUTCOMES[method][endpoint][column]
        where = f"{method} {addresses[endpoint]} ({endpoint})"
        if response.status_code == OK and not_theirs:
            leak_checked += 1
            mismatches.extend(f"{where}: {problem}" for problem in _leaks(response, not_theirs))
        got = _outcome(app, response)
        if got != expected:
            mismatches.append(f"{where}: expected {expected}, got {got}")
        mismatches.extend(f"{where}: {problem}" for problem in _refusal_problems(response, got, world))

    for endpoint in sorted(GET_OUTCOMES):
        check("GET", endpoint, client.get(addresses[endpoint]))
    token = client.csrf_token("/sign-in")
    for method in sorted(OUTCOMES.keys() - {"GET", "POST"}):  # PUT, PATCH, DELETE once they have tables
        for endpoint in sorted(OUTCOMES[method]):
            check(
                method, endpoint, client.open(addresses[endpoint], method=method, data={"csrf_token": token})
            )
    for endpoint in sorted(POST_OUTCOMES, key=lambda name: name == "auth.sign_out"):
        check("POST", endpoint, client.post(addresses[endpoint], data={"csrf_token": token}))
    if not_theirs:
        # The words are really on A's pages, as A's admin sees them, or the check proves nothing.
        assert leak_checked >= 10

    assert not mismatches, f"{len(mismatches)} outcomes differ from the matrix for {role}:\n" + "\n".join(
        mismatches
    )
