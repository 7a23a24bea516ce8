"""Finding clipped controls: a widget squeezed below its minimum size, or cut off by a parent.

A control is *clipped* when it is visible and either narrower/lower than its own
``minimumSizeHint`` (its text or frame no longer fits) or partly outside a parent
that is not a scrolling viewport (the part outside is never drawn and cannot be
reached). Inside a scroll area being outside the viewport is fine: it scrolls.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QTabBar,
    QTextEdit,
    QWidget,
)

from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow

CONTROLS = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QTabBar,
    QLabel,
)


def _describe(widget: QWidget) -> str:
    text = ""
    for attr in ("text", "accessibleName", "placeholderText"):
        value = getattr(widget, attr, None)
        if callable(value):
            text = str(value() or "")
            if text:
                break
    return f"{type(widget).__name__}#{widget.objectName()} {text[:30]!r}"


def _is_scroll_viewport(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    return isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget


def clipped_controls(root: QWidget, slack: int = 2) -> list[str]:
    """Every visible control under ``root`` that is squeezed or cut off (see module doc)."""
    found: list[str] = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QHeaderView) or isinstance(widget.parentWidget(), QTabBar):
            continue  # a header sizes to its view; a tab bar's scroll arrows are its own
        if not widget.isVisible() or widget.width() <= 0:
            continue
        if isinstance(widget, QLabel) and not widget.text():
            continue
        policy = widget.sizePolicy()
        # A widget at its own preferred size is never squeezed (a styled combo box
        # reports a minimum a few pixels taller than its preferred height).
        hint = widget.minimumSizeHint().boundedTo(widget.sizeHint())
        ignored = QSizePolicy.Policy.Ignored
        squeezed_w = (
            policy.horizontalPolicy() != ignored
            and not (isinstance(widget, QLabel) and widget.wordWrap())
            and widget.width() + slack < min(hint.width(), widget.maximumWidth())
        )
        squeezed_h = (
            policy.verticalPolicy() != ignored
            # 4 px: a styled combo box is laid out a few pixels lower than it reports
            and widget.height() + max(slack, 4) < min(hint.height(), widget.maximumHeight())
        )
        if squeezed_w or squeezed_h:
            found.append(
                f"{_describe(widget)} squeezed {widget.width()}x{widget.height()}"
                f" < {hint.width()}x{hint.height()}"
            )
            continue
        cut = _cut_by(widget, root, slack)
        if cut:
            found.append(f"{_describe(widget)} cut off by {cut}")
    return found


def cut_texts(root: QWidget, slack: int = 2) -> list[str]:
    """Visible wrapped labels under ``root`` laid out lower than their text needs at their
    width (``clipped_controls`` cannot tell: a wrapped label's minimum height is one line).

    Below a scroll area's edge is fine (it scrolls); a label squeezed is not.
    """
    found = []
    for lab in root.findChildren(QLabel):
        if not lab.isVisible() or not lab.wordWrap() or not lab.text():
            continue
        needed = lab.heightForWidth(lab.width())
        if lab.height() + slack < needed:
            found.append(f"{_describe(lab)}: {lab.height()} < {needed}")
    return found


def _cut_by(widget: QWidget, root: QWidget, slack: int) -> str:
    rect = QRect(widget.rect())
    child: QWidget = widget
    parent = widget.parentWidget()
    while parent is not None:
        rect.translate(child.pos())
        if _is_scroll_viewport(parent):
            return ""
        inner = parent.rect().adjusted(-slack, -slack, slack, slack)
        if not inner.contains(rect):
            return _describe(parent)
        if parent is root or parent.isWindow():
            return ""
        child, parent = parent, parent.parentWidget()
    return ""


@contextmanager
def themed(text_scale: float = 1.0) -> Iterator[QApplication]:
    """The real theme applied (at ``text_scale`` × the OS text size), then taken off again."""
    from PySide6.QtGui import QColor, QFont, QPalette

    from sosku_desktop.ui.shell import theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    palette, font, sheet = QPalette(app.palette()), QFont(app.font()), app.styleSheet()
    theme.forget_os_settings()
    theme.apply(app, high_contrast=False, text_scale=text_scale)
    try:
        yield app
    finally:
        theme.forget_os_settings()
        theme._State.colours = {role: QColor(role.light) for role in theme.Role}
        app.setStyleSheet(sheet)
        app.setPalette(palette)
        app.setFont(font)


def settle(rounds: int = 4) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


def sideways_scrolling(root: QWidget) -> list[str]:
    """Scroll areas under ``root`` that scroll sideways (a page wider than the window)."""
    from PySide6.QtWidgets import QScrollArea

    found = [
        f"{type(a).__name__}#{a.objectName()}"
        for a in root.findChildren(QScrollArea)
        if a.isVisible() and a.horizontalScrollBar().isVisible() and a.objectName() not in PICTURES
    ]
    # With its sideways bar off, content wider than the viewport is simply cut off
    # (a row's button half drawn, out of reach of the mouse).
    found += [
        f"{type(a).__name__}#{a.objectName()} cuts its content {a.widget().width()}"
        f" > {a.viewport().width()}"
        for a in root.findChildren(QScrollArea)
        if a.isVisible()
        and a.widget() is not None
        and a.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        and a.widget().width() > a.viewport().width() + 2
    ]
    # A table scrolled sideways hides columns (at 1024×600 the attendance sheet hid
    # the names the marks belong to).
    found += [
        f"{type(v).__name__}#{v.objectName()} scrolls sideways"
        for v in root.findChildren(QAbstractItemView)
        if v.isVisible() and v.horizontalScrollBar().isVisible()
    ]
    return found


def painted_cut(root: QWidget) -> list[str]:
    """Texts a shown chart painted cut (elided, or wider than their room): charts paint
    their labels, so the generic check cannot see them (each is painted here at its
    present size first)."""
    from sosku_desktop.ui.widgets.charts import ChartBase

    found = []
    for chart in root.findChildren(ChartBase):
        if chart.isVisible():
            chart.grab()
            found += [f"{type(chart).__name__} label {t!r} cut" for t in chart.clipped_labels()]
    return found


def broken_words(root: QWidget) -> list[str]:
    """Painted lines a shown calendar card broke inside a word: at 1024×600 with large
    text a narrow day read "Korhon" / "en". Each line is laid out as the card wraps it
    (``calendar_cards.WRAP``) at the card's inner width; a break must fall at a space
    or after the zero-width space a time's dash carries."""
    from PySide6.QtGui import QTextLayout

    from sosku_desktop.ui.pages.calendar_cards import WRAP, EventCard

    found = []
    for card in root.findChildren(EventCard):
        if not card.isVisible():
            continue
        inner = max(1, card.width() - card.MARGINS[0] - card.MARGINS[2])
        for text, font, _colour in card.painted_lines():
            layout = QTextLayout(text, font)
            layout.setTextOption(WRAP)
            layout.beginLayout()
            while (line := layout.createLine()).isValid():
                line.setLineWidth(inner)
                end = line.textStart() + line.textLength()
                between = " " in (text[end - 1 : end], text[end : end + 1])
                if 0 < end < len(text) and not between and text[end - 1] != "\u200b":
                    found.append(f"EventCard breaks {text[line.textStart() : end]!r}")
            layout.endLayout()
    return found


def cut_names(root: QWidget, rows: int = 30) -> list[str]:
    """Tables whose first shown column (the one that names the row: a client, a date)
    cuts its text: at 1024×600 with large text the client list showed "Ande…"."""
    from PySide6.QtWidgets import QTableView

    found = []
    for view in root.findChildren(QTableView):
        model = view.model()
        if not view.isVisible() or model is None or model.rowCount() == 0:
            continue
        header = view.horizontalHeader()
        column = next(
            (
                header.logicalIndex(i)
                for i in range(header.count())
                if not header.isSectionHidden(header.logicalIndex(i))
            ),
            None,
        )
        if column is None:
            continue
        room = view.columnWidth(column) - 2 * (
            view.style().pixelMetric(view.style().PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        )
        wrap = int(Qt.TextFlag.TextWordWrap)
        for row in range(min(rows, model.rowCount())):
            text = str(model.index(row, column).data() or "")
            if view.wordWrap() and " " in text:  # broken into lines: is the row tall enough?
                lines = view.fontMetrics().boundingRect(QRect(0, 0, room, 1 << 16), wrap, text)
                fits = lines.width() <= room and lines.height() <= view.rowHeight(row)
            else:
                fits = view.fontMetrics().horizontalAdvance(text) <= room
            if not fits:
                found.append(
                    f"{type(view).__name__}#{view.objectName()} cuts {text!r} to {room} px"
                )
                break
    return found


#: Scroll areas showing a picture of a printed page: those may be wider than the window.
PICTURES = ("documentPreview",)


def walk_views(window: MainWindow, ctx: AppContext) -> Iterator[str]:
    """Show every main view in turn (Today, Clients, a client with each tab, Groups,
    the attendance sheet, Calendar, Reports, Sync); yields the view's name when shown."""
    from sosku_desktop.ui.shell.screenshots import latest_session, showcase_client

    window.go("today")
    settle()
    yield "today"
    window.go("clients")
    window.show_client_list()
    settle()
    yield "clients"
    client_id = showcase_client(ctx)
    assert client_id is not None
    window.open_client(client_id)
    view = window.client_view
    for index in range(view.tabs.count()):
        view.tabs.setCurrentIndex(index)
        settle()
        yield f"client/{view.tabs.widget(index).objectName().removesuffix('Page')}"
    window.go("groups")
    groups = window.page_by_key["groups"]
    settle()
    yield "groups"
    session_id = latest_session(ctx)
    assert session_id is not None and groups.open_session(session_id)  # type: ignore[attr-defined]
    settle()
    yield "attendance"
    for key in ("calendar", "reports", "sync"):
        window.go(key)
        settle()
        yield key
