"""Dialogs live as long as they are shown, then go.

A dialog made with a parent is a child of that parent until one of them is
deleted: hidden dialogs piled up under the main window all day (a few MB
each). Every dialog of the app is shown with ``open_dialog`` (non-blocking,
deleted when closed) or ``run_modal`` (blocking, deleted once the caller has
read its values). Both fit the dialog on its screen when it is shown
(``geometry.fit_when_shown``). A dialog whose save failed stays open: only a finished
dialog (accepted or rejected) is deleted, so nothing typed is lost.

``alive`` tells whether Qt still has the object behind a Python wrapper, for
lists that remember dialogs (the main window's ``dialogs``).
"""

from __future__ import annotations

from typing import TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog

from sosku_desktop.ui.shell.geometry import fit_when_shown

D = TypeVar("D", bound=QDialog)


def open_dialog(dialog: D) -> D:
    """Show ``dialog`` window-modally without blocking; Qt deletes it when it closes."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    fit_when_shown(dialog)
    dialog.open()
    return dialog


def run_modal(dialog: QDialog) -> int:
    """``dialog.exec()``; the dialog is deleted when control returns to the event loop
    (so the caller may still read its values right after)."""
    fit_when_shown(dialog)
    try:
        return int(dialog.exec())
    finally:
        if alive(dialog):
            dialog.deleteLater()


def alive(obj: QObject | None) -> bool:
    """Whether the C++ object behind ``obj`` still exists."""
    return obj is not None and bool(shiboken6.isValid(obj))
