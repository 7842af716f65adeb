"""The register's pages: the list and its filters, an organisation, the type mapping, and who may see them."""

from __future__ import annotations

from datetime import date

import pytest

from audit_app.data import organisations as register
from audit_app.extensions import db
from audit_app.models import ContactRole, OrganisationKind, OrganisationStatus, Role

from ..support.client import soup
from ..support.factories import PASSWORD, make_organisation, make_partnership, make_user


@pytest.fixture
def partnership(app):
    return make_partnership("Demoshire Safeguarding Children Partnership")


@pytest.fixture
def admin(client, partnership):
    user = make_user(Role.ADMIN, partnership)
    client.sign_in(user.email, PASSWORD)
    return user


def names(page) -> list[str]:
    return [row.select_one("td, th").get_text(strip=True) for row in page.select("tbody tr")]


def listed(client, query: str = "") -> list[str]:
    return names(soup(client.get(f"/organisations{query}")))


@pytest.fixture
def register_of_four(partnership):
    make_organisation(partnership, "Abbey Fields Primary School", urn=120101)
    make_organisation(partnership, "Oakbridge Infant School", urn=120112, status=OrganisationStatus.CLOSED)
    make_organisation(partnership, "demchester college", kind=OrganisationKind.COLLEGE, urn=130001)
    make_organisation(
        partnership, "Demoshire Constabulary", kind=OrganisationKind.AGENCY, agency_type="police"
    )
    make_organisation(make_partnership("Elsewhere"), "Not Ours Primary School", urn=199999)
    db.session.commit()


@pytest.mark.usefixtures("register_of_four")
def test_the_register_lists_the_partnerships_organisations_by_name(client, admin):
    page = soup(client.get("/organisations"))
    assert page.h1.get_text(strip=True) == "Organisation register"
    assert names(page) == [
        "Abbey Fields Primary School",
        "demchester college",
        "Demoshire Constabulary",
        "Oakbridge Infant School",
    ]
    assert page.select_one("#register-count").get_text(strip=True) == "4 organisations"
    kinds = [option.get_text(strip=True) for option in page.select("#kind option")]
    assert kinds == ["All (4)", "Agencies (1)", "Schools (2)", "Colleges (1)"]
    first = [cell.get_text(" ", strip=True) for cell in page.select("tbody tr")[0].select("td, th")]
    assert first == [
        "Abbey Fields Primary School",
        "School",
        "120101",
        "Section 175 (maintained school)",
        "Open",
    ]


@pytest.mark.usefixtures("register_of_four")
def test_the_register_filters_by_kind_status_and_name_or_urn_and_sorts(client, admin):
    assert listed(client, "?kind=agency") == ["Demoshire Constabulary"]
    assert listed(client, "?kind=school&status=open") == ["Abbey Fields Primary School"]
    assert listed(client, "?status=closed") == ["Oakbridge Infant School"]
    assert listed(client, "?q=DEM") == ["demchester college", "Demoshire Constabulary"]
    assert listed(client, "?q=120112") == ["Oakbridge Infant School"]
    assert listed(client, "?q=%25") == []
    assert listed(client, "?sort=-name")[0] == "Oakbridge Infant School"
    # A value that is not offered (an old bookmark, an edited link) is ignored.
    assert len(listed(client, "?kind=ship&status=sunk&sort=size")) == 4
    empty = soup(client.get("/organisations?q=zzz"))
    assert empty.select_one("#register-count").get_text(strip=True) == "No organisations match these filters."
    assert [
        o.get_text(strip=True) for o in soup(client.get("/organisations?q=dem")).select("#kind option")
    ] == [
        "All (2)",
        "Agencies (1)",
        "Schools (0)",
        "Colleges (1)",
    ]


def test_a_register_of_more_than_100_is_paged(client, admin, partnership):
    for n in range(105):
        make_organisation(partnership, f"School {n:03d}")
    db.session.commit()
    page = soup(client.get("/organisations?kind=school"))
    assert len(names(page)) == 100
    assert (
        page.select_one("#register-count").get_text(" ", strip=True)
        == "Showing 1 to 100 of 105 organisations"
    )
    assert page.select_one(".govuk-pagination__next a")["href"] == "/organisations?kind=school&page=2"
    second = soup(client.get("/organisations?kind=school&page=2"))
    assert names(second) == ["School 100", "School 101", "School 102", "School 103", "School 104"]
    assert second.select_one(".govuk-pagination__next") is None
    assert names(soup(client.get("/organisations?kind=school&page=99"))) == names(second)


def test_an_organisation_shows_its_gias_details_duty_contacts_and_history(client, admin, partnership):
    academy = make_organisation(partnership, "Demchester Academy", urn=150420, duty="s157")
    school = make_organisation(
        partnership,
        "Demchester High School",
        urn=120108,
        la_code="990",
        la_name="Demoshire",
        establishment_number="4001",
        type_code="01",
        type_name="Community school",
        phase="Secondary",
        low_age=11,
        high_age=16,
        pupils=1204,
        trust_name="Demoshire Learning Trust",
        trust_code="5001",
        opened_on=date(1972, 9, 1),
        status=OrganisationStatus.CLOSED,
        closed_on=date(2024, 8, 31),
        close_reason="Academy converter",
        street="1 High Street",
        town="Demchester",
        postcode="DM1 1AA",
    )
    elsewhere = make_organisation(make_partnership("Elsewhere"), "Old Demchester School", urn=100100)
    elsewhere.successor = school
    school.successor = academy
    contact = register.add_contact(
        school, "Dr Mark Hadley", "head@demchester.example", ContactRole.ESCALATION, "Headteacher"
    )
    db.session.commit()

    page = soup(client.get(f"/organisations/{school.id}"))
    details = {
        row.select_one("dt").get_text(strip=True): " ".join(
            row.select_one("dd").get_text(" ", strip=True).split()
        )
        for row in page.select(".govuk-summary-list__row")
    }
    assert details["Status"] == "Closed on 31 August 2024 (Academy converter)"
    assert details["LAESTAB"] == "9904001"
    assert details["Type of establishment"] == "01 Community school"
    assert details["Age range"] == "11 to 16"
    assert details["Number of pupils"] == "1,204"
    assert details["Trust"] == "Demoshire Learning Trust (5001)"
    assert (
        details["Duty"] == "Section 175 of the Education Act 2002: the governing body of a maintained school"
    )
    assert details["Questionnaire"] == "Schools questionnaire (section 175 and section 157)"
    assert details["Carried on from"] == "Old Demchester School (URN 100100)"
    assert details["Carried on by"] == "Demchester Academy (URN 150420)"
    assert page.select_one(f"a[href='/organisations/{academy.id}']").get_text(strip=True) == (
        "Demchester Academy (URN 150420)"
    )
    assert page.select_one(f"a[href='/organisations/{elsewhere.id}']") is None  # not this partnership's
    change = page.select_one(f"a[href='/organisations/{school.id}/contacts/{contact.id}']")
    assert change.get_text(" ", strip=True) == "Change Dr Mark Hadley"


def test_an_agency_shows_its_type_and_a_change_link(client, admin, partnership):
    agency = make_organisation(
        partnership, "Demoshire Constabulary", kind=OrganisationKind.AGENCY, agency_type="police"
    )
    page = soup(client.get(f"/organisations/{agency.id}"))
    rows = {r.select_one("dt").get_text(strip=True): r for r in page.select(".govuk-summary-list__row")}
    assert rows["Type of agency"].select_one("dd").get_text(strip=True) == "Police force"
    assert rows["Type of agency"].select_one("a")["href"] == f"/organisations/{agency.id}/edit"
    assert (
        rows["Questionnaire"].select_one("dd").get_text(strip=True) == "Section 11 questionnaire for agencies"
    )
    assert "No contacts yet" in page.get_text()


def test_the_type_mapping_shows_defaults_and_saves_changes(client, admin, partnership):
    page = soup(client.get("/organisations/type-mapping"))
    assert page.select_one("#type_24 option[selected]")["value"] == "none"
    secure_units = page.select_one("#type_24").find_parent("tr")
    assert [c.get_text(" ", strip=True) for c in secure_units.select("th, td")][:3] == [
        "24",
        "Secure units",
        "Not audited",
    ]
    saved = client.submit("/organisations/type-mapping", {"type_24": "s175", "type_29": "none"})
    assert saved.headers["Location"] == "/organisations/type-mapping"
    db.session.refresh(partnership)
    assert partnership.type_duty_overrides == {"24": "s175"}
    after = soup(client.get("/organisations/type-mapping"))
    assert "The mapping has been saved." in after.get_text()
    assert "Changed" in after.select_one("#type_24").find_parent("tr").get_text()
    assert after.select_one("#type_24 option[selected]")["value"] == "s175"
    refused = client.submit("/organisations/type-mapping", {"type_24": "s11"})
    assert [a.get_text(strip=True) for a in soup(refused).select(".govuk-error-summary a")] == [
        "Select a duty, or not audited"
    ]


PAGES = [
    "/organisations",
    "/organisations/{id}",
    "/organisations/{id}/edit",
    "/organisations/{id}/contacts/new",
    "/organisations/agencies/new",
    "/organisations/type-mapping",
    "/organisations/import",
    "/organisations/import-agencies",
]


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.BOARD_VIEWER, Role.RESPONDENT])
def test_only_the_business_unit_may_open_the_register(client, partnership, role):
    agency = make_organisation(
        partnership, "Demoshire Constabulary", kind=OrganisationKind.AGENCY, agency_type="police"
    )
    user = make_user(role, partnership, agency if role is Role.RESPONDENT else None)
    client.sign_in(user.email, PASSWORD)
    for path in PAGES:
        assert client.get(path.format(id=agency.id)).status_code == 403, path
    assert client.post("/organisations/import/apply", data={}).status_code in (400, 403)


def test_another_partnerships_organisation_is_not_found(client, admin):
    theirs = make_organisation(
        make_partnership("Elsewhere"), "Theirs", kind=OrganisationKind.AGENCY, agency_type="gp"
    )
    contact = register.add_contact(theirs, "Someone", "someone@example.org", ContactRole.LEAD)
    db.session.commit()
    for path in [*PAGES[1:4], f"/organisations/{{id}}/contacts/{contact.id}"]:
        assert client.get(path.format(id=theirs.id)).status_code == 404, path


def test_another_partnerships_import_is_not_found(client, admin):
    from audit_app.data import imports

    run = imports.record_run(
        make_partnership("Elsewhere"), "agencies", "a.csv", "0" * 64, {}, user_id=None, dry_run=True
    )
    db.session.commit()
    assert client.get(f"/organisations/imports/{run.id}").status_code == 404
