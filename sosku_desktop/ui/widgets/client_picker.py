"""A box to pick one client out of thousands by typing any part of the name.

The items are not the whole caseload: as the worker types, the store's
accent-insensitive search runs in the background (``client_choices``, the
newest keystroke superseding the older) and the box offers its first
matches. Clients already listed (a group's members, a sheet's people) are
left out. ``chosen()`` is the id of the client whose name is in the box.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from sosku_desktop.operations.client_list import client_choices
from sosku_desktop.ui.shell.context import AppContext

#: Matches offered at most.
LIMIT = 30


class ClientPicker(QComboBox):
    """Editable box whose items are the search's matches for what is typed."""

    def __init__(self, ctx: AppContext, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.exclude: frozenset[str] = frozenset()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.lineEdit()
        if line is not None:
            line.setPlaceholderText(placeholder)
        self.setAccessibleName(placeholder)  # what to type is what the field is
        completer = self.completer()
        if completer is not None:  # the database has filtered already (accents too)
            completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.editTextChanged.connect(self._typed)

    def set_exclude(self, client_ids: set[str] | frozenset[str]) -> None:
        self.exclude = frozenset(client_ids)
        self.reset_text()

    def reset_text(self) -> None:
        self.setEditText("")

    def chosen(self) -> str | None:
        """The id of the client named in the box (one of the offered matches), else ``None``."""
        item = self.chosen_item()
        return item[1] if item is not None else None

    def chosen_item(self) -> tuple[str, str] | None:
        """``(full name, id)`` of the client named in the box, else ``None``."""
        index = self.findText(self.currentText().strip(), Qt.MatchFlag.MatchFixedString)
        return (self.itemText(index), str(self.itemData(index))) if index >= 0 else None

    def _typed(self, text: str) -> None:
        if not text.strip():
            self._fill([])
            return
        store, exclude = self.ctx.store, self.exclude
        self.ctx.tasks.latest(
            ("client picker", id(self)),
            lambda _ticket: client_choices(store, text, exclude, LIMIT),
            self._fill,
            owner=self,
        )

    def _fill(self, choices: list[tuple[str, str]]) -> None:
        line = self.lineEdit()
        text = self.currentText()
        cursor = line.cursorPosition() if line is not None else len(text)
        blocked = self.blockSignals(True)
        try:
            self.clear()
            for name, client_id in choices:
                self.addItem(name, client_id)
            self.setCurrentIndex(-1)
            self.setEditText(text)
            if line is not None:
                line.setCursorPosition(cursor)
        finally:
            self.blockSignals(blocked)
        completer = self.completer()
        if choices and completer is not None and line is not None and line.hasFocus():
            completer.complete()
