"""Every control has a name a screen reader can say, and body text reads at 4.5:1.

Walks every widget of every page (Today, Clients, a client with each tab,
Groups, the attendance sheet, Calendar, Reports, Sync) and the main dialogs
(meeting entry, Settings with each tab, the new-client wizard, the budget)
with the real theme applied. See ``a11y_support`` for how the name and the
contrast are measured.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s
from tests.ui.a11y_support import low_contrast_texts, unnamed_controls
from tests.ui.layout_support import settle, themed, walk_views


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, MainWindow]]:
    store = s.demo_store(tmp_path)
    ctx = s.context(store)
    with themed():
        main = MainWindow(ctx, lock_minutes=240)
        qtbot.addWidget(main)
        main.resize(1366, 768)
        main.show()
        settle()
        yield ctx, main
    store.close()


def test_every_page_names_its_controls_and_reads_well(
    window: tuple[AppContext, MainWindow],
) -> None:
    ctx, main = window
    problems = {
        view: found
        for view in walk_views(main, ctx)
        if (found := unnamed_controls(main) + low_contrast_texts(main))
    }
    assert problems == {}


def _dialogs(main: MainWindow) -> list[tuple[str, Callable[[], QWidget | None]]]:
    return [
        ("meeting", lambda: main.client_view.record_meeting()),
        ("settings", main.open_settings),
        ("new client", main.new_client),
        ("budget", main.open_expenses),
    ]


def test_the_main_dialogs_name_their_controls_and_read_well(
    window: tuple[AppContext, MainWindow],
) -> None:
    ctx, main = window
    for _view in walk_views(main, ctx):  # ends with a client opened on the way
        pass
    from sosku_desktop.ui.shell.screenshots import showcase_client

    main.open_client(showcase_client(ctx) or "")
    settle()
    problems: dict[str, list[str]] = {}
    for name, open_it in _dialogs(main):
        dialog = open_it()
        assert isinstance(dialog, QDialog), name
        settle()
        pages = dialog.findChildren(QTabWidget)
        tabs = pages[0] if pages and name == "settings" else None
        for index in range(tabs.count() if tabs is not None else 1):
            if tabs is not None:
                tabs.setCurrentIndex(index)
                settle()
            found = unnamed_controls(dialog) + low_contrast_texts(dialog)
            if found:
                problems[f"{name}/{index}"] = found
        dialog.reject()
        settle()
    assert problems == {}


class _Painted(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setMinimumSize(120, 24)

    def painted_lines(self) -> list[tuple[str, QFont, QColor]]:
        return [("Maalattu teksti", self.font(), QColor("#c8c8c8"))]


def test_the_checkers_can_fail(qtbot: QtBot) -> None:
    with themed():
        holder = QWidget()
        qtbot.addWidget(holder)
        layout = QVBoxLayout(holder)
        layout.addWidget(QLineEdit())  # no label, no name
        layout.addWidget(QPushButton("Tallenna"))  # named by its text
        faint = QLabel("Himmeä teksti")
        faint.setStyleSheet("color: #c8c8c8;")  # about 1.7:1 on the light window
        layout.addWidget(faint)
        layout.addWidget(_Painted())  # a widget painting its own faint line (a calendar card)
        holder.show()
        settle()
        assert len(unnamed_controls(holder)) == 1
        assert len(low_contrast_texts(holder)) == 2
