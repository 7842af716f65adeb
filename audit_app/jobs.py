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
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import update

from .extensions import db
from .models import Job, JobStatus, utcnow

QUEUE_NAME = "safeguarding-audit"

Handler = Callable[[Job, Callable[[int, int], None]], dict[str, Any]]
_handlers: dict[str, Handler] = {}


class JobError(Exception):
    """A failure the handler can explain to the person who started the job."""


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of ``kind``."""

    def register(function: Handler) -> Handler:
        _handlers[kind] = function
        return function

    return register


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


def run(job_id: int) -> None:
    """Run one job in the current app context, recording progress and the outcome."""
    job = db.session.get(Job, job_id)
    if job is None or job.status is not JobStatus.QUEUED:
        return  # already run (an RQ retry, or two workers): never run twice
    job.status = JobStatus.RUNNING
    job.started_at = utcnow()
    db.session.commit()

    def progress(done: int, total: int) -> None:
        statement = update(Job).where(Job.id == job_id).values(done=done, total=total)
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
    job.finished_at = utcnow()
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
