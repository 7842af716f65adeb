import re

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from audit_app.audit_trail import AuditTrailIsAppendOnly
from audit_app.data import outbox, people
from audit_app.extensions import db
from audit_app.models import Answer, AuditLogEntry, Return, ReturnStatus, Role

from ..support.client import soup
from ..support.factories import PASSWORD, make_cycle, make_organisation, make_partnership, make_user


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
