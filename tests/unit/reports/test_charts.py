"""The charts' category labels: a reader can tell which standard each bar is."""

from __future__ import annotations

import pytest

from reports.charts import distribution_chart, label_lines, rating_comparison_chart, trend_chart
from reports.layout import build_pdf, content_width

from .report_builders import RAG, pdf_lines, pdf_text

# The section 11 standards as the shipped questionnaire words them: up to 106 characters.
LONG_NAMES = (
    "1. Standard 1: Senior management commitment to safeguarding and promoting children's welfare",
    "2. Standard 2: A clear statement of the organisation's responsibilities towards children",
    "3. Standard 4: Service development takes account of safeguarding and of the views of children and families",
    "4. Standard 5: Safeguarding training for staff working with, or in contact with, children and families",
    "5. Standard 8: Information sharing",
)
GREEN, AMBER, RED = RAG


def chart_pdf(drawing) -> bytes:
    return build_pdf([drawing], partnership="Demoshire Safeguarding Children Partnership", title="Charts")


CHARTS = {
    "rating comparison": lambda names: rating_comparison_chart(
        names, RAG, [GREEN] * len(names), [AMBER] * len(names), ("Self", "Partnership"), content_width()
    ),
    "distribution": lambda names: distribution_chart(names, [[60, 20, 10, 10]] * len(names), content_width()),
    "trend": lambda names: trend_chart(
        names, [50.0] * len(names), [75.0] * len(names), ("2024/25", "2025/26"), content_width()
    ),
}


@pytest.mark.parametrize("chart", CHARTS.values(), ids=CHARTS.keys())
def test_long_standard_names_are_printed_in_full_on_up_to_three_lines(chart):
    pdf = chart_pdf(chart(LONG_NAMES))
    text = pdf_text(pdf)
    assert all(name in text for name in LONG_NAMES)
    assert "…" not in text
    # Wrapped beside the bars, not set on one line running into them.
    assert not any(LONG_NAMES[2] in line for line in pdf_lines(pdf))


def test_only_a_name_too_long_for_three_lines_is_shortened_with_an_ellipsis():
    absurd = "1. " + " ".join(["Safeguarding arrangements for children and families"] * 8)
    lines = label_lines(absurd, content_width() * 0.34)
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    text = pdf_text(chart_pdf(CHARTS["distribution"]([absurd, LONG_NAMES[2]])))
    assert "1. Safeguarding arrangements for children and families Safeguarding" in text
    assert LONG_NAMES[2] in text
