"""Today by keyboard alone: record a visit that just happened, take today's attendance.

Every key press and every focus change is counted (``QApplication.focusChanged``);
the jobs must stay within a few keys (the note's own text not counted).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes, models
from sosku_desktop.store.writer import new_id
from sosku_desktop.ui.dialogs.meeting_dialog import MeetingDialog
from sosku_desktop.ui.pages.today_items import TodayItem
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s

VISIT_AT = datetime.combine(s.TODAY, datetime.min.time()).replace(hour=10)
NOTE = "Kaytiin yhdessa kaupassa."  # QTest types ASCII only


@dataclass
class Day:
    ctx: AppContext
    window: MainWindow
    visit: models.Meeting
    session: models.GroupSession
    members: list[models.Client]


@dataclass
class Keyboard:
    """Presses keys where the focus is, counting presses and focus changes."""

    qtbot: QtBot
    keys: int = 0
    focus_changes: int = 0
    log: list[str] = field(default_factory=list)

    def on_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        self.focus_changes += 1
        self.log.append(type(new).__name__ if new is not None else "-")

    def target(self) -> QWidget:
        widget = QApplication.focusWidget() or QApplication.activeWindow()
        assert widget is not None
        return widget

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        self.keys += 1
        pressed = self.target()
        QTest.keyPress(pressed, key, modifier)
        # The release goes where the focus is now, as on a real keyboard (QTest would
        # send it to the press's widget, even when the shortcut has just hidden it).
        QTest.keyRelease(QApplication.focusWidget() or pressed, key, modifier)
        QApplication.processEvents()

    def type(self, text: str) -> None:  # the note's own text: not counted
        QTest.keyClicks(self.target(), text)


@pytest.fixture
def day(tmp_path: Path, qtbot: QtBot) -> Iterator[Day]:
    """Two clients; a home visit planned at 10 today (it is 12 now); a group session
    at 13 today with three members; a few reminders on the page as well."""
    store = s.empty_store(tmp_path)
    first, period = s.add_client(store, "Aino", "Korhonen", s.TODAY - timedelta(days=80))
    others = [
        s.add_client(store, name, "Virtanen", s.TODAY - timedelta(days=40))[0]
        for name in ("Bertta", "Cecilia")
    ]
    visit = models.Meeting(
        id=new_id(),
        period_id=period.id,
        starts_at=VISIT_AT,
        worker_id=store.worker_id,
        kind=codes.MEETING_HOME_VISIT,
        place="Asiakkaan koti",
        status=codes.MEETING_PLANNED,
    )
    group = models.Group(id=new_id(), name="Arjen taidot", place="Lyhty")
    session = models.GroupSession(
        id=new_id(), group_id=group.id, on=s.TODAY, starts_at="13.00", theme="Uni"
    )
    members = [first, *others]
    with store.write() as w:
        w.add(visit)
        w.add(group)
        w.add(session)
        for client in members:
            w.add(
                models.GroupMember(
                    id=new_id(), group_id=group.id, client_id=client.id, joined_on=s.TODAY
                )
            )
    ctx = s.context(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.nav.setFocus()
    yield Day(ctx, window, visit, session, members)
    window.close()
    store.close()


@pytest.fixture
def keyboard(qtbot: QtBot) -> Iterator[Keyboard]:
    board = Keyboard(qtbot)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.focusChanged.connect(board.on_focus)
    yield board
    app.focusChanged.disconnect(board.on_focus)


def test_record_a_visit_that_just_happened_from_today(
    day: Day, keyboard: Keyboard, qtbot: QtBot
) -> None:
    ctx, window = day.ctx, day.window
    window.go("clients")  # start anywhere
    keyboard.press(Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    item = QApplication.focusWidget()
    assert isinstance(item, TodayItem) and item.findChild(QWidget, "recordPlanned")
    keyboard.press(Qt.Key.Key_Return)
    dialog = window.dialogs[-1]
    assert isinstance(dialog, MeetingDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
    keyboard.type(NOTE)
    keyboard.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with ctx.store.read() as r:
        meeting = r.get(models.Meeting, day.visit.id)
    assert meeting.status == codes.MEETING_REALISED  # the planned visit itself is completed
    assert meeting.notes == NOTE and meeting.kind == codes.MEETING_HOME_VISIT
    print(f"\nrecord from Today: {keyboard.keys} keys, {keyboard.focus_changes} focus changes")
    assert keyboard.keys <= 40
    assert keyboard.focus_changes <= 10, keyboard.log


def test_take_todays_attendance_from_today(day: Day, keyboard: Keyboard, qtbot: QtBot) -> None:
    ctx, window = day.ctx, day.window
    keyboard.press(Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    # The visit comes first (10 o'clock); the session is the next item down.
    keyboard.press(Qt.Key.Key_Down)
    item = QApplication.focusWidget()
    assert isinstance(item, TodayItem) and item.findChild(QWidget, "openAttendance")
    keyboard.press(Qt.Key.Key_A)
    groups = window.page_by_key["groups"]
    sheet = groups.sheet  # type: ignore[attr-defined]
    assert sheet.isVisible() and sheet.session.id == day.session.id
    assert QApplication.focusWidget() is sheet.view
    for key in (Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_2):  # present, present, absent
        keyboard.press(key)
    keyboard.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with ctx.store.read() as r:
        marks = [a for a in r.list(models.Attendance) if a.session_id == day.session.id]
    assert sorted(a.status for a in marks) == sorted(
        [codes.ATTENDANCE_PRESENT, codes.ATTENDANCE_PRESENT, codes.ATTENDANCE_ABSENT]
    )
    print(f"\nattendance from Today: {keyboard.keys} keys, {keyboard.focus_changes} focus changes")
    assert keyboard.keys <= 10
    assert keyboard.focus_changes <= 6, keyboard.log


def test_arrows_walk_the_items_and_tab_leaves_them_at_once(day: Day, keyboard: Keyboard) -> None:
    window = day.window
    keyboard.press(Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    items = window.today.items.ring.items()
    assert len(items) >= 3  # reminders and the two agenda rows
    keyboard.press(Qt.Key.Key_Home)
    seen = [QApplication.focusWidget()]
    for _ in items[1:]:
        keyboard.press(Qt.Key.Key_Down)
        seen.append(QApplication.focusWidget())
    assert seen == items
    keyboard.press(Qt.Key.Key_Tab)
    assert not isinstance(QApplication.focusWidget(), TodayItem)  # one Tab leaves the list
    # Only one item is a Tab stop.
    stops = [i for i in items if i.focusPolicy() & Qt.FocusPolicy.TabFocus]
    assert len(stops) == 1


def test_every_reminder_has_its_own_main_action(day: Day) -> None:
    """The main (first) action of each reminder is the reminder's own step, not "open"."""
    page = day.window.today
    data = page.data
    assert data is not None and data.reminders
    for reminder in data.reminders:
        main, *_ = page.items.actions(reminder)
        assert main[0] != "ui.today.action.open", reminder.kind


def test_arrows_reach_items_not_yet_built(
    day: Day, keyboard: Keyboard, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today builds its items in batches; Down past the last built one builds the next."""
    from sosku_desktop.ui.pages import today_page

    monkeypatch.setattr(today_page, "BATCH", 1)
    page = day.window.today
    data = page.data
    assert data is not None
    page.show_data(data)  # rebuilt one item at a time
    reminders_shown = [r for r in data.reminders if r.key not in page.dismissed_keys()]
    total = len(reminders_shown) + len(data.agenda)
    assert len(page.items.ring.items()) == 2 and total > 2  # one of each built so far
    keyboard.press(Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    keyboard.press(Qt.Key.Key_Home)
    for _ in range(total + 2):
        keyboard.press(Qt.Key.Key_Down)
    assert len(page.items.ring.items()) == total
    assert QApplication.focusWidget() is page.items.ring.items()[-1]


class WindowWatch(QObject):
    """Records every widget that shows as a window of its own (a flash steals focus)."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and not isinstance(watched, (QMainWindow, QDialog))
        ):
            self.shown.append(type(watched).__name__)
        return False


def test_page_shortcuts_put_the_keyboard_into_the_page(day: Day, keyboard: Keyboard) -> None:
    window = day.window
    watch = WindowWatch()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(watch)
    pages = ("today", "clients", "groups", "calendar", "reports", "sync")
    for number, key in enumerate(pages, 1):
        keyboard.press(getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
        assert window.current_key() == key
        page = window.pages.currentWidget()
        focus = QApplication.focusWidget()
        assert focus is not None and page.isAncestorOf(focus), (key, focus)
        if key == "clients":
            assert focus is window.clients.search  # type and the list filters
    app.removeEventFilter(watch)
    assert watch.shown == []  # no control flashes up as a window of its own
