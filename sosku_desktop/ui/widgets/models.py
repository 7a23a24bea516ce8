"""Qt models for the lists: one generic table model driven by column specs.

Pages describe their columns (translated header, how to show a row, how to
sort it) and hand over plain domain objects; views, sorting proxies and
tests then see the same data. Rows are immutable snapshots: a page reloads
them after a write instead of editing cells in place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from sosku_desktop import i18n
from sosku_desktop.ui.shell import theme
from sosku_desktop.ui.shell.theme import Role
from sosku_desktop.ui.widgets.common import PROGRESS_ROLE

R = TypeVar("R")

#: Item-data role that returns the row object itself.
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: Item-data role used by sorting proxies (dates sort as dates, not text).
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 2

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: translated header key, display text and optional extras."""

    header_key: str
    text: Callable[[R], str]
    sort: Callable[[R], Any] | None = None
    align_right: bool = False
    progress: Callable[[R], int] | None = None
    colour: Callable[[R], Role | None] | None = None
    tooltip: Callable[[R], str] | None = None


class TableModel(QAbstractTableModel, Generic[R]):
    """Rows of domain objects shown through ``Column`` specs."""

    def __init__(self, columns: Sequence[Column[R]], lang: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.lang = lang
        self.rows: list[R] = []
        #: header text as shown, by column, when wrapped onto lines (``columns.fit_within``)
        self.header_lines: dict[int, str] = {}

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, index: Index) -> R | None:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        return self.rows[index.row()]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = int(Qt.ItemDataRole.DisplayRole)) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if column.progress is not None else column.text(row)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return column.sort(row) if column.sort is not None else column.text(row).casefold()
        if role == PROGRESS_ROLE and column.progress is not None:
            return column.progress(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column.colour is not None:
            role_of_row = column.colour(row)
            return QBrush(theme.colour(role_of_row)) if role_of_row else None
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row) or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return column.text(row)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = int(Qt.ItemDataRole.DisplayRole),
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            text = i18n.tr(self.columns[section].header_key, self.lang)
            if role == Qt.ItemDataRole.DisplayRole:
                return self.header_lines.get(section, text)
            if role == Qt.ItemDataRole.ToolTipRole:
                return text
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return text
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setHeaderData(
        self,
        section: int,
        orientation: Qt.Orientation,
        value: Any,
        role: int = int(Qt.ItemDataRole.DisplayRole),
    ) -> bool:
        """Show a header on several lines (``value`` with line breaks); its text is kept."""
        if (
            orientation != Qt.Orientation.Horizontal
            or role != Qt.ItemDataRole.DisplayRole
            or not 0 <= section < len(self.columns)
        ):
            return False
        text = str(value)
        if text == i18n.tr(self.columns[section].header_key, self.lang):
            changed = self.header_lines.pop(section, None) is not None
        else:
            changed = self.header_lines.get(section) != text
            self.header_lines[section] = text
        if changed:
            self.headerDataChanged.emit(orientation, section, section)
        return True
