"""Meeting entry: a home visit by keyboard alone, the other outcomes, validation, undo."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.meetings import NEXT_MEETING_DAYS
from sosku_desktop.store.writer import new_id
from sosku_desktop.ui.dialogs.meeting_dialog import MeetingDialog
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s


@pytest.fixture
def setup(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, MainWindow, str, str]]:
    store = s.empty_store(tmp_path)
    client, period = s.add_client(store, "Aino", "Korhonen", s.TODAY - timedelta(days=40))
    goal = models.Goal(id=new_id(), period_id=period.id, text="Käyn ulkona joka päivä", progress=30)
    with store.write() as w:
        w.add(goal)
    ctx = s.context(store)
    ctx.prefs.set("last_meeting_place", "Asiakkaan koti")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.open_client(client.id)
    yield ctx, window, period.id, goal.id
    window.close()
    store.close()


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _type(text: str) -> None:
    """Type ASCII text (QTest's key mapping asserts on other characters)."""
    QTest.keyClicks(_focused(), text)


def _key(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(_focused(), key, modifier)


def test_home_visit_by_keyboard_in_at_most_eight_focus_changes(
    setup: tuple[AppContext, MainWindow, str, str], qtbot: QtBot
) -> None:
    ctx, window, period_id, goal_id = setup
    window.activateWindow()
    changes: list[QWidget | None] = []
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.focusChanged.connect(lambda _old, new: changes.append(new))
    dialog = window.client_view.record_meeting()
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.notes)

    _type("Kaytiin yhdessa kaupassa. Asiakas maksoi itse.")
    _key(Qt.Key.Key_Tab)
    assert _focused() is dialog.agreed
    _type("Asiakas pitaa paivakirjaa ensi kertaan.")
    _key(Qt.Key.Key_Tab)
    assert _focused() is dialog.methods
    _type("Viikko")  # type-ahead jumps to "Viikkojärjestys"
    _key(Qt.Key.Key_Space)
    _key(Qt.Key.Key_Tab)
    assert _focused() is dialog.goals
    _key(Qt.Key.Key_Plus)  # ticks the goal and nudges it 30 % → 40 %
    _key(Qt.Key.Key_Tab)
    assert _focused() is dialog.next_check
    _key(Qt.Key.Key_Space)
    _key(Qt.Key.Key_Tab)
    assert _focused() is dialog.next_when
    _key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    assert len(changes) <= 8, changes
    with ctx.store.read() as r:
        meetings = r.meetings_of([period_id])
        progress = r.list(models.GoalProgress, goal_id=goal_id)
        goal = r.get(models.Goal, goal_id)
    realised = [m for m in meetings if m.status == codes.MEETING_REALISED]
    planned = [m for m in meetings if m.status == codes.MEETING_PLANNED]
    assert len(realised) == 1 and len(planned) == 1
    visit = realised[0]
    assert visit.kind == codes.MEETING_HOME_VISIT
    assert visit.place == "Asiakkaan koti"
    # a visit that just happened: it started one duration (60 min) before now
    assert visit.starts_at == s.NOW - timedelta(minutes=60)
    assert visit.duration_min == 60
    assert visit.notes == "Kaytiin yhdessa kaupassa. Asiakas maksoi itse."
    assert visit.agreed_next == "Asiakas pitaa paivakirjaa ensi kertaan."
    assert visit.methods == ["weekly_schedule"]
    assert visit.goal_ids == [goal_id]
    assert visit.worker_id == ctx.store.worker_id
    assert [(p.progress, p.meeting_id) for p in progress] == [(40, visit.id)]
    assert goal.progress == 40
    # same weekday and hour two weeks later, in working hours
    assert planned[0].starts_at == visit.starts_at + timedelta(days=NEXT_MEETING_DAYS)
    assert planned[0].kind == codes.MEETING_HOME_VISIT
    # the status bar offers to undo, and the sync count includes the new bundle
    assert window.undo_button.isVisible()
    assert window.sync_status.text() == ctx.tr("ui.shell.sync_waiting", n=ctx.store.outbox_size())


@pytest.mark.parametrize("status", [codes.MEETING_CANCELLED, codes.MEETING_NO_SHOW])
def test_cancelled_and_no_show_take_one_click(
    setup: tuple[AppContext, MainWindow, str, str], qtbot: QtBot, status: str
) -> None:
    ctx, window, period_id, goal_id = setup
    dialog = window.client_view.record_meeting()
    assert dialog is not None
    dialog.goals.nudge(dialog.goals.item(0), 10)  # nudges only count for realised meetings
    target = dialog.cancelled_button if status == codes.MEETING_CANCELLED else dialog.no_show_button
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    with ctx.store.read() as r:
        meetings = r.meetings_of([period_id])
        assert r.list(models.GoalProgress, goal_id=goal_id) == []
    assert [m.status for m in meetings] == [status]
    # cancelled and no-show do not change the remembered defaults
    assert ctx.prefs.get("last_meeting_kind") == codes.MEETING_HOME_VISIT


@pytest.mark.parametrize(
    ("lang", "letter", "status"),
    [
        ("fi", Qt.Key.Key_E, codes.MEETING_NO_SHOW),
        ("fi", Qt.Key.Key_P, codes.MEETING_CANCELLED),
        ("sv", Qt.Key.Key_K, codes.MEETING_NO_SHOW),
        ("en", Qt.Key.Key_N, codes.MEETING_CANCELLED),
    ],
)
def test_a_planned_visit_is_marked_no_show_or_cancelled_with_one_key(
    setup: tuple[AppContext, MainWindow, str, str],
    qtbot: QtBot,
    lang: str,
    letter: Qt.Key,
    status: str,
) -> None:
    """Alt+letter from where the dialog puts the keyboard (the note), not eight Tabs."""
    ctx, window, period_id, _ = setup
    ctx.lang = lang
    planned = models.Meeting(
        id=new_id(),
        period_id=period_id,
        starts_at=s.NOW - timedelta(hours=2),
        kind=codes.MEETING_HOME_VISIT,
        status=codes.MEETING_PLANNED,
    )
    with ctx.store.write() as w:
        w.add(planned)
    dialog = window.client_view.record_meeting(planned)
    assert dialog is not None
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.notes)
    _key(letter, Qt.KeyboardModifier.AltModifier)
    assert not dialog.isVisible()
    with ctx.store.read() as r:
        assert [(m.id, m.status) for m in r.meetings_of([period_id])] == [(planned.id, status)]


def test_completing_a_planned_meeting_updates_that_row(
    setup: tuple[AppContext, MainWindow, str, str], qtbot: QtBot
) -> None:
    ctx, window, period_id, _ = setup
    planned = models.Meeting(
        id=new_id(),
        period_id=period_id,
        starts_at=s.NOW - timedelta(hours=2),
        kind=codes.MEETING_WALK,
        place="Keskuspuisto",
        status=codes.MEETING_PLANNED,
    )
    with ctx.store.write() as w:
        w.add(planned)
    dialog = window.client_view.record_meeting(planned)
    assert dialog is not None
    assert dialog.kind.currentData() == codes.MEETING_WALK
    assert dialog.place.text() == "Keskuspuisto"
    dialog.notes.setPlainText("Kävelimme rantaan.")
    assert dialog.submit(codes.MEETING_REALISED)
    with ctx.store.read() as r:
        meetings = r.meetings_of([period_id])
    assert [(m.id, m.status, m.notes) for m in meetings] == [
        (planned.id, codes.MEETING_REALISED, "Kävelimme rantaan.")
    ]
    assert ctx.prefs.get("last_meeting_kind") == codes.MEETING_WALK
    assert ctx.prefs.get("last_meeting_place") == "Keskuspuisto"


def test_problems_are_shown_next_to_the_field_and_nothing_is_saved(
    setup: tuple[AppContext, MainWindow, str, str], qtbot: QtBot
) -> None:
    ctx, window, period_id, _ = setup
    dialog = window.client_view.record_meeting()
    assert dialog is not None
    QApplication.processEvents()
    place_width = dialog.place.width()
    dialog.date.setDate(dialog.date.date().addDays(2))  # a realised meeting in the future
    dialog.next_check.setChecked(True)
    dialog.next_when.setDateTime(dialog.next_when.dateTime().addDays(-30))
    before = ctx.store.outbox_size()
    assert not dialog.submit(codes.MEETING_REALISED)
    assert dialog.isVisible()
    date_error = dialog.errors.fields["starts_at"][1]
    next_error = dialog.errors.fields["next_meeting"][1]
    assert date_error.isVisible()
    assert date_error.text() == ctx.tr("validation.realised_in_future")
    assert next_error.text() == ctx.tr("ui.meeting.next_in_past")
    # the message does not widen the date's column: the place stayed 90 px wide
    QApplication.processEvents()
    assert dialog.place.width() >= place_width * 0.9
    assert ctx.store.outbox_size() == before
    with ctx.store.read() as r:
        assert r.meetings_of([period_id]) == []


def test_a_meeting_before_the_period_stays_open_with_what_was_typed(
    setup: tuple[AppContext, MainWindow, str, str], qtbot: QtBot
) -> None:
    ctx, window, period_id, _ = setup
    dialog = window.client_view.record_meeting()
    assert dialog is not None
    dialog.date.setDate(dialog.date.date().addDays(-200))  # the period began 40 days ago
    dialog.notes.setPlainText("Kahvila, puhuttiin budjetista")
    assert not dialog.submit(codes.MEETING_REALISED)
    assert dialog.isVisible()
    assert dialog.notes.toPlainText() == "Kahvila, puhuttiin budjetista"
    error = dialog.errors.fields["starts_at"][1]
    assert error.isVisible() and "Korjaa päivämäärä" in error.text()
    assert ctx.date(s.TODAY - timedelta(days=40)) in error.text()
    with ctx.store.read() as r:
        assert r.meetings_of([period_id]) == []


def test_plan_mode_saves_a_planned_meeting(
    setup: tuple[AppContext, MainWindow, str, str], qtbot: QtBot
) -> None:
    ctx, window, period_id, _ = setup
    dialog = window.client_view.plan_meeting()
    assert dialog is not None
    assert not dialog.methods.isVisible() and not dialog.no_show_button.isVisible()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    _key(Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # no hidden "did not come" by key
    assert dialog.isVisible()
    assert dialog.submit(codes.MEETING_PLANNED)
    with ctx.store.read() as r:
        (meeting,) = r.meetings_of([period_id])
    assert meeting.status == codes.MEETING_PLANNED
    assert meeting.starts_at == (s.NOW + timedelta(days=1)).replace(hour=10)


def test_undo_takes_back_the_whole_entry(
    setup: tuple[AppContext, MainWindow, str, str], qtbot: QtBot
) -> None:
    ctx, window, period_id, goal_id = setup
    dialog = window.client_view.record_meeting()
    assert dialog is not None
    dialog.notes.setPlainText("Tapaaminen")
    dialog.goals.nudge(dialog.goals.item(0), 20)
    dialog.next_check.setChecked(True)
    assert dialog.submit(codes.MEETING_REALISED)
    qtbot.mouseClick(window.undo_button, Qt.MouseButton.LeftButton)
    with ctx.store.read() as r:
        assert r.meetings_of([period_id]) == []
        assert r.list(models.GoalProgress, goal_id=goal_id) == []
        assert r.get(models.Goal, goal_id).progress == 30
        deleted = r.list(models.Meeting, include_deleted=True, period_id=period_id)
    assert len(deleted) == 2 and all(m.deleted for m in deleted)
    assert not window.undo_button.isVisible()
    assert window.message.text() == ctx.tr("ui.shell.undone")


def test_a_client_without_a_period_cannot_record(tmp_path: Path, qtbot: QtBot) -> None:
    store = s.empty_store(tmp_path)
    client = models.Client(id=new_id(), first_name="Olli", last_name="Ojala")
    with store.write() as w:
        w.add(client)
    ctx = s.context(store)
    from sosku_desktop.store.records import open_client_record

    dialog = MeetingDialog(ctx, open_client_record(store, client.id))
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled()
    assert not dialog.submit(codes.MEETING_REALISED)
    store.close()


def test_the_selected_meetings_visit_entry_is_copied_for_the_record_system(
    setup: tuple[AppContext, MainWindow, str, str], qtbot: QtBot
) -> None:
    """The entry the worker pastes after every meeting was only a script command away
    (`sosku document visit-entry`); now Ctrl+C on the meeting or its button, logged."""
    from PySide6.QtGui import QGuiApplication

    ctx, window, period_id, _ = setup
    held = models.Meeting(
        id=new_id(),
        period_id=period_id,
        starts_at=s.NOW - timedelta(days=1),
        kind=codes.MEETING_WALK,
        place="Rantapuisto",
        notes="Käveltiin rantaan.",
        status=codes.MEETING_REALISED,
        worker_id=ctx.store.worker_id,
    )
    with ctx.store.write() as w:
        w.add(held)
    view = window.client_view
    window.open_client(view.client_id or "")  # read again with the meeting
    view.tabs.setCurrentWidget(view.meetings)
    tab = view.meetings
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    assert not tab.copy_button.isEnabled()  # nothing chosen yet
    QGuiApplication.clipboard().clear()
    tab.table.setFocus()
    tab.table.selectRow(0)
    assert tab.copy_button.isEnabled()
    QTest.keyClick(tab.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = QGuiApplication.clipboard().text()
    for line in ("Käyntikirjaus", "Asiointitapa: Kävelytapaaminen", "Käveltiin rantaan."):
        assert line in text, line
    with ctx.store.read() as r:
        logged = [(e.action, e.record_id) for e in r.audit_of_client(view.client_id or "")]
    assert (codes.AUDIT_EXPORT, "visit-entry") in logged
