"""Bad values in single rows: each is reported at its row and column, never raised.

Rows count the header as row 1, as a spreadsheet does. A value that
identifies a row (URN, LA, name, type, status) drops the row when bad; a bad
date, age, pupil count or UKPRN is reported and left blank, and the school is
still imported.
"""

from __future__ import annotations

from datetime import date

import pytest

from audit_app.registers.gias import Column, Problem, SkipReason, read_establishments

from .gias_builders import gias_csv, row


def read(*rows, **options):
    return read_establishments(gias_csv(*rows), {"990"}, **options)


def test_rows_are_numbered_as_a_spreadsheet_numbers_them():
    result = read(row(), row(urn="100002"), row(urn="100003"))
    assert [e.row for e in result.establishments] == [2, 3, 4]


@pytest.mark.parametrize(
    ("written", "read_as"),
    [
        ("01-09-2012", date(2012, 9, 1)),
        ("1-9-2012", date(2012, 9, 1)),
        ("01/09/2012", date(2012, 9, 1)),  # what Excel writes when it re-saves the file
        ("2012-09-01", date(2012, 9, 1)),
        ("", None),
    ],
)
def test_gias_excel_and_iso_dates_are_read(written, read_as):
    [school] = read(row(open_date=written)).establishments
    assert school.open_date == read_as


@pytest.mark.parametrize(
    ("written", "complaint"),
    [
        ("31-02-2020", "“31-02-2020” is not a real date"),
        ("September 2012", "“September 2012” is not a date in the form dd-mm-yyyy"),
        ("09-01-12", "“09-01-12” is not a date in the form dd-mm-yyyy"),
    ],
)
def test_a_bad_date_is_reported_at_its_row_and_column_and_the_school_kept(written, complaint):
    result = read(row(), row(urn="100002", close_date=written))
    assert result.errors == [Problem(3, "CloseDate", f"{complaint}; left blank.")]
    assert [e.close_date for e in result.establishments] == [None, None]


def test_a_urn_that_is_not_a_number_drops_the_row():
    result = read(row(urn="10000A"), row(urn="100002"))
    assert result.errors == [Problem(2, "URN", "“10000A” is not a URN: a URN is a number.")]
    assert [e.urn for e in result.establishments] == [100002]


def test_a_repeated_urn_is_reported_with_the_row_that_had_it_first():
    result = read(row(), row(urn="100002"), row(name="Copy of the first"))
    assert result.errors == [Problem(4, "URN", "URN 100001 is also on row 2.")]
    assert [e.name for e in result.establishments] == [
        "Test Community Primary School",
        "Test Community Primary School",
    ]


def test_a_blank_name_drops_the_row():
    result = read(row(name=""))
    assert result.errors == [Problem(2, "EstablishmentName", "The establishment name is blank.")]
    assert result.establishments == []


def test_a_status_outside_gias_codes_is_reported():
    result = read(row(status_code="7"))
    [problem] = result.errors
    assert (problem.row, problem.column) == (2, "EstablishmentStatus (code)")
    assert result.establishments == []


def test_a_type_code_that_is_not_a_number_is_reported():
    result = read(row(type_code="CS"))
    [problem] = result.errors
    assert (problem.row, problem.column) == (2, "TypeOfEstablishment (code)")


@pytest.mark.parametrize(
    ("column", "value"),
    [("low_age", "four"), ("high_age", "11.5"), ("pupils", "-3")],
)
def test_an_age_or_pupil_count_that_is_not_a_whole_number_is_left_blank(column, value):
    result = read(row(**{column: value}))
    [problem] = result.errors
    assert problem == Problem(
        2, getattr(Column, column.upper()), f"“{value}” is not a whole number; left blank."
    )
    [school] = result.establishments
    assert getattr(school, column) is None


def test_a_ukprn_that_is_not_eight_digits_is_left_blank():
    result = read(row(ukprn="1009910"))
    assert [(p.row, p.column) for p in result.errors] == [(2, "UKPRN")]
    assert [e.ukprn for e in result.establishments] == [""]


def test_a_row_with_too_few_or_too_many_values_is_reported():
    good = gias_csv(row())
    short = gias_csv(row(urn="100002")).rsplit(b",", 3)[0]
    result = read_establishments(good + short.split(b"\r\n")[1] + b"\r\n")
    [problem] = result.errors
    assert problem.row == 3
    assert problem.column is None
    assert "values but the first row has 139 columns" in problem.message
    assert len(result.establishments) == 1


def test_blank_lines_are_passed_over_but_still_counted_as_rows():
    data = gias_csv(row()) + b"\r\n" + gias_csv(row(urn="100002")).split(b"\r\n", 1)[1]
    result = read_establishments(data)
    assert result.errors == []
    assert [e.row for e in result.establishments] == [2, 4]


def test_problems_in_other_local_authorities_rows_are_none_of_our_business():
    result = read(row(), row(urn="oops", la_code="991", open_date="never"))
    assert result.errors == []
    assert [s.reason for s in result.skipped] == [SkipReason.OTHER_LA]


def test_a_blank_la_code_is_reported():
    result = read(row(la_code=""))
    assert [(p.row, p.column) for p in result.errors] == [(2, "LA (code)")]


def test_type_codes_written_without_a_leading_zero_still_map():
    [school] = read(row(type_code="2")).establishments
    assert school.type_code == "02"


def test_gias_not_applicable_is_read_as_blank():
    [school] = read(row(fe_type="Not applicable", close_reason="Not applicable")).establishments
    assert (school.fe_type, school.close_reason) == ("", "")


def test_spaces_around_values_are_trimmed():
    [school] = read(row(name="  Test School ", urn=" 100009 ")).establishments
    assert (school.urn, school.name) == (100009, "Test School")


def test_a_status_three_school_keeps_its_proposed_closing_date():
    [school] = read(row(status_code="3", close_date="31-08-2027")).establishments
    assert school.proposed_to_close
    assert school.close_date == date(2027, 8, 31)


def test_a_school_proposed_to_open_is_skipped():
    result = read(row(status_code="4", open_date="01-09-2027"))
    assert result.establishments == []
    assert [(s.reason, s.detail) for s in result.skipped] == [
        (SkipReason.PROPOSED_TO_OPEN, "proposed to open 01-09-2027")
    ]
