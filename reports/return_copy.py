"""The PDF copy of a return: what an organisation answered, as submitted, for its own records.

Plain data in, bytes out. The app turns a return into a :class:`ReturnCopy`
(answers already in words, dates already dates) and calls
:func:`build_return_pdf`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from .styles import (
    CELL_PADDING,
    CONTENT_WIDTH,
    SECONDARY_TEXT,
    PageFurniture,
    build_pdf,
    cell_pieces,
    para,
    styles,
    table_style,
    text,
    uk_date,
    uk_date_time,
)

__all__ = ["AnswerLine", "ReturnCopy", "SectionCopy", "SignOffLine", "build_return_pdf"]


@dataclass(frozen=True)
class SignOffLine:
    """One signature on the declaration."""

    role: str  # e.g. "Head teacher", "Chair of governors", "Accountable executive"
    name: str
    position: str
    signed_on: date | None


@dataclass(frozen=True)
class AnswerLine:
    """One question and its answer, already in words."""

    question_id: str
    text: str
    answer: (
        str  # e.g. "Yes", "Partly", "12 March 2026", "Sam Okafor, trained 3 February 2025"; "" if unanswered
    )
    not_applicable_reason: str | None = None
    evidence: list[str] = field(default_factory=list)  # file names and link descriptions
    references: list[str] = field(default_factory=list)  # statute or guidance behind the question


@dataclass(frozen=True)
class SectionCopy:
    """A standard or section of the questionnaire."""

    title: str
    self_rating: str | None
    questions: list[AnswerLine]


@dataclass(frozen=True)
class ReturnCopy:
    partnership_name: str
    organisation_name: str
    organisation_details: list[tuple[str, str]]  # (label, value), e.g. ("URN", "100123")
    cycle_name: str
    questionnaire_title: str
    questionnaire_version: str
    reference: str
    status: str
    submitted_at: datetime | None
    declaration: str
    sign_offs: list[SignOffLine]
    sections: list[SectionCopy]


# Question | answer: the question gets the wider share, answers are mostly short.
_QUESTION_WIDTH = CONTENT_WIDTH * 0.56
_ANSWER_WIDTH = CONTENT_WIDTH - _QUESTION_WIDTH
# Answers longer than this run on into further rows, so a page can break inside them.
_PIECE_HEIGHT = 100


def build_return_pdf(copy: ReturnCopy) -> bytes:
    """The A4 PDF of ``copy``: title block, each section's answers, then the declaration and sign-off."""
    story: list[Flowable] = [*_title_block(copy)]
    for section in copy.sections:
        story.extend(_section(section))
    story.extend(_declaration(copy))
    return build_pdf(
        story,
        PageFurniture(header=copy.partnership_name, footer_label=f"Reference {copy.reference}"),
        title=f"{copy.organisation_name}: {copy.cycle_name}",
        author=copy.partnership_name,
        subject=f"{copy.questionnaire_title}, version {copy.questionnaire_version}",
    )


def _summary_table(rows: list[tuple[str, str]]) -> Table:
    """Label and value pairs, as a GOV.UK summary list would show them."""
    look = styles()
    table = Table(
        [[para(label, look.cell_bold), para(value, look.cell)] for label, value in rows],
        colWidths=[CONTENT_WIDTH * 0.3, CONTENT_WIDTH * 0.7],
        hAlign="LEFT",
    )
    table.setStyle(table_style(heading_row=False, indent=False))
    return table


def _title_block(copy: ReturnCopy) -> list[Flowable]:
    look = styles()
    submitted = uk_date_time(copy.submitted_at) if copy.submitted_at else "Not submitted"
    rows = [
        ("Audit cycle", copy.cycle_name),
        ("Questionnaire", f"{copy.questionnaire_title} (version {copy.questionnaire_version})"),
        ("Reference", copy.reference),
        ("Status", copy.status),
        ("Submitted", submitted),
        *copy.organisation_details,
    ]
    return [
        para("Copy of a safeguarding self-audit return", look.caption),
        para(copy.organisation_name, look.title),
        _summary_table(rows),
        Spacer(1, 4 * mm),
    ]


def _question_cell(line: AnswerLine) -> list[Flowable]:
    look = styles()
    cell = [Paragraph(f"<b>{text(line.question_id)}</b>  {text(line.text)}", look.cell)]
    if line.references:
        cell.append(para("Reference: " + "; ".join(line.references), look.cell_small))
    return cell


def _answer_cell(line: AnswerLine) -> list[Flowable]:
    look = styles()
    answer = line.answer.strip()
    if not answer and line.not_applicable_reason:
        answer = "Not applicable"
    if answer:
        cell: list[Flowable] = [para(answer, look.cell)]
    else:
        cell = [Paragraph(f'<font color="{SECONDARY_TEXT.hexval()}">Not answered</font>', look.cell)]
    if line.not_applicable_reason:
        cell.append(para(f"Why it does not apply: {line.not_applicable_reason}", look.cell_small))
    if line.evidence:
        cell.append(para("Evidence:", look.cell_small))
        cell.extend(Paragraph(f"• {text(name)}", look.cell_small) for name in line.evidence)
    return cell


def _section(section: SectionCopy) -> list[Flowable]:
    look = styles()
    heading: list[Flowable] = [para(section.title, look.heading)]
    if section.self_rating:
        heading.append(para(f"Self-rating: {section.self_rating}", look.subheading))
    if not section.questions:
        return [*heading, para("There are no questions in this section for this organisation.", look.body)]
    rows: list[list] = [[para("Question", look.cell_bold), para("Answer", look.cell_bold)]]
    rules_after = [0]
    run_on: list[int] = []
    for line in section.questions:
        questions = cell_pieces(_question_cell(line), _QUESTION_WIDTH - 2 * CELL_PADDING, _PIECE_HEIGHT)
        answers = cell_pieces(_answer_cell(line), _ANSWER_WIDTH - 2 * CELL_PADDING, _PIECE_HEIGHT)
        for n in range(max(len(questions), len(answers))):
            if n:
                run_on.append(len(rows))
            rows.append([questions[n] if n < len(questions) else "", answers[n] if n < len(answers) else ""])
        rules_after.append(len(rows) - 1)
    # The heading row repeats on each page a long section runs onto.
    table = Table(rows, colWidths=[_QUESTION_WIDTH, _ANSWER_WIDTH], repeatRows=1, hAlign="LEFT")
    table.setStyle(table_style(rules_after=rules_after))
    # A row that continues the answer above sits flush against it, as one paragraph.
    for row in run_on:
        table.setStyle(
            [("BOTTOMPADDING", (0, row - 1), (-1, row - 1), 0), ("TOPPADDING", (0, row), (-1, row), 0)]
        )
    # Keep the heading with the start of its table, never alone at a page's foot.
    return [KeepTogether([*heading, Spacer(1, 1 * mm)]), table]


def _declaration(copy: ReturnCopy) -> list[Flowable]:
    look = styles()
    story: list[Flowable] = [para("Declaration", look.heading)]
    story.extend(
        para(paragraph, look.body) for paragraph in copy.declaration.split("\n\n") if paragraph.strip()
    )
    story.append(para("Signed off by", look.subheading))
    if not copy.sign_offs:
        story.append(para("No one has signed off this return yet.", look.body))
        return story
    rows = [[para(label, look.cell_bold) for label in ("Role", "Name", "Position", "Date signed")]]
    rows.extend(
        [
            para(line.role, look.cell),
            para(line.name, look.cell),
            para(line.position, look.cell),
            para(uk_date(line.signed_on) if line.signed_on else "Not signed", look.cell),
        ]
        for line in copy.sign_offs
    )
    widths = [CONTENT_WIDTH * share for share in (0.24, 0.28, 0.28, 0.20)]
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(table_style())
    story.append(table)
    return story
