"""Settings › About: the version, where the log is, and "Copy diagnostics".

Support asks for one paste instead of a phone call's worth of questions;
the text comes from ``diagnostics.gather`` and holds no client data.
"""

from __future__ import annotations

from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from sosku_desktop import __version__, diagnostics, logfile
from sosku_desktop.i18n import tr


def qt_version() -> str:
    return f"{qVersion()} (PySide6 {PySide6.__version__})"


class AboutTab(QWidget):
    """Version and log folder, and a button that copies the diagnostics text."""

    def __init__(self, data_dir: Path | None, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.lang = lang
        layout = QVBoxLayout(self)
        version = QLabel(tr("ui.about.version", lang).format(version=__version__))
        version.setObjectName("aboutVersion")
        log_folder = QLabel(tr("ui.about.log_folder", lang).format(folder=logfile.log_dir()))
        log_folder.setWordWrap(True)
        log_folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel(tr("ui.about.hint", lang))
        hint.setWordWrap(True)
        self.copy_button = QPushButton(tr("ui.about.copy", lang))
        self.copy_button.setObjectName("copyDiagnostics")
        self.copy_button.clicked.connect(self.copy)
        self.done = QLabel()
        for widget in (version, log_folder, hint):
            layout.addWidget(widget)
        layout.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.done)
        layout.addStretch(1)

    def text(self) -> str:
        return diagnostics.gather(self.data_dir, qt_version())

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
        self.done.setText(tr("ui.about.copied", self.lang))
