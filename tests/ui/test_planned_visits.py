"""Planned visits: Ctrl+M completes today's, and one left unrecorded becomes a reminder."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFrame, QPushButton
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes, models, reminders
from sosku_desktop.store.writer import new_id
from sosku_desktop.ui.dialogs.meeting_dialog import MeetingDialog
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s

Setup = tuple[AppContext, MainWindow, models.Client, models.Meeting]


def _setup(tmp_path: Path, qtbot: QtBot, day_offset: int) -> Iterator[Setup]:
    store = s.empty_store(tmp_path)
    client, period = s.add_client(store, "Aino", "Korhonen", s.TODAY - timedelta(days=40))
    planned = models.Meeting(
        id=new_id(),
        period_id=period.id,
        worker_id=store.worker_id,
        starts_at=datetime.combine(s.TODAY + timedelta(days=day_offset), time(10, 0)),
        status=codes.MEETING_PLANNED,
        place="Kirjasto",
    )
    with store.write() as w:
        w.add(planned)
    ctx = s.context(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield ctx, window, client, planned
    window.close()
    store.close()


@pytest.fixture
def planned_today(tmp_path: Path, qtbot: QtBot) -> Iterator[Setup]:
    yield from _setup(tmp_path, qtbot, 0)


@pytest.fixture
def planned_yesterday(tmp_path: Path, qtbot: QtBot) -> Iterator[Setup]:
    yield from _setup(tmp_path, qtbot, -1)


def _meetings(ctx: AppContext, period_id: str) -> list[models.Meeting]:
    with ctx.store.read() as r:
        return r.meetings_of([period_id])


def test_ctrl_m_completes_todays_planned_visit(planned_today: Setup, qtbot: QtBot) -> None:
    """Issue 12: Ctrl+M recorded a second meeting; the planned one stayed "planned"."""
    ctx, window, client, planned = planned_today
    window.open_client(client.id)
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dialog = window.dialogs[-1]
    assert isinstance(dialog, MeetingDialog) and dialog.isVisible()
    assert dialog.existing is not None and dialog.existing.id == planned.id
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.notes)
    QTest.keyClicks(dialog.notes, "Kaytiin kirjastossa.")
    QTest.keyClick(dialog.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (only,) = _meetings(ctx, planned.period_id)
    assert only.id == planned.id and only.status == codes.MEETING_REALISED
    assert only.starts_at == planned.starts_at and only.notes == "Kaytiin kirjastossa."


def _cards(window: MainWindow) -> dict[str, QFrame]:
    layout = window.today.reminder_list
    widgets = [layout.itemAt(i).widget() for i in range(layout.count())]
    return {
        str(w.property("kind")): w
        for w in widgets
        if isinstance(w, QFrame) and w.objectName() == "reminderCard"
    }


def test_an_unrecorded_planned_visit_is_a_reminder_that_completes_it(
    planned_yesterday: Setup, qtbot: QtBot
) -> None:
    """Issue 12: planned visits left unrecorded dropped off Today with no reminder."""
    ctx, window, _client, planned = planned_yesterday
    window.go("today")
    qtbot.waitUntil(lambda: reminders.UNRECORDED_MEETING in _cards(window))
    card = _cards(window)[reminders.UNRECORDED_MEETING]
    (record,) = [
        b
        for b in card.findChildren(QPushButton)
        if b.property("action") == "ui.today.action.record"
    ]
    record.click()
    dialog = window.dialogs[-1]
    assert isinstance(dialog, MeetingDialog) and dialog.isVisible()
    assert dialog.existing is not None and dialog.existing.id == planned.id
    assert dialog.submit(codes.MEETING_NO_SHOW)
    (only,) = _meetings(ctx, planned.period_id)
    assert only.id == planned.id and only.status == codes.MEETING_NO_SHOW
    qtbot.waitUntil(lambda: reminders.UNRECORDED_MEETING not in _cards(window))
