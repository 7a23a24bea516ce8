"""Idle lock: client data leaves the screen, open dialogs wait hidden, the passphrase unlocks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from sosku_desktop import i18n
from sosku_desktop.store.demo import DEMO_PASSPHRASE
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.lock import LockScreen
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s


@pytest.fixture
def shell(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, MainWindow]]:
    store = s.demo_store(tmp_path)
    ctx = s.context(store)
    window = MainWindow(ctx, lock_minutes=10)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield ctx, window
    window.close()
    store.close()


def client_words(ctx: AppContext) -> set[str]:
    with ctx.store.read() as r:
        clients = r.clients()
    return {c.full_name for c in clients} | {c.last_name for c in clients}


def shown_client_data(ctx: AppContext) -> list[str]:
    words = client_words(ctx)
    return [t for t in s.visible_texts() if any(word in t for word in words)]


def test_lock_hides_client_data_and_unlocks_with_the_passphrase(
    shell: tuple[AppContext, MainWindow], qtbot: QtBot
) -> None:
    ctx, window = shell
    with ctx.store.read() as r:
        client = next(c for c in r.clients() if c.first_name == "Aino")
    window.open_client(client.id)
    dialog = window.client_view.record_meeting()
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.notes.setPlainText("Kesken jäänyt kirjaus")
    assert shown_client_data(ctx)  # the record and the dialog show the client's name

    window.lock.lock()
    assert window.lock.is_locked
    assert isinstance(window.centralWidget(), LockScreen)
    assert not any(shortcut.isEnabled() for shortcut in window.shortcuts)
    assert not dialog.isVisible()
    assert shown_client_data(ctx) == []

    screen = window.centralWidget()
    assert isinstance(screen, LockScreen)
    screen.passphrase.setText("not the passphrase")
    qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
    assert window.lock.is_locked
    assert screen.error.isVisible()
    assert screen.passphrase.text() == ""
    assert shown_client_data(ctx) == []
    # A forgotten passphrase has a way on, said after a wrong try (as at start-up).
    assert screen.forgotten.isVisible()
    assert screen.forgotten.text() == i18n.tr("ui.passphrase.forgotten", ctx.lang)

    QTest.keyClicks(screen.passphrase, DEMO_PASSPHRASE)
    QTest.keyClick(screen.passphrase, Qt.Key.Key_Return)
    assert not window.lock.is_locked
    assert window.centralWidget() is not screen
    assert all(shortcut.isEnabled() for shortcut in window.shortcuts)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.notes.toPlainText() == "Kesken jäänyt kirjaus"
    assert window.client_view.isVisible()
    assert client.full_name in s.visible_texts()


def test_input_restarts_the_idle_timer_and_its_timeout_locks(
    shell: tuple[AppContext, MainWindow], qtbot: QtBot
) -> None:
    _ctx, window = shell
    lock = window.lock
    assert lock.timer.interval() == 10 * 60_000
    lock.timer.stop()
    window.go("clients")
    # Input arrives at the window (the lock watches the app's windows, not every widget).
    handle = window.windowHandle()
    QTest.keyClick(handle, Qt.Key.Key_A)
    assert lock.timer.isActive()
    lock.timer.stop()
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton)
    assert lock.timer.isActive()
    lock.timer.stop()
    QTest.keyClick(window.clients.search, Qt.Key.Key_A)  # straight to a widget: not seen
    assert not lock.timer.isActive()
    dialog = window.new_client()  # a dialog's window is watched as well
    QTest.keyClick(dialog.windowHandle(), Qt.Key.Key_A)
    assert lock.timer.isActive()
    dialog.reject()
    lock.timer.stop()
    lock.timer.timeout.emit()
    assert lock.is_locked
    # while locked, typing does not restart the timer, and pages do not refresh
    QTest.keyClick(handle, Qt.Key.Key_B)
    assert not lock.timer.isActive()


def test_lock_button_and_settings_minutes(
    shell: tuple[AppContext, MainWindow], qtbot: QtBot
) -> None:
    _ctx, window = shell
    window.lock.set_minutes(3)
    assert window.lock.timer.interval() == 3 * 60_000
    qtbot.mouseClick(window.lock_button, Qt.MouseButton.LeftButton)
    assert window.lock.is_locked
    assert not window.lock.try_unlock("")
    assert window.lock.try_unlock(DEMO_PASSPHRASE)
    assert window.today.isVisible()
