"""Each Today reminder takes the worker to the thing it is about, not only the client.

QA walk: the reminder of a §17 decision that outlives an early ending opened
the client's overview, on the client's newer period; the decision had to be
looked for. The group and self-assessment reminders set their tab before the
record was read, and the record's arrival put the overview back in front.
The client record is read in the background here, as in the app.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFrame, QPushButton
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes, models, reminders
from sosku_desktop.domain.lifecycle import Ending
from sosku_desktop.operations.period_lifecycle import end_period, start_new_period
from sosku_desktop.store.writer import new_id
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from sosku_desktop.ui.shell.tasks import Tasks
from tests.ui import shell_support as s

START = date(2026, 5, 25)
ENDED_ON = date(2026, 11, 2)


@dataclass
class Scene:
    ctx: AppContext
    window: MainWindow
    ended: models.Period
    current: models.Period
    decision: models.Decision
    group: models.Group


@pytest.fixture
def scene(tmp_path: Path, qtbot: QtBot) -> Iterator[Scene]:
    """A period ended 2.11. with its §17 decision valid to 21.11.2026, a new period
    from 3.11. (no self-assessment yet), and two absences in a row from a group."""
    store = s.empty_store(tmp_path)
    client, ended = s.add_client(store, "Aino", "Korhonen", START)
    decision = models.Decision(
        id=new_id(),
        period_id=ended.id,
        kind=codes.DECISION_REHABILITATION,
        valid_from=date(2026, 8, 24),
        valid_to=date(2026, 11, 30),
        number="SOS-2026-17",
        heard_how="Tavattu",
    )
    earlier = models.Decision(  # a first block, over: the table has two rows
        id=new_id(),
        period_id=ended.id,
        kind=codes.DECISION_REHABILITATION,
        valid_from=START,
        valid_to=date(2026, 8, 23),
        number="SOS-2026-5",
        heard_how="Tavattu",
    )
    with store.write() as w:
        w.add(earlier)
        w.add(decision)
    ending = Ending(ENDED_ON, codes.END_MOVED_TO_SERVICE, "Siirtyy työtoimintaan.")
    end_period(store, ended.id, ending, s.TODAY)
    current = start_new_period(
        store, client.id, ENDED_ON + timedelta(days=1), date(2027, 11, 2), store.worker_id, s.TODAY
    ).period
    group = models.Group(id=new_id(), name="Arjen taidot", place="Lyhty")
    other = models.Group(id=new_id(), name="Liikunta", place="Halli")
    with store.write() as w:
        for g in (other, group):
            w.add(g)
            w.add(models.GroupMember(id=new_id(), group_id=g.id, client_id=client.id))
        for days in (14, 7):
            session = models.GroupSession(
                id=new_id(), group_id=group.id, on=s.TODAY - timedelta(days=days)
            )
            w.add(session)
            w.add(
                models.Attendance(
                    id=new_id(),
                    session_id=session.id,
                    client_id=client.id,
                    status=codes.ATTENDANCE_ABSENT,
                )
            )
    ctx = s.context(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    ctx.tasks = Tasks()  # from here on the record is read in a real pool, as in the app
    yield Scene(ctx, window, ended, current, decision, group)
    ctx.tasks.wait()
    window.close()
    store.close()


def _card(window: MainWindow, kind: str) -> QFrame:
    layout = window.today.reminder_list
    widgets = [layout.itemAt(i).widget() for i in range(layout.count())]
    (found,) = [
        w
        for w in widgets
        if isinstance(w, QFrame) and w.objectName() == "reminderCard" and w.property("kind") == kind
    ]
    return found


def _press(scene: Scene, kind: str, action: str) -> None:
    card = _card(scene.window, kind)
    (button,) = [b for b in card.findChildren(QPushButton) if b.property("action") == action]
    button.click()
    scene.ctx.tasks.wait()


def test_the_decision_outliving_the_period_opens_that_decision(scene: Scene) -> None:
    _press(scene, reminders.DECISION_OUTLIVES_PERIOD, "ui.today.action.open_decision")
    view = scene.window.client_view
    assert view.tabs.currentWidget() is view.decisions
    assert view.period_id == scene.ended.id  # the ended period, not the client's current one
    tab = view.decisions
    (selected,) = tab.table.selectionModel().selectedRows()
    row = tab.model.row_at(selected)
    assert row is not None and row.id == scene.decision.id
    assert tab.table.hasFocus()  # Enter opens its draft


def test_group_absences_open_that_group_on_the_groups_tab(scene: Scene) -> None:
    _press(scene, reminders.GROUP_ABSENCES, "ui.today.action.open_groups")
    view = scene.window.client_view
    assert view.tabs.currentWidget() is view.groups
    (selected,) = view.groups.members_view.selectionModel().selectedRows()
    member = view.groups.members.row_at(selected)
    assert member is not None and member.group_id == scene.group.id


def test_a_self_assessment_due_opens_the_self_assessments(scene: Scene) -> None:
    _press(scene, reminders.SELF_ASSESSMENT_DUE, "ui.today.action.self_assessment")
    view = scene.window.client_view
    assert view.tabs.currentWidget() is view.assessments
    assert view.period_id == scene.current.id
