"""Hypothesis strategies that spoil a valid register file the ways files get spoilt.

A person saving a spreadsheet, a truncated download or a hand edit deletes,
duplicates and swaps lines, puts the wrong thing in a field, leaves a stray
quote or cuts the file short. :func:`mutated` applies a few such changes to the
bytes of a valid CSV file, so the readers are tested on files that are nearly
right, which is where their row-and-column messages matter, rather than on
random bytes alone.
"""

from __future__ import annotations

import csv
import io

from hypothesis import strategies as st

ODD_VALUES = [
    "",
    " ",
    '"',
    'a"b',
    "a,b",
    "line\r\nbreak",
    "\x00",
    "²",
    "١٢٣",
    "-1",
    "0",
    "1.5",
    "99999999999999999999999",
    "31-02-2026",
    "2026-13-01",
    "01/01/0001",
    "police",
    "not-an-email",
    "x" * 5_000,
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂",
    "\u202e\u200b",
    '=HYPERLINK("http://example.org")',
]

field_value = st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=30))


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\r\n")


def _join(lines: list[bytes]) -> bytes:
    return b"\r\n".join(lines)


def _set_field(line: bytes, index: int, value: str, encoding: str) -> bytes:
    text = line.decode(encoding, errors="replace")
    cells = next(csv.reader([text]), [])
    if not cells:
        cells = [""]
    cells[index % len(cells)] = value
    out = io.StringIO(newline="")
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="").writerow(cells)
    return out.getvalue().encode(encoding, errors="replace")


@st.composite
def mutated(draw, data: bytes, encoding: str = "cp1252", max_changes: int = 4) -> bytes:
    """``data`` (CRLF CSV in ``encoding``) with one to ``max_changes`` changes."""
    for _ in range(draw(st.integers(1, max_changes))):
        lines = _lines(data)
        i = draw(st.integers(0, len(lines) - 1))
        change = draw(
            st.sampled_from(["delete", "duplicate", "swap", "field", "field", "bytes", "truncate", "quote"])
        )
        if change == "delete" and len(lines) > 1:
            del lines[i]
        elif change == "duplicate":
            lines.insert(i, lines[i])
        elif change == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif change == "field":
            lines[i] = _set_field(lines[i], draw(st.integers(0, 60)), draw(field_value), encoding)
        elif change == "bytes":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.binary(min_size=1, max_size=4)) + lines[i][at:]
        elif change == "quote":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + b'"' + lines[i][at:]
        else:  # truncate: a download cut short
            data = _join(lines)
            data = data[: draw(st.integers(0, len(data)))]
            continue
        data = _join(lines)
    return data
