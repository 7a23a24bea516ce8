"""The UI-thread guard: opening the pages and doing their main actions reads nothing
on the UI thread; loading runs as background work (``ui/shell/tasks.py``).

``store.thread_guard`` tells a watcher of every store access made on the main
thread outside background work. Tasks run synchronously here (as in every UI
test), but their work counts as background: what would freeze the window is
a read *outside* a task, and that is what this test catches. A short
allow-list names the few reads that stay on the UI thread on purpose (tiny
tables read once, not per row or per client).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QDate
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from sosku_desktop.store import thread_guard
from sosku_desktop.ui.dialogs.expenses_dialog import ExpenseDialog, ExpensesDialog
from sosku_desktop.ui.dialogs.new_client_wizard import NewClientWizard
from sosku_desktop.ui.dialogs.settings_dialog import SettingsDialog
from sosku_desktop.ui.pages.calendar_page import CalendarPage
from sosku_desktop.ui.pages.groups_page import GroupsPage
from sosku_desktop.ui.pages.reports_page import ReportsPage
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s

#: (module, function) allowed to read on the UI thread: the team's few workers and the
#: organisation's rules, one small table each (never rows per client).
ALLOWED = frozenset({("context.py", "workers"), ("context.py", "rules")})
T = TypeVar("T")


class Recorder:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, kind: str) -> None:
        frames = traceback.extract_stack()[:-3]
        ours = [f for f in frames if "sosku_desktop" in f.filename]
        if any((Path(f.filename).name, f.name) in ALLOWED for f in ours):
            return
        where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in ours[::-1][:4])
        self.seen.append(f"{kind}: {where}")


@pytest.fixture
def guarded(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, MainWindow, Recorder]]:
    store = s.demo_store(tmp_path)
    ctx = s.context(store)
    recorder = Recorder()
    thread_guard.watcher = recorder
    try:
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        yield ctx, window, recorder
        window.close()
    finally:
        thread_guard.watcher = None
        store.close()


def check(recorder: Recorder, step: str, action: Callable[[], object]) -> None:
    recorder.seen.clear()
    action()
    assert recorder.seen == [], f"{step} read the store on the UI thread:\n" + "\n".join(
        recorder.seen
    )


def opened(recorder: Recorder, step: str, action: Callable[[], T | None]) -> T:
    """``check`` for an action that opens something: what it opened."""
    found: list[T | None] = []
    check(recorder, step, lambda: found.append(action()))
    assert found[0] is not None, f"{step} opened nothing"
    return found[0]


def test_the_guard_sees_a_read_on_the_ui_thread(
    guarded: tuple[AppContext, MainWindow, Recorder],
) -> None:
    ctx, _window, recorder = guarded
    recorder.seen.clear()
    with ctx.store.read() as r:
        r.clients()
    assert len(recorder.seen) == 1


def test_start_today_and_clients_read_nothing_on_the_ui_thread(
    guarded: tuple[AppContext, MainWindow, Recorder],
) -> None:
    ctx, window, recorder = guarded
    check(recorder, "start-up", lambda: MainWindow(ctx).close())
    check(recorder, "Today", lambda: window.go("today"))
    check(recorder, "Today, whole team", lambda: window.today.only_mine.setChecked(False))
    check(recorder, "Clients", lambda: window.go("clients"))
    check(recorder, "client search", lambda: QTest.keyClicks(window.clients.search, "kor"))
    check(recorder, "phase filter", lambda: window.clients.phase.setCurrentIndex(2))
    check(recorder, "status bar", window.update_sync_status)


def test_todays_actions_open_their_dialogs_without_reading_on_the_ui_thread(
    guarded: tuple[AppContext, MainWindow, Recorder],
) -> None:
    ctx, window, recorder = guarded
    with ctx.store.read() as r:  # the test's own look-up, before watching
        client = next(c for c in r.clients() if c.first_name == "Juha")
        period = r.current_period(client.id)
    assert period is not None
    today = window.today
    for step, action in (
        ("record a meeting", lambda: today.record_meeting.emit(client.id, None)),
        ("plan a meeting", lambda: today.plan_meeting.emit(client.id, None, "")),
        ("continuation", lambda: today.draft_continuation.emit(client.id, period.id, "")),
    ):
        window.message.clear()
        before = list(window.dialogs)
        check(recorder, step, action)
        opened = [d for d in window.dialogs if d not in before]
        assert opened or window.message.text(), f"{step} opened nothing"
        for dialog in opened:
            dialog.close()


# The pickers' completion pop-up opens; the offscreen platform cannot raise it.
@pytest.mark.qt_log_ignore("does not support raise", "grabbing the keyboard")
def test_groups_and_its_pickers_read_nothing_on_the_ui_thread(
    guarded: tuple[AppContext, MainWindow, Recorder],
) -> None:
    _ctx, window, recorder = guarded
    check(recorder, "Groups", lambda: window.go("groups"))
    page = window.page_by_key["groups"]
    assert isinstance(page, GroupsPage) and page.group_model.rowCount() > 1
    check(
        recorder,
        "another group",
        lambda: page.group_list.setCurrentIndex(page.group_model.index(1, 0)),
    )
    check(recorder, "member search", lambda: QTest.keyClicks(page.member_combo.lineEdit(), "ni"))
    assert page.member_combo.count() > 0
    check(recorder, "a session's sheet", page.open_selected_session)
    check(recorder, "guest search", lambda: QTest.keyClicks(page.sheet.guest_combo.lineEdit(), "a"))
    check(recorder, "back to the group", page.close_sheet)


def test_a_client_calendar_reports_and_sync_read_nothing_on_the_ui_thread(
    guarded: tuple[AppContext, MainWindow, Recorder],
) -> None:
    ctx, window, recorder = guarded
    with ctx.store.read() as r:  # the test's own look-up, before watching
        client = next(c for c in r.clients() if c.first_name == "Juha")
    check(recorder, "a client", lambda: window.open_client(client.id))
    assert window.client_view.record is not None
    tabs = window.client_view.tabs
    for index in range(tabs.count()):
        check(recorder, f"client tab {index}", lambda i=index: tabs.setCurrentIndex(i))
    documents = window.client_view.documents
    tabs.setCurrentWidget(documents)
    name = opened(recorder, "a document's file name", documents.suggested_filename)
    assert name.endswith(".pdf")
    check(recorder, "back to the list", window.client_view.back_requested.emit)
    check(recorder, "Calendar", lambda: window.go("calendar"))
    calendar = window.page_by_key["calendar"]
    assert isinstance(calendar, CalendarPage)
    check(recorder, "whole team", lambda: calendar.only_mine.setChecked(False))
    check(recorder, "next week", calendar.next_button.click)
    check(recorder, "Reports", lambda: window.go("reports"))
    reports = window.page_by_key["reports"]
    assert isinstance(reports, ReportsPage) and reports.report is not None
    check(recorder, "one worker", lambda: reports.worker_box.setCurrentIndex(1))
    check(recorder, "Sync", lambda: window.go("sync"))
    check(recorder, "auto sync", window.sync_in_background)
    check(recorder, "F5", window.refresh_current)


# The expense's client picker opens its completion pop-up (offscreen cannot raise it).
@pytest.mark.qt_log_ignore("does not support raise", "grabbing the keyboard")
def test_budget_settings_and_the_new_client_wizard_read_nothing_on_the_ui_thread(
    guarded: tuple[AppContext, MainWindow, Recorder],
) -> None:
    ctx, window, recorder = guarded
    budget = opened(recorder, "budget", window.open_expenses)
    assert isinstance(budget, ExpensesDialog) and budget.summary.text()
    rows = budget.model.rowCount()
    expense = opened(recorder, "a new expense", budget.add_expense)
    assert isinstance(expense, ExpenseDialog)
    expense.amount.setValue(12.5)
    expense.purpose.setText("Bussiliput")
    check(recorder, "the expense's client", lambda: QTest.keyClicks(expense.client.lineEdit(), "a"))
    assert expense.client.count() > 0
    check(recorder, "pick the client", lambda: expense.client.setCurrentIndex(0))
    check(recorder, "save the expense", expense.accept)
    assert budget.model.rowCount() == rows + 1
    check(recorder, "select it", lambda: budget.table.selectRow(0))
    check(recorder, "delete it", budget.delete_selected)
    assert budget.model.rowCount() == rows
    check(recorder, "close the budget", budget.reject)

    settings = opened(recorder, "settings", window.open_settings)
    assert isinstance(settings, SettingsDialog)
    settings.org_name.setText("Nuorten polku ry")
    check(recorder, "save settings", settings.save)
    with ctx.store.read() as r:  # the test's own look-up, after the step
        assert r.setting("organisation_name") == "Nuorten polku ry"

    window.go("clients")
    wizard = opened(recorder, "new client", window.new_client)
    assert isinstance(wizard, NewClientWizard)
    page = wizard.client_page
    page.first_name.setText("Aino")
    page.last_name.setText("Korhonen")
    page.identity_code.setText("131052-308T")
    check(recorder, "identity code check", wizard.button(QWizard.WizardButton.NextButton).click)
    assert wizard.currentPage() is wizard.period_page
    today = ctx.today()
    wizard.period_page.start.setDate(QDate(today.year, today.month, today.day))
    for step in ("period", "intake"):
        check(recorder, step, wizard.button(QWizard.WizardButton.NextButton).click)
    wizard.goal_page.goal.setPlainText("Haluan päästä kotoa ulos useammin.")
    check(recorder, "finish", wizard.button(QWizard.WizardButton.FinishButton).click)
    assert window.client_view.name.text() == "Aino Korhonen"
