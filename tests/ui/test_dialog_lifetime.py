"""Dialogs are deleted after use; the undo link always says what it undoes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes
from sosku_desktop.store.demo import DEMO_PASSPHRASE
from sosku_desktop.ui.dialogs.meeting_dialog import MeetingDialog
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from sosku_desktop.ui.widgets.lifetime import alive
from tests.ui import shell_support as s


@pytest.fixture
def shell(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, MainWindow]]:
    store = s.demo_store(tmp_path)
    ctx = s.context(store)
    window = MainWindow(ctx, lock_minutes=10)
    qtbot.addWidget(window)
    window.show()
    yield ctx, window
    window.close()
    store.close()


def flush_deletes() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def first_client(ctx: AppContext) -> str:
    with ctx.store.read() as r:
        return next(c.id for c in r.clients() if c.first_name == "Aino")


def test_undo_link_says_what_it_undoes_after_lock_unlock_and_language_change(
    shell: tuple[AppContext, MainWindow],
) -> None:
    ctx, window = shell
    window.open_client(first_client(ctx))
    dialog = window.client_view.record_meeting()
    assert isinstance(dialog, MeetingDialog)
    dialog.notes.setPlainText("Kotikäynti")
    assert dialog.submit(codes.MEETING_REALISED)
    link = window.undo_button
    expected = ctx.tr("ui.undo.meeting_on", date=ctx.date(s.NOW))
    assert link.isVisible() and link.text() == expected
    assert s.NOW.strftime("%-d.%-m.%Y") in link.text()

    window.lock.lock()
    assert not link.isVisible()
    assert window.lock.try_unlock(DEMO_PASSPHRASE)
    assert link.isVisible() and link.text() == expected  # never a bare "Undo"

    window.set_language("sv")
    assert window.undo_button.text() == ctx.tr("ui.undo.meeting_on", date=ctx.date(s.NOW))
    assert window.undo_button.text().startswith("Ångra")
    assert window.undo_last_meeting()
    assert not window.undo_button.isVisible() and window.undo_button.text() == ""


def test_closed_dialogs_are_deleted(shell: tuple[AppContext, MainWindow]) -> None:
    ctx, window = shell
    window.open_client(first_client(ctx))
    cancelled = window.client_view.record_meeting()
    assert cancelled is not None
    cancelled.reject()
    saved = window.client_view.record_meeting()
    assert saved is not None
    saved.notes.setPlainText("Kotikäynti")
    assert saved.submit(codes.MEETING_REALISED)
    settings = window.open_settings()
    assert isinstance(settings, QDialog)
    settings.reject()
    expenses = window.open_expenses()
    expenses.reject()
    wizard = window.new_client()
    wizard.reject()
    flush_deletes()
    assert not any(alive(d) for d in (cancelled, saved, settings, expenses, wizard))
    assert window.findChildren(QDialog) == []


def test_set_language_called_directly_leaves_later_dialogs_working(
    shell: tuple[AppContext, MainWindow],
) -> None:
    ctx, window = shell
    window.open_client(first_client(ctx))
    window.client_view.record_meeting()  # a dialog of the page that the rebuild deletes
    window.set_language("en")
    flush_deletes()
    window.open_client(first_client(ctx))
    dialog = window.client_view.record_meeting()  # _track must cope with the deleted one
    assert dialog is not None and dialog in window.dialogs
    settings = window.open_settings()
    assert settings is not None and all(alive(d) for d in window.dialogs)


def test_every_dialog_is_shown_through_open_dialog_or_run_modal() -> None:
    """A dialog shown with a bare ``open()``/``exec()`` under a parent stays alive (hidden)
    until the parent goes: every dialog goes through ``ui/widgets/lifetime.py``. Start-up
    dialogs (no main window yet, no parent) and the error boxes (kept until finished)
    are the exceptions."""
    import re

    root = Path(__file__).resolve().parents[2] / "sosku_desktop" / "ui"
    allowed = {"shell/startup.py", "shell/application.py", "shell/errors.py", "widgets/lifetime.py"}
    shown = re.compile(r"\.(open|exec)\(\)")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        if str(path.relative_to(root)) not in allowed
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if shown.search(line)
    ]
    assert offenders == []
