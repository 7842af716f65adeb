"""The outbox: every email the toolkit sends is recorded here before it is sent.

Sending is idempotent at both ends.

Queuing
    Each message carries a key naming its purpose (``invitation:<return id>``,
    ``reminder:<return id>:<date>``, ``chase:<return id>:<n>``, ``letter:<return id>``,
    ``password-reset:<token id>``); a stage sent as several messages (one per lead
    contact, each with a start link of its own, and a copy without one) keys the
    further ones ``<key>/to/<contact id>`` and ``<key>/copy``. The key is unique in
    the table and the row is inserted with ON CONFLICT DO NOTHING, so when two runs
    race to queue the same message the database lets one in and the other simply
    finds the key taken. (A
    plain INSERT would raise IntegrityError instead, and on PostgreSQL that aborts the
    whole surrounding transaction, e.g. the opening of a cycle.)

Sending
    A message is claimed with a conditional UPDATE — "mark it handed over, if it is
    still in the state I saw" — and the claim is committed before the mail server is
    contacted. Of two workers that both saw the message queued, only one UPDATE
    matches a row, so only one sends. The claim marks the message SENT at once: if
    the process died while talking to the server the message would stay marked sent,
    which errs on the side of never writing to a school twice.

``sent_at`` is the moment the message was last handed to the mail server: when it
was sent, or for a FAILED message when the failed attempt was made, which is what
the retry back-off counts from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from ..extensions import db
from ..models import Message, MessageStage, MessageStatus, Partnership, utcnow

# Attempts at delivery before a message is left FAILED for a person to look at.
MAX_ATTEMPTS = 5
# How long to wait after the n-th failed attempt before trying again.
RETRY_DELAYS = (
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=8),
)
PAGE_SIZE = 50


def _insert_statement():
    """INSERT … ON CONFLICT DO NOTHING in the dialect in use (both spell it the same way)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(Message)


def add_message(
    *,
    key: str,
    stage: MessageStage,
    to: str,
    subject: str,
    body: str,
    cc: str = "",
    partnership_id: int | None = None,
    return_id: int | None = None,
    organisation_id: int | None = None,
    attachment: dict | None = None,
    created_at: datetime | None = None,
) -> int | None:
    """Queue a message unless one with ``key`` exists; the new id, or None if the key was taken."""
    statement = (
        _insert_statement()
        .values(
            idempotency_key=key,
            stage=stage,
            to=to,
            cc=cc,
            subject=subject[:300],
            body=body,
            partnership_id=partnership_id,
            return_id=return_id,
            organisation_id=organisation_id,
            attachment=attachment,
            status=MessageStatus.QUEUED,
            attempts=0,
            last_error="",
            created_at=created_at or utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(Message.id)
    )
    return db.session.execute(statement).scalar()


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
    add_message(
        key=key,
        stage=stage,
        to=to,
        cc=cc,
        subject=subject,
        body=body,
        partnership_id=partnership_id,
        return_id=return_id,
    )
    return db.session.scalar(select(Message).where(Message.idempotency_key == key))


def keys_taken(keys: Iterable[str]) -> set[str]:
    """Which of these idempotency keys already have a message."""
    wanted = sorted(set(keys))
    taken: set[str] = set()
    # In slices, to stay well inside every database's limit on bound parameters.
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        taken.update(
            db.session.scalars(select(Message.idempotency_key).where(Message.idempotency_key.in_(chunk)))
        )
    return taken


# ---- claiming and recording delivery --------------------------------------------


@dataclass(frozen=True)
class Deliverable:
    """A message due for delivery, as it stood when it was listed (what a claim checks)."""

    id: int
    status: MessageStatus
    attempts: int


def _due_for_retry(
    message_status: MessageStatus, attempts: int, last_attempt: datetime | None, now: datetime
):
    if message_status is MessageStatus.QUEUED:
        return True
    if attempts >= MAX_ATTEMPTS:
        return False
    delay = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1] if attempts else timedelta(0)
    return last_attempt is None or last_attempt + delay <= now


def deliverable(
    now: datetime, partnership_id: int | None = None, message_ids: Iterable[int] | None = None
) -> list[Deliverable]:
    """Messages waiting to go: queued ones, and failed ones whose back-off has passed, oldest first."""
    statement = select(Message.id, Message.status, Message.attempts, Message.sent_at).where(
        Message.status.in_([MessageStatus.QUEUED, MessageStatus.FAILED])
    )
    if partnership_id is not None:
        statement = statement.where(Message.partnership_id == partnership_id)
    if message_ids is not None:
        statement = statement.where(Message.id.in_(sorted(set(message_ids))))
    rows = db.session.execute(statement.order_by(Message.id)).all()
    # The listing is a read: end it, so that each claim below starts a transaction of its own.
    db.session.commit()
    return [
        Deliverable(id, status, attempts)
        for id, status, attempts, sent_at in rows
        if _due_for_retry(status, attempts, sent_at, now)
    ]


def claim(item: Deliverable, now: datetime, smtp: bool) -> Message | None:
    """Take a message for sending, if no one else has; the message, or None if it was taken.

    With no mail server configured the claim is the whole delivery: the message is
    kept in the outbox for the business unit to read in the app.
    """
    values = {
        "status": MessageStatus.SENT,
        "attempts": Message.attempts + 1,
        "sent_at": now,
        "last_error": "",
    }
    if not smtp:
        values = {"status": MessageStatus.OUTBOX_ONLY}
    result = db.session.execute(
        update(Message)
        .where(Message.id == item.id, Message.status == item.status, Message.attempts == item.attempts)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        return None
    message = db.session.get(Message, item.id, populate_existing=True)
    db.session.commit()
    return message


def record_failure(message_id: int, error: str, now: datetime) -> None:
    db.session.execute(
        update(Message)
        .where(Message.id == message_id)
        .values(status=MessageStatus.FAILED, last_error=error[:2000], sent_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


# ---- reading the outbox ---------------------------------------------------------------


@dataclass(frozen=True)
class OutboxPage:
    messages: list[Message]
    total: int
    page: int
    pages: int


def list_messages(
    partnership: Partnership,
    stage: MessageStage | None = None,
    status: MessageStatus | None = None,
    page: int = 1,
) -> OutboxPage:
    """The partnership's messages, newest first, a page at a time."""
    conditions = [Message.partnership_id == partnership.id]
    if stage is not None:
        conditions.append(Message.stage == stage)
    if status is not None:
        conditions.append(Message.status == status)
    total = db.session.scalar(select(func.count(Message.id)).where(*conditions)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    messages = db.session.scalars(
        select(Message)
        .where(*conditions)
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    return OutboxPage(list(messages), total, page, pages)


def get_message(partnership: Partnership, message_id: int) -> Message | None:
    message = db.session.get(Message, message_id)
    if message is None or message.partnership_id != partnership.id:
        return None
    return message


def messages_to(email: str) -> list[Message]:
    return list(db.session.scalars(select(Message).where(Message.to == email).order_by(Message.id)))


def messages_for_return(return_id: int) -> list[Message]:
    return list(
        db.session.scalars(select(Message).where(Message.return_id == return_id).order_by(Message.id))
    )
