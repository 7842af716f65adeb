"""Nearly-right register files: a valid agencies list or GIAS links file with lines deleted,
duplicated or swapped, fields changed, stray quotes and bytes, or cut short.

Whatever the change, the reader gives a result or a refusal, never an exception, and every
problem it reports names its row (and column, where one value is wrong) or says it is about
the file as a whole. The GIAS establishment file gets the same treatment through the app's
dry run in tests/integration/test_register_mutations.py.
"""

from __future__ import annotations

from hypothesis import given, settings

from audit_app.registers.agencies import AGENCY_COLUMNS, read_agencies
from audit_app.registers.csvfile import Problem
from audit_app.registers.gias import GiasFileError, read_links
from audit_app.registers.gias_links import LINK_COLUMNS

from ...support.mutations import mutated
from .gias_builders import SAMPLE_AGENCIES, SAMPLE_LINKS

AGENCIES = SAMPLE_AGENCIES.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
LINKS = SAMPLE_LINKS.read_bytes()


def where_problems(problems: list[Problem], data: bytes, columns: tuple[str, ...]) -> list[str]:
    """What is wrong with how these problems say where they are."""
    rows = data.count(b"\n") + data.count(b"\r") + 2  # however the lines end, an upper bound
    wrong = []
    for problem in problems:
        if not problem.message.strip():
            wrong.append(f"{problem!r} says nothing")
        if problem.row is not None and not 1 <= problem.row <= rows:
            wrong.append(f"{problem!r} names a row the file does not have")
        if problem.column is not None and problem.column not in columns:
            wrong.append(f"{problem!r} names a column the file format does not have")
        if not str(problem).startswith(("File", f"Row {problem.row}")):
            wrong.append(f"{problem} does not start by saying where")
    return wrong


def test_the_valid_files_read_without_problems():
    assert read_agencies(AGENCIES).errors == []
    assert len(read_agencies(AGENCIES).agencies) > 3
    assert len(read_links(LINKS)) > 3


@settings(max_examples=300)
@given(mutated(AGENCIES, encoding="utf-8"))
def test_a_spoilt_agencies_list_is_read_or_refused_with_rows_named(data):
    result = read_agencies(data)
    assert where_problems(result.errors, data, AGENCY_COLUMNS) == []
    if result.rejected:
        assert result.agencies == []
    for agency in result.agencies:
        assert agency.name and agency.row >= 2
        # A row read as an agency has no problem of its own.
        assert not [problem for problem in result.errors if problem.row == agency.row]


@settings(max_examples=300)
@given(mutated(LINKS))
def test_a_spoilt_links_file_is_read_or_refused_with_rows_named(data):
    try:
        links = read_links(data)
    except GiasFileError as refused:
        assert refused.problems
        assert where_problems(list(refused.problems), data, LINK_COLUMNS) == []
        return
    assert all(isinstance(link.urn, int) and isinstance(link.link_urn, int) for link in links)


def test_a_urn_of_digits_that_are_not_0_to_9_is_refused_not_a_crash():
    # "²".isdigit() is true, but int("²") raises: found by the mutation test above.
    data = LINKS.split(b"\r\n")[0] + b'\r\n"\xb2","140001","","Successor",""\r\n'
    try:
        read_links(data)
    except GiasFileError as refused:
        assert [str(problem) for problem in refused.problems] == [
            "Row 2, URN: “²” is not a URN: a URN is a number."
        ]
    else:
        raise AssertionError("a URN of ² was read")
