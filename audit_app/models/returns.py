"""Returns, their answers, per-standard state, evidence and sign-off."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import EvidenceKind, ReturnStatus, TimestampMixin, UTCDateTime, enum_column


class Return(TimestampMixin, db.Model):
    """One organisation's return for one cycle."""

    __tablename__ = "audit_return"
    __table_args__ = (UniqueConstraint("cycle_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("audit_cycle.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"))
    # The duty the return is made under, fixed when the cycle opened.
    duty: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[ReturnStatus] = enum_column(ReturnStatus, default=ReturnStatus.NOT_STARTED)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Scores computed by scoring/ when the return is submitted or moderated, so
    # dashboards never rescore on each request.
    score: Mapped[dict | None] = mapped_column(JSON)
    flags: Mapped[list | None] = mapped_column(JSON)
    scored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Optimistic locking for changes to the return as a whole (status, sign-off).
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    cycle = relationship("AuditCycle")
    organisation = relationship("Organisation")
    questionnaire_version = relationship("QuestionnaireVersion")
    reviewer = relationship("User", foreign_keys=[reviewer_id])
    answers: Mapped[list[Answer]] = relationship(
        back_populates="audit_return", cascade="all, delete-orphan", order_by="Answer.question_id"
    )
    sections: Mapped[list[ReturnSection]] = relationship(
        back_populates="audit_return", cascade="all, delete-orphan", order_by="ReturnSection.section_id"
    )


class ReturnSection(db.Model):
    """Per-standard state of a return.

    ``version`` goes up on every save of the standard's page, so a save made
    from a page loaded before someone else's save is refused rather than
    silently overwriting it.
    """

    __table_args__ = (UniqueConstraint("return_id", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("audit_return.id", ondelete="CASCADE"))
    section_id: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    audit_return: Mapped[Return] = relationship(back_populates="sections")


class Answer(db.Model):
    __table_args__ = (UniqueConstraint("return_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("audit_return.id", ondelete="CASCADE"))
    # The questionnaire's stable question id: joins answers across cycles.
    question_id: Mapped[str] = mapped_column(String(120))
    value: Mapped[object | None] = mapped_column(JSON)
    na_reason: Mapped[str | None] = mapped_column(Text)
    # Pre-filled from last cycle's accepted return; shown as "check and confirm" until confirmed.
    copied_forward: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    audit_return: Mapped[Return] = relationship(back_populates="answers")


class Evidence(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("audit_return.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(120))
    kind: Mapped[EvidenceKind] = enum_column(EvidenceKind)
    original_filename: Mapped[str | None] = mapped_column(String(255))
    # Name of the file under EVIDENCE_DIR; never derived from what the user sent.
    stored_name: Mapped[str | None] = mapped_column(String(80), unique=True)
    content_type: Mapped[str | None] = mapped_column(String(120))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(1000))
    copied_forward: Mapped[bool] = mapped_column(default=False)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # What the upload check found wrong with the file (empty, unreadable), if anything.
    check_problem: Mapped[str | None] = mapped_column(String(300))
    # Set by a reviewer: the document does not show what it is meant to.
    inadequate_reason: Mapped[str | None] = mapped_column(Text)


class SignOff(db.Model):
    """One signature on the declaration: head teacher, DSL, chair of governors, executive…"""

    __table_args__ = (UniqueConstraint("return_id", "role_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("audit_return.id", ondelete="CASCADE"))
    role_id: Mapped[str] = mapped_column(String(40))  # the questionnaire's sign_off role id
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200))
    signed_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class ReturnFeedback(TimestampMixin, db.Model):
    """What the partnership tells the organisation: strengths and areas for development."""

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("audit_return.id", ondelete="CASCADE"), unique=True)
    strengths: Mapped[str] = mapped_column(Text, default="")
    areas_for_development: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReturnStatusChange(db.Model):
    """Every change of a return's status: who, when and why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("audit_return.id", ondelete="CASCADE"))
    from_status: Mapped[ReturnStatus | None] = enum_column(ReturnStatus, nullable=True)
    to_status: Mapped[ReturnStatus] = enum_column(ReturnStatus)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    comment: Mapped[str] = mapped_column(Text, default="")
