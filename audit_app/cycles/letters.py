"""The independent chair's letter: rebuilt as a PDF from the description kept on its message."""

from __future__ import annotations

from datetime import date

from reports.escalation_letter import Addressee, EscalationLetter, build_escalation_letter

from .. import mail
from ..models import Message


def letter_from(description: dict) -> EscalationLetter:
    return EscalationLetter(
        partnership=description["partnership"],
        letter_date=date.fromisoformat(description["letter_date"]),
        organisation=description["organisation"],
        address=tuple(description["address"]),
        addressees=tuple(Addressee(a["name"], a["position"]) for a in description["addressees"]),
        cycle=description["cycle"],
        reference=description["reference"],
        opened_on=date.fromisoformat(description["opened_on"]),
        initial_deadline=date.fromisoformat(description["initial_deadline"]),
        final_deadline=date.fromisoformat(description["final_deadline"]),
        duty=description["duty"],
        progress=description["progress"],
        signatory=description["signatory"],
        signatory_role=description["signatory_role"],
        service_url=description["service_url"],
        business_unit_email=description["business_unit_email"],
        reply_days=int(description["reply_days"]),
    )


def file_name(message: Message) -> str:
    return f"letter-{message.attachment['reference']}.pdf"


@mail.attachment_builder("escalation_letter")
def letter_attachment(message: Message) -> mail.Attachment:
    return file_name(message), "application/pdf", build_escalation_letter(letter_from(message.attachment))
