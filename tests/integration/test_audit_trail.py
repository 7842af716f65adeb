import re
from datetime import date, timedelta

import pytest
from flask import current_app, g
from flask_login import login_user
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from audit_app import jobs
from audit_app.audit_trail import AuditTrailIsAppendOnly
from audit_app.data import actions, audit_log, organisations, outbox, people
from audit_app.extensions import db
from audit_app.models import (
    Answer,
    AuditLogEntry,
    ContactRole,
    OrganisationKind,
    Partnership,
    Return,
    ReturnStatus,
    Role,
)

from ..support.client import soup
from ..support.factories import PASSWORD, make_cycle, make_organisation, make_partnership, make_user
from ..support.returns import respondent_for, save_section, school_return
from ..support.review import assign, make_reviewer, sent_return


def entries(**where) -> list[AuditLogEntry]:
    query = select(AuditLogEntry).order_by(AuditLogEntry.id)
    for key, value in where.items():
        query = query.where(getattr(AuditLogEntry, key) == value)
    return list(db.session.scalars(query))


def a_return():
    partnership = make_partnership()
    school = make_organisation(partnership, "Oakbridge Primary School")
    cycle = make_cycle(partnership, [school])
    return db.session.scalars(select(Return).where(Return.cycle_id == cycle.id)).one()


def test_a_new_answer_and_its_change_are_recorded_with_old_and_new_values(app):
    audit_return = a_return()
    answer = Answer(return_id=audit_return.id, question_id="policy.has-policy", value="no")
    db.session.add(answer)
    db.session.commit()
    answer.value = "yes"
    db.session.commit()
    trail = entries(entity_type="answer", field="value")
    assert [(e.action, e.old_value, e.new_value) for e in trail] == [
        ("create", None, "no"),
        ("update", "no", "yes"),
    ]
    assert all(e.return_id == audit_return.id for e in trail)


def test_a_named_person_answer_keeps_its_role_and_date_but_not_the_name(app):
    audit_return = a_return()
    person = {"name": "Nadia Kowalski", "role": "Deputy head", "trained_on": "2025-09-04"}
    answer = Answer(return_id=audit_return.id, question_id="setting.dsl", value=person)
    db.session.add(answer)
    db.session.commit()
    answer.value = {**person, "trained_on": "2026-09-10"}
    db.session.commit()
    answer.value = {**person, "name": "Tomasz Wilk", "trained_on": "2026-09-10"}
    db.session.commit()
    trail = entries(entity_type="answer", field="value")
    assert [(e.old_value, e.new_value) for e in trail] == [
        (None, {**person, "name": "(changed)"}),
        ({**person, "name": "(set)"}, {**person, "name": "(set)", "trained_on": "2026-09-10"}),
        (
            {**person, "name": "(set)", "trained_on": "2026-09-10"},
            {**person, "name": "(changed)", "trained_on": "2026-09-10"},
        ),
    ]
    assert not any("Kowalski" in str(e.new_value) + str(e.old_value) for e in entries())


def test_a_status_change_is_recorded_against_the_return_and_its_organisation(app):
    audit_return = a_return()
    audit_return.status = ReturnStatus.SUBMITTED
    db.session.commit()
    [change] = entries(entity_type="return", action="update", field="status")
    assert (change.old_value, change.new_value) == ("not_started", "submitted")
    assert change.organisation_id == audit_return.organisation_id


def test_a_rolled_back_change_leaves_no_trace(app):
    audit_return = a_return()
    before = len(entries())
    audit_return.status = ReturnStatus.ACCEPTED
    db.session.flush()
    db.session.rollback()
    assert len(entries()) == before


def test_secrets_are_recorded_as_changed_without_their_values(app):
    user = make_user(email="officer@demoshire.example")
    people.set_password(user, "a completely new passphrase")
    [change] = entries(entity_type="user", action="update", field="password_hash")
    assert (change.old_value, change.new_value) == ("(set)", "(changed)")
    assert all("argon2" not in str(e.new_value) for e in entries(entity_type="user"))


def test_the_person_who_made_a_change_through_the_app_is_recorded(client):
    partnership = make_partnership()
    user = make_user(Role.ADMIN, partnership, email="manager@demoshire.example")
    client.sign_in(user.email, PASSWORD)
    # Choosing a new password from a reset link while signed in: a change made in a request.
    client.submit("/forgot-password", {"email": user.email})
    link = re.search(
        r"http://audit\.test(/reset-password/\S+)", outbox.messages_to(user.email)[-1].body
    ).group(1)
    client.submit(link, {"password": "another long passphrase", "confirm": "another long passphrase"})
    [change] = entries(entity_type="user", field="password_hash", action="update")
    assert (change.entity_id, change.user_id, change.partnership_id) == (user.id, user.id, partnership.id)


def test_changes_made_outside_a_request_are_recorded_without_a_person(app):
    audit_return = a_return()
    [created] = entries(entity_type="return", field="status", action="create")
    assert created.entity_id == audit_return.id
    assert created.user_id is None


@jobs.handler("test_register_a_school")
def register_a_school(job, progress):
    partnership = db.session.get(Partnership, job.partnership_id)
    make_organisation(partnership, job.parameters["name"])
    return {}


def test_changes_a_background_job_makes_are_recorded_as_made_by_whoever_started_it(app):
    partnership = make_partnership()
    admin = make_user(Role.ADMIN, partnership)
    jobs.start(
        "test_register_a_school", "Registering", {"name": "Fenwick Market Academy"}, partnership.id, admin.id
    )
    made = entries(entity_type="organisation", action="create")
    assert made, "the job's new organisation is in the trail"
    assert {(e.user_id, e.partnership_id) for e in made} == {(admin.id, partnership.id)}
    # Once the job is over, changes are nobody's again.
    a_return()
    assert entries(entity_type="return", action="create")[-1].user_id is None


def test_a_returns_first_save_is_recorded_though_made_by_a_guarded_update(client):
    audit_return = school_return(make_partnership())
    respondent = respondent_for(audit_return)
    client.sign_in(respondent.email, PASSWORD)
    save_section(client, audit_return, "setting", {"setting.pupils": "12"}, later=True)
    [started] = entries(entity_type="return", action="update", field="status")
    assert (started.entity_id, started.old_value, started.new_value) == (
        audit_return.id,
        "not_started",
        "in_progress",
    )
    assert (started.user_id, started.return_id, started.organisation_id) == (
        respondent.id,
        audit_return.id,
        audit_return.organisation_id,
    )


def test_the_orm_refuses_to_change_an_audit_entry(app):
    a_return()
    entry = entries()[0]
    entry.new_value = "tampered"
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_the_database_refuses_to_update_or_delete_an_audit_entry(app):
    a_return()
    entry_id = entries()[0].id
    for statement in (
        "UPDATE audit_log_entry SET action = 'x' WHERE id = :id",
        "DELETE FROM audit_log_entry WHERE id = :id",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(statement), {"id": entry_id})
        db.session.rollback()
    assert entries()[0].id == entry_id


@pytest.mark.postgres
@pytest.mark.parametrize("database", ["postgresql"], indirect=True)  # SQLite has no TRUNCATE
def test_postgresql_refuses_to_truncate_the_audit_trail(app):
    a_return()
    count = len(entries())
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("TRUNCATE audit_log_entry"))
    db.session.rollback()
    assert len(entries()) == count > 0


def test_admins_read_a_returns_trail_newest_first(client):
    audit_return = a_return()
    db.session.add(Answer(return_id=audit_return.id, question_id="policy.has-policy", value="no"))
    db.session.commit()
    audit_return.status = ReturnStatus.IN_PROGRESS
    db.session.commit()
    partnership = audit_return.cycle.partnership
    admin = make_user(Role.ADMIN, partnership)
    client.sign_in(admin.email, PASSWORD)
    page = soup(client.get(f"/audit/returns/{audit_return.id}"))
    assert page.h1.get_text(strip=True) == f"Audit trail: Return {audit_return.reference}"
    rows = [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in page.select("tbody tr")]
    when, who, what, before, after = rows[0]
    assert re.fullmatch(r"\d{1,2} \w+ \d{4} at \d{1,2}:\d{2}(am|pm)", when)
    assert (what, before, after) == (f"Return {audit_return.id}: update status", "not_started", "in_progress")
    assert who == "The system (an import, a job or a command)"
    answer_rows = [row for row in rows if row[2].startswith("Answer ") and row[2].endswith("create value")]
    assert [row[4] for row in answer_rows] == ["no"]


def test_a_long_trail_is_read_a_page_at_a_time(client, monkeypatch):
    audit_return = a_return()
    for n in range(7):
        audit_return.status = ReturnStatus.IN_PROGRESS if n % 2 == 0 else ReturnStatus.NOT_STARTED
        db.session.commit()
    total = len(entries(return_id=audit_return.id))
    monkeypatch.setattr(audit_log, "PER_PAGE", 3)
    admin = make_user(Role.ADMIN, audit_return.cycle.partnership)
    client.sign_in(admin.email, PASSWORD)
    address = f"/audit/returns/{audit_return.id}"

    def read(page_number: int):
        page = soup(client.get(f"{address}?page={page_number}"))
        rows = [
            [cell.get_text(" ", strip=True) for cell in row.select("td")] for row in page.select("tbody tr")
        ]
        return page, rows

    pages = -(-total // 3)
    seen = []
    for number in range(1, pages + 1):
        page, rows = read(number)
        first, last = 3 * (number - 1) + 1, min(3 * number, total)
        assert f"Showing entries {first} to {last} of {total}." in page.main.get_text(" ", strip=True)
        current = page.select_one(".govuk-pagination__item--current a")
        assert current.get_text(strip=True) == str(number)
        has_next = page.select_one(".govuk-pagination__next a")
        assert (has_next is not None) == (number < pages)
        seen += rows
    # A page past the last shows the last; a page that is not a number shows the first.
    assert read(pages + 5)[1] == read(pages)[1]
    assert read("x")[1] == read(1)[1]
    # The pages together hold every entry once, in the order of the whole trail on one page.
    monkeypatch.setattr(audit_log, "PER_PAGE", 1000)
    whole_page, whole = read(1)
    assert whole_page.select_one(".govuk-pagination") is None
    assert len(whole) == total >= 7
    assert seen == whole


def test_an_organisations_trail_includes_its_returns(client):
    audit_return = a_return()
    admin = make_user(Role.ADMIN, audit_return.cycle.partnership)
    client.sign_in(admin.email, PASSWORD)
    page = soup(client.get(f"/audit/organisations/{audit_return.organisation_id}"))
    whats = [row.select("td")[2].get_text(" ", strip=True) for row in page.select("tbody tr")]
    assert any(w.startswith("Organisation ") for w in whats)
    assert any(w.startswith("Return ") for w in whats)


def test_trails_outside_the_partnership_or_for_other_roles_are_refused(client):
    audit_return = a_return()
    other = make_partnership("Elsewhere")
    outsider = make_user(Role.ADMIN, other)
    client.sign_in(outsider.email, PASSWORD)
    assert client.get(f"/audit/returns/{audit_return.id}").status_code == 404
    assert client.get(f"/audit/organisations/{audit_return.organisation_id}").status_code == 404
    client.sign_out()
    reviewer = make_user(Role.REVIEWER, audit_return.cycle.partnership)
    client.sign_in(reviewer.email, PASSWORD)
    assert client.get(f"/audit/returns/{audit_return.id}").status_code == 403


def an_agency_in_two_partnerships():
    """A police force in Pennshire and in Quayshire, each running its own cycle; Pennshire also runs one jointly.

    Each return has an answer only it holds, and each partnership's reviewer changes an answer
    of their own partnership's return through the app, so the trail names them.
    """
    pennshire = make_partnership("Pennshire Safeguarding Children Partnership")
    quayshire = make_partnership("Quayshire Safeguarding Children Partnership")
    police = make_organisation(pennshire, "Shared Constabulary", OrganisationKind.AGENCY)
    police.partnerships.append(quayshire)
    db.session.commit()
    ours = make_cycle(pennshire, [police], name="Pennshire section 11 audit")
    theirs = make_cycle(quayshire, [police], name="Quayshire section 11 audit")
    joint = make_cycle(quayshire, [police], name="Joint section 11 audit")
    joint.partnerships.append(pennshire)
    db.session.commit()
    returns = {
        cycle.id: db.session.scalars(select(Return).where(Return.cycle_id == cycle.id)).one()
        for cycle in (ours, theirs, joint)
    }
    reviewers = {
        pennshire.id: make_user(Role.REVIEWER, pennshire, name="Penny Pennreviewer"),
        quayshire.id: make_user(Role.REVIEWER, quayshire, name="Quentin Quayreviewer"),
    }
    for cycle, words in (
        (ours, "Pennshire-only answer"),
        (theirs, "Quayshire-only answer"),
        (joint, "Joint answer"),
    ):
        db.session.add(Answer(return_id=returns[cycle.id].id, question_id="setting.notes", value=words))
    db.session.commit()
    for cycle, partnership in ((ours, pennshire), (theirs, quayshire)):
        audit_return = returns[cycle.id]
        reviewer = reviewers[partnership.id]
        with current_app.test_request_context():
            login_user(reviewer)
            g.partnership = partnership
            audit_return.reviewer_id = reviewer.id
            audit_return.answers[0].value = f"{audit_return.answers[0].value}, as moderated"
            db.session.commit()
    quayshire_action = actions.add_action(
        quayshire, police, "Quayshire-only action", "Chief constable", date.today() + timedelta(days=30)
    )
    organisations.add_contact(police, "Casey Contact", "casey@police.example", ContactRole.LEAD)
    police.notes = "Covers both areas"
    db.session.commit()
    return pennshire, police, returns[ours.id], returns[theirs.id], returns[joint.id], quayshire_action


def test_an_organisations_trail_shows_only_what_is_the_partnerships_business(client):
    pennshire, police, ours, theirs, joint, quayshire_action = an_agency_in_two_partnerships()
    client.sign_in(make_user(Role.ADMIN, pennshire).email, PASSWORD)
    page = soup(client.get(f"/audit/organisations/{police.id}"))
    words = page.select_one("tbody").get_text(" ", strip=True)
    whats = [row.select("td")[2].get_text(" ", strip=True) for row in page.select("tbody tr")]

    # Its own return and the joint one, with their answers and the reviewer who changed them.
    assert f"Return {ours.id}: create status" in whats
    assert f"Return {joint.id}: create status" in whats
    assert "Pennshire-only answer, as moderated" in words and "Joint answer" in words
    assert "Penny Pennreviewer" in words
    # The shared record and its contacts (changed, never named).
    assert "Organisation " + str(police.id) + ": update notes" in whats
    assert any(w.startswith("Contact ") for w in whats)
    # Nothing of the other partnership's return or action.
    assert not any(w.startswith(f"Return {theirs.id}:") for w in whats)
    assert f"Action {quayshire_action.id}: create description" not in whats
    for secret in (
        "Quayshire-only answer",
        "Quentin Quayreviewer",
        "Quayshire-only action",
        theirs.reference,
    ):
        assert secret not in page.get_text()


def test_another_partnerships_return_in_a_shared_organisation_has_no_trail_page(client):
    pennshire, _police, ours, theirs, joint, _ = an_agency_in_two_partnerships()
    client.sign_in(make_user(Role.ADMIN, pennshire).email, PASSWORD)
    assert client.get(f"/audit/returns/{theirs.id}").status_code == 404
    assert client.get(f"/audit/returns/{ours.id}").status_code == 200
    assert client.get(f"/audit/returns/{joint.id}").status_code == 200


def test_admins_reach_the_trails_from_the_review_and_register_pages(client):
    partnership = make_partnership()
    audit_return = sent_return(partnership)
    client.sign_in(make_user(Role.ADMIN, partnership).email, PASSWORD)
    review = soup(client.get(f"/review/returns/{audit_return.id}"))
    link = review.find("a", string="History of changes to this return")
    assert link["href"] == f"/audit/returns/{audit_return.id}"
    assert client.get(link["href"]).status_code == 200
    register = soup(client.get(f"/organisations/{audit_return.organisation_id}"))
    link = register.find("a", string="History of changes to this organisation")
    assert link["href"] == f"/audit/organisations/{audit_return.organisation_id}"
    assert client.get(link["href"]).status_code == 200


def test_reviewers_are_not_offered_the_trail(client):
    partnership = make_partnership()
    audit_return = sent_return(partnership)
    reviewer = make_reviewer(partnership)
    assign(audit_return, reviewer)
    client.sign_in(reviewer.email, PASSWORD)
    review = soup(client.get(f"/review/returns/{audit_return.id}"))
    assert review.h1 is not None
    assert review.find("a", string="History of changes to this return") is None
