"""The start-up backup's problems reach the worker: a folder warning, or a restore offer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from sosku_desktop import i18n
from sosku_desktop.store import backup
from sosku_desktop.ui.shell import startup


def _answer(texts: list[str], click: str | None) -> None:
    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox):
        QTimer.singleShot(10, lambda: _answer(texts, click))
        return
    texts.append(box.text())
    texts.extend(b.text() for b in box.buttons())
    for button in box.buttons():
        if button.text() == click:
            button.click()
            return
    box.close()


def test_unusable_backup_folder_is_a_warning_naming_the_folder(
    tmp_path: Path, qtbot: QtBot
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    folder = tmp_path / "data" / "backups"
    texts: list[str] = []
    QTimer.singleShot(0, lambda: _answer(texts, None))
    outcome = backup.BackupOutcome(skipped=backup.FOLDER_UNUSABLE, folder=folder)
    assert not startup.report_backup_outcome(parent, outcome, "sv")
    assert texts[0] == i18n.tr("store.backup.folder_unusable", "sv", folder=str(folder))
    assert i18n.tr("ui.restore.now", "sv") not in texts


def test_damage_found_by_the_backup_offers_the_restore(tmp_path: Path, qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    texts: list[str] = []
    QTimer.singleShot(0, lambda: _answer(texts, i18n.tr("ui.restore.now")))
    outcome = backup.BackupOutcome(skipped=backup.SOURCE_DAMAGED, folder=tmp_path)
    assert startup.report_backup_outcome(parent, outcome, "fi")
    assert texts[0].startswith(i18n.tr("store.backup.source_damaged", folder=str(tmp_path))[:40])


def test_nothing_is_shown_when_the_backup_went_well(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    assert not startup.report_backup_outcome(
        parent, backup.BackupOutcome(skipped="unchanged"), "fi"
    )
