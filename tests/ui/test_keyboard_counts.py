"""Keyboard only, counted: record a just-happened home visit from the Clients page.

Issue 12's measure: with pytest-qt, from the Clients page, by keyboard alone,
record a home visit that just happened with a one-line note — at most 10
focus changes and 40 key presses besides the note's text. Counts only, no
timings. The figures are printed (``-s``) for the issue note.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes
from sosku_desktop.ui.dialogs.meeting_dialog import MeetingDialog
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s

NOTE = "Kotikaynti: kaytiin lapi viikon kauppalista."
MAX_FOCUS_CHANGES = 10
MAX_KEYS = 40


class Keyboard:
    """Presses keys where the focus is, and counts them."""

    def __init__(self) -> None:
        self.keys = 0

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None
        return widget

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):  # type: ignore[no-untyped-def]
        QTest.keyClick(self.focused(), key, modifier)
        self.keys += 1

    def type(self, text: str) -> None:
        QTest.keyClicks(self.focused(), text)
        self.keys += len(text)


@pytest.fixture
def shell(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, MainWindow, str]]:
    store = s.empty_store(tmp_path)
    start = s.TODAY - timedelta(days=40)
    for first, last in (("Juha", "Virtanen"), ("Maria", "Korpela"), ("Pekka", "Nieminen")):
        s.add_client(store, first, last, start)
    _client, period = s.add_client(store, "Aino", "Korhonen", start)
    ctx = s.context(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    yield ctx, window, period.id
    window.close()
    store.close()


def test_just_happened_home_visit_from_clients_by_keyboard_is_counted(
    shell: tuple[AppContext, MainWindow, str], qtbot: QtBot
) -> None:
    ctx, window, period_id = shell
    changes: list[QWidget | None] = []
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.focusChanged.connect(lambda _old, new: changes.append(new))
    kb = Keyboard()

    kb.press(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # the Clients page
    kb.press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # its search
    assert kb.focused() is window.clients.search
    kb.type("korh")  # accent- and case-insensitive search
    kb.press(Qt.Key.Key_Return)  # opens the first match
    assert window.client_view.client_id is not None
    kb.press(Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)  # record a meeting
    dialog = window.dialogs[-1]
    assert isinstance(dialog, MeetingDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.notes)
    note_keys = len(NOTE)
    kb.type(NOTE)
    kb.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # save
    qtbot.waitUntil(lambda: not dialog.isVisible())

    keys_besides_note = kb.keys - note_keys
    print(
        f"\nkeyboard count, Clients → home visit: {len(changes)} focus changes, "
        f"{keys_besides_note} keys besides the note ({note_keys} note keys)"
    )
    assert len(changes) <= MAX_FOCUS_CHANGES, changes
    assert keys_besides_note <= MAX_KEYS
    with ctx.store.read() as r:
        (visit,) = r.meetings_of([period_id])
    assert visit.status == codes.MEETING_REALISED
    assert visit.kind == codes.MEETING_HOME_VISIT and visit.notes == NOTE
    # it just happened: it started one default duration (60 min) before now
    assert visit.starts_at == s.NOW - timedelta(minutes=visit.duration_min)


#: Typed by the worker: names, identity code and the first goal.
FIRST, LAST, HETU, GOAL = "Sari", "Koskinen", "131052-308T", "Kayn kaupassa itse kerran viikossa"
#: Beyond what is typed: Ctrl+N, three Tabs between the fields, and the
#: wizard's own keys (Enter per page, Tab from the goal to Next, Enter, and
#: Ctrl+Enter to finish on the optional needs page).
MAX_WIZARD_KEYS = 15
MAX_WIZARD_FOCUS_CHANGES = 15


def test_new_client_with_period_and_first_goal_by_keyboard_is_counted(
    shell: tuple[AppContext, MainWindow, str], qtbot: QtBot
) -> None:
    """Issue 12: create a client with a period and a first goal by keyboard only,
    counting key presses besides the typed text and focus changes."""
    from PySide6.QtWidgets import QWizard

    ctx, window, _period_id = shell
    changes: list[QWidget | None] = []
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.focusChanged.connect(lambda _old, new: changes.append(new))
    kb = Keyboard()

    kb.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # new client
    wizard = window.dialogs[-1]
    assert isinstance(wizard, QWizard)
    qtbot.waitExposed(wizard)
    page = wizard.client_page  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.first_name)
    for text in (FIRST, LAST, HETU):
        kb.type(text)
        kb.press(Qt.Key.Key_Tab)
    typed = len(FIRST) + len(LAST) + len(HETU)
    goal_page = wizard.goal_page  # type: ignore[attr-defined]
    for _page in range(4):  # client → period → intake → goal, each by Enter
        if wizard.currentPage() is goal_page:
            break
        kb.press(Qt.Key.Key_Return)
    assert wizard.currentPage() is goal_page
    qtbot.waitUntil(lambda: QApplication.focusWidget() is goal_page.goal)
    kb.type(GOAL)
    typed += len(GOAL)
    kb.press(Qt.Key.Key_Tab)  # to Next (never Back)
    kb.press(Qt.Key.Key_Return)  # the optional needs page
    assert wizard.currentPage() is wizard.needs_page  # type: ignore[attr-defined]
    kb.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # finish
    qtbot.waitUntil(lambda: not wizard.isVisible())

    keys_besides_text = kb.keys - typed
    print(
        f"\nkeyboard count, new client + period + first goal: {len(changes)} focus changes, "
        f"{keys_besides_text} keys besides the {typed} typed"
    )
    assert keys_besides_text <= MAX_WIZARD_KEYS
    assert len(changes) <= MAX_WIZARD_FOCUS_CHANGES, changes

    def created() -> bool:
        with ctx.store.read() as r:
            return any(c.last_name == LAST for c in r.clients())

    qtbot.waitUntil(created)
    with ctx.store.read() as r:
        (client,) = [c for c in r.clients() if c.last_name == LAST]
        assert client.identity_code == HETU
        (period,) = r.periods_of(client.id)
        assert [g.text for g in r.goals_of(period.id)] == [GOAL]
