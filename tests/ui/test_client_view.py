"""Client view tabs on the demo caseload: every tab shows the record the domain describes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.activity_money import (
    activity_money_for_month,
    months_with_activity,
    paid_window,
)
from sosku_desktop.store.database import Store
from sosku_desktop.store.records import load_client_record
from sosku_desktop.ui.client.tabs.decision_dialog import DecisionDialog
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s


@pytest.fixture
def shell(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, MainWindow, str]]:
    store = s.demo_store(tmp_path)
    ctx = s.context(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with store.read() as r:
        client = next(c for c in r.clients() if c.first_name == "Juha")
    window.open_client(client.id)
    yield ctx, window, client.id
    window.close()
    store.close()


def test_tabs_in_order_with_the_documents_tab(shell: tuple[AppContext, MainWindow, str]) -> None:
    ctx, window, _ = shell
    tabs = window.client_view.tabs
    names = [tabs.widget(i).objectName() for i in range(tabs.count())]
    assert "documentsTabPage" in names
    assert not tabs.is_made("documents")  # made when first shown
    tabs.setCurrentIndex(names.index("documentsTabPage"))
    assert tabs.currentWidget().objectName() == "documentsTab"
    assert tabs.currentWidget() is window.client_view.documents
    assert [tabs.tabText(i) for i in range(tabs.count())][:3] == [
        ctx.tr("ui.client.tab.overview"),
        ctx.tr("ui.client.tab.goals"),
        ctx.tr("ui.client.tab.meetings"),
    ]


def test_overview_shows_phase_month_count_and_decision(
    shell: tuple[AppContext, MainWindow, str],
) -> None:
    ctx, window, _client_id = shell
    overview = window.client_view.overview
    assert overview.timeline.phase == codes.PHASE_EVALUATION
    assert overview.timeline.labels()[2] == ctx.code("phase", codes.PHASE_INTENSIVE)
    texts = s.visible_texts(overview.findChildren(type(window.message)))
    assert ctx.code("decision_kind", codes.DECISION_REHABILITATION) in texts
    record = window.client_view.record
    assert record is not None
    from sosku_desktop.domain.meetings import month_count

    period = record.current_period
    assert period is not None
    count = month_count(period, record.meetings, 2026, 11)
    assert ctx.tr("ui.overview.realised_of", realised=count.realised, target=count.target) in texts


def test_phase_change_is_written(shell: tuple[AppContext, MainWindow, str]) -> None:
    ctx, window, client_id = shell
    combo = window.client_view.overview.phase_combo
    assert combo is not None
    combo.setCurrentIndex(combo.findData(codes.PHASE_GROUP))
    with ctx.store.read() as r:
        assert r.current_period(client_id).phase == codes.PHASE_GROUP  # type: ignore[union-attr]
    assert window.client_view.overview.timeline.phase == codes.PHASE_GROUP


def test_meetings_tab_lists_and_marks_planned_meetings(
    shell: tuple[AppContext, MainWindow, str],
) -> None:
    ctx, window, client_id = shell
    tab = window.client_view.meetings
    model = tab.model
    with ctx.store.read() as r:
        meetings = r.meetings_of(r.period_ids_of(client_id))
    assert model.rowCount() == len(meetings)
    planned_row = next(i for i, m in enumerate(model.rows) if m.status == codes.MEETING_PLANNED)
    planned = model.rows[planned_row]
    tab.table.selectRow(planned_row)
    assert tab.no_show_button.isEnabled()
    tab.no_show_button.click()
    with ctx.store.read() as r:
        assert r.get(models.Meeting, planned.id).status == codes.MEETING_NO_SHOW
    assert any(m.id == planned.id and m.status == codes.MEETING_NO_SHOW for m in tab.model.rows)


def test_activity_money_matches_the_domain(shell: tuple[AppContext, MainWindow, str]) -> None:
    ctx, window, client_id = shell
    tab = window.client_view.money
    with ctx.store.read() as r:
        record = load_client_record(r, client_id)
    paid = paid_window(client_id, record.periods, s.TODAY)
    months = months_with_activity(record.meetings, record.sessions, record.attendances, paid)
    expected = [
        activity_money_for_month(y, m, record.meetings, record.sessions, record.attendances, paid)
        for y, m in reversed(months)
    ]
    assert tab.model.rows == expected
    total = sum(m.total_cents for m in expected)
    assert ctx.money(total) in tab.total.text()
    assert "9,00 €" in tab.model.index(0, 3).data()


def test_access_log_lists_the_view_and_changes(
    shell: tuple[AppContext, MainWindow, str],
) -> None:
    ctx, window, _client_id = shell
    view = window.client_view
    view.tabs.setCurrentWidget(view.access_log)
    rows = view.access_log.model.rows
    assert rows[0].action == codes.AUDIT_VIEW
    assert view.access_log.model.index(0, 1).data() == "Sanna Virtanen"
    assert view.access_log.model.index(0, 2).data() == ctx.code("audit_action", "view")
    assert view.access_log.model.index(0, 3).data() == ctx.tr("ui.table.clients")


def test_decisions_tab_drafts_the_continuation(
    shell: tuple[AppContext, MainWindow, str], qtbot: QtBot
) -> None:
    ctx, window, _client_id = shell
    tab = window.client_view.decisions
    before = len(tab.model.rows)
    dialog = tab.draft_continuation()
    assert isinstance(dialog, DecisionDialog)
    draft = dialog.decision()
    assert draft.continuation
    assert dialog.submit()
    assert len(tab.model.rows) == before + 1
    assert ctx.tr("ui.decisions.covered") in tab.blocks.text()


def test_groups_tab_shows_memberships_and_attendance(
    shell: tuple[AppContext, MainWindow, str],
) -> None:
    _ctx, window, _client_id = shell
    tab = window.client_view.groups
    record = window.client_view.record
    assert record is not None
    assert tab.members.rowCount() == len(record.memberships) > 0
    assert tab.attendance.rowCount() == len(record.attendances)
    present = sum(1 for a in record.attendances if a.status == codes.ATTENDANCE_PRESENT)
    assert f"{present}" in tab.summary.text()


def test_self_assessment_tab_is_built_and_logged_only_when_opened(
    shell: tuple[AppContext, MainWindow, str],
) -> None:
    ctx, window, client_id = shell
    view = window.client_view

    def assessment_views() -> int:
        with ctx.store.read() as r:
            return sum(
                1
                for e in r.audit_of_client(client_id)
                if e.action == codes.AUDIT_VIEW and e.record_table == "assessments"
            )

    assert view.assessments.compare is None and assessment_views() == 0
    view.tabs.setCurrentWidget(view.assessments)
    assert view.assessments.compare is not None
    assert view.assessments.compare.assessments  # Juha has a start assessment in the demo
    assert assessment_views() == 1
    window.go("reports")
    assert window.pages.currentWidget().objectName() == "reportsPage"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_activity_money_leaves_out_stored_marks_no_period_pays(
    tmp_path: Path, qtbot: QtBot, lang: str
) -> None:
    """A present mark stored for a session still to come (or outside every period)
    was paid; now the sum leaves it out and a plain line says so, with its date."""
    from datetime import timedelta

    store = s.empty_store(tmp_path)
    ctx = s.context(store, lang=lang)
    client, _period = s.add_client(store, "Aino", "Korhonen", s.TODAY - timedelta(days=40))
    group = models.Group(id="g", name="Kävelyryhmä")
    days = [s.TODAY - timedelta(days=7), s.TODAY + timedelta(days=7), s.TODAY - timedelta(days=50)]
    with store.write() as w:
        w.add(group)
        for number, day in enumerate(days):
            w.add(models.GroupSession(id=f"s{number}", group_id="g", on=day))
            w.add(
                models.Attendance(
                    id=f"a{number}",
                    session_id=f"s{number}",
                    client_id=client.id,
                    status=codes.ATTENDANCE_PRESENT,
                )
            )
    _money_pays_only_the_first_day(ctx, store, client.id, days, qtbot)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_activity_money_leaves_out_stored_meetings_no_period_pays(
    tmp_path: Path, qtbot: QtBot, lang: str
) -> None:
    """A realised meeting stored before the period began or for a day still to come
    was paid; now it is left out like a mark, and the line under the table says so."""
    from datetime import datetime, timedelta

    store = s.empty_store(tmp_path)
    ctx = s.context(store, lang=lang)
    client, period = s.add_client(store, "Aino", "Korhonen", s.TODAY - timedelta(days=40))
    days = [s.TODAY - timedelta(days=7), s.TODAY + timedelta(days=7), s.TODAY - timedelta(days=50)]
    with store.write() as w:
        for number, day in enumerate(days):
            at = datetime.combine(day, datetime.min.time()).replace(hour=10)
            w.add(models.Meeting(id=f"m{number}", period_id=period.id, starts_at=at))
    _money_pays_only_the_first_day(ctx, store, client.id, days, qtbot)


def _money_pays_only_the_first_day(
    ctx: AppContext, store: Store, client_id: str, days: list[date], qtbot: QtBot
) -> None:
    """The Activity money tab pays ``days[0]`` alone and names the other two as left out."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_client(client_id)
    view = window.client_view
    view.tabs.setCurrentWidget(view.money)
    qtbot.waitUntil(lambda: view.money.model.rowCount() > 0)
    tab = view.money
    assert [m.dates for m in tab.model.rows] == [[days[0]]]
    assert ctx.money(900) in tab.total.text()
    assert not tab.left_out.isHidden()
    later, earlier = ctx.date(days[1]), ctx.date(days[2])
    assert tab.left_out.text() == ctx.tr("ui.money.left_out", n=2, dates=f"{earlier}, {later}")
    window.close()
    store.close()


def test_a_client_opened_from_the_list_has_the_keyboard_in_its_tabs(
    shell: tuple[AppContext, MainWindow, str], qtbot: QtBot
) -> None:
    """Opened by Enter in the search, the keyboard landed on '‹ Back to the client list'
    (one more Enter went back) and the tabs were four Tabs away; Ctrl+Tab did nothing."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    _, window, _ = shell
    window.show_client_list()
    window.activateWindow()
    window.clients.focus_search()
    QTest.keyClicks(window.clients.search, "Nieminen")
    qtbot.waitUntil(lambda: window.clients.table.model().rowCount() == 1)
    QTest.keyClick(window.clients.search, Qt.Key.Key_Return)
    view = window.client_view
    qtbot.waitUntil(lambda: view.isVisible() and view.name.text() == "Juha Nieminen")
    assert QApplication.focusWidget() is view.tabs.tabBar()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert view.tabs.currentIndex() == 1
    view.period_combo.setFocus()  # from anywhere in the record, not only the tab bar
    QTest.keyClick(view.period_combo, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert view.tabs.currentIndex() == 2
    QTest.keyClick(view.period_combo, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert view.tabs.currentIndex() == 1


def test_tab_scroll_arrows_take_no_tab_stop_at_1024x600(
    shell: tuple[AppContext, MainWindow, str], qtbot: QtBot
) -> None:
    """At 1024×600 the tab bar scrolls; its ‹ › arrows were Tab stops, so a keyboard
    user landed on an arrow. The arrows stay clickable; Ctrl+Tab switches tabs."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QToolButton

    _, window, _ = shell
    window.resize(1024, 600)
    view = window.client_view
    bar = view.tabs.tabBar()
    arrows = bar.findChildren(QToolButton)
    qtbot.waitUntil(lambda: any(arrow.isVisible() for arrow in arrows))
    assert arrows and all(a.focusPolicy() == Qt.FocusPolicy.NoFocus for a in arrows)
    window.activateWindow()
    bar.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is bar)
    QTest.keyClick(bar, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() not in arrows
    bar.setFocus()
    before = view.tabs.currentIndex()
    QTest.keyClick(bar, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert view.tabs.currentIndex() == before + 1
    QTest.keyClick(bar, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert view.tabs.currentIndex() == before
