"""The spreadsheet export, read back with pandas and openpyxl as an analyst would open it."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from reports.data import AnswerRow, AuditEvent, AuditWorkbook, OrganisationAction
from reports.workbook import build_workbook

from .report_builders import EIGHT_STANDARDS, PARTNERSHIP, S11_CYCLE, action, organisation_return

POLICE = organisation_return("Demoshire Police", "GGGGGGGG", date(2026, 1, 20), sector="Police")
TRUST = organisation_return("Demoton Hospitals NHS Foundation Trust", "GAAGGRGG", date(2026, 2, 10))
SCHOOL = organisation_return(
    "St Mary’s C of E Primary School",
    "GGGNGGAN",
    date(2026, 1, 29),
    sector="Primary",
    kind="school",
    urn="100001",
)
SILENT = organisation_return("Ætheling Youth Trust", "--------", None, sector="Voluntary")


def make_workbook(**changes) -> AuditWorkbook:
    workbook = AuditWorkbook(
        partnership=PARTNERSHIP,
        cycle=S11_CYCLE,
        produced_on=date(2026, 6, 30),
        standards=EIGHT_STANDARDS,
        returns=(POLICE, TRUST, SCHOOL, SILENT),
        answers=(
            AnswerRow(SCHOOL.organisation, "s1.q1", "Is there a named senior lead?", "Yes", score=1.0),
            AnswerRow(
                SCHOOL.organisation,
                "s4.q2",
                "Do children's views shape services?",
                "",
                na_reason="No direct services",
                score=None,
            ),
            AnswerRow(TRUST.organisation, "s6.q3", "Are DBS checks renewed?", "Partly", score=0.5),
        ),
        actions=(
            OrganisationAction(
                TRUST.organisation,
                action("Safer recruitment", "Audit DBS renewals", "HR director", date(2026, 5, 31)),
            ),
            OrganisationAction(
                POLICE.organisation,
                action(
                    "Training", "Refresh training plan", "Chief Inspector", date(2026, 9, 30), "completed"
                ),
            ),
        ),
        audit_trail=(
            AuditEvent(
                datetime(2026, 1, 20, 14, 5),
                "priya.natarajan@demoshire-police.example",
                "Return submitted",
                "Demoshire Police",
            ),
        ),
    )
    return replace(workbook, **changes)


@pytest.fixture(scope="module")
def xlsx() -> bytes:
    return build_workbook(make_workbook())


def read(xlsx: bytes, sheet: str) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(xlsx), sheet_name=sheet, dtype={"URN": str})


def test_the_workbook_has_every_sheet_in_order(xlsx):
    names = pd.ExcelFile(io.BytesIO(xlsx)).sheet_names
    assert names == [
        "Summary",
        "Return rates",
        "By standard",
        "By organisation",
        "Answers",
        "Actions",
        "Audit trail",
    ]


def test_without_an_audit_trail_that_sheet_is_left_out():
    names = pd.ExcelFile(io.BytesIO(build_workbook(make_workbook(audit_trail=None)))).sheet_names
    assert "Audit trail" not in names


def test_the_summary_gives_dates_counts_and_percentages_as_numbers(xlsx):
    summary = read(xlsx, "Summary").set_index("Figure")["Value"]
    assert summary["Partnership"] == "Demoshire Safeguarding Children Partnership"
    assert pd.Timestamp(summary["Initial deadline"]) == pd.Timestamp(2026, 1, 30)
    assert summary["Organisations asked for a return"] == 4
    assert summary["Returns made by the initial deadline"] == 2
    assert summary["Returns made by the final deadline (%)"] == pytest.approx(0.75)
    assert summary["Organisations with a red rating"] == 1
    assert summary["Agreed actions overdue"] == 1


def test_return_rates_are_fractions_shown_as_percentages(xlsx):
    rates = read(xlsx, "Return rates").set_index("Sector")
    assert rates.loc["All organisations", "By final deadline"] == 3
    assert rates.loc["Health", "% by initial"] == pytest.approx(0.0)
    assert rates.loc["Health", "% by final"] == pytest.approx(1.0)
    sheet = load_workbook(io.BytesIO(xlsx))["Return rates"]
    assert sheet["D2"].number_format == "0%"


def test_by_standard_counts_each_rating_and_percentage_green(xlsx):
    by_standard = read(xlsx, "By standard").set_index("Standard id")
    assert by_standard.loc["s6", "Red"] == 1
    assert by_standard.loc["s4", "Not applicable"] == 1
    assert by_standard.loc["s3", "% green"] == pytest.approx(2 / 3)


def test_by_organisation_has_real_dates_and_a_column_per_standard(xlsx):
    by_organisation = read(xlsx, "By organisation").set_index("Organisation")
    school = by_organisation.loc["St Mary’s C of E Primary School"]
    assert school["URN"] == "100001"
    assert school["Submitted on"] == pd.Timestamp(2026, 1, 29)
    assert school["s4: Service development informed by children and families"] == "Not applicable"
    assert by_organisation.loc["Demoton Hospitals NHS Foundation Trust", "s6: Safer recruitment"] == "Red"
    assert pd.isna(by_organisation.loc["Ætheling Youth Trust", "Submitted on"])


def test_answers_have_one_row_per_organisation_and_stable_question_id(xlsx):
    answers = read(xlsx, "Answers")
    assert list(answers.columns) == [
        "Organisation",
        "URN",
        "Question id",
        "Question",
        "Answer",
        "N/A reason",
        "Score",
    ]
    assert list(answers["Question id"]) == ["s1.q1", "s4.q2", "s6.q3"]
    na = answers.iloc[1]
    assert na["N/A reason"] == "No direct services" and pd.isna(na["Score"])
    assert answers.iloc[2]["Score"] == pytest.approx(0.5)


def test_actions_have_owners_due_dates_and_overdue_spelt_out(xlsx):
    actions = read(xlsx, "Actions").set_index("Action")
    assert actions.loc["Audit DBS renewals", "Owner"] == "HR director"
    assert actions.loc["Audit DBS renewals", "Due by"] == pd.Timestamp(2026, 5, 31)
    assert actions.loc["Audit DBS renewals", "Overdue"] == "Yes"
    assert actions.loc["Refresh training plan", "Status"] == "Completed"


def test_the_audit_trail_keeps_the_time_of_day(xlsx):
    trail = read(xlsx, "Audit trail")
    assert trail.loc[0, "When"] == pd.Timestamp(2026, 1, 20, 14, 5)
    assert trail.loc[0, "Event"] == "Return submitted"


def test_every_sheet_has_a_frozen_bold_header_row_and_sized_columns(xlsx):
    book = load_workbook(io.BytesIO(xlsx))
    for sheet in book.worksheets:
        assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("2")
        assert sheet["A1"].font.bold
        assert sheet.column_dimensions["A"].width >= 10
    assert book["By organisation"]["F2"].number_format == "d mmm yyyy"
