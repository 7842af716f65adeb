"""Review and moderation of returns, and the challenge event."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimestampMixin, UTCDateTime


class StandardModeration(TimestampMixin, db.Model):
    """A reviewer's judgement on one standard of a return, kept beside the self rating."""

    __table_args__ = (UniqueConstraint("return_id", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("audit_return.id", ondelete="CASCADE"))
    section_id: Mapped[str] = mapped_column(String(80))
    self_rating: Mapped[str | None] = mapped_column(String(40))
    scored_rating: Mapped[str | None] = mapped_column(String(40))
    # None means the reviewer agrees with the self-assessment.
    moderated_rating: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text, default="")
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class ChallengeQuestion(db.Model):
    """A reviewer's question to the organisation, answered in the app."""

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("audit_return.id", ondelete="CASCADE"))
    section_id: Mapped[str | None] = mapped_column(String(80))
    question: Mapped[str] = mapped_column(Text)
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    response: Mapped[str | None] = mapped_column(Text)
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ChallengeEvent(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"))
    cycle_id: Mapped[int] = mapped_column(ForeignKey("audit_cycle.id"))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(300), default="")
    online_link: Mapped[str] = mapped_column(String(1000), default="")
    # The selection rules used to build the agenda, to show and re-apply.
    selection_rules: Mapped[dict] = mapped_column(JSON, default=dict)

    panel: Mapped[list[PanelMember]] = relationship(cascade="all, delete-orphan", order_by="PanelMember.id")
    agenda: Mapped[list[AgendaItem]] = relationship(
        cascade="all, delete-orphan", order_by="AgendaItem.position"
    )


class PanelMember(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("challenge_event.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    name: Mapped[str] = mapped_column(String(200))
    panel_role: Mapped[str] = mapped_column(String(120), default="")  # e.g. "Chair", "Independent scrutineer"


class AgendaItem(db.Model):
    __table_args__ = (UniqueConstraint("event_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("challenge_event.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    return_id: Mapped[int | None] = mapped_column(ForeignKey("audit_return.id"))
    position: Mapped[int] = mapped_column(Integer)
    # Why the organisation was selected: rule codes with plain-English reasons.
    selection_reasons: Mapped[list] = mapped_column(JSON, default=list)
    challenge_notes: Mapped[str] = mapped_column(Text, default="")
    organisation_response: Mapped[str] = mapped_column(Text, default="")
    discussed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
