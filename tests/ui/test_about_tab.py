"""Settings › About: "Copy diagnostics" copies versions, store state and log lines."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from sosku_desktop import __version__, logfile
from sosku_desktop.domain import models
from sosku_desktop.operations.settings import settings_form
from sosku_desktop.preferences import Preferences
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id
from sosku_desktop.ui.dialogs.about_tab import AboutTab
from sosku_desktop.ui.dialogs.settings_dialog import SettingsDialog
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.tasks import Tasks

CANARY = ("Kanariakettunen", "Diagnoosiviesti")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("SOSKU_LOG_DIR", str(tmp_path / "logs"))
    logfile.configure()
    s = Store.create(tmp_path / "d", "passphrase")
    with s.write() as w:
        w.add(models.Client(id=new_id(), first_name=CANARY[0], last_name="X", notes=CANARY[1]))
    yield s
    s.close()
    logfile.close()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_copy_diagnostics(qtbot: QtBot, store: Store, tmp_path: Path, lang: str) -> None:
    logging.getLogger("sosku.test").warning("a line support should see")
    prefs = Preferences(tmp_path / "d")
    dialog = SettingsDialog(
        AppContext(store=store, prefs=prefs, lang=lang, tasks=Tasks(synchronous=True)),
        settings_form(store),
    )
    qtbot.addWidget(dialog)
    tabs = dialog.tabs
    tabs.addTab(AboutTab(store.data_dir, lang), "About")  # as MainWindow.open_settings does
    about = tabs.widget(tabs.count() - 1)
    assert isinstance(about, AboutTab)
    tabs.setCurrentWidget(about)
    qtbot.mouseClick(about.copy_button, Qt.MouseButton.LeftButton)
    text = QGuiApplication.clipboard().text()
    assert text.startswith(f"Sosku {__version__}\n")
    for expected in ("Qt: ", "OS: ", "database: ", "backups: ", "a line support should see"):
        assert expected in text, expected
    for canary in CANARY:
        assert canary not in text
    assert about.done.text()
    if lang == "en":
        dialog.resize(920, 620)
        dialog.grab().save(str(tmp_path.parent / "about_tab.png"))
