"""Clients: search as you type, filters, and opening a record (which is logged)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from sosku_desktop import i18n
from sosku_desktop.domain import codes, models
from sosku_desktop.operations.client_list import LIMIT, SORT_COLUMNS, client_list
from sosku_desktop.store.database import Store
from sosku_desktop.ui.pages.clients_page import ClientsPage
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.operations import sorting_caseload
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
    assert page.empty.isVisible() and not page.empty.clear.isVisible()
    assert (
        page.empty.text.text()
        == "Haulla ”ei ketään tällä nimellä” ei löytynyt ketään – haettiin kaikista 12 asiakkaasta."
    )
    page.search.clear()
    assert len(names(window)) == 12
    assert not page.empty.isVisible()


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
    page.model.fetchMore(QModelIndex())  # what the view does when scrolled to the end
    assert page.model.rowCount() == 10
    page.model.fetchMore(QModelIndex())  # what the view does when scrolled to the end
    assert page.model.rowCount() == 12 and not page.model.canFetchMore(QModelIndex())
    assert page.count.text() == ctx.tr("ui.clients.count", shown=12, total=12)
    assert len(set(page.visible_client_ids())) == 12


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_nothing_found_is_said_in_words_and_filters_can_be_cleared(
    tmp_path: Path, qtbot: QtBot, lang: str
) -> None:
    store = s.demo_store(tmp_path)
    ctx = s.context(store, lang)
    page = ClientsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    tr = ctx.tr
    page.phase.setCurrentIndex(page.phase.findData(codes.PHASE_EVALUATION))
    page.search.setText("Korhonen")  # Aino Korhonen is in another phase
    assert page.model.rowCount() == 0 and page.empty.isVisible()
    assert page.empty.text.text() == tr("ui.clients.none_found_filtered", text="Korhonen", total=12)
    assert "Korhonen" in page.empty.text.text() and page.empty.clear.isVisible()
    if lang != "fi":
        assert page.empty.text.text() != i18n.tr(
            "ui.clients.none_found_filtered", "fi", text="Korhonen", total=12
        )
    page.empty.clear.click()  # the search stays, the phase filter goes
    assert page.search.text() == "Korhonen" and page.phase.currentIndex() == 0
    assert page.model.rowCount() == 1 and not page.empty.isVisible()
    page.search.clear()
    page.ending.setChecked(True)
    page.mine.setChecked(True)
    if page.model.rowCount() == 0:
        assert page.empty.text.text() == tr("ui.clients.none_with_filters", total=12)
    page.empty.clear.click()
    assert page.model.rowCount() == 12 and not page.ending.isChecked()
    assert not page.mine.isChecked() and not page.empty.isVisible()


def test_the_empty_state_counts_with_plural_forms() -> None:
    for lang in ("fi", "sv", "en"):
        one = i18n.tr("ui.clients.none_found", lang, text="x", total=1)
        many = i18n.tr("ui.clients.none_found", lang, text="x", total=2)
        assert " 1 " in one and " 2 " in many
        assert one.replace(" 1 ", " 2 ") != many  # its own sentence for one, not just the number


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.create(tmp_path_factory.mktemp("many") / "data", "passphrase-1")
    sorting_caseload.build(store)
    yield store
    store.close()


def test_a_header_click_sorts_the_whole_list_in_the_database(many: Store, qtbot: QtBot) -> None:
    page = ClientsPage(s.context(many, now=sorting_caseload.NOW))
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    everyone = client_list(many, sorting_caseload.NOW, None, limit=10_000).rows
    header = page.table.horizontalHeader()
    assert header.sortIndicatorSection() == 0
    for column, key in enumerate(SORT_COLUMNS):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            descending = order == Qt.SortOrder.DescendingOrder
            page.table.sortByColumn(column, order)  # what a click on the header does
            expected = sorting_caseload.expected_ids(everyone, key, descending)
            shown = page.visible_client_ids()
            assert len(shown) == LIMIT and page.model.canFetchMore(QModelIndex())  # still lazy
            assert shown == expected[:LIMIT], (key, descending)
            assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (column, order)
            page.model.fetchMore(QModelIndex())  # the next page continues the same order
            assert page.visible_client_ids() == expected[: 2 * LIMIT]
    # By name, descending: the true last of the whole list comes first, not of the first page.
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    first = next(r for r in everyone if r.client.id == page.visible_client_ids()[0])
    assert first.client.last_name == "Öhman"
    # A real click on the header flips the order through the same path.
    x = header.sectionViewportPosition(0) + 5
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    first = next(r for r in everyone if r.client.id == page.visible_client_ids()[0])
    assert first.client.last_name == "Aalto"
