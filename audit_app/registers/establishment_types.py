"""Which GIAS establishment types are audited, under which duty, with which questionnaire.

The mapping is on ``TypeOfEstablishment (code)``, never on the type's name:
GIAS has renamed types over the years but kept their codes. The defaults
follow the statute that places the safeguarding duty on each kind of
establishment; a partnership can change any of them (for instance to bring
a secure unit into its audit), which :func:`type_duty_table` applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from scoring.definitions.model import Duty

# (TypeOfEstablishment code, its GIAS name, the duty a return is made under).
# None: outside the s175/s157 audit, unless a partnership adds the type by hand.
_TYPES: tuple[tuple[str, str, Duty | None], ...] = (
    # Education Act 2002, s175(2): governing bodies of maintained schools.
    ("01", "Community school", Duty.S175),
    ("02", "Voluntary aided school", Duty.S175),
    ("03", "Voluntary controlled school", Duty.S175),
    ("05", "Foundation school", Duty.S175),
    ("07", "Community special school", Duty.S175),
    ("12", "Foundation special school", Duty.S175),
    ("14", "Pupil referral unit", Duty.S175),
    ("15", "Local authority nursery school", Duty.S175),
    # s157 and the Independent School Standards 2014: proprietors, which for an
    # academy or free school is its academy trust.
    ("06", "City technology college", Duty.S157),
    ("10", "Other independent special school", Duty.S157),
    ("11", "Other independent school", Duty.S157),
    ("28", "Academy sponsor led", Duty.S157),
    ("33", "Academy special sponsor led", Duty.S157),
    ("34", "Academy converter", Duty.S157),
    ("35", "Free schools", Duty.S157),
    ("36", "Free schools special", Duty.S157),
    ("38", "Free schools alternative provision", Duty.S157),
    ("40", "University technical college", Duty.S157),
    ("41", "Studio schools", Duty.S157),
    ("42", "Academy alternative provision converter", Duty.S157),
    ("43", "Academy alternative provision sponsor led", Duty.S157),
    ("44", "Academy special converter", Duty.S157),
    # Non-Maintained Special Schools (England) Regulations 2015.
    ("08", "Non-maintained special school", Duty.NMSS),
    # s175(3) FE institutions; s175(3A) 16-19 academies; s175(3B) special
    # post-16 institutions (Education and Training (Welfare of Children) Act 2021).
    ("18", "Further education", Duty.FE),
    ("31", "Sixth form centres", Duty.FE),
    ("39", "Free schools 16 to 19", Duty.FE),
    ("45", "Academy 16-19 converter", Duty.FE),
    ("46", "Academy 16 to 19 sponsor led", Duty.FE),
    ("57", "Academy secure 16 to 19", Duty.FE),
    ("32", "Special post 16 institution", Duty.FE),
    ("24", "Secure units", None),
    ("25", "Offshore schools", None),
    ("26", "Service children's education", None),
    ("27", "Miscellaneous", None),
    ("29", "Higher education institutions", None),
    ("30", "Welsh establishment", None),
    ("37", "British schools overseas", None),
    ("47", "Children's centre", None),
    ("48", "Children's centre linked site", None),
    ("49", "Online provider", None),
    ("56", "Institution funded by other government department", None),
)

DEFAULT_TYPE_DUTIES: dict[str, Duty | None] = {code: duty for code, _, duty in _TYPES}
GIAS_TYPE_NAMES: dict[str, str] = {code: name for code, name, _ in _TYPES}


class QuestionnaireFamily(str, Enum):
    """Which kind of questionnaire an organisation completes by default."""

    SCHOOLS = "schools"
    FE_COLLEGES = "fe_colleges"
    AGENCIES = "agencies"


_FAMILIES = {
    Duty.S11: QuestionnaireFamily.AGENCIES,
    Duty.S175: QuestionnaireFamily.SCHOOLS,
    Duty.S157: QuestionnaireFamily.SCHOOLS,
    Duty.NMSS: QuestionnaireFamily.SCHOOLS,
    Duty.FE: QuestionnaireFamily.FE_COLLEGES,
}


def questionnaire_family_for(duty: Duty) -> QuestionnaireFamily:
    """Schools for s175, s157 and NMSS; FE colleges for fe; agencies for s11."""
    return _FAMILIES[duty]


def normalise_type_code(code: str | int) -> str:
    """``"2"``, ``2`` and ``"02"`` are all type ``"02"``, as GIAS writes it."""
    text = str(code).strip()
    return text.lstrip("0").zfill(2) if text.isdigit() else text


def type_duty_table(
    overrides: Mapping[str, Duty | str | None] | None = None,
) -> dict[str, Duty | None]:
    """The default type → duty table with a partnership's edits laid over it.

    An override's value is a :class:`Duty`, its value (``"s175"``), or
    ``None`` / ``""`` to leave the type out of the audit. Raises
    ``ValueError`` for a value that is not a duty.
    """
    table = dict(DEFAULT_TYPE_DUTIES)
    for code, duty in (overrides or {}).items():
        try:
            table[normalise_type_code(code)] = Duty(duty) if duty else None
        except ValueError:
            raise ValueError(f"type {code}: “{duty}” is not a duty") from None
    return table


def duty_for(type_code: str | int, overrides: Mapping[str, Duty | str | None] | None = None) -> Duty | None:
    """The duty establishments of this GIAS type are audited under; None if out of scope.

    A type code the table does not know (GIAS adds one now and then) is out
    of scope until a partnership maps it.
    """
    return type_duty_table(overrides).get(normalise_type_code(type_code))


def establishment_type_label(code: str | int, name: str = "") -> str:
    """``"29 Higher education institutions"``: the code and the name GIAS gave it."""
    code = normalise_type_code(code)
    return f"{code} {name or GIAS_TYPE_NAMES.get(code, '')}".strip()
