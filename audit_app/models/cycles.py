"""Questionnaire snapshots and audit cycles."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import CycleStatus, TimestampMixin, UTCDateTime, enum_column

# Partnerships that run a cycle together (a joint S11 audit): an agency that
# belongs to each of them returns once, and each sees that return.
cycle_partnership = Table(
    "cycle_partnership",
    db.metadata,
    Column("cycle_id", ForeignKey("audit_cycle.id", ondelete="CASCADE"), primary_key=True),
    Column("partnership_id", ForeignKey("partnership.id", ondelete="CASCADE"), primary_key=True),
)


class QuestionnaireVersion(db.Model):
    """The exact text of a questionnaire file as used by a cycle.

    Editing or replacing the file later never changes how past returns display
    or score, because returns point here rather than at the file.
    """

    __table_args__ = (UniqueConstraint("content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_key: Mapped[str] = mapped_column(String(80))  # the file's `id`
    version: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    source_name: Mapped[str] = mapped_column(String(300))  # file name it came from
    source_text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 of source_text
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditCycle(TimestampMixin, db.Model):
    __tablename__ = "audit_cycle"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The partnership that created and runs the cycle.
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"))
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[CycleStatus] = enum_column(CycleStatus, default=CycleStatus.DRAFT)
    # How the audience was chosen, kept to show and to re-apply: kinds, types, LA codes, hand-picked ids.
    audience: Mapped[dict] = mapped_column(JSON, default=dict)
    opens_on: Mapped[date] = mapped_column(Date)
    initial_deadline: Mapped[date] = mapped_column(Date)
    final_deadline: Mapped[date] = mapped_column(Date)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When reminders, chases and the chair's letter go out; see data/ for the defaults.
    reminder_schedule: Mapped[dict] = mapped_column(JSON, default=dict)
    # The cycle before this one for the same audience, for year-on-year comparison.
    previous_cycle_id: Mapped[int | None] = mapped_column(ForeignKey("audit_cycle.id"))

    partnership = relationship("Partnership")
    partnerships = relationship("Partnership", secondary=cycle_partnership)
    questionnaires: Mapped[list[CycleQuestionnaire]] = relationship(
        back_populates="cycle", cascade="all, delete-orphan", order_by="CycleQuestionnaire.duty"
    )


class CycleQuestionnaire(db.Model):
    """Which questionnaire version a cycle uses for one duty (s11, s175, s157, nmss, fe)."""

    cycle_id: Mapped[int] = mapped_column(ForeignKey("audit_cycle.id", ondelete="CASCADE"), primary_key=True)
    duty: Mapped[str] = mapped_column(String(16), primary_key=True)
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"))

    cycle: Mapped[AuditCycle] = relationship(back_populates="questionnaires")
    questionnaire_version: Mapped[QuestionnaireVersion] = relationship()


class CycleNote(db.Model):
    """Free text the business unit attaches to a cycle (e.g. the covering message in invitations)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("audit_cycle.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
