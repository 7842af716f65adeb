"""The task list of a return, and who may open a return at all."""

from audit_app.models import OrganisationKind, Role

from ..support.client import soup
from ..support.factories import PASSWORD, make_organisation, make_partnership, make_user
from ..support.returns import (
    COMPLETE_ANSWERS,
    open_test_cycle,
    respondent_for,
    return_of,
    save_section,
    school_return,
    section_path,
)


def statuses(response) -> dict[str, str]:
    page = soup(response)
    rows = {}
    for item in page.select("#sections-1, .govuk-task-list__item"):
        name = item.select_one(".govuk-task-list__name-and-hint a, .govuk-task-list__name-and-hint div")
        status = item.select_one(".govuk-task-list__status")
        if name is not None and status is not None:
            rows[name.get_text(strip=True)] = status.get_text(" ", strip=True)
    return rows


def test_task_list_shows_each_section_for_the_duty_with_its_status(client):
    audit_return = school_return(make_partnership())
    client.sign_in(respondent_for(audit_return).email, PASSWORD)

    page = client.get(f"/returns/{audit_return.id}")
    assert page.status_code == 200
    assert soup(page).h1.get_text(strip=True) == "Test safeguarding self-assessment for schools"
    assert statuses(page) == {
        "Setting details": "Not started",
        "Safeguarding culture": "Not started",
        "Records and transfer": "Not started",
        "Check your answers and send the return": "Cannot send yet",
    }
    text = soup(page).get_text(" ", strip=True)
    assert "You have completed 0 of 3 sections." in text
    assert audit_return.cycle.initial_deadline.strftime("%B %Y") in text
    assert "Academy trust arrangements" not in text  # an s157-only section


def test_sections_move_from_not_started_to_in_progress_to_completed(client):
    audit_return = school_return(make_partnership())
    client.sign_in(respondent_for(audit_return).email, PASSWORD)

    save_section(client, audit_return, "culture", {"culture.listening": "yes"}, later=True)
    save_section(client, audit_return, "setting", COMPLETE_ANSWERS["setting"])

    page = client.get(f"/returns/{audit_return.id}")
    assert statuses(page)["Setting details"] == "Completed"
    assert statuses(page)["Safeguarding culture"] == "In progress"
    assert statuses(page)["Records and transfer"] == "Not started"
    assert "You have completed 1 of 3 sections." in soup(page).get_text(" ", strip=True)
    assert "4 questions still to answer" in soup(page).get_text(" ", strip=True)


def test_an_academy_sees_the_sections_for_academies(client):
    audit_return = school_return(make_partnership(), duty="s157")
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    page = client.get(f"/returns/{audit_return.id}")
    assert "Academy trust arrangements" in statuses(page)
    assert "You have completed 0 of 4 sections." in soup(page).get_text(" ", strip=True)


def test_respondent_home_links_each_return_to_its_task_list(client):
    audit_return = school_return(make_partnership())
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    home = soup(client.get("/returns"))
    link = home.select_one("tbody a")
    assert link["href"] == f"/returns/{audit_return.id}"
    assert link.get_text(" ", strip=True).startswith("Abbey Fields Primary School")


def test_another_organisations_return_is_not_found(client):
    partnership = make_partnership()
    school = make_organisation(partnership, "Our School")
    other = make_organisation(partnership, "Another School")
    cycle = open_test_cycle(partnership, [school, other])
    mine, theirs = return_of(school, cycle), return_of(other, cycle)
    client.sign_in(respondent_for(mine).email, PASSWORD)

    assert client.get(f"/returns/{mine.id}").status_code == 200
    for path in (
        f"/returns/{theirs.id}",
        section_path(theirs, "setting"),
        f"/returns/{theirs.id}/check",
        f"/returns/{theirs.id}/declaration",
        f"/returns/{theirs.id}/copy.pdf",
        f"/returns/{theirs.id + 1000}",
    ):
        assert client.get(path).status_code == 404, path
    posted = client.post(section_path(theirs, "setting"), data={"setting.pupils": "12"})
    assert posted.status_code == 404


def test_a_return_of_another_partnership_is_not_found_for_its_reviewers(client):
    audit_return = school_return(make_partnership(slug="here"))
    elsewhere = make_partnership("Elsewhere Partnership", slug="elsewhere")
    reviewer = make_user(Role.REVIEWER, elsewhere)
    client.sign_in(reviewer.email, PASSWORD)
    assert client.get(f"/returns/{audit_return.id}").status_code == 404


def test_reviewers_and_admins_view_a_return_without_forms(client):
    audit_return = school_return(make_partnership())
    for role in (Role.REVIEWER, Role.ADMIN):
        user = make_user(role, audit_return.cycle.partnership)
        client.sign_in(user.email, PASSWORD)
        task_list = client.get(f"/returns/{audit_return.id}")
        assert task_list.status_code == 200
        assert "You are viewing this return" in soup(task_list).get_text(" ", strip=True)
        section = client.get(section_path(audit_return, "setting"))
        assert section.status_code == 200
        assert soup(section).select("form input[name='setting.pupils']") == []
        assert soup(section).select_one(".govuk-summary-list") is not None
        refused = client.post(section_path(audit_return, "setting"), data={"setting.pupils": "3"})
        assert refused.status_code == 409
        assert soup(refused).h1.get_text(strip=True) == "You can only view this return"
        client.sign_out()


def test_board_viewers_may_not_open_a_return(client):
    audit_return = school_return(make_partnership())
    board = make_user(Role.BOARD_VIEWER, audit_return.cycle.partnership)
    client.sign_in(board.email, PASSWORD)
    assert client.get(f"/returns/{audit_return.id}").status_code == 403
    assert client.get(section_path(audit_return, "setting")).status_code == 403


def test_a_section_that_does_not_apply_to_the_duty_is_not_found(client):
    audit_return = school_return(make_partnership())
    client.sign_in(respondent_for(audit_return).email, PASSWORD)
    assert client.get(section_path(audit_return, "academies")).status_code == 404
    assert client.get(section_path(audit_return, "no-such-section")).status_code == 404


def test_an_agency_respondent_of_the_same_partnership_cannot_see_a_school_return(client):
    partnership = make_partnership()
    audit_return = school_return(partnership)
    agency = make_organisation(partnership, "Demoshire Police", kind=OrganisationKind.AGENCY)
    police = make_user(Role.RESPONDENT, partnership, agency)
    client.sign_in(police.email, PASSWORD)
    assert client.get(f"/returns/{audit_return.id}").status_code == 404
