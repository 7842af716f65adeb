"""Killed in the middle, an operation leaves everything or nothing: sending a return, applying a
register import and opening a cycle are each one transaction.

Each test sets the operation up, then runs it in a child process (tests/support/kill_target.py)
on the same database. The child stops at a chosen point inside the operation's transaction —
after its first partial write, or with everything written and the COMMIT about to go — says
so on its stdout, and waits on its stdin. The test then kills it with SIGKILL, as the kernel's
out-of-memory killer or a pulled plug would, and reads the database back. A control run lets
the child go on instead, to show what "everything" looks like.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from audit_app import jobs
from audit_app.data import cycles
from audit_app.extensions import db
from audit_app.models import (
    AuditCycle,
    AuditLogEntry,
    ImportRun,
    Job,
    JobStatus,
    Message,
    MessageStage,
    Organisation,
    Return,
    ReturnSection,
    ReturnStatus,
    ReturnStatusChange,
    Role,
    SignOff,
    User,
    partnership_organisation,
    utcnow,
)
from audit_app.organisations import importing

from ..conftest import config_for
from ..support.client import soup
from ..support.cycles import organisation_with_contacts, shipped_version
from ..support.factories import PASSWORD, make_partnership, make_user
from ..support.registers import gias_file, keep_imports_in, school
from ..support.returns import complete_every_section, respondent_for, school_return

ROOT = Path(__file__).resolve().parents[2]
# A guard against a child that hangs, not a synchronisation: the child says when it has paused.
HANDSHAKE_LIMIT_SECONDS = 180


@dataclass
class Child:
    process: subprocess.Popen
    stderr: Path
    output: bytes = b""

    def wait_for_pause(self) -> dict:
        """Read the child's stdout until it says it has paused; what it saw inside its transaction."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            while self._paused_line() is None:
                if not selector.select(timeout=HANDSHAKE_LIMIT_SECONDS):
                    self.process.kill()
                    pytest.fail(f"the child never paused:\n{self.stderr.read_text()}")
                chunk = os.read(self.process.stdout.fileno(), 4096)
                if not chunk:
                    self.process.wait()
                    pytest.fail(f"the child ended without pausing:\n{self.stderr.read_text()}")
                self.output += chunk
        return json.loads(self._paused_line().removeprefix("PAUSED "))

    def _paused_line(self) -> str | None:
        lines = self.output.decode().splitlines(keepends=True)
        return next((line for line in lines if line.startswith("PAUSED ") and line.endswith("\n")), None)

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        assert self.process.wait() == -signal.SIGKILL

    def let_finish(self) -> None:
        self.process.stdin.write(b"go on\n")
        self.process.stdin.flush()
        rest = self.output + self.process.stdout.read()
        assert self.process.wait() == 0, self.stderr.read_text()
        assert rest.decode().strip().endswith("DONE")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.process.stdin.close()


@pytest.fixture
def start_child(app, tmp_path):
    """Run the operation in a child process on the test's own database and configuration."""
    children: list[Child] = []

    def start(**spec) -> Child:
        child = _start(app, tmp_path, **spec)
        children.append(child)
        return child

    yield start
    for child in children:
        child.close()


def _start(app, tmp_path: Path, **spec) -> Child:
    db.session.commit()
    config = config_for(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    if app.config.get("IMPORTS_DIR"):
        config["IMPORTS_DIR"] = app.config["IMPORTS_DIR"]
    stderr = tmp_path / "child-stderr.txt"
    with stderr.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.kill_target", json.dumps({"config": config, **spec})],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            bufsize=0,
        )
    return Child(process, stderr)


def count(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def fresh() -> None:
    """Start a new transaction, so that what another process committed meanwhile is seen."""
    db.session.rollback()
    db.session.expire_all()


# ---- sending a return -------------------------------------------------------------------


def complete_return(client):
    audit_return = school_return(make_partnership())
    respondent = respondent_for(audit_return)
    client.sign_in(respondent.email, PASSWORD)
    complete_every_section(client, audit_return)
    spec = {
        "operation": "submit",
        "return_id": audit_return.id,
        "user_id": respondent.id,
        "partnership_id": audit_return.cycle.partnership_id,
        "probe": f"SELECT count(*) FROM sign_off WHERE return_id = {audit_return.id}",
        "pause_model": "ReturnStatusChange",
    }
    return audit_return, spec


def return_state(audit_return) -> dict:
    fresh()
    row = db.session.get(Return, audit_return.id)
    return {
        "status": row.status,
        "scored": row.score is not None,
        "sign_offs": count(SignOff, SignOff.return_id == row.id),
        "sent_in_history": count(
            ReturnStatusChange,
            ReturnStatusChange.return_id == row.id,
            ReturnStatusChange.to_status == ReturnStatus.SUBMITTED,
        ),
        "trail_of_signatures": count(
            AuditLogEntry, AuditLogEntry.return_id == row.id, AuditLogEntry.entity_type == "sign_off"
        ),
    }


SENT = {
    "status": ReturnStatus.SUBMITTED,
    "scored": True,
    "sign_offs": 2,  # head teacher and chair of governors, for a maintained school
    "sent_in_history": 1,
}


@pytest.mark.parametrize("pause", ["flush", "commit"])
def test_a_return_killed_while_being_sent_is_still_in_progress_with_nothing_of_the_send(
    start_child, client, pause
):
    audit_return, spec = complete_return(client)
    before = return_state(audit_return)
    assert before["status"] is ReturnStatus.IN_PROGRESS and before["sign_offs"] == 0

    child = start_child(pause=pause, **spec)
    seen = child.wait_for_pause()
    assert seen["seen"] == 2  # the signatures are written, inside the child's transaction
    assert return_state(audit_return) == before  # and nobody else can see them
    child.kill()

    assert return_state(audit_return) == before


def test_a_return_sent_without_interruption_is_sent_whole(start_child, client):
    audit_return, spec = complete_return(client)
    child = start_child(pause="commit", **spec)
    child.wait_for_pause()
    child.let_finish()

    after = return_state(audit_return)
    assert {key: after[key] for key in SENT} == SENT
    assert after["trail_of_signatures"] > 0


# ---- applying a register import ---------------------------------------------------------

SCHOOLS = 30


def checked_import(app, tmp_path):
    """A dry run of a GIAS file of 30 new schools, checked and waiting, and the job to apply it."""
    kept = keep_imports_in(app, tmp_path)
    partnership = make_partnership("Demoshire Safeguarding Children Partnership", la_codes=["990"])
    admin = make_user(Role.ADMIN, partnership)
    rows = [
        school(urn=100001 + n, number=2101 + n, name=f"Oakbridge School {n}", head_last=f"Oakley{n}")
        for n in range(SCHOOLS)
    ]
    run = importing.dry_run_gias_upload(
        partnership, importing.RegisterFile(gias_file(*rows), "edubasealldata.csv"), ["990"], None, admin.id
    )
    job = Job(
        kind="gias_import",
        title="Importing edubasealldata.csv",
        parameters={"import_run_id": run.id},
        partnership_id=partnership.id,
        created_by_id=admin.id,
        status=JobStatus.QUEUED,
        created_at=utcnow(),
    )
    db.session.add(job)
    db.session.commit()
    assert len(list(kept.iterdir())) == 1
    spec = {
        "operation": "import",
        "job_kind": "gias_import",
        "job_id": job.id,
        "probe": "SELECT count(*) FROM organisation",
    }
    return run, job, spec


def import_state(run, job) -> dict:
    fresh()
    run = db.session.get(ImportRun, run.id)
    return {
        "organisations": count(Organisation),
        "members": count(partnership_organisation),
        "trail_of_organisations": count(AuditLogEntry, AuditLogEntry.entity_type == "organisation"),
        "applied": run.applied_at is not None,
        "dry_run": run.dry_run,
        # Applying again must still be possible: the checked file is still kept.
        "can_apply": importing.refusal(run) is None,
    }


NOT_IMPORTED = {
    "organisations": 0,
    "members": 0,
    "trail_of_organisations": 0,
    "applied": False,
    "dry_run": True,
    "can_apply": True,
}


IMPORTED = {
    "organisations": SCHOOLS,
    "members": SCHOOLS,
    "trail_of_organisations": SCHOOLS,
    "applied": True,
    "dry_run": False,
    "can_apply": False,
}


@pytest.mark.parametrize("pause", ["progress", "commit"])
def test_an_import_killed_midway_writes_nothing_and_can_be_applied_again(
    app, client, tmp_path, start_child, pause
):
    run, job, spec = checked_import(app, tmp_path)
    assert import_state(run, job) == NOT_IMPORTED

    child = start_child(pause=pause, **spec)
    assert child.wait_for_pause()["seen"] == SCHOOLS
    assert import_state(run, job) == NOT_IMPORTED
    child.kill()

    assert import_state(run, job) == NOT_IMPORTED
    fresh()
    # The worker died with the job. At first nobody can tell a dead worker from a slow one:
    # the job still says "running".
    assert db.session.get(Job, job.id).status is JobStatus.RUNNING
    assert jobs.fail_stopped_jobs() == 0

    # Half an hour (JOB_STALE_MINUTES) without a word from it, and its progress page says it
    # stopped, marks it failed, and offers to apply the import again.
    silent_since = utcnow() - timedelta(minutes=app.config["JOB_STALE_MINUTES"] + 1)
    db.session.execute(
        update(Job).where(Job.id == job.id).values(started_at=silent_since, updated_at=silent_since)
    )
    client.sign_in(db.session.get(User, job.created_by_id).email, PASSWORD)
    page = soup(client.get(f"/jobs/{job.id}"))
    assert page.select_one(".govuk-tag").get_text(strip=True) == "Stopped unexpectedly"
    assert "Anything it had not finished was not saved." in page.get_text(" ", strip=True)
    fresh()
    assert db.session.get(Job, job.id).status is JobStatus.FAILED
    again = page.find("a", string="Check the import and apply it again")
    assert again is not None and again["href"] == f"/organisations/imports/{run.id}"

    summary = soup(client.get(again["href"]))
    applied = client.post(
        "/organisations/import/apply",
        data={"csrf_token": summary.select_one("input[name=csrf_token]")["value"], "import_run_id": run.id},
    )
    assert applied.status_code == 302
    assert import_state(run, job) == IMPORTED
    # Once applied, the failed job no longer offers to apply it.
    assert soup(client.get(f"/jobs/{job.id}")).find("a", string="Check the import and apply it again") is None


def test_an_import_applied_without_interruption_is_written_whole(app, tmp_path, start_child):
    run, job, spec = checked_import(app, tmp_path)
    child = start_child(pause="commit", **spec)
    child.wait_for_pause()
    child.let_finish()

    assert import_state(run, job) == IMPORTED
    fresh()
    assert db.session.get(Job, job.id).status is JobStatus.FINISHED


# ---- opening a cycle --------------------------------------------------------------------

AGENCIES = 6


def draft_cycle():
    partnership = make_partnership()
    for n in range(AGENCIES):
        organisation_with_contacts(partnership, f"Agency {n}", agency_type="police")
    today = date.today()
    cycle = cycles.create_cycle(
        partnership,
        "Section 11 audit",
        opens_on=today - timedelta(days=1),
        initial_deadline=today + timedelta(days=30),
        final_deadline=today + timedelta(days=60),
        questionnaires={"s11": shipped_version("s11")},
        audience={"kinds": ["agency"]},
    )
    job = Job(
        kind="open_cycle",
        title="Opening Section 11 audit",
        parameters={"cycle_id": cycle.id, "today": today.isoformat()},
        partnership_id=partnership.id,
        status=JobStatus.QUEUED,
        created_at=utcnow(),
    )
    db.session.add(job)
    db.session.commit()
    spec = {
        "operation": "open",
        "job_kind": "open_cycle",
        "job_id": job.id,
        "probe": f"SELECT count(*) FROM audit_return WHERE cycle_id = {cycle.id}",
        "pause_model": "Return",
    }
    return cycle, spec


def cycle_state(cycle) -> dict:
    fresh()
    returns = select(Return.id).where(Return.cycle_id == cycle.id)
    return {
        "status": db.session.get(AuditCycle, cycle.id).status.value,
        "returns": count(Return, Return.cycle_id == cycle.id),
        "sections": count(ReturnSection, ReturnSection.return_id.in_(returns)),
        "history": count(ReturnStatusChange, ReturnStatusChange.return_id.in_(returns)),
        "outbox": count(Message, Message.stage != MessageStage.ACCOUNT),
    }


CLOSED = {"status": "draft", "returns": 0, "sections": 0, "history": 0, "outbox": 0}


@pytest.mark.parametrize("pause", ["flush", "commit"])
def test_a_cycle_killed_while_opening_is_still_a_draft_with_no_returns_and_no_invitations(
    app, start_child, pause
):
    cycle, spec = draft_cycle()
    assert cycle_state(cycle) == CLOSED

    child = start_child(pause=pause, **spec)
    assert child.wait_for_pause()["seen"] == AGENCIES
    assert cycle_state(cycle) == CLOSED
    child.kill()

    assert cycle_state(cycle) == CLOSED
    # Once it has been silent for JOB_STALE_MINUTES, the job is failed and offers to open the cycle again.
    assert jobs.fail_stopped_jobs(now=utcnow() + timedelta(minutes=app.config["JOB_STALE_MINUTES"] + 1)) == 1
    job = db.session.get(Job, spec["job_id"])
    assert jobs.stopped_unexpectedly(job)
    with app.test_request_context():
        assert jobs.again(job) == jobs.Again(
            f"/cycles/{cycle.id}", "Go to Section 11 audit and open it again"
        )


def test_a_cycle_opened_without_interruption_has_every_return_and_invitation(start_child):
    cycle, spec = draft_cycle()
    child = start_child(pause="commit", **spec)
    child.wait_for_pause()
    child.let_finish()

    state = cycle_state(cycle)
    sections = len(
        [s for s in cycles.questionnaire_of(cycle.questionnaires[0].questionnaire_version).sections]
    )
    assert state == {
        "status": "open",
        "returns": AGENCIES,
        "sections": AGENCIES * sections,
        "history": AGENCIES,
        "outbox": AGENCIES,  # one invitation to each lead contact
    }
