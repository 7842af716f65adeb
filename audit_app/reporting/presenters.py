"""The board summary's sections as GOV.UK tables, and file names for downloads."""

from __future__ import annotations

from markupsafe import Markup, escape

from reports import content
from reports.data import StandardRef

from .batches import slug

HEAT_MAP = "heat-map"
# Standards per heat-map table on the page: with the name, the sector and the overall
# rating, eight rating words fit the page's width without scrolling sideways.
HEAT_MAP_COLUMNS = 8


SMALL = "govuk-!-font-size-16"


def _cell(cell: content.Cell, numeric: bool, small: bool = False) -> dict:
    classes = SMALL if small else ""
    # A tinted cell still says its rating in words (WCAG 1.4.1, use of colour).
    if cell.colour:
        html = Markup('<strong class="govuk-tag app-rating--{} {}">{}</strong>').format(
            cell.colour, classes, cell.text
        )
        return {"html": html, "format": "numeric" if numeric else "", "classes": classes}
    return {"text": cell.text, "format": "numeric" if numeric else "", "classes": classes}


def _heading(key: str, index: int, text: str, standards: tuple[StandardRef, ...]) -> dict:
    # The heat map's columns are numbered standards; a screen reader also hears the title.
    position = index - 2
    if key == HEAT_MAP and 0 <= position < len(standards):
        hidden = Markup('<span class="govuk-visually-hidden">: {}</span>').format(standards[position].title)
        return {"html": escape(text) + hidden}
    return {"text": text}


def _same_throughout(cells: list[content.Cell]) -> bool:
    return len(cells) > 1 and not any(cell.colour for cell in cells) and len({c.text for c in cells}) == 1


def heat_map_params(table: content.Table, standards: tuple[StandardRef, ...]) -> list[dict]:
    """The heat map as tables of at most eight standards each (the overall rating in the
    first), so that each fits the page. A row the same all through (no return) is one cell."""
    count = len(standards)
    starts = range(0, count, HEAT_MAP_COLUMNS) if count else range(1)
    tables = []
    for start in starts:
        stop = min(start + HEAT_MAP_COLUMNS, count)
        columns = [0, 1, *range(2 + start, 2 + stop)] + ([2 + count] if start == 0 else [])
        caption = table.caption
        if len(starts) > 1:
            caption += f", standards {start + 1} to {stop}" + (" and overall" if start == 0 else "")
        part = content.Table(
            caption,
            tuple(table.header[c] for c in columns),
            tuple(tuple(row[c] for c in columns) for row in table.rows),
        )
        params = table_params(HEAT_MAP, part, standards[start:stop])
        for row, cells in zip(params["rows"], part.rows, strict=True):
            if _same_throughout(list(cells[2:])):
                row[2:] = [{"text": cells[2].text, "colspan": len(cells) - 2, "classes": SMALL}]
        tables.append(params)
    return tables


def table_params(key: str, table: content.Table, standards: tuple[StandardRef, ...]) -> dict:
    """Parameters for govukTable: a caption, one header row, row headers where the table has them."""
    numeric = set(table.numeric)
    head = []
    for index, text in enumerate(table.header):
        heading = _heading(key, index, text, standards)
        if index in numeric:
            heading["format"] = "numeric"
        if key == HEAT_MAP:
            heading["classes"] = SMALL
        head.append(heading)
    # The heat map's many columns fit the page in the smaller of the Design System's body sizes.
    small = key == HEAT_MAP
    rows = [[_cell(cell, index in numeric, small) for index, cell in enumerate(row)] for row in table.rows]
    return {
        "caption": table.caption,
        "captionClasses": "govuk-table__caption--s",
        "firstCellIsHeader": table.row_headers,
        "head": head,
        "rows": rows,
        "classes": "govuk-table--small-text-until-tablet" if key == HEAT_MAP else "",
    }


def download_name(prefix: str, name: str, extension: str) -> str:
    return f"{prefix}-{slug(name)}.{extension}"
