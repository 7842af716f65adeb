"""Users, their role grants and single-use tokens."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Role, TimestampMixin, TokenPurpose, UTCDateTime, enum_column


class User(UserMixin, TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200))
    # None until the person sets a password from an invitation link.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last time-step accepted, so a code cannot be replayed within its window.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Changing this signs the person out everywhere (e.g. after a password reset).
    session_version: Mapped[int] = mapped_column(Integer, default=1)

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="RoleGrant.id"
    )

    @property
    def is_active(self) -> bool:  # used by flask-login
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class RoleGrant(TimestampMixin, db.Model):
    """A role held in one partnership; respondents hold it for one organisation."""

    __table_args__ = (UniqueConstraint("user_id", "role", "partnership_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    role: Mapped[Role] = enum_column(Role)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    # For reviewers who are peer reviewers from another agency.
    from_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))

    user: Mapped[User] = relationship(back_populates="grants")
    partnership = relationship("Partnership")
    organisation = relationship("Organisation", foreign_keys=[organisation_id])


class AuthToken(db.Model):
    """A single-use, expiring token (password reset or invitation).

    Only a hash of the token is stored, so a copy of the database cannot be used
    to sign in as anyone.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[TokenPurpose] = enum_column(TokenPurpose)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320))
    return_id: Mapped[int | None] = mapped_column(ForeignKey("audit_return.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()
