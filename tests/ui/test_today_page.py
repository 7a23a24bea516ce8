"""Today: reminders from the domain, their one-click actions, and the agenda."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFrame, QPushButton
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes, models, reminders
from sosku_desktop.preferences import Preferences
from sosku_desktop.store.writer import new_id
from sosku_desktop.ui.client.tabs.decision_dialog import DecisionDialog
from sosku_desktop.ui.dialogs.meeting_dialog import MeetingDialog
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s

START = date(2026, 9, 1)


@pytest.fixture
def today(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, MainWindow, models.Client]]:
    """One client whose first 3-month decision ends on 30.11.2026, no meetings in November."""
    store = s.empty_store(tmp_path)
    client, period = s.add_client(store, "Aino", "Korhonen", START)
    decision = models.Decision(
        id=new_id(),
        period_id=period.id,
        kind=codes.DECISION_REHABILITATION,
        valid_from=START,
        valid_to=date(2026, 11, 30),
        heard_how="Tavattu",
        planned_meetings=6,
        rate_cents=900,
    )
    with store.write() as w:
        w.add(decision)
    ctx = s.context(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    yield ctx, window, client
    window.close()
    store.close()


def cards(window: MainWindow) -> dict[str, QFrame]:
    """The reminder cards now in the list (replaced ones are on their way out)."""
    layout = window.today.reminder_list
    widgets = [layout.itemAt(i).widget() for i in range(layout.count())]
    return {
        str(w.property("kind")): w
        for w in widgets
        if isinstance(w, QFrame) and w.objectName() == "reminderCard"
    }


def action(card: QFrame, key: str) -> QPushButton:
    (found,) = [b for b in card.findChildren(QPushButton) if b.property("action") == key]
    return found


def test_reminders_are_the_domains_in_the_workers_language(
    today: tuple[AppContext, MainWindow, models.Client],
) -> None:
    ctx, window, client = today
    shown = cards(window)
    assert set(shown) == {
        reminders.DECISION_ENDING,
        reminders.EVALUATION_DUE,
        reminders.TOO_FEW_MEETINGS,
    }
    data = window.today.data
    assert data is not None
    few = next(r for r in data.reminders if r.kind == reminders.TOO_FEW_MEETINGS)
    texts = [label.text() for label in shown[few.kind].findChildren(type(window.message))]
    assert ctx.tr(few.title_key) in texts
    assert window.today.reminder_text(few) in texts
    assert "2" in window.today.reminder_text(few)
    buttons = [b.text() for b in shown[few.kind].findChildren(QPushButton)]
    assert client.full_name in buttons


def test_recording_two_meetings_clears_the_too_few_meetings_reminder(
    today: tuple[AppContext, MainWindow, models.Client], qtbot: QtBot
) -> None:
    _ctx, window, _ = today
    for expected_left in (True, False):
        card = cards(window)[reminders.TOO_FEW_MEETINGS]
        action(card, "ui.today.action.record").click()
        dialog = window.dialogs[-1]
        assert isinstance(dialog, MeetingDialog) and dialog.isVisible()
        dialog.notes.setPlainText("Kotikäynti")
        assert dialog.submit(codes.MEETING_REALISED)
        assert (reminders.TOO_FEW_MEETINGS in cards(window)) is expected_left
    assert window.today.stat_meetings.text() == "2"


def test_drafting_the_continuation_clears_decision_and_evaluation_reminders(
    today: tuple[AppContext, MainWindow, models.Client], qtbot: QtBot
) -> None:
    _ctx, window, _ = today
    shown = cards(window)
    assert reminders.DECISION_ENDING in shown and reminders.EVALUATION_DUE in shown
    action(shown[reminders.DECISION_ENDING], "ui.today.action.continuation").click()
    dialog = window.dialogs[-1]
    assert isinstance(dialog, DecisionDialog)
    draft = dialog.decision()
    assert (draft.valid_from, draft.valid_to) == (date(2026, 12, 1), date(2027, 2, 28))
    assert draft.continuation and draft.kind == codes.DECISION_REHABILITATION
    assert draft.rate_cents == 900 and draft.planned_meetings == 6
    assert dialog.submit()
    after = cards(window)
    assert reminders.DECISION_ENDING not in after
    assert reminders.EVALUATION_DUE not in after


def test_a_decision_draft_with_problems_stays_open_with_messages(
    today: tuple[AppContext, MainWindow, models.Client], qtbot: QtBot
) -> None:
    ctx, window, _ = today
    action(cards(window)[reminders.DECISION_ENDING], "ui.today.action.continuation").click()
    dialog = window.dialogs[-1]
    assert isinstance(dialog, DecisionDialog)
    dialog.heard_how.clear()
    dialog.valid_to.setDate(dialog.valid_to.date().addMonths(2))
    assert not dialog.submit()
    assert dialog.errors.fields["heard_how"][1].text() == ctx.tr("validation.heard_how_required")
    assert dialog.errors.fields["valid_to"][1].isVisible()
    assert reminders.DECISION_ENDING in cards(window)


def test_plan_the_evaluation_creates_a_planned_meeting(
    today: tuple[AppContext, MainWindow, models.Client], qtbot: QtBot
) -> None:
    ctx, window, client = today
    action(cards(window)[reminders.EVALUATION_DUE], "ui.today.action.plan_evaluation").click()
    dialog = window.dialogs[-1]
    assert isinstance(dialog, MeetingDialog) and dialog.plan
    assert dialog.notes.toPlainText() == ctx.tr("ui.today.evaluation_note")
    assert dialog.submit(codes.MEETING_PLANNED)
    with ctx.store.read() as r:
        (meeting,) = r.list(models.Meeting)
    assert meeting.status == codes.MEETING_PLANNED
    assert meeting.starts_at == datetime(2026, 11, 25, 10, 0)
    agenda_titles = [item.title for item in window.today.data.agenda]  # type: ignore[union-attr]
    assert agenda_titles == [client.full_name]


def test_agenda_offers_recording_todays_planned_meeting(
    today: tuple[AppContext, MainWindow, models.Client], qtbot: QtBot
) -> None:
    ctx, window, client = today
    with ctx.store.read() as r:
        (period,) = r.periods_of(client.id)
    planned = models.Meeting(
        id=new_id(),
        period_id=period.id,
        starts_at=s.NOW - timedelta(hours=2),
        status=codes.MEETING_PLANNED,
    )
    with ctx.store.write() as w:
        w.add(planned)
    window.today.refresh()
    record = [
        b
        for b in window.today.findChildren(QPushButton)
        if b.text() == ctx.tr("ui.today.action.record_short")
    ]
    assert len(record) == 1
    record[0].click()
    dialog = window.dialogs[-1]
    assert isinstance(dialog, MeetingDialog) and dialog.existing == planned
    assert dialog.submit(codes.MEETING_REALISED)
    with ctx.store.read() as r:
        assert r.get(models.Meeting, planned.id).status == codes.MEETING_REALISED


def test_only_my_clients_by_default(
    today: tuple[AppContext, MainWindow, models.Client], qtbot: QtBot
) -> None:
    ctx, window, _ = today
    colleague = models.Worker(id=new_id(), name="Mikko Laine")
    with ctx.store.write() as w:
        w.add(colleague)
    other, period = s.add_client(ctx.store, "Pekka", "Heikkinen", START)
    period.worker_id = colleague.id
    with ctx.store.write() as w:
        w.update(period)
    window.today.refresh()
    data = window.today.data
    assert data is not None
    assert other.id not in {r.client_id for r in data.reminders}
    window.today.only_mine.setChecked(False)
    data = window.today.data
    assert data is not None and other.id in {r.client_id for r in data.reminders}


def test_an_acknowledged_reminder_stays_hidden_until_it_falls_due_again(
    today: tuple[AppContext, MainWindow, models.Client],
) -> None:
    ctx, window, _client = today
    page = window.today
    card = cards(window)[reminders.DECISION_ENDING]
    (dismiss,) = card.findChildren(QPushButton, "dismissReminder")
    dismiss.click()
    assert reminders.DECISION_ENDING not in cards(window)
    assert page.show_dismissed.isVisible()
    # Remembered across restarts of the page (device preferences on disk).
    reloaded = Preferences(ctx.store.data_dir)
    assert len(reloaded.get("dismissed_reminders")) == 1
    page.refresh()
    assert reminders.DECISION_ENDING not in cards(window)
    # Shown again on request, and can be restored.
    page.show_dismissed.setChecked(True)
    card = cards(window)[reminders.DECISION_ENDING]
    (restore,) = card.findChildren(QPushButton, "dismissReminder")
    assert restore.text() == ctx.tr("ui.today.undismiss")
    restore.click()
    page.show_dismissed.setChecked(False)
    assert reminders.DECISION_ENDING in cards(window)
    assert ctx.prefs.get("dismissed_reminders") == []
