"""Shared column helpers and the string enums stored in the database."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A moment in time, always handed back as an aware UTC datetime.

    SQLite keeps no time zone, so values are stored as naive UTC on every
    database and made aware again on the way out; comparing them with
    ``utcnow()`` then behaves the same on SQLite and PostgreSQL.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store aware datetimes only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def enum_column(enum_class: type[enum.Enum], **kwargs):
    """Store an enum by its value as a plain string, with no native database type.

    Plain strings keep migrations simple on both SQLite and PostgreSQL when a
    later issue adds a member.
    """
    return mapped_column(
        Enum(
            enum_class,
            native_enum=False,
            create_constraint=False,
            length=32,
            values_callable=lambda members: [m.value for m in members],
            validate_strings=True,
        ),
        **kwargs,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class OrganisationKind(str, enum.Enum):
    AGENCY = "agency"
    SCHOOL = "school"
    COLLEGE = "college"


class OrganisationStatus(str, enum.Enum):
    OPEN = "open"
    CLOSED = "closed"


class Role(str, enum.Enum):
    ADMIN = "admin"  # board business unit
    REVIEWER = "reviewer"  # auditor, QA subgroup member, peer reviewer, scrutineer
    RESPONDENT = "respondent"  # DSL or agency safeguarding lead, for one organisation
    BOARD_VIEWER = "board_viewer"  # board member or executive

    @property
    def label(self) -> str:
        return {
            Role.ADMIN: "Business unit admin",
            Role.REVIEWER: "Reviewer",
            Role.RESPONDENT: "Organisation respondent",
            Role.BOARD_VIEWER: "Board viewer",
        }[self]


class ContactRole(str, enum.Enum):
    LEAD = "lead"  # DSL or agency safeguarding lead: receives the invitation
    ESCALATION = "escalation"  # head teacher, chair of governors, executive lead


class TokenPurpose(str, enum.Enum):
    PASSWORD_RESET = "password_reset"
    INVITATION = "invitation"


class CycleStatus(str, enum.Enum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class ReturnStatus(str, enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_returned(self) -> bool:
        """Submitted at least once: a return sent back for changes still counts as returned."""
        return self in (ReturnStatus.SUBMITTED, ReturnStatus.CHANGES_REQUESTED, ReturnStatus.ACCEPTED)


class EvidenceKind(str, enum.Enum):
    FILE = "file"
    LINK = "link"  # a description or a link to a document held elsewhere


class ActionStatus(str, enum.Enum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class MessageStage(str, enum.Enum):
    INVITATION = "invitation"
    REMINDER = "reminder"
    CHASE = "chase"  # business-unit chase, copied to escalation contacts
    LETTER = "letter"  # independent chair's or scrutineer's letter citing s14B
    ACCOUNT = "account"  # password resets and other account mail
    FEEDBACK = "feedback"  # a school's or college's feedback is ready, once its return is accepted


class JobStatus(str, enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


class MessageStatus(str, enum.Enum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    OUTBOX_ONLY = "outbox_only"  # no SMTP configured: kept for viewing in the app
