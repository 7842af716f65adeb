"""The upload checks on evidence files, with small real files built in each test."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter

from audit_app.evidence import checks, storage
from audit_app.evidence.checks import EvidenceRefused, check_upload, safe_filename
from tests.support import evidence as files

MB = 1024 * 1024


def refusal(filename: str, data: bytes, **options) -> str:
    with pytest.raises(EvidenceRefused) as refused:
        check_upload(filename, data, **options)
    return refused.value.message


def password_protected_pdf(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(files.pdf("Confidential policy")))
    writer.encrypt(user_password, owner_password="owner-secret", algorithm="RC4-128")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


# What is accepted, and what is recorded about it


@pytest.mark.parametrize(
    ("filename", "data", "extension", "content_type"),
    [
        ("Child protection policy.pdf", files.pdf("Child protection policy 2025"), "pdf", "application/pdf"),
        ("Site plan.png", files.image("PNG"), "png", "image/png"),
        ("Poster.jpg", files.image("JPEG"), "jpg", "image/jpeg"),
        ("Poster.JPEG", files.image("JPEG"), "jpg", "image/jpeg"),
        (
            "Training log.docx",
            files.docx("Induction completed"),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "Single central record.xlsx",
            files.xlsx(("Name", "DBS number")),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "Minutes.odt",
            files.odt("Safeguarding was item 3"),
            "odt",
            "application/vnd.oasis.opendocument.text",
        ),
    ],
)
def test_each_accepted_type_is_accepted_by_its_content(filename, data, extension, content_type):
    checked = check_upload(filename, data)
    assert checked.filename == filename
    assert checked.extension == extension
    assert checked.content_type == content_type
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.problem is None


# What is refused, and the words used


@pytest.mark.parametrize("filename", ["", "   "])
def test_no_file_chosen_asks_to_select_a_file(filename):
    assert refusal(filename, b"") == "Select a file"


def test_an_empty_file_is_refused():
    assert refusal("policy.pdf", b"") == "The selected file is empty"


def test_a_file_over_10mb_is_refused():
    data = files.pdf("Policy") + b" " * (10 * MB + 1 - len(files.pdf("Policy")))
    assert len(data) == 10 * MB + 1
    assert refusal("policy.pdf", data) == "The selected file must be smaller than 10MB"


def test_a_file_of_exactly_the_limit_is_accepted():
    real = files.pdf("Policy")
    checked = check_upload("policy.pdf", real + b"\n" * 100, max_bytes=len(real) + 100)
    assert checked.problem is None


@pytest.mark.parametrize(
    "filename", ["notes.txt", "setup.exe", "policy", "policy.", "archive.zip", "page.html"]
)
def test_other_types_are_refused(filename):
    assert refusal(filename, b"some bytes") == "The selected file must be a PDF, DOCX, XLSX, ODT, PNG or JPG"


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("policy.pdf", files.image("PNG"), "The selected file is not a real PDF"),
        ("policy.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200), "The selected file is not a real PDF"),
        ("photo.png", files.image("JPEG"), "The selected file is not a real PNG"),
        ("photo.jpg", files.pdf("Not a photo"), "The selected file is not a real JPG"),
        ("report.docx", files.zipped({"notes.txt": "just a zip"}), "The selected file is not a real DOCX"),
        ("report.docx", files.xlsx(("A workbook",)), "The selected file is not a real DOCX"),
        ("report.docx", files.pdf("A PDF"), "The selected file is not a real DOCX"),
        ("figures.xlsx", files.docx("A document"), "The selected file is not a real XLSX"),
        ("minutes.odt", files.docx("A document"), "The selected file is not a real ODT"),
        (
            "minutes.odt",
            files.odt("Figures", mimetype="application/vnd.oasis.opendocument.spreadsheet"),
            "The selected file is not a real ODT",
        ),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(filename, data, message):
    assert refusal(filename, data) == message


@pytest.mark.parametrize(
    "data",
    [
        files.corrupted(files.docx("Hello " * 200), "word/document.xml"),
        files.docx("Hello")[:-40],
        b"PK\x03\x04" + bytes(300),
    ],
    ids=["scrambled part", "cut short", "zip header only"],
)
def test_a_damaged_document_is_refused(data):
    assert refusal("report.docx", data).startswith("The selected file could not be opened")


def test_a_zip_that_would_unpack_to_far_more_than_it_weighs_is_refused(monkeypatch):
    monkeypatch.setattr(checks, "_MAX_UNZIPPED_BYTES", 1000)
    assert refusal("report.docx", files.docx("x" * 2000)).startswith("The selected file could not be opened")


# Names


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\policy.pdf", "policy.pdf"),
        ("C:\\Users\\dsl\\Desktop\\Policy 2025.pdf", "Policy 2025.pdf"),
        ("/var/www/evidence.pdf", "evidence.pdf"),
        ("pol\x00icy\r\n.pdf", "policy .pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("St Mary’s policy – 2025.pdf", "St Mary’s policy – 2025.pdf"),
        ('Minutes: "final" <v2>?.pdf', "Minutes_ _final_ _v2__.pdf"),
    ],
)
def test_a_path_or_odd_characters_are_reduced_to_a_safe_display_name(sent, shown):
    assert check_upload(sent, files.pdf("Policy")).filename == shown


def test_a_right_to_left_override_cannot_disguise_the_extension():
    # Displayed as "invoiceexe.pdf" by some systems, though it ends in .exe.
    assert refusal("invoice\u202efdp.exe", files.pdf("x")) == checks.WRONG_TYPE


def test_a_very_long_name_is_shortened_and_keeps_its_extension():
    shown = check_upload("a" * 400 + ".pdf", files.pdf("Policy")).filename
    assert len(shown) == checks.MAX_NAME_LENGTH
    assert shown.endswith("a.pdf")


def test_a_name_that_is_only_a_path_has_no_type():
    assert refusal("../../", files.pdf("Policy")) == checks.WRONG_TYPE
    assert safe_filename("../../") == ""


# Files kept, with what is wrong with them


@pytest.mark.parametrize(
    ("filename", "data", "problem"),
    [
        ("blank.pdf", files.pdf(""), "The PDF has no text on any page"),
        ("blank pages.pdf", files.pdf("", "", ""), "The PDF has no text on any page"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj garbage", "The PDF could not be opened"),
        (
            "locked.pdf",
            password_protected_pdf("letmein"),
            "The PDF is protected by a password, so it could not be opened",
        ),
        ("white.png", files.image("PNG", blank=True), "The image is blank: it is all one colour"),
        ("white.jpg", files.image("JPEG", blank=True), "The image is blank: it is all one colour"),
        ("cut.png", files.image("PNG", size=(400, 300))[:200], "The image could not be opened"),
        ("cut.jpg", files.image("JPEG", size=(400, 300))[:300], "The image could not be opened"),
        ("empty.docx", files.docx(), "The document has no text"),
        ("spaces.docx", files.docx("   "), "The document has no text"),
        ("broken.docx", files.docx(document_xml="<w:document><w:body>"), "The document could not be opened"),
        (
            "entities.docx",
            files.docx(document_xml='<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>'),
            "The document could not be opened",
        ),
        ("empty.odt", files.odt(), "The document has no text"),
        ("footer only.odt", files.odt(styles_text="Page footer"), "The document has no text"),
        ("empty.xlsx", files.xlsx(), "The workbook has no values in any cell"),
        (
            "broken.xlsx",
            files.with_part_replaced(files.xlsx(("a",)), "xl/workbook.xml", "<workbook"),
            "The workbook could not be opened",
        ),
    ],
)
def test_an_empty_or_unreadable_file_is_kept_with_its_problem(filename, data, problem):
    assert check_upload(filename, data).problem == problem


def test_a_pdf_with_text_on_a_later_page_only_has_no_problem():
    assert check_upload("report.pdf", files.pdf("", "", "Signed by the chair")).problem is None


def test_a_pdf_restricted_but_openable_without_a_password_is_read():
    assert check_upload("restricted.pdf", password_protected_pdf("")).problem is None


def test_a_workbook_with_only_a_formula_is_not_empty():
    assert check_upload("sums.xlsx", files.xlsx((None, "=SUM(1,2)"))).problem is None


@pytest.mark.parametrize(
    ("problem", "unreadable"),
    [
        (None, False),
        (checks.PDF_NO_TEXT, False),
        (checks.IMAGE_BLANK, False),
        (checks.WORKBOOK_NO_VALUES, False),
        (checks.PDF_UNREADABLE, True),
        (checks.PDF_PASSWORD, True),
        (checks.WORKBOOK_UNREADABLE, True),
    ],
)
def test_a_problem_is_either_emptiness_or_unreadability(problem, unreadable):
    assert checks.is_unreadable(problem) is unreadable


# Anything at all: only ever accepted or refused, and stored only inside EVIDENCE_DIR

_REAL_FILES = [
    files.pdf("Policy"),
    files.image("PNG"),
    files.image("JPEG"),
    files.docx("Words"),
    files.odt("Words"),
    files.xlsx(("Value",)),
]
_EXTENSIONS = ["pdf", "PDF", "png", "jpg", "jpeg", "docx", "xlsx", "odt", "exe", "txt", ""]


def _mutated(data: bytes, position: int, value: int) -> bytes:
    position %= len(data)
    return data[:position] + bytes([value]) + data[position + 1 :]


filenames = st.one_of(
    st.text(max_size=300),
    st.builds(lambda stem, ext: f"{stem}.{ext}", st.text(max_size=60), st.sampled_from(_EXTENSIONS)),
    st.builds(
        lambda parts, ext: "/".join(parts) + "." + ext,
        st.lists(st.sampled_from(["..", ".", "", "etc", "~", "C:", "\x00", "\u202e"]), max_size=6),
        st.sampled_from(_EXTENSIONS),
    ),
)
contents = st.one_of(
    st.binary(max_size=3000),
    st.builds(
        lambda magic, rest: magic + rest,
        st.sampled_from([b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"PK\x03\x04"]),
        st.binary(max_size=3000),
    ),
    st.builds(_mutated, st.sampled_from(_REAL_FILES), st.integers(min_value=0), st.integers(0, 255)),
    st.builds(lambda data, keep: data[:keep], st.sampled_from(_REAL_FILES), st.integers(0, 4000)),
)


@pytest.fixture(scope="module")
def evidence_app(tmp_path_factory):
    # Storage needs only EVIDENCE_DIR from the configuration, not the whole app.
    app = Flask(__name__)
    app.config["EVIDENCE_DIR"] = str(tmp_path_factory.mktemp("evidence"))
    with app.app_context():
        yield app


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(filename=filenames, data=contents)
def test_any_upload_is_accepted_or_refused_and_only_ever_stored_inside_the_evidence_folder(
    evidence_app, filename, data
):
    try:
        checked = check_upload(filename, data)
    except EvidenceRefused as refused:
        assert refused.message
        return
    assert checked.filename and len(checked.filename) <= checks.MAX_NAME_LENGTH
    assert not any(c in checked.filename for c in "/\\\x00\n\r")
    stored_name = storage.save(data, checked.extension)
    path = storage.path_for(stored_name)
    try:
        assert path.parent == storage.evidence_dir()
        assert path.resolve().is_relative_to(storage.evidence_dir())
        assert path.read_bytes() == data
        assert checked.filename not in stored_name
    finally:
        storage.delete(stored_name)


def test_a_stored_name_that_storage_did_not_make_is_never_turned_into_a_path(evidence_app):
    for name in ["../secret.pdf", "/etc/passwd", "policy.pdf", "0" * 32 + ".exe", "0" * 32 + ".pdf/../x"]:
        with pytest.raises(storage.StoredNameInvalid):
            storage.path_for(name)
        assert storage.open_stored(name) is None


def test_stored_files_have_random_names_and_leave_no_temporary_files(evidence_app):
    names = {storage.save(b"%PDF-1.7 same bytes", "pdf") for _ in range(5)}
    assert len(names) == 5
    folder = storage.evidence_dir()
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".upload-")) == []
    for name in names:
        assert storage.read(name) == b"%PDF-1.7 same bytes"
        storage.delete(name)
        assert storage.read(name) is None


def test_a_docx_whose_parts_are_encrypted_is_refused():
    document = files.docx("Secret")
    # Set the "encrypted" flag on every entry, as a password-protected zip has.
    patched = bytearray(document)
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        for info in archive.infolist():
            patched[info.header_offset + 6] |= 0x01
    central = patched.find(b"PK\x01\x02")
    while central != -1:
        patched[central + 8] |= 0x01
        central = patched.find(b"PK\x01\x02", central + 4)
    assert refusal("secret.docx", bytes(patched)).startswith("The selected file could not be opened")
