"""Delivering outbox messages by SMTP, when SMTP is configured."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from .data import outbox
from .models import Message


def smtp_configured() -> bool:
    return bool(current_app.config["SMTP_HOST"])


def deliver(message: Message) -> None:
    """Send one message; the outcome is recorded on the message either way.

    With no SMTP_HOST (the demo) messages stay in the outbox, where the
    business unit can read them in the app.
    """
    if not smtp_configured():
        outbox.record_delivery(message, None, smtp_configured=False)
        return
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["SMTP_FROM"]
    email["To"] = message.to
    if message.cc:
        email["Cc"] = message.cc
    email["Subject"] = message.subject
    email["Message-ID"] = f"<{message.idempotency_key.replace(':', '.')}@safeguarding-audit>"
    email.set_content(message.body)
    error = None
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=20) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USERNAME"]:
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"
        current_app.logger.warning("delivering message %s failed: %s", message.id, error)
    outbox.record_delivery(message, error, smtp_configured=True)
