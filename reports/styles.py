"""The shared look of the toolkit's PDFs: fonts, colours, paragraph styles and page furniture.

Every PDF (the copy of a return, feedback letters, the board summary) is built
with :func:`build_pdf`, which puts the partnership's name at the top of each
page and "<label> · page N of M" at the foot.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, TableStyle

PAGE_SIZE = A4
MARGIN = 18 * mm
HEADER_GAP = 10 * mm  # between the page's top edge and the header line
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN
UK_TIME = ZoneInfo("Europe/London")

TEXT = colors.HexColor("#0b0c0c")
SECONDARY_TEXT = colors.HexColor("#505a5f")
BORDER = colors.HexColor("#b1b4b6")
LIGHT_FILL = colors.HexColor("#f3f2f1")
ACCENT = colors.HexColor("#1d70b8")

# Fonts with wide Unicode coverage, best first, embedded in each PDF. The 14
# standard PDF fonts stop at Windows-1252: "St Mary’s", "Ætheling" and "Sacré
# Cœur" fit, but Welsh names with "ŵ" or "ŷ", or a respondent called "Łucja",
# do not. Liberation Sans matches the Arial metrics of the web pages; DejaVu
# Sans is on almost every Debian machine; Bitstream Vera ships inside
# reportlab (Latin-1 and a little more), so there is always a fallback.
_REPORTLAB_FONTS = Path(reportlab.__file__).parent / "fonts"
FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    (str(_REPORTLAB_FONTS / "Vera.ttf"), str(_REPORTLAB_FONTS / "VeraBd.ttf")),
)
FONT = "AuditSans"
FONT_BOLD = "AuditSans-Bold"


@cache
def register_fonts() -> tuple[str, str]:
    """Register the first available font pair under FONT / FONT_BOLD; returns the files used."""
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            pdfmetrics.registerFont(TTFont(FONT, regular))
            pdfmetrics.registerFont(TTFont(FONT_BOLD, bold))
            pdfmetrics.registerFontFamily(
                FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
            )
            return regular, bold
    raise RuntimeError("no TrueType font found for PDFs, not even reportlab's own Vera")


@dataclass(frozen=True)
class Styles:
    caption: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_small: ParagraphStyle
    header: ParagraphStyle
    footer: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()

    def style(name: str, size: float, leading: float, font: str = FONT, **options) -> ParagraphStyle:
        options.setdefault("textColor", TEXT)
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, **options)

    return Styles(
        caption=style("caption", 11, 14, textColor=SECONDARY_TEXT, spaceAfter=2),
        title=style("title", 22, 27, FONT_BOLD, spaceAfter=8),
        heading=style("heading", 15, 19, FONT_BOLD, spaceBefore=14, spaceAfter=6, keepWithNext=1),
        subheading=style("subheading", 11, 14, FONT_BOLD, spaceBefore=4, spaceAfter=4, keepWithNext=1),
        body=style("body", 10, 14, spaceAfter=6),
        small=style("small", 8.5, 11, textColor=SECONDARY_TEXT),
        cell=style("cell", 9.5, 12.5),
        cell_bold=style("cell_bold", 9.5, 12.5, FONT_BOLD),
        cell_small=style("cell_small", 8, 10.5, textColor=SECONDARY_TEXT, spaceBefore=3),
        header=style("header", 9, 11, FONT_BOLD, textColor=SECONDARY_TEXT),
        footer=style("footer", 8.5, 11, textColor=SECONDARY_TEXT, alignment=TA_RIGHT),
    )


CELL_PADDING = 2.2 * mm


def table_style(
    heading_row: bool = True, indent: bool = True, rules_after: Iterable[int] | None = None
) -> TableStyle:
    """Rules under rows, top-aligned cells and, if asked, a shaded first row of headings.

    Without ``indent`` the first column starts flush with the text above, as
    in a summary list. ``rules_after`` lists the rows to rule under (every row
    if not given), so continuation rows can run on from the row above.
    """
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING if indent else 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if rules_after is None:
        commands.append(("LINEBELOW", (0, 0), (-1, -1), 0.5, BORDER))
    else:
        commands.extend(("LINEBELOW", (0, row), (-1, row), 0.5, BORDER) for row in rules_after)
    if heading_row:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), LIGHT_FILL))
    return TableStyle(commands)


def cell_pieces(flowables: Sequence[Flowable], width: float, limit: float) -> list[list[Flowable]]:
    """Cut a cell's contents into pieces no taller than ``limit``, splitting paragraphs where needed.

    A reportlab table row cannot run over a page break, and a row taller than
    the page stops the build; a long answer therefore becomes several rows,
    which the table can split between.
    """
    pieces: list[list[Flowable]] = []
    current: list[Flowable] = []
    used = 0.0
    queue = list(flowables)
    while queue:
        flowable = queue.pop(0)
        _, height = flowable.wrap(width, limit)
        height += flowable.getSpaceBefore() if current else 0
        if used + height <= limit or (not current and height <= limit):
            current.append(flowable)
            used += height
            continue
        parts = flowable.split(width, limit - used) if limit - used > 0 else []
        if len(parts) >= 2:
            current.append(parts[0])
            queue[0:0] = parts[1:]
        elif not current:
            current.append(flowable)  # too tall and unsplittable: it has a piece to itself
        else:
            queue.insert(0, flowable)
        pieces.append(current)
        current, used = [], 0.0
    if current:
        pieces.append(current)
    return pieces or [[]]


def text(value: str) -> str:
    """Plain text made safe for a Paragraph: markup characters escaped, line breaks kept."""
    return "<br/>".join(escape(line) for line in value.splitlines()) if value else ""


def para(value: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text(value), style)


def uk_date(value: date) -> str:
    """'3 February 2026'."""
    return f"{value.day} {value:%B %Y}"


def uk_time(value: datetime) -> str:
    """'2:05pm', 'midday' or 'midnight', in the style GOV.UK services use."""
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d}{'am' if value.hour < 12 else 'pm'}"


def uk_date_time(value: datetime) -> str:
    """'12 March 2026 at 2:05pm', in UK time (a time with no zone is taken as UTC, as the database stores it)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(UK_TIME)
    return f"{uk_date(local.date())} at {uk_time(local)}"


@dataclass(frozen=True)
class PageFurniture:
    """What appears on every page: the partnership at the top, a label and the page count at the foot."""

    header: str
    footer_label: str

    def footer(self, page: int, pages: int) -> str:
        return f"{self.footer_label} · page {page} of {pages}"

    def draw(self, canvas: Canvas, page: int, pages: int) -> None:
        width, height = PAGE_SIZE
        look = styles()
        canvas.saveState()
        header = Paragraph(text(self.header), look.header)
        _, used = header.wrap(CONTENT_WIDTH, HEADER_GAP)
        header.drawOn(canvas, MARGIN, height - HEADER_GAP - used)
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1.5)
        line_y = height - HEADER_GAP - used - 3
        canvas.line(MARGIN, line_y, width - MARGIN, line_y)
        canvas.setStrokeColor(BORDER)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, MARGIN - 4 * mm, width - MARGIN, MARGIN - 4 * mm)
        footer = Paragraph(text(self.footer(page, pages)), look.footer)
        footer.wrap(CONTENT_WIDTH, MARGIN)
        footer.drawOn(canvas, MARGIN, MARGIN - 9 * mm)
        canvas.restoreState()


def _numbered_canvas(furniture: PageFurniture) -> type[Canvas]:
    """A canvas that holds each page back until the end, so each can say "page N of M"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict] = []

        def showPage(self):
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                furniture.draw(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def build_pdf(
    story: Sequence[Flowable],
    furniture: PageFurniture,
    title: str,
    author: str,
    subject: str = "",
) -> bytes:
    """Lay out ``story`` on A4 pages carrying ``furniture`` and return the PDF's bytes."""
    register_fonts()
    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 8 * mm,
        bottomMargin=MARGIN,
        title=title,
        author=author,
        subject=subject,
        creator="Safeguarding self-audit toolkit",
        # No creation time or random document id: the same data gives the same bytes.
        invariant=True,
    )
    document.build(list(story), canvasmaker=_numbered_canvas(furniture))
    return output.getvalue()
