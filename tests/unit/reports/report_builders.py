"""Hand-made report data, saying only what a test needs, and helpers that read a report
back the way a person would: PDF text through pypdf, page images through pdftoppm."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from pathlib import Path

from PIL import Image
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.data import (
    ActionLine,
    CycleRef,
    OrganisationRef,
    OrganisationReturn,
    PartnershipRef,
    RatingRef,
    StandardRef,
    StandardResult,
)

GREEN = RatingRef("green", "Green", "green")
AMBER = RatingRef("amber", "Amber", "amber")
RED = RatingRef("red", "Red", "red")
RAG = (GREEN, AMBER, RED)
BY_ID = {rating.id: rating for rating in RAG}

PARTNERSHIP = PartnershipRef(
    "Demoshire Safeguarding Children Partnership",
    address=("County Hall", "Demoton DM1 1AA"),
    email="business.unit@demoshire-partnership.example",
)
S11_CYCLE = CycleRef("Section 11 audit 2025-26", date(2026, 1, 30), date(2026, 2, 27))
SCHOOLS_CYCLE = CycleRef(
    "Schools and colleges safeguarding audit 2025-26", date(2026, 3, 13), date(2026, 4, 24)
)

EIGHT_STANDARDS = (
    StandardRef("s1", "Senior management commitment to safeguarding"),
    StandardRef("s2", "Statement of responsibilities towards children"),
    StandardRef("s3", "Clear line of accountability"),
    StandardRef("s4", "Service development informed by children and families"),
    StandardRef("s5", "Safeguarding training"),
    StandardRef("s6", "Safer recruitment"),
    StandardRef("s7", "Effective inter-agency working"),
    StandardRef("s8", "Information sharing"),
)


def result(
    standard: StandardRef, final: str | None, self_rating: str | None = None, **changes
) -> StandardResult:
    """A standard's result with a final (scored) rating and a self rating, by rating id."""
    return StandardResult(
        section_id=standard.section_id,
        title=standard.title,
        self_rating=BY_ID.get(self_rating) if self_rating else None,
        scored_rating=BY_ID.get(final) if final else None,
        **changes,
    )


def organisation_return(
    name: str,
    ratings: str,
    submitted_on: date | None = date(2026, 1, 20),
    sector: str = "Health",
    kind: str = "agency",
    urn: str | None = None,
    standards: tuple[StandardRef, ...] = EIGHT_STANDARDS,
) -> OrganisationReturn:
    """A return whose final ratings are spelt one letter per standard: "GGARN-..."
    (G, A, R; N for not applicable; "-" for no rating). No submission date: not returned."""
    letters = {"G": "green", "A": "amber", "R": "red"}
    results = []
    for standard, letter in zip(standards, ratings, strict=True):
        if letter == "N":
            results.append(result(standard, None, not_applicable=True))
        else:
            results.append(result(standard, letters.get(letter)))
    colours = [letters[letter] for letter in ratings if letter in letters]
    overall = None
    if submitted_on is not None and colours:
        overall = RED if "red" in colours else AMBER if "amber" in colours else GREEN
    return OrganisationReturn(
        organisation=OrganisationRef(name, kind, sector, urn),
        status="accepted" if submitted_on else "in_progress",
        submitted_on=submitted_on,
        overall=overall,
        standards=tuple(results) if submitted_on else (),
    )


def action(standard: str, description: str, owner: str, due_on: date, status: str = "open") -> ActionLine:
    return ActionLine(standard, description, owner, due_on, status)


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, whitespace runs folded to single spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def pdf_text(pdf: bytes) -> str:
    """The whole document's text, whitespace folded."""
    return " ".join(pdf_pages(pdf))


def pdf_lines(pdf: bytes) -> list[str]:
    """Every line of text in the document, as set: what a reader sees on one line."""
    reader = PdfReader(io.BytesIO(pdf))
    return [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]


def placed_lines(pdf: bytes) -> list[tuple[float, float, str]]:
    """Every line of text in the document as (left, right, text), its ends measured in
    points from the page's left edge with the font it is set in."""
    placed = []
    fonts = ["Helvetica"]

    def visit(line: str, matrix: list, text_matrix: list, font: dict | None, size: float) -> None:
        # pypdf names the font only where the PDF sets it; a line after it keeps it.
        if font is not None:
            fonts.append(str(font["/BaseFont"]).lstrip("/"))
        if line.strip():
            left = matrix[4] + text_matrix[4] * matrix[0]
            width = stringWidth(line.strip(), fonts[-1], size) * matrix[0]
            placed.append((left, left + width, line.strip()))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return placed


# What a rendered page 1 must hold, as shares of its pixels that are not (near) white. The
# reports' first pages run from about 10% to 20% at 40 dpi, and their running header from 4%
# to 11% of the top strip; a blank page is 0%, and a page that lost its body or header falls
# well below these floors.
INK_LEVEL = 235  # grey level below which a pixel counts as ink
MIN_PAGE_INK = 0.05
MIN_HEADER_INK = 0.01
HEADER_SHARE = 0.12  # the top strip of the page that holds the running header and first heading


def ink_share(image: Image.Image) -> float:
    histogram = image.convert("L").histogram()
    return sum(histogram[:INK_LEVEL]) / (image.width * image.height)


def render_first_page(pdf: bytes, directory: Path) -> Path:
    """Render page 1 to PNG with poppler's pdftoppm, as a viewer would, and check it is a
    page a person could read: enough ink overall, and a header at the top that is not blank."""
    source = directory / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(source), str(directory / "page")],
        check=True,
        capture_output=True,
    )
    (image,) = directory.glob("page*.png")
    with Image.open(image) as page:
        assert page.width > 300 and page.height > 400, f"page 1 rendered at {page.size}"
        page_ink = ink_share(page)
        header_ink = ink_share(page.crop((0, 0, page.width, int(page.height * HEADER_SHARE))))
    assert page_ink >= MIN_PAGE_INK, f"page 1 is {page_ink:.1%} ink: it is blank or nearly so"
    assert header_ink >= MIN_HEADER_INK, f"the top of page 1 is {header_ink:.1%} ink: the header is missing"
    return image
