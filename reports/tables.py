"""Tables shared by the PDF reports: a ruled data table, rating cells that carry the
rating's words as well as its colour, and the agreed-actions table."""

from __future__ import annotations

import re
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


# Where a long web address may break: after a run of its punctuation ("https://",
# "example.", "files/", "?", "=", "&", "-", "_") and before a "%" escape, the points
# the Chicago Manual of Style and most browsers' own wrapping choose.
_URL_BREAKS = re.compile(r"(?<=[/?#&=;:,.+~_-])(?![/?#&=;:,.+~_-])|(?=%)")


# Within a run of letters and digits too long for a line: between a lower-case letter
# and a capital ("Partnership|Documents") or between letters and digits.
_WORD_BREAKS = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")


def url_lines(url: str, width: float, size: float = 8.5) -> list[str]:
    """``url`` broken into lines that fit ``width`` points (less cell padding), at the
    breaks a reader expects in an address. Only a run of letters and digits too long
    for a line is broken inside, between words written together if it can be, else
    between characters."""
    room = width - 6

    def fits(line: str) -> bool:
        return stringWidth(line, FONT, size) <= room

    # The finer ways of breaking a piece too long for a line, tried in turn.
    finer = (_WORD_BREAKS.split, list)
    lines = [""]

    def add(piece: str, tier: int) -> None:
        if fits(lines[-1] + piece):
            lines[-1] += piece
        elif fits(piece) or tier == len(finer):
            lines.append(piece)
        else:
            for part in finer[tier](piece):
                if part:
                    add(part, tier + 1)

    for piece in _URL_BREAKS.split(url):
        if piece:
            add(piece, 0)
    return [line for line in lines if line]


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


# The columns of longer text (names, lists) keep at least this share of a table's width
# when the short columns' headings are set whole; if they would not, the headings wrap.
TEXT_SHARE = 0.4
CELL_ROOM = 8  # a cell's left and right padding, and a little air
SHORT_COLUMN = 80  # points: a column no wider than this, its heading broken between words, is short


def heading_width(heading: str, lines: int, size: float = 8.5) -> float:
    """The narrowest width, in points, in which ``heading`` (bold) takes at most ``lines``
    lines, broken only between words."""
    words = heading.split() or [""]
    spans = sorted(
        {
            stringWidth(" ".join(words[start:end]), BOLD, size)
            for start in range(len(words))
            for end in range(start + 1, len(words) + 1)
        }
    )
    # simpleSplit sets a word wider than the line on a line of its own, uncounted as too wide,
    # where the table would break it between letters: no width below the longest word will do.
    longest = max(stringWidth(word, BOLD, size) for word in words)
    # A small allowance, as simpleSplit adds up the words' widths in another order.
    return next(
        span
        for span in spans
        if span >= longest and len(simpleSplit(heading, BOLD, size, span + 0.01)) <= lines
    )


def fitted_widths(
    header: Sequence[str], rows: Sequence[Sequence[str]], width: float, size: float = 8.5
) -> list[float]:
    """Column widths for a table of plain text filling ``width``.

    Short columns (numbers, dates, ratings, and figures headed by a cycle's name) get
    what their longest entry and their heading need, the heading on one line if the
    columns of longer text can still have :data:`TEXT_SHARE` of the width, else on as
    few lines as leave them that. The columns of longer text share the rest in
    proportion to their longest entry.
    """
    columns = range(len(header))
    entries = [max((stringWidth(row[column], FONT, size) for row in rows), default=0) for column in columns]

    def needs(lines: int) -> list[float]:
        return [
            max(entries[column], heading_width(header[column], lines, size)) + CELL_ROOM for column in columns
        ]

    # Each heading broken at every space: the least each column can have.
    least = [
        max([entries[column], *(stringWidth(word, BOLD, size) for word in header[column].split())])
        + CELL_ROOM
        for column in columns
    ]
    short = [column for column in columns if least[column] <= SHORT_COLUMN]
    wide = [column for column in columns if column not in short]
    floor = TEXT_SHARE * width if wide else 0
    natural = least
    for lines in (1, 2, 3):
        if width - sum(needs(lines)[column] for column in short) >= floor:
            natural = needs(lines)
            break
    if not wide:
        # Everything is short: spread the spare width evenly so the table fills the line.
        return [need + (width - sum(natural)) / len(natural) for need in natural]
    widths = list(natural)
    spare = width - sum(natural[column] for column in short)
    wanted = sum(least[column] for column in wide)
    for column in wide:
        widths[column] = spare * least[column] / wanted
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
