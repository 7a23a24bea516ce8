"""Small bar charts for the period summary, in greys for black-and-white print.

Value axes always start at 0: a bar chart whose axis starts higher makes
two meetings look like none and misleads the client about their progress.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from sosku_desktop.documents.fonts import ensure_fonts

DARK = colors.Color(0.2, 0.2, 0.2)
MID = colors.Color(0.55, 0.55, 0.55)
PALE = colors.Color(0.8, 0.8, 0.8)


def _axis_top(highest: float) -> tuple[float, float]:
    """A round top for the value axis and a step giving at most ~6 gridlines."""
    top = max(1.0, float(math.ceil(highest)))
    step = max(1.0, float(math.ceil(top / 6)))
    return step * math.ceil(top / step), step


def monthly_bars(
    labels: Sequence[str],
    values: Sequence[int],
    width: float,
    *,
    reference: float | None = None,
    reference_label: str = "",
    height: float = 45 * mm,
) -> Drawing:
    """Bars per month, y from 0, with an optional dashed target line."""
    regular, _ = ensure_fonts()
    drawing = Drawing(width, height, initialFontName=regular)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 8 * mm
    # a few months get narrow bars, not a wall of grey
    # room on the right for the target line's label, so it never lies on a bar
    room = stringWidth(reference_label, regular, 6.5) + 3 if reference is not None else 0
    chart.width = min(width - 18 * mm - room, max(len(values), 4) * 22 * mm)
    chart.height = height - 12 * mm
    chart.data = [list(values) or [0]]
    chart.categoryAxis.categoryNames = list(labels) or [""]
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 7
    top, step = _axis_top(max([*values, reference or 0, 1]) + 0.5)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = PALE
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.bars[0].fillColor = MID
    chart.bars[0].strokeColor = DARK
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = regular
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 5
    drawing.add(chart)
    if reference is not None:
        add_reference_line(drawing, chart, top, reference, reference_label, regular)
    return drawing


def add_reference_line(
    drawing: Drawing, chart: Any, top: float, value: float, text: str | None, font: str
) -> None:
    """A dashed target line across a vertical bar chart (e.g. "at least 2 a month")."""
    y = chart.y + chart.height * value / top
    line = Line(chart.x, y, chart.x + chart.width, y, strokeColor=DARK, strokeWidth=0.8)
    line.strokeDashArray = [3, 2]
    drawing.add(line)
    if not text:
        return
    size = 6.5
    text_w = stringWidth(text, font, size)
    right = chart.x + chart.width
    if drawing.width - right >= text_w + 3:
        # beside the line's end, where no bar or bar label can be under it
        drawing.add(String(right + 2, y - size / 3, text, fontName=font, fontSize=size))
        return
    # no room beside: above the line's end, on white so a bar under it cannot hide it
    drawing.add(
        Rect(
            right - text_w - 1,
            y + 1,
            text_w + 2,
            size + 1,
            fillColor=colors.white,
            strokeColor=None,
        )
    )
    drawing.add(String(right, y + 2, text, fontName=font, fontSize=size, textAnchor="end"))


def _wrap_label(text: str, width: int = 24, max_lines: int = 3) -> str:
    """An area name on at most three lines; the full name is in the table below."""
    lines = textwrap.wrap(text, width) or [text]
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1][: width - 1] + "…"]
    return "\n".join(lines)


def start_vs_latest(
    areas: Sequence[str],
    start: Sequence[float],
    latest: Sequence[float],
    width: float,
    *,
    legend: tuple[str, str],
    scale_max: float | None = None,
) -> Drawing:
    """Horizontal pairs of bars per self-assessment area: start (pale) vs latest (dark)."""
    regular, _ = ensure_fonts()
    per_area = 11 * mm
    height = len(areas) * per_area + 20 * mm
    drawing = Drawing(width, height, initialFontName=regular)
    chart = HorizontalBarChart()
    chart.x, chart.y = 42 * mm, 14 * mm
    chart.width, chart.height = width - 48 * mm, height - 18 * mm
    # reverseDirection lists areas top-down but also flips each pair, so
    # the series go in reversed to show "start" above "latest"
    chart.data = [list(latest), list(start)]
    chart.categoryAxis.categoryNames = [_wrap_label(a) for a in areas]
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    top, step = _axis_top(scale_max if scale_max else max([*start, *latest, 1]))
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = PALE
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.bars[0].fillColor = DARK
    chart.bars[1].fillColor = PALE
    chart.bars.strokeColor = DARK
    chart.bars.strokeWidth = 0.4
    chart.barSpacing = 1
    chart.groupSpacing = 6
    drawing.add(chart)
    key = Legend()
    key.x, key.y = chart.x, 5 * mm
    key.fontName = regular
    key.fontSize = 7
    key.alignment = "right"
    key.columnMaximum = 1
    key.deltax = 45 * mm
    key.colorNamePairs = [(PALE, legend[0]), (DARK, legend[1])]
    drawing.add(key)
    return drawing
