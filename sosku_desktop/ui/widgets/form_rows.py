"""Pieces every small form dialog is built from: dates and the OK / Cancel row.

The group, session, calendar-export, period-record and sync-join dialogs
each built the same button box (standard OK / Cancel renamed to the
dialog's own words and wired to accept / reject) and the same calendar
date field; one copy here keeps their look and keys the same.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QPushButton

DATE_FORMAT = "d.M.yyyy"


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def popup_date(value: date) -> QDateEdit:
    """A date field in the Finnish order with the month calendar a click away."""
    edit = QDateEdit(to_qdate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    return edit


def ok_cancel(
    dialog: QDialog,
    ok_text: str,
    cancel_text: str,
    on_ok: Callable[[], object] | None = None,
) -> tuple[QDialogButtonBox, QPushButton]:
    """OK / Cancel in the dialog's own words: OK accepts (or runs ``on_ok``), Cancel rejects.

    Returns the box to lay out and its OK button (to name or to disable).
    """
    which = QDialogButtonBox.StandardButton
    box = QDialogButtonBox(which.Ok | which.Cancel)
    ok = box.button(which.Ok)
    ok.setText(ok_text)
    box.button(which.Cancel).setText(cancel_text)
    box.accepted.connect(on_ok if on_ok is not None else dialog.accept)
    box.rejected.connect(dialog.reject)
    return box, ok
