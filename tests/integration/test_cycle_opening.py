from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from redis import Redis
from rq import Queue, SimpleWorker

import audit_app
from audit_app import jobs
from audit_app.data import cycles, invitations, people
from audit_app.data.scores import questionnaire_of
from audit_app.extensions import db
from audit_app.models import (
    AuditCycle,
    AuditLogEntry,
    CycleStatus,
    Job,
    JobStatus,
    Message,
    MessageStage,
    MessageStatus,
    OrganisationKind,
    OrganisationStatus,
    Return,
    ReturnSection,
    ReturnStatusChange,
    Role,
)

from ..support.client import soup
from ..support.cycles import organisation_with_contacts, shipped_version, signed_in_admin
from ..support.factories import PASSWORD, make_partnership, make_user
from ..support.redis_server import RedisServer
from ..support.smtp import SMTPServer

TODAY = date.today()
# Signing in may send account email (two-factor set-up): the cycle's messages are the rest.
NOT_ACCOUNT = Message.stage != MessageStage.ACCOUNT


def draft(partnership, audience: dict, duties=("s11",), joint_with=()) -> AuditCycle:
    version = shipped_version("s11")
    cycle = cycles.create_cycle(
        partnership,
        "Section 11 audit",
        opens_on=TODAY - timedelta(days=1),
        initial_deadline=TODAY + timedelta(days=30),
        final_deadline=TODAY + timedelta(days=60),
        questionnaires=dict.fromkeys(duties, version),
        audience=audience,
        joint_with=list(joint_with),
    )
    db.session.commit()
    return cycle


def count(model, *conditions) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*conditions))


def open_cycle(client, cycle):
    """Press "Open the cycle" (posted with a token from a page that has one, as the button may be hidden)."""
    return client.post(f"/cycles/{cycle.id}/open", data={"csrf_token": client.csrf_token("/cycles/new")})


@pytest.fixture
def smtp(app):
    server = SMTPServer()
    server.configure(app)
    yield server.inbox
    server.stop()


def test_opening_creates_a_return_for_exactly_the_audience_and_invites_each_lead(client):
    partnership = make_partnership()
    police = organisation_with_contacts(partnership, "Demoshire Police", agency_type="police")
    trust = organisation_with_contacts(partnership, "Demoshire Hospitals", lead=None, agency_type="nhs_trust")
    organisation_with_contacts(partnership, "Old Council", status=OrganisationStatus.CLOSED)
    organisation_with_contacts(partnership, "Oakbridge School", OrganisationKind.SCHOOL)
    organisation_with_contacts(partnership, "Housing Trust", agency_type="housing")
    organisation_with_contacts(make_partnership("Other"), "Other Police", agency_type="police")
    cycle = draft(partnership, {"kinds": ["agency"], "agency_types": ["police", "nhs_trust"]})
    signed_in_admin(client, partnership)

    response = open_cycle(client, cycle)
    assert response.headers["Location"] == f"/cycles/{cycle.id}"
    banner = soup(client.get(response.headers["Location"])).select_one(".govuk-notification-banner")
    assert "The cycle is open: 2 returns created" in banner.get_text(" ", strip=True)

    db.session.refresh(cycle)
    assert cycle.status is CycleStatus.OPEN
    returns = db.session.scalars(
        db.select(Return).where(Return.cycle_id == cycle.id).order_by(Return.id)
    ).all()
    assert {r.organisation_id for r in returns} == {police.id, trust.id}
    assert all(r.duty == "s11" for r in returns)
    # Each return starts with a row per section of its questionnaire, and a recorded status.
    sections = questionnaire_of(returns[0].questionnaire_version).sections
    assert count(ReturnSection, ReturnSection.return_id == returns[0].id) == len(sections)
    assert count(ReturnStatusChange) == 2

    [invitation] = db.session.scalars(db.select(Message).where(NOT_ACCOUNT)).all()
    assert invitation.stage is MessageStage.INVITATION
    assert invitation.to == "lead@demoshirepolice.example"
    assert invitation.idempotency_key == f"invitation:{return_for(returns, police).id}"
    assert invitation.status is MessageStatus.OUTBOX_ONLY  # no SMTP in the tests
    link = next(line for line in invitation.body.splitlines() if "/start/" in line)
    assert link.startswith("http://audit.test/start/")
    assert invitations.find_invitation(link.rsplit("/", 1)[1]).audit_return.organisation_id == police.id


def return_for(returns, organisation):
    return next(r for r in returns if r.organisation_id == organisation.id)


def test_opening_twice_creates_nothing_more(client):
    partnership = make_partnership()
    organisation_with_contacts(partnership, "Demoshire Police")
    cycle = draft(partnership, {"kinds": ["agency"]})
    signed_in_admin(client, partnership)
    token = client.csrf_token(f"/cycles/{cycle.id}")
    client.post(f"/cycles/{cycle.id}/open", data={"csrf_token": token})
    again = client.post(f"/cycles/{cycle.id}/open", data={"csrf_token": token})
    assert again.headers["Location"] == f"/cycles/{cycle.id}"
    assert count(Return) == 1 and count(Message, NOT_ACCOUNT) == 1
    with pytest.raises(cycles.CycleCannotOpen, match="already been opened"):
        cycles.open_for_audience(cycle.id)
    db.session.rollback()


def test_opening_is_in_the_audit_trail_as_the_admin_who_opened_it(client):
    partnership = make_partnership()
    organisation_with_contacts(partnership, "Demoshire Police")
    cycle = draft(partnership, {"kinds": ["agency"]})
    admin = signed_in_admin(client, partnership)
    open_cycle(client, cycle)
    [opened] = db.session.scalars(
        db.select(AuditLogEntry).where(
            AuditLogEntry.entity_type == "cycle",
            AuditLogEntry.field == "status",
            AuditLogEntry.action == "update",
        )
    ).all()
    assert (opened.entity_id, opened.old_value, opened.new_value) == (cycle.id, "draft", "open")
    assert (opened.user_id, opened.partnership_id) == (admin.id, partnership.id)


def test_an_organisation_with_no_questionnaire_stops_the_cycle_opening_and_nothing_is_created(client):
    partnership = make_partnership()
    organisation_with_contacts(partnership, "Demoshire Police")
    school = organisation_with_contacts(partnership, "Oakbridge School", OrganisationKind.SCHOOL)
    cycle = draft(partnership, {"kinds": ["agency"], "organisation_ids": [school.id]})
    signed_in_admin(client, partnership)

    page = soup(client.get(f"/cycles/{cycle.id}"))
    assert "1 organisations have no questionnaire in this cycle, so it cannot open" in page.get_text(
        " ", strip=True
    )
    assert page.find("button", string=lambda s: s and "Open the cycle" in s) is None

    response = open_cycle(client, cycle)
    job_page = soup(client.get(response.headers["Location"]))
    assert "Failed" in job_page.select_one(".govuk-tag").get_text()
    assert (
        "1 organisations have no questionnaire in this cycle (Oakbridge School). Nothing was opened."
        in job_page.get_text(" ", strip=True)
    )
    db.session.refresh(cycle)
    assert cycle.status is CycleStatus.DRAFT
    assert count(Return) == 0 and count(Message, NOT_ACCOUNT) == 0 and count(ReturnSection) == 0


def test_a_crash_part_way_through_opening_leaves_no_returns(client, monkeypatch):
    partnership = make_partnership()
    for n in range(4):
        organisation_with_contacts(partnership, f"Agency {n}")
    cycle = draft(partnership, {"kinds": ["agency"]})
    calls = []

    def failing_reference(cycle_, sequence):
        calls.append(sequence)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return f"C{cycle_.id:03d}-{sequence:05d}"

    monkeypatch.setattr(cycles, "_reference", failing_reference)
    signed_in_admin(client, partnership)
    response = open_cycle(client, cycle)
    assert response.headers["Location"].startswith("/jobs/")
    assert len(calls) == 3  # two returns had been made before the crash
    job = db.session.scalar(db.select(Job))
    assert job.status is JobStatus.FAILED
    assert "disk full" not in job.error
    db.session.refresh(cycle)
    assert cycle.status is CycleStatus.DRAFT
    assert count(Return) == 0 and count(ReturnSection) == 0 and count(Message, NOT_ACCOUNT) == 0


def test_a_joint_cycle_has_one_return_per_organisation_and_each_partnership_counts_its_own(client):
    north = make_partnership("Northshire Safeguarding Children Partnership")
    south = make_partnership("Southshire Safeguarding Children Partnership")
    shared = organisation_with_contacts(north, "Shire Police")
    shared.partnerships.append(south)
    north_only = organisation_with_contacts(north, "Northshire Council")
    south_only = organisation_with_contacts(south, "Southshire Council")
    db.session.commit()
    cycle = draft(north, {"kinds": ["agency"]}, joint_with=[south])
    admin = signed_in_admin(client, north)
    people.grant_role(admin, Role.ADMIN, south)
    db.session.commit()
    client.submit("/partnership", {"partnership": north.id})
    open_cycle(client, cycle)

    returns = db.session.scalars(db.select(Return).where(Return.cycle_id == cycle.id)).all()
    assert sorted(r.organisation_id for r in returns) == sorted([shared.id, north_only.id, south_only.id])
    assert count(Message, Message.stage == MessageStage.INVITATION) == 3  # the shared agency is invited once

    def listed() -> list[str]:
        page = soup(client.get(f"/cycles/{cycle.id}"))
        return [a.get_text(strip=True) for a in page.select("tbody a.govuk-link")]

    assert listed() == ["Northshire Council", "Shire Police"]
    client.submit("/partnership", {"partnership": south.id})
    assert listed() == ["Shire Police", "Southshire Council"]
    # The partnership that created the cycle runs it; its partner cannot open or reopen it.
    assert open_cycle(client, cycle).status_code == 403


def test_invitations_reach_a_real_mail_server(client, smtp):
    partnership = make_partnership()
    organisation_with_contacts(partnership, "Demoshire Police")
    organisation_with_contacts(partnership, "Demoshire Probation", lead="dana")
    cycle = draft(partnership, {"kinds": ["agency"]})
    signed_in_admin(client, partnership)
    smtp.received.clear()  # the admin's own account email
    open_cycle(client, cycle)

    assert sorted(r.recipients[0] for r in smtp.received) == [
        "dana@demoshireprobation.example",
        "lead@demoshirepolice.example",
    ]
    received = smtp.to("lead@demoshirepolice.example")[0]
    assert received.subject == "Section 11 audit: please complete Demoshire Police's safeguarding return"
    assert "http://audit.test/start/" in received.body()
    assert received.message["Message-ID"].startswith("<invitation.")
    messages = db.session.scalars(db.select(Message).where(NOT_ACCOUNT)).all()
    assert {(m.status, m.attempts) for m in messages} == {(MessageStatus.SENT, 1)}


@contextmanager
def worker_apps(monkeypatch):
    """Close the database connections of the apps a worker builds, as its process exit would."""
    made = []

    def recording(*args, **kwargs):
        made.append(real(*args, **kwargs))
        return made[-1]

    real = audit_app.create_app
    monkeypatch.setattr(audit_app, "create_app", recording)
    yield
    for worker_app in made:
        with worker_app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer()
    yield server
    server.stop()


def test_with_redis_opening_waits_for_a_worker_then_creates_the_returns(
    client, app, redis_server, monkeypatch
):
    app.config["REDIS_URL"] = redis_server.url
    partnership = make_partnership()
    for n in range(3):
        organisation_with_contacts(partnership, f"Agency {n}")
    cycle = draft(partnership, {"kinds": ["agency"]})
    signed_in_admin(client, partnership)
    response = open_cycle(client, cycle)
    job = db.session.scalar(db.select(Job))
    assert response.headers["Location"] == f"/jobs/{job.id}"
    assert "Waiting to start" in soup(client.get(f"/jobs/{job.id}")).get_text()
    assert count(Return) == 0

    monkeypatch.setenv("AUDIT_ENV", "test")
    monkeypatch.setenv("SECRET_KEY", "worker-secret")
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("EXTERNAL_URL", "http://audit.test")
    monkeypatch.delenv("SMTP_HOST", raising=False)
    connection = Redis.from_url(redis_server.url)
    queue = Queue(jobs.QUEUE_NAME, connection=connection)
    with worker_apps(monkeypatch):
        SimpleWorker([queue], connection=connection).work(burst=True)

    db.session.expire_all()
    assert db.session.get(Job, job.id).status is JobStatus.FINISHED
    assert count(Return, Return.cycle_id == cycle.id) == 3
    assert count(Message, NOT_ACCOUNT, Message.status == MessageStatus.OUTBOX_ONLY) == 3
    page = soup(client.get(f"/jobs/{job.id}"))
    assert "Done: 3 of 3." in page.get_text(" ", strip=True)


def test_only_the_business_unit_opens_cycles_and_only_its_own(client):
    partnership = make_partnership()
    organisation_with_contacts(partnership, "Demoshire Police")
    cycle = draft(partnership, {"kinds": ["agency"]})
    other = draft(make_partnership("Other"), {"kinds": ["agency"]})
    board = make_user(Role.BOARD_VIEWER, partnership)
    client.sign_in(board.email, PASSWORD)
    token = client.csrf_token("/sign-in")
    assert client.post(f"/cycles/{cycle.id}/open", data={"csrf_token": token}).status_code == 403
    assert client.get(f"/cycles/{cycle.id}").status_code == 404  # board viewers see open cycles only
    client.sign_out()
    signed_in_admin(client, partnership)
    assert client.get(f"/cycles/{other.id}").status_code == 404
    response = client.post(f"/cycles/{other.id}/open", data={"csrf_token": client.csrf_token("/cycles/new")})
    assert response.status_code == 404
    assert count(Return) == 0
