"""Reading a partnership's own list of agencies, ``agencies.csv``.

There is no national register of the bodies that section 11 of the Children
Act 2004 applies to, so each partnership keeps its own. The file is one row
per agency with these columns, in any order (names are matched without
regard to case or spacing):

=======================  ========  =============================================
column                   required  what it holds
=======================  ========  =============================================
``name``                 yes       the agency's name, unique in the file
``agency_type``          yes       one of :data:`AGENCY_TYPE_LABELS` (its value,
                                   e.g. ``nhs_trust``, or its label)
``lead_contact_name``    no        the safeguarding lead who completes the return
``lead_contact_email``   no
``executive_lead_name``  no        the accountable executive who signs it off
``executive_lead_email`` no
=======================  ========  =============================================

Other columns are ignored. The file may be UTF-8 (with or without Excel's
byte-order mark) or Windows-1252.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from scoring.definitions.model import Duty

from .csvfile import (
    Problem,
    Records,
    Source,
    UnreadableFile,
    column_key,
    header_problems,
    open_text,
)


class AgencyType(str, Enum):
    """The kinds of body a partnership asks for a section 11 return."""

    POLICE = "police"
    ICB = "icb"
    NHS_TRUST = "nhs_trust"
    AMBULANCE = "ambulance"
    LOCAL_AUTHORITY_CHILDRENS = "local_authority_childrens"
    LOCAL_AUTHORITY_ADULTS = "local_authority_adults"
    PUBLIC_HEALTH = "public_health"
    HOUSING = "housing"
    PROBATION = "probation"
    YOUTH_JUSTICE = "youth_justice"
    DISTRICT_COUNCIL = "district_council"
    VOLUNTARY = "voluntary"
    BTP = "btp"
    GP = "gp"
    PRISON = "prison"
    OTHER = "other"

    @property
    def label(self) -> str:
        return AGENCY_TYPE_LABELS[self]


AGENCY_TYPE_LABELS: dict[AgencyType, str] = {
    AgencyType.POLICE: "Police force",
    AgencyType.ICB: "Integrated care board",
    AgencyType.NHS_TRUST: "NHS trust or foundation trust",
    AgencyType.AMBULANCE: "Ambulance service",
    AgencyType.LOCAL_AUTHORITY_CHILDRENS: "Local authority children's services",
    AgencyType.LOCAL_AUTHORITY_ADULTS: "Local authority adult social care",
    AgencyType.PUBLIC_HEALTH: "Public health",
    AgencyType.HOUSING: "Housing",
    AgencyType.PROBATION: "Probation Service",
    AgencyType.YOUTH_JUSTICE: "Youth justice service",
    AgencyType.DISTRICT_COUNCIL: "District or borough council",
    AgencyType.VOLUNTARY: "Voluntary, community or faith organisation",
    AgencyType.BTP: "British Transport Police",
    AgencyType.GP: "GP practice or federation",
    AgencyType.PRISON: "Prison or young offender institution",
    AgencyType.OTHER: "Other",
}

AGENCY_COLUMNS = (
    "name",
    "agency_type",
    "lead_contact_name",
    "lead_contact_email",
    "executive_lead_name",
    "executive_lead_email",
)
REQUIRED_AGENCY_COLUMNS = ("name", "agency_type")

# Deliberately loose: one @, no spaces, a dot in the domain. Whether anyone
# reads the mailbox is found out by sending to it, not by a pattern.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def parse_agency_type(text: str) -> AgencyType | None:
    """An agency type from its value or label, however it is cased or spaced."""
    wanted = " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()
    for agency_type, label in AGENCY_TYPE_LABELS.items():
        if wanted in (agency_type.value.replace("_", " "), label.casefold()):
            return agency_type
    return None


@dataclass(frozen=True, slots=True)
class Agency:
    """One agency from the file; blank names and emails are ``""``."""

    name: str
    agency_type: AgencyType
    lead_contact_name: str
    lead_contact_email: str
    executive_lead_name: str
    executive_lead_email: str
    row: int  # where it is in the file, for messages

    @property
    def duty(self) -> Duty:
        return Duty.S11


@dataclass
class AgencyReadResult:
    """The agencies read, and the problems found.

    A row with any problem is left out of ``agencies``: unlike the GIAS file,
    this is the partnership's own file, so the fix is to correct the row and
    import again. When ``rejected``, the file as a whole could not be read.
    """

    agencies: list[Agency] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    encoding: str = ""

    @property
    def rejected(self) -> bool:
        return any(problem.row is None for problem in self.errors)


def read_agencies(source: Source) -> AgencyReadResult:
    """Read ``agencies.csv``: a path, the file's bytes or a binary file object."""
    result = AgencyReadResult()
    try:
        with open_text(source) as (text, encoding):
            result.encoding = encoding
            _read_rows(Records(text), result)
    except UnreadableFile as exc:
        message = f"The file is not a CSV file in UTF-8 or Windows-1252: {exc}."
        result.errors.append(Problem(None, None, message))
    if result.rejected:
        result.agencies.clear()
    return result


def _read_rows(records: Records, result: AgencyReadResult) -> None:
    problems = header_problems(records, REQUIRED_AGENCY_COLUMNS, "list of agencies", AGENCY_COLUMNS)
    if problems:
        result.errors.extend(problems)
        return
    positions = records.positions()
    where = {name: positions.get(column_key(name)) for name in AGENCY_COLUMNS}
    first_seen: dict[str, int] = {}
    for row, values in records:
        if not any(value.strip() for value in values):
            continue  # a blank line, or a row of empty cells Excel left behind
        cells = {
            name: values[index].strip() if index is not None and index < len(values) else ""
            for name, index in where.items()
        }
        problems = _row_problems(row, cells, first_seen)
        result.errors.extend(problems)
        agency_type = parse_agency_type(cells["agency_type"])
        if not problems and agency_type is not None:
            agency = Agency(
                name=" ".join(cells["name"].split()),
                agency_type=agency_type,
                lead_contact_name=cells["lead_contact_name"],
                lead_contact_email=cells["lead_contact_email"],
                executive_lead_name=cells["executive_lead_name"],
                executive_lead_email=cells["executive_lead_email"],
                row=row,
            )
            result.agencies.append(agency)
    result.errors.extend(records.problems)


def _row_problems(row: int, cells: dict[str, str], first_seen: dict[str, int]) -> list[Problem]:
    problems = []
    name = " ".join(cells["name"].split())
    if not name:
        problems.append(Problem(row, "name", "Enter the agency’s name."))
    elif name.casefold() in first_seen:
        message = f"“{name}” is also on row {first_seen[name.casefold()]}."
        problems.append(Problem(row, "name", message))
    else:
        first_seen[name.casefold()] = row
    given = cells["agency_type"]
    if parse_agency_type(given) is None:
        choices = ", ".join(agency_type.value for agency_type in AgencyType)
        if given:
            message = f"“{given}” is not an agency type: use one of {choices}."
        else:
            message = f"Enter the agency type: one of {choices}."
        problems.append(Problem(row, "agency_type", message))
    for column in ("lead_contact_email", "executive_lead_email"):
        email = cells[column]
        if email and not _EMAIL.fullmatch(email):
            problems.append(Problem(row, column, f"“{email}” is not an email address."))
    return problems
