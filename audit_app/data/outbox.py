"""The outbox: every email the toolkit sends is recorded here first."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Message, MessageStage, MessageStatus, utcnow


def queue_message(
    *,
    key: str,
    stage: MessageStage,
    to: str,
    subject: str,
    body: str,
    cc: str = "",
    partnership_id: int | None = None,
    return_id: int | None = None,
) -> Message:
    """Record a message once per ``key``; queuing the same key again returns the first."""
    existing = db.session.scalar(select(Message).where(Message.idempotency_key == key))
    if existing is not None:
        return existing
    message = Message(
        idempotency_key=key,
        stage=stage,
        to=to,
        cc=cc,
        subject=subject,
        body=body,
        partnership_id=partnership_id,
        return_id=return_id,
        status=MessageStatus.QUEUED,
        created_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    return message


def record_delivery(message: Message, error: str | None, smtp_configured: bool) -> None:
    message.attempts += 1
    if not smtp_configured:
        message.status = MessageStatus.OUTBOX_ONLY
    elif error:
        message.status = MessageStatus.FAILED
        message.last_error = error
    else:
        message.status = MessageStatus.SENT
        message.sent_at = utcnow()
        message.last_error = ""
    db.session.commit()


def messages_to(email: str) -> list[Message]:
    return list(db.session.scalars(select(Message).where(Message.to == email).order_by(Message.id)))
