"""What the reader makes of the establishment file's shape: columns, encodings, broken files.

Encodings, as the reader treats them: Windows-1252 (what GIAS ships) and
UTF-8, with or without a byte-order mark (what the file becomes once someone
re-saves it), are both read correctly, the codec in ``result.encoding``.
Anything that is valid in neither, UTF-16, a workbook or binary is refused
with a reason; nothing raises.
"""

from __future__ import annotations

import dataclasses
import io
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from audit_app.demo.gias_sample_data import GIAS_COLUMNS
from audit_app.registers.gias import COLUMNS, REQUIRED_COLUMNS, read_establishments

from .gias_builders import (
    SAMPLE,
    gias_csv,
    row,
    sample_table,
    table_csv,
)


def summary(result):
    """Everything a reader returns, except where each row was in the file."""
    return (
        [dataclasses.replace(e, row=0) for e in result.establishments],
        [dataclasses.replace(e, row=0) for e in result.closed],
        sorted((s.urn, s.reason) for s in result.skipped),
        result.errors,
    )


def test_reordered_columns_and_extra_ones_read_the_same():
    header, rows = sample_table()
    order = list(range(len(header)))
    random.Random(4).shuffle(order)
    shuffled = table_csv(
        [header[i] for i in order] + ["DateOfNextVisit", "Notes"],
        [[values[i] for i in order] + ["", "extra"] for values in rows],
    )
    assert summary(read_establishments(shuffled, {"990"})) == summary(read_establishments(SAMPLE, {"990"}))


def test_columns_the_toolkit_does_not_read_may_be_missing():
    header, rows = sample_table()
    keep = [i for i, name in enumerate(header) if name in COLUMNS]
    trimmed = table_csv([header[i] for i in keep], [[r[i] for i in keep] for r in rows])
    assert summary(read_establishments(trimmed, {"990"})) == summary(read_establishments(SAMPLE, {"990"}))


def test_a_missing_optional_column_leaves_that_value_blank():
    header, rows = sample_table()
    keep = [i for i, name in enumerate(header) if name not in {"TelephoneNum", "OpenDate"}]
    trimmed = table_csv([header[i] for i in keep], [[r[i] for i in keep] for r in rows])
    result = read_establishments(trimmed, {"990"})
    assert result.errors == []
    assert len(result.establishments) == 40
    assert {e.telephone for e in result.establishments} == {""}
    assert {e.open_date for e in result.establishments} == {None}


def test_a_missing_required_column_is_an_error_naming_it():
    for missing in REQUIRED_COLUMNS:
        columns = tuple(c for c in GIAS_COLUMNS if c != missing)
        result = read_establishments(gias_csv(row(), columns=columns))
        assert result.rejected, missing
        [problem] = result.errors
        assert (problem.row, problem.column) == (None, missing)
        assert f"no “{missing}” column" in problem.message
        assert result.establishments == []


def test_a_csv_with_none_of_the_gias_columns_is_not_taken_for_one():
    result = read_establishments(b"name,agency_type\r\nDemoshire Constabulary,police\r\n")
    [problem] = result.errors
    assert problem.row is None
    assert "not a GIAS establishment file" in problem.message


def test_column_names_match_whatever_their_case_and_spacing():
    header, body = gias_csv(row()).split(b"\r\n", 1)
    shouted = header.upper().replace(b" ", b"  ").replace(b'","', b' "," ')
    result = read_establishments(shouted + b"\r\n" + body)
    assert result.errors == []
    assert [e.name for e in result.establishments] == ["Test Community Primary School"]


def test_a_column_that_appears_twice_is_refused():
    columns = (*GIAS_COLUMNS, "EstablishmentName")
    result = read_establishments(gias_csv(row(), columns=columns))
    assert result.rejected
    assert [(p.column, "more than once" in p.message) for p in result.errors] == [("EstablishmentName", True)]


def test_utf8_with_a_byte_order_mark_reads_the_same_names():
    header, rows = sample_table()
    resaved = table_csv(header, rows, encoding="utf-8-sig")
    result = read_establishments(resaved, {"990"})
    assert result.encoding == "utf-8-sig"
    assert summary(result) == summary(read_establishments(SAMPLE, {"990"}))


def test_utf8_without_a_byte_order_mark_is_recognised_not_garbled():
    result = read_establishments(gias_csv(row(name="St Mary’s School"), encoding="utf-8"))
    assert result.encoding == "utf-8"
    assert [e.name for e in result.establishments] == ["St Mary’s School"]


def test_bytes_valid_in_neither_windows_1252_nor_utf8_are_refused_with_a_reason():
    data = gias_csv(row(name="Bad X School")).replace(b"X", b"\x81")
    result = read_establishments(data)
    assert result.rejected
    [problem] = result.errors
    assert problem.message.startswith("The file is not a GIAS CSV in Windows-1252")
    assert "(0x81)" in problem.message


def test_a_file_starting_with_a_utf8_mark_but_not_utf8_is_refused():
    data = b"\xef\xbb\xbf" + gias_csv(row(name="St Mary’s School"))
    result = read_establishments(data)
    assert result.rejected
    assert "byte-order mark" in result.errors[0].message


def test_an_empty_or_blank_file_is_refused():
    for data in (b"", b"\r\n  \r\n"):
        result = read_establishments(data)
        assert [(p.row, p.column) for p in result.errors] == [(None, None)]
        assert "empty" in result.errors[0].message


def test_an_excel_workbook_is_refused_with_advice():
    result = read_establishments(b"PK\x03\x04\x14\x00\x06\x00" + bytes(200))
    assert "Excel workbook" in result.errors[0].message
    assert "save it as CSV" in result.errors[0].message


def test_a_utf16_file_is_refused():
    result = read_establishments(gias_csv(row(), encoding="utf-16"))
    assert "UTF-16" in result.errors[0].message


def test_a_binary_file_is_refused():
    result = read_establishments(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert result.rejected
    assert "NUL byte" in result.errors[0].message


def test_a_file_that_stops_being_csv_part_way_is_refused_whole():
    huge = row(urn="100002", name="X" * 200_000)
    result = read_establishments(gias_csv(row(), huge))
    assert result.rejected
    assert result.establishments == []
    [problem] = result.errors
    assert "Row 3 cannot be read as CSV" in problem.message


def test_unquoted_numbers_and_plain_line_ends_read_the_same():
    # Real GIAS releases leave some numeric fields unquoted.
    plain = gias_csv(row(), row(urn="100002"), quoting=0, line_end="\n")
    quoted = gias_csv(row(), row(urn="100002"))
    assert summary(read_establishments(plain)) == summary(read_establishments(quoted))


def test_a_path_bytes_and_an_open_file_give_the_same_result(tmp_path):
    data = gias_csv(row(), row(urn="100002", name="Ætheling Academy"))
    path = tmp_path / "edubasealldata.csv"
    path.write_bytes(data)
    upload = io.BytesIO(data)
    results = [read_establishments(source) for source in (data, path, str(path), upload)]
    assert all(summary(result) == summary(results[0]) for result in results)
    assert not upload.closed  # the caller's stream is handed back open


def test_a_file_that_cannot_be_opened_is_an_error_not_a_traceback(tmp_path):
    result = read_establishments(tmp_path / "missing.csv")
    assert result.rejected
    assert "could not be opened" in result.errors[0].message


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_at_all_give_a_result_never_an_exception(data):
    result = read_establishments(data, {"990"})
    assert result.establishments == [] or not result.rejected


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_text_after_a_gias_header_gives_a_result_never_an_exception(text):
    data = gias_csv().decode("cp1252") + text
    result = read_establishments(data.encode("utf-8"))
    assert all(problem.message for problem in result.errors)
