"""Non-returns, non-compliant organisations and the publishable list, as tables to download.

CSV files are UTF-8 with a byte-order mark, so that Excel shows names such as
"St Mary’s" correctly; dates are written YYYY-MM-DD. XLSX files keep dates as
dates, so they sort and filter as dates in a spreadsheet.
"""

from __future__ import annotations

import io
from datetime import date

import pandas as pd

from ..data.cycle_dashboard import NonCompliance, ReturnRow
from ..models import AuditCycle, ContactRole, OrganisationKind
from .presenters import CATEGORY_LABELS, DUTY_LABELS, KIND_LABELS, SECTORS

NON_RETURN_COLUMNS = [
    "Reference",
    "Organisation",
    "URN",
    "Kind",
    "Sector",
    "Duty",
    "Status",
    "Started on",
    "Submitted on",
    "Chases and letters sent",
    "Last chased on",
    "Lead contact",
    "Lead contact email",
]
NON_COMPLIANT_COLUMNS = [
    "Reference",
    "Organisation",
    "URN",
    "Kind",
    "Sector",
    "Status",
    "Submitted on",
    "Overall rating",
    "Standards rated red",
    "Red standards",
]
NOT_RETURNED = "Did not return by the final deadline"
NOT_MET = "Returned: one or more safeguarding standards not met"


def _sector(row: ReturnRow) -> str:
    key = "agency_type" if row.organisation.kind is OrganisationKind.AGENCY else "establishment_type"
    return SECTORS[key][1](row)


def _lead(row: ReturnRow) -> tuple[str, str]:
    leads = [c for c in row.organisation.contacts if c.role is ContactRole.LEAD]
    if not leads:
        return "", ""
    return leads[0].name, leads[0].email


def _status(row: ReturnRow) -> str:
    label = CATEGORY_LABELS[row.category]
    return f"{label} (late)" if row.returned else label


def non_returns_frame(rows: list[ReturnRow]) -> pd.DataFrame:
    records = []
    for row in rows:
        lead_name, lead_email = _lead(row)
        records.append(
            {
                "Reference": row.audit_return.reference,
                "Organisation": row.organisation.name,
                "URN": row.organisation.urn,
                "Kind": KIND_LABELS[row.organisation.kind],
                "Sector": _sector(row),
                "Duty": DUTY_LABELS.get(row.audit_return.duty, row.audit_return.duty),
                "Status": _status(row),
                "Started on": row.started_on(),
                "Submitted on": row.submitted_on(),
                "Chases and letters sent": row.chases,
                "Last chased on": row.last_chased,
                "Lead contact": lead_name,
                "Lead contact email": lead_email,
            }
        )
    return _frame(records, NON_RETURN_COLUMNS, ["URN", "Chases and letters sent"])


def non_compliant_frame(found: list[NonCompliance]) -> pd.DataFrame:
    records = [
        {
            "Reference": item.row.audit_return.reference,
            "Organisation": item.row.organisation.name,
            "URN": item.row.organisation.urn,
            "Kind": KIND_LABELS[item.row.organisation.kind],
            "Sector": _sector(item.row),
            "Status": item.row.status.label,
            "Submitted on": item.row.submitted_on(),
            "Overall rating": item.overall_rating or "",
            "Standards rated red": len(item.red_standards),
            "Red standards": "; ".join(item.red_standards),
        }
        for item in found
    ]
    return _frame(records, NON_COMPLIANT_COLUMNS, ["URN", "Standards rated red"])


def publishable_frame(
    cycle: AuditCycle, non_returns: list[ReturnRow], found: list[NonCompliance], today: date
):
    """Names and status only: nothing about scores, people or contact details.

    Organisations that have not returned are listed only once the final deadline has
    passed: before then they still have time, and naming them would be unfair.
    """
    records = []
    if today > cycle.final_deadline:
        records += [{"Organisation": r.organisation.name, "Status": NOT_RETURNED} for r in non_returns]
    named = {r["Organisation"] for r in records}
    records += [
        {"Organisation": item.row.organisation.name, "Status": NOT_MET}
        for item in found
        if item.row.organisation.name not in named
    ]
    records.sort(key=lambda r: r["Organisation"].casefold())
    return pd.DataFrame(records, columns=["Organisation", "Status"])


def _frame(records: list[dict], columns: list[str], whole_numbers: list[str]) -> pd.DataFrame:
    # Columns named even when there are no rows, so a download always has its header.
    frame = pd.DataFrame(records, columns=columns)
    for column in whole_numbers:
        frame[column] = frame[column].astype("Int64")
    return frame


def _inert(value):
    # A name typed as "=HYPERLINK(…)" would run as a formula in a spreadsheet (CSV or
    # formula injection); a leading apostrophe makes the program show it as text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    for column in safe.columns:
        if pd.api.types.is_object_dtype(safe[column]) or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(_inert)
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return _safe(frame).to_csv(index=False, date_format="%Y-%m-%d").encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    output = io.BytesIO()
    frame = _safe(frame)
    with pd.ExcelWriter(output, engine="openpyxl", date_format="YYYY-MM-DD") as writer:
        frame.to_excel(writer, sheet_name=sheet[:31], index=False)
        worksheet = writer.sheets[sheet[:31]]
        worksheet.freeze_panes = "A2"
        for number, column in enumerate(frame.columns, start=1):
            longest = max([len(str(column)), *(len(str(v)) for v in frame[column] if v is not None)])
            worksheet.column_dimensions[worksheet.cell(1, number).column_letter].width = min(60, longest + 2)
    return output.getvalue()
