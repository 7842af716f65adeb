"""Agencies and contacts: importing the partnership's list, adding and changing by hand."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from audit_app.data import organisations as register
from audit_app.extensions import db
from audit_app.models import Contact, ContactRole, Organisation, OrganisationKind, Role

from ..support.client import soup
from ..support.factories import PASSWORD, make_organisation, make_partnership, make_user
from ..support.registers import SAMPLE_AGENCIES, agencies_file, keep_imports_in, upload


@pytest.fixture(autouse=True)
def imports_dir(app, tmp_path):
    return keep_imports_in(app, tmp_path)


@pytest.fixture
def partnership(app):
    return make_partnership("Demoshire Safeguarding Children Partnership")


@pytest.fixture
def admin(client, partnership):
    user = make_user(Role.ADMIN, partnership)
    client.sign_in(user.email, PASSWORD)
    return user


def check(client, data: bytes, name: str = "agencies.csv"):
    return client.submit(
        "/organisations/import-agencies", {"file": upload(data, name)}, content_type="multipart/form-data"
    )


def summary(client, response):
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return soup(client.get(response.headers["Location"]))


def counts(page) -> dict[str, str]:
    return {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(strip=True)
        for row in page.select(".govuk-summary-list__row")
    }


def apply(client, page):
    token = page.select_one("input[name=csrf_token]")["value"]
    run_id = page.select_one("input[name=import_run_id]")["value"]
    return client.post("/organisations/import/apply", data={"csrf_token": token, "import_run_id": run_id})


def errors(response) -> list[str]:
    return [a.get_text(strip=True) for a in soup(response).select(".govuk-error-summary a")]


def agencies() -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.kind == OrganisationKind.AGENCY)
            .order_by(Organisation.name)
        )
    )


def test_the_agency_list_is_checked_then_applied(client, admin, partnership):
    page = summary(client, check(client, SAMPLE_AGENCIES.read_bytes()))
    assert page.h1.get_text(strip=True) == "Check the agency import"
    assert counts(page)["New agencies"] == "17"
    assert agencies() == []
    applied = apply(client, page)
    assert applied.headers["Location"] == "/organisations?kind=agency"
    register_page = soup(client.get(applied.headers["Location"]))
    assert "The list of agencies has been imported: 17 new, 0 updated." in register_page.get_text()
    assert "17 organisations" in register_page.select_one("#register-count").get_text()
    police = next(a for a in agencies() if a.name == "Demoshire Constabulary")
    assert (police.duty, police.agency_type) == ("s11", "police")
    assert {(c.role, c.name) for c in police.contacts} == {
        (ContactRole.LEAD, "Detective Inspector Priya Natarajan"),
        (ContactRole.ESCALATION, "Assistant Chief Constable Martin Hale"),
    }


def test_a_second_import_updates_contacts_by_name_without_duplicates(client, admin):
    apply(client, summary(client, check(client, SAMPLE_AGENCIES.read_bytes())))
    changed = agencies_file(
        "demoshire  constabulary,police,DS Tom Reed,tom.reed@demoshire-police.example,"
        "Assistant Chief Constable Martin Hale,martin.hale@demoshire-police.example",
        "Demoshire Youth Justice Service,local_authority_childrens,Kieran Walsh,kieran.walsh@demoshire-cc.example,,",
        "Lowmoor Women’s Aid,voluntary,Ruth Ames,ruth@lowmoor-aid.example,,",
    )
    page = summary(client, check(client, changed))
    assert counts(page) == {
        "New agencies": "1",
        "Updated": "2",
        "Unchanged": "0",
        "In the register but not in the file (left as they are)": "15",
        "Errors": "0",
    }
    text = " ".join(page.get_text(" ", strip=True).split())
    assert (
        "Lead contact: Detective Inspector Priya Natarajan (priya.natarajan@demoshire-police.example) → "
        "DS Tom Reed (tom.reed@demoshire-police.example)" in text
    )
    assert "Agency type: Youth justice service → Local authority children's services" in text
    apply(client, page)
    police = next(a for a in agencies() if a.name == "Demoshire Constabulary")
    assert [(c.role.value, c.name) for c in police.contacts] == [
        ("lead", "DS Tom Reed"),
        ("escalation", "Assistant Chief Constable Martin Hale"),
    ]
    assert len(agencies()) == 18


def test_an_agency_list_with_errors_names_row_and_column_and_is_not_applied(client, admin):
    bad = agencies_file("Demoshire Constabulary,polise,DI Natarajan,priya@police.example,,", ",icb,,,,")
    page = summary(client, check(client, bad))
    assert "Nothing will be imported" in page.select_one(".govuk-warning-text").get_text()
    rows = [[c.get_text(strip=True) for c in r.select("td, th")] for r in page.select("#errors tbody tr")]
    assert rows[0][:3] == ["agencies.csv", "2", "agency_type"]
    assert rows[0][3].startswith("“polise” is not an agency type")
    assert rows[1] == ["agencies.csv", "3", "name", "Enter the agency’s name."]
    assert page.select_one("input[name=import_run_id]") is None
    assert agencies() == []


def test_a_file_without_the_agency_columns_is_refused_on_the_form(client, admin):
    response = check(client, b"organisation,email\r\nPolice,p@example.org\r\n")
    assert response.status_code == 200
    assert errors(response) == [
        "This is not a list of agencies: its first row has none of the columns “name”, “agency_type”"
    ]


def test_an_agency_is_added_by_hand_with_a_unique_name(client, admin, partnership):
    assert errors(client.submit("/organisations/agencies/new", {"name": " ", "agency_type": ""})) == [
        "Enter the agency’s name",
        "Select the type of agency",
    ]
    added = client.submit(
        "/organisations/agencies/new", {"name": "Demoshire  Fire and Rescue", "agency_type": "other"}
    )
    agency = agencies()[0]
    assert added.headers["Location"] == f"/organisations/{agency.id}"
    assert (agency.name, agency.agency_type, agency.duty) == ("Demoshire Fire and Rescue", "other", "s11")
    again = client.submit(
        "/organisations/agencies/new", {"name": "demoshire fire and rescue", "agency_type": "other"}
    )
    assert errors(again) == ["An agency called demoshire fire and rescue is already in the register"]
    assert len(agencies()) == 1


def test_an_agencys_name_and_type_can_be_changed(client, admin, partnership):
    agency = make_organisation(
        partnership, "Demoshire Police", kind=OrganisationKind.AGENCY, agency_type="police"
    )
    page = soup(client.get(f"/organisations/{agency.id}/edit"))
    assert page.select_one("#name")["value"] == "Demoshire Police"
    assert page.select_one("#agency_type option[selected]")["value"] == "police"
    saved = client.submit(
        f"/organisations/{agency.id}/edit", {"name": "Demoshire Constabulary", "agency_type": "police"}
    )
    assert saved.headers["Location"] == f"/organisations/{agency.id}"
    db.session.refresh(agency)
    assert agency.name == "Demoshire Constabulary"


def test_a_school_cannot_be_edited_as_an_agency(client, admin, partnership):
    school = make_organisation(partnership, "Abbey Fields Primary School")
    assert client.get(f"/organisations/{school.id}/edit").status_code == 404


def test_contacts_are_added_changed_and_removed(client, admin, partnership):
    school = make_organisation(partnership, "Abbey Fields Primary School")
    path = f"/organisations/{school.id}/contacts/new"
    assert errors(client.submit(path, {"name": "", "email": "not-an-email", "role": ""})) == [
        "Enter the contact’s full name",
        "Enter an email address in the correct format, like name@example.org",
        "Select what this contact is for",
    ]
    added = client.submit(
        path, {"name": "Nadia Kowalski", "email": "DSL@Abbey.example", "position": "DSL", "role": "lead"}
    )
    assert added.headers["Location"] == f"/organisations/{school.id}"
    detail = soup(client.get(added.headers["Location"]))
    assert "Nadia Kowalski has been saved as a contact." in detail.get_text()
    row = [c.get_text(" ", strip=True) for c in detail.select("tbody tr")[0].select("td, th")]
    assert row[:4] == ["Nadia Kowalski", "dsl@abbey.example", "DSL", "Lead"]

    contact = db.session.scalars(select(Contact)).one()
    clash = client.submit(path, {"name": "N Kowalski", "email": "dsl@abbey.example", "role": "lead"})
    assert errors(clash) == [
        "Nadia Kowalski already has this email address as a lead contact of this organisation"
    ]

    edit = f"/organisations/{school.id}/contacts/{contact.id}"
    assert soup(client.get(edit)).select_one("input[name=role][checked]")["value"] == "lead"
    client.submit(
        edit,
        {"name": "Nadia Kowalski", "email": "dsl@abbey.example", "position": "Head", "role": "escalation"},
    )
    db.session.refresh(contact)
    assert (contact.role, contact.position) == (ContactRole.ESCALATION, "Head")

    remove = f"/organisations/{school.id}/contacts/{contact.id}/remove"
    assert soup(client.get(remove)).h1.get_text(strip=True) == "Remove Nadia Kowalski"
    removed = client.submit(remove, {})
    assert removed.headers["Location"] == f"/organisations/{school.id}"
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 0


def test_a_contact_of_another_organisation_is_not_found(client, admin, partnership):
    ours = make_organisation(partnership, "Ours")
    theirs = make_organisation(partnership, "Also ours")
    contact = register.add_contact(theirs, "Someone", "someone@example.org", ContactRole.LEAD)
    db.session.commit()
    assert client.get(f"/organisations/{ours.id}/contacts/{contact.id}").status_code == 404
    assert client.get(f"/organisations/{ours.id}/contacts/{contact.id}/remove").status_code == 404
