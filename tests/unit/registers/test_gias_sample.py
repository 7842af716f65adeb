"""Reading the bundled Demoshire sample, as a partnership covering LA 990 would."""

from __future__ import annotations

from datetime import date

import pytest

from audit_app.registers.gias import (
    QuestionnaireFamily,
    SkipReason,
    read_establishments,
    read_links,
    successor_chain,
)
from scoring.definitions.model import Duty

from .gias_builders import SAMPLE, SAMPLE_LINKS


@pytest.fixture(scope="module")
def demoshire():
    return read_establishments(SAMPLE, {"990"})


def by_urn(result):
    return {e.urn: e for e in result.establishments + result.closed}


def test_the_sample_has_forty_open_demoshire_establishments(demoshire):
    assert demoshire.errors == []
    assert demoshire.encoding == "cp1252"
    assert demoshire.rows_read == 58
    assert len(demoshire.establishments) == 40
    assert {e.la_code for e in demoshire.establishments} == {"990"}


def test_open_and_proposed_to_close_establishments_are_kept(demoshire):
    statuses = [e.status_code for e in demoshire.establishments]
    assert statuses.count("1") == 39
    assert statuses.count("3") == 1
    upper_tolley = by_urn(demoshire)[120204]
    assert upper_tolley.proposed_to_close
    assert upper_tolley.status_name == "Open, but proposed to close"
    assert upper_tolley.close_date == date(2027, 8, 31)


def test_closed_demoshire_schools_are_reported_apart_from_open_ones(demoshire):
    closed = {e.urn: e.close_reason for e in demoshire.closed}
    assert closed == {
        120108: "Academy Converter",
        120109: "Result of Amalgamation/Merger",
        120110: "Closure",
        120112: "Result of Amalgamation/Merger",
        120113: "Result of Amalgamation/Merger",
        136420: "Academy Converter",
    }
    assert all(e.status_code == "2" and e.close_date for e in demoshire.closed)


def test_the_school_closed_by_academy_conversion_has_an_open_successor(demoshire):
    high_school = by_urn(demoshire)[120108]
    assert high_school.close_date == date(2024, 8, 31)
    [academy_urn] = successor_chain(120108, read_links(SAMPLE_LINKS))
    academy = by_urn(demoshire)[academy_urn]
    assert academy.name == "Demchester Academy"
    assert academy in demoshire.establishments
    assert academy.open_date == date(2024, 9, 1)


def test_rows_an_import_must_leave_out_are_skipped_with_their_reasons(demoshire):
    assert demoshire.skipped_counts() == {
        SkipReason.OTHER_LA: 6,
        SkipReason.OUT_OF_SCOPE: 5,
        SkipReason.PROPOSED_TO_OPEN: 1,
    }
    details = {s.name: (s.reason, s.detail) for s in demoshire.skipped}
    assert details["University of Demoshire"] == (
        SkipReason.OUT_OF_SCOPE,
        "29 Higher education institutions",
    )
    assert details["Lowmoor Children’s Centre"][1] == "47 Children's centre"
    assert details["Exampleton Academy"] == (SkipReason.OTHER_LA, "991 Exampleton")
    assert details["Kestrel Cross Free School"] == (
        SkipReason.PROPOSED_TO_OPEN,
        "proposed to open 01-09-2027",
    )


def test_exampleton_is_kept_only_when_the_partnership_covers_it(demoshire):
    both = read_establishments(SAMPLE, {"990", "991"})
    exampleton = {e.name for e in both.establishments if e.la_code == "991"}
    assert exampleton == {
        "Exampleton Community Primary School",
        "Testbury St John’s CofE Primary School",
        "Exampleton Special School",
        "Exampleton College",
        "Exampleton Academy",
    }
    assert not any(e.la_code == "991" for e in demoshire.establishments)


def test_reading_every_la_skips_only_what_is_out_of_scope_or_not_open():
    everything = read_establishments(SAMPLE)
    assert len(everything.establishments) == 45
    assert everything.skipped_counts()[SkipReason.OTHER_LA] == 0
    welsh = [s for s in everything.skipped if s.detail == "30 Welsh establishment"]
    assert [s.name for s in welsh] == ["Ysgol Gynradd Glan-yr-Afon"]


def test_windows_1252_names_come_through_intact(demoshire):
    names = {e.name for e in demoshire.establishments}
    assert "St Mary’s CofE Primary School" in names  # U+2019, byte 0x92
    assert "Ætheling Academy" in names
    assert "Notre Dame – Sacré Cœur Catholic Primary School" in names
    assert not any("â€" in name or "Ã" in name for name in names)


def test_dates_are_read_as_day_month_year(demoshire):
    aetheling = by_urn(demoshire)[138010]
    assert aetheling.open_date == date(2012, 9, 1)
    assert by_urn(demoshire)[149500].open_date == date(2022, 6, 15)
    assert by_urn(demoshire)[120101].open_date is None


@pytest.mark.parametrize(
    ("urn", "kind", "duty", "family"),
    [
        (120101, "community primary", Duty.S175, QuestionnaireFamily.SCHOOLS),
        (120202, "voluntary aided primary", Duty.S175, QuestionnaireFamily.SCHOOLS),
        (120201, "voluntary controlled primary", Duty.S175, QuestionnaireFamily.SCHOOLS),
        (120301, "foundation primary", Duty.S175, QuestionnaireFamily.SCHOOLS),
        (120401, "maintained nursery", Duty.S175, QuestionnaireFamily.SCHOOLS),
        (120501, "community special school", Duty.S175, QuestionnaireFamily.SCHOOLS),
        (120502, "foundation special school", Duty.S175, QuestionnaireFamily.SCHOOLS),
        (131000, "pupil referral unit", Duty.S175, QuestionnaireFamily.SCHOOLS),
        (150420, "academy converter", Duty.S157, QuestionnaireFamily.SCHOOLS),
        (138010, "sponsor-led academy", Duty.S157, QuestionnaireFamily.SCHOOLS),
        (148900, "free school", Duty.S157, QuestionnaireFamily.SCHOOLS),
        (145300, "special academy", Duty.S157, QuestionnaireFamily.SCHOOLS),
        (147700, "alternative provision academy", Duty.S157, QuestionnaireFamily.SCHOOLS),
        (142100, "university technical college", Duty.S157, QuestionnaireFamily.SCHOOLS),
        (122950, "independent school", Duty.S157, QuestionnaireFamily.SCHOOLS),
        (149500, "independent special school", Duty.S157, QuestionnaireFamily.SCHOOLS),
        (122800, "non-maintained special school", Duty.NMSS, QuestionnaireFamily.SCHOOLS),
        (130780, "general FE college", Duty.FE, QuestionnaireFamily.FE_COLLEGES),
        (130790, "sixth form college", Duty.FE, QuestionnaireFamily.FE_COLLEGES),
        (151200, "16-19 academy", Duty.FE, QuestionnaireFamily.FE_COLLEGES),
        (144900, "special post-16 institution", Duty.FE, QuestionnaireFamily.FE_COLLEGES),
    ],
)
def test_each_kind_of_establishment_gets_its_duty_and_questionnaire(demoshire, urn, kind, duty, family):
    establishment = by_urn(demoshire)[urn]
    assert (establishment.duty, establishment.questionnaire_family) == (duty, family), kind


def test_colleges_carry_a_ukprn_and_no_census_count(demoshire):
    college = by_urn(demoshire)[130780]
    assert college.ukprn == "10099101"
    assert college.fe_type == "General Further Education College"
    assert college.pupils is None
    assert college.laestab == ""  # no establishment number


def test_academies_in_a_multi_academy_trust_carry_the_trust(demoshire):
    kingfisher = sorted(e.name for e in demoshire.establishments if e.trust_code == "17801")
    assert kingfisher == [
        "Brackenby Park School",
        "Kestrel Cross Special Academy",
        "Oakbridge Primary Academy",
        "Westgate Primary Academy",
        "Ætheling Academy",
    ]
    assert {e.trust_name for e in demoshire.establishments if e.trust_code == "17801"} == {
        "Kingfisher Learning Trust"
    }


def test_a_school_reads_with_its_ages_pupils_address_and_head(demoshire):
    school = by_urn(demoshire)[120201]
    assert (school.la_name, school.laestab) == ("Demoshire", "9903003")
    assert (school.type_name, school.type_group_name) == (
        "Voluntary controlled school",
        "Local authority maintained schools",
    )
    assert (school.phase, school.low_age, school.high_age) == ("Primary", 4, 11)
    assert isinstance(school.pupils, int) and school.pupils > 0
    assert school.town == "Fenwick Market"
    assert school.postcode.startswith("DM9 ")
    assert school.telephone.startswith("01632960")
    assert school.website.endswith(".example")
    assert school.head.title and school.head.first_name and school.head.last_name
    assert school.head.job_title == "Headteacher"
    assert school.fe_type == ""  # GIAS says "Not applicable"
    assert school.row > 1
