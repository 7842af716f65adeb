"""The dashboard page's tables: status counts, rates by sector, and the filtered list of returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import scoring

from ..data import cycle_dashboard
from ..data.cycle_dashboard import CATEGORIES, ReturnRow
from ..fields import options
from ..models import AuditCycle
from ..presenters import format_date
from . import presenters
from .forms import DashboardFilterForm

STATUS_FILTERS = [*CATEGORIES, "overdue", "non_return"]


@dataclass
class Dashboard:
    cycle: AuditCycle
    rows: list[ReturnRow]
    shown: list[ReturnRow]
    status_head: list[dict]
    status_rows: list[list[dict]]
    sector_label: str
    sector_of: object
    sector_head: list[dict]
    sector_rows: list[list[dict]]
    notes: list[str]


def _status_table(rows: list[ReturnRow], cycle: AuditCycle, today: date):
    columns = cycle_dashboard.status_columns(rows, cycle, today)
    head = [{"text": "Status"}]
    notes = []
    for column in columns:
        if column.label == "Today":
            head.append({"text": f"Today, {format_date(today)}", "format": "numeric"})
            continue
        words = f"{column.label}, {format_date(column.on)}"
        if not column.reached:
            words += " (so far)"
            deadline = column.label.replace("At the ", "")
            notes.append(f"The {deadline} has not passed yet: its column counts the returns so far.")
        head.append({"text": words, "format": "numeric"})
    body = []
    for name in STATUS_FILTERS:
        label = presenters.CATEGORY_LABELS[name]
        hint = presenters.CATEGORY_HINTS.get(name)
        first = {"html": f'{label}<br><span class="govuk-body-s">{hint}</span>'} if hint else {"text": label}
        body.append([first, *(presenters.count_cell(column.counts[name]) for column in columns)])
    body.append([{"text": "All returns"}, *({"text": str(len(rows)), "format": "numeric"} for _ in columns)])
    return head, body, notes


def _sector_table(rows: list[ReturnRow], cycle: AuditCycle, by: str, today: date):
    label, sector = presenters.SECTORS[by]
    so_far = {True: "", False: " (so far)"}
    head = [
        {"text": label},
        {"text": "Organisations", "format": "numeric"},
        *({"text": presenters.CATEGORY_LABELS[name], "format": "numeric"} for name in CATEGORIES),
        {
            "text": "Returned by the initial deadline" + so_far[today > cycle.initial_deadline],
            "format": "numeric",
        },
        {
            "text": "Returned by the final deadline" + so_far[today > cycle.final_deadline],
            "format": "numeric",
        },
    ]
    body = []
    for line in cycle_dashboard.sector_lines(rows, cycle, sector):
        body.append(
            [
                {"text": line.sector},
                {"text": str(line.total), "format": "numeric"},
                *({"text": str(line.by_category[name]), "format": "numeric"} for name in CATEGORIES),
                presenters.rate_cell(line.returned_by_initial, line.total),
                presenters.rate_cell(line.returned_by_final, line.total),
            ]
        )
    return label, head, body


def _matches(row: ReturnRow, status: str, sector_value: str, flag: str, query: str, sector) -> bool:
    if status in CATEGORIES and row.category != status:
        return False
    if status == "overdue" and not row.overdue:
        return False
    if status == "non_return" and not row.non_return:
        return False
    if sector_value and sector(row) != sector_value:
        return False
    if flag and not any(f.code.value == flag for f in row.flags):
        return False
    return not query or query.casefold() in row.organisation.name.casefold()


def _sort_key(how: str, sector):
    order = {name: n for n, name in enumerate(CATEGORIES)}
    if how == "status":
        return lambda r: (order[r.category], not (r.overdue or r.non_return), r.organisation.name.casefold())
    if how == "submitted":
        return lambda r: (
            r.submitted_on() is None,
            -(r.submitted_on() or date.min).toordinal(),
            r.organisation.name.casefold(),
        )
    if how == "sector":
        return lambda r: (sector(r).casefold(), r.organisation.name.casefold())
    if how == "chased":
        return lambda r: (
            r.last_chased is None,
            -(r.last_chased or date.min).toordinal(),
            r.organisation.name.casefold(),
        )
    return lambda r: (r.organisation.name.casefold(), r.id)


def prepare_filters(form: DashboardFilterForm, rows: list[ReturnRow]) -> str:
    """Fill in the filters' choices from the returns; the sector breakdown chosen."""
    kinds = cycle_dashboard.kinds_in(rows)
    breakdowns = presenters.sector_choices(kinds)
    form.by.choices = options((key, presenters.SECTORS[key][0]) for key in breakdowns)
    by = form.value("by", breakdowns[0])
    sector = presenters.SECTORS[by][1]
    form.status.choices = options(
        [("", "Any status"), *((name, presenters.CATEGORY_LABELS[name]) for name in STATUS_FILTERS)]
    )
    form.sector.choices = options([("", "Any"), *((s, s) for s in sorted({sector(r) for r in rows}))])
    present = {flag.code for row in rows for flag in row.flags}
    form.flag.choices = options(
        [
            ("", "Any or none"),
            *((code.value, presenters.FLAG_LABELS[code]) for code in scoring.FlagCode if code in present),
        ]
    )
    return by


def build(cycle: AuditCycle, rows: list[ReturnRow], form: DashboardFilterForm, today: date) -> Dashboard:
    by = prepare_filters(form, rows)
    sector = presenters.SECTORS[by][1]
    status_head, status_rows, notes = _status_table(rows, cycle, today)
    sector_label, sector_head, sector_rows = _sector_table(rows, cycle, by, today)
    query = (form.q.data or "").strip()
    shown = [
        r
        for r in rows
        if _matches(r, form.value("status"), form.value("sector"), form.value("flag"), query, sector)
    ]
    shown.sort(key=_sort_key(form.value("sort", "name"), sector))
    return Dashboard(
        cycle, rows, shown, status_head, status_rows, sector_label, sector, sector_head, sector_rows, notes
    )
