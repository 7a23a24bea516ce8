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
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from sosku_desktop.documents.chart_scale import nice_top
from sosku_desktop.ui.shell import theme
from sosku_desktop.ui.shell.theme import Role

Formatter = Callable[[float], str]

#: Calm colours; traffic lights are soft so a chart does not shout at the client.
#: These are live theme roles: the theme updates them in place when it is applied.
INK = theme.live(Role.CHART_INK)
MUTED = theme.live(Role.CHART_MUTED)
GRID = theme.live(Role.CHART_GRID)
ACCENT = theme.live(Role.CHART_ACCENT)
ACCENT_PALE = theme.live(Role.CHART_ACCENT_PALE)
START = theme.live(Role.CHART_START)
TONES = {
    "red": theme.live(Role.TONE_RED),
    "yellow": theme.live(Role.TONE_YELLOW),
    "green": theme.live(Role.TONE_GREEN),
}
_TONE_ROLES = {"red": (Role.TONE_RED, 46), "yellow": (Role.TONE_YELLOW, 48)}
_TONE_ROLES["green"] = (Role.TONE_GREEN, 44)


def plain_number(value: float) -> str:
    return f"{value:g}"


def tone_colour(tone: str | None, soft: bool = False) -> QColor:
    """A traffic-light colour, or the accent when the instrument has no bands."""
    if soft:
        role, alpha = _TONE_ROLES.get(tone or "", (Role.CHART_ACCENT_PALE, 255))
        return theme.with_alpha(role, alpha)
    return QColor(TONES.get(tone or "", ACCENT))


class ChartBase(QWidget):
    """Shared tooltip handling: painting records (rect, text) hot spots."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._spots: list[tuple[QRectF, str]] = []
        self._cut: list[str] = []
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

    def clipped_labels(self) -> list[str]:
        """Texts the last paint could not show whole (elided or wider than their room).

        The layout tests ask this: painted texts are no widgets, so the generic
        clipped-control check cannot see them.
        """
        return list(self._cut)

    def _draw_wrapped(self, p: QPainter, rect: QRectF, flags: int, text: str) -> None:
        """``text`` in ``rect``, broken at spaces; a text that still does not fit is
        noted (``clipped_labels``)."""
        fm = QFontMetricsF(p.font())
        wrap = flags | int(Qt.TextFlag.TextWordWrap)
        needed = fm.boundingRect(QRectF(0, 0, rect.width(), 1 << 16), wrap, text)
        if needed.width() > rect.width() + 1 or needed.height() > rect.height() + 1:
            self._cut.append(text)
        p.drawText(rect, wrap, text)

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


class BarChart(ChartBase):
    """Bars per category, one or more series, axis from 0, values on the bars."""

    def __init__(self, parent: QWidget | None = None, *, horizontal: bool = False) -> None:
        super().__init__(parent)
        self.horizontal = horizontal
        self.categories: list[str] = []
        self.series: list[Series] = []
        self.value_text: Formatter = plain_number
        self.axis_text: Formatter = plain_number
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
        value_text: Formatter = plain_number,
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

    def _row_height(self, width: int | None = None) -> float:
        """A bar row: room for the bars, and for the category's lines at ``width``."""
        bars = 10 + 20 * max(1, len(self.series))
        if not self.horizontal or not self.categories:
            return bars
        fm = QFontMetricsF(self.font())
        room = self._label_room(self.width() if width is None else width) - 8
        wrap = int(Qt.TextFlag.TextWordWrap)
        lines = max(
            fm.boundingRect(QRectF(0, 0, room, 1 << 16), wrap, c).height() for c in self.categories
        )
        return max(bars, lines + 6)

    def _label_room(self, width: int) -> float:
        """The category column of a horizontal chart: the longest name on one line when
        it takes at most 42 % of ``width``, else names wrap at spaces (never narrower
        than their longest word)."""
        fm = QFontMetricsF(self.font())
        widest = max((fm.horizontalAdvance(c) for c in self.categories), default=0) + 12
        word = max((fm.horizontalAdvance(w) for c in self.categories for w in c.split()), default=0)
        return min(widest, max(width * 0.42, word + 12))

    def _axis_height(self) -> int:
        legend = 26 if len(self.series) > 1 else 0
        return int(QFontMetricsF(self._font(-1)).height()) + 12 + legend

    def hasHeightForWidth(self) -> bool:
        return self.horizontal

    def heightForWidth(self, width: int) -> int:
        if not self.horizontal:
            return super().heightForWidth(width)
        return int(len(self.categories) * self._row_height(width) + self._axis_height())

    def sizeHint(self) -> QSize:
        if self.horizontal:
            return QSize(420, self.heightForWidth(max(self.width(), 420)))
        return QSize(480, 240)

    def minimumSizeHint(self) -> QSize:
        if not self.horizontal:
            return QSize(220, 180)
        fm = QFontMetricsF(self.font())
        word = max((fm.horizontalAdvance(w) for c in self.categories for w in c.split()), default=0)
        width = max(220, int(word + 12 + 120))  # the longest word, and room for the bars
        return QSize(width, self.heightForWidth(max(self.width(), width)))

    def _top(self) -> tuple[float, float]:
        highest = max([v for s in self.series for v in s.values] + [self.reference or 0, 0])
        if self.value_max:
            return self.value_max, nice_top(self.value_max, 5, self.integers)[1]
        return nice_top(highest * 1.1 if highest else 1, 5, self.integers)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._spots, self._cut = [], []
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
        widest = max(fm.horizontalAdvance(c) for c in self.categories) + 6
        every = max(1, math.ceil(widest / group_w))  # a name under every n-th group
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
            if i % every:
                continue  # no room for every month's name: every n-th (all in the tooltips)
            p.setPen(MUTED if i in self.dimmed else INK)
            room = group_w * every
            centre = plot.left() + group_w * (i + 0.5)
            shown = fm.elidedText(category, Qt.TextElideMode.ElideRight, room)
            if shown != category:
                self._cut.append(category)
            p.drawText(
                QRectF(centre - room / 2, plot.bottom() + 3, room, fm.height() + 4),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                shown,
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
        label_w = self._label_room(self.width())
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
            self._draw_wrapped(
                p,
                QRectF(0, plot.top() + row_h * i, label_w - 8, row_h),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                category,
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


class MeterList(ChartBase):
    """Horizontal meters, one per row; overfull meters show the overflow in red.

    A row's name and figures share a line when both fit; otherwise the name
    wraps and the figures go under it (at 150 % text a group's name and
    "4 / 6 (67 %)" once overlapped), so the list is as tall as its width needs.
    """

    TRACK = 14

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Meter] = []
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_rows(self, rows: Sequence[Meter]) -> None:
        self.rows = list(rows)
        self.setAccessibleDescription("; ".join(f"{r.label}: {r.text}" for r in self.rows))
        self.updateGeometry()
        self.update()

    def _text_rects(self, row: Meter, width: float) -> tuple[QRectF, QRectF]:
        """Where a row's name and figures go (from the row's top), side by side or not."""
        fm = QFontMetricsF(self.font())
        text_w = fm.horizontalAdvance(row.text) + 2
        if fm.horizontalAdvance(row.label) + text_w + 16 <= width:
            return QRectF(2, 0, width - text_w - 16, fm.height()), QRectF(
                width - text_w, 0, text_w, fm.height()
            )
        wrap = int(Qt.TextFlag.TextWordWrap)
        name_h = fm.boundingRect(QRectF(0, 0, width, 1 << 16), wrap, row.label).height()
        figures_h = fm.boundingRect(QRectF(0, 0, width, 1 << 16), wrap, row.text).height()
        return QRectF(2, 0, width, name_h), QRectF(2, name_h, width, figures_h)

    def _row_heights(self, width: float) -> list[float]:
        return [self._text_rects(r, width)[1].bottom() + 4 + self.TRACK + 10 for r in self.rows]

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return int(sum(self._row_heights(width - 4))) + 6

    def sizeHint(self) -> QSize:
        return QSize(380, self.heightForWidth(max(self.width(), 380)))

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.heightForWidth(max(self.width(), 200)))

    def paintEvent(self, event: QPaintEvent) -> None:
        self._spots, self._cut = [], []
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = self.width() - 4
        y = 2.0
        for row, height in zip(self.rows, self._row_heights(width), strict=True):
            name, figures = self._text_rects(row, width)
            p.setFont(self.font())
            p.setPen(INK)
            self._draw_wrapped(p, name.translated(0, y), int(Qt.AlignmentFlag.AlignLeft), row.label)
            p.setPen(MUTED)
            self._draw_wrapped(
                p, figures.translated(0, y), int(Qt.AlignmentFlag.AlignRight), row.text
            )
            track = QRectF(2, y + figures.bottom() + 4, width - 2, self.TRACK)
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
            self._spots.append((QRectF(0, y, self.width(), height), f"{row.label}\n{row.text}"))
            y += height
        p.end()


# --- self-assessment: radar and area bars ---------------------------------------------
