"""Uploads read by a view that caps them: an oversize file is cut short, the rest of the form is read."""

from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO

from werkzeug.test import EnvironBuilder

from audit_app.security import CheckedRequest

MB = 1024 * 1024


@contextmanager
def request_with(file_bytes: bytes, cap: int | None) -> Iterator[CheckedRequest]:
    builder = EnvironBuilder(
        method="POST",
        data={"policy--file": (BytesIO(file_bytes), "policy.pdf"), "answer": "yes"},
    )
    request = CheckedRequest(builder.get_environ())
    request.file_cap = cap
    try:
        yield request
    finally:
        request.close()
        builder.close()
        request.environ["wsgi.input"].close()


def test_a_capped_request_keeps_one_byte_past_the_cap_and_reads_the_fields_after_the_file():
    with request_with(b"%PDF-1.7\n" + b"0" * (12 * MB), cap=MB) as request:
        kept = request.files["policy--file"].read()
        assert len(kept) == MB + 1
        assert kept.startswith(b"%PDF-1.7\n")
        assert request.form["answer"] == "yes"


def test_a_file_within_the_cap_is_kept_whole():
    content = b"%PDF-1.7\n" + bytes(range(256)) * 4000
    with request_with(content, cap=MB) as request:
        assert request.files["policy--file"].read() == content


def test_without_a_cap_a_file_is_kept_whole():
    content = b"0" * (2 * MB)
    with request_with(content, cap=None) as request:
        assert request.files["policy--file"].read() == content
