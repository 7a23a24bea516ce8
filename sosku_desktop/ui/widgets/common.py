"""Small building blocks shared by pages: cards, labels, field errors, progress cells.

They carry no rules; they only keep the look consistent so every page
reads the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from babel.dates import format_date as _babel_date
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop import i18n
from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.messages import display_params
from sosku_desktop.ui.shell import theme
from sosku_desktop.ui.shell.theme import Role
from sosku_desktop.ui.widgets.column_fit import FIT_ROWS as FIT_ROWS  # re-exported
from sosku_desktop.ui.widgets.column_fit import fit_columns as fit_columns  # re-exported
from sosku_desktop.ui.widgets.keys import leave_on_tab

#: Item-data role that holds a progress percentage for ``ProgressDelegate``.
PROGRESS_ROLE = int(Qt.ItemDataRole.UserRole) + 10


def label(
    text: str = "", name: str | None = None, wrap: bool = False, parent: QWidget | None = None
) -> QLabel:
    widget = QLabel(text, parent)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget


def button(text: str, primary: bool = False, link: bool = False) -> QPushButton:
    widget = QPushButton(text)
    if primary:
        widget.setProperty("primary", True)
    if link:
        widget.setProperty("link", True)
        widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


class Card(QFrame):
    """A white rounded panel with an optional title."""

    def __init__(
        self, title: str = "", parent: QWidget | None = None, expand: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 14, 16, 14)
        outer.setSpacing(8)
        self.title_label: QLabel | None = None
        if title:
            self.title_label = label(title, "sectionTitle", wrap=True)
            outer.addWidget(self.title_label)
        self.body = QVBoxLayout()
        self.body.setSpacing(6)
        outer.addLayout(self.body, 1 if expand else 0)
        if not expand:
            outer.addStretch(1)


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every item of ``layout`` (used when a list is rebuilt)."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget, child = item.widget(), item.layout()
        if widget is not None:
            # hide, keep the parent: a parentless widget would become a window of its own
            widget.hide()
            widget.deleteLater()
        elif child is not None:
            clear_layout(child)


def weekday(value: date, lang: str) -> str:
    """The weekday's name as it stands alone ("tiistai", not "tiistaina")."""
    return str(_babel_date(value, "cccc", locale=i18n.locale_of(lang))).capitalize()


def problem_text(problem: Problem, lang: str) -> str:
    """A validation problem in the worker's language, dates as d.M.yyyy."""
    return i18n.tr(problem.message_key, lang, **display_params(problem.params))


class FieldErrors:
    """Shows validation messages right under the fields they belong to."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.fields: dict[str, tuple[QWidget | None, QLabel]] = {}

    def error_label(self, field: str, widget: QWidget | None = None) -> QLabel:
        """A (hidden until needed) error label for ``field``; place it under the widget."""
        text = label("", "fieldError", wrap=True)
        text.setVisible(False)
        text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.fields[field] = (widget, text)
        return text

    def show(self, problems: Iterable[Problem]) -> list[Problem]:
        """Mark every field with its problems; returns problems no field claimed."""
        self.clear()
        by_field: dict[str, list[str]] = {}
        unclaimed: list[Problem] = []
        for problem in problems:
            if problem.field in self.fields:
                by_field.setdefault(problem.field, []).append(problem_text(problem, self.lang))
            else:
                unclaimed.append(problem)
        for field, messages in by_field.items():
            widget, text = self.fields[field]
            text.setText("\n".join(dict.fromkeys(messages)))
            text.setVisible(True)
            if widget is not None:
                widget.setProperty("invalid", True)
                repolish(widget)
        return unclaimed

    def clear(self) -> None:
        for widget, text in self.fields.values():
            text.clear()
            text.setVisible(False)
            if widget is not None and widget.property("invalid"):
                widget.setProperty("invalid", False)
                repolish(widget)

    def first_invalid(self) -> QWidget | None:
        for widget, text in self.fields.values():
            if text.isVisible() and widget is not None:
                return widget
        return None


class ProgressDelegate(QStyledItemDelegate):
    """Draws a slim progress bar with the percentage beside it."""

    @staticmethod
    def text_width(option: QStyleOptionViewItem) -> int:
        """Room for "100 %" in the view's font (it grows with the OS text size)."""
        return option.fontMetrics.horizontalAdvance("100 %") + 8

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """A bar of six average characters and the percentage (for sized-to-content columns)."""
        size = super().sizeHint(option, index)
        bar = 6 * option.fontMetrics.averageCharWidth()
        return QSize(max(size.width(), bar + self.text_width(option) + 12), size.height())

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        value = index.data(PROGRESS_ROLE)
        if not isinstance(value, int):
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(style.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        rect: QRect = option.rect.adjusted(6, 0, -6, 0)
        text_width = self.text_width(option)
        bar = QRect(rect.left(), rect.center().y() - 4, max(10, rect.width() - text_width), 8)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.colour(Role.PROGRESS_TRACK))
        painter.drawRoundedRect(bar, 4, 4)
        filled = QRect(bar.left(), bar.top(), int(bar.width() * max(0, min(100, value)) / 100), 8)
        painter.setBrush(theme.colour(Role.ACCENT))
        if filled.width() > 0:
            painter.drawRoundedRect(filled, 4, 4)
        painter.setPen(theme.colour(Role.TEXT))
        text_rect = QRect(bar.right() + 6, rect.top(), text_width - 6, rect.height())
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter), f"{value} %")
        painter.restore()


class Chip(QLabel):
    """A small coloured tag, e.g. a reminder's severity."""

    def __init__(self, text: str, severity: str = "info", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        fg, bg = theme.SEVERITY.get(severity, theme.SEVERITY["info"])
        theme.tint(self, fg, bg, "border-radius: 9px; padding: 2px 9px; font-weight: bold;")
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)


class _CheckText(QLabel):
    """A check box's text that wraps; clicking it ticks the box, as the box's own text does."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self.box = box
        self.setWordWrap(True)
        self.setBuddy(box)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # Qt's name
        if event.button() == Qt.MouseButton.LeftButton and self.box.isEnabled():
            self.box.click()
        super().mouseReleaseEvent(event)


def wrapping_check(text: str) -> tuple[QWidget, QCheckBox]:
    """A check box whose long text wraps instead of being cut at the dialog's edge.

    A ``QCheckBox`` never wraps its text: at 150 % text a sentence such as
    "Asiakas hyötyy ja haluaa jatkaa (tehdään jatkopäätös)" ran off the
    evaluation dialog. Returns the row to lay out and the box to read.
    """
    holder = QWidget()
    line = QHBoxLayout(holder)
    line.setContentsMargins(0, 0, 0, 0)
    box = QCheckBox()
    box.setAccessibleName(text)
    line.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
    line.addWidget(_CheckText(text, box), 1)
    holder.setFocusProxy(box)
    return holder, box


def cancel_and_action(
    dialog: QDialog,
    cancel_text: str,
    action_text: str,
    on_action: Callable[[], object],
    name: str = "",
) -> tuple[QHBoxLayout, QPushButton]:
    """The button row of a form dialog: Cancel, then the primary action, pushed right.

    Cancel calls ``dialog.reject`` (a guarded form asks first when changed);
    returns the row to lay out and the action button (to name it the default
    with ``guard_form`` or to enable and disable it).
    """
    line = QHBoxLayout()
    line.addStretch(1)
    cancel = button(cancel_text)
    cancel.clicked.connect(dialog.reject)
    action = button(action_text, primary=True)
    if name:
        action.setObjectName(name)
    action.clicked.connect(on_action)
    line.addWidget(cancel)
    line.addWidget(action)
    return line, action


def row(*widgets: QWidget, stretch: bool = True, spacing: int = 8) -> QHBoxLayout:
    """Widgets side by side, optionally pushed left by a stretch."""
    layout = QHBoxLayout()
    layout.setSpacing(spacing)
    for widget in widgets:
        layout.addWidget(widget)
    if stretch:
        layout.addStretch(1)
    return layout


def page_header(title: str, *actions: QWidget) -> tuple[QHBoxLayout, QLabel]:
    """A page title with action buttons on the right."""
    layout = QHBoxLayout()
    title_label = label(title, "pageTitle")
    layout.addWidget(title_label)
    layout.addStretch(1)
    for action in actions:
        layout.addWidget(action)
    return layout, title_label


def table_view(model: object, stretch_column: int = -1, name: str = "") -> QTableView:
    """A read-only, row-selecting table in the house style."""
    view = leave_on_tab(QTableView())
    if name:
        view.setObjectName(name)
    view.setModel(model)  # type: ignore[arg-type]
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(30)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_column == -1)
    if stretch_column >= 0:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    return view


def dot_font(font: QFont, dot_size: float) -> QFont:
    """The bold key letter's font in an attendance pill, no taller than its dot.

    Table rows keep their height while the text grows: at 150 % text the
    sessions table's 14-pixel dots held a letter of the text's size, cut in half.
    """
    bold = QFont(font)
    bold.setBold(True)
    if QFontMetricsF(bold).height() > dot_size:
        bold.setPixelSize(max(int(dot_size * 0.8), 6))
    return bold
