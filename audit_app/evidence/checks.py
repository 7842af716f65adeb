"""Checking an uploaded evidence file before it is kept.

Pure: bytes and a filename in, a verdict out; no Flask and no database, so
every rule can be tested with small files built in the test.

A file is *refused* (EvidenceRefused) when it cannot be evidence at all: no
file, the wrong type, too big, content that is not what its extension says,
or a damaged document. A file that is acceptable to keep but shows nothing — a
PDF with no text, a blank image, a workbook with no values — is kept with a
``problem``: a known weakness of these audits is that a blank document can pass
as evidence, so scoring treats such a file as unusable and reviewers see why.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree

from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import DependencyError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# The readable names of the accepted types, in the order the message lists them.
ACCEPTED_TYPES = "PDF, DOCX, XLSX, ODT, PNG or JPG"

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpg": "image/jpeg",
}
_EXTENSIONS = {"jpeg": "jpg", **{ext: ext for ext in CONTENT_TYPES}}

SELECT_A_FILE = "Select a file"
WRONG_TYPE = f"The selected file must be a {ACCEPTED_TYPES}"
EMPTY = "The selected file is empty"
DAMAGED = "The selected file could not be opened. Check that it opens on your computer, then select it again"

# What can be wrong with a file that is still kept. Those naming a file that
# "could not be opened" make it unreadable; the rest make it empty.
PDF_NO_TEXT = "The PDF has no text on any page"
PDF_UNREADABLE = "The PDF could not be opened"
PDF_PASSWORD = "The PDF is protected by a password, so it could not be opened"
IMAGE_UNREADABLE = "The image could not be opened"
IMAGE_BLANK = "The image is blank: it is all one colour"
DOCUMENT_NO_TEXT = "The document has no text"
DOCUMENT_UNREADABLE = "The document could not be opened"
WORKBOOK_NO_VALUES = "The workbook has no values in any cell"
WORKBOOK_UNREADABLE = "The workbook could not be opened"
UNREADABLE_PROBLEMS = frozenset(
    {PDF_UNREADABLE, PDF_PASSWORD, IMAGE_UNREADABLE, DOCUMENT_UNREADABLE, WORKBOOK_UNREADABLE}
)

# A display name longer than this is shortened, keeping its extension.
MAX_NAME_LENGTH = 150
# A document's parts are read only up to this size once unzipped, so a small
# "zip bomb" cannot fill the server's memory.
_MAX_UNZIPPED_BYTES = 256 * 1024 * 1024

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"
_ZIP_SIGNATURE = b"PK\x03\x04"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Characters Windows refuses in a file name: replaced so a download saves cleanly.
_RESERVED = re.compile(r'[<>:"|?*]')

_WORD_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # "strict" Office Open XML
)
_ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


class EvidenceRefused(Exception):
    """The file cannot be kept as evidence; ``message`` says why, in words for the person uploading."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    """An accepted upload: what to show and store about it."""

    filename: str  # safe to display and to offer as a download name; never used as a path
    extension: str  # one of CONTENT_TYPES' keys ("jpg" for .jpeg too)
    content_type: str
    size: int
    sha256: str
    problem: str | None = None  # what makes the file empty or unreadable though kept

    @property
    def unreadable(self) -> bool:
        return is_unreadable(self.problem)


def is_unreadable(problem: str | None) -> bool:
    """Whether a stored ``problem`` means the file could not be opened (rather than being empty)."""
    return problem in UNREADABLE_PROBLEMS


def too_big_message(max_bytes: int) -> str:
    megabytes, rest = divmod(max_bytes, 1024 * 1024)
    size = f"{megabytes}MB" if megabytes and not rest else f"{max(1, max_bytes // 1024)}KB"
    return f"The selected file must be smaller than {size}"


def not_real_message(extension: str) -> str:
    return f"The selected file is not a real {extension.upper()}"


def safe_filename(filename: str) -> str:
    """The name to show for an upload: its last path part, without control characters, not too long.

    Browsers send only a base name, but other clients may send a path such as
    ``../../etc/passwd.pdf`` or a name with a right-to-left override that hides
    the real extension; neither should reach a page or a download header.
    """
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[/\\]", name)[-1]
    # Cc are control characters (a tab or line break becomes a space, the rest
    # go); Cf include the invisible right-to-left override that can make
    # "invoice\u202efdp.exe" display as "invoiceexe.pdf".
    name = "".join(
        " " if c.isspace() else "" if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") else c
        for c in name
    )
    name = _RESERVED.sub("_", name)
    name = " ".join(name.split()).lstrip(". ").rstrip(". ")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(". ") + "." + extension
        else:
            name = name[:MAX_NAME_LENGTH].rstrip(". ")
    return name


def _extension_of(name: str) -> str | None:
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        return None
    return _EXTENSIONS.get(extension.lower())


def check_upload(filename: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> CheckedFile:
    """Check an upload by its content, not only its name; raise EvidenceRefused if it cannot be kept."""
    display = safe_filename(filename)
    if not display and not data:
        raise EvidenceRefused(SELECT_A_FILE)
    extension = _extension_of(display)
    if extension is None:
        raise EvidenceRefused(WRONG_TYPE)
    if not data:
        raise EvidenceRefused(EMPTY)
    if len(data) > max_bytes:
        raise EvidenceRefused(too_big_message(max_bytes))
    problem = _CHECKS[extension](data)
    return CheckedFile(
        filename=display,
        extension=extension,
        content_type=CONTENT_TYPES[extension],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        problem=problem,
    )


# Each check refuses content that is not the type its extension claims, and
# returns the problem (or None) with a file that is.


def _check_pdf(data: bytes) -> str | None:
    # Readers accept the header anywhere in the first kilobyte (some scanners
    # put bytes before it), so this does too.
    if b"%PDF-" not in data[:1024]:
        raise EvidenceRefused(not_real_message("pdf"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                return PDF_PASSWORD
            for page in reader.pages:
                if page.extract_text().strip():
                    return None
    except DependencyError:
        # AES encryption with an empty password (a PDF that only restricts
        # editing) needs the optional "cryptography" package to read. Such a
        # file opens in any viewer, so it is kept without a problem rather
        # than marked unreadable.
        return None
    # pypdf raises many kinds of error on damaged or hostile files; any of them
    # means the same thing to the person uploading.
    except Exception:
        return PDF_UNREADABLE
    return PDF_NO_TEXT


def _check_image(data: bytes, signature: bytes, extension: str, pillow_formats: set[str]) -> str | None:
    if not data.startswith(signature):
        raise EvidenceRefused(not_real_message(extension))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in pillow_formats:
                    raise EvidenceRefused(not_real_message(extension))
                image.verify()
            # verify() checks the structure only; decoding finds truncated data.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                extremes = image.getextrema()
    except EvidenceRefused:
        raise
    except Exception:  # Pillow's errors on damaged data vary by format and version
        return IMAGE_UNREADABLE
    bands = extremes if isinstance(extremes[0], tuple) else (extremes,)
    if all(low == high for low, high in bands):
        return IMAGE_BLANK
    return None


def _open_zip(data: bytes, extension: str) -> zipfile.ZipFile:
    if not data.startswith(_ZIP_SIGNATURE):
        raise EvidenceRefused(not_real_message(extension))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise EvidenceRefused(DAMAGED) from exc
    if declared > _MAX_UNZIPPED_BYTES:
        raise EvidenceRefused(DAMAGED)
    return archive


def _read_part(archive: zipfile.ZipFile, name: str, extension: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError as exc:
        raise EvidenceRefused(not_real_message(extension)) from exc
    try:
        return archive.read(info)
    # A bad checksum, a cut-off stream, a password or an unknown compression method.
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        RuntimeError,
        NotImplementedError,
        ValueError,
        OSError,
    ) as exc:
        raise EvidenceRefused(DAMAGED) from exc


def _has_text(xml: bytes, is_text_element, inside: str | None = None) -> bool | None:
    """Whether the XML holds any words (None if it cannot be read).

    With ``inside``, only words within that element count (an ODT's styles and
    settings sit outside its body). A document type declaration is never needed
    in these parts and is how entity-expansion attacks arrive, so a part
    carrying one is not read.
    """
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        return None
    in_scope = inside is None
    try:
        for event, element in ElementTree.iterparse(io.BytesIO(xml), events=("start", "end")):
            if element.tag == inside:
                in_scope = event == "start"
            elif event == "end":
                words = (element.text or "").strip() or (element.tail or "").strip()
                if in_scope and words and is_text_element(element.tag):
                    return True
                # Checked already: dropping it keeps memory flat on a long document.
                element.clear()
    except ElementTree.ParseError:
        return None
    return False


def _is_word_text(tag: str) -> bool:
    return any(tag == f"{{{namespace}}}t" for namespace in _WORD_NAMESPACES)


def _check_docx(data: bytes) -> str | None:
    archive = _open_zip(data, "docx")
    found = _has_text(_read_part(archive, "word/document.xml", "docx"), _is_word_text)
    if found is None:
        return DOCUMENT_UNREADABLE
    return None if found else DOCUMENT_NO_TEXT


def _check_odt(data: bytes) -> str | None:
    archive = _open_zip(data, "odt")
    if _read_part(archive, "mimetype", "odt").strip() != _ODT_MIMETYPE:
        raise EvidenceRefused(not_real_message("odt"))
    content = _read_part(archive, "content.xml", "odt")
    # Any element inside the document's body may carry words (paragraphs, headings, spans, list items).
    found = _has_text(content, lambda tag: True, inside=f"{{{_ODF_OFFICE}}}text")
    if found is None:
        return DOCUMENT_UNREADABLE
    return None if found else DOCUMENT_NO_TEXT


def _check_xlsx(data: bytes) -> str | None:
    archive = _open_zip(data, "xlsx")
    _read_part(archive, "xl/workbook.xml", "xlsx")

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            try:
                for sheet in workbook.worksheets:
                    for row in sheet.iter_rows(values_only=True):
                        if any(value is not None and str(value).strip() for value in row):
                            return None
            finally:
                workbook.close()
    except Exception:  # openpyxl's errors on malformed parts vary; all mean "cannot be read"
        return WORKBOOK_UNREADABLE
    return WORKBOOK_NO_VALUES


_CHECKS = {
    "pdf": _check_pdf,
    "png": lambda data: _check_image(data, _PNG_SIGNATURE, "png", {"PNG"}),
    # Pillow reads some cameras' JPEGs, which hold a second preview picture, as "MPO".
    "jpg": lambda data: _check_image(data, _JPEG_SIGNATURE, "jpg", {"JPEG", "MPO"}),
    "docx": _check_docx,
    "odt": _check_odt,
    "xlsx": _check_xlsx,
}
