"""Uploaded register files, kept between the dry run and the apply.

A dry run shows what a file would do; applying it must do exactly that, so
the apply reads the very bytes that were checked, kept under
``instance/imports/<sha256>`` (or ``IMPORTS_DIR``), and refuses if they are
gone or no longer hash to what the dry run recorded. Files are removed once
applied, and any left by dry runs nobody applied are cleared after a week.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from pathlib import Path

from flask import current_app

KEEP_DAYS = 7
_HASH = re.compile(r"[0-9a-f]{64}")


class StoredFileProblem(Exception):
    """The kept copy of an upload cannot be used; the message says what to do."""


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_of_path(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def folder() -> Path:
    configured = current_app.config.get("IMPORTS_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "imports"


def keep(data: bytes) -> str:
    """Store ``data`` under its hash (once) and return the hash."""
    digest = sha256_of(data)
    target = folder() / digest
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written aside then renamed, so a half-written file is never read as the upload.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    return digest


def read_kept(digest: str, filename: str) -> bytes:
    """The bytes kept under ``digest``, checked against it."""
    path = folder() / digest
    if not _HASH.fullmatch(digest) or not path.is_file():
        raise StoredFileProblem(
            f"The uploaded copy of {filename} is no longer kept. Upload the file again to check and apply it."
        )
    data = path.read_bytes()
    if sha256_of(data) != digest:
        raise StoredFileProblem(
            f"The uploaded copy of {filename} has changed since it was checked, so it was not applied. "
            "Upload the file again."
        )
    return data


def discard(digests: set[str], still_needed: set[str]) -> None:
    for digest in digests - still_needed:
        if _HASH.fullmatch(digest):
            (folder() / digest).unlink(missing_ok=True)


def prune(days: int = KEEP_DAYS) -> None:
    """Remove kept files older than ``days``; a dry run that named one then asks for a new upload."""
    base = folder()
    if not base.is_dir():
        return
    cutoff = time.time() - days * 86400
    for path in base.iterdir():
        ours = _HASH.fullmatch(path.name) or path.name.startswith(".upload-")
        if ours and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
