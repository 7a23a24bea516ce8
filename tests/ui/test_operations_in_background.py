"""Operations run off the UI thread for real: results, announcements and double presses.

The other UI tests make the task helper synchronous; these use the real
thread pool, so what the worker sees after a save is what arrives back on
the main thread.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes, models
from sosku_desktop.operations import Changes
from sosku_desktop.preferences import Preferences
from sosku_desktop.ui.dialogs.meeting_dialog import MeetingDialog
from sosku_desktop.ui.shell import actions
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.tasks import Tasks
from tests.ui import shell_support as s


def test_a_double_press_saves_the_meeting_once_and_the_bus_says_what_changed(
    qtbot: QtBot, tmp_path: Path
) -> None:
    store = s.empty_store(tmp_path)
    client, period = s.add_client(store, "Aino", "Korhonen", s.TODAY - timedelta(days=40))
    tasks = Tasks()
    prefs = Preferences(store.data_dir)
    ctx = AppContext(store=store, prefs=prefs, tasks=tasks, clock=lambda: s.NOW)
    heard: list[Changes] = []
    ctx.bus.changes.connect(heard.append)
    try:
        opened: list[MeetingDialog] = []
        actions.meeting_dialog(ctx, None, client.id, on_open=opened.append)
        tasks.wait()  # the record is read (and its opening logged) in the background
        (dialog,) = opened
        qtbot.addWidget(dialog)
        assert dialog.submit(codes.MEETING_REALISED)
        assert not dialog.submit(codes.MEETING_REALISED)  # still on its way
        tasks.wait()

        with store.read() as r:
            meetings = r.list(models.Meeting, period_id=period.id)
        assert len(meetings) == 1
        assert dialog.result_saved is not None and dialog.result_saved.meeting_id == meetings[0].id
        assert [c.ids("meetings") for c in heard] == [{meetings[0].id}]
        assert heard[0].concerns_client(client.id)
    finally:
        tasks.wait()
        store.close()
