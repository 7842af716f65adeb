"""The escalation letter: the last stage of chasing a return that has not arrived.

After reminders and a business-unit chase, the independent chair or scrutineer
writes to the organisation's head teacher, chair of governors or executive lead.
The letter rests on section 16H of the Children Act 2004 (inserted by the
Children and Social Work Act 2017): the safeguarding partners may require a
person or body to give them information for their safeguarding arrangements,
and the person or body must comply. It replaced the power that Local
Safeguarding Children Boards held under section 14B of the same Act, which is
the number many partnerships still know it by, so the letter names both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from reports.styles import BORDER, CONTENT_WIDTH, PageFurniture, build_pdf, para, styles, text, uk_date

# The document's frame keeps 6 pt of padding on each side of the text column.
WIDTH = CONTENT_WIDTH - 12
LABEL_WIDTH = 55 * mm


@dataclass(frozen=True)
class Addressee:
    name: str
    position: str = ""


@dataclass(frozen=True)
class EscalationLetter:
    """Everything the letter says, as plain data.

    ``duty`` is the duty the return is made under, in words (e.g. "section 11 of the
    Children Act 2004"); ``progress`` says where the return stands (e.g. "has not
    been started"). ``signatory`` is the chair or scrutineer's name, ``signatory_role``
    their role. ``reply_days`` is how long the organisation has from the letter's date.
    """

    partnership: str
    letter_date: date
    organisation: str
    address: tuple[str, ...]
    addressees: tuple[Addressee, ...]
    cycle: str
    reference: str
    opened_on: date
    initial_deadline: date
    final_deadline: date
    duty: str
    progress: str
    signatory: str
    signatory_role: str
    service_url: str
    business_unit_email: str
    reply_days: int = 14

    @property
    def reply_by(self) -> date:
        return self.letter_date + timedelta(days=self.reply_days)


def _salutation(addressees: tuple[Addressee, ...]) -> str:
    names = [a.name for a in addressees if a.name]
    if not names:
        return "Dear colleague,"
    if len(names) == 1:
        return f"Dear {names[0]},"
    return f"Dear {', '.join(names[:-1])} and {names[-1]},"


def _addressee_block(letter: EscalationLetter) -> list:
    look = styles()
    lines = []
    for addressee in letter.addressees:
        lines.append(
            f"<b>{text(addressee.name)}</b>" + (f", {text(addressee.position)}" if addressee.position else "")
        )
    lines.append(text(letter.organisation))
    lines.extend(text(line) for line in letter.address if line)
    return [Paragraph("<br/>".join(lines), look.body)]


def _deadlines(letter: EscalationLetter) -> Table:
    look = styles()
    rows = [
        ("Audit", letter.cycle),
        ("Return reference", letter.reference),
        ("Opened", uk_date(letter.opened_on)),
        ("Initial deadline (missed)", uk_date(letter.initial_deadline)),
        ("Final deadline (missed)", uk_date(letter.final_deadline)),
        ("Where the return stands", letter.progress[:1].upper() + letter.progress[1:]),
    ]
    data = [[para(label, look.cell_bold), para(value, look.cell)] for label, value in rows]
    # Tighter than the reports' tables, so that the letter fits on one page.
    style = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1.2 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2 * mm),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, BORDER),
        ]
    )
    return Table(data, colWidths=[LABEL_WIDTH, WIDTH - LABEL_WIDTH], style=style, hAlign="LEFT")


def build_escalation_letter(letter: EscalationLetter) -> bytes:
    """The letter as a PDF: letterhead, date, addressees, the deadlines missed, the
    statutory basis, what to do now and the signature."""
    look = styles()
    body = ParagraphStyle("letter_body", parent=look.body, spaceAfter=4)
    organisation = letter.organisation
    # The partnership's name heads every page (the page furniture), so the letter starts with its date.
    story = [
        para(uk_date(letter.letter_date), body),
        *_addressee_block(letter),
        Spacer(1, 2 * mm),
        para(_salutation(letter.addressees), body),
        para(f"{letter.cycle}: {organisation}'s safeguarding return", look.subheading),
        para(
            f"{organisation} was asked to complete a safeguarding self-assessment for the {letter.cycle}. "
            f"Both deadlines below have passed and the return {letter.progress}, despite the invitation and "
            "the reminders the partnership's business unit has sent.",
            body,
        ),
        _deadlines(letter),
        Spacer(1, 2 * mm),
        para("Why the partnership needs your return", look.subheading),
        para(
            f"{organisation} has a duty under {letter.duty} to make arrangements to safeguard and promote "
            "the welfare of children. The self-assessment is how the safeguarding partners check that those "
            "arrangements are in place, and report on them to their board.",
            body,
        ),
        para(
            "Under section 16H of the Children Act 2004, the safeguarding partners may require any person or "
            "body to provide information they need to carry out their safeguarding arrangements, and the person "
            "or body asked must provide it. The safeguarding partners can enforce that duty through the courts. "
            "This power replaced the one that Local Safeguarding Children Boards held under section 14B of the "
            "same Act, which you may know it as. This letter is that request: the partnership requires the "
            f"information in your organisation's return for the {letter.cycle}.",
            body,
        ),
        para("What to do now", look.subheading),
        para(
            f"1. Complete and submit the return by {uk_date(letter.reply_by)}. Your safeguarding lead can "
            f"sign in at {letter.service_url} with the link in the invitation email, or ask the business unit "
            "for a new one.",
            body,
        ),
        para(
            f"2. If something stands in the way, tell the business unit at {letter.business_unit_email} before "
            "that date, so that we can agree a date with you.",
            body,
        ),
        para(
            "3. If no return arrives, the partnership will report your organisation to its board as not having "
            "returned, and may publish its name in the list of organisations that did not comply.",
            body,
        ),
        Spacer(1, 2 * mm),
        KeepTogether(
            [
                para("Yours sincerely,", body),
                Spacer(1, 8 * mm),
                para(letter.signatory, look.subheading),
                para(letter.signatory_role, body),
                para(f"On behalf of the safeguarding partners, {letter.partnership}", look.small),
            ]
        ),
    ]
    return build_pdf(
        story,
        PageFurniture(letter.partnership, f"{letter.reference} · {organisation}"),
        title=f"{letter.cycle}: letter to {organisation}",
        author=letter.signatory,
        subject="Request for information under section 16H of the Children Act 2004",
    )
