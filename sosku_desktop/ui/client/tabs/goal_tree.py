"""The goal tree's columns: the client's own words get the room, wrapped, never squeezed.

The goal text is what the worker reads, so it is the one stretching column and
wraps onto as many lines as it needs (rows grow with it). The figures beside it
(progress, SMART, status) are sized to their contents; when the tree is so
narrow (a small window, 150 % text, Swedish words) that they would leave the
text less than ``TEXT_SHARE`` of the tree, SMART and then status are hidden.
Both stay in the goal's tooltip and in the editor beside the tree. The tree
never scrolls sideways.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
)

#: The goal text keeps at least this share of the tree's width.
TEXT_SHARE = 0.5
TEXT, PROGRESS, SMART, STATUS = range(4)
#: Hidden in this order when the text would get less than its share.
OPTIONAL = (SMART, STATUS)


def depth(index: QModelIndex | QPersistentModelIndex) -> int:
    found = 0
    parent = index.parent()
    while parent.isValid():
        found += 1
        parent = parent.parent()
    return found


class GoalTextDelegate(QStyledItemDelegate):
    """The goal's words wrapped to the width they are drawn in, the row as high as needed.

    Qt's tree asks a delegate for a row's height without the column's width,
    so a plain delegate never reports the wrapped lines; this one sets the
    width the text column gives this item (less its indentation).
    """

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self.tree = tree

    def text_width(self, index: QModelIndex | QPersistentModelIndex) -> int:
        levels = depth(index) + (1 if self.tree.rootIsDecorated() else 0)
        return max(1, self.tree.columnWidth(TEXT) - levels * self.tree.indentation())

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        sized = QStyleOptionViewItem(option)
        # Qt's style wraps only in a valid rectangle: any height, the lines decide
        sized.rect = QRect(0, 0, self.text_width(index), 1 << 16)
        sized.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        return super().sizeHint(sized, index)


class GoalColumns(QObject):
    """Keeps the goal tree's text column readable whatever the tree's width."""

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self.tree = tree
        tree.setItemDelegateForColumn(TEXT, GoalTextDelegate(tree))
        tree.setUniformRowHeights(False)
        tree.setWordWrap(True)
        tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        tree.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = tree.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(tree.fontMetrics().averageCharWidth() * 4)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        for column in (PROGRESS, SMART, STATUS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.sectionResized.connect(self._resized)

    def wanted_width(self, column: int) -> int:
        """The column's width sized to its contents (as ``ResizeToContents`` sizes it)."""
        header = self.tree.header()
        return max(header.sectionSizeHint(column), self.tree.sizeHintForColumn(column))

    def fit(self) -> None:
        """Show the optional columns that leave the text its share; re-wrap the rows."""
        width = self.tree.viewport().width()
        shown = list(OPTIONAL)
        while shown:
            figures = sum(self.wanted_width(c) for c in (PROGRESS, *shown))
            if width - figures >= TEXT_SHARE * width:
                break
            shown.pop(0)
        header = self.tree.header()
        for column in OPTIONAL:
            header.setSectionHidden(column, column not in shown)
        self.tree.scheduleDelayedItemsLayout()  # row heights follow the new text width

    def _resized(self, column: int, _old: int, _new: int) -> None:
        if column == TEXT:
            self.fit()
