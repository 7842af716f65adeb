"""Tables shared by the PDF reports: a ruled data table, rating cells that carry the
rating's words as well as its colour, and the agreed-actions table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, LongTable, Paragraph, Table, TableStyle

from reports.data import ActionLine, RatingRef
from reports.layout import BOLD, FONT, INK, RAG_TINT, RULE, SHADE, STYLES, long_date, text

ACTION_STATUS_WORDS = {
    "open": "Open",
    "in_progress": "In progress",
    "completed": "Completed",
    "closed": "Closed by agreement",
}
RETURN_STATUS_WORDS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "submitted": "Submitted",
    "returned_for_changes": "Returned for changes",
    "accepted": "Accepted",
}

_BASE_STYLE = [
    ("FONT", (0, 0), (-1, -1), FONT, 8.5),
    ("TEXTCOLOR", (0, 0), (-1, -1), INK),
    ("FONT", (0, 0), (-1, 0), BOLD, 8.5),
    ("BACKGROUND", (0, 0), (-1, 0), SHADE),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
    ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
]


def rating_words(rating: RatingRef | None, not_applicable: bool = False, missing: str = "Not rated") -> str:
    """What a table says for a rating: its label, "Not applicable" or ``missing``."""
    if not_applicable:
        return "Not applicable"
    return missing if rating is None else rating.label


def wrapped(value: object, width: float, size: float = 8.5) -> str:
    """Plain text broken into lines that fit ``width`` points (less cell padding).

    A table lays out a string cell with line breaks far faster than a Paragraph, which
    matters in the board summary's tables of hundreds of organisations.
    """
    return "\n".join(simpleSplit(str(value), FONT, size, width - 6))


def cell(value: object, style: str = "cell") -> Paragraph:
    """A table cell that wraps: plain text, escaped."""
    return Paragraph(text(value), STYLES[style])


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Flowable | str]],
    widths: Sequence[float],
    *,
    numeric: Sequence[int] = (),
    extra: Sequence[tuple] = (),
    long: bool = False,
) -> Table:
    """A ruled table with a shaded header row that repeats on every page it spans.

    ``numeric`` lists columns to right-align; ``extra`` adds style commands (cell
    tints); ``long`` uses reportlab's LongTable, which lays out hundreds of rows faster.
    """
    kind = LongTable if long else Table
    commands = list(_BASE_STYLE)
    commands += [("ALIGN", (column, 0), (column, -1), "RIGHT") for column in numeric]
    commands += list(extra)
    # Headings wrap rather than run into the next column; figures' headings sit over the figures.
    heading_cells = [
        Paragraph(text(heading), STYLES["head_right" if column in numeric else "head"])
        for column, heading in enumerate(header)
    ]
    table = kind([heading_cells, *[list(row) for row in rows]], colWidths=list(widths), repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def fitted_widths(
    header: Sequence[str], rows: Sequence[Sequence[str]], width: float, size: float = 8.5
) -> list[float]:
    """Column widths for a table of plain text filling ``width``: short columns (numbers,
    dates, ratings) get what their longest entry needs; the columns of longer text
    share the rest in proportion to their longest entry."""
    padding = 8
    natural = []
    for column, heading in enumerate(header):
        # A short heading stays on one line; a long one may wrap between its words.
        heading_width = stringWidth(heading, BOLD, size)
        if heading_width > 70:
            heading_width = max(stringWidth(word, BOLD, size) for word in heading.split())
        entries = [stringWidth(row[column], FONT, size) for row in rows]
        natural.append(max([heading_width, *entries]) + padding)
    short = [column for column, need in enumerate(natural) if need <= 80]
    wide = [column for column in range(len(header)) if column not in short]
    widths = list(natural)
    spare = width - sum(natural[column] for column in short)
    if not wide:
        # Everything is short: spread the spare width evenly so the table fills the line.
        return [need + (width - sum(natural)) / len(natural) for need in natural]
    wanted = sum(natural[column] for column in wide)
    for column in wide:
        widths[column] = spare * natural[column] / wanted
    return widths


def rating_tint(column: int, row: int, rating: RatingRef | None) -> list[tuple]:
    """The style command tinting one cell by its rating's colour (none for no rating)."""
    if rating is None:
        return []
    return [("BACKGROUND", (column, row), (column, row), RAG_TINT[rating.colour])]


def action_table(actions: Sequence[ActionLine], width: float, today: date | None = None) -> Table:
    """Agreed actions: standard, action, owner, due date and, given ``today``, status
    (with "overdue" spelt out rather than shown by colour)."""
    header = ["Standard", "Action", "Owner", "Due by"]
    fractions = [0.22, 0.40, 0.18, 0.20]
    if today is not None:
        header.append("Status")
        fractions = [0.18, 0.33, 0.15, 0.16, 0.18]
    rows = []
    for action in actions:
        row = [
            cell(action.standard_title),
            cell(action.description),
            cell(action.owner),
            cell(long_date(action.due_on)),
        ]
        if today is not None:
            status = ACTION_STATUS_WORDS[action.status]
            if action.overdue(today):
                row.append(cell(f"{status} — overdue", "cell_bold"))
            else:
                row.append(cell(status))
        rows.append(row)
    return data_table(header, rows, [width * fraction for fraction in fractions])


def details_table(pairs: Sequence[tuple[str, str]], width: float) -> Table:
    """Label and value pairs, labels in bold, e.g. an organisation's details."""
    rows = [[cell(label, "cell_bold"), cell(value)] for label, value in pairs]
    table = Table(rows, colWidths=[width * 0.3, width * 0.7])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table
