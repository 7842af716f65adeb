"""Background jobs: bulk work with a progress page.

A job is a row in the ``job`` table plus a handler registered under its kind.
With ``REDIS_URL`` set, :func:`start` puts the job on an RQ queue and a worker
(``rq worker safeguarding-audit``, or ``flask jobs worker``) runs it; without
it, the job runs inline before :func:`start` returns. Either way the handler
reports progress through the row, so the same progress page serves both.

Handlers take the job and a ``progress(done, total)`` callable, do their work
through ``data/`` functions, and return a JSON-able result dict. A handler
that raises leaves the job FAILED with a plain message; its own database work
is rolled back.

A worker that dies (killed, out of memory, its machine restarted) cannot say
so: its job would stay RUNNING for ever. So every progress report records the
time (``updated_at``), and a running job that has reported nothing for
``JOB_STALE_MINUTES`` is taken to have stopped: :func:`fail_stopped_jobs` marks
it FAILED, when its progress page is looked at or from cron with
``flask jobs fail-stopped``. A kind registered with ``again=`` says how to
start such a job again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, update
from sqlalchemy.orm.attributes import flag_modified

from . import audit_trail
from .extensions import db
from .models import Job, JobStatus, utcnow

QUEUE_NAME = "safeguarding-audit"

Handler = Callable[[Job, Callable[[int, int], None]], dict[str, Any]]
_handlers: dict[str, Handler] = {}

# The start of the message on a job marked failed because it stopped reporting.
STOPPED_UNEXPECTEDLY = "This stopped unexpectedly"


@dataclass(frozen=True)
class Again:
    """How to start a job again after it failed: a link, and what it says."""

    href: str
    text: str


Restart = Callable[[Job], Again | None]
_restarts: dict[str, Restart] = {}


class JobError(Exception):
    """A failure the handler can explain to the person who started the job."""


def handler(kind: str, again: Restart | None = None) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of ``kind``, and how to start one again
    that failed (``again`` returns None when it cannot be started again)."""

    def register(function: Handler) -> Handler:
        _handlers[kind] = function
        if again is not None:
            _restarts[kind] = again
        return function

    return register


def again(job: Job) -> Again | None:
    """The way to start a failed job again, where its kind has one and it still applies."""
    restart = _restarts.get(job.kind)
    if job.status is not JobStatus.FAILED or restart is None:
        return None
    return restart(job)


def stopped_unexpectedly(job: Job) -> bool:
    return job.status is JobStatus.FAILED and (job.error or "").startswith(STOPPED_UNEXPECTEDLY)


def fail_stopped_jobs(job_id: int | None = None, now: datetime | None = None) -> int:
    """Mark as failed every running job (or just ``job_id``) that has reported no progress
    for ``JOB_STALE_MINUTES``; how many were.

    One conditional UPDATE: a worker that reports progress meanwhile keeps its job, and
    two app servers looking at once mark it once. A worker that was only slow and goes
    on to finish still records FINISHED, together with its work, as the truth.
    """
    minutes = current_app.config["JOB_STALE_MINUTES"]
    now = now or utcnow()
    last_heard = func.coalesce(Job.updated_at, Job.started_at, Job.created_at)
    statement = (
        update(Job)
        .where(Job.status == JobStatus.RUNNING, last_heard < now - timedelta(minutes=minutes))
        .values(
            status=JobStatus.FAILED,
            finished_at=now,
            error=(
                f"{STOPPED_UNEXPECTEDLY}: nothing was heard from it for {minutes} minutes, so whatever "
                "was running it (a background worker or an app server) has stopped. Anything it had "
                "not finished was not saved."
            ),
        )
        .execution_options(synchronize_session=False)
    )
    if job_id is not None:
        statement = statement.where(Job.id == job_id)
    marked = db.session.execute(statement).rowcount
    db.session.commit()
    if marked:
        current_app.logger.warning("marked %s stopped job(s) as failed", marked)
    return marked


def start(
    kind: str,
    title: str,
    parameters: dict[str, Any],
    partnership_id: int | None = None,
    user_id: int | None = None,
) -> Job:
    """Record a job and run it: on RQ when configured, otherwise now, inline."""
    if kind not in _handlers:
        raise KeyError(f"no handler for jobs of kind {kind!r}")
    job = Job(
        kind=kind,
        title=title,
        parameters=parameters,
        partnership_id=partnership_id,
        created_by_id=user_id,
        status=JobStatus.QUEUED,
        created_at=utcnow(),
    )
    db.session.add(job)
    db.session.commit()
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        from redis import Redis
        from rq import Queue

        queue = Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))
        queue.enqueue("audit_app.jobs.run_in_worker", job.id, job_id=f"job-{job.id}", job_timeout=3600)
    else:
        run(job.id)
    return job


def notice_if_stopped(job: Job) -> None:
    """Before showing a running job: mark it failed if it has stopped, or it says "Running" for ever."""
    if job.status is JobStatus.RUNNING and fail_stopped_jobs(job.id):
        db.session.refresh(job)


def run(job_id: int) -> None:
    """Run one job in the current app context, recording progress and the outcome."""
    job = db.session.get(Job, job_id)
    if job is None or job.status is not JobStatus.QUEUED:
        return  # already run (an RQ retry, or two workers): never run twice
    job.status = JobStatus.RUNNING
    job.started_at = job.updated_at = utcnow()
    db.session.commit()

    def progress(done: int, total: int) -> None:
        statement = update(Job).where(Job.id == job_id).values(done=done, total=total, updated_at=utcnow())
        if db.engine.dialect.name == "sqlite":
            # Inline runs finish before anyone can look, and a second SQLite writer
            # would only wait for the handler's own transaction.
            db.session.execute(statement.execution_options(synchronize_session=False))
        else:
            # Its own short transaction, so the progress page sees it while the
            # handler's transaction is still open.
            with db.engine.begin() as connection:
                connection.execute(statement)

    try:
        with audit_trail.acting_for(job.created_by_id, job.partnership_id):
            result = _handlers[job.kind](job, progress)
    except JobError as exc:
        _fail(job_id, str(exc))
        return
    except Exception:
        current_app.logger.exception("job %s (%s) failed", job_id, job.kind)
        _fail(job_id, "Something went wrong while doing this. Nothing it had started was saved.")
        return
    job.status = JobStatus.FINISHED
    job.result = result
    job.error = ""  # if it was taken for stopped meanwhile, it was only slow
    flag_modified(job, "error")
    job.finished_at = job.updated_at = utcnow()
    db.session.commit()


def _fail(job_id: int, message: str) -> None:
    db.session.rollback()
    job = db.session.get(Job, job_id)
    job.status = JobStatus.FAILED
    job.error = message
    job.finished_at = utcnow()
    db.session.commit()


def run_in_worker(job_id: int) -> None:
    """The RQ entry point: builds the app from the environment, then runs the job."""
    from . import create_app

    app = create_app()
    with app.app_context():
        try:
            run(job_id)
        finally:
            # Each job builds its own app: close its connections rather than leave a
            # pool per job open in a long-lived worker process.
            db.session.remove()
            db.engine.dispose()
