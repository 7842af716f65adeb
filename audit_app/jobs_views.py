"""The progress page of a background job, and `flask jobs worker` / `flask jobs fail-stopped`."""

from __future__ import annotations

import click
from flask import Blueprint, abort, current_app, g, jsonify, render_template
from flask.cli import AppGroup

from . import jobs
from .access import requires_role
from .extensions import db
from .jobs import QUEUE_NAME
from .models import Job, JobStatus, Role

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
jobs_cli = AppGroup("jobs", help="Background jobs.")


def _job_in_scope(job_id: int) -> Job:
    job = db.session.get(Job, job_id)
    if job is None or job.partnership_id != g.partnership.id:
        abort(404)
    jobs.notice_if_stopped(job)
    return job


@bp.route("/<int:job_id>")
@requires_role(Role.ADMIN, Role.REVIEWER)
def progress(job_id: int):
    job = _job_in_scope(job_id)
    return render_template(
        "jobs/progress.html",
        job=job,
        JobStatus=JobStatus,
        stopped=jobs.stopped_unexpectedly(job),
        again=jobs.again(job),
    )


@bp.route("/<int:job_id>/status")
@requires_role(Role.ADMIN, Role.REVIEWER)
def status(job_id: int):
    job = _job_in_scope(job_id)
    return jsonify(
        {"status": job.status.value, "done": job.done, "total": job.total, "error": job.error or None}
    )


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Run an RQ worker for this app's queue (needs REDIS_URL)."""
    from redis import Redis
    from rq import Queue, Worker

    redis_url = current_app.config["REDIS_URL"]
    if not redis_url:
        raise click.ClickException("REDIS_URL is not set: without it, jobs run inline and need no worker.")
    connection = Redis.from_url(redis_url)
    Worker([Queue(QUEUE_NAME, connection=connection)], connection=connection).work(burst=burst)


@jobs_cli.command("fail-stopped")
def fail_stopped() -> None:
    """Mark running jobs that have reported no progress for JOB_STALE_MINUTES as failed (for cron)."""
    marked = jobs.fail_stopped_jobs()
    minutes = current_app.config["JOB_STALE_MINUTES"]
    click.echo(
        f"{marked} job{'' if marked == 1 else 's'} had reported nothing for {minutes} minutes: marked failed."
    )
