"""Building a challenge event's agenda from the selection rules, the reasons it shows, and
changing it by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from audit_app.data import challenge, cycles
from audit_app.data.scores import questionnaire_of
from audit_app.extensions import db
from audit_app.models import AgendaItem, ChallengeEvent, OrganisationKind, Role

from ..support.challenge import TODAY, agenda_cycle, new_event, signed_in, soup
from ..support.cycles import organisation_with_contacts, shipped_version
from ..support.factories import make_partnership


@pytest.fixture
def setting(app):
    partnership = make_partnership("Demoshire Safeguarding Children Partnership")
    return agenda_cycle(partnership)


def agenda_reasons(client, event) -> dict[str, list[str]]:
    """Organisation → the reasons the agenda page gives, in agenda order."""
    page = soup(client.get(f"/challenge/{event.id}/agenda"))
    found = {}
    for row in page.select("tbody tr"):
        cell = row.find_all("td")[1]
        name = cell.find("a").get_text(strip=True)
        found[name] = [" ".join(li.get_text().split()) for li in cell.select("li")]
    return found


def build(client, event, *rules):
    response = client.submit(f"/challenge/{event.id}/agenda/build", {"rules": list(rules)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return agenda_reasons(client, event)


def test_every_organisation_rule_puts_every_agency_on_the_agenda_with_its_reason(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    signed_in(client, Role.ADMIN, setting.partnership)
    reasons = build(client, event, "all")
    assert list(reasons) == sorted(reasons) and len(reasons) == 5
    for listed in reasons.values():
        assert listed == ["Every agency asked for a return in the Section 11 audit 2026 is on the agenda."]


def test_every_agency_rule_in_a_mixed_cycle_leaves_the_schools_and_colleges_off(client, app):
    partnership = make_partnership("Demoshire Safeguarding Children Partnership")
    police = organisation_with_contacts(partnership, "Northgate Police", agency_type="police")
    council = organisation_with_contacts(
        partnership, "Hillside District Council", agency_type="district_council"
    )
    school = organisation_with_contacts(partnership, "Abbey Fields Primary School", OrganisationKind.SCHOOL)
    college = organisation_with_contacts(partnership, "Demoton College", OrganisationKind.COLLEGE, duty="fe")
    versions = {
        "s11": shipped_version("s11"),
        "s175": shipped_version("schools"),
        "fe": shipped_version("fe"),
    }
    cycle = cycles.create_cycle(
        partnership,
        "Joint safeguarding audit 2026",
        opens_on=TODAY - timedelta(days=90),
        initial_deadline=TODAY - timedelta(days=40),
        final_deadline=TODAY - timedelta(days=10),
        questionnaires=versions,
        audience={"kinds": ["agency", "school", "college"]},
    )
    sections = {duty: [s.id for s in questionnaire_of(v).sections] for duty, v in versions.items()}
    opened = cycles.open_cycle(cycle, [police, council, school, college], sections)
    db.session.commit()
    assert len(opened) == 4  # all four were asked for a return
    event = new_event(partnership, cycle)
    signed_in(client, Role.ADMIN, partnership)

    reasons = build(client, event, "all")
    assert reasons == {
        name: ["Every agency asked for a return in the Joint safeguarding audit 2026 is on the agenda."]
        for name in ("Hillside District Council", "Northgate Police")
    }
    # The rule's own words on the form say what it selects.
    page = soup(client.get(f"/challenge/{event.id}/agenda/build"))
    assert "Every agency in the cycle (all statutory agencies)" in page.get_text(" ", strip=True)

    # Another rule still brings a school in beside the agencies.
    with_non_returns = build(client, event, "all", "non_return")
    assert set(with_non_returns) == {
        "Abbey Fields Primary School",
        "Demoton College",
        "Hillside District Council",
        "Northgate Police",
    }


def test_red_rule_selects_only_the_organisation_with_a_red_standard_and_names_it(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    signed_in(client, Role.ADMIN, setting.partnership)
    reasons = build(client, event, "red")
    assert reasons == {
        "Riverside NHS Foundation Trust": [
            "“Standard 6: Safer recruitment, vetting and managing allegations” is rated Red."
        ]
    }


def test_critical_fail_rule_quotes_the_critical_answer_that_failed(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    signed_in(client, Role.ADMIN, setting.partnership)
    reasons = build(client, event, "critical")
    assert list(reasons) == ["Riverside NHS Foundation Trust"]
    (reason,) = reasons["Riverside NHS Foundation Trust"]
    assert "critical question" in reason and "(safer-recruitment.dbs-checks)" in reason and "Red" in reason


def test_non_return_rule_selects_the_organisation_that_sent_nothing_by_the_final_deadline(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    signed_in(client, Role.ADMIN, setting.partnership)
    reasons = build(client, event, "non_return")
    deadline = setting.cycle.final_deadline
    assert reasons == {
        "Hillside District Council": [
            f"Not returned by the final deadline of {deadline.day} {deadline:%B %Y}: the return was never started."
        ]
    }


def test_decline_rule_selects_the_organisation_rated_lower_than_last_cycle(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    signed_in(client, Role.ADMIN, setting.partnership)
    reasons = build(client, event, "declined")
    assert list(reasons) == ["Eastfield Housing Association"]
    (reason,) = reasons["Eastfield Housing Association"]
    assert "Standard 5" in reason and "is rated Amber, down from Green last cycle" in reason


def test_mismatch_rule_selects_both_organisations_whose_self_rating_differs_from_their_score(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    signed_in(client, Role.ADMIN, setting.partnership)
    reasons = build(client, event, "mismatch")
    assert list(reasons) == ["Riverside NHS Foundation Trust", "Westbrook Youth Justice Service"]
    assert "rated itself Red" in reasons["Westbrook Youth Justice Service"][0]
    assert "rated itself Green" in reasons["Riverside NHS Foundation Trust"][0]


def test_risk_rules_together_give_each_organisation_every_reason_that_applies(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    signed_in(client, Role.ADMIN, setting.partnership)
    reasons = build(client, event, "red", "critical", "non_return", "declined", "mismatch")
    assert "Northgate Police" not in reasons
    assert len(reasons["Riverside NHS Foundation Trust"]) == 3
    rules = db_event(event).selection_rules
    assert rules["rules"] == ["red", "critical", "non_return", "declined", "mismatch"]


def db_event(event) -> ChallengeEvent:
    db.session.expire_all()
    return db.session.get(ChallengeEvent, event.id)


def test_building_without_a_rule_asks_for_one(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    signed_in(client, Role.ADMIN, setting.partnership)
    response = client.submit(f"/challenge/{event.id}/agenda/build", {})
    assert response.status_code == 200
    assert "Select at least one way to choose organisations for the agenda" in response.get_data(as_text=True)


def test_an_organisation_added_by_hand_shows_the_note_and_survives_a_rebuild(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    signed_in(client, Role.ADMIN, setting.partnership)
    build(client, event, "red")
    response = client.submit(
        f"/challenge/{event.id}/agenda/add",
        {"organisation_id": str(setting.steady.id), "note": "New chief constable asked to present"},
    )
    assert response.status_code == 302
    reasons = build(client, event, "non_return")
    assert reasons == {
        "Northgate Police": ["Added by hand: New chief constable asked to present"],
        "Hillside District Council": [reasons["Hillside District Council"][0]],
    }


def test_adding_by_hand_needs_an_organisation_and_a_reason(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    signed_in(client, Role.ADMIN, setting.partnership)
    response = client.submit(f"/challenge/{event.id}/agenda/add", {"organisation_id": "0", "note": ""})
    text = response.get_data(as_text=True)
    assert "Select an organisation to add to the agenda" in text
    assert "Enter why the organisation is on the agenda" in text


def test_moving_items_up_and_down_and_removing_one_changes_the_agenda(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    signed_in(client, Role.ADMIN, setting.partnership)
    build(client, event, "mismatch", "non_return")
    items = {item.organisation_id: item.id for item in db_event(event).agenda}
    assert list(agenda_reasons(client, event)) == [
        "Hillside District Council",
        "Riverside NHS Foundation Trust",
        "Westbrook Youth Justice Service",
    ]
    token = client.csrf_token(f"/challenge/{event.id}/agenda")
    client.post(
        f"/challenge/{event.id}/agenda/change", data={"csrf_token": token, "up": items[setting.modest.id]}
    )
    client.post(
        f"/challenge/{event.id}/agenda/change", data={"csrf_token": token, "down": items[setting.silent.id]}
    )
    assert list(agenda_reasons(client, event)) == [
        "Westbrook Youth Justice Service",
        "Hillside District Council",
        "Riverside NHS Foundation Trust",
    ]
    client.post(
        f"/challenge/{event.id}/agenda/change", data={"csrf_token": token, "remove": items[setting.silent.id]}
    )
    assert list(agenda_reasons(client, event)) == [
        "Westbrook Youth Justice Service",
        "Riverside NHS Foundation Trust",
    ]
    assert [item.position for item in db_event(event).agenda] == [1, 2]


def test_an_organisation_the_panel_has_notes_on_cannot_be_removed(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    signed_in(client, Role.ADMIN, setting.partnership)
    build(client, event, "red")
    (item,) = db_event(event).agenda
    client.submit(f"/challenge/{event.id}/agenda/{item.id}", {"challenge_notes": "Asked about DBS renewals."})
    token = client.csrf_token(f"/challenge/{event.id}/agenda")
    response = client.post(
        f"/challenge/{event.id}/agenda/change",
        data={"csrf_token": token, "remove": item.id},
        follow_redirects=True,
    )
    assert "You cannot remove Riverside NHS Foundation Trust" in response.get_data(as_text=True)
    assert len(db_event(event).agenda) == 1


def test_reviewers_see_the_agenda_but_cannot_change_it(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    challenge.build_agenda(setting.partnership, event, ["red"], setting.cycle.final_deadline)
    signed_in(client, Role.REVIEWER, setting.partnership)
    page = client.get(f"/challenge/{event.id}/agenda")
    assert page.status_code == 200
    assert soup(page).find("button", attrs={"name": "remove"}) is None
    assert client.get(f"/challenge/{event.id}/agenda/build").status_code == 403


def test_another_partnerships_event_is_not_found(client, setting):
    event = new_event(setting.partnership, setting.cycle)
    other = make_partnership("Otherton Safeguarding Children Partnership")
    signed_in(client, Role.ADMIN, other)
    assert client.get(f"/challenge/{event.id}").status_code == 404
    assert client.get(f"/challenge/{event.id}/agenda").status_code == 404
    item = AgendaItem(event_id=event.id, organisation_id=setting.failing.id, position=1, selection_reasons=[])
    db.session.add(item)
    db.session.commit()
    assert client.get(f"/challenge/{event.id}/agenda/{item.id}/briefing-pack.pdf").status_code == 404
