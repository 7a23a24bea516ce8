"""QPainter charts of the self-assessment: a radar and start-vs-latest area bars.

Drawn by hand like the report charts (``ui.charts``, whose palette and
rules they share): scales start at the instrument's minimum, numbers are
written on the chart and repeated in tooltips, start and latest differ by
pattern as well as tone, and each chart describes itself for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QWidget

from sosku_desktop.documents.assessment_text import score_text
from sosku_desktop.documents.chart_scale import nice_top
from sosku_desktop.i18n import DEFAULT_LANGUAGE
from sosku_desktop.ui.widgets.charts import (
    ACCENT,
    GRID,
    INK,
    MUTED,
    START,
    TONES,
    ChartBase,
    tone_colour,
)

_LABEL_FLAGS = Qt.TextFlag.TextWordWrap


@dataclass(frozen=True)
class Zone:
    """A traffic-light band drawn from ``start`` up to ``stop`` (the next band's start)."""

    start: float
    stop: float
    tone: str
    label: str = ""


class RadarChart(ChartBase):
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
        # Wide enough for the area names on both sides in the (OS-sized) font.
        fm = QFontMetricsF(self._font(0, bold=True))
        widest = max((fm.horizontalAdvance(w) for t in self.labels for w in t.split()), default=0)
        self.setMinimumSize(max(320, int(2 * (widest + 16) + 160)), 300)
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
        # The radius is what is left once every area name fits inside the widget
        # in the (OS-sized, maybe 150 %) font: names are never cut at the edges.
        area = QRectF(0, 0, self.width(), self.height() - legend_h)
        centre = QPointF(area.center().x(), area.center().y() + 4)
        sizes = self._label_sizes()
        radius = max(40.0, self._fit_radius(area, centre, sizes))
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

    def _label_text(self, i: int) -> str:
        before = "" if self.start is None else f"{self._num(self.start[i])} → "
        return f"{self.labels[i]}\n{before}{self._num(self.latest[i])}"

    def _label_sizes(self) -> list[QSizeF]:
        """Each name with its scores, wrapped at a third of the width (never inside a word)."""
        fm = QFontMetricsF(self._font(0, bold=True))
        cap = max(80.0, self.width() * 0.3)
        sizes = []
        for i in range(len(self.labels)):
            text = self._label_text(i)
            widest_word = max((fm.horizontalAdvance(w) for w in text.split()), default=0.0)
            natural = max(fm.horizontalAdvance(line) for line in text.split("\n"))
            width = min(natural, max(cap, widest_word)) + 2
            box = fm.boundingRect(QRectF(0, 0, width, 10_000), int(_LABEL_FLAGS), text)
            sizes.append(QSizeF(width, box.height()))
        return sizes

    def _label_rect(
        self, centre: QPointF, radius: float, i: int, size: QSizeF
    ) -> tuple[QRectF, Qt.AlignmentFlag]:
        """Where area ``i``'s name goes: beside, above or below its spoke's end."""
        angle = -math.pi / 2 + 2 * math.pi * i / len(self.labels)
        cos, sin = math.cos(angle), math.sin(angle)
        ax, ay = centre.x() + (radius + 10) * cos, centre.y() + (radius + 10) * sin
        w, h = size.width(), size.height()
        if cos > 0.3:
            return QRectF(ax, ay - h / 2, w, h), Qt.AlignmentFlag.AlignLeft
        if cos < -0.3:
            return QRectF(ax - w, ay - h / 2, w, h), Qt.AlignmentFlag.AlignRight
        top = ay - h if sin < 0 else ay
        return QRectF(ax - w / 2, top, w, h), Qt.AlignmentFlag.AlignHCenter

    def _fit_radius(self, area: QRectF, centre: QPointF, sizes: list[QSizeF]) -> float:
        """The largest radius at which every label lies inside ``area`` (bisection)."""

        def fits(radius: float) -> bool:
            return all(
                area.contains(self._label_rect(centre, radius, i, size)[0])
                for i, size in enumerate(sizes)
            )

        low, high = 0.0, min(area.width(), area.height()) / 2
        if fits(high):
            return high
        for _ in range(24):
            middle = (low + high) / 2
            low, high = (middle, high) if fits(middle) else (low, middle)
        return low

    def _labels(self, p: QPainter, centre: QPointF, radius: float, fm: QFontMetricsF) -> None:
        p.setFont(self._font(0, bold=True))
        p.setPen(INK)
        for i, size in enumerate(self._label_sizes()):
            rect, align = self._label_rect(centre, radius, i, size)
            text = self._label_text(i)
            p.drawText(rect, int(align | _LABEL_FLAGS), text)
            self._spots.append((rect, text))

    def clipped_labels(self) -> list[str]:
        """Area names (as last painted) cut by their box or by the widget's edge.

        The layout tests ask this at 150 % text: the names are painted, not
        widgets, so the generic clipped-control check cannot see them.
        """
        fm = QFontMetricsF(self._font(0, bold=True))
        inside = QRectF(self.rect()).adjusted(-1, -1, 1, 1)
        cut = []
        for rect, text in self._spots:
            needed = fm.boundingRect(rect, int(_LABEL_FLAGS), text)
            if not inside.contains(needed) or needed.width() > rect.width() + 1:
                cut.append(text.split("\n")[0])
        return cut

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


class AreaBars(ChartBase):
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
            self._paint_track(p, track, row)
            text = self._paint_texts(p, track, row, label_w, value_w)
            self._spots.append((QRectF(0, y, self.width(), self.ROW), f"{row.label}\n{text}"))
        # scale under the last row
        y = 6 + len(self.rows) * self.ROW - 8
        self._paint_scale(p, fm, QRectF(left, y, width, 10))
        self._legend(p, fm, left, y + fm.height() + 6)
        p.end()

    def _paint_track(self, p: QPainter, track: QRectF, row: AreaRow) -> None:
        """The zones behind, then the start bar (hatched) above the latest (solid)."""
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

    def _paint_texts(
        self, p: QPainter, track: QRectF, row: AreaRow, label_w: float, value_w: float
    ) -> str:
        """The area's name on the left and "start → latest (change)" on the right."""
        p.setFont(self._font(0, bold=True))
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
        return text

    def _paint_scale(self, p: QPainter, fm: QFontMetricsF, track: QRectF) -> None:
        p.setFont(self._font(-1))
        p.setPen(MUTED)
        step = nice_top(self.scale_max - self.scale_min, 10)[1]
        value = self.scale_min
        while value <= self.scale_max + 1e-9:
            x = self._x(track, value)
            p.drawText(
                QRectF(x - 20, track.top(), 40, fm.height()),
                int(Qt.AlignmentFlag.AlignHCenter),
                self._num(value),
            )
            value += step

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
