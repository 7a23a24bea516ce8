"""Tab leaves every table, list and tree of the app; arrows move within.

The walk visits every page of the main window (a client's every tab, a
group, its attendance sheet) and the dialogs that hold item views, and for
each visible item view gives it focus, presses Tab and checks that focus
went to a control outside the view.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QCalendarWidget, QWidget
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import models
from sosku_desktop.ui.shell.main_window import NAV_KEYS, MainWindow
from tests.ui import shell_support as s
from tests.ui.test_today_keyboard import WindowWatch


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    store = s.demo_store(tmp_path)
    win = MainWindow(s.context(store))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    win.close()
    store.close()


def _inside(widget: QWidget | None, view: QWidget) -> bool:
    while widget is not None:
        if widget is view:
            return True
        widget = widget.parentWidget()
    return False


def _trapping_views(root: QWidget, qtbot: QtBot, where: str) -> list[str]:
    """Visible, focusable item views of ``root`` that keep the focus on Tab."""
    trapped: list[str] = []
    for view in root.findChildren(QAbstractItemView):
        if (
            not view.isVisible()
            or not view.isEnabled()
            or view.focusPolicy() == Qt.FocusPolicy.NoFocus
        ):
            continue
        if isinstance(view.parentWidget(), QCalendarWidget) or view.window() is not root.window():
            continue
        name = f"{where}:{type(view).__name__}#{view.objectName()}"
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        QApplication.processEvents()
        if QApplication.focusWidget() is not view:
            continue  # cannot take focus at all: nothing to leave
        model = view.model()
        if not view.currentIndex().isValid() and model is not None and model.rowCount() > 0:
            view.setCurrentIndex(model.index(0, 0))
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        if _inside(QApplication.focusWidget(), view):
            trapped.append(name)
    return trapped


def _walk(window: MainWindow, qtbot: QtBot) -> tuple[list[str], int]:
    trapped: list[str] = []
    seen = 0
    for key, _ in NAV_KEYS:
        window.go(key)
        QApplication.processEvents()
        seen += len(window.findChildren(QAbstractItemView))
        trapped += _trapping_views(window, qtbot, key)
    # A client's every tab.
    with window.ctx.store.read() as r:
        client = r.clients()[0]
    window.open_client(client.id)
    tabs = window.client_view.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        QApplication.processEvents()
        trapped += _trapping_views(window, qtbot, f"client/{tabs.tabText(index)}")
    # A group and its attendance sheet.
    groups = window.page_by_key["groups"]
    window.go("groups")
    with window.ctx.store.read() as r:
        session = r.list(models.GroupSession)[0]
    assert groups.select_group(session.group_id)  # type: ignore[attr-defined]
    QApplication.processEvents()
    trapped += _trapping_views(window, qtbot, "groups/detail")
    assert groups.open_session(session.id)  # type: ignore[attr-defined]
    QApplication.processEvents()
    trapped += _trapping_views(window, qtbot, "groups/sheet")
    # Dialogs with lists.
    settings = window.open_settings()
    assert settings is not None
    for index in range(settings.tabs.count()):  # type: ignore[attr-defined]
        settings.tabs.setCurrentIndex(index)  # type: ignore[attr-defined]
        QApplication.processEvents()
        trapped += _trapping_views(settings, qtbot, f"settings/{index}")
    settings.close()
    for opened in (window.open_expenses(), window.show_help(sheet=True)):
        QApplication.processEvents()
        trapped += _trapping_views(opened, qtbot, type(opened).__name__)
        opened.close()
    return trapped, seen


def test_tab_leaves_every_item_view(window: MainWindow, qtbot: QtBot) -> None:
    watch = WindowWatch()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(watch)
    try:
        trapped, seen = _walk(window, qtbot)
    finally:
        app.removeEventFilter(watch)
    assert watch.shown == []  # nothing on the way flashed up as a window of its own
    assert seen >= 5  # the walk really met tables and lists
    assert trapped == []


def test_tab_reaches_the_attendance_save_from_the_sheet(window: MainWindow, qtbot: QtBot) -> None:
    groups = window.page_by_key["groups"]
    window.go("groups")
    with window.ctx.store.read() as r:
        session = r.sessions_between(s.TODAY - timedelta(days=14), s.TODAY)[-1]
    assert groups.open_session(session.id)  # type: ignore[attr-defined]
    sheet = groups.sheet  # type: ignore[attr-defined]
    sheet.view.setFocus()
    sheet.view.setCurrentIndex(sheet.model.index(0, 0))
    qtbot.keyClick(sheet.view, Qt.Key.Key_1)  # marks the first person: there is a change to save
    assert sheet.save_button.isEnabled()
    reached = False
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if QApplication.focusWidget() is sheet.save_button:
            reached = True
            break
    assert reached


VIEW_MADE = re.compile(r"\b(QTableView|QTableWidget|QListView|QTreeView|QListWidget|QTreeWidget)\(")


def test_every_item_view_in_the_code_is_made_with_leave_on_tab() -> None:
    """Views on screens the walk does not reach are covered here: each one is made
    through ``leave_on_tab`` (on the same line)."""
    root = Path(__file__).resolve().parents[2] / "sosku_desktop" / "ui"
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if VIEW_MADE.search(line) and "leave_on_tab(" not in line and "import" not in line
    ]
    assert offenders == []
