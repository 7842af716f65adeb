"""Delivering outbox messages by SMTP, when SMTP is configured.

Every message is in the outbox before this module sees it (see data/outbox.py for
how queuing and claiming make sending idempotent). With no SMTP_HOST (the demo)
delivering a message means keeping it in the outbox, where the business unit can
read it in the app.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage

from flask import current_app

from .data import outbox
from .extensions import db
from .models import Message, utcnow

Attachment = tuple[str, str, bytes]  # file name, MIME type, content
# Builds a message's attachment from its stored description (e.g. the chair's letter).
AttachmentBuilder = Callable[[Message], Attachment]
_attachment_builders: dict[str, AttachmentBuilder] = {}


def attachment_builder(kind: str) -> Callable[[AttachmentBuilder], AttachmentBuilder]:
    """Register the function that rebuilds attachments described as ``{"kind": kind, ...}``."""

    def register(function: AttachmentBuilder) -> AttachmentBuilder:
        _attachment_builders[kind] = function
        return function

    return register


def attachment_of(message: Message) -> Attachment | None:
    """The message's attachment, rebuilt from the description stored with it."""
    if not message.attachment:
        return None
    kind = message.attachment.get("kind")
    if kind not in _attachment_builders:
        raise LookupError(f"no way to build an attachment of kind {kind!r}")
    return _attachment_builders[kind](message)


def smtp_configured() -> bool:
    return bool(current_app.config["SMTP_HOST"])


def build_email(message: Message, attachment: Attachment | None = None) -> EmailMessage:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["SMTP_FROM"]
    email["To"] = message.to
    if message.cc:
        email["Cc"] = message.cc
    email["Subject"] = message.subject
    # The same purpose always gives the same Message-ID, so a mail system that
    # deduplicates on it would drop a copy even if one slipped through.
    domain = config["SMTP_FROM"].rpartition("@")[2] or "safeguarding-audit"
    email["Message-ID"] = f"<{message.idempotency_key.replace(':', '.')}@{domain}>"
    email.set_content(message.body)
    if attachment is not None:
        filename, mime_type, content = attachment
        maintype, _, subtype = mime_type.partition("/")
        email.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return email


class _Connection:
    """One SMTP session reused for a run of messages, reopened after any error."""

    def __init__(self) -> None:
        self.smtp: smtplib.SMTP | None = None

    def send(self, email: EmailMessage) -> None:
        config = current_app.config
        if self.smtp is None:
            smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=20)
            try:
                if config["SMTP_STARTTLS"]:
                    smtp.starttls()
                if config["SMTP_USERNAME"]:
                    smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
            except BaseException:
                smtp.close()
                raise
            self.smtp = smtp
        try:
            self.smtp.send_message(email)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


@dataclass
class DeliveryReport:
    sent: int = 0
    kept: int = 0  # kept in the outbox: no mail server configured
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.kept + self.failed

    def as_dict(self) -> dict[str, int]:
        return {"sent": self.sent, "kept": self.kept, "failed": self.failed}


def deliver_due(
    *,
    now: datetime | None = None,
    partnership_id: int | None = None,
    message_ids: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DeliveryReport:
    """Deliver every message that is due (queued, or failed and past its back-off).

    Commits as it goes: each message is claimed, then its outcome recorded, in
    transactions of their own, so any number of workers can run this at once and
    each message still goes out once.
    """
    now = now or utcnow()
    smtp = smtp_configured()
    due = outbox.deliverable(now, partnership_id, message_ids)
    report = DeliveryReport()
    connection = _Connection()
    try:
        for done, item in enumerate(due, start=1):
            _deliver_one(item, now, smtp, connection, report)
            if progress is not None:
                progress(done, len(due))
    finally:
        connection.close()
    return report


def _deliver_one(item, now, smtp, connection, report) -> None:
    message = outbox.claim(item, now, smtp)
    if message is None:
        return  # another worker has it
    if not smtp:
        report.kept += 1
        return
    try:
        email = build_email(message, attachment_of(message))
        connection.send(email)
    except (OSError, LookupError, smtplib.SMTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"
        current_app.logger.warning("delivering message %s failed: %s", message.id, error)
        outbox.record_failure(message.id, error, now)
        report.failed += 1
        report.errors.append(error)
        return
    report.sent += 1


def deliver(message: Message) -> None:
    """Send one message now (e.g. a password reset); the outcome is recorded on it."""
    deliver_due(message_ids=[message.id])
    db.session.refresh(message)
