"""An admin exports or erases a person's data from the web, within their partnership."""

import json

from sqlalchemy import select

from audit_app.data import organisations, people
from audit_app.extensions import db
from audit_app.models import AuditLogEntry, ContactRole, Role, User

from ..support.client import soup
from ..support.factories import PASSWORD, make_organisation, make_partnership, make_user

EMAIL = "nadia.kowalski@oakbridge.example"


def a_partnership_with_nadia():
    """Nadia answers for Oakbridge in Demoshire and is its lead contact; Elsewhere has a school of its own."""
    demoshire = make_partnership("Demoshire Safeguarding Children Partnership")
    elsewhere = make_partnership("Elsewhere Safeguarding Children Partnership")
    school = make_organisation(demoshire, "Oakbridge Primary School")
    theirs = make_organisation(elsewhere, "Elsewhere Primary School")
    nadia = make_user(Role.RESPONDENT, demoshire, school, email=EMAIL, name="Nadia Kowalski")
    organisations.add_contact(school, "Nadia Kowalski", EMAIL, ContactRole.LEAD, position="DSL")
    admin = make_user(Role.ADMIN, demoshire, email="admin@demoshire.example", name="Ada Admin")
    db.session.commit()
    return demoshire, elsewhere, school, theirs, nadia, admin


def link(page, text: str):
    return next((a for a in page.find_all("a") if a.get_text(strip=True) == text), None)


def find(client, email: str):
    return client.submit("/people", {"email": email})


def test_an_admin_downloads_what_the_partnership_holds_about_a_person(client):
    *_, theirs, _, admin = a_partnership_with_nadia()
    # Nadia is also a contact of a school Demoshire does not audit: not Demoshire's to hand over.
    organisations.add_contact(theirs, "Nadia Kowalski", EMAIL, ContactRole.ESCALATION)
    db.session.commit()
    client.sign_in(admin.email, PASSWORD)
    home = soup(client.get("/business-unit"))
    assert home.find("a", string="A person’s data: download or erase it")["href"] == "/people"
    found = find(client, EMAIL.upper())
    assert found.status_code == 302 and found.headers["Location"] == "/people/person"
    page = soup(client.get("/people/person"))
    assert page.h1.get_text(strip=True) == "Nadia Kowalski"
    assert link(page, "Download their data")["href"] == "/people/person/data.json"
    download = client.get("/people/person/data.json")
    assert download.mimetype == "application/json"
    assert "attachment" in download.headers["Content-Disposition"]
    data = json.loads(download.get_data(as_text=True))
    assert data["email"] == EMAIL
    assert data["account"]["name"] == "Nadia Kowalski"
    assert data["account"]["roles"] == [
        {
            "role": "Organisation respondent",
            "partnership": "Demoshire Safeguarding Children Partnership",
            "organisation": "Oakbridge Primary School",
        }
    ]
    assert [c["organisation"] for c in data["contacts"]] == ["Oakbridge Primary School"]


def test_an_admin_erases_a_person_who_then_cannot_sign_in(client):
    _, _, school, _, nadia, admin = a_partnership_with_nadia()
    client.sign_in(admin.email, PASSWORD)
    find(client, EMAIL)
    assert link(soup(client.get("/people/person")), "Erase their data")["href"] == "/people/person/erase"
    page = soup(client.get("/people/person/erase"))
    assert page.h1.get_text(strip=True) == "Erase Nadia Kowalski’s data"
    assert "This cannot be undone" in page.get_text()
    erased = client.submit("/people/person/erase", {})
    assert erased.status_code == 302 and erased.headers["Location"] == "/people"
    assert "Their data has been erased." in soup(client.get("/people")).get_text()

    assert "Nadia" not in soup(client.get(f"/organisations/{school.id}")).get_text()
    trail = soup(client.get(f"/audit/organisations/{school.id}")).get_text()
    assert "Nadia" not in trail and EMAIL not in trail
    [erasure] = db.session.scalars(select(AuditLogEntry).where(AuditLogEntry.entity_type == "person")).all()
    assert (erasure.action, erasure.entity_id, erasure.user_id) == ("erase", nadia.id, admin.id)
    assert "Nadia" not in json.dumps(erasure.new_value)
    # Erased: the address is not found any more, and the person cannot sign in.
    assert "No one with this email address" in soup(find(client, EMAIL)).get_text()
    client.sign_out()
    refused = client.submit("/sign-in", {"email": EMAIL, "password": PASSWORD})
    assert refused.status_code == 200
    assert db.session.get(User, nadia.id).active is False


def test_someone_also_known_to_another_partnership_is_left_to_the_operator(client):
    _, elsewhere, _, theirs, nadia, admin = a_partnership_with_nadia()
    people.grant_role(nadia, Role.RESPONDENT, elsewhere, organisation_id=theirs.id)
    db.session.commit()
    client.sign_in(admin.email, PASSWORD)
    find(client, EMAIL)
    person = soup(client.get("/people/person"))
    assert link(person, "Erase their data") is None
    assert f"flask people erase {EMAIL}" in person.get_text()
    for response in (
        client.get("/people/person/erase"),
        client.post("/people/person/erase", data={"csrf_token": client.csrf_token("/people")}),
    ):
        assert response.status_code == 409
        assert f"flask people erase {EMAIL}" in soup(response).get_text()
    assert db.session.get(User, nadia.id).name == "Nadia Kowalski"
    # The download holds only what Demoshire holds.
    data = json.loads(client.get("/people/person/data.json").get_data(as_text=True))
    assert [r["partnership"] for r in data["account"]["roles"]] == [
        "Demoshire Safeguarding Children Partnership"
    ]


def test_an_admin_cannot_erase_themselves(client):
    *_, admin = a_partnership_with_nadia()
    client.sign_in(admin.email, PASSWORD)
    find(client, admin.email)
    response = client.get("/people/person/erase")
    assert response.status_code == 409
    assert "You cannot erase your own data" in soup(response).get_text()
    assert db.session.get(User, admin.id).active


def test_only_people_of_the_partnership_can_be_found(client):
    _, elsewhere, _, theirs, _, admin = a_partnership_with_nadia()
    stranger = make_user(
        Role.RESPONDENT, elsewhere, theirs, email="owen@elsewhere.example", name="Owen Other"
    )
    client.sign_in(admin.email, PASSWORD)
    page = soup(find(client, stranger.email))
    assert page.title.get_text(strip=True).startswith("Error: ")
    assert "No one with this email address holds a role in this partnership" in page.get_text()
    assert client.get("/people/person").headers["Location"] == "/people"
    assert client.get("/people/person/data.json").headers["Location"] == "/people"
    assert "Owen" not in page.get_text()
