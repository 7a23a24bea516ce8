"""Clients: search as you type, filters, and opening a record (which is logged)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes, models
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s


@pytest.fixture
def shell(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, MainWindow]]:
    store = s.demo_store(tmp_path)
    ctx = s.context(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.go("clients")
    yield ctx, window
    window.close()
    store.close()


def names(window: MainWindow) -> list[str]:
    with window.ctx.store.read() as r:
        by_id = {c.id: c.full_name for c in r.clients()}
    return [by_id[i] for i in window.clients.visible_client_ids()]


def test_search_as_you_type_by_name_identity_code_and_phone(
    shell: tuple[AppContext, MainWindow],
) -> None:
    _, window = shell
    page = window.clients
    assert len(names(window)) == 12
    QTest.keyClicks(page.search, "kor")
    assert names(window) == ["Aino Korhonen"]
    page.search.clear()
    QTest.keyClicks(page.search, "030379")
    assert names(window) == ["Juha Nieminen"]
    page.search.setText("0501357911")  # phone without spaces
    assert names(window) == ["Elina Salo"]
    page.search.setText("ei ketään tällä nimellä")
    assert names(window) == []
    assert page.count.text() == window.ctx.tr("ui.clients.count", shown=0, total=12)
    page.search.clear()
    assert len(names(window)) == 12


def test_filters_mine_phase_and_ending_soon(shell: tuple[AppContext, MainWindow]) -> None:
    ctx, window = shell
    page = window.clients
    with ctx.store.read() as r:
        periods = {p.client_id: p for p in r.list(models.Period)}
        clients = r.clients()
    mine = {c.full_name for c in clients if periods[c.id].worker_id == ctx.store.worker_id}
    page.mine.setChecked(True)
    assert set(names(window)) == mine and 0 < len(mine) < 12
    page.mine.setChecked(False)
    page.phase.setCurrentIndex(page.phase.findData(codes.PHASE_EVALUATION))
    assert sorted(names(window)) == ["Juha Nieminen", "Maria Andersson"]
    page.phase.setCurrentIndex(0)
    page.ending.setChecked(True)
    assert names(window) == ["Elina Salo"]  # 14 days to the one-year limit


def test_enter_opens_the_first_match_and_logs_the_view(
    shell: tuple[AppContext, MainWindow], qtbot: QtBot
) -> None:
    ctx, window = shell
    page = window.clients
    QTest.keyClicks(page.search, "fatima")
    QTest.keyClick(page.search, Qt.Key.Key_Return)
    assert window.client_view.isVisible()
    assert window.client_view.name.text() == "Fatima Hassan"
    with ctx.store.read() as r:
        client = next(c for c in r.clients() if c.first_name == "Fatima")
        views = [e for e in r.audit_of_client(client.id) if e.action == codes.AUDIT_VIEW]
    assert len(views) == 1 and views[0].worker_id == ctx.store.worker_id
    window.client_view.back_requested.emit()
    assert page.isVisible()


def test_the_list_reads_a_page_at_a_time_as_it_is_scrolled(
    shell: tuple[AppContext, MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sosku_desktop.operations import client_list

    ctx, window = shell
    monkeypatch.setattr(client_list, "LIMIT", 5)
    page = window.clients
    page.refresh()
    assert page.model.rowCount() == 5
    assert page.count.text() == ctx.tr("ui.clients.capped", shown=5, matched=12)
    page.proxy.fetchMore(QModelIndex())  # what the view does when scrolled to the end
    assert page.model.rowCount() == 10
    page.proxy.fetchMore(QModelIndex())  # what the view does when scrolled to the end
    assert page.model.rowCount() == 12 and not page.model.canFetchMore(QModelIndex())
    assert page.count.text() == ctx.tr("ui.clients.count", shown=12, total=12)
    assert len(set(page.visible_client_ids())) == 12
