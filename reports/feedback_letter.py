"""The feedback letter to an agency after moderation and the challenge event.

Challenge events are typically followed by a letter within about a month: how the
partnership rated each standard against the agency's own self-assessment, the
strengths the panel saw, areas for development and the actions agreed, with owners
and dates, signed by the independent chair and scrutineer or the business manager.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from reports.charts import rating_comparison_chart
from reports.data import FeedbackLetter, RatingRef, StandardResult
from reports.layout import build_pdf, bullets, content_width, long_date, markup, para, text
from reports.tables import action_table, cell, data_table, rating_tint, rating_words

SELF_SERIES = "Your self-assessment"
PARTNERSHIP_SERIES = "Partnership rating"


def build_feedback_letter(letter: FeedbackLetter) -> bytes:
    """The letter as a PDF: letterhead, addressee, date, ratings table and chart,
    strengths, areas for development, agreed actions and the signature."""
    width = content_width()
    organisation = letter.organisation.name
    story = [
        *_letterhead(letter, width),
        Spacer(1, 6 * mm),
        para(f"Dear {letter.addressee.name},"),
        markup(f"<b>{text(letter.cycle.name)}: feedback for {text(organisation)}</b>"),
        para(_opening(letter)),
        markup("Ratings by standard", "h2"),
        para(_agreement_summary(letter), "intro"),
        _ratings_table(letter.standards, width),
        Spacer(1, 3 * mm),
        *_figure(letter, width),
        markup("Strengths", "h2"),
        *(bullets(letter.strengths) or [para("The panel did not record particular strengths this cycle.")]),
        markup("Areas for development", "h2"),
        *(
            bullets(letter.developments)
            or [para("The panel did not identify areas for development this cycle.")]
        ),
        markup("Agreed actions", "h2"),
        *_actions(letter, width),
        KeepTogether(_closing(letter)),
    ]
    return build_pdf(
        story,
        partnership=letter.partnership.name,
        title="Feedback letter",
        footer=f"{letter.cycle.name} — feedback for {organisation}",
    )


def _figure(letter: FeedbackLetter, width: float) -> list:
    # A chart needs a scale to measure against and at least one standard to show.
    if not letter.scale or not letter.standards:
        return []
    return [
        KeepTogether(
            [
                markup(
                    "Figure 1. Your self-assessment and the partnership's rating, standard by standard",
                    "caption",
                ),
                rating_comparison_chart(
                    [
                        f"{number}. {standard.title}"
                        for number, standard in enumerate(letter.standards, start=1)
                    ],
                    letter.scale,
                    [standard.self_rating for standard in letter.standards],
                    [standard.final_rating for standard in letter.standards],
                    (SELF_SERIES, PARTNERSHIP_SERIES),
                    width,
                    notes=[
                        "Not applicable" if standard.not_applicable else "" for standard in letter.standards
                    ],
                ),
            ]
        )
    ]


def _letterhead(letter: FeedbackLetter, width: float) -> list:
    partnership = letter.partnership
    sender = [markup(f"<b>{text(partnership.name)}</b>", "address_right")]
    sender += [para(line, "address_right") for line in partnership.address]
    if partnership.email:
        sender.append(para(partnership.email, "address_right"))
    sender += [Spacer(1, 3 * mm), para(long_date(letter.letter_date), "address_right")]
    addressee = letter.addressee
    recipient = [para(addressee.name, "address"), para(addressee.role, "address")]
    recipient += [para(letter.organisation.name, "address")]
    recipient += [para(line, "address") for line in addressee.address]
    block = Table([[recipient, sender]], colWidths=[width * 0.55, width * 0.45])
    block.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [block]


def _opening(letter: FeedbackLetter) -> str:
    event = ""
    if letter.challenge_event_on is not None:
        event = f" and for taking part in the challenge event on {long_date(letter.challenge_event_on)}"
    return (
        f"Thank you for completing your return for the {letter.cycle.name}{event}. This letter sets out "
        "the partnership's view of your return after moderation: how your self-assessment compares with "
        "the partnership's rating of each standard, the strengths the panel saw, the areas for "
        "development and the actions agreed with you."
    )


def _position(scale: tuple[RatingRef, ...], rating: RatingRef) -> int | None:
    for position, band in enumerate(scale):
        if band.id == rating.id:
            return position
    return None


def _agreement_summary(letter: FeedbackLetter) -> str:
    agreed = higher = lower = 0
    compared = 0
    for standard in letter.standards:
        if standard.self_rating is None or standard.final_rating is None:
            continue
        own = _position(letter.scale, standard.self_rating)
        settled = _position(letter.scale, standard.final_rating)
        if own is None or settled is None:
            continue
        compared += 1
        # Position 0 is the best band, so a smaller position is a better rating.
        if settled == own:
            agreed += 1
        elif settled < own:
            higher += 1
        else:
            lower += 1
    if compared == 0:
        return "None of the standards has both a self-assessment and a partnership rating to compare."
    return (
        f"The partnership's rating matches your self-assessment for {agreed} of the {compared} standards "
        f"you rated; it is higher for {higher} and lower for {lower}."
    )


def _ratings_table(standards: tuple[StandardResult, ...], width: float) -> Table:
    header = ["No.", "Standard", SELF_SERIES, PARTNERSHIP_SERIES]
    rows = []
    tints: list[tuple] = []
    for number, standard in enumerate(standards, start=1):
        row = len(rows) + 1  # the header is row 0
        own = rating_words(standard.self_rating, standard.not_applicable, missing="Not given")
        settled = rating_words(standard.final_rating, standard.not_applicable)
        if standard.moderated_rating is not None and standard.moderated_rating != standard.scored_rating:
            settled += " (moderated)"
        rows.append([cell(number), cell(standard.title), cell(own), cell(settled, "cell_bold")])
        tints += rating_tint(2, row, standard.self_rating)
        tints += rating_tint(3, row, standard.final_rating)
    widths = [width * 0.07, width * 0.49, width * 0.22, width * 0.22]
    return data_table(header, rows, widths, extra=tints)


def _actions(letter: FeedbackLetter, width: float) -> list:
    if not letter.actions:
        return [para("No actions were agreed this cycle.")]
    return [
        para(
            "The owners named below agreed to complete these actions by the dates shown. The business "
            "unit will ask for progress during the year and review them at the next cycle.",
            "intro",
        ),
        action_table(letter.actions, width),
    ]


def _closing(letter: FeedbackLetter) -> list:
    signatory = letter.signatory
    return [
        Spacer(1, 5 * mm),
        para(
            "If anything in this letter does not match your understanding of the challenge event, please "
            "contact the partnership's business unit."
        ),
        para("Yours sincerely,"),
        Spacer(1, 10 * mm),
        markup(f"<b>{text(signatory.name)}</b>", "address"),
        para(signatory.role, "address"),
        para(letter.partnership.name, "address"),
    ]
