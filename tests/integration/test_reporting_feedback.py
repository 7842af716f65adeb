"""Feedback letters to agencies, and the automatic feedback schools and colleges download
once their return is accepted (one at a time, or all of a cycle's as a zip)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from redis import Redis
from rq import Queue, SimpleWorker

from audit_app import jobs
from audit_app.data import challenge
from audit_app.extensions import db
from audit_app.models import Job, OrganisationKind, ReturnStatus, Role
from audit_app.reporting import batches

from ..support.challenge import (
    TODAY,
    agenda_cycle,
    agree_action,
    give_feedback,
    new_event,
    open_schools_cycle,
    pdf_text,
    send_return,
    signed_in,
    soup,
    zip_members,
)
from ..support.cycles import return_of
from ..support.factories import PASSWORD, make_organisation, make_partnership, make_user
from ..support.redis_server import RedisServer


@pytest.fixture
def agencies(app):
    partnership = make_partnership(
        "Demoshire Safeguarding Children Partnership",
        independent_chair="Professor Alison Carver, independent scrutineer",
    )
    return agenda_cycle(partnership)


def test_the_feedback_letter_gives_strengths_developments_and_actions_with_owners_and_dates(client, agencies):
    audit_return = agencies.return_of(agencies.failing)
    give_feedback(
        audit_return,
        "- Board-level oversight of safeguarding is strong\n- Staff know how to refer to the MASH",
        "Make sure every bank worker has a DBS check before starting",
    )
    due = TODAY + timedelta(days=60)
    agree_action(
        agencies.partnership, audit_return, "Audit the DBS status of bank staff", "Director of Workforce", due
    )
    event = new_event(agencies.partnership, agencies.cycle)
    challenge.build_agenda(agencies.partnership, event, ["red"], TODAY)
    signed_in(client, Role.REVIEWER, agencies.partnership)
    response = client.get(f"/reports/returns/{audit_return.id}/feedback-letter.pdf")
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Section 11 audit 2026: feedback for Riverside NHS Foundation Trust" in text
    assert "Board-level oversight of safeguarding is strong" in text
    assert "Staff know how to refer to the MASH" in text
    assert "Make sure every bank worker has a DBS check before starting" in text
    assert "Audit the DBS status of bank staff" in text and "Director of Workforce" in text
    assert f"{due.day} {due:%B %Y}" in text
    event_day = challenge.event_day(event)
    assert f"challenge event on {event_day.day} {event_day:%B %Y}" in text
    assert "Professor Alison Carver Independent scrutineer" in text


def test_without_an_independent_chair_the_business_manager_signs_the_letter(client, app):
    partnership = make_partnership("Testshire Safeguarding Children Partnership")
    setting = agenda_cycle(partnership)
    make_user(Role.ADMIN, partnership, name="Dana Whitfield")
    # A reviewer producing the letter does not sign it: the business unit's admin does.
    signed_in(client, Role.REVIEWER, partnership, name="Ravi Chandran")
    response = client.get(f"/reports/returns/{setting.return_of(setting.steady).id}/feedback-letter.pdf")
    text = pdf_text(response.data)
    assert "Dana Whitfield Partnership business manager" in text and "Ravi Chandran" not in text


def test_there_is_no_letter_for_a_return_never_sent(client, agencies):
    signed_in(client, Role.ADMIN, agencies.partnership)
    response = client.get(f"/reports/returns/{agencies.return_of(agencies.silent).id}/feedback-letter.pdf")
    assert response.status_code == 409
    assert "Hillside District Council has not sent its return" in response.get_data(as_text=True)


# ---- schools -----------------------------------------------------------------------------------


@pytest.fixture
def schools(app):
    """Seven primary schools (six accepted, one red on safer recruitment) and a secondary school."""
    partnership = make_partnership("Demoshire Safeguarding Children Partnership")
    names = [
        "Abbey Fields",
        "Brackenby",
        "Fenwick Market",
        "Harebell Lane",
        "Lowmoor",
        "Meadowside",
        "Oakfield",
    ]
    primaries = [
        make_organisation(partnership, f"{name} Primary School", OrganisationKind.SCHOOL, phase="Primary")
        for name in names
    ]
    secondary = make_organisation(
        partnership, "Kingsmead Academy", OrganisationKind.SCHOOL, phase="Secondary"
    )
    cycle = open_schools_cycle(partnership, [*primaries, secondary])
    for school in primaries[:6]:
        changes = {"recruitment.scr-complete": "no"} if school is primaries[5] else {}
        send_return(return_of(cycle, school), changes, status=ReturnStatus.ACCEPTED)
    send_return(return_of(cycle, primaries[6]))  # sent, not yet accepted
    send_return(return_of(cycle, secondary), status=ReturnStatus.ACCEPTED)
    return partnership, cycle, primaries, secondary


def respondent_of(client, partnership, school):
    user = make_user(
        Role.RESPONDENT, partnership, school, email=f"dsl@{school.id}.example", name="Nadia Kowalski"
    )
    client.sign_in(user.email, PASSWORD)
    return user


def test_an_accepted_school_downloads_feedback_compared_with_similar_settings(client, schools):
    partnership, cycle, primaries, _secondary = schools
    respondent_of(client, partnership, primaries[0])
    listing = soup(client.get("/reports/feedback"))
    link = listing.find("a", href=f"/reports/returns/{return_of(cycle, primaries[0]).id}/feedback.pdf")
    assert link is not None
    response = client.get(link["href"])
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Safeguarding audit feedback for Abbey Fields Primary School" in text
    assert "other primary settings in this audit whose returns have been accepted" in text
    # Five other accepted primary schools; one of them is red on safer recruitment.
    assert "Safer recruitment and the single central record Green 80% green, 0% amber, 20% red (n=5)" in text
    assert "Meadowside" not in text


def test_a_small_comparison_group_is_not_shown(client, schools):
    partnership, cycle, _primaries, secondary = schools
    respondent_of(client, partnership, secondary)
    text = pdf_text(client.get(f"/reports/returns/{return_of(cycle, secondary).id}/feedback.pdf").data)
    assert "No similar settings yet" in text
    assert "% green" not in text


def test_feedback_is_not_ready_until_the_return_is_accepted(client, schools):
    partnership, cycle, primaries, _secondary = schools
    respondent_of(client, partnership, primaries[6])
    listing = client.get("/reports/feedback").get_data(as_text=True)
    assert "Available once your return is accepted" in listing
    response = client.get(f"/reports/returns/{return_of(cycle, primaries[6]).id}/feedback.pdf")
    assert response.status_code == 409
    assert "once the partnership has accepted the return" in response.get_data(as_text=True)


def test_a_school_cannot_download_another_schools_feedback(client, schools):
    partnership, cycle, primaries, _secondary = schools
    respondent_of(client, partnership, primaries[1])
    assert client.get(f"/reports/returns/{return_of(cycle, primaries[0]).id}/feedback.pdf").status_code == 404


def test_feedback_for_every_accepted_school_comes_as_a_zip_with_one_pdf_each(client, schools):
    partnership, cycle, primaries, secondary = schools
    signed_in(client, Role.ADMIN, partnership)
    index = soup(client.get("/reports/"))
    assert "7 schools and colleges with an accepted return" in index.get_text(" ", strip=True)
    token = client.csrf_token("/reports/")
    response = client.post(f"/reports/cycles/{cycle.id}/school-feedback", data={"csrf_token": token})
    progress = client.get(response.headers["Location"])
    assert "7 PDFs made, in one zip file." in progress.get_data(as_text=True)
    link = soup(progress).find("a", string=lambda s: s and "Download the zip file" in s)
    download = client.get(link["href"])
    members = zip_members(download.data)
    download.close()  # the zip is sent straight from its file
    accepted = [*primaries[:6], secondary]
    assert sorted(members) == sorted(
        f"safeguarding-feedback-{school.urn}-{school.name.lower().replace(' ', '-')}.pdf"
        for school in accepted
    )
    for school in accepted:
        name = f"safeguarding-feedback-{school.urn}-{school.name.lower().replace(' ', '-')}.pdf"
        assert f"Safeguarding audit feedback for {school.name}" in pdf_text(members[name])


def test_reviewers_cannot_start_or_see_a_batch_of_school_feedback(client, schools):
    partnership, cycle, _primaries, _secondary = schools
    signed_in(client, Role.ADMIN, partnership)
    token = client.csrf_token("/reports/")
    location = client.post(f"/reports/cycles/{cycle.id}/school-feedback", data={"csrf_token": token}).headers[
        "Location"
    ]
    client.sign_out()
    signed_in(client, Role.REVIEWER, partnership, email="reviewer@example.org")
    assert client.get(location).status_code == 404
    assert client.post(f"/reports/cycles/{cycle.id}/school-feedback", data={}).status_code in (400, 403)
    db.session.rollback()


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer()
    yield server
    server.stop()


def test_with_redis_the_batch_waits_for_a_worker_and_shows_its_progress(
    client, app, schools, redis_server, monkeypatch
):
    partnership, cycle, _primaries, _secondary = schools
    app.config["REDIS_URL"] = redis_server.url
    signed_in(client, Role.ADMIN, partnership)
    token = client.csrf_token("/reports/")
    location = client.post(f"/reports/cycles/{cycle.id}/school-feedback", data={"csrf_token": token}).headers[
        "Location"
    ]
    waiting = client.get(location).get_data(as_text=True)
    assert "Waiting to start" in waiting and "Download the zip file" not in waiting

    # The worker builds its own app from the environment, as a deployed worker does.
    monkeypatch.setenv("AUDIT_ENV", "test")
    monkeypatch.setenv("SECRET_KEY", "worker-secret")
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("EVIDENCE_DIR", app.config["EVIDENCE_DIR"])
    connection = Redis.from_url(redis_server.url)
    SimpleWorker([Queue(jobs.QUEUE_NAME, connection=connection)], connection=connection).work(burst=True)

    finished = client.get(location).get_data(as_text=True)
    assert "7 PDFs made, in one zip file." in finished
    job = db.session.get(Job, int(location.rstrip("/").split("/")[-1]))
    assert (job.done, job.total) == (7, 7)
    assert len(zip_members(batches.zip_path(job).read_bytes())) == 7


def test_the_letters_page_lists_a_letter_for_each_return_sent(client, agencies):
    signed_in(client, Role.REVIEWER, agencies.partnership)
    page = soup(client.get(f"/reports/cycles/{agencies.cycle.id}/letters"))
    names = [row.find("th").get_text(strip=True) for row in page.select("tbody tr")]
    assert names == [
        "Eastfield Housing Association",
        "Northgate Police",
        "Riverside NHS Foundation Trust",
        "Westbrook Youth Justice Service",
    ]
    link = page.select_one("tbody tr a")["href"]
    assert client.get(link).mimetype == "application/pdf"
