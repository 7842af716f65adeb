"""Object-level access: changing an id in an address or a form never reaches someone else's data.

A respondent of organisation A who puts organisation B's return, evidence,
action or question into an address, and a business-unit admin (or reviewer,
or board viewer) who puts another partnership's objects into one, gets 404
("Page not found"): never the data, never a 500, never a 403 that would
confirm the object exists. The sweeps take every endpoint with an id in its
address from the URL map, and swap the ids one at a time and all together.
Ids sent in form fields are checked one by one below.
"""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import AgendaItem, Evidence, ImportRun, PanelMember, Return, ReturnStatus, User

from ..support.access import build_world, sign_in_as
from ..support.client import soup
from ..support.returns import post_page, section_path
from .test_access_matrix import GET_OUTCOMES, GONE, IN, NF, NO, POST_OUTCOMES, ROLES, SPECIAL_VALUES

ID_PARAMETERS = {
    "return_id",
    "evidence_id",
    "question_id",
    "action_id",
    "organisation_id",
    "contact_id",
    "item_id",
    "cycle_id",
    "event_id",
    "member_id",
    "message_id",
    "job_id",
    "run_id",
}


def _reaches_the_view(table, endpoint: str, role: str) -> bool:
    """Whether, with its own objects in the address, this person gets past the access rule."""
    return table[endpoint][ROLES.index(role)] not in (IN, NO, NF, GONE)


def _swaps(ours: dict, theirs: dict, arguments) -> list[dict]:
    """Each id parameter swapped alone, and (when there are several) all of them together."""
    swappable = [name for name in sorted(arguments) if name in ID_PARAMETERS and ours[name] != theirs[name]]
    swaps = [{name: theirs[name]} for name in swappable]
    if len(swappable) > 1:
        swaps.append({name: theirs[name] for name in swappable})
    return swaps


def _sweep(app, client, world, role: str, objects, side, their_words: list[str]) -> tuple[int, list[str]]:
    """Every endpoint this person reaches, with the other side's ids put into its address."""
    ours_values = world.url_values()
    their_values = world.url_values(objects=objects, side=side)
    problems, tried = [], 0
    token = client.csrf_token("/sign-in")
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint):
        endpoint = rule.endpoint
        special = SPECIAL_VALUES.get(endpoint, lambda _: {})
        ours = {**ours_values, **special(world.ours)}
        theirs = {**their_values, **special(objects)}
        for swap in _swaps(ours, theirs, rule.arguments):
            with app.test_request_context():
                address = url_for(endpoint, **{name: {**ours, **swap}[name] for name in rule.arguments})
            for method, table in (("GET", GET_OUTCOMES), ("POST", POST_OUTCOMES)):
                if method not in rule.methods or not _reaches_the_view(table, endpoint, role):
                    continue
                if method == "GET":
                    response = client.get(address)
                else:
                    response = client.post(address, data={"csrf_token": token})
                response.close()
                tried += 1
                where = f"{method} {address} ({endpoint}, {', '.join(swap)} swapped)"
                if response.status_code != 404:
                    problems.append(f"{where}: expected 404, got {response.status_code}")
                    continue
                page = soup(response)
                if page.h1 is None or page.h1.get_text(strip=True) != "Page not found":
                    problems.append(f"{where}: the 404 page does not say 'Page not found'")
                problems.extend(
                    f"{where}: the page shows {word!r}" for word in their_words if word in page.get_text()
                )
    return tried, problems


def test_a_respondent_cannot_reach_another_organisations_objects_by_their_ids(app, client, tmp_path):
    world = build_world(tmp_path)
    sign_in_as(client, world, "respondent_a")
    tried, problems = _sweep(app, client, world, "respondent_a", world.ours, world.b, ["Brookside"])
    assert tried >= 15  # every page of a return, its evidence, its questions, the action plan
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ["respondent_a", "reviewer", "admin", "board"])
def test_no_one_reaches_another_partnerships_objects_by_their_ids(app, client, tmp_path, role):
    world = build_world(tmp_path)
    sign_in_as(client, world, role)
    tried, problems = _sweep(app, client, world, role, world.theirs, world.c, ["Otterbrook", "Otherton"])
    assert tried >= {"respondent_a": 15, "reviewer": 40, "admin": 80, "board": 5}[role]
    assert not problems, "\n".join(problems)


# ---- ids in form fields -------------------------------------------------------------------------


def _error_summary(response) -> list[str]:
    return [link.get_text(strip=True) for link in soup(response).select(".govuk-error-summary a")]


def test_an_admin_cannot_apply_another_partnerships_import(app, client, tmp_path):
    world = build_world(tmp_path)
    sign_in_as(client, world, "admin")
    token = client.csrf_token(f"/organisations/imports/{world.ours.run_id}")
    response = client.post(
        "/organisations/import/apply", data={"csrf_token": token, "import_run_id": str(world.theirs.run_id)}
    )
    assert response.status_code == 404
    assert "Otherton" not in response.get_data(as_text=True)
    assert db.session.get(ImportRun, world.theirs.run_id).applied_at is None


def test_an_admin_cannot_take_another_partnerships_organisation_off_its_agenda(app, client, tmp_path):
    world = build_world(tmp_path)
    sign_in_as(client, world, "admin")
    agenda = f"/challenge/{world.ours.event_id}/agenda"
    token = client.csrf_token(agenda)
    response = client.post(agenda + "/change", data={"csrf_token": token, "remove": str(world.c.item_id)})
    # A real token, then the id of another partnership's agenda item: the agenda is shown
    # again, saying the organisation is not on it, and nothing is removed anywhere.
    page = client.get(response.headers["Location"])
    assert "That organisation is no longer on the agenda" in page.get_data(as_text=True)
    assert "Otterbrook" not in page.get_data(as_text=True)
    assert db.session.get(AgendaItem, world.c.item_id) is not None
    for command in ("up", "down"):
        client.post(agenda + "/change", data={"csrf_token": token, command: str(world.c.item_id)})
    assert db.session.get(AgendaItem, world.c.item_id).position == 1


def test_an_admin_cannot_put_another_partnerships_organisation_on_the_agenda(app, client, tmp_path):
    world = build_world(tmp_path)
    sign_in_as(client, world, "admin")
    db.session.delete(db.session.get(AgendaItem, world.b.item_id))  # so the form is offered
    db.session.commit()
    response = client.submit(
        f"/challenge/{world.ours.event_id}/agenda/add",
        {"organisation_id": str(world.c.organisation.id), "note": "Please discuss"},
    )
    assert response.status_code == 200
    assert _error_summary(response) == ["Select an organisation to add to the agenda"]
    assert "Otterbrook" not in response.get_data(as_text=True)
    on_agenda = db.session.scalars(
        select(AgendaItem.organisation_id).where(AgendaItem.event_id == world.ours.event_id)
    ).all()
    assert world.c.organisation.id not in on_agenda


def test_an_admin_cannot_hold_an_event_about_another_partnerships_cycle(app, client, tmp_path):
    world = build_world(tmp_path)
    sign_in_as(client, world, "admin")
    fields = {
        "title": "Panel",
        "cycle_id": str(world.theirs.cycle_id),
        "starts_on": ["1", "9", "2030"],
        "starts_time": "10am",
        "place": "County Hall",
    }
    for path in ("/challenge/new", f"/challenge/{world.ours.event_id}/edit"):
        response = client.submit(path, fields)
        assert response.status_code == 200
        assert "Select the audit cycle the event is about" in _error_summary(response)
        assert "Otherton" not in response.get_data(as_text=True)


def test_an_admin_cannot_put_someone_from_another_partnership_on_the_panel(app, client, tmp_path):
    world = build_world(tmp_path)
    sign_in_as(client, world, "admin")
    response = client.submit(
        f"/challenge/{world.ours.event_id}/panel/add",
        {"user_id": str(world.theirs.reviewer.id), "name": "", "panel_role": "Chair"},
    )
    members = db.session.scalars(
        select(PanelMember.user_id).where(PanelMember.event_id == world.ours.event_id)
    ).all()
    assert world.theirs.reviewer.id not in members
    assert world.theirs.reviewer.name not in response.get_data(as_text=True)


def test_an_admin_cannot_assign_another_partnerships_reviewer(app, client, tmp_path):
    world = build_world(tmp_path)
    sign_in_as(client, world, "admin")
    response = client.submit(
        f"/review/returns/{world.a.audit_return.id}/reviewer", {"reviewer": str(world.theirs.reviewer.id)}
    )
    assert response.status_code == 200
    assert _error_summary(response)
    assert world.theirs.reviewer.name not in response.get_data(as_text=True)
    assert db.session.get(Return, world.a.audit_return.id).reviewer_id == world.ours.reviewer.id


def test_a_respondent_cannot_choose_a_partnership_they_do_not_work_in(app, client, tmp_path):
    world = build_world(tmp_path)
    sign_in_as(client, world, "respondent_a")
    response = client.submit("/partnership", {"partnership": str(world.theirs.partnership.id)})
    assert response.status_code == 200
    assert _error_summary(response) == ["Select a partnership"]
    assert "Otherton" not in response.get_data(as_text=True)
    assert client.get("/returns").status_code == 200  # still working in Testshire


def test_a_respondent_cannot_remove_another_organisations_evidence_through_their_own_form(
    app, client, tmp_path
):
    world = build_world(tmp_path)
    sign_in_as(client, world, "respondent_a")
    world.a.audit_return.status = ReturnStatus.CHANGES_REQUESTED  # open again, so the form is offered
    db.session.commit()
    for evidence_id in (world.b.evidence_id, world.c.evidence_id):
        response = post_page(
            client,
            section_path(world.a.audit_return, "records"),
            {"records.register--remove": str(evidence_id)},
            {"later": "Save and come back later"},
        )
        assert response.status_code in (200, 302)
        assert db.session.get(Evidence, evidence_id) is not None
    assert db.session.get(Evidence, world.a.evidence_id) is not None


# ---- what PostgreSQL would refuse ---------------------------------------------------------------


def test_an_id_too_large_for_the_database_is_not_found(app, client, tmp_path):
    world = build_world(tmp_path)
    sign_in_as(client, world, "admin")
    for path in ("/returns/99999999999", "/cycles/99999999999", "/evidence/99999999999"):
        response = client.get(path)
        assert response.status_code == 404
        assert soup(response).h1.get_text(strip=True) == "Page not found"
    token = client.csrf_token(f"/organisations/imports/{world.ours.run_id}")
    for run_id in ("99999999999", "²"):
        response = client.post(
            "/organisations/import/apply", data={"csrf_token": token, "import_run_id": run_id}
        )
        assert response.status_code == 400
    for query in ("99999999999", "²"):
        assert client.get(f"/organisations?q={query}").status_code == 200


def test_characters_no_page_can_show_are_taken_out_of_what_is_sent(app, client, tmp_path):
    world = build_world(tmp_path)
    sign_in_as(client, world, "admin")
    item = f"/challenge/{world.ours.event_id}/agenda/{world.a.item_id}"
    response = client.submit(
        item, {"challenge_notes": "Ask about\x00 the\x0b policy", "organisation_response": ""}
    )
    assert response.status_code == 302
    assert db.session.get(AgendaItem, world.a.item_id).challenge_notes == "Ask about the policy"
    assert client.get("/organisations?q=Abbey%00").status_code == 200


def test_an_admin_cannot_find_export_or_erase_another_partnerships_people(app, client, tmp_path):
    """An email address names a person as an id names an object: another partnership's people are not found."""
    world = build_world(tmp_path)
    sign_in_as(client, world, "other_admin")
    respondent = world.users["respondent_a"]
    for email in (respondent.email, f"lead{world.a.organisation.id}@school.example"):
        page = soup(client.submit("/people", {"email": email}))
        assert page.title.get_text(strip=True).startswith("Error: ")
        assert "Ann Abbey" not in page.get_text() and "Lee Lead" not in page.get_text()
        for path in ("/people/person", "/people/person/data.json", "/people/person/erase"):
            assert client.get(path).headers["Location"] == "/people"
    token = client.csrf_token("/people")
    assert client.post("/people/person/erase", data={"csrf_token": token}).headers["Location"] == "/people"
    assert db.session.get(User, respondent.id).active
