"""Writing the messages that are due and putting them in the outbox.

The data layer says what is due (data/chasing.py); this module words it, adds the
start link, describes the chair's letter, and queues each message under its
idempotency key. Nothing here sends: see audit_app/mail.py.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask import current_app, render_template

from ..data import outbox
from ..data.chasing import SPLIT, Due
from ..data.invitations import create_invitation
from ..models import Contact, MessageStage, OrganisationKind, ReturnStatus, utcnow
from ..presenters import format_date
from .presenters import DUTY_IN_LAW, STAGE_LABELS

LETTER_REPLY_DAYS = 14


def _names(contacts: tuple[Contact, ...]) -> str:
    names = [c.name for c in contacts if c.name]
    if not names:
        return "colleague"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _described(contacts: tuple[Contact, ...]) -> str:
    people = [f"{c.name} ({c.position})" if c.position else c.name for c in contacts]
    return ", ".join(people[:-1]) + " and " + people[-1] if len(people) > 1 else (people[0] if people else "")


def _addresses(contacts: tuple[Contact, ...]) -> str:
    return ", ".join(dict.fromkeys(c.email for c in contacts))


def signatory_of(independent_chair: str) -> tuple[str, str]:
    """'Professor Alison Carver, independent scrutineer' → the name, and the role capitalised."""
    name, _, role = independent_chair.partition(",")
    name, role = name.strip(), role.strip()
    if not name:
        return "The independent chair", "Independent chair"
    return name, (role[:1].upper() + role[1:]) if role else "Independent chair"


def _subject(due: Due) -> str:
    cycle, organisation = due.cycle, due.organisation
    if due.stage is MessageStage.INVITATION:
        return f"{cycle.name}: please complete {organisation.name}'s safeguarding return"
    if due.stage is MessageStage.REMINDER:
        if cycle.initial_deadline >= due.scheduled_on:
            return f"Reminder: {organisation.name}'s {cycle.name} return is due by {format_date(cycle.initial_deadline)}"
        return f"Reminder: {organisation.name}'s {cycle.name} return is overdue"
    if due.stage is MessageStage.CHASE:
        return f"Overdue: {organisation.name}'s {cycle.name} return"
    return f"Letter from the independent chair: {organisation.name}'s {cycle.name} return"


def _sign_off(due: Due) -> str:
    if due.organisation.kind is OrganisationKind.AGENCY:
        return "your organisation's accountable executive"
    return "the head teacher or principal and the chair of governors or proprietor"


def letter_description(due: Due, today: date) -> dict:
    """Everything the chair's letter says, kept on the message so the PDF can be rebuilt exactly."""
    audit_return, cycle, organisation = due.audit_return, due.cycle, due.organisation
    signatory, role = signatory_of(cycle.partnership.independent_chair)
    return {
        "kind": "escalation_letter",
        "return_id": audit_return.id,
        "partnership": cycle.partnership.name,
        "letter_date": today.isoformat(),
        "organisation": organisation.name,
        "address": [line for line in (organisation.street, organisation.town, organisation.postcode) if line],
        "addressees": [{"name": c.name, "position": c.position} for c in due.to],
        "cycle": cycle.name,
        "reference": audit_return.reference,
        "opened_on": cycle.opens_on.isoformat(),
        "initial_deadline": cycle.initial_deadline.isoformat(),
        "final_deadline": cycle.final_deadline.isoformat(),
        "duty": DUTY_IN_LAW.get(audit_return.duty, "its safeguarding duties"),
        "progress": "was started but has not been submitted"
        if audit_return.status is ReturnStatus.IN_PROGRESS
        else "has not been started",
        "signatory": signatory,
        "signatory_role": role,
        "service_url": current_app.config["EXTERNAL_URL"],
        "business_unit_email": current_app.config["SMTP_FROM"],
        "reply_days": LETTER_REPLY_DAYS,
    }


def _context(due: Due, today: date) -> dict:
    cycle, organisation, audit_return = due.cycle, due.organisation, due.audit_return
    return {
        "greeting": _names(due.to),
        "partnership": cycle.partnership.name,
        "organisation": organisation,
        "cycle": cycle,
        "audit_return": audit_return,
        "today": today,
        "service_url": current_app.config["EXTERNAL_URL"],
        "sign_off": _sign_off(due),
        "copied": _described(due.cc),
        "copied_count": len(due.cc),
    }


def _message(due: Due, key: str, to, cc, body: str, partnership_id: int | None, attachment=None) -> dict:
    return {
        "key": key,
        "stage": due.stage,
        "to": _addresses(to),
        "cc": _addresses(cc),
        "subject": _subject(due),
        "body": body,
        "partnership_id": partnership_id or due.cycle.partnership_id,
        "return_id": due.audit_return.id,
        "organisation_id": due.organisation.id,
        "attachment": attachment,
    }


def _one_each(contacts: tuple[Contact, ...]) -> list[Contact]:
    """The contacts, one per address (two contacts may share one)."""
    return list({contact.email: contact for contact in reversed(contacts)}.values())[::-1]


def compose(due: Due, today: date, partnership_id: int | None = None) -> list[dict]:
    """The outbox fields of the messages for one due stage, the first keyed ``due.key``.

    An invitation, reminder or chase carries a start link, which is an
    invitation token for one person: each addressee gets a message of their own
    with a link of their own (keyed ``<due.key>/to/<contact id>`` after the
    first), and the escalation contacts a chase is copied to get a separate
    copy with no link, only the address of the service. Forwarding someone's
    link would let its reader set up an account in that person's name.
    The chair's letter carries no link and goes as one message.
    """
    context = _context(due, today)
    if due.stage is MessageStage.LETTER:
        attachment = letter_description(due, today)
        context["signatory"] = attachment["signatory"]
        context["signatory_role"] = attachment["signatory_role"]
        context["reply_by"] = today + timedelta(days=LETTER_REPLY_DAYS)
        body = render_template(f"email/{due.stage.value}.txt", **context)
        return [_message(due, due.key, due.to, due.cc, body, partnership_id, attachment)]
    composed = []
    for number, contact in enumerate(_one_each(due.to)):
        link = current_app.config["EXTERNAL_URL"] + create_invitation(due.audit_return, contact.email)
        body = render_template(
            f"email/{due.stage.value}.txt", **{**context, "greeting": _names((contact,)), "link": link}
        )
        key = due.key if number == 0 else f"{due.key}{SPLIT}to{SPLIT}{contact.id}"
        composed.append(_message(due, key, (contact,), (), body, partnership_id))
    if due.cc:
        body = render_template(
            "email/copy.txt",
            **{**context, "greeting": _names(due.cc), "written_to": _described(due.to)},
        )
        composed.append(_message(due, f"{due.key}{SPLIT}copy", due.cc, (), body, partnership_id))
    return composed


@dataclass
class QueueReport:
    """What a run queued: new message ids, and counts by stage."""

    message_ids: list[int] = field(default_factory=list)
    by_stage: Counter = field(default_factory=Counter)

    def describe(self) -> str:
        if not self.by_stage:
            return "nothing new"
        parts = [
            f"{n} {STAGE_LABELS[stage].lower()}{'s' if n != 1 else ''}" for stage, n in self.by_stage.items()
        ]
        return ", ".join(parts)


def _moment(today: date) -> datetime:
    """When the messages are recorded as queued: now, or now's time on ``today`` when a run is
    told to act as if it were another day (the schedule counts days from these records)."""
    now = utcnow()
    return now if now.date() == today else datetime.combine(today, now.time(), tzinfo=UTC)


def queue(planned: list[Due], today: date, partnership_id: int | None = None) -> QueueReport:
    """Put each planned message in the outbox unless its key is taken; the caller commits."""
    report = QueueReport()
    moment = _moment(today)
    taken = outbox.keys_taken(due.key for due in planned)
    for due in planned:
        if due.key in taken:
            continue
        # If another worker queues the same key between the check above and this
        # insert, the insert does nothing; the start links it made are never sent and
        # simply expire. The first message decides for the rest of the stage's messages.
        first, *others = compose(due, today, partnership_id)
        message_id = outbox.add_message(**first, created_at=moment)
        if message_id is None:
            continue
        report.message_ids.append(message_id)
        report.by_stage[due.stage] += 1
        for message in others:
            other_id = outbox.add_message(**message, created_at=moment)
            if other_id is not None:
                report.message_ids.append(other_id)
    return report
