"""A real SMTP server on 127.0.0.1 for the tests: aiosmtpd, keeping what it receives.

It can refuse recipients (a 550 on RCPT, as a server does for an unknown mailbox)
or refuse the next few messages with a temporary 451, to test retries.
"""

from __future__ import annotations

import email
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller

from .postgres import _free_port


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        # A long subject may be folded onto the line after "Subject:"; mail programs unfold it.
        return str(self.message["Subject"]).strip()

    def body(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    def attachments(self) -> list[tuple[str, bytes]]:
        return [(part.get_filename(), part.get_content()) for part in self.message.iter_attachments()]


@dataclass
class Inbox:
    """The aiosmtpd handler: what arrived, and what to refuse."""

    received: list[Received] = field(default_factory=list)
    refuse_recipients: set[str] = field(default_factory=set)
    refuse_next: int = 0  # refuse this many messages with a temporary error
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse_recipients:
            return "550 5.1.1 No such mailbox here"
        with self.lock:
            if self.refuse_next > 0:
                self.refuse_next -= 1
                return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=default)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


class SMTPServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = _free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def configure(self, app) -> None:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=self.port, SMTP_STARTTLS=False, SMTP_USERNAME="")

    def stop(self) -> None:
        self.controller.stop()
