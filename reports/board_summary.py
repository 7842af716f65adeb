"""The board summary of a cycle: return rates, ratings by standard, the organisation by
standard heat map, the trend since last cycle, themes, non-compliance and actions.

:func:`board_summary_sections` writes the content once as plain sections, which the app
renders as an accessible web page; :func:`build_board_summary_pdf` lays the same
sections out as a PDF and adds charts of the figures the tables already give.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from reports import content
from reports.board_figures import (
    Distribution,
    distributions,
    non_compliant,
    non_returning,
    return_rates,
)
from reports.charts import distribution_chart, trend_chart
from reports.data import RAG_COLOURS, BoardSummary, OrganisationReturn, RatingRef, StandardRef
from reports.heat_map import heat_map_table
from reports.layout import build_pdf, bullets, content_width, long_date, markup, para, percent, text
from reports.tables import RETURN_STATUS_WORDS, data_table, fitted_widths, wrapped

NO_RATING = "–"


def board_summary_sections(summary: BoardSummary) -> list[content.Section]:
    """The summary as plain sections, in reading order, with the figures the PDF prints."""
    shares = distributions(summary.returns, summary.standards)
    return [
        _overview(summary),
        _return_rates(summary),
        _green_by_standard(shares),
        _distribution(shares),
        _trend(summary, shares),
        _themes(summary),
        _non_compliance(summary),
        _actions(summary),
        _heat_map(summary),
    ]


def build_board_summary_pdf(summary: BoardSummary) -> bytes:
    """The board summary as a PDF: the sections of :func:`board_summary_sections`, with
    a stacked bar chart of the rating distribution and a chart of the year-on-year trend."""
    width = content_width()
    shares = distributions(summary.returns, summary.standards)
    story: list[Flowable] = [para(f"Board summary: {summary.cycle.name}", "title")]
    for section in board_summary_sections(summary):
        story += [para(section.title, "h2"), *[para(paragraph) for paragraph in section.paragraphs]]
        story += bullets(section.items)
        for table in section.tables:
            story += _pdf_table(section.key, table, width)
        if section.key == "distribution" and shares:
            story.append(_figure("Figure 1. Ratings by standard", _distribution_chart(shares, width)))
        if section.key == "trend" and summary.previous_cycle and shares:
            story.append(
                _figure(
                    "Figure 2. Organisations rated green, by standard and cycle",
                    _trend_chart(summary, shares, width),
                )
            )
    return build_pdf(
        story,
        partnership=summary.partnership.name,
        title="Board summary",
        footer=f"{summary.cycle.name} — produced {long_date(summary.produced_on)}",
    )


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _row(*texts: object) -> tuple[content.Cell, ...]:
    return tuple(content.Cell(str(value)) for value in texts)


def _numbered(standards: Sequence[StandardRef]) -> list[str]:
    return [f"{number}. {standard.title}" for number, standard in enumerate(standards, start=1)]


def _overview(summary: BoardSummary) -> content.Section:
    cycle = summary.cycle
    invited = len(summary.returns)
    returned = sum(ret.submitted for ret in summary.returns)
    deadlines = f"The initial deadline was {long_date(cycle.initial_deadline)}"
    if cycle.final_deadline:
        deadlines += f" and the final deadline {long_date(cycle.final_deadline)}"
    red = len(non_compliant(summary.returns, summary.standards))
    return content.Section(
        "overview",
        "Summary",
        paragraphs=(
            f"This summary covers the {cycle.name}, as it stood on {long_date(summary.produced_on)}. "
            f"{deadlines}.",
            f"{_count(invited, 'organisation was', 'organisations were')} asked for a return and {returned} "
            f"{'has' if returned == 1 else 'have'} made one ({percent(100 * returned / invited if invited else 0)}). "
            f"Of those, {red} {'has' if red == 1 else 'have'} a standard, or an overall rating, rated red.",
        ),
    )


def _return_rates(summary: BoardSummary) -> content.Section:
    cycle = summary.cycle
    rows = tuple(
        _row(
            rate.group,
            rate.expected,
            rate.by_initial,
            percent(rate.pct_by_initial),
            rate.by_final,
            percent(rate.pct_by_final),
        )
        for rate in return_rates(summary.returns, cycle)
    )
    caption = (
        f"Returns made by the initial deadline ({long_date(cycle.initial_deadline)}) and by the final "
        f"deadline ({long_date(cycle.last_deadline)}), by sector"
    )
    header = ("Sector", "Expected", "By initial deadline", "% by initial", "By final deadline", "% by final")
    table = content.Table(caption, header, rows, numeric=(1, 2, 3, 4, 5))
    return content.Section("return-rates", "Return rates", tables=(table,))


def _green_by_standard(shares: Sequence[Distribution]) -> content.Section:
    rows = tuple(
        _row(number, share.standard.title, share.counted, share.green, percent(share.pct_green))
        for number, share in enumerate(shares, start=1)
    )
    table = content.Table(
        "Organisations rated green on each standard, of those rated or marked not applicable",
        ("No.", "Standard", "Organisations", "Green", "% green"),
        rows,
        numeric=(2, 3, 4),
    )
    return content.Section("green-by-standard", "Standards rated green", tables=(table,))


def _distribution(shares: Sequence[Distribution]) -> content.Section:
    def count(share: Distribution, number: int) -> str:
        return f"{number} ({percent(share.pct(number))})"

    rows = tuple(
        _row(
            share.standard.title,
            count(share, share.green),
            count(share, share.amber),
            count(share, share.red),
            count(share, share.not_applicable),
            share.counted,
        )
        for share in shares
    )
    table = content.Table(
        "Number (and percentage) of organisations at each rating, by standard",
        ("Standard", "Green", "Amber", "Red", "Not applicable", "Organisations"),
        rows,
        numeric=(1, 2, 3, 4, 5),
    )
    return content.Section("distribution", "Rating distribution by standard", tables=(table,))


def _trend(summary: BoardSummary, shares: Sequence[Distribution]) -> content.Section:
    if not summary.previous_cycle:
        return content.Section(
            "trend", "Change since last cycle", paragraphs=("There is no earlier cycle to compare with.",)
        )
    rows = []
    for share in shares:
        before = summary.previous_pct_green.get(share.standard.section_id)
        if before is None:
            change = "New standard"
        elif round(share.pct_green - before) == 0:
            change = "No change"
        else:
            change = f"{share.pct_green - before:+.0f} points"
        rows.append(_row(share.standard.title, percent(before, "–"), percent(share.pct_green), change))
    table = content.Table(
        f"Organisations rated green, {summary.previous_cycle} and {summary.cycle.name}",
        ("Standard", summary.previous_cycle, summary.cycle.name, "Change"),
        tuple(rows),
        numeric=(1, 2, 3),
    )
    return content.Section("trend", f"Change since {summary.previous_cycle}", tables=(table,))


def _themes(summary: BoardSummary) -> content.Section:
    if not summary.themes:
        return content.Section(
            "themes", "Themes", paragraphs=("No themes have been recorded for this cycle.",)
        )
    return content.Section("themes", "Themes", items=summary.themes)


def _non_compliance(summary: BoardSummary) -> content.Section:
    red = non_compliant(summary.returns, summary.standards)
    missing = non_returning(summary.returns, summary.cycle)
    red_rows = tuple(
        _row(
            item.organisation.name,
            item.organisation.sector,
            "; ".join(item.red_standards) or "None",
            "Yes" if item.overall_red else "No",
        )
        for item in red
    )
    missing_rows = tuple(
        _row(
            ret.organisation.name,
            ret.organisation.sector,
            RETURN_STATUS_WORDS[ret.status],
            long_date(ret.submitted_on, "Nothing submitted"),
        )
        for ret in missing
    )
    return content.Section(
        "non-compliance",
        "Non-compliant and non-returning organisations",
        paragraphs=(
            f"{_count(len(red), 'organisation has', 'organisations have')} a standard, or an overall rating, "
            f"rated red. {_missing_words(summary, len(missing))}",
        ),
        tables=(
            content.Table(
                "Organisations with a red rating",
                ("Organisation", "Sector", "Standards rated red", "Overall red"),
                red_rows,
            ),
            content.Table(
                "Organisations with no return by the final deadline"
                if _final_deadline_passed(summary)
                else "Organisations with no return yet",
                ("Organisation", "Sector", "Return status", "Submitted"),
                missing_rows,
            ),
        ),
    )


def _final_deadline_passed(summary: BoardSummary) -> bool:
    return summary.produced_on > summary.cycle.last_deadline


def _missing_words(summary: BoardSummary, missing: int) -> str:
    # Before the final deadline a missing return is not yet a non-return: say so, rather
    # than describe the deadline as past.
    deadline = long_date(summary.cycle.last_deadline)
    if not _final_deadline_passed(summary):
        return (
            f"{_count(missing, 'organisation has', 'organisations have')} not made a return yet; the final "
            f"deadline is {deadline}."
        )
    return (
        f"{_count(missing, 'organisation', 'organisations')} had not made a return by the final deadline "
        f"({deadline}); the partners can require the information under section 14B of the Children Act 2004."
    )


def _actions(summary: BoardSummary) -> content.Section:
    if not summary.actions:
        return content.Section(
            "actions", "Action completion", paragraphs=("No actions have been agreed yet.",)
        )
    rows = []
    for tally in summary.actions:
        total = tally.open + tally.in_progress + tally.completed
        done = percent(100 * tally.completed / total if total else 0)
        rows.append(_row(tally.group, tally.open, tally.in_progress, tally.completed, done, tally.overdue))
    table = content.Table(
        "Agreed actions by status; overdue counts open and in-progress actions past their due date",
        ("Group", "Open", "In progress", "Completed", "% completed", "Overdue"),
        tuple(rows),
        numeric=(1, 2, 3, 4, 5),
    )
    return content.Section("actions", "Action completion", tables=(table,))


def _rating_cell(rating: RatingRef | None, not_applicable: bool, missing: str) -> content.Cell:
    if not_applicable:
        return content.Cell("Not applicable", short="N/A")
    if rating is None:
        return content.Cell(missing, short=NO_RATING)
    return content.Cell(rating.label, colour=rating.colour, short=rating.abbreviation)


def _heat_map_row(ret: OrganisationReturn, standards: Sequence[StandardRef]) -> tuple[content.Cell, ...]:
    missing = "Not rated" if ret.submitted else "No return"
    cells = [content.Cell(ret.organisation.name), content.Cell(ret.organisation.sector)]
    for standard in standards:
        result = ret.result(standard.section_id)
        if result is None:
            cells.append(_rating_cell(None, False, missing))
        else:
            cells.append(_rating_cell(result.final_rating, result.not_applicable, missing))
    cells.append(_rating_cell(ret.overall, False, missing))
    return tuple(cells)


def _heat_map(summary: BoardSummary) -> content.Section:
    ordered = sorted(
        summary.returns,
        key=lambda ret: (ret.organisation.sector.casefold(), ret.organisation.name.casefold()),
    )
    scale: dict[str, RatingRef] = {}
    for ret in summary.returns:
        for result in ret.standards:
            if result.final_rating is not None:
                scale.setdefault(result.final_rating.id, result.final_rating)
    # The key lists the ratings in use, best colour first.
    in_order = sorted(scale.values(), key=lambda rating: RAG_COLOURS.index(rating.colour))
    key = "; ".join(f"{rating.abbreviation} {rating.label}" for rating in in_order)
    header = ("Organisation", "Sector", *[str(n) for n in range(1, len(summary.standards) + 1)], "Overall")
    rows = tuple(_heat_map_row(ret, summary.standards) for ret in ordered)
    return content.Section(
        "heat-map",
        "Ratings by organisation and standard",
        paragraphs=(
            "Each cell is the organisation's final (moderated, else scored) rating for a standard, grouped by "
            f"sector. Key: {key}; N/A not applicable; {NO_RATING} no rating (no return, or not yet rated).",
            "Standards: " + "; ".join(_numbered(summary.standards)) + ".",
        ),
        tables=(content.Table("Final ratings by organisation and standard", header, rows),),
    )


def _pdf_table(key: str, table: content.Table, width: float) -> list[Flowable]:
    # The caption's style keeps it on the same page as the table's first rows.
    caption = markup(f"Table: {text(table.caption)}", "caption")
    if not table.rows:
        return [caption, para("None.")]
    if key == "heat-map":
        return [caption, heat_map_table(table, width)]
    texts = [[item.text for item in row] for row in table.rows]
    widths = fitted_widths(table.header, texts, width)
    # Plain strings, text broken into lines beforehand: they lay out much faster than
    # paragraphs (a 600-school cycle may list hundreds of organisations) and figures
    # take the column's right alignment.
    rows = [
        [
            value if column in table.numeric else wrapped(value, widths[column])
            for column, value in enumerate(row)
        ]
        for row in texts
    ]
    return [caption, data_table(table.header, rows, widths, numeric=table.numeric, long=len(rows) > 40)]


def _figure(caption: str, drawing: Flowable) -> Flowable:
    return KeepTogether([Spacer(1, 2 * mm), markup(text(caption), "caption"), drawing])


def _distribution_chart(shares: Sequence[Distribution], width: float) -> Flowable:
    rows = [
        [
            share.pct(share.green),
            share.pct(share.amber),
            share.pct(share.red),
            share.pct(share.not_applicable),
        ]
        for share in shares
    ]
    return distribution_chart(_numbered([share.standard for share in shares]), rows, width)


def _trend_chart(summary: BoardSummary, shares: Sequence[Distribution], width: float) -> Flowable:
    previous = [summary.previous_pct_green.get(share.standard.section_id) for share in shares]
    current = [share.pct_green for share in shares]
    names = (summary.previous_cycle or "", summary.cycle.name)
    return trend_chart(_numbered([share.standard for share in shares]), previous, current, names, width)
