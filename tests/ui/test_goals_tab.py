"""Goals tab: build the tree, check SMART, record progress with history, achieve, delete."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes, models
from sosku_desktop.ui.client.tabs.goals import GoalsTab
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s


@pytest.fixture
def goals(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, GoalsTab, str]]:
    store = s.empty_store(tmp_path)
    client, period = s.add_client(store, "Pekka", "Heikkinen", s.TODAY - timedelta(days=30))
    ctx = s.context(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_client(client.id)
    view = window.client_view
    view.tabs.setCurrentWidget(view.goals)
    yield ctx, view.goals, period.id
    window.close()
    store.close()


def _add(tab: GoalsTab, parent_id: str | None, text: str) -> models.Goal:
    tab.start_new(parent_id)
    tab.text.setPlainText(text)
    assert tab.save_goal()
    goal = tab._goal(tab.selected_id)
    assert goal is not None
    return goal


def test_goal_tree_main_sub_step(goals: tuple[AppContext, GoalsTab, str]) -> None:
    ctx, tab, _period_id = goals
    assert not tab.add_child.isEnabled()
    main = _add(tab, None, "Haluan päästä eroon yksinäisyydestä")
    assert tab.add_child.text() == ctx.tr("ui.goals.add_sub")
    sub = _add(tab, main.id, "Tapaan ihmisiä viikoittain")
    assert tab.add_child.text() == ctx.tr("ui.goals.add_step")
    step = _add(tab, sub.id, "Käyn ruokailussa torstaisin")
    assert not tab.add_child.isEnabled()  # nothing goes under an everyday step
    assert (main.level, sub.level, step.level) == (
        codes.GOAL_MAIN,
        codes.GOAL_SUB,
        codes.GOAL_STEP,
    )
    assert (sub.parent_id, step.parent_id) == (main.id, sub.id)
    root = tab.model.item(0, 0)
    assert root.text() == main.text
    assert root.child(0, 0).child(0, 0).text() == step.text


def test_empty_text_is_refused_next_to_the_field(goals: tuple[AppContext, GoalsTab, str]) -> None:
    ctx, tab, period_id = goals
    tab.start_new(None)
    assert not tab.save_goal()
    error = tab.errors.fields["text"][1]
    assert not error.isHidden() and error.text() == ctx.tr("validation.required")
    with ctx.store.read() as r:
        assert r.goals_of(period_id) == []


def test_smart_check_progress_history_and_achieved(
    goals: tuple[AppContext, GoalsTab, str],
) -> None:
    ctx, tab, _period_id = goals
    goal = _add(tab, None, "Liikun kolmesti viikossa")
    assert ctx.tr("ui.goals.smart.measurable") in tab.smart_missing.text()
    for box in tab.smart.values():
        box.setChecked(True)
    assert tab.smart_missing.text() == ctx.tr("ui.goals.smart_ok")
    assert tab.save_goal()
    tab.spin.setValue(40)
    assert tab.save_progress()
    tab.spin.setValue(70)
    assert tab.save_progress()
    with ctx.store.read() as r:
        stored = r.get(models.Goal, goal.id)
        history = r.list(models.GoalProgress, order_by="id", goal_id=goal.id)
    assert stored.progress == 70 and all(stored.smart_flags.values())
    assert [h.progress for h in history] == [40, 70]
    assert tab.history.item(0).text().endswith("70 %")
    assert tab.model.item(0, 2).text() == "5/5"

    tab.toggle_achieved()
    with ctx.store.read() as r:
        stored = r.get(models.Goal, goal.id)
    assert stored.status == codes.GOAL_ACHIEVED and stored.achieved_on == s.TODAY
    assert stored.progress == 100
    assert tab.achieve_button.text() == ctx.tr("ui.goals.reopen")
    tab.toggle_achieved()
    with ctx.store.read() as r:
        assert r.get(models.Goal, goal.id).status == codes.GOAL_OPEN


def test_delete_takes_the_goals_below_with_it(
    goals: tuple[AppContext, GoalsTab, str], qtbot: QtBot
) -> None:
    ctx, tab, period_id = goals
    main = _add(tab, None, "Pääsen työkokeiluun")
    sub = _add(tab, main.id, "Selvitän paikat")
    tab._select(main.id)
    box = tab.confirm_delete()
    assert isinstance(box, QMessageBox)
    assert box.text() == ctx.tr("ui.goals.delete_confirm", n=1)
    destructive = [
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    ]
    destructive[0].click()
    with ctx.store.read() as r:
        assert r.goals_of(period_id) == []
        gone = r.list(models.Goal, include_deleted=True, period_id=period_id)
    assert {g.id for g in gone} == {main.id, sub.id} and all(g.deleted for g in gone)
    assert tab.model.rowCount() == 0


def test_ctrl_enter_in_the_goal_words_saves_the_goal(
    goals: tuple[AppContext, GoalsTab, str],
) -> None:
    """As in every form: the worker writes the client's words and presses Ctrl+Enter
    (it did nothing; Save was seven Tabs away, past the SMART boxes)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    ctx, tab, period_id = goals
    tab.start_new(None)
    tab.text.setFocus()
    QTest.keyClicks(tab.text, "Kayn kaupassa itse")
    QTest.keyClick(tab.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with ctx.store.read() as r:
        assert [g.text for g in r.goals_of(period_id)] == ["Kayn kaupassa itse"]
