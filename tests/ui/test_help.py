"""Help: F1 shows the user guide's section for the page on screen; ? the shortcut sheet."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sosku_desktop import i18n
from sosku_desktop.ui.shell.help import SHEET, HelpDialog, guide_sections, sheet_sequences
from sosku_desktop.ui.shell.main_window import NAV_KEYS, MainWindow
from tests.ui import shell_support as s


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    store = s.demo_store(tmp_path)
    win = MainWindow(s.context(store))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    store.close()


def test_f1_opens_the_guide_section_of_every_page(window: MainWindow, qtbot: QtBot) -> None:
    sections = guide_sections()
    seen = set()
    for key, _ in NAV_KEYS:
        window.go(key)
        window.nav.setFocus()
        QTest.keyClick(window.nav, Qt.Key.Key_F1)
        dialog = window.dialogs[-1]
        assert isinstance(dialog, HelpDialog), key
        assert dialog.anchor in sections, (key, dialog.anchor)  # every page has a section
        heading, _text = sections[dialog.anchor]
        assert heading in dialog.guide.toPlainText()
        assert len(dialog.guide.toPlainText()) > 100
        seen.add(dialog.anchor)
        dialog.reject()
    with window.ctx.store.read() as r:
        window.open_client(r.clients()[0].id)
    dialog = window.show_help()
    assert dialog.heading == "Asiakkaan sivu"
    assert len(seen) >= 5


def test_question_mark_shows_a_sheet_with_every_shortcut_of_the_app(
    window: MainWindow, qtbot: QtBot
) -> None:
    # Build every page and open a meeting dialog: their shortcuts count too.
    for key, _ in NAV_KEYS:
        window.go(key)
    with window.ctx.store.read() as r:
        window.open_client(r.clients()[0].id)
    window.client_view.record_meeting()
    registered = {
        shortcut.key().toString()
        for top in QApplication.topLevelWidgets()
        for shortcut in top.findChildren(QShortcut)
    }
    assert {"Ctrl+1", "Ctrl+M", "F1", "?", "Ctrl+S", "Ctrl+F"} <= registered
    assert registered - sheet_sequences() == set()
    window.dialogs[-1].reject()
    window.go("today")
    window.activateWindow()
    window.nav.setFocus()
    QTest.keyClick(window.nav, Qt.Key.Key_Question)
    dialog = window.dialogs[-1]
    assert isinstance(dialog, HelpDialog)
    assert dialog.tabs.currentWidget() is dialog.sheet
    texts = dialog.sheet_texts()
    assert "Ctrl+N" in texts and i18n.tr("ui.help.key.new_client") in texts


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_sheet_is_in_the_workers_language(lang: str, qtbot: QtBot) -> None:
    dialog = HelpDialog(lang, "tänään")
    qtbot.addWidget(dialog)
    texts = dialog.sheet_texts()
    finnish = {i18n.tr(key) for key in i18n.catalogue("fi") if key.startswith("ui.help.")}
    own = {i18n.tr(key, lang) for key in i18n.catalogue(lang) if key.startswith("ui.help.")}
    assert not (set(texts) & (finnish - own))
    rows = sum(1 + len(shortcuts) for _title, shortcuts in SHEET)
    assert dialog.sheet.rowCount() == rows
    assert i18n.tr("ui.help.key.new_client", lang) in texts
    assert dialog.windowTitle() == i18n.tr("ui.help.title", lang)


def test_typing_a_question_mark_in_a_text_field_types_it(window: MainWindow) -> None:
    window.go("clients")
    search = window.clients.search
    search.setFocus()
    opened = len(window.dialogs)
    QTest.keyClick(search, Qt.Key.Key_Question)
    assert search.text() == "?" and len(window.dialogs) == opened


@pytest.mark.parametrize(
    ("lang", "cancelled", "no_show"), [("fi", "Alt+P", "Alt+E"), ("sv", "Alt+I", "Alt+K")]
)
def test_the_sheet_shows_the_meeting_outcome_keys_of_the_language(
    lang: str, cancelled: str, no_show: str, qtbot: QtBot
) -> None:
    dialog = HelpDialog(lang, "tänään")
    qtbot.addWidget(dialog)
    texts = dialog.sheet_texts()
    assert cancelled in texts and no_show in texts
    # every language's key is on the sheet's list, so the registered-shortcut check holds
    for key in ("ui.meeting.cancelled_key", "ui.meeting.no_show_key"):
        assert {i18n.tr(key, code) for code in i18n.LANGUAGES} <= sheet_sequences()
