"""Alt keys on a page: the Meetings tab marks a planned meeting cancelled or no-show
with the same Alt+letter as the meeting dialog, and no key on a shown page does two
things (a second QShortcut or a "&" mnemonic on the same key makes Qt do neither).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QTabBar, QWidget
from pytestqt.qtbot import QtBot

from sosku_desktop import i18n
from sosku_desktop.domain import codes, models
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s
from tests.ui.layout_support import settle, walk_views

Shell = tuple[AppContext, MainWindow, str]


@pytest.fixture
def lang() -> str:
    return i18n.DEFAULT_LANGUAGE


@pytest.fixture
def shell(tmp_path: Path, qtbot: QtBot, lang: str) -> Iterator[Shell]:
    store = s.demo_store(tmp_path)
    ctx = s.context(store, lang=lang)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    with store.read() as r:
        client = next(c for c in r.clients() if c.first_name == "Juha")
    yield ctx, window, client.id
    window.close()
    store.close()


def _mnemonic(text: str) -> str | None:
    """The Alt key a "&x" in a widget's text gives (None without one; "&&" is an "&")."""
    found = re.search(r"(?<!&)&([^&\s])", text.replace("&&", ""))
    return f"Alt+{found.group(1).upper()}" if found else None


def alt_keys(window: QWidget) -> dict[str, list[str]]:
    """Every key the shown window answers to: its QShortcuts that can fire (their widget
    shown and enabled) and the mnemonics of its shown texts, each with what it does."""
    keys: dict[str, list[str]] = {}
    for shortcut in window.findChildren(QShortcut):
        owner = shortcut.parent()
        if shortcut.isEnabled() and isinstance(owner, QWidget) and owner.isVisible():
            sequences: list[QKeySequence] = shortcut.keys()
            for sequence in sequences:
                keys.setdefault(sequence.toString(), []).append(type(owner).__name__)
    texts: list[tuple[str, str]] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton):
            texts.append((widget.text(), type(widget).__name__))
        elif isinstance(widget, QGroupBox):
            texts.append((widget.title(), "group"))
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            texts.append((widget.text(), "buddy"))
        elif isinstance(widget, QTabBar):
            texts += [(widget.tabText(i), "tab") for i in range(widget.count())]
    for text, what in texts:
        key = _mnemonic(text)
        if key is not None:
            keys.setdefault(QKeySequence(key).toString(), []).append(f"{what} {text!r}")
    return keys


def _open_meetings(window: MainWindow, client_id: str) -> None:
    window.open_client(client_id)
    view = window.client_view
    view.tabs.setCurrentWidget(view.meetings)
    settle()


@pytest.mark.parametrize(
    ("lang", "key", "status"),
    [
        ("fi", Qt.Key.Key_P, codes.MEETING_CANCELLED),
        ("fi", Qt.Key.Key_E, codes.MEETING_NO_SHOW),
        ("sv", Qt.Key.Key_I, codes.MEETING_CANCELLED),
        ("sv", Qt.Key.Key_K, codes.MEETING_NO_SHOW),
        ("en", Qt.Key.Key_N, codes.MEETING_CANCELLED),
        ("en", Qt.Key.Key_D, codes.MEETING_NO_SHOW),
    ],
)
def test_the_meetings_tab_marks_the_selected_planned_meeting_with_an_alt_key(
    shell: Shell, qtbot: QtBot, lang: str, key: Qt.Key, status: str
) -> None:
    ctx, window, client_id = shell
    _open_meetings(window, client_id)
    tab = window.client_view.meetings
    row = next(i for i, m in enumerate(tab.model.rows) if m.status == codes.MEETING_PLANNED)
    planned = tab.model.rows[row]
    tab.table.selectRow(row)
    tab.table.setFocus()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.table)
    cancel = status == codes.MEETING_CANCELLED
    button = tab.cancel_button if cancel else tab.no_show_button
    name = "ui.meeting.cancelled_key" if cancel else "ui.meeting.no_show_key"
    assert i18n.tr(name, lang) in button.toolTip()
    QTest.keyClick(tab.table, key, Qt.KeyboardModifier.AltModifier)
    with ctx.store.read() as r:
        assert r.get(models.Meeting, planned.id).status == status


def test_an_alt_key_on_a_realised_meeting_does_nothing(shell: Shell, qtbot: QtBot) -> None:
    ctx, window, client_id = shell
    _open_meetings(window, client_id)
    tab = window.client_view.meetings
    row = next(i for i, m in enumerate(tab.model.rows) if m.status == codes.MEETING_REALISED)
    done = tab.model.rows[row]
    tab.table.selectRow(row)
    tab.table.setFocus()
    QTest.keyClick(tab.table, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    with ctx.store.read() as r:
        assert r.get(models.Meeting, done.id).status == codes.MEETING_REALISED


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_key_does_two_things_on_any_page(shell: Shell, lang: str) -> None:
    ctx, window, client_id = shell
    clashes = {}
    for view in walk_views(window, ctx):
        found = {k: what for k, what in alt_keys(window).items() if len(what) > 1}
        if found:
            clashes[view] = found
    assert clashes == {}
    _open_meetings(window, client_id)
    keys = alt_keys(window)
    for name in ("ui.meeting.cancelled_key", "ui.meeting.no_show_key"):
        assert keys.get(QKeySequence(i18n.tr(name, lang)).toString()) == ["MeetingsTab"]


def test_the_check_sees_a_clash(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    holder = QWidget()
    qtbot.addWidget(holder)
    box = QVBoxLayout(holder)
    box.addWidget(QPushButton("&Peruttu"))
    QShortcut(QKeySequence("Alt+P"), holder)
    holder.show()
    assert alt_keys(holder)["Alt+P"] == ["QWidget", "QPushButton '&Peruttu'"]
