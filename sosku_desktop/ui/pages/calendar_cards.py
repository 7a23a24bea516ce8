"""The calendar's cards: one entry of a day, its clickable card, and a day's column.

Every card takes its look from one style sheet set on the page
(``card_sheet``), chosen by the card's "card" property: a sheet per card
made a busy week slow to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
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


def card_sheet() -> str:
    """The style of every event card, per kind (set once on the page)."""
    rules = ["QFrame#eventCard QLabel { background: transparent; border: none; }"]
    for kind, (accent_role, background_role) in STYLES.items():
        accent, background = theme.css(accent_role), theme.css(background_role)
        struck = " text-decoration: line-through;" if kind == "cancelled" else ""
        rules += [
            f'QFrame#eventCard[card="{kind}"] {{ background: {background}; border: none;'
            f" border-left: 4px solid {accent}; border-radius: 4px; }}",
            f'QFrame#eventCard[card="{kind}"]:focus {{ border: 2px solid {accent};'
            f" border-left: 4px solid {accent}; }}",
            f'QLabel#cardWhen[card="{kind}"] {{ color: {accent}; font-weight: 600;'
            " font-size: $FONT_SMALL; }",
            f'QLabel#cardTitle[card="{kind}"] {{ color: $TEXT;{struck} }}',
            f'QLabel#cardSubtitle[card="{kind}"] {{ color: $MUTED;'
            f" font-size: $FONT_SMALL;{struck} }}",
        ]
    return theme.sheet("\n".join(rules))


class EventCard(QFrame):
    """A clickable, focusable card; Enter or a click opens what it shows."""

    activated = Signal()

    def __init__(self, entry: WeekEntry, when: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        # The look comes from the page's one style sheet (``card_sheet``), chosen by the
        # "card" property: a style sheet per card made a busy week slow to show.
        self.setObjectName("eventCard")
        self.setProperty("card", entry.style)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 5, 6, 6)
        layout.setSpacing(1)
        self.when = QLabel(when)
        self.title = QLabel(entry.title)
        self.title.setWordWrap(True)
        self.subtitle = QLabel(entry.subtitle)
        self.subtitle.setWordWrap(True)
        for name, text_label in (
            ("cardWhen", self.when),
            ("cardTitle", self.title),
            ("cardSubtitle", self.subtitle),
        ):
            text_label.setObjectName(name)
            text_label.setProperty("card", entry.style)
        for label in (self.when, self.title, self.subtitle):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            layout.addWidget(label)
        self.subtitle.setVisible(bool(entry.subtitle))
        self.setToolTip("\n".join(t for t in (when, entry.title, entry.subtitle) if t))

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
        self._look: tuple[bool, bool] | None = None
        self.header.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
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
        scroll.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.header)
        layout.addWidget(scroll, 1)

    def show_day(self, title: str, is_today: bool, weekend: bool) -> None:
        self.header.setText(title)
        # A new style sheet re-styles every card below, so it is set only when the
        # day's look changes (today, the weekend), not for every week shown.
        if (is_today, weekend) == self._look:
            return
        self._look = (is_today, weekend)
        colour = "$CAL_PLANNED" if is_today else "$TEXT"
        weight = 700 if is_today else 600
        theme.style(
            self.header,
            f"color: {colour}; font-weight: {weight}; padding: 2px 2px 6px 2px;"
            f" border-bottom: 2px solid {'$CAL_PLANNED' if is_today else '$BORDER'};",
        )
        background = "$WEEKEND_BG" if weekend else "$CARD"
        theme.style(
            self,
            f"QFrame#dayColumn {{ background: {background}; border: 1px solid $BORDER;"
            " border-radius: 6px; }",
        )

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
