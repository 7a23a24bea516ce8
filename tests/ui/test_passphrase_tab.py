"""Settings › Passphrase, by keyboard: change it, see why not, read what a forgotten one means.

Through the main window's own Settings (as a worker opens it), with the
real encrypted store: a wrong current passphrase and a weak new one are
shown under their fields; the right ones change the passphrase, the fields
clear and only the new one unlocks. Looked at in fi, sv and en at 1024×600
and with 150 % text (no control clipped).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QTabWidget
from pytestqt.qtbot import QtBot

from sosku_desktop import i18n
from sosku_desktop.domain import passphrase as rule
from sosku_desktop.store import keys
from sosku_desktop.store.database import Store
from sosku_desktop.ui.dialogs.passphrase_tab import PassphraseTab
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s
from tests.ui.layout_support import clipped_controls, settle, themed

NEW = "punainen laiva seilaa jarven poikki"  # keyClicks types ASCII only


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = s.empty_store(tmp_path)
    yield opened
    opened.close()


def _current_passphrase() -> str:
    """The one ``shell_support.empty_store`` made the folder with."""
    return s.PASSPHRASE


def _tab(window: MainWindow) -> tuple[QTabWidget, PassphraseTab]:
    dialog = window.open_settings()
    assert dialog is not None
    tabs: QTabWidget = dialog.tabs  # type: ignore[attr-defined]
    for index in range(tabs.count()):
        widget = tabs.widget(index)
        if isinstance(widget, PassphraseTab):
            tabs.setCurrentIndex(index)
            return tabs, widget
    raise AssertionError("Settings has no passphrase tab")


def _type(edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, text)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_change_the_passphrase_by_keyboard(store: Store, qtbot: QtBot, lang: str) -> None:
    window = MainWindow(s.context(store, lang), lock_minutes=240)
    qtbot.addWidget(window)
    window.show()
    tabs, tab = _tab(window)
    tr = tab.ctx.tr
    assert tr("ui.passphrase.forgotten") != "ui.passphrase.forgotten"

    _type(tab.current, "vaara tunnuslause tassa")
    _type(tab.new, "lyhyt")
    _type(tab.repeat, "lyhyt")
    QTest.keyClick(tab.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.change_button.isEnabled())
    errors = {field: text.text() for field, (_w, text) in tab.errors.fields.items()}
    assert errors["current"] == i18n.tr("passphrase.wrong_current", lang)
    assert errors["new"] == i18n.tr(rule.TOO_SHORT, lang)
    assert tab.window().focusWidget() is tab.current  # back to the first field to fix
    assert tabs.window().isVisible()  # Enter did not also save and close Settings

    _type(tab.current, _current_passphrase())
    _type(tab.new, NEW)
    _type(tab.repeat, NEW)
    QTest.keyClick(tab.repeat, Qt.Key.Key_Return)  # Enter changes it; Settings stays open
    qtbot.waitUntil(lambda: tab.done.isVisible())
    assert tabs.window().isVisible()
    assert tab.done.text() == i18n.tr("ui.passphrase.changed", lang)
    assert (tab.current.text(), tab.new.text(), tab.repeat.text()) == ("", "", "")
    assert keys.check_passphrase(store.data_dir, NEW)
    assert not keys.check_passphrase(store.data_dir, _current_passphrase())


@pytest.mark.parametrize(
    ("lang", "size", "scale"),
    [("fi", (1024, 600), 1.0), ("sv", (1024, 600), 1.0), ("en", (1366, 768), 1.5)],
)
def test_the_tab_fits_small_screens_and_large_text(
    store: Store, qtbot: QtBot, lang: str, size: tuple[int, int], scale: float
) -> None:
    with themed(scale):
        window = MainWindow(s.context(store, lang), lock_minutes=240)
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        tabs, _tab_widget = _tab(window)
        dialog = tabs.window()
        settle(6)
        assert clipped_controls(dialog) == []
        if os.environ.get("SOSKU_SHOTS"):
            name = f"passphrase-{lang}-{size[0]}x{size[1]}-{int(scale * 100)}.png"
            dialog.grab().save(str(Path(os.environ["SOSKU_SHOTS"]) / name))
