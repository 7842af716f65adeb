"""The spreadsheet export of a cycle (XLSX), for analysts and for the partnership's records.

Sheets: Summary, Return rates, By standard, By organisation, Answers, Actions and,
when given, Audit trail. Each has one header row (frozen, filterable), columns sized
to their contents, dates as real dates and percentages as fractions formatted "0%",
so they sort and sum in Excel. Answers carry the stable question id, so exports from
different versions of a questionnaire line up column for column.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.board_figures import distributions, non_compliant, non_returning, return_rates
from reports.data import AuditWorkbook, OrganisationReturn, StandardRef
from reports.tables import ACTION_STATUS_WORDS, RETURN_STATUS_WORDS

DATE_FORMAT = "d mmm yyyy"
DATETIME_FORMAT = "d mmm yyyy hh:mm"
PERCENT_FORMAT = "0%"
SCORE_FORMAT = "0.00"
WIDEST_COLUMN = 60  # characters: a long question stays in its cell without making the sheet unreadable
_HEADER_FILL = PatternFill("solid", fgColor="F3F2F1")


def build_workbook(workbook: AuditWorkbook) -> bytes:
    """The cycle as an XLSX workbook (bytes)."""
    sheets: list[tuple[str, pd.DataFrame, dict[str, str], int]] = [
        ("Summary", _summary(workbook), {}, 1),
        (
            "Return rates",
            _return_rates(workbook),
            {"% by initial": PERCENT_FORMAT, "% by final": PERCENT_FORMAT},
            1,
        ),
        ("By standard", _by_standard(workbook), {"% green": PERCENT_FORMAT}, 2),
        ("By organisation", _by_organisation(workbook), {}, 1),
        ("Answers", _answers(workbook), {"Score": SCORE_FORMAT}, 1),
        ("Actions", _actions(workbook), {}, 1),
    ]
    if workbook.audit_trail is not None:
        sheets.append(("Audit trail", _audit_trail(workbook), {}, 0))
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame, formats, frozen_columns in sheets:
            frame.to_excel(writer, sheet_name=name, index=False)
            _finish(writer.sheets[name], frame, formats, frozen_columns)
        _format_summary(writer.sheets["Summary"])
    return buffer.getvalue()


def _summary(workbook: AuditWorkbook) -> pd.DataFrame:
    cycle = workbook.cycle
    returns = workbook.returns
    everyone = return_rates(returns, cycle)[-1]
    actions = [item.action for item in workbook.actions]
    figures: list[tuple[str, object]] = [
        ("Partnership", workbook.partnership.name),
        ("Audit cycle", cycle.name),
        ("Produced on", workbook.produced_on),
        ("Initial deadline", cycle.initial_deadline),
        ("Final deadline", cycle.last_deadline),
        ("Organisations asked for a return", everyone.expected),
        ("Returns made by the initial deadline", everyone.by_initial),
        ("Returns made by the initial deadline (%)", everyone.pct_by_initial / 100),
        ("Returns made by the final deadline", everyone.by_final),
        ("Returns made by the final deadline (%)", everyone.pct_by_final / 100),
        ("Organisations with a red rating", len(non_compliant(returns, workbook.standards))),
        ("Organisations with no return by the final deadline", len(non_returning(returns, cycle))),
        ("Agreed actions", len(actions)),
        ("Agreed actions completed", sum(action.status == "completed" for action in actions)),
        ("Agreed actions overdue", sum(action.overdue(workbook.produced_on) for action in actions)),
    ]
    return pd.DataFrame(figures, columns=["Figure", "Value"])


def _return_rates(workbook: AuditWorkbook) -> pd.DataFrame:
    rows = [
        (
            rate.group,
            rate.expected,
            rate.by_initial,
            rate.pct_by_initial / 100,
            rate.by_final,
            rate.pct_by_final / 100,
        )
        for rate in return_rates(workbook.returns, workbook.cycle)
    ]
    header = ["Sector", "Expected", "By initial deadline", "% by initial", "By final deadline", "% by final"]
    return pd.DataFrame(rows, columns=header)


def _by_standard(workbook: AuditWorkbook) -> pd.DataFrame:
    rows = [
        (
            share.standard.section_id,
            share.standard.title,
            share.counted,
            share.green,
            share.amber,
            share.red,
            share.not_applicable,
            share.pct_green / 100,
        )
        for share in distributions(workbook.returns, workbook.standards)
    ]
    header = [
        "Standard id",
        "Standard",
        "Organisations",
        "Green",
        "Amber",
        "Red",
        "Not applicable",
        "% green",
    ]
    return pd.DataFrame(rows, columns=header)


def _final_words(ret: OrganisationReturn, standard: StandardRef) -> str:
    result = ret.result(standard.section_id)
    if result is None:
        return ""
    if result.not_applicable:
        return "Not applicable"
    return "" if result.final_rating is None else result.final_rating.label


def _by_organisation(workbook: AuditWorkbook) -> pd.DataFrame:
    standards = workbook.standards
    frame = pd.DataFrame(
        {
            "Organisation": [ret.organisation.name for ret in workbook.returns],
            "URN": [ret.organisation.urn or "" for ret in workbook.returns],
            "Kind": [ret.organisation.kind for ret in workbook.returns],
            "Sector": [ret.organisation.sector for ret in workbook.returns],
            "Status": [RETURN_STATUS_WORDS[ret.status] for ret in workbook.returns],
            "Submitted on": _dates([ret.submitted_on for ret in workbook.returns]),
            "Overall rating": [ret.overall.label if ret.overall else "" for ret in workbook.returns],
        }
    )
    # One column per standard, headed by its id and title so the id survives a retitling.
    for standard in standards:
        frame[f"{standard.section_id}: {standard.title}"] = [
            _final_words(ret, standard) for ret in workbook.returns
        ]
    return frame


def _answers(workbook: AuditWorkbook) -> pd.DataFrame:
    answers = workbook.answers
    return pd.DataFrame(
        {
            "Organisation": [row.organisation.name for row in answers],
            "URN": [row.organisation.urn or "" for row in answers],
            "Question id": [row.question_id for row in answers],
            "Question": [row.question_text for row in answers],
            "Answer": [row.answer for row in answers],
            "N/A reason": [row.na_reason for row in answers],
            "Score": pd.array([row.score for row in answers], dtype="Float64"),
        }
    )


def _actions(workbook: AuditWorkbook) -> pd.DataFrame:
    items = workbook.actions
    return pd.DataFrame(
        {
            "Organisation": [item.organisation.name for item in items],
            "URN": [item.organisation.urn or "" for item in items],
            "Standard": [item.action.standard_title for item in items],
            "Action": [item.action.description for item in items],
            "Owner": [item.action.owner for item in items],
            "Due by": _dates([item.action.due_on for item in items]),
            "Status": [ACTION_STATUS_WORDS[item.action.status] for item in items],
            "Overdue": ["Yes" if item.action.overdue(workbook.produced_on) else "No" for item in items],
        }
    )


def _audit_trail(workbook: AuditWorkbook) -> pd.DataFrame:
    events = workbook.audit_trail or ()
    return pd.DataFrame(
        {
            "When": pd.to_datetime(pd.Series([event.at for event in events], dtype=object)),
            "Who": [event.actor for event in events],
            "Organisation": [event.organisation for event in events],
            "Event": [event.event for event in events],
            "Detail": [event.detail for event in events],
        }
    )


def _dates(days: Sequence) -> pd.Series:
    # datetime64 columns are what pandas writes as Excel dates; missing days stay empty.
    return pd.to_datetime(pd.Series(list(days), dtype=object))


def _finish(sheet: Worksheet, frame: pd.DataFrame, formats: dict[str, str], frozen_columns: int) -> None:
    """Header style, frozen panes, filter, widths and number formats for one sheet."""
    for heading in sheet[1]:
        heading.font = Font(bold=True)
        heading.fill = _HEADER_FILL
        heading.alignment = Alignment(wrap_text=True, vertical="top")
    # Freeze the header row, and the name columns so they stay in view when scrolling across.
    sheet.freeze_panes = sheet.cell(row=2, column=frozen_columns + 1)
    if len(frame.columns):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    header_lines = 1
    for position, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(position)
        values = frame[column]
        number_format = formats.get(column)
        if pd.api.types.is_datetime64_any_dtype(values):
            # A column of whole days reads as dates; one with times of day keeps them.
            with_times = bool((values.dropna() != values.dropna().dt.normalize()).any())
            number_format = DATETIME_FORMAT if with_times else DATE_FORMAT
            longest = 17 if with_times else 12
        elif number_format:
            longest = 6  # "100%" or "0.75": the unformatted float would be far longer
        else:
            longest = int(values.astype(str).str.len().max()) if len(values) else 0
        width = min(max(longest, len(str(column)) // 2 + 1, 8) + 2, WIDEST_COLUMN)
        sheet.column_dimensions[letter].width = width
        header_lines = max(header_lines, -(-len(str(column)) // (width - 1)))
        if number_format:
            for (value_cell,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
                value_cell.number_format = number_format
    # Spreadsheet programs do not all grow a row to fit wrapped text on opening.
    sheet.row_dimensions[1].height = 15 * header_lines


def _format_summary(sheet: Worksheet) -> None:
    # The Summary's one column of values mixes text, dates, counts and percentages:
    # each cell takes the format its figure needs.
    for label_cell, value_cell in sheet.iter_rows(min_row=2, max_col=2):
        label = str(label_cell.value)
        if label.endswith("(%)"):
            value_cell.number_format = PERCENT_FORMAT
        elif label in ("Produced on", "Initial deadline", "Final deadline"):
            value_cell.number_format = DATE_FORMAT
        value_cell.alignment = Alignment(horizontal="left")
