"""Reading the DfE "Get Information about Schools" (GIAS) establishment file.

GIAS publishes every school and college in England as one CSV,
``edubasealldataYYYYMMDD.csv`` (about 50,000 rows and 140 columns, Windows-1252,
dates ``dd-mm-yyyy``). :func:`read_establishments` turns the rows of a
partnership's local authorities into plain dataclasses for an import to
store; it knows nothing of the database.

Columns are found by name, never by position, because GIAS adds, drops and
moves columns between releases; only the few this toolkit cannot do without
are required. This module is also the one place to import the rest of the
GIAS API from: the type → duty table (:mod:`.establishment_types`) and the
links file (:mod:`.gias_links`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import TypeVar

from scoring.definitions.model import Duty

from .csvfile import (
    Problem,
    Records,
    Source,
    UnreadableFile,
    column_key,
    header_problems,
    open_text,
    parse_date,
)
from .establishment_types import (
    DEFAULT_TYPE_DUTIES,
    GIAS_TYPE_NAMES,
    QuestionnaireFamily,
    duty_for,
    establishment_type_label,
    normalise_type_code,
    questionnaire_family_for,
    type_duty_table,
)
from .gias_links import (
    GiasFileError,
    Link,
    Succession,
    predecessor_chain,
    read_links,
    successor_chain,
)

__all__ = [
    "DEFAULT_TYPE_DUTIES",
    "GIAS_TYPE_NAMES",
    "Column",
    "Establishment",
    "GiasFileError",
    "GiasReadResult",
    "Head",
    "Link",
    "Problem",
    "QuestionnaireFamily",
    "SkipReason",
    "SkippedRow",
    "Succession",
    "duty_for",
    "establishment_type_label",
    "normalise_type_code",
    "predecessor_chain",
    "questionnaire_family_for",
    "read_establishments",
    "read_links",
    "successor_chain",
    "type_duty_table",
]

T = TypeVar("T")


class Column:
    """The GIAS column names this module reads."""

    URN = "URN"
    LA_CODE = "LA (code)"
    LA_NAME = "LA (name)"
    ESTABLISHMENT_NUMBER = "EstablishmentNumber"
    NAME = "EstablishmentName"
    TYPE_CODE = "TypeOfEstablishment (code)"
    TYPE_NAME = "TypeOfEstablishment (name)"
    TYPE_GROUP_CODE = "EstablishmentTypeGroup (code)"
    TYPE_GROUP_NAME = "EstablishmentTypeGroup (name)"
    STATUS_CODE = "EstablishmentStatus (code)"
    STATUS_NAME = "EstablishmentStatus (name)"
    OPEN_DATE = "OpenDate"
    CLOSE_DATE = "CloseDate"
    CLOSE_REASON = "ReasonEstablishmentClosed (name)"
    PHASE = "PhaseOfEducation (name)"
    LOW_AGE = "StatutoryLowAge"
    HIGH_AGE = "StatutoryHighAge"
    PUPILS = "NumberOfPupils"
    TRUST_CODE = "Trusts (code)"
    TRUST_NAME = "Trusts (name)"
    UKPRN = "UKPRN"
    FE_TYPE = "FurtherEducationType (name)"
    HEAD_TITLE = "HeadTitle (name)"
    HEAD_FIRST_NAME = "HeadFirstName"
    HEAD_LAST_NAME = "HeadLastName"
    HEAD_JOB_TITLE = "HeadPreferredJobTitle"
    STREET = "Street"
    LOCALITY = "Locality"
    TOWN = "Town"
    POSTCODE = "Postcode"
    WEBSITE = "SchoolWebsite"
    TELEPHONE = "TelephoneNum"


# Without these a row cannot be identified, placed in a partnership or
# mapped to a duty; every other column may be missing and is then blank.
REQUIRED_COLUMNS = (
    Column.URN,
    Column.LA_CODE,
    Column.NAME,
    Column.TYPE_CODE,
    Column.STATUS_CODE,
)
COLUMNS = tuple(v for k, v in vars(Column).items() if k.isupper())

OPEN, CLOSED, OPEN_PROPOSED_TO_CLOSE, PROPOSED_TO_OPEN = "1", "2", "3", "4"


class SkipReason(str, Enum):
    """Why a row of the establishment file was left out of the import."""

    OTHER_LA = "other_la"
    OUT_OF_SCOPE = "out_of_scope"
    PROPOSED_TO_OPEN = "proposed_to_open"

    @property
    def label(self) -> str:
        return {
            "other_la": "In a local authority the partnership does not cover",
            "out_of_scope": "A type of establishment outside the audit",
            "proposed_to_open": "Proposed to open: not open yet",
        }[self.value]


@dataclass(frozen=True, slots=True)
class Head:
    """The head teacher or principal as GIAS records them (never an email)."""

    title: str = ""
    first_name: str = ""
    last_name: str = ""
    job_title: str = ""

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)


@dataclass(frozen=True, slots=True)
class Establishment:
    """One school or college from the GIAS file; blank text is ``""``."""

    urn: int
    la_code: str
    la_name: str
    establishment_number: str
    name: str
    type_code: str
    type_name: str
    type_group_code: str
    type_group_name: str
    status_code: str
    status_name: str
    open_date: date | None
    close_date: date | None  # for status 3, the date it is proposed to close
    close_reason: str
    phase: str
    low_age: int | None
    high_age: int | None
    pupils: int | None
    trust_code: str
    trust_name: str
    ukprn: str
    fe_type: str
    head: Head
    street: str
    locality: str
    town: str
    postcode: str
    website: str
    telephone: str
    duty: Duty
    row: int  # where it is in the file, for messages

    @property
    def laestab(self) -> str:
        """The seven-digit LA code + establishment number DfE datasets key on."""
        if not (self.la_code and self.establishment_number):
            return ""
        return self.la_code + self.establishment_number

    @property
    def questionnaire_family(self) -> QuestionnaireFamily:
        return questionnaire_family_for(self.duty)

    @property
    def proposed_to_close(self) -> bool:
        return self.status_code == OPEN_PROPOSED_TO_CLOSE


@dataclass(frozen=True, slots=True)
class SkippedRow:
    row: int
    urn: int | None
    name: str
    reason: SkipReason
    detail: str  # e.g. the LA or the type, for the import summary


@dataclass
class GiasReadResult:
    """What an import can use from the establishment file, and what it cannot.

    ``establishments`` are open (status 1) or open but proposed to close (3);
    ``closed`` (status 2) lets an import mark organisations it already holds as
    closed. Both hold only the partnership's LAs and in-scope types. Rows with
    a bad identifying value (URN, LA, type, status, name) are in ``errors``
    and nowhere else; a bad date or number is in ``errors`` too but its row is
    kept with that value blank. When ``rejected``, nothing was imported.
    """

    establishments: list[Establishment] = field(default_factory=list)
    closed: list[Establishment] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    encoding: str = ""  # the codec the file was read in
    rows_read: int = 0  # rows after the header

    @property
    def rejected(self) -> bool:
        return any(problem.row is None for problem in self.errors)

    def skipped_counts(self) -> dict[SkipReason, int]:
        counts = dict.fromkeys(SkipReason, 0)
        for skipped in self.skipped:
            counts[skipped.reason] += 1
        return counts


def read_establishments(
    source: Source,
    la_codes: Iterable[str] | None = None,
    *,
    overrides: Mapping[str, Duty | str | None] | None = None,
) -> GiasReadResult:
    """Read a GIAS ``edubasealldata`` file for a partnership.

    ``source`` is a path, the file's bytes or a binary file object.
    ``la_codes`` are the partnership's ``LA (code)``s (all LAs when None);
    ``overrides`` its edits to :data:`DEFAULT_TYPE_DUTIES`. A bad file never
    raises: the result says what was wrong (see :class:`GiasReadResult`).
    """
    duties = type_duty_table(overrides)
    wanted = None if la_codes is None else {_la_code(str(code)) for code in la_codes}
    result = GiasReadResult()
    try:
        with open_text(source) as (text, encoding):
            result.encoding = encoding
            _read_establishment_rows(Records(text), wanted, duties, result)
    except UnreadableFile as exc:
        message = f"The file is not a GIAS CSV in Windows-1252: {exc}."
        result.errors.append(Problem(None, None, message))
    if result.rejected:
        result.establishments.clear()
        result.closed.clear()
        result.skipped.clear()
    return result


def _read_establishment_rows(
    records: Records,
    wanted: set[str] | None,
    duties: Mapping[str, Duty | None],
    result: GiasReadResult,
) -> None:
    problems = header_problems(records, REQUIRED_COLUMNS, "GIAS establishment file", COLUMNS)
    if problems:
        result.errors.extend(problems)
        return
    positions = records.positions()
    where = {name: positions.get(column_key(name)) for name in COLUMNS}
    width = len(records.header)
    first_seen: dict[int, int] = {}
    for row, values in records:
        result.rows_read += 1
        if not values:
            continue  # a blank line
        if len(values) != width:
            message = f"The row has {len(values)} values but the first row has {width} columns."
            result.errors.append(Problem(row, None, message))
            continue

        def get(name: str, values: list[str] = values) -> str:
            index = where[name]
            return values[index].strip() if index is not None else ""

        _read_establishment(row, get, wanted, duties, first_seen, result)
    result.errors.extend(records.problems)


def _read_establishment(
    row: int,
    get: Callable[[str], str],
    wanted: set[str] | None,
    duties: Mapping[str, Duty | None],
    first_seen: dict[int, int],
    result: GiasReadResult,
) -> None:
    def error(column: str, message: str) -> None:
        result.errors.append(Problem(row, column, message))

    def skip(reason: SkipReason, detail: str) -> None:
        result.skipped.append(SkippedRow(row, urn, name, reason, detail))

    la_code = _la_code(get(Column.LA_CODE))
    name = get(Column.NAME)
    raw_urn = get(Column.URN)
    urn = int(raw_urn) if raw_urn.isascii() and raw_urn.isdigit() else None  # not "²", which int() refuses
    # Other LAs first: most of a national file, and none of our business, so
    # their odd values are not reported.
    if not la_code:
        error(Column.LA_CODE, "The LA code is blank.")
        return
    if wanted is not None and la_code not in wanted:
        skip(SkipReason.OTHER_LA, f"{la_code} {get(Column.LA_NAME)}".strip())
        return
    if urn is None:
        error(Column.URN, f"“{raw_urn}” is not a URN: a URN is a number.")
        return
    if urn in first_seen:
        error(Column.URN, f"URN {urn} is also on row {first_seen[urn]}.")
        return
    first_seen[urn] = row
    if not name:
        error(Column.NAME, "The establishment name is blank.")
        return
    type_code = normalise_type_code(get(Column.TYPE_CODE))
    if not type_code.isdigit():
        error(Column.TYPE_CODE, f"“{type_code}” is not a type code: it is a number.")
        return
    duty = duties.get(type_code)
    if duty is None:
        skip(
            SkipReason.OUT_OF_SCOPE,
            establishment_type_label(type_code, get(Column.TYPE_NAME)),
        )
        return
    status = get(Column.STATUS_CODE).lstrip("0")
    if status == PROPOSED_TO_OPEN:
        skip(SkipReason.PROPOSED_TO_OPEN, f"proposed to open {get(Column.OPEN_DATE)}")
        return
    if status not in (OPEN, CLOSED, OPEN_PROPOSED_TO_CLOSE):
        raw = get(Column.STATUS_CODE)
        error(Column.STATUS_CODE, f"“{raw}” is not a status code: 1, 2, 3 or 4.")
        return

    def checked(column: str, parse: Callable[[str], T | None]) -> T | None:
        try:
            return parse(get(column))
        except ValueError as exc:
            error(column, f"{exc}; left blank.")
            return None

    establishment = Establishment(
        urn=urn,
        la_code=la_code,
        la_name=get(Column.LA_NAME),
        establishment_number=get(Column.ESTABLISHMENT_NUMBER),
        name=name,
        type_code=type_code,
        type_name=get(Column.TYPE_NAME),
        type_group_code=get(Column.TYPE_GROUP_CODE),
        type_group_name=get(Column.TYPE_GROUP_NAME),
        status_code=status,
        status_name=get(Column.STATUS_NAME),
        open_date=checked(Column.OPEN_DATE, parse_date),
        close_date=checked(Column.CLOSE_DATE, parse_date),
        close_reason=_meaningful(get(Column.CLOSE_REASON)),
        phase=_meaningful(get(Column.PHASE)),
        low_age=checked(Column.LOW_AGE, _whole_number),
        high_age=checked(Column.HIGH_AGE, _whole_number),
        pupils=checked(Column.PUPILS, _whole_number),
        trust_code=get(Column.TRUST_CODE),
        trust_name=get(Column.TRUST_NAME),
        ukprn=checked(Column.UKPRN, _ukprn) or "",
        fe_type=_meaningful(get(Column.FE_TYPE)),
        head=Head(
            title=_meaningful(get(Column.HEAD_TITLE)),
            first_name=get(Column.HEAD_FIRST_NAME),
            last_name=get(Column.HEAD_LAST_NAME),
            job_title=get(Column.HEAD_JOB_TITLE),
        ),
        street=get(Column.STREET),
        locality=get(Column.LOCALITY),
        town=get(Column.TOWN),
        postcode=get(Column.POSTCODE),
        website=get(Column.WEBSITE),
        telephone=get(Column.TELEPHONE),
        duty=duty,
        row=row,
    )
    (result.closed if status == CLOSED else result.establishments).append(establishment)


def _la_code(text: str) -> str:
    """GIAS writes LA codes as three digits; a spreadsheet may have eaten a zero."""
    text = text.strip()
    return text.zfill(3) if text.isdigit() else text


def _meaningful(text: str) -> str:
    """GIAS fills many name columns with "Not applicable"; treat that as blank."""
    return "" if text.casefold() == "not applicable" else text


def _whole_number(text: str) -> int | None:
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):  # not "²", which int() refuses
        raise ValueError(f"“{text}” is not a whole number")
    return int(text)


def _ukprn(text: str) -> str:
    if text and not (text.isdigit() and len(text) == 8):
        raise ValueError(f"“{text}” is not a UKPRN: a UKPRN is 8 digits")
    return text
