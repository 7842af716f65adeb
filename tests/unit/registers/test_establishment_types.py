"""The GIAS type code → duty table, and a partnership's edits to it."""

from __future__ import annotations

import pytest

from audit_app.registers.gias import (
    DEFAULT_TYPE_DUTIES,
    GIAS_TYPE_NAMES,
    QuestionnaireFamily,
    SkipReason,
    duty_for,
    questionnaire_family_for,
    read_establishments,
    type_duty_table,
)
from scoring.definitions.model import Duty

from .gias_builders import gias_csv, row

# The table in DOMAIN.md, row by row.
# fmt: off
DOMAIN_TABLE = {
    Duty.S175: ("01", "02", "03", "05", "07", "12", "15", "14"),
    Duty.S157: ("28", "34", "33", "44", "35", "36", "38", "42", "43", "40", "41", "06",
                "10", "11"),
    Duty.NMSS: ("08",),
    Duty.FE: ("18", "31", "39", "45", "46", "57", "32"),
    None: ("24", "25", "26", "27", "29", "30", "37", "47", "48", "49", "56"),
}
# fmt: on


@pytest.mark.parametrize(
    ("code", "duty"),
    [(code, duty) for duty, codes in DOMAIN_TABLE.items() for code in codes],
)
def test_every_type_in_the_domain_table_has_its_default_duty(code, duty):
    assert duty_for(code) is duty
    assert DEFAULT_TYPE_DUTIES[code] is duty
    assert GIAS_TYPE_NAMES[code]


def test_the_default_table_has_no_types_beyond_the_domain_table():
    assert sorted(DEFAULT_TYPE_DUTIES) == sorted(code for codes in DOMAIN_TABLE.values() for code in codes)


def test_a_type_code_is_the_same_with_or_without_its_leading_zero():
    assert duty_for("8") is duty_for(8) is duty_for(" 08 ") is Duty.NMSS


def test_a_type_gias_has_not_had_before_is_out_of_scope_until_mapped():
    assert duty_for("58") is None
    assert duty_for("58", {"58": "s157"}) is Duty.S157


def test_a_partnership_can_bring_a_type_in_or_leave_one_out():
    overrides = {"24": Duty.S175, "11": None, "29": ""}
    assert duty_for("24", overrides) is Duty.S175
    assert duty_for("11", overrides) is None
    assert duty_for("29", overrides) is None
    assert duty_for("34", overrides) is Duty.S157  # untouched


def test_overrides_can_be_the_duty_values_the_database_stores():
    assert type_duty_table({"24": "s175"})["24"] is Duty.S175


def test_an_override_that_is_not_a_duty_is_refused():
    with pytest.raises(ValueError, match="type 24: “s999” is not a duty"):
        type_duty_table({"24": "s999"})


@pytest.mark.parametrize(
    ("duty", "family"),
    [
        (Duty.S11, QuestionnaireFamily.AGENCIES),
        (Duty.S175, QuestionnaireFamily.SCHOOLS),
        (Duty.S157, QuestionnaireFamily.SCHOOLS),
        (Duty.NMSS, QuestionnaireFamily.SCHOOLS),
        (Duty.FE, QuestionnaireFamily.FE_COLLEGES),
    ],
)
def test_each_duty_has_a_default_questionnaire_family(duty, family):
    assert questionnaire_family_for(duty) is family


def test_the_reader_applies_a_partnerships_overrides():
    secure_unit = row(urn="100002", type_code="24", type_name="Secure units")
    independent = row(urn="100003", type_code="11", type_name="Other independent school")
    data = gias_csv(row(), secure_unit, independent)

    default = read_establishments(data)
    assert [e.urn for e in default.establishments] == [100001, 100003]
    assert [s.urn for s in default.skipped] == [100002]

    edited = read_establishments(data, overrides={"24": "s175", "11": None})
    assert [(e.urn, e.duty) for e in edited.establishments] == [
        (100001, Duty.S175),
        (100002, Duty.S175),
    ]
    assert [(s.urn, s.reason) for s in edited.skipped] == [(100003, SkipReason.OUT_OF_SCOPE)]
