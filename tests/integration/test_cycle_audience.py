"""Who a cycle asks for a return: an audience chosen on the new-cycle form by kind, by GIAS
establishment type, by local authority and by hand, checked on the dashboard once opened."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from audit_app.extensions import db
from audit_app.models import AuditCycle, OrganisationKind, OrganisationStatus, Return

from ..support.client import soup
from ..support.cycles import FILES, date_fields, organisation_with_contacts, signed_in_admin
from ..support.factories import make_partnership

TODAY = date.today()
COMMUNITY, ACADEMY, FE = ("01", "Community school"), ("28", "Academy converter"), ("18", "Further education")
DEMOSHIRE, EXAMPLETON = ("990", "Demoshire"), ("991", "Exampleton")


@pytest.fixture
def register(app):
    """A school of each type in each LA, a closed school, a college and an agency."""
    partnership = make_partnership(la_codes=["990", "991"])

    def school(name, kind_of, area, **more):
        return organisation_with_contacts(
            partnership,
            name,
            more.pop("kind", OrganisationKind.SCHOOL),
            type_code=kind_of[0],
            type_name=kind_of[1],
            la_code=area[0],
            la_name=area[1],
            **more,
        )

    found = {
        "abbey": school("Abbey Community Primary School", COMMUNITY, DEMOSHIRE),
        "brook": school("Brook Academy", ACADEMY, DEMOSHIRE, duty="s157"),
        "cedar": school("Cedar Community School", COMMUNITY, EXAMPLETON),
        "dale": school("Dale Academy", ACADEMY, EXAMPLETON, duty="s157"),
        "elm": school("Elm Primary School", COMMUNITY, DEMOSHIRE, status=OrganisationStatus.CLOSED),
        "fenwick": school("Fenwick College", FE, DEMOSHIRE, kind=OrganisationKind.COLLEGE, duty="fe"),
        "police": organisation_with_contacts(partnership, "Demoshire Police", agency_type="police"),
    }
    return partnership, found


def cycle_form(**changes) -> dict:
    data = {
        "name": "Schools safeguarding audit 2026",
        "s11_questionnaire": "none",
        "schools_questionnaire": FILES["schools"],
        "fe_questionnaire": FILES["fe"],
        "kinds": ["school"],
        "reminder_days": "14, 7, 1",
        "reminder_every_days": "7",
        "chase_days": "14",
        "letter_days": "1",
        **date_fields("opens_on", TODAY),
        **date_fields("initial_deadline", TODAY + timedelta(days=30)),
        **date_fields("final_deadline", TODAY + timedelta(days=60)),
    }
    data.update(changes)
    return data


def create_and_open(client, **changes) -> AuditCycle:
    response = client.submit("/cycles/new", cycle_form(**changes))
    assert response.status_code == 302, soup(response).select(".govuk-error-summary a")
    path = response.headers["Location"]
    opened = client.post(f"{path}/open", data={"csrf_token": client.csrf_token(path)})
    assert opened.headers["Location"] == path
    return db.session.get(AuditCycle, int(path.rsplit("/", 1)[1]))


def dashboard_names(client, cycle) -> list[str]:
    """The organisations listed on the opened cycle's dashboard, as shown."""
    page = soup(client.get(f"/cycles/{cycle.id}"))
    table = next(t for t in page.select("table") if "organisations shown" in t.caption.get_text())
    return [a.get_text(strip=True) for a in table.select("tbody a[href^='/organisations/']")]


def returns_for(cycle) -> set[int]:
    db.session.expire_all()
    return set(db.session.scalars(db.select(Return.organisation_id).where(Return.cycle_id == cycle.id)))


def test_the_form_offers_the_registers_types_and_local_authorities(client, register):
    partnership, _found = register
    signed_in_admin(client, partnership)
    page = soup(client.get("/cycles/new"))
    labels = {
        name: [
            page.find("label", attrs={"for": box["id"]}).get_text(strip=True)
            for box in page.select(f"[name={name}]")
        ]
        for name in ("type_codes", "la_codes")
    }
    assert labels == {
        "type_codes": ["Academy converter (28)", "Community school (01)", "Further education (18)"],
        "la_codes": ["Demoshire (990)", "Exampleton (991)"],
    }


def test_an_audience_by_establishment_type_asks_only_schools_of_that_type(client, register):
    partnership, found = register
    signed_in_admin(client, partnership)
    cycle = create_and_open(client, type_codes=["01"])
    assert dashboard_names(client, cycle) == ["Abbey Community Primary School", "Cedar Community School"]
    assert returns_for(cycle) == {found["abbey"].id, found["cedar"].id}  # the closed Elm is not asked


def test_an_audience_by_local_authority_asks_schools_and_colleges_there_only(client, register):
    partnership, found = register
    signed_in_admin(client, partnership)
    cycle = create_and_open(client, kinds=["school", "college"], la_codes=["990"])
    assert dashboard_names(client, cycle) == [
        "Abbey Community Primary School",
        "Brook Academy",
        "Fenwick College",
    ]
    assert returns_for(cycle) == {found["abbey"].id, found["brook"].id, found["fenwick"].id}


def test_type_and_local_authority_together_ask_schools_that_meet_both(client, register):
    partnership, found = register
    signed_in_admin(client, partnership)
    cycle = create_and_open(client, type_codes=["28"], la_codes=["991"])
    assert dashboard_names(client, cycle) == ["Dale Academy"]
    assert returns_for(cycle) == {found["dale"].id}


def test_hand_picked_organisations_are_asked_whatever_the_filters_say(client, register):
    partnership, found = register
    signed_in_admin(client, partnership)
    picked = [str(found["dale"].id), str(found["fenwick"].id)]
    cycle = create_and_open(client, type_codes=["01"], la_codes=["990"], organisation_ids=picked)
    assert dashboard_names(client, cycle) == [
        "Abbey Community Primary School",
        "Dale Academy",
        "Fenwick College",
    ]
    assert returns_for(cycle) == {found["abbey"].id, found["dale"].id, found["fenwick"].id}


def test_an_audience_of_hand_picked_organisations_only(client, register):
    partnership, found = register
    signed_in_admin(client, partnership)
    cycle = create_and_open(
        client,
        kinds=[],
        s11_questionnaire=FILES["s11"],
        organisation_ids=[str(found["police"].id), str(found["brook"].id)],
    )
    assert dashboard_names(client, cycle) == ["Brook Academy", "Demoshire Police"]
    assert returns_for(cycle) == {found["police"].id, found["brook"].id}


def test_a_closed_school_cannot_be_hand_picked(client, register):
    partnership, found = register
    signed_in_admin(client, partnership)
    response = client.submit("/cycles/new", cycle_form(organisation_ids=[str(found["elm"].id)]))
    assert [a.get_text(strip=True) for a in soup(response).select(".govuk-error-summary a")] == [
        "Select from the options shown; the page may be out of date"
    ]
    assert db.session.scalar(db.select(db.func.count(AuditCycle.id))) == 0
