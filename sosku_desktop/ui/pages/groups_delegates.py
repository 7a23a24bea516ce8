"""How the Groups page draws its lists: group cards, attendance tallies, panels.

Painting code kept apart from the page's behaviour (``groups_page``), so
each reads on its own: the delegates draw a group as a small card and a
session's marks as the same coloured pills the attendance sheet uses.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QLayout,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.domain import codes
from sosku_desktop.ui.pages.attendance_sheet import paint_pill, status_keys
from sosku_desktop.ui.shell import theme
from sosku_desktop.ui.shell.theme import Role, colour
from sosku_desktop.ui.widgets.keys import leave_on_tab

ID_ROLE = Qt.ItemDataRole.UserRole + 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2
TALLY_ROLE = Qt.ItemDataRole.UserRole + 3
PANEL_STYLE = "QFrame#panel { background: $CARD; border: 1px solid $BORDER; border-radius: 6px; }"


class GroupListDelegate(QStyledItemDelegate):
    """A group as its name, then schedule and place, leaders and member count."""

    LINES = 4

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(200, (option.fontMetrics.height() + 2) * self.LINES + 16)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        rect = opt.rect.adjusted(12, 8, -12, -8)
        line = opt.fontMetrics.height() + 2
        bold = QFont(opt.font)
        bold.setBold(True)
        text_colour = opt.palette.highlightedText().color() if selected else colour(Role.TEXT)
        muted = opt.palette.highlightedText().color() if selected else colour(Role.MUTED)
        lines = [str(index.data() or ""), *(index.data(DETAIL_ROLE) or ())]
        for number, text in enumerate(lines[: self.LINES]):
            painter.setFont(bold if number == 0 else opt.font)
            painter.setPen(text_colour if number == 0 else muted)
            metrics = QFontMetrics(painter.font())
            r = QRect(rect.left(), rect.top() + number * line, rect.width(), line)
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, r.width())
            painter.drawText(r, Qt.AlignmentFlag.AlignVCenter, elided)
        painter.restore()


class TallyDelegate(QStyledItemDelegate):
    """A session's marks as small coloured pills ("L 4", "P 1"), as on the sheet."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys = status_keys(lang)

    def _pills(self, index: QModelIndex | QPersistentModelIndex) -> list[tuple[str, int]]:
        tally = index.data(TALLY_ROLE)
        if not isinstance(tally, tuple):
            return []
        return [(s, n) for s, n in zip(codes.ATTENDANCE_STATUSES, tally, strict=True) if n]

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        pills = self._pills(index)
        if not pills:
            return super().sizeHint(option, index)
        height = super().sizeHint(option, index).height()
        pill = max(height - 10 - 6, 12) + 22 + 6
        width = sum(option.fontMetrics.horizontalAdvance(str(n)) + pill for _, n in pills)
        return QSize(width + 8, height)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        pills = self._pills(index)
        if not pills:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(opt.rect).adjusted(4, 5, -4, -5)
        for status, count in pills:
            width = paint_pill(painter, rect, opt.font, status, self.keys[status], str(count))
            rect.setLeft(rect.left() + width + 6)
        painter.restore()


def table(model: QStandardItemModel) -> QTableView:
    view = leave_on_tab(QTableView())
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(30)
    view.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    view.horizontalHeader().setHighlightSections(False)
    return view


def cell(text: str, data: Any = None) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    if data is not None:
        item.setData(data, ID_ROLE)
    return item


def panel(title: QLabel, *parts: QWidget | QLayout) -> QFrame:
    frame = QFrame()
    frame.setObjectName("panel")
    theme.style(frame, PANEL_STYLE)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(12, 10, 12, 12)
    layout.setSpacing(8)
    theme.style(title, "font-weight: 600; font-size: $FONT_LARGE;")
    layout.addWidget(title)
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part, 1 if isinstance(part, QTableView) else 0)
    return frame
