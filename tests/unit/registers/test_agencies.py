"""A partnership's own agencies.csv: the bundled sample and the mistakes people make."""

from __future__ import annotations

import pytest

from audit_app.registers.agencies import (
    AGENCY_TYPE_LABELS,
    AgencyType,
    parse_agency_type,
    read_agencies,
)
from audit_app.registers.csvfile import Problem
from scoring.definitions.model import Duty

from .gias_builders import SAMPLE_AGENCIES

HEADER = "name,agency_type,lead_contact_name,lead_contact_email,executive_lead_name,executive_lead_email\n"


def agencies_csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return (HEADER + "".join(f"{line}\n" for line in lines)).encode(encoding)


def test_the_sample_agencies_all_read():
    result = read_agencies(SAMPLE_AGENCIES)
    assert result.errors == []
    assert len(result.agencies) == 17
    types = {agency.agency_type for agency in result.agencies}
    assert types == set(AgencyType) - {AgencyType.PRISON, AgencyType.OTHER}
    assert all(agency.duty is Duty.S11 for agency in result.agencies)


def test_a_sample_agency_reads_with_both_of_its_contacts():
    [police] = [a for a in read_agencies(SAMPLE_AGENCIES).agencies if a.row == 2]
    assert police.name == "Demoshire Constabulary"
    assert police.agency_type is AgencyType.POLICE
    assert police.lead_contact_email == "priya.natarajan@demoshire-police.example"
    assert police.executive_lead_email == "martin.hale@demoshire-police.example"


def test_utf8_names_in_the_sample_come_through_intact():
    names = {agency.name for agency in read_agencies(SAMPLE_AGENCIES).agencies}
    assert "Demoshire County Council – Children’s Services" in names


def test_every_agency_type_has_a_label():
    assert set(AGENCY_TYPE_LABELS) == set(AgencyType)
    assert AgencyType.BTP.label == "British Transport Police"


@pytest.mark.parametrize(
    "written",
    ["nhs_trust", "NHS_Trust", " nhs trust ", "nhs-trust", "NHS trust or foundation trust"],
)
def test_an_agency_type_is_known_by_its_value_or_label_in_any_case(written):
    assert parse_agency_type(written) is AgencyType.NHS_TRUST


def test_only_name_and_type_are_needed():
    result = read_agencies(b"agency_type,name\nvoluntary,Demoshire Scouts\n")
    assert result.errors == []
    [scouts] = result.agencies
    assert (scouts.name, scouts.lead_contact_email) == ("Demoshire Scouts", "")


def test_a_missing_name_is_an_error_at_its_row():
    result = read_agencies(agencies_csv(",police,,,,", "Demoshire Constabulary,police,,,,"))
    assert result.errors == [Problem(2, "name", "Enter the agency’s name.")]
    assert [a.name for a in result.agencies] == ["Demoshire Constabulary"]


def test_an_unknown_agency_type_lists_the_types_there_are():
    result = read_agencies(agencies_csv("Demoshire Fire and Rescue,fire,,,,"))
    [problem] = result.errors
    assert (problem.row, problem.column) == (2, "agency_type")
    assert problem.message.startswith("“fire” is not an agency type: use one of police, icb,")
    assert result.agencies == []


def test_a_blank_agency_type_asks_for_one():
    result = read_agencies(agencies_csv("Demoshire Fire and Rescue,,,,,"))
    assert result.errors[0].message.startswith("Enter the agency type")


@pytest.mark.parametrize("email", ["priya.natarajan", "priya@", "priya@demoshire", "pri ya@police.example"])
def test_a_bad_email_is_an_error_at_its_row_and_column(email):
    result = read_agencies(agencies_csv(f"Demoshire Constabulary,police,Priya,{email},,"))
    assert result.errors == [Problem(2, "lead_contact_email", f"“{email}” is not an email address.")]
    assert result.agencies == []


def test_every_problem_in_a_row_is_reported():
    result = read_agencies(agencies_csv(",fire,A,a@b,B,b@c"))
    assert [problem.column for problem in result.errors] == [
        "name",
        "agency_type",
        "lead_contact_email",
        "executive_lead_email",
    ]


def test_an_agency_listed_twice_is_reported_with_its_first_row():
    result = read_agencies(
        agencies_csv("Demoshire Constabulary,police,,,,", "demoshire  constabulary,police,,,,")
    )
    assert result.errors == [Problem(3, "name", "“demoshire constabulary” is also on row 2.")]
    assert len(result.agencies) == 1


def test_blank_rows_excel_leaves_behind_are_ignored():
    result = read_agencies(agencies_csv("Demoshire Constabulary,police,,,,", ",,,,,", ""))
    assert result.errors == []
    assert len(result.agencies) == 1


def test_a_file_saved_by_excel_as_windows_1252_reads():
    data = agencies_csv("Demcare GP Federation,gp,Dr Niamh O’Connor,,,", encoding="cp1252")
    result = read_agencies(data)
    assert result.encoding == "cp1252"
    assert result.agencies[0].lead_contact_name == "Dr Niamh O’Connor"


def test_a_file_saved_by_excel_as_utf8_with_a_byte_order_mark_reads():
    result = read_agencies(agencies_csv("Zoë’s Place,voluntary,,,,", encoding="utf-8-sig"))
    assert result.encoding == "utf-8-sig"
    assert [a.name for a in result.agencies] == ["Zoë’s Place"]


def test_a_file_without_the_agency_columns_is_refused():
    result = read_agencies(b"URN,EstablishmentName\n100001,Somewhere\n")
    assert result.rejected
    [problem] = result.errors
    assert "not a list of agencies" in problem.message


def test_a_file_missing_the_type_column_names_it():
    result = read_agencies(b"name\nDemoshire Constabulary\n")
    assert result.errors == [
        Problem(None, "agency_type", "The file has no “agency_type” column, which the toolkit needs.")
    ]


def test_an_unreadable_file_is_refused_not_crashed_on():
    result = read_agencies(b"PK\x03\x04" + bytes(50))
    assert result.rejected
    assert result.errors[0].message.startswith("The file is not a CSV file in UTF-8")
