"""Opening an uploaded register file as CSV text, whatever it was saved as.

Both registers arrive as CSV files someone downloaded or saved: the GIAS
establishment file ships in Windows-1252, a partnership's own agency list is
usually UTF-8 (with a byte-order mark when Excel saved it) and sometimes
Windows-1252 (Excel's plain "CSV (Comma delimited)"). Rather than trust a
label, the whole file is checked first and read in the one encoding it is
valid in, so a name such as "St Mary’s" never turns into "St Maryâ€™s".

Nothing here raises on a bad file except :class:`UnreadableFile`, whose
message says in plain words what is wrong with it.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO, TextIO

Source = str | os.PathLike[str] | bytes | bytearray | BinaryIO

_CHUNK = 1 << 20
# The five byte values Windows-1252 leaves undefined: a file holding any of
# them cannot be Windows-1252 text.
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_DATE = re.compile(r"(\d{1,2})([-/])(\d{1,2})\2(\d{4})|(\d{4})-(\d{2})-(\d{2})")


class UnreadableFile(Exception):
    """The file is not CSV text; the message says why, in words for a user."""


@dataclass(frozen=True)
class Problem:
    """Something wrong with a file, or with one value in one row of it.

    ``row`` counts the header as row 1, as a spreadsheet does; ``None`` means
    the file as a whole (it was not read). ``column`` names the column of the
    bad value, or is ``None`` when the row as a whole is wrong.
    """

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"Row {self.row}" if self.row is not None else "File"]
        if self.column:
            where.append(self.column)
        return f"{', '.join(where)}: {self.message}"


def choose_encoding(stream: BinaryIO) -> str:
    """Read ``stream`` to the end and name the codec it is valid in.

    Returns ``"utf-8-sig"`` (UTF-8 with a byte-order mark), ``"utf-8"`` or
    ``"cp1252"``; pure ASCII counts as UTF-8. UTF-8 is tried before
    Windows-1252 because accented text in Windows-1252 is practically never
    valid UTF-8, while UTF-8 text is nearly always "valid" Windows-1252 — as
    mojibake.
    """
    first = stream.read(_CHUNK)
    if not first.strip():
        raise UnreadableFile("it is empty")
    if first.startswith(b"PK\x03\x04"):
        raise UnreadableFile(
            "it is an Excel workbook or a zip archive, not a CSV file: "
            "open it and save it as CSV, or unzip it first"
        )
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFile("it is saved as UTF-16 (Excel's “Unicode text”), not as CSV")
    utf8 = codecs.getincrementaldecoder("utf-8")()
    utf8_ok = True
    not_cp1252_at: int | None = None
    not_cp1252 = 0
    offset = 0
    chunk = first
    while chunk:
        nul = chunk.find(b"\x00")
        if nul >= 0:
            raise UnreadableFile(f"byte {offset + nul + 1:,} is a NUL byte, so this is not a CSV text file")
        if utf8_ok:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                utf8_ok = False
        if not_cp1252_at is None and (found := _NOT_CP1252.search(chunk)):
            not_cp1252_at = offset + found.start()
            not_cp1252 = chunk[found.start()]
        offset += len(chunk)
        chunk = stream.read(_CHUNK)
    if utf8_ok:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok = False
    if first.startswith(codecs.BOM_UTF8):
        if utf8_ok:
            return "utf-8-sig"
        raise UnreadableFile("it starts with a UTF-8 byte-order mark but is not UTF-8")
    if utf8_ok:
        return "utf-8"
    if not_cp1252_at is None:
        return "cp1252"
    raise UnreadableFile(
        f"byte {not_cp1252_at + 1:,} (0x{not_cp1252:02X}) is not a character in Windows-1252 or UTF-8"
    )


@contextmanager
def open_text(source: Source) -> Iterator[tuple[TextIO, str]]:
    """Open ``source`` as text ready for :mod:`csv`, with the codec it was read in.

    ``source`` is a path, the file's bytes, or a binary file object (such as
    an upload's stream), which is left open afterwards.
    """
    if isinstance(source, bytes | bytearray):
        with io.BytesIO(source) as stream:
            yield _wrap(stream)
        return
    if isinstance(source, str | os.PathLike):
        try:
            stream = open(source, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise UnreadableFile(f"it could not be opened ({exc.strerror})") from exc
        with stream:
            yield _wrap(stream)
        return
    if not source.seekable():
        with io.BytesIO(source.read()) as stream:
            yield _wrap(stream)
        return
    start = source.tell()
    text, encoding = _wrap(source, start)
    try:
        yield text, encoding
    finally:
        # Hand the caller's stream back open: a wrapper closes what it wraps.
        text.detach()


def _wrap(stream: BinaryIO, start: int = 0) -> tuple[TextIO, str]:
    encoding = choose_encoding(stream)
    stream.seek(start)
    return io.TextIOWrapper(stream, encoding=encoding, newline=""), encoding


class Records:
    """The header and rows of CSV text, numbered as a spreadsheet numbers them.

    Iterating yields ``(row, values)`` from row 2. Text that stops being CSV
    part-way (a stray quote swallowing the rest of the file, a huge field)
    ends the iteration and leaves a whole-file :class:`Problem` in
    ``problems``: the file should then be refused rather than half imported.
    """

    def __init__(self, text: TextIO) -> None:
        self._reader = csv.reader(text)
        self.problems: list[Problem] = []
        self.header: list[str] = []
        self.last_row = 1
        try:
            self.header = [name.strip() for name in next(self._reader)]
        except StopIteration:
            pass
        except csv.Error as exc:
            message = f"The first row cannot be read as CSV ({exc})."
            self.problems.append(Problem(None, None, message))

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        while not self.problems:
            try:
                values = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                # Whatever follows is guesswork, so the file as a whole is refused.
                message = f"Row {self.last_row + 1} cannot be read as CSV ({exc}), so the file was not read."
                self.problems.append(Problem(None, None, message))
                return
            self.last_row += 1
            yield self.last_row, values

    def positions(self) -> dict[str, int]:
        """Where each column is, keyed by :func:`column_key`; the first of any repeats."""
        found: dict[str, int] = {}
        for index, name in enumerate(self.header):
            found.setdefault(column_key(name), index)
        return found

    def repeated(self) -> set[str]:
        """Column keys that appear more than once in the header."""
        keys = [column_key(name) for name in self.header]
        return {key for key in keys if keys.count(key) > 1}


def header_problems(
    records: Records, required: tuple[str, ...], what: str, needed: tuple[str, ...] = ()
) -> list[Problem]:
    """Why the header makes the file unusable, if it does.

    ``required`` columns must be present; ``needed`` ones (a superset, the
    columns actually read) must not appear twice, since then which one to
    read would be a guess. ``what`` names the file for a user, e.g. "GIAS
    establishment file".
    """
    if records.problems:
        return list(records.problems)
    positions = records.positions()
    missing = [name for name in required if column_key(name) not in positions]
    if missing and len(missing) == len(required):
        names = ", ".join(f"“{name}”" for name in required)
        message = f"This is not a {what}: its first row has none of the columns {names}."
        return [Problem(None, None, message)]
    problems = [
        Problem(None, name, f"The file has no “{name}” column, which the toolkit needs.") for name in missing
    ]
    repeated = records.repeated()
    for name in needed or required:
        if column_key(name) in repeated:
            message = f"The column “{name}” appears more than once in the first row."
            problems.append(Problem(None, name, message))
    return problems


def column_key(name: str) -> str:
    """Compare column names without regard to case or spacing."""
    return " ".join(name.split()).casefold()


def parse_date(value: str) -> date | None:
    """A GIAS date, ``dd-mm-yyyy``; blank is ``None``.

    ``dd/mm/yyyy`` (what Excel writes when it re-saves the file) and ISO
    ``yyyy-mm-dd`` are accepted too. Raises ``ValueError`` with a message fit
    to show a user.
    """
    if not value:
        return None
    match = _DATE.fullmatch(value)
    if match is None:
        raise ValueError(f"“{value}” is not a date in the form dd-mm-yyyy")
    if match.group(1):
        day, month, year = match.group(1, 3, 4)
    else:
        year, month, day = match.group(5, 6, 7)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"“{value}” is not a real date") from None
