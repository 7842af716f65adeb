"""Keeping evidence files on disk, under EVIDENCE_DIR and outside the web root.

A stored file's name is random (32 hex digits and the checked extension): it is
never derived from what the person uploading called the file, so no upload can
choose where it is written or overwrite another.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from .checks import CONTENT_TYPES

_STORED_NAME = re.compile(r"[0-9a-f]{32}\.(?:" + "|".join(CONTENT_TYPES) + r")")


class StoredNameInvalid(ValueError):
    """A stored name that this module could not have made: never turned into a path."""


def evidence_dir() -> Path:
    return Path(current_app.config["EVIDENCE_DIR"]).resolve()


def path_for(stored_name: str) -> Path:
    """The file's path under EVIDENCE_DIR; refuses any name that is not one of ours."""
    if not isinstance(stored_name, str) or not _STORED_NAME.fullmatch(stored_name):
        raise StoredNameInvalid(f"not a stored evidence name: {stored_name!r}")
    return evidence_dir() / stored_name


def _fsync_folder(folder: Path) -> None:
    # The rename is only durable once the folder's own entry is on disk.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def save(data: bytes, extension: str) -> str:
    """Write ``data`` under a new random name and return that name.

    The bytes go to a temporary file in the same folder, are flushed to disk,
    then renamed into place, so a reader never sees half a file.
    """
    if extension not in CONTENT_TYPES:
        raise ValueError(f"not an evidence extension: {extension!r}")
    folder = evidence_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    while True:
        stored_name = f"{secrets.token_hex(16)}.{extension}"
        if not (folder / stored_name).exists():
            break
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, folder / stored_name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(folder)
    return stored_name


def open_stored(stored_name: str) -> BinaryIO | None:
    """The stored file opened for reading, or None if it is not on disk."""
    try:
        return path_for(stored_name).open("rb")
    except (FileNotFoundError, IsADirectoryError, StoredNameInvalid):
        return None


def read(stored_name: str) -> bytes | None:
    handle = open_stored(stored_name)
    if handle is None:
        return None
    with handle:
        return handle.read()


def delete(stored_name: str) -> None:
    """Remove the stored file; a file already gone is not an error."""
    path_for(stored_name).unlink(missing_ok=True)
