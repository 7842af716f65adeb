"""The challenge panel's briefing pack on one organisation.

What a panel member reads before the challenge event: who the organisation is, where
its return stands, how it rated itself against how its answers scored and how the
auditors moderated them, the flags raised, the evidence behind each answer (with the
auditors' reasons where they found it inadequate — a blank document is not evidence)
and how last cycle's actions have gone.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from reports.data import BriefingPack, EvidenceItem
from reports.layout import STYLES, build_pdf, content_width, long_date, markup, para, percent, text
from reports.tables import (
    RETURN_STATUS_WORDS,
    action_table,
    cell,
    data_table,
    details_table,
    rating_tint,
    rating_words,
    url_lines,
)


def build_briefing_pack(pack: BriefingPack) -> bytes:
    """The briefing pack as a PDF: organisation details, return summary, ratings by
    standard, flags, evidence by question and last cycle's actions."""
    width = content_width()
    organisation = pack.organisation
    story = [
        markup(f"Challenge panel briefing: {text(organisation.name)}", "title"),
        *_organisation(pack, width),
        markup("Return summary", "h2"),
        details_table(_return_summary(pack), width),
        markup("Ratings by standard", "h2"),
        para(
            "The organisation's own rating, the rating its answers scored and, where the auditors changed "
            "it, the moderated rating. The score is the standard's weighted score out of 100%.",
            "intro",
        ),
        _ratings_table(pack, width),
        markup("Flags", "h2"),
        *_flags(pack, width),
        markup("Evidence", "h2"),
        *_evidence(pack.evidence, width),
        markup(
            f"Actions agreed in {text(pack.previous_cycle)}" if pack.previous_cycle else "Earlier actions",
            "h2",
        ),
        *_previous_actions(pack, width),
    ]
    return build_pdf(
        story,
        partnership=pack.partnership.name,
        title="Challenge panel briefing",
        footer=f"{pack.cycle.name} — {organisation.name} — prepared {long_date(pack.prepared_on)}",
    )


def _organisation(pack: BriefingPack, width: float) -> list:
    organisation = pack.organisation
    details = [("Organisation", organisation.name), ("Sector", organisation.sector)]
    if organisation.urn:
        details.append(("URN", organisation.urn))
    details.append(("Audit", pack.cycle.name))
    if pack.panel_on is not None:
        details.append(("Challenge panel", long_date(pack.panel_on)))
    details.append(("Pack prepared", long_date(pack.prepared_on)))
    for contact in pack.contacts:
        who = f"{contact.name}, {contact.role}" + (f" ({contact.email})" if contact.email else "")
        details.append(("Contact", who))
    return [details_table(details, width)]


def _return_summary(pack: BriefingPack) -> list[tuple[str, str]]:
    share = 100 * pack.answered / pack.required if pack.required else 100
    return [
        ("Status", RETURN_STATUS_WORDS.get(pack.status, pack.status)),
        ("Submitted", long_date(pack.submitted_on, "Not submitted")),
        ("Progress", f"{pack.answered} of {pack.required} required questions answered ({percent(share)})"),
        ("Overall rating", rating_words(pack.overall)),
    ]


def _ratings_table(pack: BriefingPack, width: float):
    header = ["No.", "Standard", "Self-assessment", "Scored", "Moderated", "Score"]
    rows = []
    tints: list[tuple] = []
    for number, standard in enumerate(pack.standards, start=1):
        row = len(rows) + 1
        moderated = "Not moderated" if standard.moderated_rating is None else standard.moderated_rating.label
        if standard.not_applicable:
            moderated = "Not applicable"
        score = "—" if standard.score is None else percent(100 * standard.score)
        rows.append(
            [
                cell(number),
                cell(standard.title),
                cell(rating_words(standard.self_rating, standard.not_applicable, missing="Not given")),
                cell(rating_words(standard.scored_rating, standard.not_applicable)),
                cell(moderated, "cell_bold"),
                score,
            ]
        )
        tints += rating_tint(2, row, standard.self_rating)
        tints += rating_tint(3, row, standard.scored_rating)
        tints += rating_tint(4, row, standard.moderated_rating)
    fractions = [0.06, 0.38, 0.15, 0.13, 0.16, 0.12]
    return data_table(header, rows, [width * fraction for fraction in fractions], numeric=(5,), extra=tints)


def _flags(pack: BriefingPack, width: float) -> list:
    if not pack.flags:
        return [para("No flags have been raised on this return.")]
    rows = [[cell(flag.label or flag.code, "cell_bold"), cell(flag.reason)] for flag in pack.flags]
    return [data_table(["Flag", "Reason"], rows, [width * 0.3, width * 0.7])]


def _evidence_cell(item: EvidenceItem, width: float) -> Paragraph:
    parts = [text(item.name)]
    if item.link:
        # A live link, so a panel member reading on screen can open the document. An
        # address has no spaces, and reportlab would break it between any two letters,
        # so it is broken beforehand after its "/", "?", "&" and the like.
        href = escape(item.link, {'"': "&quot;"})
        lines = "<br/>".join(text(line) for line in url_lines(item.link, width))
        parts.append(f'<a href="{href}" color="#1d3f6e"><u>{lines}</u></a>')
    return Paragraph("<br/>".join(parts), STYLES["cell"])


def _evidence(evidence: tuple[EvidenceItem, ...], width: float) -> list:
    if not evidence:
        return [para("No evidence was attached to this return.")]
    inadequate = sum(item.inadequate_reason is not None for item in evidence)
    widths = [width * 0.4, width * 0.32, width * 0.28]
    rows = []
    previous_question = None
    for item in evidence:
        # The question is printed once, above all of its evidence.
        question = (
            "" if item.question_id == previous_question else f"{item.question_id}: {item.question_text}"
        )
        previous_question = item.question_id
        check = f"Inadequate: {item.inadequate_reason}" if item.inadequate_reason else "No concerns recorded"
        rows.append(
            [
                cell(question),
                _evidence_cell(item, widths[1]),
                cell(check, "cell_bold" if item.inadequate_reason else "cell"),
            ]
        )
    summary = f"{len(evidence)} pieces of evidence; auditors marked {inadequate} inadequate."
    if len(evidence) == 1:
        summary = f"1 piece of evidence; auditors marked {inadequate} inadequate."
    return [
        para(summary, "intro"),
        data_table(["Question", "Evidence", "Auditors' check"], rows, widths),
        Spacer(1, 2 * mm),
    ]


def _previous_actions(pack: BriefingPack, width: float) -> list:
    if not pack.previous_actions:
        return [para("No actions were agreed with this organisation last cycle.")]
    overdue = sum(action.overdue(pack.prepared_on) for action in pack.previous_actions)
    done = sum(action.status == "completed" for action in pack.previous_actions)
    return [
        para(
            f"{done} of {len(pack.previous_actions)} completed; {overdue} overdue at "
            f"{long_date(pack.prepared_on)}.",
            "intro",
        ),
        action_table(pack.previous_actions, width, today=pack.prepared_on),
    ]
