"""Small, real evidence files built in memory: PDFs, images and office documents, well-formed or not.

Every builder returns the bytes a person's computer would upload, so the
upload checks are tested against genuine file formats rather than against
bytes that only look right at the start.
"""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def pdf(*pages: str) -> bytes:
    """A PDF with one page per string; an empty string makes a blank page."""
    output = io.BytesIO()
    canvas = Canvas(output, pagesize=A4, invariant=True)
    for text in pages or ("",):
        if text:
            canvas.drawString(72, 720, text)
        canvas.showPage()
    canvas.save()
    return output.getvalue()


def image(kind: str = "PNG", blank: bool = False, size: tuple[int, int] = (60, 40)) -> bytes:
    """A small picture (PNG or JPEG): a dark line on white, or plain white if ``blank``."""
    picture = Image.new("RGB", size, "white")
    if not blank:
        ImageDraw.Draw(picture).rectangle((5, 5, size[0] - 5, size[1] // 2), fill="black")
    output = io.BytesIO()
    picture.save(output, kind)
    return output.getvalue()


def zipped(parts: dict[str, bytes | str], stored_first: str | None = None) -> bytes:
    """A zip of ``parts``; ``stored_first`` is written first and uncompressed, as ODF requires of mimetype."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first is not None:
            archive.writestr(stored_first, parts[stored_first], compress_type=zipfile.ZIP_STORED)
        for name, content in parts.items():
            if name != stored_first:
                archive.writestr(name, content)
    return output.getvalue()


def docx(*paragraphs: str, document_xml: str | None = None) -> bytes:
    """A minimal Word document holding ``paragraphs`` (or exactly ``document_xml``)."""
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    return zipped(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Override PartName="/word/document.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
            ),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
            ),
            "word/document.xml": document_xml
            or f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{WORD}"><w:body>{body}</w:body></w:document>',
        }
    )


def odt(
    *paragraphs: str, mimetype: str = "application/vnd.oasis.opendocument.text", styles_text: str = ""
) -> bytes:
    """A minimal OpenDocument text file; ``styles_text`` puts words outside the body, in styles.xml."""
    body = "".join(f"<text:p>{text}</text:p>" for text in paragraphs)
    namespaces = f'xmlns:office="{ODF_OFFICE}" xmlns:text="{ODF_TEXT}"'
    return zipped(
        {
            "mimetype": mimetype,
            "content.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {namespaces} office:version="1.3">'
                f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
            ),
            "styles.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {namespaces}>'
                f"<office:master-styles><text:p>{styles_text}</text:p></office:master-styles>"
                "</office:document-styles>"
            ),
            "META-INF/manifest.xml": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="'
                f'{mimetype}"/></manifest:manifest>'
            ),
        },
        stored_first="mimetype",
    )


def xlsx(*rows: tuple) -> bytes:
    """A workbook with ``rows`` on its only sheet (none for an empty workbook)."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def with_part_replaced(document: bytes, name: str, content: bytes | str) -> bytes:
    """The same zip-based document with one part's content swapped."""
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[name] = content
    first = "mimetype" if "mimetype" in parts else None
    return zipped(parts, stored_first=first)


def corrupted(document: bytes, part: str) -> bytes:
    """The zip with the compressed bytes of ``part`` scrambled, as a failing disk or download would."""
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        info = archive.getinfo(part)
    # The local header is 30 bytes plus the name and extra field; the data follows.
    local = document[info.header_offset : info.header_offset + 30]
    name_length = int.from_bytes(local[26:28], "little")
    extra_length = int.from_bytes(local[28:30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    scrambled = bytes(b ^ 0x5A for b in document[start : start + info.compress_size])
    return document[:start] + scrambled + document[start + info.compress_size :]
