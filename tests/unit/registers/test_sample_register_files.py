"""The committed sample files are what the generator writes, in GIAS's own format."""

from __future__ import annotations

import csv

from audit_app.demo.gias_sample_data import GIAS_COLUMNS, LINK_COLUMNS
from audit_app.demo.make_sample_register import write_sample_register
from audit_app.registers.gias import COLUMNS

from .gias_builders import SAMPLE, SAMPLE_LINKS


def test_running_the_generator_reproduces_the_committed_files(tmp_path):
    establishments, links = write_sample_register(tmp_path)
    assert establishments.read_bytes() == SAMPLE.read_bytes(), (
        "run: python -m audit_app.demo.make_sample_register"
    )
    assert links.read_bytes() == SAMPLE_LINKS.read_bytes()


def test_the_sample_has_the_real_gias_header_with_every_column_the_toolkit_reads():
    assert len(GIAS_COLUMNS) == len(set(GIAS_COLUMNS)) == 139
    assert GIAS_COLUMNS[:5] == (
        "URN",
        "LA (code)",
        "LA (name)",
        "EstablishmentNumber",
        "EstablishmentName",
    )
    assert set(COLUMNS) <= set(GIAS_COLUMNS)
    first_line = SAMPLE.read_bytes().split(b"\r\n", 1)[0].decode("cp1252")
    assert next(csv.reader([first_line])) == list(GIAS_COLUMNS)


def test_the_sample_is_windows_1252_quoted_throughout_with_crlf_line_ends():
    for path, width in ((SAMPLE, len(GIAS_COLUMNS)), (SAMPLE_LINKS, len(LINK_COLUMNS))):
        data = path.read_bytes()
        assert b"\x92" in data or path == SAMPLE_LINKS  # the curly apostrophe, in cp1252
        lines = data.split(b"\r\n")
        assert lines[-1] == b""  # every line, the last too, ends in CRLF
        assert not any(b"\n" in line for line in lines)
        for line in lines[:-1]:
            fields = line.decode("cp1252").split('","')
            assert len(fields) == width
            assert line.startswith(b'"') and line.endswith(b'"')


def test_the_sample_urns_are_unique_six_digit_numbers():
    with open(SAMPLE, encoding="cp1252", newline="") as sample:
        urns = [row["URN"] for row in csv.DictReader(sample)]
    assert len(urns) == len(set(urns)) == 58
    assert all(urn.isdigit() and len(urn) == 6 for urn in urns)


def test_every_link_in_the_sample_joins_two_establishments_in_it():
    with open(SAMPLE, encoding="cp1252", newline="") as sample:
        names = {row["URN"]: row["EstablishmentName"] for row in csv.DictReader(sample)}
    with open(SAMPLE_LINKS, encoding="cp1252", newline="") as links:
        for row in csv.DictReader(links):
            assert row["URN"] in names
            assert names[row["LinkURN"]] == row["LinkName"]
