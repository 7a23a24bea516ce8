"""Regression: PySide6 6.12.0 on Python 3.11 loses a reference to None per empty Qt return.

stack-notes.md: after enough calls the process aborts with ``none_dealloc``.
We pin PySide6 below 6.12; this test fails if a release with the bug comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QStandardItemModel


class _Empty(QAbstractTableModel):
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: QModelIndex, role: int = 0) -> object:
        return None


def test_empty_qt_returns_keep_nones_refcount(qapp: object) -> None:
    model = QStandardItemModel(2, 2)
    base = _Empty()
    obj = QObject()
    before = sys.getrefcount(None)
    for _ in range(20_000):
        model.data(model.index(0, 0))
        base.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        obj.property("missing")
    after = sys.getrefcount(None)
    # Unrelated code may hold a few more Nones; the bug loses 60,000.
    assert after - before > -1000
