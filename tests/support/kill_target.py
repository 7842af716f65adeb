"""A process to kill in the middle of an operation: ``python -m tests.support.kill_target SPEC``.

tests/integration/test_kill_midway.py starts this with a JSON ``SPEC`` that names the
app's configuration (the test's own database), the operation and where to stop:

- ``operation``: ``submit`` (a respondent sends a complete return: ``returns.sign_and_send``),
  ``import`` (a worker applies a checked GIAS import: ``jobs.run`` of a ``gias_import`` job)
  or ``open`` (a worker opens a cycle: ``jobs.run`` of an ``open_cycle`` job);
- ``pause``: ``flush`` (the first flush of the operation that writes a ``pause_model`` row:
  part of the work is in the database, uncommitted), ``progress`` (the import has written
  its first batch and reported it), or ``commit`` (everything is written and the session's
  COMMIT is about to go to the database).

At the pause the process counts, on its own connection and so inside its own open
transaction, what the ``probe`` query sees, prints one line ``PAUSED {"seen": N}`` on
stdout and waits for a line on stdin. The test then either kills it (SIGKILL) or
writes a line to let it finish, after which it prints ``DONE``. Nothing here sleeps:
the pipe is the handshake.

The pause is attached from outside through SQLAlchemy's event hooks and the jobs
registry (``jobs.handler`` re-registered with a wrapper), so the application code
runs exactly as in production.
"""

from __future__ import annotations

import json
import sys
from datetime import date

from sqlalchemy import event

from audit_app import create_app, jobs, models
from audit_app.data import returns
from audit_app.extensions import db
from audit_app.models import Role, User


class PausePoint:
    def __init__(self, spec: dict) -> None:
        self.where = spec["pause"]
        self.probe = spec["probe"]
        self.model = getattr(models, spec["pause_model"]) if spec.get("pause_model") else None
        self.armed = False  # set once the operation itself is under way
        self.committing = False
        self.done = False

    def pause(self, dbapi_connection) -> None:
        if self.done:
            return
        self.done = True
        cursor = dbapi_connection.cursor()
        cursor.execute(self.probe)
        seen = cursor.fetchone()[0]
        cursor.close()
        print("PAUSED " + json.dumps({"at": self.where, "seen": seen}), flush=True)
        sys.stdin.readline()  # killed here, or told to go on

    def install(self, session) -> None:
        @event.listens_for(session, "after_flush")
        def after_flush(session, context) -> None:
            if not (self.armed and self.where == "flush"):
                return
            if any(isinstance(obj, self.model) for obj in [*session.new, *session.dirty]):
                self.pause(session.connection().connection.dbapi_connection)

        @event.listens_for(session, "before_commit")
        def before_commit(session) -> None:
            self.committing = True

        @event.listens_for(session, "after_commit")
        def after_commit(session) -> None:
            self.committing = False

        @event.listens_for(session, "after_rollback")
        def after_rollback(session) -> None:
            self.committing = False

        @event.listens_for(db.engine, "commit")
        def commit(connection) -> None:
            # Only the session's COMMIT: on PostgreSQL a job's progress is
            # committed on a connection of its own, outside the session.
            if self.armed and self.committing and self.where == "commit":
                self.pause(connection.connection.dbapi_connection)

    def progress(self, report):
        def progress(done: int, total: int) -> None:
            report(done, total)
            if self.where == "progress" and done > 0:
                self.pause(db.session.connection().connection.dbapi_connection)

        return progress

    def wrap_handler(self, kind: str) -> None:
        """Re-register the job kind's handler so that the pause is armed while it runs
        (not while jobs.run marks the job as running)."""
        original = jobs._handlers[kind]

        def handler(job, report):
            self.armed = True
            return original(job, self.progress(report))

        jobs.handler(kind)(handler)


def submit(spec: dict, point: PausePoint) -> None:
    user = db.session.get(User, spec["user_id"])
    partnership = db.session.get(models.Partnership, spec["partnership_id"])
    view = returns.load_return(user, partnership, {Role.RESPONDENT}, spec["return_id"])
    signatures = {
        role.id: returns.Signature(f"Signatory {role.id}", role.label, date.today())
        for role in view.sign_off_roles
    }
    point.armed = True
    returns.sign_and_send(view, signatures, user, send=True)


def run_job(spec: dict, point: PausePoint) -> None:
    point.wrap_handler(spec["job_kind"])
    jobs.run(spec["job_id"])


OPERATIONS = {"submit": submit, "import": run_job, "open": run_job}


def main() -> None:
    spec = json.loads(sys.argv[1])
    app = create_app(spec["config"])
    with app.app_context():
        point = PausePoint(spec)
        point.install(db.session())
        OPERATIONS[spec["operation"]](spec, point)
        db.session.remove()
        db.engine.dispose()
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
