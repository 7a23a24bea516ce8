"""Layouts that give way instead of clipping: rows that stack, labels that wrap.

A small window (1024×600) or a large OS text size (150 %) must never cut a
control off. A :class:`ReflowRow` lays its widgets side by side when they
fit and one under another when they do not, so the narrowest it asks for is
its widest widget; :func:`wrap_labels` lets the texts of a panel break into
lines instead of setting the panel's minimum width.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

#: Labels that stay on one line (big figures, titles of a page).
NO_WRAP = ("bigNumber", "pageTitle", "navTitle")


class ReflowRow(QWidget):
    """A row of widgets that becomes a column when the row is too narrow for them."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(spacing)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def add(self, item: QWidget | QLayout, stretch: int = 0) -> None:
        if isinstance(item, QLayout):
            self.box.addLayout(item, stretch)
        else:
            self.box.addWidget(item, stretch)

    def add_stretch(self, stretch: int = 1) -> None:
        self.box.addStretch(stretch)

    def _items(self) -> list[QLayoutItem]:
        items = [self.box.itemAt(i) for i in range(self.box.count())]
        return [i for i in items if i is not None and not i.isEmpty()]

    def row_width(self) -> int:
        """The width the widgets need side by side."""
        widths = [i.minimumSize().width() for i in self._items()]
        return sum(widths) + self.box.spacing() * max(0, len(widths) - 1)

    def minimumSizeHint(self) -> QSize:
        items = self._items()
        width = max((i.minimumSize().width() for i in items), default=0)
        if self.box.direction() == QBoxLayout.Direction.LeftToRight:
            return QSize(width, max((i.minimumSize().height() for i in items), default=0))
        return QSize(width, self.heightForWidth(max(width, self.width())))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        """One line when the row fits ``width``, else the widgets' heights stacked."""
        items = self._items()

        def height(item: QLayoutItem, room: int) -> int:
            if item.hasHeightForWidth():
                return item.heightForWidth(room)
            return max(item.sizeHint().height(), item.minimumSize().height())

        if width >= self.row_width():  # side by side: each at about its preferred width
            return max((height(i, min(width, i.sizeHint().width())) for i in items), default=0)
        stacked = sum(height(i, width) for i in items)
        return stacked + self.box.spacing() * max(0, len(items) - 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._reflow(event.size().width())
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        """A widget's needs changed (Today's lists arrive after the page is laid out):
        side by side may no longer fit the width the row already has."""
        if event.type() == QEvent.Type.LayoutRequest:
            self._reflow(self.width())
        return super().event(event)

    def _reflow(self, width: int) -> None:
        wide = width >= self.row_width()
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.box.direction() != direction:
            self.box.setDirection(direction)
            self.box.invalidate()
            self.updateGeometry()


def wrap_labels(widget: QWidget) -> None:
    """Let every text label under ``widget`` break into lines (see ``NO_WRAP``)."""
    for child in widget.findChildren(QLabel):
        if child.objectName() not in NO_WRAP and child.pixmap().isNull() and child.text():
            child.setWordWrap(True)


def size_to_current_tab(tabs: QTabWidget | QStackedWidget) -> None:
    """Make ``tabs`` (or a stack) ask only for the room of the page on show: the others
    are ignored in the size calculation (a wide page elsewhere must not make this one
    scroll)."""

    def update(index: int) -> None:
        for i in range(tabs.count()):
            page = tabs.widget(i)
            if page is None:
                continue
            ignored = QSizePolicy.Policy.Ignored
            preferred = QSizePolicy.Policy.Preferred
            policy = preferred if i == index else ignored
            page.setSizePolicy(policy, policy)
        tabs.updateGeometry()

    tabs.currentChanged.connect(update)
    update(tabs.currentIndex())


class FlowRow(QWidget):
    """Widgets left to right, continuing on the next line when the line is full
    (a row of buttons that wraps instead of widening the page).

    A widget, not a ``QLayout`` subclass: a layout written in Python hands its items
    back and forth between Python and Qt's deletion code, which crashed the app
    when widgets were re-styled.

    The height for a width and the placement at the current width are remembered
    until a widget is added, shown, hidden or changes its size hint: Qt asks the
    same questions many times while a page settles (the whole team's Today, 20
    rows: 514 arrangements, 140 ms of a 300-ms frozen stretch).
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 8, fill: bool = False) -> None:
        super().__init__(parent)
        self._widgets: list[QWidget] = []
        self._spacing = spacing
        #: each line's widgets share the line's spare width (a row of cards)
        self._fill = fill
        self._heights: dict[int, int] = {}
        self._placed_at: int | None = None
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def addWidget(self, widget: QWidget) -> None:
        widget.setParent(self)
        widget.installEventFilter(self)
        self._widgets.append(widget)
        self._changed()

    def addLayout(self, layout: QLayout) -> None:
        holder = QWidget()
        holder.setLayout(layout)
        layout.setContentsMargins(0, 0, 0, 0)
        self.addWidget(holder)

    def addSpacing(self, size: int) -> None:
        """Nothing: items in a flow are spaced by the row's spacing."""

    def addStretch(self, stretch: int = 0) -> None:
        """Nothing: a flow is left-aligned (kept so a row can become a flow as is)."""

    def _shown(self) -> list[QWidget]:
        return [w for w in self._widgets if not w.isHidden()]

    def _changed(self) -> None:
        self._heights.clear()
        self._placed_at = None
        self.updateGeometry()
        if self.isVisible():  # a hidden row is arranged when shown (not once per widget added)
            self._arrange(self.width(), move=True)

    def showEvent(self, event: QShowEvent) -> None:
        self._arrange(self.width(), move=True)
        super().showEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self._changed()
        return False

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # a widget's size hint changed
            self._changed()
        return super().event(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(event.size().width(), move=True)
        super().resizeEvent(event)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(width, move=False)

    def sizeHint(self) -> QSize:
        shown = self._shown()
        width = sum(w.sizeHint().width() for w in shown) + self._spacing * max(0, len(shown) - 1)
        return QSize(width, max((w.sizeHint().height() for w in shown), default=0))

    def minimumSizeHint(self) -> QSize:
        shown = self._shown()
        width = max((max(w.minimumSizeHint().width(), w.minimumWidth()) for w in shown), default=0)
        return QSize(width, self._arrange(max(width, self.width()), move=False))

    def _arrange(self, width: int, move: bool) -> int:
        """Place the widgets in lines of ``width`` (when ``move``); the height they take."""
        known = self._heights.get(width)
        if known is not None and (not move or self._placed_at == width):
            return known
        height = self._lines(width, move)
        self._heights[width] = height
        if move:
            self._placed_at = width
        return height

    def _lines(self, width: int, move: bool) -> int:
        rows: list[list[tuple[QWidget, QSize]]] = [[]]
        x = 0
        for widget in self._shown():
            hint = widget.sizeHint().expandedTo(widget.minimumSizeHint())
            hint = hint.expandedTo(widget.minimumSize()).boundedTo(widget.maximumSize())
            hint = hint.boundedTo(QSize(max(widget.minimumWidth(), width, 1), 10_000))
            if x > 0 and x + hint.width() > width:
                rows.append([])
                x = 0
            rows[-1].append((widget, hint))
            x += hint.width() + self._spacing
        y = 0
        for row in rows:
            used = sum(h.width() for _w, h in row) + self._spacing * max(0, len(row) - 1)
            extra = (width - used) // len(row) if self._fill and row and width > used else 0
            sizes = [QSize(hint.width() + extra, hint.height()) for _w, hint in row]
            for (widget, _hint), size in zip(row, sizes, strict=True):
                if self._fill and widget.hasHeightForWidth():
                    size.setHeight(max(size.height(), widget.heightForWidth(size.width())))
            line = max((size.height() for size in sizes), default=0)
            x = 0
            for (widget, _hint), size in zip(row, sizes, strict=True):
                if self._fill:
                    size.setHeight(line)  # a line of cards, all as tall as the tallest
                if move:
                    widget.setGeometry(QRect(QPoint(x, y), size))
                x += size.width() + self._spacing
            y += line + self._spacing
        return max(0, y - self._spacing)


def flow(*widgets: QWidget, spacing: int = 8) -> FlowRow:
    """Widgets in a :class:`FlowRow` (like ``common.row`` but wrapping)."""
    row = FlowRow(spacing=spacing)
    for widget in widgets:
        row.addWidget(widget)
    return row
