from datetime import timedelta

import pytest
from redis import Redis
from rq import Queue, SimpleWorker

from audit_app import jobs
from audit_app.extensions import db
from audit_app.models import Job, JobStatus, Partnership, Role, utcnow

from ..support.client import soup
from ..support.factories import PASSWORD, make_partnership, make_user
from ..support.redis_server import RedisServer


@jobs.handler("test_count")
def count_to(job, progress):
    target = job.parameters["to"]
    for n in range(1, target + 1):
        progress(n, target)
    return {"counted": target}


@jobs.handler("test_fail_halfway")
def fail_halfway(job, progress):
    db.session.add(Partnership(name="Half-made", slug="half-made"))
    db.session.flush()
    raise jobs.JobError("Row 7, column URN: not a number. Nothing was imported.")


@jobs.handler("test_crash")
def crash(job, progress):
    raise RuntimeError("unexpected")


def test_without_redis_a_job_runs_inline_and_records_its_progress(app):
    partnership = make_partnership()
    job = jobs.start("test_count", "Counting", {"to": 5}, partnership_id=partnership.id)
    db.session.refresh(job)
    assert job.status is JobStatus.FINISHED
    assert (job.done, job.total) == (5, 5)
    assert job.result == {"counted": 5}


def test_a_failed_job_keeps_its_message_and_saves_nothing_it_started(app):
    partnership = make_partnership()
    job = jobs.start("test_fail_halfway", "Importing", {}, partnership_id=partnership.id)
    db.session.refresh(job)
    assert job.status is JobStatus.FAILED
    assert job.error == "Row 7, column URN: not a number. Nothing was imported."
    assert db.session.query(Partnership).filter_by(slug="half-made").count() == 0


def test_an_unexpected_error_gives_a_plain_message_not_a_traceback(app):
    job = jobs.start("test_crash", "Crashing", {}, partnership_id=make_partnership().id)
    db.session.refresh(job)
    assert job.status is JobStatus.FAILED
    assert "Traceback" not in job.error and "unexpected" not in job.error


def test_progress_page_shows_the_outcome_to_the_partnership_only(client):
    ours = make_partnership("Ours")
    theirs = make_partnership("Theirs")
    admin = make_user(Role.ADMIN, ours)
    job = jobs.start("test_count", "Importing the GIAS file", {"to": 3}, partnership_id=ours.id)
    other = jobs.start("test_count", "Their import", {"to": 3}, partnership_id=theirs.id)
    client.sign_in(admin.email, PASSWORD)
    page = soup(client.get(f"/jobs/{job.id}"))
    assert page.h1.get_text(strip=True) == "Importing the GIAS file"
    assert "Finished" in page.select_one(".govuk-tag").get_text()
    assert "Done: 3 of 3." in page.get_text(" ", strip=True)
    assert client.get(f"/jobs/{other.id}").status_code == 404
    assert client.get(f"/jobs/{job.id}/status").get_json() == {
        "status": "finished",
        "done": 3,
        "total": 3,
        "error": None,
    }


def test_respondents_cannot_see_job_pages(client):
    from ..support.factories import make_organisation

    partnership = make_partnership()
    school = make_organisation(partnership)
    respondent = make_user(Role.RESPONDENT, partnership, school)
    job = jobs.start("test_count", "Counting", {"to": 1}, partnership_id=partnership.id)
    client.sign_in(respondent.email, PASSWORD)
    assert client.get(f"/jobs/{job.id}").status_code == 403


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer()
    yield server
    server.stop()


def test_with_redis_a_job_waits_on_the_queue_until_a_worker_runs_it(app, redis_server, monkeypatch):
    app.config["REDIS_URL"] = redis_server.url
    partnership = make_partnership()
    job = jobs.start("test_count", "Counting on RQ", {"to": 4}, partnership_id=partnership.id)
    db.session.refresh(job)
    assert job.status is JobStatus.QUEUED

    # The worker builds its own app from the environment, as a deployed worker does.
    monkeypatch.setenv("AUDIT_ENV", "test")
    monkeypatch.setenv("SECRET_KEY", "worker-secret")
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    connection = Redis.from_url(redis_server.url)
    queue = Queue(jobs.QUEUE_NAME, connection=connection)
    assert queue.count == 1
    SimpleWorker([queue], connection=connection).work(burst=True)

    db.session.expire_all()
    finished = db.session.get(Job, job.id)
    assert finished.status is JobStatus.FINISHED
    assert finished.result == {"counted": 4}
    # A second delivery of the same job does nothing: it has already run.
    jobs.run(job.id)
    assert db.session.get(Job, job.id).finished_at == finished.finished_at


# ---- a job whose worker died ----------------------------------------------------------------


def running_job(
    partnership, title="Importing the GIAS file", silent_for=timedelta(minutes=31), kind="test_count"
):
    """A job a worker started and then said nothing more about for ``silent_for``."""
    then = utcnow() - silent_for
    job = Job(
        kind=kind,
        title=title,
        parameters={"to": 3},
        partnership_id=partnership.id,
        status=JobStatus.RUNNING,
        done=1,
        total=3,
        created_at=then,
        started_at=then,
        updated_at=then,
    )
    db.session.add(job)
    db.session.commit()
    return job


def test_progress_is_recorded_with_the_time_it_was_reported(app):
    before = utcnow()
    job = jobs.start("test_count", "Counting", {"to": 2}, partnership_id=make_partnership().id)
    db.session.refresh(job)
    assert job.updated_at >= before and job.updated_at >= job.started_at


def test_a_running_job_silent_for_longer_than_the_limit_is_shown_as_stopped_and_marked_failed(client):
    partnership = make_partnership()
    admin = make_user(Role.ADMIN, partnership)
    job = running_job(partnership)
    client.sign_in(admin.email, PASSWORD)

    page = soup(client.get(f"/jobs/{job.id}"))
    assert page.select_one(".govuk-tag").get_text(strip=True) == "Stopped unexpectedly"
    assert (
        "This stopped unexpectedly: nothing was heard from it for 30 minutes, so whatever was running it "
        "(a background worker or an app server) has stopped." in page.get_text(" ", strip=True)
    )
    assert page.find("script", src="/static/dist/job-progress.mjs") is None  # no more polling
    db.session.refresh(job)
    assert job.status is JobStatus.FAILED and job.finished_at is not None
    assert client.get(f"/jobs/{job.id}/status").get_json()["status"] == "failed"


def test_a_running_job_that_reported_progress_recently_is_still_running(client):
    partnership = make_partnership()
    admin = make_user(Role.ADMIN, partnership)
    job = running_job(partnership, silent_for=timedelta(minutes=29))
    client.sign_in(admin.email, PASSWORD)
    page = soup(client.get(f"/jobs/{job.id}"))
    assert page.select_one(".govuk-tag").get_text(strip=True) == "Running"
    db.session.refresh(job)
    assert job.status is JobStatus.RUNNING


def test_the_limit_is_a_setting(client, app):
    app.config["JOB_STALE_MINUTES"] = 5
    partnership = make_partnership()
    admin = make_user(Role.ADMIN, partnership)
    job = running_job(partnership, silent_for=timedelta(minutes=6))
    client.sign_in(admin.email, PASSWORD)
    assert "nothing was heard from it for 5 minutes" in soup(client.get(f"/jobs/{job.id}")).get_text()


def test_the_cron_command_marks_every_stopped_job_failed_and_leaves_live_ones(app, runner):
    partnership = make_partnership()
    stopped = [running_job(partnership, f"Stopped {n}") for n in range(2)]
    live = running_job(partnership, "Live", silent_for=timedelta(minutes=1))
    finished = jobs.start("test_count", "Finished long ago", {"to": 1}, partnership_id=partnership.id)

    result = runner.invoke(args=["jobs", "fail-stopped"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2 jobs had reported nothing for 30 minutes: marked failed."
    db.session.expire_all()
    assert [db.session.get(Job, job.id).status for job in stopped] == [JobStatus.FAILED] * 2
    assert db.session.get(Job, live.id).status is JobStatus.RUNNING
    assert db.session.get(Job, finished.id).status is JobStatus.FINISHED
    assert runner.invoke(args=["jobs", "fail-stopped"]).output.strip() == (
        "0 jobs had reported nothing for 30 minutes: marked failed."
    )


def test_a_slow_job_taken_for_stopped_that_finishes_after_all_is_recorded_as_finished(app):
    partnership = make_partnership()

    @jobs.handler("test_slow")
    def slow(job, progress):
        # Half an hour on, without a progress report, someone looks at the job.
        assert jobs.fail_stopped_jobs(now=utcnow() + timedelta(minutes=31)) == 1
        return {"counted": 3}

    job = jobs.start("test_slow", "Slow", {}, partnership_id=partnership.id)
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.status is JobStatus.FINISHED and job.error == ""
    assert jobs.fail_stopped_jobs() == 0
