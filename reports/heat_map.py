"""The organisation by standard heat map, laid out for print.

A partnership may have 600 schools, so the map runs to many pages: it is a LongTable
(reportlab's layout for tables of hundreds of rows) whose header row repeats on every
page. Each rating cell is tinted by colour and also prints the rating's abbreviation,
so the map reads the same in greyscale and to anyone who cannot tell the tints apart.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import LongTable, TableStyle

from reports.content import Table
from reports.layout import BOLD, FONT, INK, RAG_TINT, RULE, SHADE
from reports.tables import wrapped

SECTOR_WIDTH = 24 * mm
OVERALL_WIDTH = 13 * mm
NAME_SHARE = 0.3  # the organisation's name keeps at least this share of the width


def heat_map_table(table: Table, width: float) -> LongTable:
    """``table`` (organisation, sector, a column per standard, overall) as a paginating
    table: names wrap, rating columns share what the name and sector leave."""
    standards = len(table.header) - 3
    rating_width = min(9 * mm, (width * (1 - NAME_SHARE) - SECTOR_WIDTH - OVERALL_WIDTH) / max(standards, 1))
    name_width = width - SECTOR_WIDTH - OVERALL_WIDTH - rating_width * standards
    widths = [name_width, SECTOR_WIDTH, *[rating_width] * standards, OVERALL_WIDTH]

    rows: list[list] = [list(table.header)]
    commands = [
        ("FONT", (0, 0), (-1, -1), FONT, 7.5),
        ("FONT", (0, 0), (-1, 0), BOLD, 7.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("ALIGN", (2, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        # White rules between rating cells keep neighbouring tints apart.
        ("LINEBEFORE", (2, 1), (-1, -1), 0.75, "white"),
    ]
    for row_number, row in enumerate(table.rows, start=1):
        name, sector, *ratings = row
        line = [wrapped(name.text, name_width, 7.5), wrapped(sector.text, SECTOR_WIDTH, 7.5)]
        for column, rating in enumerate(ratings, start=2):
            line.append(rating.short or rating.text)
            if rating.colour:
                commands.append(
                    ("BACKGROUND", (column, row_number), (column, row_number), RAG_TINT[rating.colour])
                )
        rows.append(line)
    result = LongTable(rows, colWidths=widths, repeatRows=1)
    result.setStyle(TableStyle(commands))
    return result
