"""Small GIAS files for tests that need one thing changed at a time."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from audit_app.demo.gias_sample_data import GIAS_COLUMNS
from audit_app.registers.gias import Column

DATA = Path(__file__).resolve().parents[3] / "audit_app" / "demo" / "data"
SAMPLE = DATA / "edubasealldata20261101.csv"
SAMPLE_LINKS = DATA / "links_edubasealldata20261101.csv"
SAMPLE_AGENCIES = DATA / "agencies.csv"

_OPEN_PRIMARY = {
    Column.URN: "100001",
    Column.LA_CODE: "990",
    Column.LA_NAME: "Demoshire",
    Column.ESTABLISHMENT_NUMBER: "2101",
    Column.NAME: "Test Community Primary School",
    Column.TYPE_CODE: "01",
    Column.TYPE_NAME: "Community school",
    Column.TYPE_GROUP_CODE: "4",
    Column.TYPE_GROUP_NAME: "Local authority maintained schools",
    Column.STATUS_CODE: "1",
    Column.STATUS_NAME: "Open",
    Column.OPEN_DATE: "01-09-1975",
    Column.PHASE: "Primary",
    Column.LOW_AGE: "4",
    Column.HIGH_AGE: "11",
    Column.PUPILS: "210",
    Column.TOWN: "Demchester",
    Column.POSTCODE: "DM1 2AB",
}


def row(**values: str) -> dict[str, str]:
    """An open Demoshire community primary; keywords are :class:`Column` names, lower case.

    ``row(urn="100002", open_date="31-02-2020")`` changes just those two columns.
    """
    changed = {getattr(Column, key.upper()): value for key, value in values.items()}
    return {**_OPEN_PRIMARY, **changed}


def gias_csv(
    *rows: dict[str, str],
    columns: tuple[str, ...] = GIAS_COLUMNS,
    encoding: str = "cp1252",
    line_end: str = "\r\n",
    quoting: int = csv.QUOTE_ALL,
) -> bytes:
    """The bytes of an establishment file holding ``rows``, GIAS-style unless told otherwise."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, quoting=quoting, lineterminator=line_end)
    writer.writerow(columns)
    for values in rows:
        writer.writerow(values.get(column, "") for column in columns)
    return text.getvalue().encode(encoding)


def sample_table() -> tuple[list[str], list[list[str]]]:
    """The bundled sample's header and rows, to rearrange."""
    with open(SAMPLE, encoding="cp1252", newline="") as sample:
        header, *rows = list(csv.reader(sample))
    return header, rows


def table_csv(header: list[str], rows: list[list[str]], encoding: str = "cp1252") -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)
