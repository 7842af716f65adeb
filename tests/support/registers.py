"""Register files for the import tests: GIAS establishment and links files, agency lists.

Files are built the way GIAS ships them (every field quoted, Windows-1252,
CRLF) from a plain open Demoshire community primary, changing only what a
test is about: ``school(urn=100002, phase="Secondary")``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from audit_app.demo.gias_sample_data import GIAS_COLUMNS, LINK_COLUMNS

DEMO_DATA = Path(__file__).resolve().parents[2] / "audit_app" / "demo" / "data"
SAMPLE_GIAS = DEMO_DATA / "edubasealldata20261101.csv"
SAMPLE_LINKS = DEMO_DATA / "links_edubasealldata20261101.csv"
SAMPLE_AGENCIES = DEMO_DATA / "agencies.csv"

# Keyword → GIAS column, for the columns tests change.
_COLUMNS = {
    "urn": "URN",
    "la": "LA (code)",
    "la_name": "LA (name)",
    "number": "EstablishmentNumber",
    "name": "EstablishmentName",
    "type": "TypeOfEstablishment (code)",
    "type_name": "TypeOfEstablishment (name)",
    "status": "EstablishmentStatus (code)",
    "status_name": "EstablishmentStatus (name)",
    "opened": "OpenDate",
    "closed": "CloseDate",
    "close_reason": "ReasonEstablishmentClosed (name)",
    "phase": "PhaseOfEducation (name)",
    "low_age": "StatutoryLowAge",
    "high_age": "StatutoryHighAge",
    "pupils": "NumberOfPupils",
    "trust": "Trusts (name)",
    "trust_code": "Trusts (code)",
    "head_title": "HeadTitle (name)",
    "head_first": "HeadFirstName",
    "head_last": "HeadLastName",
    "head_job": "HeadPreferredJobTitle",
    "town": "Town",
    "postcode": "Postcode",
}

_STATUS_NAMES = {"1": "Open", "2": "Closed", "3": "Open, but proposed to close", "4": "Proposed to open"}


def school(**changes: object) -> dict[str, str]:
    """One GIAS row: an open community primary in LA 990 unless told otherwise."""
    values = {
        "urn": "100001",
        "la": "990",
        "la_name": "Demoshire",
        "number": "2101",
        "name": "Oakbridge Community Primary School",
        "type": "01",
        "type_name": "Community school",
        "status": "1",
        "opened": "01-09-1975",
        "phase": "Primary",
        "low_age": "4",
        "high_age": "11",
        "pupils": "210",
        "head_title": "Mrs",
        "head_first": "Ann",
        "head_last": "Oakley",
        "head_job": "Headteacher",
        "town": "Demchester",
        "postcode": "DM1 2AB",
    }
    values.update({key: str(value) for key, value in changes.items()})
    values.setdefault("status_name", _STATUS_NAMES.get(values["status"], ""))
    unknown = set(values) - set(_COLUMNS)
    assert not unknown, f"no GIAS column for {unknown}"
    return {_COLUMNS[key]: value for key, value in values.items()}


def gias_file(
    *rows: dict[str, str], columns: tuple[str, ...] = GIAS_COLUMNS, encoding: str = "cp1252"
) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    for values in rows:
        writer.writerow(values.get(column, "") for column in columns)
    return text.getvalue().encode(encoding)


def links_file(*links: tuple[int, int, str]) -> bytes:
    """(URN, LinkURN, LinkType) rows, e.g. ``(100001, 140001, "Successor")``."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(LINK_COLUMNS)
    for urn, link_urn, link_type in links:
        writer.writerow([urn, link_urn, "", link_type, "31-08-2024"])
    return text.getvalue().encode("cp1252")


AGENCY_HEADER = (
    "name,agency_type,lead_contact_name,lead_contact_email,executive_lead_name,executive_lead_email"
)


def agencies_file(*rows: str) -> bytes:
    return "\r\n".join([AGENCY_HEADER, *rows]).encode("utf-8")


def upload(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    return (io.BytesIO(data), name)


def keep_imports_in(app, tmp_path: Path) -> Path:
    """Keep uploads waiting to be applied in the test's own folder, not the project's instance."""
    folder = tmp_path / "imports"
    app.config["IMPORTS_DIR"] = str(folder)
    return folder
