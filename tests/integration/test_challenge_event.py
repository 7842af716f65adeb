"""A challenge event: creating it with its panel, what the panel records at the event,
the briefing packs, and who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest

from audit_app.data import challenge
from audit_app.extensions import db
from audit_app.models import ActionItem, AgendaItem, ChallengeEvent, Job, Role
from audit_app.reporting.batches import zip_path

from ..support.challenge import (
    TODAY,
    agenda_cycle,
    agree_action,
    date_fields,
    new_event,
    pdf_text,
    signed_in,
    soup,
    zip_members,
)
from ..support.client import soup as page_soup
from ..support.cycles import return_of
from ..support.factories import make_partnership, make_user
from ..support.returns import error_messages


@pytest.fixture
def setting(app):
    partnership = make_partnership(
        "Demoshire Safeguarding Children Partnership",
        independent_chair="Professor Alison Carver, independent scrutineer",
    )
    return agenda_cycle(partnership)


def event_details(cycle, **changes) -> dict:
    day = TODAY + timedelta(days=21)
    return {
        "title": "Section 11 challenge panel, spring",
        "cycle_id": str(cycle.id),
        **date_fields("starts_on", day),
        "starts_time": "9:30am",
        "place": "Council Chamber, County Hall",
        "online_link": "",
        **changes,
    }


def test_an_admin_creates_an_event_at_a_place_and_a_time(client, setting):
    signed_in(client, Role.ADMIN, setting.partnership)
    response = client.submit("/challenge/new", event_details(setting.cycle))
    assert response.status_code == 302
    event = db.session.scalars(db.select(ChallengeEvent)).one()
    assert event.title == "Section 11 challenge panel, spring"
    assert event.cycle_id == setting.cycle.id
    assert event.place == "Council Chamber, County Hall"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    day = TODAY + timedelta(days=21)
    assert f"{day.day} {day:%B %Y} at 9:30am" in page


def test_an_event_needs_a_place_or_a_link_a_real_time_and_a_cycle(client, setting):
    signed_in(client, Role.ADMIN, setting.partnership)
    response = client.submit(
        "/challenge/new",
        event_details(setting.cycle, cycle_id="0", starts_time="half nine", place="", online_link="teams"),
    )
    assert error_messages(response) == [
        "Select the audit cycle the event is about",
        "Enter the start time like 9:30am, 2pm or 14:00",
        "Enter the online meeting link in full, starting with https://",
    ]
    response = client.submit("/challenge/new", event_details(setting.cycle, place="", online_link=""))
    assert error_messages(response) == ["Enter a place or an online meeting link"]
    assert db.session.scalars(db.select(ChallengeEvent)).all() == []


def test_an_online_event_keeps_its_link_and_its_time_in_uk_time(client, setting):
    signed_in(client, Role.ADMIN, setting.partnership)
    details = event_details(
        setting.cycle, place="", online_link="https://meet.example.org/s11-panel", starts_time="14:15"
    )
    client.submit("/challenge/new", details)
    event = db.session.scalars(db.select(ChallengeEvent)).one()
    assert event.online_link == "https://meet.example.org/s11-panel"
    assert challenge.event_day(event) == TODAY + timedelta(days=21)
    assert "2:15pm" in client.get(f"/challenge/{event.id}").get_data(as_text=True)


def test_the_panel_holds_people_of_the_partnership_and_named_outsiders(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    reviewer = make_user(Role.REVIEWER, setting.partnership, name="Ravi Chandran")
    signed_in(client, Role.ADMIN, setting.partnership)
    path = f"/challenge/{event.id}/panel/add"
    assert error_messages(client.submit(path, {"user_id": "", "name": "", "panel_role": ""})) == [
        "Choose a person or enter the name of someone from outside the partnership",
        "Enter their role on the panel",
    ]
    client.submit(
        path, {"user_id": "", "name": "Professor Alison Carver", "panel_role": "Independent scrutineer"}
    )
    client.submit(path, {"user_id": str(reviewer.id), "name": "", "panel_role": "Chair"})
    db.session.refresh(event)
    assert [(m.name, m.panel_role, m.user_id) for m in event.panel] == [
        ("Professor Alison Carver", "Independent scrutineer", None),
        ("Ravi Chandran", "Chair", reviewer.id),
    ]
    token = client.csrf_token(f"/challenge/{event.id}")
    client.post(f"/challenge/{event.id}/panel/{event.panel[0].id}/remove", data={"csrf_token": token})
    db.session.refresh(event)
    assert [m.name for m in event.panel] == ["Ravi Chandran"]


def test_a_reviewer_records_the_panels_notes_and_the_organisations_response(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    challenge.build_agenda(setting.partnership, event, ["red"], TODAY)
    (item,) = event.agenda
    signed_in(client, Role.REVIEWER, setting.partnership)
    response = client.submit(
        f"/challenge/{event.id}/agenda/{item.id}",
        {
            "challenge_notes": "Asked how DBS checks are tracked for bank staff.",
            "organisation_response": "A new HR system will flag renewals from April.",
        },
    )
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.challenge_notes == "Asked how DBS checks are tracked for bank staff."
    assert item.organisation_response == "A new HR system will flag renewals from April."
    assert item.discussed_at is not None
    page = client.get(f"/challenge/{event.id}/agenda/{item.id}").get_data(as_text=True)
    assert "A new HR system will flag renewals from April." in page
    assert client.get(f"/challenge/{event.id}/agenda/{item.id}/actions/new").status_code == 403


def test_an_admin_records_an_agreed_action_on_the_organisations_action_plan(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    challenge.build_agenda(setting.partnership, event, ["red"], TODAY)
    (item,) = event.agenda
    signed_in(client, Role.ADMIN, setting.partnership)
    path = f"/challenge/{event.id}/agenda/{item.id}/actions/new"
    refused = client.submit(path, {"description": "", "owner": "", "section_id": "", "due_on": ["", "", ""]})
    assert error_messages(refused) == [
        "Enter what the organisation needs to do",
        "Enter who is responsible for the action",
        "Enter the date the action is due",
    ]
    due = TODAY + timedelta(days=90)
    response = client.submit(
        path,
        {
            "description": "Check the DBS status of every bank worker",
            "owner": "Director of Workforce",
            "section_id": "safer-recruitment",
            **date_fields("due_on", due),
        },
    )
    assert response.status_code == 302
    action = db.session.scalars(db.select(ActionItem)).one()
    assert (action.organisation_id, action.agenda_item_id, action.return_id) == (
        setting.failing.id,
        item.id,
        setting.return_of(setting.failing).id,
    )
    assert action.section_id == "safer-recruitment" and action.due_on == due
    page = page_soup(client.get(f"/challenge/{event.id}/agenda/{item.id}"))
    row = [cell.get_text(strip=True) for cell in page.select("#actions ~ table tbody td")]
    assert row[:4] == [
        "Check the DBS status of every bank worker",
        "Standard 6: Safer recruitment, vetting and managing allegations",
        "Director of Workforce",
        f"{due.day} {due:%B %Y}",
    ]


def test_the_briefing_pack_names_the_organisation_its_ratings_flags_evidence_and_last_cycles_actions(
    client, setting
):
    # An action agreed last cycle, on last cycle's return.
    old_return = return_of(setting.previous, setting.failing)
    agree_action(
        setting.partnership,
        old_return,
        "Publish the safeguarding policy on the intranet",
        "Head of Governance",
        TODAY - timedelta(days=100),
    )
    event = new_event(setting.partnership, setting.cycle)
    challenge.build_agenda(setting.partnership, event, ["red"], TODAY)
    (item,) = event.agenda
    signed_in(client, Role.REVIEWER, setting.partnership)
    response = client.get(f"/challenge/{event.id}/agenda/{item.id}/briefing-pack.pdf")
    assert response.mimetype == "application/pdf"
    assert "briefing-pack-riverside-nhs-foundation-trust.pdf" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    assert "Challenge panel briefing: Riverside NHS Foundation Trust" in text
    assert "Standard 6: Safer recruitment, vetting and managing allegations Green Red" in text
    assert "Critical answer fails" in text and "Self-rating differs" in text
    assert "CRITICAL_FAIL" not in text
    assert "Safeguarding policy 2026.pdf" in text
    assert "Actions agreed in Section 11 audit 2025" in text
    assert "Publish the safeguarding policy on the intranet" in text and "Head of Governance" in text


def test_all_briefing_packs_come_as_one_zip_with_a_pdf_for_each_organisation(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    challenge.build_agenda(setting.partnership, event, ["mismatch", "non_return"], TODAY)
    signed_in(client, Role.ADMIN, setting.partnership)
    token = client.csrf_token(f"/challenge/{event.id}")
    response = client.post(f"/challenge/{event.id}/briefing-packs", data={"csrf_token": token})
    assert response.status_code == 302
    progress = client.get(response.headers["Location"])
    assert "3 PDFs made, in one zip file." in progress.get_data(as_text=True)
    link = soup(progress).find("a", string=lambda s: s and "Download the zip file" in s)
    download = client.get(link["href"])
    assert download.mimetype == "application/zip"
    members = zip_members(download.data)
    download.close()  # the zip is sent straight from its file
    assert sorted(members) == [
        "01-briefing-pack-hillside-district-council.pdf",
        "02-briefing-pack-riverside-nhs-foundation-trust.pdf",
        "03-briefing-pack-westbrook-youth-justice-service.pdf",
    ]
    assert "Hillside District Council" in pdf_text(members["01-briefing-pack-hillside-district-council.pdf"])
    job_id = int(link["href"].split("/")[-2])
    assert zip_path(db.session.get(Job, job_id)).exists()


def test_board_viewers_cannot_open_challenge_events_or_briefing_packs(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    challenge.build_agenda(setting.partnership, event, ["red"], TODAY)
    (item,) = db.session.scalars(db.select(AgendaItem)).all()
    signed_in(client, Role.BOARD_VIEWER, setting.partnership)
    assert client.get("/challenge/").status_code == 403
    assert client.get(f"/challenge/{event.id}").status_code == 403
    assert client.get(f"/challenge/{event.id}/agenda/{item.id}/briefing-pack.pdf").status_code == 403


def test_moving_an_event_to_another_cycle_empties_its_agenda_unless_the_panel_has_recorded_something(
    client, setting
):
    event = new_event(setting.partnership, setting.cycle)
    challenge.build_agenda(setting.partnership, event, ["red"], TODAY)
    signed_in(client, Role.ADMIN, setting.partnership)
    (item,) = event.agenda
    client.submit(f"/challenge/{event.id}/agenda/{item.id}", {"challenge_notes": "Discussed DBS checks."})
    refused = client.submit(f"/challenge/{event.id}/edit", event_details(setting.previous))
    assert error_messages(refused) == [
        "You cannot change the cycle: the panel has recorded notes or actions on this agenda"
    ]
    client.submit(f"/challenge/{event.id}/agenda/{item.id}", {"challenge_notes": ""})
    response = client.submit(f"/challenge/{event.id}/edit", event_details(setting.previous))
    assert response.status_code == 302
    db.session.expire_all()
    moved = db.session.get(ChallengeEvent, event.id)
    assert (moved.cycle_id, moved.agenda, moved.selection_rules) == (setting.previous.id, [], {})
