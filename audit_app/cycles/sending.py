"""Bulk work on a cycle, run as background jobs: opening it, chasing a selection, sending what is due.

Each job queues its messages and commits them in one transaction, then delivers
them one by one (see mail.deliver_due). Run again, a job queues nothing it has
queued before and sends nothing that has gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for

from .. import jobs, mail
from ..data import chasing, cycles
from ..extensions import db
from ..models import CycleStatus, Partnership
from . import messages


@dataclass
class RunReport:
    queued: messages.QueueReport
    delivered: mail.DeliveryReport

    def as_dict(self) -> dict:
        return {
            "queued": {stage.value: n for stage, n in self.queued.by_stage.items()},
            **self.delivered.as_dict(),
        }


def queue_due(
    today: date, partnership: Partnership | None = None, cycle_ids: list[int] | None = None
) -> messages.QueueReport:
    """Queue every invitation, reminder, chase and letter due today; commits."""
    planned = chasing.plan_due(today, partnership, cycle_ids)
    report = messages.queue(planned, today)
    db.session.commit()
    return report


def send_due(today: date, partnership: Partnership | None = None, progress=None) -> RunReport:
    """Queue what is due today, then deliver everything waiting (a partnership's, or all)."""
    queued = queue_due(today, partnership)
    delivered = mail.deliver_due(partnership_id=partnership.id if partnership else None, progress=progress)
    return RunReport(queued, delivered)


def _today(job) -> date:
    return date.fromisoformat(job.parameters["today"])


def open_again(job) -> jobs.Again | None:
    """Opening creates every return in one transaction: a cycle still in draft can be opened again."""
    partnership = db.session.get(Partnership, job.partnership_id)
    cycle = cycles.cycle_in_scope(partnership, job.parameters["cycle_id"]) if partnership else None
    if cycle is None or cycle.status is not CycleStatus.DRAFT:
        return None
    return jobs.Again(url_for("cycles.show", cycle_id=cycle.id), f"Go to {cycle.name} and open it again")


@jobs.handler("open_cycle", again=open_again)
def open_cycle_job(job, progress) -> dict:
    """Create every return in one transaction with its invitation, then send the invitations."""
    try:
        returns = cycles.open_for_audience(job.parameters["cycle_id"])
    except cycles.CycleCannotOpen as exc:
        raise jobs.JobError(str(exc)) from exc
    today = _today(job)
    queued = messages.queue(chasing.plan_due(today, cycle_ids=[job.parameters["cycle_id"]]), today)
    db.session.commit()
    delivered = mail.deliver_due(message_ids=queued.message_ids, progress=progress)
    return {"returns": len(returns), **RunReport(queued, delivered).as_dict()}


@jobs.handler("chase_returns")
def chase_returns_job(job, progress) -> dict:
    """A business-unit chase to each chosen organisation that has still not returned."""
    partnership = db.session.get(Partnership, job.partnership_id)
    cycle = cycles.cycle_in_scope(partnership, job.parameters["cycle_id"])
    if cycle is None:
        raise jobs.JobError("The cycle could not be found.")
    returns = chasing.returns_to_chase(cycle, partnership, job.parameters["return_ids"])
    today = _today(job)
    queued = messages.queue(chasing.plan_manual_chases(returns, today), today, partnership.id)
    db.session.commit()
    delivered = mail.deliver_due(message_ids=queued.message_ids, progress=progress)
    return RunReport(queued, delivered).as_dict()


@jobs.handler("send_due_messages")
def send_due_job(job, progress) -> dict:
    partnership = db.session.get(Partnership, job.partnership_id)
    return send_due(_today(job), partnership, progress).as_dict()
