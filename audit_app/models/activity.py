"""Action plans, the audit trail and the outbox of messages."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import (
    ActionStatus,
    JobStatus,
    MessageStage,
    MessageStatus,
    TimestampMixin,
    UTCDateTime,
    enum_column,
)


class ActionItem(TimestampMixin, db.Model):
    """An agreed action, linked to a standard, followed up into the next cycle."""

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    return_id: Mapped[int | None] = mapped_column(ForeignKey("audit_return.id"))
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id"))
    section_id: Mapped[str | None] = mapped_column(String(80))  # the standard's stable id
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[ActionStatus] = enum_column(ActionStatus, default=ActionStatus.OPEN)
    completion_evidence: Mapped[str] = mapped_column(Text, default="")
    completed_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class AuditLogEntry(db.Model):
    """One recorded change: who, when, what, old value → new value. Rows are only ever added."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id"))
    entity_type: Mapped[str] = mapped_column(String(40))  # "return", "answer", "organisation"…
    entity_id: Mapped[int | None] = mapped_column(Integer)
    return_id: Mapped[int | None] = mapped_column(Integer, index=True)
    organisation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(40))  # "create", "update", "submit"…
    field: Mapped[str | None] = mapped_column(String(120))
    old_value: Mapped[object | None] = mapped_column(JSON)
    new_value: Mapped[object | None] = mapped_column(JSON)


class Job(db.Model):
    """A piece of bulk work (an import, a batch of messages, a batch of PDFs) and its progress.

    Runs on RQ when REDIS_URL is set, inline otherwise; either way the
    progress page reads this row.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id"))
    kind: Mapped[str] = mapped_column(String(40))  # e.g. "gias_import", "reminders", "feedback_pdfs"
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[JobStatus] = enum_column(JobStatus, default=JobStatus.QUEUED)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    parameters: Mapped[dict] = mapped_column(JSON, default=dict)
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last sign of life from whatever runs the job: when it started or last reported
    # progress. A running job silent for longer than JOB_STALE_MINUTES has stopped.
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ImportRun(db.Model):
    """One import of a register file (GIAS establishments, GIAS links, agencies), dry run or applied."""

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"))
    kind: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    dry_run: Mapped[bool] = mapped_column(default=True)
    # Counts and reasons: new, updated, closed, skipped (with why), errors (row, column, message).
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Message(db.Model):
    """An email, recorded in the outbox whether or not it is delivered by SMTP."""

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id"))
    return_id: Mapped[int | None] = mapped_column(ForeignKey("audit_return.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    stage: Mapped[MessageStage] = enum_column(MessageStage)
    # Makes sending idempotent: the same message for the same purpose is never queued twice.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    to: Mapped[str] = mapped_column(Text)
    cc: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[MessageStatus] = enum_column(MessageStatus, default=MessageStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Attachments (e.g. the s14B letter) are built on demand from this description.
    attachment: Mapped[dict | None] = mapped_column(JSON)
