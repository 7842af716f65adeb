"""Single-use, expiring tokens for password resets and invitations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from ..extensions import db
from ..models import AuthToken, TokenPurpose, User, utcnow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    purpose: TokenPurpose,
    email: str,
    lifetime: timedelta,
    user: User | None = None,
    return_id: int | None = None,
) -> tuple[str, AuthToken]:
    """A new token: the secret to put in a link, and its stored record (holding only a hash)."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    record = AuthToken(
        purpose=purpose,
        token_hash=_digest(secret),
        user_id=user.id if user else None,
        email=email,
        return_id=return_id,
        created_at=now,
        expires_at=now + lifetime,
    )
    db.session.add(record)
    db.session.flush()
    return secret, record


def find_live_token(purpose: TokenPurpose, secret: str) -> AuthToken | None:
    """The token if it exists, is of this purpose, is unused and has not expired."""
    if not secret or len(secret) > 200:
        return None
    record = db.session.scalar(select(AuthToken).where(AuthToken.token_hash == _digest(secret)))
    if record is None or record.purpose is not purpose:
        return None
    if record.used_at is not None or record.expires_at <= utcnow():
        return None
    return record


def spend_token(record: AuthToken) -> bool:
    """Mark a token used, unless another request got there first.

    A conditional UPDATE rather than a read-then-write, so two requests racing
    with the same link cannot both succeed. The caller commits along with what
    the token allowed.
    """
    result = db.session.execute(
        update(AuthToken)
        .where(AuthToken.id == record.id, AuthToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.expire(record)
    return result.rowcount == 1
