"""The board summary, as a PDF and as sections for the web page: the same figures in both."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from reports.board_summary import board_summary_sections, build_board_summary_pdf
from reports.data import ActionTally, BoardSummary, StandardRef

from .report_builders import (
    EIGHT_STANDARDS,
    PARTNERSHIP,
    S11_CYCLE,
    organisation_return,
    pdf_lines,
    pdf_pages,
    pdf_text,
    render_first_page,
)

ON_TIME = date(2026, 1, 20)  # before the initial deadline (30 January)
LATE = date(2026, 2, 10)  # between the initial and the final deadline (27 February)
TOO_LATE = date(2026, 3, 5)  # after the final deadline


def make_summary(**changes) -> BoardSummary:
    summary = BoardSummary(
        partnership=PARTNERSHIP,
        cycle=S11_CYCLE,
        produced_on=date(2026, 6, 30),
        standards=EIGHT_STANDARDS,
        returns=(
            organisation_return("Demoshire Police", "GGGGGGGG", ON_TIME, sector="Police"),
            organisation_return("Demoshire Integrated Care Board", "GGAGGGGG", ON_TIME, sector="Health"),
            organisation_return("Demoton Hospitals NHS Foundation Trust", "GAAGGRGG", LATE, sector="Health"),
            organisation_return(
                "St Mary’s Hospice & Family Support", "GGGNGGAN", ON_TIME, sector="Voluntary"
            ),
            organisation_return("Ætheling Youth Trust", "--------", None, sector="Voluntary"),
            organisation_return("Sacré Cœur Parish Youth Club", "GGGGGGGG", TOO_LATE, sector="Voluntary"),
        ),
        themes=("Supervision arrangements for front-line staff vary widely between agencies.",),
        actions=(
            ActionTally("Health", 4, 3, 9, 2),
            ActionTally("All organisations", 6, 5, 21, 3),
        ),
        previous_cycle="Section 11 audit 2024-25",
        previous_pct_green={"s1": 60.0, "s2": 100.0, "s6": 80.0},
    )
    return replace(summary, **changes)


@pytest.fixture(scope="module")
def summary_pdf() -> bytes:
    return build_board_summary_pdf(make_summary())


@pytest.fixture(scope="module")
def sections():
    return {section.key: section for section in board_summary_sections(make_summary())}


def cells(table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def test_return_rates_count_returns_by_each_deadline_by_sector(sections):
    (table,) = sections["return-rates"].tables
    assert "30 January 2026" in table.caption and "27 February 2026" in table.caption
    assert cells(table) == [
        ["Health", "2", "1", "50%", "2", "100%"],
        ["Police", "1", "1", "100%", "1", "100%"],
        ["Voluntary", "3", "1", "33%", "1", "33%"],
        ["All organisations", "6", "3", "50%", "4", "67%"],
    ]


def test_percentage_green_counts_not_applicable_but_not_missing_returns(sections):
    (table,) = sections["green-by-standard"].tables
    rows = cells(table)
    # Five returns made (one after the final deadline still counts for its ratings).
    assert rows[0] == ["1", "Senior management commitment to safeguarding", "5", "5", "100%"]
    assert rows[3] == ["4", "Service development informed by children and families", "5", "4", "80%"]
    assert rows[5] == ["6", "Safer recruitment", "5", "4", "80%"]


def test_the_distribution_gives_counts_and_percentages_for_every_rating(sections):
    (table,) = sections["distribution"].tables
    assert cells(table)[1] == [
        "Statement of responsibilities towards children",
        "4 (80%)",
        "1 (20%)",
        "0 (0%)",
        "0 (0%)",
        "5",
    ]


def test_the_trend_compares_percentage_green_with_last_cycle(sections):
    (table,) = sections["trend"].tables
    rows = cells(table)
    assert table.header[1:3] == ("Section 11 audit 2024-25", "Section 11 audit 2025-26")
    assert rows[0] == ["Senior management commitment to safeguarding", "60%", "100%", "+40 points"]
    assert rows[1][3] == "-20 points"
    assert rows[2] == ["Clear line of accountability", "–", "60%", "New standard"]
    assert rows[5] == ["Safer recruitment", "80%", "80%", "No change"]


def test_non_compliant_and_non_returning_organisations_are_named(sections):
    red, missing = sections["non-compliance"].tables
    assert cells(red) == [["Demoton Hospitals NHS Foundation Trust", "Health", "Safer recruitment", "Yes"]]
    assert [row[0] for row in cells(missing)] == ["Sacré Cœur Parish Youth Club", "Ætheling Youth Trust"]
    assert cells(missing)[0][3] == "5 March 2026"
    assert cells(missing)[1][2:] == ["In progress", "Nothing submitted"]


def test_action_completion_shows_each_status_and_overdue(sections):
    (table,) = sections["actions"].tables
    assert cells(table)[1] == ["All organisations", "6", "5", "21", "66%", "3"]


def test_heat_map_cells_carry_words_as_well_as_colour(sections):
    (table,) = sections["heat-map"].tables
    rows = {row[0].text: row for row in table.rows}
    trust = rows["Demoton Hospitals NHS Foundation Trust"]
    assert [(cell.text, cell.colour, cell.short) for cell in trust[2:5]] == [
        ("Green", "green", "G"),
        ("Amber", "amber", "A"),
        ("Amber", "amber", "A"),
    ]
    assert trust[7].text == "Red" and trust[7].short == "R"
    hospice = rows["St Mary’s Hospice & Family Support"]
    assert (hospice[5].text, hospice[5].colour, hospice[5].short) == ("Not applicable", "", "N/A")
    assert {cell.text for cell in rows["Ætheling Youth Trust"][2:]} == {"No return"}


def test_themes_are_printed_as_given(summary_pdf):
    assert "Supervision arrangements for front-line staff vary widely between agencies." in pdf_text(
        summary_pdf
    )


def test_the_pdf_prints_the_same_figures_as_the_sections(summary_pdf, sections):
    text = pdf_text(summary_pdf)
    assert "Voluntary 3 1 33% 1 33%" in text
    assert "All organisations 6 3 50% 4 67%" in text
    assert "Senior management commitment to safeguarding 60% 100% +40 points" in text
    assert "Demoton Hospitals NHS Foundation Trust Health Safer recruitment Yes" in text
    assert "Demoton Hospitals NHS Foundation Trust Health G A A G G R G G R" in text
    assert "St Mary’s Hospice & Family Support Voluntary G G G N/A G G A N/A A" in text


def test_the_pdf_has_labelled_charts_of_the_distribution_and_the_trend(summary_pdf):
    text = pdf_text(summary_pdf)
    assert "Figure 1. Ratings by standard" in text
    assert "Share of organisations rated (%)" in text
    assert "Figure 2. Organisations rated green, by standard and cycle" in text
    assert "Organisations rated green (%)" in text


# Standards as the shipped section 11 questionnaire words them, up to 106 characters.
LONG_TITLES = (
    "Standard 1: Senior management commitment to safeguarding and promoting children's welfare",
    "Standard 4: Service development takes account of safeguarding and of the views of children and families",
    "Standard 5: Safeguarding training for staff working with, or in contact with, children and families",
)


def long_titles_summary(**changes) -> BoardSummary:
    standards = tuple(StandardRef(f"s{number}", title) for number, title in enumerate(LONG_TITLES, start=1))
    returns = tuple(
        organisation_return(f"Agency {n}", "GAR"[n:] + "G" * n, ON_TIME, standards=standards)
        for n in range(3)
    )
    return make_summary(standards=standards, returns=returns, **changes)


def trend_heading_lines(summary: BoardSummary) -> list[str]:
    """The lines of the trend table's heading row, cell by cell: each line of each cell
    comes out of the PDF as a line of its own."""
    lines = pdf_lines(build_board_summary_pdf(summary))
    start = lines.index("Standard", lines.index(f"Change since {summary.previous_cycle}"))
    return lines[start : lines.index("Change", start) + 1]


def test_the_trend_tables_cycle_columns_keep_each_cycles_name_on_one_line():
    assert trend_heading_lines(long_titles_summary()) == [
        "Standard",
        "Section 11 audit 2024-25",
        "Section 11 audit 2025-26",
        "Change",
    ]


def test_cycle_names_too_long_for_one_line_take_two_keeping_the_year_whole():
    schools = "Schools and colleges safeguarding audit"
    summary = long_titles_summary(
        previous_cycle=f"{schools} 2024-25", cycle=replace(S11_CYCLE, name=f"{schools} 2025-26")
    )
    assert trend_heading_lines(summary) == [
        "Standard",
        "Schools and colleges",
        "safeguarding audit 2024-25",
        "Schools and colleges",
        "safeguarding audit 2025-26",
        "Change",
    ]


def test_the_charts_print_the_questionnaires_long_standard_titles_in_full():
    text = pdf_text(build_board_summary_pdf(long_titles_summary()))
    assert "…" not in text
    # Numbered as "1. Standard 1: …" once in each of the two charts and in the heat map's key.
    assert all(text.count(f"{number}. {title}") == 3 for number, title in enumerate(LONG_TITLES, start=1))


def test_without_a_previous_cycle_the_trend_says_so_and_has_no_chart():
    text = pdf_text(build_board_summary_pdf(make_summary(previous_cycle=None, previous_pct_green={})))
    assert "There is no earlier cycle to compare with." in text
    assert "Figure 2." not in text


PATTERNS = ("GGGGGGGG", "GGAGGGGG", "GAAGGRGG", "GGGNGGAN", "AGGGRGGG")
SECTORS = ("Primary", "Secondary", "Special", "Independent")


@pytest.fixture(scope="module")
def large_summary_pdf() -> bytes:
    returns = tuple(
        organisation_return(
            f"Organisation {number:03d}",
            PATTERNS[number % len(PATTERNS)],
            None if number % 10 == 0 else ON_TIME,
            sector=SECTORS[number % 4],
            kind="school",
        )
        for number in range(600)
    )
    return build_board_summary_pdf(make_summary(returns=returns))


def heat_map_line(number: int) -> str:
    """The text a reader sees on an organisation's heat-map row."""
    name = f"Organisation {number:03d} {SECTORS[number % 4]}"
    if number % 10 == 0:
        return name + " –" * 9
    pattern = PATTERNS[number % len(PATTERNS)]
    overall = "R" if "R" in pattern else "A" if "A" in pattern else "G"
    return " ".join([name, *("N/A" if letter == "N" else letter for letter in pattern), overall])


def test_a_600_organisation_heat_map_spans_pages_repeating_its_header_row(large_summary_pdf):
    pages = pdf_pages(large_summary_pdf)
    assert len(pages) >= 10
    header = "Organisation Sector 1 2 3 4 5 6 7 8 Overall"
    map_pages = [page for page in pages if header in page]
    assert len(map_pages) >= 8
    # Every organisation has exactly one row, with its ratings, and every page is numbered.
    text = " ".join(pages)
    assert all(text.count(heat_map_line(number)) == 1 for number in range(600))
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))


def test_page_one_renders_as_an_image(summary_pdf, tmp_path):
    assert render_first_page(summary_pdf, tmp_path).stat().st_size > 1000


def test_a_cycle_nobody_has_returned_yet_gives_zeros_not_errors():
    nobody = tuple(organisation_return(f"Agency {n}", "--------", None, sector="Health") for n in range(3))
    text = pdf_text(build_board_summary_pdf(make_summary(returns=nobody)))
    assert "3 organisations were asked for a return and 0 have made one (0%)." in text
    assert "All organisations 3 0 0% 0 0%" in text
