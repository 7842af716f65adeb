from audit_app.data import people
from audit_app.extensions import db
from audit_app.models import OrganisationKind, ReturnStatus, Role

from ..support.client import soup
from ..support.factories import (
    PASSWORD,
    make_cycle,
    make_organisation,
    make_partnership,
    make_user,
    set_status,
)


def test_person_in_two_partnerships_chooses_one_and_gets_the_roles_held_there(client):
    north = make_partnership("Northshire Safeguarding Children Partnership")
    south = make_partnership("Southshire Safeguarding Children Partnership")
    user = make_user(Role.ADMIN, north)
    people.grant_role(user, Role.BOARD_VIEWER, south)
    db.session.commit()

    client.sign_in(user.email, PASSWORD)
    assert client.get("/").headers["Location"] == "/partnership"
    choices = [
        label.get_text(strip=True)
        for label in soup(client.get("/partnership")).select(".govuk-radios__label")
    ]
    assert choices == [
        "Northshire Safeguarding Children Partnership",
        "Southshire Safeguarding Children Partnership",
    ]

    client.submit("/partnership", {"partnership": south.id})
    assert client.get("/").headers["Location"] == "/board"
    assert client.get("/business-unit").status_code == 403

    client.submit("/partnership", {"partnership": north.id})
    assert client.get("/business-unit").status_code == 200


def test_choosing_a_partnership_one_holds_no_role_in_is_refused(client):
    mine = make_partnership("Mine")
    theirs = make_partnership("Theirs")
    other = make_partnership("Other")
    user = make_user(Role.ADMIN, mine)
    people.grant_role(user, Role.ADMIN, other)
    db.session.commit()
    client.sign_in(user.email, PASSWORD)
    response = client.submit("/partnership", {"partnership": theirs.id})
    assert response.status_code == 200
    errors = [a.get_text(strip=True) for a in soup(response).select(".govuk-error-summary a")]
    assert errors == ["Select a partnership"]
    assert client.get("/").headers["Location"] == "/partnership"


def test_respondent_sees_only_their_own_organisations_returns(client):
    partnership = make_partnership()
    oakbridge = make_organisation(partnership, "Oakbridge Primary School")
    fenwick = make_organisation(partnership, "Fenwick Market Academy", duty="s157")
    make_cycle(partnership, [oakbridge, fenwick], name="Schools safeguarding audit 2026")
    user = make_user(Role.RESPONDENT, partnership, oakbridge)
    client.sign_in(user.email, PASSWORD)
    page = soup(client.get("/returns"))
    rows = page.select("tbody tr")
    assert [row.select_one("th").get_text(strip=True) for row in rows] == ["Oakbridge Primary School"]
    assert rows[0].select_one(".govuk-tag").get_text(strip=True) == "Not started"
    assert "Schools safeguarding audit 2026" in rows[0].select_one("td a").get_text()


def test_business_unit_home_counts_returns_by_status_in_its_partnership_only(client):
    partnership = make_partnership()
    elsewhere = make_partnership("Elsewhere")
    schools = [make_organisation(partnership, f"School {n}") for n in range(4)]
    foreign = make_organisation(elsewhere, "Not ours")
    cycle = make_cycle(partnership, [*schools, foreign])
    returns = sorted(cycle_returns(cycle), key=lambda r: r.id)
    set_status(returns[0], ReturnStatus.SUBMITTED)
    set_status(returns[1], ReturnStatus.IN_PROGRESS)
    admin = make_user(Role.ADMIN, partnership)
    client.sign_in(admin.email, PASSWORD)
    page = soup(client.get("/business-unit"))
    summary = {
        row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
        for row in page.select(".govuk-summary-list__row")
    }
    assert summary["Returned"] == "1 of 4 (25%)"
    table = {
        row.th.get_text(strip=True): row.select("td")[0].get_text(strip=True)
        for row in page.select("tbody tr")
    }
    assert table == {
        "Not started": "2",
        "In progress": "1",
        "Submitted": "1",
        "Changes requested": "0",
        "Accepted": "0",
    }
    assert "4 open organisations" in page.get_text(" ", strip=True)


def test_reviewer_home_lists_submitted_returns(client):
    partnership = make_partnership()
    agency = make_organisation(partnership, "Demoshire Constabulary", kind=OrganisationKind.AGENCY)
    school = make_organisation(partnership, "Oakbridge Primary School")
    cycle = make_cycle(partnership, [agency, school])
    submitted = next(r for r in cycle_returns(cycle) if r.organisation_id == agency.id)
    set_status(submitted, ReturnStatus.SUBMITTED)
    reviewer = make_user(Role.REVIEWER, partnership)
    client.sign_in(reviewer.email, PASSWORD)
    page = soup(client.get("/review"))
    names = [row.th.get_text(strip=True) for row in page.select("tbody tr")]
    assert names == ["Demoshire Constabulary"]


def cycle_returns(cycle):
    from sqlalchemy import select

    from audit_app.models import Return

    return list(db.session.scalars(select(Return).where(Return.cycle_id == cycle.id)))
