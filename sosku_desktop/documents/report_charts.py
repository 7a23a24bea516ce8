"""Report and self-assessment charts as reportlab drawings: bars and a radar.

Every value axis starts at 0 (a bar that starts higher makes two meetings
look like none), values are written on the bars so the chart reads on a
black-and-white copy, and the series are told apart by grey tone *and*
pattern (start dashed, latest solid), never by colour alone.

(``documents/charts.py`` holds the period summary's bar charts, made by the
documents room; these are the team report's and the radar.)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from sosku_desktop.documents.chart_scale import nice_top
from sosku_desktop.documents.charts import add_reference_line
from sosku_desktop.documents.fonts import ensure_fonts

DARK = colors.Color(0.15, 0.15, 0.15)
MID = colors.Color(0.5, 0.5, 0.5)
PALE = colors.Color(0.78, 0.78, 0.78)
FAINT = colors.Color(0.9, 0.9, 0.9)
SERIES_FILLS = (MID, DARK, PALE)

Formatter = Callable[[float], str]


def font_drawing(width: float, height: float) -> Drawing:
    """A Drawing that starts in our embedded font, so the PDF names no unembedded Helvetica."""
    drawing = Drawing(width, height)
    drawing.initialFontName = ensure_fonts()[0]
    return drawing


def _plain(value: float) -> str:
    return f"{value:g}"


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Sequence[float]],
    width: float,
    *,
    height: float = 50 * mm,
    legend: Sequence[str] = (),
    value_label: Formatter = _plain,
    axis_label: Formatter = _plain,
    value_max: float | None = None,
    horizontal: bool = False,
    reference: float | None = None,
    reference_label: str = "",
) -> Drawing:
    """Bars per category (one or more series), y from 0, values on the bars.

    ``horizontal`` puts the categories down the left (long labels such as
    meeting kinds); ``reference`` draws a dashed target line.
    """
    regular, _ = ensure_fonts()
    categories = list(labels) or [""]
    data = [list(s) or [0.0] for s in series] or [[0.0]]
    highest = max([v for s in data for v in s] + [reference or 0, 0])
    top, step = (value_max, nice_top(value_max)[1]) if value_max else nice_top(highest * 1.08)
    legend_h = 7 * mm if legend else 0
    if horizontal:
        label_w = max(stringWidth(c, regular, 7) for c in categories) + 3 * mm
        per_row = 5.5 * mm * max(1, len(data)) + 2 * mm
        height = max(height, len(categories) * per_row + 10 * mm + legend_h)
    drawing = font_drawing(width, height)
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    if horizontal:
        chart.x, chart.y = min(label_w, width * 0.45), 6 * mm + legend_h
        chart.width = width - chart.x - 12 * mm
        chart.height = height - chart.y - 2 * mm
        chart.categoryAxis.reverseDirection = 1
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -4
    else:
        chart.x, chart.y = 10 * mm, 9 * mm + legend_h
        chart.width, chart.height = width - 12 * mm, height - chart.y - 4 * mm
    chart.data = data
    chart.categoryAxis.categoryNames = categories
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = axis_label
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = FAINT
    chart.valueAxis.gridStrokeWidth = 0.4
    for index in range(len(data)):
        chart.bars[index].fillColor = SERIES_FILLS[index % len(SERIES_FILLS)]
    chart.bars.strokeColor = DARK
    chart.bars.strokeWidth = 0.3
    chart.barSpacing = 1
    chart.groupSpacing = 4 if horizontal else 6
    chart.barLabelFormat = value_label
    chart.barLabels.fontName = regular
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w" if horizontal else "s"
    chart.barLabels.dx = 2 if horizontal else 0
    chart.barLabels.dy = 0 if horizontal else 1.5
    drawing.add(chart)
    if reference is not None and not horizontal and top:
        add_reference_line(drawing, chart, top, reference, reference_label, regular)
    if legend:
        drawing.add(_legend(legend, chart.x, regular))
    return drawing


def _legend(names: Sequence[str], x: float, font: str) -> Legend:
    """One swatch per series, in the series' fills, under the chart."""
    key = Legend()
    key.x, key.y = x, 4 * mm
    key.fontName = font
    key.fontSize = 7
    key.alignment = "right"
    key.columnMaximum = 1
    key.dx = key.dy = 7
    key.deltax = max(stringWidth(n, font, 7) for n in names) + 14 * mm
    key.colorNamePairs = [(SERIES_FILLS[i % len(SERIES_FILLS)], n) for i, n in enumerate(names)]
    return key


def radar_chart(
    labels: Sequence[str],
    start: Sequence[float | None] | None,
    latest: Sequence[float | None],
    size: float,
    *,
    scale_max: float,
    scale_min: float = 0,
    legend: tuple[str, str] = ("", ""),
    ring_step: float | None = None,
) -> Drawing:
    """Self-assessment areas round a circle: start dashed and pale, latest solid and dark.

    The centre is ``scale_min`` (0) and the rim ``scale_max``; unanswered
    areas (``None``) are drawn at the centre and their label is left as is.
    """
    regular, bold = ensure_fonts()
    n = max(3, len(labels))
    width = size
    height = size + (8 * mm if any(legend) else 0)
    drawing = font_drawing(width, height)
    label_room = 24 * mm
    cx, cy = width / 2, height - size / 2
    radius = size / 2 - label_room / 2 - 4 * mm

    def point(index: int, value: float | None) -> tuple[float, float]:
        share = 0.0 if value is None else (value - scale_min) / (scale_max - scale_min)
        share = min(1.0, max(0.0, share))
        angle = math.pi / 2 - 2 * math.pi * index / n
        return cx + radius * share * math.cos(angle), cy + radius * share * math.sin(angle)

    step = ring_step or nice_top(scale_max - scale_min, 5)[1]
    ring = scale_min + step
    while ring <= scale_max + 1e-9:
        points = [c for i in range(n) for c in point(i, ring)]
        drawing.add(Polygon(points, strokeColor=PALE, strokeWidth=0.4, fillColor=None))
        x, y = point(0, ring)
        drawing.add(
            String(x + 1.5, y + 1, f"{ring:g}", fontName=regular, fontSize=6, fillColor=MID)
        )
        ring += step
    for i in range(n):
        x, y = point(i, scale_max)
        drawing.add(Line(cx, cy, x, y, strokeColor=PALE, strokeWidth=0.4))

    def series(
        values: Sequence[float | None], stroke: colors.Color, fill: colors.Color, dashed: bool
    ) -> None:
        pts = [c for i in range(len(labels)) for c in point(i, values[i])]
        shape = Polygon(pts, strokeColor=stroke, strokeWidth=1.4, fillColor=fill)
        if dashed:
            shape.strokeDashArray = [3, 2]
        drawing.add(shape)
        for i in range(len(labels)):
            if values[i] is not None:
                x, y = point(i, values[i])
                drawing.add(Circle(x, y, 1.6, fillColor=stroke, strokeColor=stroke))

    if start is not None:
        series(start, MID, colors.Color(0.6, 0.6, 0.6, alpha=0.15), dashed=True)
    series(latest, DARK, colors.Color(0.1, 0.1, 0.1, alpha=0.12), dashed=False)

    _radar_labels(drawing, labels, n, cx, cy, radius + 4 * mm, bold)
    if any(legend):
        _radar_legend(drawing, legend, cx - 40 * mm, start is not None, regular)
    return drawing


def _radar_labels(
    drawing: Drawing,
    labels: Sequence[str],
    n: int,
    cx: float,
    cy: float,
    distance: float,
    font: str,
) -> None:
    """Each area's name just outside the rim, anchored away from the centre."""
    for i, label in enumerate(labels):
        angle = math.pi / 2 - 2 * math.pi * i / n
        lx = cx + distance * math.cos(angle)
        ly = cy + distance * math.sin(angle)
        anchor = "middle"
        if math.cos(angle) > 0.2:
            anchor = "start"
        elif math.cos(angle) < -0.2:
            anchor = "end"
        if math.sin(angle) < -0.5:
            ly -= 6
        for j, line in enumerate(_split(label, 18)):
            drawing.add(String(lx, ly - j * 8, line, fontName=font, fontSize=7, textAnchor=anchor))


def _radar_legend(
    drawing: Drawing, legend: tuple[str, str], x: float, with_start: bool, font: str
) -> None:
    """Start (dashed, pale) and latest (solid, dark) under the radar."""
    y = 3 * mm
    for name, stroke, dashed in ((legend[0], MID, True), (legend[1], DARK, False)):
        if dashed and not with_start:
            continue
        line = PolyLine([x, y + 2, x + 9 * mm, y + 2], strokeColor=stroke, strokeWidth=1.4)
        if dashed:
            line.strokeDashArray = [3, 2]
        drawing.add(line)
        drawing.add(String(x + 11 * mm, y, name, fontName=font, fontSize=7))
        x += 45 * mm


def _split(text: str, width: int) -> list[str]:
    """At most two lines of about ``width`` characters (area labels are short)."""
    words = text.split()
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return lines or [text]
