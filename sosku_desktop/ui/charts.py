"""QPainter chart widgets: bars, meters, a radar and start-vs-latest area bars.

QtCharts lives in PySide6-Addons (a 175 MB wheel, stack-notes.md); these few
charts are easier drawn by hand. The rules every chart keeps:

- value axes start at 0 (or the scale's minimum) — never a cut axis;
- the numbers are written on the chart, and a hover tooltip repeats them,
  so nobody has to estimate a bar's length or tell colours apart;
- series differ by tone *and* pattern (start is hatched/dashed, latest solid);
- each chart carries an accessible description with the same figures.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from sosku_desktop.documents.assessment_pdf import score_text
from sosku_desktop.documents.report_charts import nice_top
from sosku_desktop.i18n import DEFAULT_LANGUAGE

Formatter = Callable[[float], str]

#: Calm colours; traffic lights are soft so a chart does not shout at the client.
INK = QColor("#1f2933")
MUTED = QColor("#616e7c")
GRID = QColor("#e4e7eb")
ACCENT = QColor("#2f6f9f")
ACCENT_PALE = QColor("#a9c6dd")
START = QColor("#8a96a3")
TONES = {
    "red": QColor("#d9534f"),
    "yellow": QColor("#e8b03a"),
    "green": QColor("#4f9d69"),
}
TONES_SOFT = {
    "red": QColor(217, 83, 79, 46),
    "yellow": QColor(232, 176, 58, 48),
    "green": QColor(79, 157, 105, 44),
}


def _plain(value: float) -> str:
    return f"{value:g}"


def tone_colour(tone: str | None, soft: bool = False) -> QColor:
    """A traffic-light colour, or the accent when the instrument has no bands."""
    table = TONES_SOFT if soft else TONES
    return QColor(table.get(tone or "", ACCENT_PALE if soft else ACCENT))


class _Chart(QWidget):
    """Shared tooltip handling: painting records (rect, text) hot spots."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._spots: list[tuple[QRectF, str]] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            pos = QPointF(e.pos())
            for rect, text in reversed(self._spots):
                if rect.contains(pos):
                    QToolTip.showText(e.globalPos(), text, self)
                    return True
            QToolTip.hideText()
            e.ignore()
            return True
        return super().event(e)

    def hot_spots(self) -> list[tuple[QRectF, str]]:
        """What the last paint made hoverable (tests read the figures here)."""
        return list(self._spots)

    def _font(self, delta: float = 0, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() + delta))
        font.setBold(bold)
        return font


# --- bars ---------------------------------------------------------------------------


@dataclass
class Series:
    """One series of a bar chart; ``hatched`` marks a "before" series."""

    name: str
    values: list[float]
    colour: QColor = field(default_factory=lambda: QColor(ACCENT))
    hatched: bool = False


class BarChart(_Chart):
    """Bars per category, one or more series, axis from 0, values on the bars."""

    def __init__(self, parent: QWidget | None = None, *, horizontal: bool = False) -> None:
        super().__init__(parent)
        self.horizontal = horizontal
        self.categories: list[str] = []
        self.series: list[Series] = []
        self.value_text: Formatter = _plain
        self.axis_text: Formatter = _plain
        self.value_max: float | None = None
        self.reference: float | None = None
        self.reference_label = ""
        self.dimmed: set[int] = set()
        self.integers = True

    def set_data(
        self,
        categories: Sequence[str],
        series: Sequence[Series],
        *,
        value_text: Formatter = _plain,
        axis_text: Formatter | None = None,
        value_max: float | None = None,
        reference: float | None = None,
        reference_label: str = "",
        dimmed: Sequence[int] = (),
        integers: bool = True,
    ) -> None:
        """Replace the data; ``dimmed`` categories (e.g. a month still open) are drawn paler."""
        self.categories = list(categories)
        self.series = list(series)
        self.value_text = value_text
        self.axis_text = axis_text or value_text
        self.value_max = value_max
        self.reference = reference
        self.reference_label = reference_label
        self.dimmed = set(dimmed)
        self.integers = integers
        self.setAccessibleDescription(self.describe())
        self.updateGeometry()
        self.update()

    def describe(self) -> str:
        """The figures as text, for screen readers and tests."""
        parts = []
        for i, category in enumerate(self.categories):
            values = ", ".join(
                (f"{s.name} " if len(self.series) > 1 else "") + self.value_text(s.values[i])
                for s in self.series
            )
            parts.append(f"{category}: {values}")
        return "; ".join(parts)

    def _row_height(self) -> float:
        return 10 + 20 * max(1, len(self.series))

    def sizeHint(self) -> QSize:
        if self.horizontal:
            legend = 26 if len(self.series) > 1 else 0
            return QSize(420, int(len(self.categories) * self._row_height() + 34 + legend))
        return QSize(480, 240)

    def minimumSizeHint(self) -> QSize:
        hint = self.sizeHint()
        return QSize(220, hint.height() if self.horizontal else 180)

    def _top(self) -> tuple[float, float]:
        highest = max([v for s in self.series for v in s.values] + [self.reference or 0, 0])
        if self.value_max:
            return self.value_max, nice_top(self.value_max, 5, self.integers)[1]
        return nice_top(highest * 1.1 if highest else 1, 5, self.integers)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._spots = []
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.categories or not self.series:
            p.end()
            return
        if self.horizontal:
            self._paint_horizontal(p)
        else:
            self._paint_vertical(p)
        p.end()

    def _legend(self, p: QPainter, x: float, y: float) -> None:
        if len(self.series) < 2:
            return
        p.setFont(self._font(-1))
        fm = QFontMetricsF(p.font())
        for s in self.series:
            box = QRectF(x, y + 3, 14, 12)
            self._fill_bar(p, box, s, dimmed=False)
            p.setPen(INK)
            p.drawText(QPointF(x + 20, y + 13), s.name)
            x += 20 + fm.horizontalAdvance(s.name) + 22

    def _fill_bar(self, p: QPainter, rect: QRectF, s: Series, dimmed: bool) -> None:
        colour = QColor(s.colour)
        if dimmed:
            colour.setAlpha(110)
        p.setPen(QPen(colour.darker(130), 1))
        if s.hatched:
            p.setBrush(QBrush(colour.lighter(140)))
            p.drawRect(rect)
            p.setBrush(QBrush(colour.darker(110), Qt.BrushStyle.BDiagPattern))
            p.drawRect(rect)
        else:
            p.setBrush(QBrush(colour))
            p.drawRect(rect)

    def _paint_vertical(self, p: QPainter) -> None:
        top, step = self._top()
        small = self._font(-1)
        p.setFont(small)
        fm = QFontMetricsF(small)
        ticks = [step * i for i in range(round(top / step) + 1)]
        left = max(fm.horizontalAdvance(self.axis_text(t)) for t in ticks) + 10
        legend_h = 24 if len(self.series) > 1 else 0
        plot = QRectF(left, 10 + fm.height(), self.width() - left - 10, 0)
        plot.setBottom(self.height() - fm.height() - 12 - legend_h)
        if plot.height() < 20 or plot.width() < 20:
            return
        for t in ticks:
            y = plot.bottom() - plot.height() * t / top
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(MUTED)
            p.drawText(
                QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                self.axis_text(t),
            )
        n = len(self.categories)
        group_w = plot.width() / n
        bar_w = min(44.0, group_w * 0.78 / len(self.series))
        for i, category in enumerate(self.categories):
            gx = plot.left() + group_w * i + (group_w - bar_w * len(self.series)) / 2
            for k, s in enumerate(self.series):
                value = s.values[i]
                h = plot.height() * max(0.0, value) / top
                rect = QRectF(gx + k * bar_w, plot.bottom() - h, bar_w - 2, h)
                self._fill_bar(p, rect, s, i in self.dimmed)
                label = self.value_text(value)
                hot = QRectF(rect.left(), plot.top(), rect.width(), plot.height())
                name = f"{s.name}: " if s.name else ""
                self._spots.append((hot, f"{category}\n{name}{label}"))
                if fm.horizontalAdvance(label) <= group_w:
                    p.setPen(INK)
                    p.drawText(
                        QRectF(
                            rect.center().x() - group_w / 2,
                            rect.top() - fm.height() - 1,
                            group_w,
                            fm.height(),
                        ),
                        int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                        label,
                    )
            p.setPen(MUTED if i in self.dimmed else INK)
            p.drawText(
                QRectF(plot.left() + group_w * i, plot.bottom() + 3, group_w, fm.height() + 4),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                fm.elidedText(category, Qt.TextElideMode.ElideRight, group_w),
            )
        p.setPen(QPen(MUTED, 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        if self.reference is not None:
            y = plot.bottom() - plot.height() * self.reference / top
            pen = QPen(INK, 1.2, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            if self.reference_label:
                p.drawText(
                    QRectF(plot.left(), y - fm.height() - 1, plot.width(), fm.height()),
                    int(Qt.AlignmentFlag.AlignRight),
                    self.reference_label,
                )
        self._legend(p, plot.left(), self.height() - legend_h)

    def _paint_horizontal(self, p: QPainter) -> None:
        top, step = self._top()
        small = self._font(-1)
        fm = QFontMetricsF(small)
        p.setFont(self.font())
        fm_label = QFontMetricsF(self.font())
        label_w = min(
            self.width() * 0.42,
            max(fm_label.horizontalAdvance(c) for c in self.categories) + 12,
        )
        legend_h = 26 if len(self.series) > 1 else 0
        value_room = (
            max(fm.horizontalAdvance(self.value_text(v)) for s in self.series for v in s.values)
            + 10
        )
        plot = QRectF(label_w, 4, self.width() - label_w - value_room - 6, 0)
        plot.setBottom(self.height() - fm.height() - 8 - legend_h)
        if plot.width() < 20:
            return
        ticks = [step * i for i in range(round(top / step) + 1)]
        p.setFont(small)
        for t in ticks:
            x = plot.left() + plot.width() * t / top
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            p.setPen(MUTED)
            p.drawText(
                QRectF(x - 40, plot.bottom() + 2, 80, fm.height()),
                int(Qt.AlignmentFlag.AlignHCenter),
                self.axis_text(t),
            )
        row_h = plot.height() / len(self.categories)
        bar_h = min(18.0, (row_h - 8) / len(self.series))
        for i, category in enumerate(self.categories):
            y0 = plot.top() + row_h * i + (row_h - bar_h * len(self.series)) / 2
            p.setFont(self.font())
            p.setPen(INK)
            p.drawText(
                QRectF(0, plot.top() + row_h * i, label_w - 8, row_h),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                fm_label.elidedText(category, Qt.TextElideMode.ElideRight, label_w - 8),
            )
            p.setFont(small)
            for k, s in enumerate(self.series):
                value = s.values[i]
                w = plot.width() * max(0.0, value) / top
                rect = QRectF(plot.left(), y0 + k * bar_h, w, bar_h - 2)
                self._fill_bar(p, rect, s, i in self.dimmed)
                label = self.value_text(value)
                p.setPen(INK)
                p.drawText(
                    QRectF(rect.right() + 5, rect.top() - 2, value_room + 20, bar_h + 2),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                    label,
                )
                name = f"{s.name}: " if s.name else ""
                hot = QRectF(0, plot.top() + row_h * i, self.width(), row_h)
                self._spots.append((hot, f"{category}\n{name}{label}"))
        p.setPen(QPen(MUTED, 1))
        p.drawLine(plot.topLeft(), plot.bottomLeft())
        self._legend(p, plot.left(), self.height() - legend_h)


# --- meters (budget use, attendance rates) ---------------------------------------------


@dataclass(frozen=True)
class Meter:
    """One row: a label, a filled share of a maximum, and the words to show."""

    label: str
    value: float
    maximum: float
    text: str
    tone: str | None = None


class MeterList(_Chart):
    """Horizontal meters, one per row; overfull meters show the overflow in red."""

    ROW = 46

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Meter] = []

    def set_rows(self, rows: Sequence[Meter]) -> None:
        self.rows = list(rows)
        self.setAccessibleDescription("; ".join(f"{r.label}: {r.text}" for r in self.rows))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(380, max(1, len(self.rows)) * self.ROW + 6)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        self._spots = []
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetricsF(self.font())
        width = self.width() - 4
        for i, row in enumerate(self.rows):
            y = 2 + i * self.ROW
            p.setFont(self.font())
            p.setPen(INK)
            p.drawText(
                QRectF(2, y, width * 0.6, fm.height()),
                int(Qt.AlignmentFlag.AlignLeft),
                fm.elidedText(row.label, Qt.TextElideMode.ElideRight, width * 0.6),
            )
            p.setPen(MUTED)
            p.drawText(
                QRectF(width * 0.4, y, width * 0.6, fm.height()),
                int(Qt.AlignmentFlag.AlignRight),
                row.text,
            )
            track = QRectF(2, y + fm.height() + 4, width - 2, 14)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(GRID)
            p.drawRoundedRect(track, 7, 7)
            share = row.value / row.maximum if row.maximum > 0 else (1.0 if row.value else 0)
            fill = QRectF(track)
            fill.setWidth(track.width() * min(1.0, max(0.0, share)))
            colour = TONES["red"] if share > 1 else tone_colour(row.tone)
            p.setBrush(colour)
            if fill.width() > 0:
                p.drawRoundedRect(fill, 7, 7)
            self._spots.append((QRectF(0, y, self.width(), self.ROW), f"{row.label}\n{row.text}"))
        p.end()


# --- self-assessment: radar and area bars ---------------------------------------------


@dataclass(frozen=True)
class Zone:
    """A traffic-light band drawn from ``start`` up to ``stop`` (the next band's start)."""

    start: float
    stop: float
    tone: str
    label: str = ""


class RadarChart(_Chart):
    """Areas round a circle; the start dashed grey, the latest solid; zones as soft rings."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels: list[str] = []
        self.start: list[float | None] | None = None
        self.latest: list[float | None] = []
        self.scale_min = 0.0
        self.scale_max = 10.0
        self.zones: list[Zone] = []
        self.names = ("", "")
        self.lang = DEFAULT_LANGUAGE
        self.setMinimumSize(320, 300)

    def set_data(
        self,
        labels: Sequence[str],
        start: Sequence[float | None] | None,
        latest: Sequence[float | None],
        *,
        scale_min: float,
        scale_max: float,
        zones: Sequence[Zone] = (),
        names: tuple[str, str] = ("", ""),
        lang: str = DEFAULT_LANGUAGE,
    ) -> None:
        self.lang = lang
        self.labels = list(labels)
        self.start = list(start) if start is not None else None
        self.latest = list(latest)
        self.scale_min, self.scale_max = scale_min, scale_max
        self.zones = list(zones)
        self.names = names
        parts = []
        for i, label in enumerate(self.labels):
            before = "" if self.start is None else f"{self._num(self.start[i])} → "
            parts.append(f"{label}: {before}{self._num(self.latest[i])}")
        self.setAccessibleDescription("; ".join(parts))
        self.update()

    def _num(self, value: float | None) -> str:
        return score_text(value, self.lang)

    def sizeHint(self) -> QSize:
        return QSize(460, 420)

    def heightForWidth(self, width: int) -> int:
        return int(width * 0.9)

    def _point(self, centre: QPointF, radius: float, i: int, value: float | None) -> QPointF:
        n = max(3, len(self.labels))
        span = self.scale_max - self.scale_min
        share = 0.0 if value is None else min(1.0, max(0.0, (value - self.scale_min) / span))
        angle = -math.pi / 2 + 2 * math.pi * i / n
        return QPointF(
            centre.x() + radius * share * math.cos(angle),
            centre.y() + radius * share * math.sin(angle),
        )

    def _ring(self, centre: QPointF, radius: float, value: float) -> QPolygonF:
        return QPolygonF([self._point(centre, radius, i, value) for i in range(len(self.labels))])

    def paintEvent(self, event: QPaintEvent) -> None:
        self._spots = []
        if len(self.labels) < 3:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetricsF(self.font())
        legend_h = fm.height() + 12
        label_room = min(130.0, self.width() * 0.24)
        radius = max(
            40.0,
            min(
                (self.width() - 2 * label_room) / 2,
                (self.height() - legend_h - 2 * fm.height() * 2 - 12) / 2,
            ),
        )
        centre = QPointF(self.width() / 2, (self.height() - legend_h) / 2 + 4)
        # zones: outermost first so the inner ones paint over
        for zone in sorted(self.zones, key=lambda z: -z.stop):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(tone_colour(zone.tone, soft=True))
            outer = self._ring(centre, radius, zone.stop)
            inner = self._ring(centre, radius, zone.start) if zone.start > self.scale_min else None
            path = QPainterPath()
            path.addPolygon(outer)
            if inner is not None:
                hole = QPainterPath()
                hole.addPolygon(inner)
                path = path.subtracted(hole)
            p.drawPath(path)
        step = nice_top(self.scale_max - self.scale_min, 5)[1]
        small = self._font(-2)
        p.setFont(small)
        value = self.scale_min + step
        while value <= self.scale_max + 1e-9:
            p.setPen(QPen(GRID.darker(115), 1))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPolygon(self._ring(centre, radius, value))
            pt = self._point(centre, radius, 0, value)
            p.setPen(MUTED)
            p.drawText(QPointF(pt.x() + 4, pt.y() + 4), self._num(value))
            value += step
        for i in range(len(self.labels)):
            p.setPen(QPen(GRID.darker(115), 1))
            p.drawLine(centre, self._point(centre, radius, i, self.scale_max))
        if self.start is not None:
            self._series(p, centre, radius, self.start, START, dashed=True)
        self._series(p, centre, radius, self.latest, ACCENT, dashed=False)
        self._labels(p, centre, radius, fm)
        self._legend(p, fm, legend_h)
        p.end()

    def _series(
        self,
        p: QPainter,
        centre: QPointF,
        radius: float,
        values: Sequence[float | None],
        colour: QColor,
        dashed: bool,
    ) -> None:
        polygon = QPolygonF([self._point(centre, radius, i, v) for i, v in enumerate(values)])
        fill = QColor(colour)
        fill.setAlpha(22 if dashed else 34)
        pen = QPen(colour, 2.4 if not dashed else 2.0)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(fill)
        p.drawPolygon(polygon)
        p.setPen(QPen(colour.darker(120), 1))
        p.setBrush(colour)
        for i, v in enumerate(values):
            if v is None:
                continue
            pt = self._point(centre, radius, i, v)
            p.drawEllipse(pt, 3.6 if not dashed else 3.0, 3.6 if not dashed else 3.0)

    def _labels(self, p: QPainter, centre: QPointF, radius: float, fm: QFontMetricsF) -> None:
        n = len(self.labels)
        bold = self._font(0, bold=True)
        for i, label in enumerate(self.labels):
            angle = -math.pi / 2 + 2 * math.pi * i / n
            ax = centre.x() + (radius + 10) * math.cos(angle)
            ay = centre.y() + (radius + 10) * math.sin(angle)
            box_w = min(150.0, max(80.0, self.width() / 2 - radius - 14))
            before = "" if self.start is None else f"{self._num(self.start[i])} → "
            text = f"{label}\n{before}{self._num(self.latest[i])}"
            lines = 3
            box_h = fm.height() * lines
            cos = math.cos(angle)
            if cos > 0.3:
                rect = QRectF(ax, ay - box_h / 2, box_w, box_h)
                align = Qt.AlignmentFlag.AlignLeft
            elif cos < -0.3:
                rect = QRectF(ax - box_w, ay - box_h / 2, box_w, box_h)
                align = Qt.AlignmentFlag.AlignRight
            else:
                rect = QRectF(
                    ax - box_w / 2, ay - (box_h if math.sin(angle) < 0 else 0), box_w, box_h
                )
                align = Qt.AlignmentFlag.AlignHCenter
            valign = (
                Qt.AlignmentFlag.AlignBottom
                if math.sin(angle) < -0.3
                else Qt.AlignmentFlag.AlignTop
                if math.sin(angle) > 0.3
                else Qt.AlignmentFlag.AlignVCenter
            )
            p.setFont(bold)
            p.setPen(INK)
            p.drawText(rect, int(align | valign | Qt.TextFlag.TextWordWrap), text)
            self._spots.append((rect, text))

    def _legend(self, p: QPainter, fm: QFontMetricsF, legend_h: float) -> None:
        p.setFont(self.font())
        y = self.height() - legend_h + 6
        entries = [(self.names[1], ACCENT, False)]
        if self.start is not None:
            entries.insert(0, (self.names[0], START, True))
        total = sum(34 + fm.horizontalAdvance(name) + 24 for name, _, _ in entries)
        x = (self.width() - total) / 2
        for name, colour, dashed in entries:
            pen = QPen(colour, 2.4)
            if dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(x, y + fm.height() / 2), QPointF(x + 26, y + fm.height() / 2))
            p.setPen(INK)
            p.drawText(QPointF(x + 32, y + fm.ascent()), name)
            x += 34 + fm.horizontalAdvance(name) + 24


@dataclass(frozen=True)
class AreaRow:
    """One area in the bar view: scores at the start and now, and the current tone."""

    label: str
    start: float | None
    latest: float | None
    tone: str | None
    change_text: str = ""


class AreaBars(_Chart):
    """Per area a hatched start bar over a solid latest bar on a zoned track."""

    ROW = 58

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[AreaRow] = []
        self.scale_min = 0.0
        self.scale_max = 10.0
        self.zones: list[Zone] = []
        self.names = ("", "")
        self.lang = DEFAULT_LANGUAGE

    def _num(self, value: float | None) -> str:
        return score_text(value, self.lang)

    def set_data(
        self,
        rows: Sequence[AreaRow],
        *,
        scale_min: float,
        scale_max: float,
        zones: Sequence[Zone] = (),
        names: tuple[str, str] = ("", ""),
        lang: str = DEFAULT_LANGUAGE,
    ) -> None:
        self.lang = lang
        self.rows = list(rows)
        self.scale_min, self.scale_max = scale_min, scale_max
        self.zones = list(zones)
        self.names = names
        self.setAccessibleDescription(
            "; ".join(
                f"{r.label}: {self._num(r.start)} → {self._num(r.latest)} {r.change_text}".strip()
                for r in self.rows
            )
        )
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(520, len(self.rows) * self.ROW + 44)

    def minimumSizeHint(self) -> QSize:
        return QSize(320, self.sizeHint().height())

    def _x(self, track: QRectF, value: float) -> float:
        span = self.scale_max - self.scale_min
        return track.left() + track.width() * (value - self.scale_min) / span

    def paintEvent(self, event: QPaintEvent) -> None:
        self._spots = []
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetricsF(self.font())
        bold = self._font(0, bold=True)
        label_w = min(190.0, self.width() * 0.32)
        value_w = max(fm.horizontalAdvance("10 → 10  (+10)") + 12, 110.0)
        left = label_w
        width = self.width() - label_w - value_w - 8
        if width < 60:
            p.end()
            return
        for i, row in enumerate(self.rows):
            y = 6 + i * self.ROW
            track = QRectF(left, y + 6, width, self.ROW - 20)
            for zone in self.zones:
                x0, x1 = self._x(track, zone.start), self._x(track, zone.stop)
                p.fillRect(
                    QRectF(x0, track.top(), x1 - x0, track.height()),
                    tone_colour(zone.tone, soft=True),
                )
            if not self.zones:
                p.fillRect(track, GRID)
            bar_h = (track.height() - 6) / 2
            if row.start is not None:
                rect = QRectF(
                    track.left(), track.top() + 2, self._x(track, row.start) - track.left(), bar_h
                )
                p.setPen(QPen(START.darker(120), 1))
                p.setBrush(START.lighter(130))
                p.drawRect(rect)
                p.setBrush(QBrush(START.darker(130), Qt.BrushStyle.BDiagPattern))
                p.drawRect(rect)
            if row.latest is not None:
                rect = QRectF(
                    track.left(),
                    track.top() + 4 + bar_h,
                    self._x(track, row.latest) - track.left(),
                    bar_h,
                )
                colour = tone_colour(row.tone)
                p.setPen(QPen(colour.darker(130), 1))
                p.setBrush(colour)
                p.drawRect(rect)
            p.setFont(bold)
            p.setPen(INK)
            p.drawText(
                QRectF(0, track.top() - 4, label_w - 10, track.height() + 8),
                int(
                    Qt.AlignmentFlag.AlignRight
                    | Qt.AlignmentFlag.AlignVCenter
                    | Qt.TextFlag.TextWordWrap
                ),
                row.label,
            )
            p.setFont(self.font())
            text = self._num(row.latest)
            if row.start is not None:
                text = f"{self._num(row.start)} → {text}"
            if row.change_text:
                text += f"  ({row.change_text})"
            p.drawText(
                QRectF(track.right() + 10, track.top(), value_w, track.height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
            self._spots.append((QRectF(0, y, self.width(), self.ROW), f"{row.label}\n{text}"))
        # scale under the last row
        y = 6 + len(self.rows) * self.ROW - 8
        track = QRectF(left, y, width, 10)
        small = self._font(-1)
        p.setFont(small)
        p.setPen(MUTED)
        step = nice_top(self.scale_max - self.scale_min, 10)[1]
        value = self.scale_min
        while value <= self.scale_max + 1e-9:
            x = self._x(track, value)
            p.drawText(
                QRectF(x - 20, y, 40, fm.height()),
                int(Qt.AlignmentFlag.AlignHCenter),
                self._num(value),
            )
            value += step
        self._legend(p, fm, left, y + fm.height() + 6)
        p.end()

    def _legend(self, p: QPainter, fm: QFontMetricsF, x: float, y: float) -> None:
        if not any(r.start is not None for r in self.rows):
            return
        p.setFont(self.font())
        for name, hatched in ((self.names[0], True), (self.names[1], False)):
            box = QRectF(x, y + 2, 18, 12)
            if hatched:
                p.setPen(QPen(START.darker(120), 1))
                p.setBrush(START.lighter(130))
                p.drawRect(box)
                p.setBrush(QBrush(START.darker(130), Qt.BrushStyle.BDiagPattern))
                p.drawRect(box)
            else:
                p.setPen(QPen(ACCENT.darker(130), 1))
                p.setBrush(QBrush(QColor(TONES["green"])))
                p.drawRect(box.adjusted(0, 0, -9, 0))
                p.setBrush(QBrush(QColor(TONES["yellow"])))
                p.drawRect(box.adjusted(9, 0, 0, 0))
            p.setPen(INK)
            p.drawText(QPointF(x + 24, y + fm.ascent()), name)
            x += 24 + fm.horizontalAdvance(name) + 26
