"""Charts for the PDF reports, drawn with reportlab.graphics.

Every chart labels its axes, carries a legend and stays readable in greyscale: paired
series differ in lightness as well as hue, and stacked segments print their rating's
letter and percentage. The table beside each chart holds the same figures in words.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.data import RatingRef
from reports.layout import BOLD, FONT, INK, MUTED, NOT_APPLICABLE_SOLID, RAG_SOLID, RULE

# A light and a dark fill for paired series: distinct on screen and in greyscale.
LIGHT_SERIES = colors.HexColor("#a7c4e0")
DARK_SERIES = colors.HexColor("#1d3f6e")
LABEL_SIZE = 7.5
LABEL_LEADING = 9
# A category's name wraps onto this many lines before it is shortened: the eight
# section 11 standards' titles run to about 110 characters, two lines and a bit.
LABEL_LINES = 3
ROW_HEIGHT = 22  # points per category at least: room for two bars and a gap
PAIRED_BAR = 8  # thickness of each of a pair of bars, in points, however tall the row
STACKED_BAR = 15
LEGEND_HEIGHT = 16
AXIS_HEIGHT = 30  # tick labels and the axis title under the plot
SEGMENT_CODES = ("G", "A", "R", "N/A")  # as in the heat map's key


def fit(label: str, width: float, size: float = LABEL_SIZE) -> str:
    """``label`` shortened with an ellipsis to fit ``width`` points."""
    if stringWidth(label, FONT, size) <= width:
        return label
    while label and stringWidth(label + "…", FONT, size) > width:
        label = label[:-1]
    return label.rstrip() + "…"


def label_lines(label: str, width: float, size: float = LABEL_SIZE) -> list[str]:
    """``label`` broken between words into lines that fit ``width`` points.

    A reader must be able to tell which standard a bar is, so a name is shortened
    (its last line ending in an ellipsis) only if it needs more than
    :data:`LABEL_LINES` lines.
    """
    lines = simpleSplit(label, FONT, size, width)
    if len(lines) <= LABEL_LINES:
        return lines
    return [*lines[: LABEL_LINES - 1], fit(" ".join(lines[LABEL_LINES - 1 :]), width, size)]


def _legend(drawing: Drawing, x: float, y: float, entries: Sequence[tuple[str, colors.Color]]) -> None:
    for name, fill in entries:
        drawing.add(Rect(x, y, 9, 9, fillColor=fill, strokeColor=INK, strokeWidth=0.4))
        drawing.add(String(x + 12, y + 1.5, name, fontName=FONT, fontSize=LABEL_SIZE, fillColor=INK))
        x += 24 + stringWidth(name, FONT, LABEL_SIZE)


def _bar_chart(
    labels: Sequence[str], width: float, label_width: float, bars: float
) -> tuple[Drawing, HorizontalBarChart]:
    # Every row is as tall as the longest name's lines need; the bars keep the
    # thickness ``bars`` (points, gaps included) and the space between groups grows.
    wrapped = [label_lines(label, label_width) for label in labels]
    lines = max((len(label) for label in wrapped), default=1)
    row_height = max(ROW_HEIGHT, lines * LABEL_LEADING + 6)
    height = len(labels) * row_height + LEGEND_HEIGHT + AXIS_HEIGHT
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x = label_width + 6
    chart.y = AXIS_HEIGHT
    chart.width = width - chart.x - 10
    chart.height = len(labels) * row_height
    chart.useAbsolute = "bs"  # bar width and bar spacing in points; group spacing takes the rest
    chart.groupSpacing = row_height - bars
    chart.categoryAxis.categoryNames = ["\n".join(label) for label in wrapped]
    # Categories read top to bottom in the order given, like the table beside the chart.
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.leading = LABEL_LEADING
    chart.categoryAxis.labels.textAnchor = "end"
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = INK
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = LABEL_SIZE
    chart.valueAxis.strokeColor = INK
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.bars.strokeColor = INK
    chart.bars.strokeWidth = 0.4
    drawing.add(chart)
    return drawing, chart


def _axis_title(drawing: Drawing, chart: HorizontalBarChart, title: str) -> None:
    drawing.add(
        String(
            chart.x + chart.width / 2,
            3,
            title,
            fontName=BOLD,
            fontSize=LABEL_SIZE,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )


def rating_comparison_chart(
    labels: Sequence[str],
    scale: Sequence[RatingRef],
    first: Sequence[RatingRef | None],
    second: Sequence[RatingRef | None],
    names: tuple[str, str],
    width: float,
    notes: Sequence[str] = (),
) -> Drawing:
    """Two ratings per category (e.g. self-assessed and moderated) as paired bars whose
    length is the band: the best band of ``scale`` (given best first) reaches furthest.
    A missing rating draws no bar; ``notes`` (one per category, may be empty) are
    written in the plot where a category has no bars at all, to say why."""
    bands = len(scale)
    reach = {rating.id: bands - position for position, rating in enumerate(scale)}
    tick_words = {bands - position: rating.label for position, rating in enumerate(scale)}

    def lengths(ratings: Sequence[RatingRef | None]) -> list[float]:
        return [0 if rating is None else reach.get(rating.id, 0) for rating in ratings]

    drawing, chart = _bar_chart(labels, width, label_width=width * 0.36, bars=2 * PAIRED_BAR + 1)
    # Bars within a group stack upwards from the first series, so the series go in
    # reversed to put the first one on top, in the legend's order.
    chart.data = [lengths(second), lengths(first)]
    chart.bars[0].fillColor = DARK_SERIES
    chart.bars[1].fillColor = LIGHT_SERIES
    chart.barWidth = PAIRED_BAR
    chart.barSpacing = 1
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = bands
    chart.valueAxis.valueStep = 1
    chart.valueAxis.labelTextFormat = lambda value: tick_words.get(round(value), "")
    _axis_title(drawing, chart, "Rating band (a longer bar is a better rating)")
    step = chart.height / max(len(labels), 1)
    for index, note in enumerate(notes):
        if note and not any(series[index] for series in chart.data):
            middle = chart.y + chart.height - step * (index + 0.5)
            drawing.add(
                String(chart.x + 4, middle - 2.5, note, fontName=FONT, fontSize=LABEL_SIZE, fillColor=MUTED)
            )
    _legend(
        drawing,
        chart.x,
        chart.y + chart.height + 5,
        list(zip(names, (LIGHT_SERIES, DARK_SERIES), strict=True)),
    )
    return drawing


def distribution_chart(labels: Sequence[str], shares: Sequence[Sequence[float]], width: float) -> Drawing:
    """One stacked bar per category of the percentages green, amber, red and not
    applicable (each row of ``shares`` in that order, summing to 100)."""
    names = ("Green (G)", "Amber (A)", "Red (R)", "Not applicable (N/A)")
    fills = (RAG_SOLID["green"], RAG_SOLID["amber"], RAG_SOLID["red"], NOT_APPLICABLE_SOLID)
    drawing, chart = _bar_chart(labels, width, label_width=width * 0.34, bars=STACKED_BAR)
    chart.categoryAxis.style = "stacked"
    chart.data = [[row[index] for row in shares] for index in range(4)]
    for index, fill in enumerate(fills):
        chart.bars[index].fillColor = fill
    chart.barWidth = STACKED_BAR
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labelTextFormat = "%d%%"
    _segment_labels(drawing, chart, shares)
    _axis_title(drawing, chart, "Share of organisations rated (%)")
    _legend(drawing, chart.x, chart.y + chart.height + 5, list(zip(names, fills, strict=True)))
    return drawing


def _segment_labels(drawing: Drawing, chart: HorizontalBarChart, shares: Sequence[Sequence[float]]) -> None:
    # Each segment wide enough says what it is and its share ("G 80%"), so the split
    # can be read without telling the fills apart; a narrower one gives just the letter.
    step = chart.height / len(shares)
    for row_index, row in enumerate(shares):
        centre_y = chart.y + chart.height - step * (row_index + 0.5)
        start = 0.0
        for index, share in enumerate(row):
            room = chart.width * share / 100 - 4
            label = f"{SEGMENT_CODES[index]} {share:.0f}%"
            if stringWidth(label, BOLD, 7) > room:
                label = SEGMENT_CODES[index]
            if share > 0 and stringWidth(label, BOLD, 7) <= room:
                middle = chart.x + chart.width * (start + share / 2) / 100
                # White on the dark green and red; black on the light amber and grey.
                ink = colors.white if index in (0, 2) else INK
                drawing.add(
                    String(
                        middle,
                        centre_y - 2.5,
                        label,
                        fontName=BOLD,
                        fontSize=7,
                        fillColor=ink,
                        textAnchor="middle",
                    )
                )
            start += share


def trend_chart(
    labels: Sequence[str],
    previous: Sequence[float | None],
    current: Sequence[float | None],
    names: tuple[str, str],
    width: float,
) -> Drawing:
    """Percentage green per category in two cycles, as paired bars (light: the
    earlier cycle; dark: this one). A missing figure draws no bar."""
    drawing, chart = _bar_chart(labels, width, label_width=width * 0.34, bars=2 * PAIRED_BAR + 1)
    # Reversed, as in rating_comparison_chart, so the earlier cycle's bar is on top.
    chart.data = [[value or 0 for value in current], [value or 0 for value in previous]]
    chart.bars[0].fillColor = DARK_SERIES
    chart.bars[1].fillColor = LIGHT_SERIES
    chart.barWidth = PAIRED_BAR
    chart.barSpacing = 1
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labelTextFormat = "%d%%"
    _axis_title(drawing, chart, "Organisations rated green (%)")
    _legend(
        drawing,
        chart.x,
        chart.y + chart.height + 5,
        list(zip(names, (LIGHT_SERIES, DARK_SERIES), strict=True)),
    )
    return drawing
