"""Column widths for plain-text tables: every heading word keeps its letters together."""

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.tables import BOLD, CELL_ROOM, fitted_widths, heading_width


@pytest.mark.parametrize("lines", [1, 2, 3])
def test_a_heading_is_never_given_less_than_its_longest_word(lines):
    width = heading_width("By final deadline", lines)
    assert width >= stringWidth("deadline", BOLD, 8.5)


def test_a_crowded_table_leaves_every_heading_word_room_in_its_column():
    # The board summary's return rates by sector, with the sector names GIAS uses.
    header = ["Sector", "Expected", "By initial deadline", "% by initial", "By final deadline", "% by final"]
    rows = [
        ["Academy alternative provision converter", "1", "1", "100%", "1", "100%"],
        ["Other independent special school", "19", "5", "26%", "5", "26%"],
    ]
    widths = fitted_widths(header, rows, 400)
    for heading, column_width in zip(header, widths, strict=True):
        for word in heading.split():
            assert stringWidth(word, BOLD, 8.5) + CELL_ROOM - 2 <= column_width, (heading, word)
