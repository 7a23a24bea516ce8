"""The calendar's cards: one entry of a day, its clickable card, and a day's column.

Every card, day column and legend swatch takes its look from one style
sheet set on the page (``card_sheet``), chosen by object names and
properties ("card", "today", "weekend"): a sheet per widget made a busy
week slow to show, since each one re-styles the widget and all below it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, time

from PySide6.QtCore import QEvent, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.ui.shell import theme
from sosku_desktop.ui.shell.theme import Role

#: Card colours (accent, background) per kind of entry.
STYLES = {
    "planned": (Role.CAL_PLANNED, Role.CAL_PLANNED_BG),
    "realised": (Role.CAL_REALISED, Role.CAL_REALISED_BG),
    "cancelled": (Role.CAL_CANCELLED, Role.CAL_CANCELLED_BG),
    "session": (Role.CAL_SESSION, Role.CAL_SESSION_BG),
    "key_date": (Role.CAL_KEY_DATE, Role.CAL_KEY_DATE_BG),
}


@dataclass(frozen=True)
class WeekEntry:
    """One card in a day column."""

    kind: str  # "meeting", "session" or "key_date" (row_id is then the client's id)
    row_id: str
    day: date
    start: time | None
    end: time | None
    title: str
    subtitle: str
    style: str


#: The page's own rules besides the cards': day columns, their headers, the legend.
PAGE_RULES = """
QFrame#dayColumn { background: $CARD; border: 1px solid $BORDER; border-radius: 6px; }
QFrame#dayColumn[weekend="true"] { background: $WEEKEND_BG; }
QFrame#dayColumn QScrollArea, QFrame#dayColumn QScrollArea > QWidget > QWidget {
    background: transparent; }
QLabel#dayHeader { color: $TEXT; font-weight: 600; padding: 2px 2px 6px 2px;
    border-bottom: 2px solid $BORDER; }
QLabel#dayHeader[today="true"] { color: $CAL_PLANNED; font-weight: 700;
    border-bottom: 2px solid $CAL_PLANNED; }
QLabel#calendarWeek { font-size: $FONT_SUBTITLE; font-weight: 600; }
QLabel#calendarRange { color: $MUTED; font-size: $FONT_LARGE; }
"""


#: Lines break only between words (a space, or the zero-width space after a time's
#: dash); a word wider than the card is elided first (``fit_words``), never broken.
WRAP = QTextOption(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
WRAP.setWrapMode(QTextOption.WrapMode.WordWrap)

#: Where a line may break: after a space or a zero-width space.
BREAKS = (" ", "\u200b")
_WORDS = re.compile("([ \u200b])")
#: A lone separator ("Kotikäynti · suunniteltu", "Saattaminen / yhdessä") stays on
#: the line of the word before it: alone on a line of its own it read as an item.
_SEPARATOR = re.compile(" ([·/]) ")


def fit_words(text: str, font: QFont, width: int) -> str:
    """``text`` with every word wider than ``width`` elided ("Korhon…"): breaking inside
    a word in a narrow day ("Korhon" / "en") read as two words. The whole text stays
    in the card's tooltip and accessible name."""
    metrics = QFontMetricsF(font)
    parts = _WORDS.split(text)
    return "".join(
        metrics.elidedText(part, Qt.TextElideMode.ElideRight, width)
        if part not in BREAKS and metrics.horizontalAdvance(part) > width
        else part
        for part in parts
    )


def _wrapped_lines(text: str, font: QFont, width: int) -> list[tuple[float, float]]:
    """(height, natural width) of each line of ``text`` in ``font`` wrapped as ``WRAP``
    wraps it at ``width``."""
    layout = QTextLayout(text, font)
    layout.setTextOption(WRAP)
    layout.beginLayout()
    lines = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append((line.height(), line.naturalTextWidth()))
    layout.endLayout()
    return lines


def wrapped_height(text: str, font: QFont, width: int) -> int:
    """The height ``text`` takes in ``font`` wrapped as ``WRAP`` wraps it at ``width``."""
    return math.ceil(sum(height for height, _ in _wrapped_lines(text, font, width)))


def widest_line(text: str, font: QFont, width: int) -> float:
    """The widest line of ``text`` wrapped at ``width`` (wider than ``width``: cut off)."""
    return max((wide for _, wide in _wrapped_lines(text, font, width)), default=0.0)


def card_sheet() -> str:
    """The look of the page's labels, day columns and legend swatches (set once on the
    page; the cards paint themselves in the same colours)."""
    rules = [PAGE_RULES]
    for kind, (accent_role, background_role) in STYLES.items():
        accent, background = theme.css(accent_role), theme.css(background_role)
        rules.append(
            f'QLabel#legendSwatch[card="{kind}"] {{ background: {background};'
            f" border: 1px solid {accent}; border-left: 4px solid {accent}; border-radius: 2px; }}"
        )
    return theme.sheet("\n".join(rules))


class EventCard(QWidget):
    """A clickable, focusable card; Enter or a click opens what it shows.

    One widget that paints its three lines (time; client or group; kind and
    status) in the kind's colours, with the accent bar on the left and a frame
    when focused: three styled labels in a framed layout per card made a whole
    team's week slow to build. Cancelled entries are struck through.
    """

    activated = Signal()

    #: Inside the card: left (the 4 px accent bar and 8 px), top, right, bottom.
    MARGINS = (12, 5, 6, 6)
    BAR = 4
    RADIUS = 4.0

    def __init__(self, entry: WeekEntry, when: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.when_text, self.title_text, self.subtitle_text = when, entry.title, entry.subtitle
        self.setObjectName("eventCard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        lines = self.painted_texts()
        self.setToolTip("\n".join(lines))
        self.setAccessibleName(", ".join(lines))  # what a screen reader says on focus
        self._heights: tuple[int, int] = (-1, 0)  # (width, height) last computed

    def painted_texts(self) -> list[str]:
        """The lines the card paints (no labels to read them from: tests, checks)."""
        return [t for t in (self.when_text, self.title_text, self.subtitle_text) if t]

    def painted_lines(self) -> list[tuple[str, QFont, QColor]]:
        """Each painted line's text, font and colour (the accessibility walk checks the
        contrast of what no label shows)."""
        return [(text, font, colour) for text, font, colour, _h in self._blocks(self.width())]

    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        """The time's (small, semi-bold), the title's (body) and the subtitle's (small)."""
        struck = self.entry.style == "cancelled"
        title = QFont(self.font())
        title.setStrikeOut(struck)
        small = QFont(self.font())
        small.setPointSizeF(theme.point_size("SMALL"))
        when = QFont(small)
        when.setWeight(QFont.Weight.DemiBold)
        small.setStrikeOut(struck)
        return when, title, small

    def _blocks(self, width: int) -> list[tuple[str, QFont, QColor, int]]:
        """Each shown line: text, font, colour and its height at ``width``. Every line
        wraps between words, and a word longer than a narrow day is elided (at 1024×600
        with large text a day is ~90 px: "10.00–11.00" and "Kävelyryhmä" were cut off
        at the right, then broken inside, "Korhon" / "en")."""
        inner = max(1, width - self.MARGINS[0] - self.MARGINS[2])
        accent = theme.colour(STYLES[self.entry.style][0])
        # "10.00–11.00" breaks after its dash ("10.00–" / "11.00"), not at "11.0" / "0"
        when = self.when_text.replace("–", "–\u200b")
        lines = zip(
            (when, self.title_text, _SEPARATOR.sub("\u00a0\\1 ", self.subtitle_text)),
            self._fonts(),
            (accent, theme.colour(Role.TEXT), theme.colour(Role.MUTED)),
            strict=True,
        )
        fitted = [(fit_words(text, font, inner), font, colour) for text, font, colour in lines]
        return [
            (text, font, colour, wrapped_height(text, font, inner))
            for text, font, colour in fitted
            if text
        ]

    def cut_lines(self) -> list[str]:
        """The painted lines wider than the card (none: each wraps to fit)."""
        inner = max(1, self.width() - self.MARGINS[0] - self.MARGINS[2])
        return [
            text
            for text, font, _colour, _h in self._blocks(self.width())
            if widest_line(text, font, inner) > inner + 0.5
        ]

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        if self._heights[0] != width:
            blocks = self._blocks(width)
            text = sum(b[3] for b in blocks) + max(0, len(blocks) - 1)  # 1 px apart
            self._heights = (width, text + self.MARGINS[1] + self.MARGINS[3])
        return self._heights[1]

    def sizeHint(self) -> QSize:
        width = self.width() if self.width() > 1 else 160
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.heightForWidth(max(1, self.width())))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._heights = (-1, 0)
            self.updateGeometry()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        accent_role, background_role = STYLES[self.entry.style]
        accent = theme.colour(accent_role)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        outline = QPainterPath()
        outline.addRoundedRect(QRectF(self.rect()), self.RADIUS, self.RADIUS)
        painter.fillPath(outline, theme.colour(background_role))
        painter.setClipPath(outline)
        painter.fillRect(QRect(0, 0, self.BAR, self.height()), accent)
        if self.hasFocus():  # the keyboard's place: a frame in the accent colour
            painter.setPen(QPen(accent, 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 3, 3)
        painter.setClipping(False)
        left, top, right, _bottom = self.MARGINS
        width = self.width() - left - right
        y = top
        for text, font, colour, height in self._blocks(self.width()):
            painter.setFont(font)
            painter.setPen(colour)
            box = QRectF(left, y, width, height)
            painter.setClipRect(box)
            painter.drawText(box, text, WRAP)
            y += height + 1
        painter.end()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.activated.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit()
            return
        super().keyPressEvent(event)


class DayColumn(QFrame):
    """One day: a header and the day's cards, scrolling when the day is full."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayColumn")
        self.header = QLabel()
        self.header.setObjectName("dayHeader")
        self._look: tuple[bool, bool] | None = None
        self.header.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # "ma 23.11." breaks after the weekday when seven columns are narrow (1024×600
        # with large text): on one line the week was wider than the page.
        self.header.setWordWrap(True)
        self.body = QWidget()
        self.cards = QVBoxLayout(self.body)
        self.cards.setContentsMargins(0, 0, 0, 0)
        self.cards.setSpacing(6)
        self.cards.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(self.body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Tab goes card to card: the scroll area itself was a silent stop of its own
        # (seven a week before the first card); it still scrolls a focused card into view.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.header)
        layout.addWidget(scroll, 1)

    def show_day(self, title: str, is_today: bool, weekend: bool) -> None:
        self.header.setText(title)
        # The look is the page sheet's, by property: re-styled only when it changes.
        if (is_today, weekend) == self._look:
            return
        self._look = (is_today, weekend)
        self.header.setProperty("today", is_today)
        self.setProperty("weekend", weekend)
        for widget in (self, self.header):
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def set_cards(self, cards: list[QWidget]) -> None:
        while self.cards.count() > 1:
            item = self.cards.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        for position, card in enumerate(cards):
            self.cards.insertWidget(position, card)

    def card_widgets(self) -> list[EventCard]:
        found = []
        for i in range(self.cards.count()):
            item = self.cards.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, EventCard):
                found.append(widget)
        return found
