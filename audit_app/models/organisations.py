"""Partnerships, the organisations they audit, and organisation contacts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import ContactRole, OrganisationKind, OrganisationStatus, TimestampMixin, enum_column

# An organisation can belong to several partnerships (e.g. a police force or an
# ICB that covers two local authority areas).
partnership_organisation = Table(
    "partnership_organisation",
    db.metadata,
    Column("partnership_id", ForeignKey("partnership.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
)


class Partnership(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    # GIAS "LA (code)"s the partnership covers, e.g. ["850", "851"].
    la_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Per-partnership edits to the GIAS type-code → duty table.
    type_duty_overrides: Mapped[dict[str, str | None]] = mapped_column(JSON, default=dict)
    # Days before the initial deadline on which reminders go out.
    reminder_days: Mapped[list[int]] = mapped_column(JSON, default=lambda: [14, 7, 1])
    independent_chair: Mapped[str] = mapped_column(String(200), default="")

    organisations: Mapped[list[Organisation]] = relationship(
        secondary=partnership_organisation, back_populates="partnerships"
    )

    def __repr__(self) -> str:
        return f"<Partnership {self.slug}>"


class Organisation(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrganisationKind] = enum_column(OrganisationKind)
    name: Mapped[str] = mapped_column(String(300))
    # s11 / s175 / s157 / nmss / fe: the values of scoring.definitions.model.Duty.
    duty: Mapped[str] = mapped_column(String(16))
    status: Mapped[OrganisationStatus] = enum_column(OrganisationStatus, default=OrganisationStatus.OPEN)
    agency_type: Mapped[str | None] = mapped_column(String(40))

    # GIAS identifiers and details (schools and colleges).
    urn: Mapped[int | None] = mapped_column(Integer, unique=True)
    ukprn: Mapped[str | None] = mapped_column(String(16))
    la_code: Mapped[str | None] = mapped_column(String(8))
    la_name: Mapped[str | None] = mapped_column(String(120))
    establishment_number: Mapped[str | None] = mapped_column(String(8))
    type_code: Mapped[str | None] = mapped_column(String(8))
    type_name: Mapped[str | None] = mapped_column(String(120))
    phase: Mapped[str | None] = mapped_column(String(60))
    trust_code: Mapped[str | None] = mapped_column(String(16))
    trust_name: Mapped[str | None] = mapped_column(String(300))
    pupils: Mapped[int | None] = mapped_column(Integer)
    low_age: Mapped[int | None] = mapped_column(Integer)
    high_age: Mapped[int | None] = mapped_column(Integer)
    opened_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    close_reason: Mapped[str | None] = mapped_column(String(200))

    street: Mapped[str | None] = mapped_column(String(200))
    town: Mapped[str | None] = mapped_column(String(120))
    postcode: Mapped[str | None] = mapped_column(String(16))
    website: Mapped[str | None] = mapped_column(String(300))
    telephone: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str] = mapped_column(Text, default="")

    # Academy conversion closes one URN and opens another; history follows this link.
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    successor: Mapped[Organisation | None] = relationship(remote_side=[id], foreign_keys=[successor_id])

    partnerships: Mapped[list[Partnership]] = relationship(
        secondary=partnership_organisation, back_populates="organisations"
    )
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Contact.id"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class Contact(TimestampMixin, db.Model):
    """Someone the business unit writes to about an organisation's return."""

    __table_args__ = (UniqueConstraint("organisation_id", "email", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[ContactRole] = enum_column(ContactRole)
    position: Mapped[str] = mapped_column(String(120), default="")  # e.g. "Head teacher"

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")
