"""Page furniture and typography shared by the feedback, board and briefing PDFs.

Every PDF is A4 with the partnership's name in the header and "Page N of M" in the
footer. Text is set in the standard Helvetica family: PDF viewers supply it, so
nothing is embedded, and it covers Windows-1252, which is the character set of the
DfE's establishment register (names such as "St Mary’s" or "Sacré Cœur").
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

FONT = "Helvetica"
BOLD = "Helvetica-Bold"
MARGIN = 18 * mm
HEADER_GAP = 10 * mm  # from the page edge to the header text, and likewise for the footer

# One typographic scale for every report: body 9.5 pt, a step down for tables and
# notes, steps up for headings. Leading is about 1.3 times the size throughout.
INK = colors.HexColor("#1b1b1b")
MUTED = colors.HexColor("#505a5f")
RULE = colors.HexColor("#b1b4b6")
SHADE = colors.HexColor("#f3f2f1")

# Tints light enough for black text on top: a cell's rating word is always printed,
# so the colour only reinforces it and a greyscale print loses nothing.
RAG_TINT = {
    "green": colors.HexColor("#cce5cc"),
    "amber": colors.HexColor("#fde2b0"),
    "red": colors.HexColor("#f4c7c3"),
}
# Solid colours for chart bars, chosen to differ in lightness as well as hue
# (dark red, mid green, light amber) so a greyscale print still tells them apart.
RAG_SOLID = {
    "green": colors.HexColor("#3f8f3f"),
    "amber": colors.HexColor("#f2c14e"),
    "red": colors.HexColor("#8e1b1b"),
}
NOT_APPLICABLE_SOLID = colors.HexColor("#d9d9d9")


def _style(name: str, size: float, font: str = FONT, **extra) -> ParagraphStyle:
    extra.setdefault("textColor", INK)
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=round(size * 1.3, 1), **extra)


# Built once at import: creating styles per document would cost every one of 600 letters.
STYLES = {
    "title": _style("title", 18, BOLD, spaceAfter=4 * mm),
    "h2": _style("h2", 13, BOLD, spaceBefore=5 * mm, spaceAfter=2 * mm, keepWithNext=1),
    "body": _style("body", 9.5, spaceAfter=2 * mm),
    # A paragraph that introduces a table stays on the page where the table starts.
    "intro": _style("intro", 9.5, spaceAfter=2 * mm, keepWithNext=1),
    "cell": _style("cell", 8.5),
    "cell_bold": _style("cell_bold", 8.5, BOLD),
    "head": _style("head", 8.5, BOLD),
    "head_right": _style("head_right", 8.5, BOLD, alignment=TA_RIGHT),
    "caption": _style("caption", 8.5, BOLD, spaceBefore=2 * mm, spaceAfter=1.5 * mm, keepWithNext=1),
    "bullet": _style("bullet", 9.5, leftIndent=5 * mm, bulletIndent=1 * mm, spaceAfter=1 * mm),
    "address": _style("address", 9.5),
    "address_right": _style("address_right", 9.5, alignment=TA_RIGHT),
}


def text(value: object) -> str:
    """``value`` as text safe inside a Paragraph: "&" and "<" in a name are not markup."""
    return escape(str(value))


def para(value: object, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped) in one of :data:`STYLES`."""
    return Paragraph(text(value), STYLES[style])


def markup(fragment: str, style: str = "body") -> Paragraph:
    """A paragraph whose caller has already escaped the text and added ``<b>`` or ``<i>``."""
    return Paragraph(fragment, STYLES[style])


def bullets(items: Iterable[str], style: str = "bullet") -> list[Paragraph]:
    """One bulleted paragraph per item."""
    return [Paragraph(text(item), STYLES[style], bulletText="•") for item in items]


def long_date(day: date | None, missing: str = "—") -> str:
    """A date as people in England write it: "3 March 2026"."""
    if day is None:
        return missing
    return f"{day.day} {day:%B %Y}"


def percent(value: float | None, missing: str = "—") -> str:
    """A percentage (0-100) rounded to a whole number, e.g. "72%"."""
    return missing if value is None else f"{value:.0f}%"


class _NumberedCanvas(Canvas):
    """A canvas that holds each finished page back until the last one is known, then
    writes "Page N of M" on every page: the total is only known at the end."""

    def __init__(self, *args, footer_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict] = []
        self._footer_text = footer_text

    def showPage(self):
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            self._draw_page_number(number, total)
            Canvas.showPage(self)
        Canvas.save(self)

    def _draw_page_number(self, number: int, total: int) -> None:
        width, _ = self._pagesize
        self.saveState()
        self.setFont(FONT, 8)
        self.setFillColor(MUTED)
        self.drawRightString(width - MARGIN, HEADER_GAP, f"Page {number} of {total}")
        if self._footer_text:
            # A long organisation name is shortened rather than run into the page number.
            room = width - 2 * MARGIN - stringWidth(f"Page {total} of {total}", FONT, 8) - 6 * mm
            footer = self._footer_text
            while footer and stringWidth(footer, FONT, 8) > room:
                footer = footer[:-2] + "…"
            self.drawString(MARGIN, HEADER_GAP, footer)
        self.restoreState()


def _draw_header(partnership: str, title: str):
    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = doc.pagesize
        top = height - HEADER_GAP
        canvas.saveState()
        canvas.setFont(BOLD, 9)
        canvas.setFillColor(INK)
        canvas.drawString(MARGIN, top, partnership)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(width - MARGIN, top, title)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top - 2.5 * mm, width - MARGIN, top - 2.5 * mm)
        canvas.restoreState()

    return draw


def content_width() -> float:
    """The width between the margins of an A4 page."""
    return A4[0] - 2 * MARGIN


def build_pdf(
    story: Sequence[Flowable],
    *,
    partnership: str,
    title: str,
    footer: str = "",
) -> bytes:
    """Lay ``story`` out on A4 pages under the partnership's header and return the PDF.

    ``title`` goes in the header and the document's properties; ``footer`` on the left
    of every footer, beside "Page N of M".
    """
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 4 * mm,
        bottomMargin=MARGIN,
        title=title,
        author=partnership,
        subject=title,
        creator=partnership,
    )
    # No frame padding: tables are sized to content_width() and must line up with the text.
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_draw_header(partnership, title))])

    def canvasmaker(*args, **kwargs):
        return _NumberedCanvas(*args, footer_text=footer, **kwargs)

    doc.build(list(story), canvasmaker=canvasmaker)
    return buffer.getvalue()
