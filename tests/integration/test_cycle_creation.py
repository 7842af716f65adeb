from datetime import date
from pathlib import Path

from audit_app.cycles.questionnaire_files import shipped
from audit_app.extensions import db
from audit_app.models import AuditCycle, CycleStatus, OrganisationKind, OrganisationStatus, Return, Role

from ..support.client import soup
from ..support.cycles import FILES, date_fields, organisation_with_contacts, signed_in_admin
from ..support.factories import PASSWORD, make_organisation, make_partnership, make_user

OPENS, INITIAL, FINAL = date(2026, 9, 1), date(2026, 10, 30), date(2026, 11, 27)


def form(**changes) -> dict:
    data = {
        "name": "Section 11 audit 2026",
        "s11_questionnaire": FILES["s11"],
        "schools_questionnaire": "none",
        "fe_questionnaire": "none",
        "kinds": ["agency"],
        "reminder_days": "14, 7, 1",
        "reminder_every_days": "7",
        "chase_days": "14",
        "letter_days": "1",
        **date_fields("opens_on", OPENS),
        **date_fields("initial_deadline", INITIAL),
        **date_fields("final_deadline", FINAL),
    }
    data.update(changes)
    return data


def errors(response) -> list[str]:
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    return [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")]


def test_a_valid_form_creates_a_draft_cycle_with_its_schedule_and_questionnaire_copy(client):
    partnership = make_partnership()
    signed_in_admin(client, partnership)
    response = client.submit("/cycles/new", form(reminder_days="21, 7", chase_days="3, 10"))
    assert response.status_code == 302
    cycle = db.session.scalar(db.select(AuditCycle))
    assert response.headers["Location"] == f"/cycles/{cycle.id}"
    assert cycle.status is CycleStatus.DRAFT
    assert (cycle.opens_on, cycle.initial_deadline, cycle.final_deadline) == (OPENS, INITIAL, FINAL)
    assert cycle.reminder_schedule == {
        "reminder_days": [21, 7],
        "reminder_every_days": 7,
        "chase_days": [3, 10],
        "letter_days": 1,
    }
    assert cycle.audience["kinds"] == ["agency"]
    [chosen] = cycle.questionnaires
    assert chosen.duty == "s11"
    assert chosen.questionnaire_version.source_name == FILES["s11"]
    assert "Senior management" in chosen.questionnaire_version.source_text
    assert db.session.scalar(db.select(db.func.count(Return.id))) == 0  # nothing until it opens


def test_the_form_starts_with_the_partnerships_reminder_days(client):
    partnership = make_partnership(reminder_days=[10, 3])
    signed_in_admin(client, partnership)
    page = soup(client.get("/cycles/new"))
    assert page.select_one("#reminder_days")["value"] == "10, 3"
    assert page.select_one("#reminder_every_days")["value"] == "7"


def test_missing_dates_are_asked_for_by_name(client):
    signed_in_admin(client, make_partnership())
    response = client.submit(
        "/cycles/new",
        form(
            **date_fields("opens_on", None),
            **date_fields("initial_deadline", None),
            **date_fields("final_deadline", None),
        ),
    )
    assert errors(response) == [
        "Enter the date the cycle opens",
        "Enter the initial deadline",
        "Enter the final deadline",
    ]
    assert db.session.scalar(db.select(db.func.count(AuditCycle.id))) == 0


def test_incomplete_and_impossible_dates_get_precise_messages(client):
    signed_in_admin(client, make_partnership())
    response = client.submit(
        "/cycles/new",
        form(
            opens_on=["1", "", "2026"],
            initial_deadline=["31", "2", "2026"],
            final_deadline=["1", "12", "26"],
        ),
    )
    assert errors(response) == [
        "The date the cycle opens must include a month",
        "The initial deadline must be a real date",
        "Year must include 4 numbers",
    ]
    # What was typed is shown again, to correct.
    page = soup(response)
    assert page.select_one("#initial_deadline-day")["value"] == "31"
    assert "govuk-input--error" in page.select_one("#opens_on-month")["class"]


def test_deadlines_must_run_in_order(client):
    signed_in_admin(client, make_partnership())
    early = client.submit("/cycles/new", form(**date_fields("initial_deadline", date(2026, 8, 31))))
    assert errors(early) == ["The initial deadline must be the same as or after the date the cycle opens"]
    late = client.submit("/cycles/new", form(**date_fields("final_deadline", date(2026, 10, 29))))
    assert errors(late) == ["The final deadline must be the same as or after the initial deadline"]
    same_day = client.submit(
        "/cycles/new", form(**date_fields("initial_deadline", OPENS), **date_fields("final_deadline", OPENS))
    )
    assert same_day.status_code == 302


def test_each_kind_asked_needs_a_questionnaire(client):
    signed_in_admin(client, make_partnership())
    response = client.submit("/cycles/new", form(kinds=["agency", "school"], s11_questionnaire="none"))
    assert errors(response) == [
        "Select a questionnaire for agencies, or take agencies out of who is asked",
        "Select a questionnaire for schools, or take schools out of who is asked",
    ]
    nothing = client.submit("/cycles/new", form(s11_questionnaire="", kinds=[]))
    assert errors(nothing) == [
        "Select a questionnaire for agencies, or that agencies are not in this cycle",
        "Select who is asked for a return",
    ]
    assert db.session.scalar(db.select(db.func.count(AuditCycle.id))) == 0


def test_an_organisation_added_by_name_needs_a_questionnaire_for_its_duty(client):
    partnership = make_partnership()
    college = make_organisation(partnership, "Fenwick College", OrganisationKind.COLLEGE)
    signed_in_admin(client, partnership)
    response = client.submit("/cycles/new", form(organisation_ids=[str(college.id)]))
    assert errors(response) == [
        "Select a questionnaire for the duty of Fenwick College (college), or do not add it by name"
    ]
    # The list it sits in is opened, so the error summary's link reaches it.
    assert soup(response).select_one("details[open] #organisation_ids") is not None


def test_bad_reminder_days_are_explained(client):
    signed_in_admin(client, make_partnership())
    response = client.submit("/cycles/new", form(reminder_days="two weeks", reminder_every_days="-1"))
    assert errors(response) == [
        "Enter reminder days as whole numbers separated by commas, like 14, 7, 1",
        "Reminders after the initial deadline must be 60 days apart or fewer",
    ]


def test_a_questionnaire_that_is_not_offered_is_refused(client):
    signed_in_admin(client, make_partnership())
    response = client.submit("/cycles/new", form(s11_questionnaire="../../etc/passwd"))
    assert errors(response) == ["Select a questionnaire for agencies, or that agencies are not in this cycle"]


def test_the_draft_shows_who_is_asked_and_who_cannot_be_invited(client):
    partnership = make_partnership()
    police = organisation_with_contacts(partnership, "Demoshire Police")
    no_lead = organisation_with_contacts(partnership, "Leadless Trust", lead=None)
    closed = organisation_with_contacts(partnership, "Closed Council", status=OrganisationStatus.CLOSED)
    school = organisation_with_contacts(partnership, "Oakbridge School", OrganisationKind.SCHOOL)
    elsewhere = organisation_with_contacts(make_partnership("Other"), "Elsewhere Police")
    signed_in_admin(client, partnership)
    response = client.submit("/cycles/new", form())
    page = soup(client.get(response.headers["Location"]))
    assert page.h1.get_text(strip=True) == "Section 11 audit 2026"
    assert "2 organisations will be asked for a return." in page.get_text(" ", strip=True)
    names = [row.th.get_text(strip=True) for row in page.select("tbody tr")]
    assert names == ["Demoshire Police", "Leadless Trust"]
    for absent in (closed, school, elsewhere):
        assert absent.name not in names
    warning = page.select_one(".govuk-warning-text").get_text(" ", strip=True)
    assert "1 organisations have no lead contact" in warning
    link = page.find("a", string=f"Add a lead contact for {no_lead.name}")
    assert link["href"] == f"/organisations/{no_lead.id}"
    assert page.find("button", string=lambda s: s and "Open the cycle" in s) is not None
    assert police.name in page.get_text()


def test_a_cycle_can_be_run_jointly_with_a_partnership_the_admin_also_runs(client):
    north = make_partnership("Northshire Safeguarding Children Partnership")
    south = make_partnership("Southshire Safeguarding Children Partnership")
    make_partnership("Westshire Safeguarding Children Partnership")
    admin = signed_in_admin(client, north)
    from audit_app.data import people

    people.grant_role(admin, Role.ADMIN, south)
    db.session.commit()
    client.submit("/partnership", {"partnership": north.id})
    page = soup(client.get("/cycles/new"))
    offered = [
        label.get_text(strip=True) for label in page.select("#joint_with ~ label, [name=joint_with] + label")
    ]
    assert offered == ["Southshire Safeguarding Children Partnership"]
    response = client.submit("/cycles/new", form(joint_with=[str(south.id)]))
    cycle = db.session.get(AuditCycle, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert {p.name for p in cycle.partnerships} == {north.name, south.name}
    assert cycle.partnership_id == north.id


def test_only_the_business_unit_creates_cycles(client):
    partnership = make_partnership()
    for role in (Role.REVIEWER, Role.BOARD_VIEWER):
        user = make_user(role, partnership)
        client.sign_in(user.email, PASSWORD)
        assert client.get("/cycles/new").status_code == 403
        assert client.post("/cycles/new", data=form()).status_code in (400, 403)
        client.sign_out()
    assert client.get("/cycles/new").status_code == 302  # signed out: to the sign-in page


def test_only_valid_questionnaire_files_are_offered_each_with_the_text_it_was_read_from(app, tmp_path):
    shipped_folder = Path(app.root_path).parent / "questionnaires"
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    good = (shipped_folder / "fe-colleges-2025.1.yaml").read_text(encoding="utf-8")
    (folder / "colleges.yaml").write_text(good, encoding="utf-8")
    (folder / "broken.yaml").write_text("id: broken\nsections: [\n", encoding="utf-8")
    (folder / "not-utf8.yaml").write_bytes(b"id: caf\xe9\n")
    app.config["QUESTIONNAIRES_DIR"] = str(folder)

    offered = shipped()
    assert [file.file_name for file in offered] == ["colleges.yaml"]
    assert offered[0].text == good
