"""The Clients page's query: pages in any column's order, counts, and filters done by the
database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.periods import max_end
from sosku_desktop.operations import client_list as module
from sosku_desktop.operations.client_list import (
    ClientFilters,
    ClientOrder,
    client_choices,
    client_list,
)
from sosku_desktop.store import list_order, search
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id
from tests.operations import sorting_caseload

NOW = datetime(2026, 11, 24, 12, 0)
NAMES = ["Järvinen", "Mäkelä", "Aalto", "Öhman", "Berg", "Nieminen", "Korhonen", "Salo"]


@pytest.fixture
def caseload(store: Store) -> Iterator[Store]:
    """Eight clients; the first four are the device worker's, one period each; every
    other one active, with a planned meeting next week."""
    with store.write() as w:
        for i, last in enumerate(NAMES):
            client = models.Client(id=new_id(), first_name="Aino", last_name=last)
            start = date(2026, 1, 5) if i % 2 == 0 else date(2020, 1, 6)
            period = models.Period(
                id=new_id(),
                client_id=client.id,
                worker_id=store.worker_id if i < 4 else None,
                start=start,
                planned_end=max_end(start),
                phase=codes.PHASE_EVALUATION if i == 2 else codes.PHASE_INTENSIVE,
                status=codes.PERIOD_ACTIVE if i % 2 == 0 else codes.PERIOD_ENDED,
            )
            w.add(client)
            w.add(period)
            if i % 2 == 0:
                at = NOW + timedelta(days=7, hours=i)
                w.add(
                    models.Meeting(
                        id=new_id(),
                        period_id=period.id,
                        starts_at=at,
                        duration_min=60,
                        kind=codes.MEETING_OFFICE,
                        status=codes.MEETING_PLANNED,
                    )
                )
    yield store


def names(rows: list[module.ClientRow]) -> list[str]:
    return [r.client.last_name for r in rows]


def test_pages_come_in_name_order_with_counts(caseload: Store) -> None:
    everyone = sorted(NAMES)
    first = client_list(caseload, NOW, caseload.worker_id, limit=3)
    assert names(first.rows) == everyone[:3]
    assert (first.matched, first.total, first.more) == (8, 8, 5)
    last = client_list(caseload, NOW, caseload.worker_id, limit=3, offset=6)
    assert names(last.rows) == everyone[6:] and last.more == 0
    found = client_list(caseload, NOW, caseload.worker_id, ClientFilters("makela"), limit=3)
    assert names(found.rows) == ["Mäkelä"] and (found.matched, found.total) == (1, 8)


def test_filters_and_the_row_contents(caseload: Store) -> None:
    mine = client_list(caseload, NOW, caseload.worker_id, ClientFilters(only_mine=True))
    assert sorted(names(mine.rows)) == sorted(NAMES[:4]) and all(r.mine for r in mine.rows)
    phase = ClientFilters(phase=codes.PHASE_EVALUATION)
    assert names(client_list(caseload, NOW, None, phase).rows) == ["Aalto"]
    both = ClientFilters("al", only_mine=True)  # Salo matches too, but is not mine
    assert names(client_list(caseload, NOW, caseload.worker_id, both).rows) == ["Aalto"]
    rows = {r.client.last_name: r for r in client_list(caseload, NOW, None).rows}
    assert rows["Järvinen"].next_meeting == NOW + timedelta(days=7)
    assert rows["Mäkelä"].next_meeting is None and rows["Mäkelä"].period is not None
    assert rows["Mäkelä"].period.status == codes.PERIOD_ENDED


def test_the_picker_offers_matches_but_not_the_excluded(caseload: Store) -> None:
    choices = client_choices(caseload, "aino", limit=3)
    assert [name for name, _ in choices] == ["Aino Aalto", "Aino Berg", "Aino Järvinen"]
    skip = frozenset({choices[0][1]})
    assert [n for n, _ in client_choices(caseload, "aino", skip, limit=1)] == ["Aino Berg"]
    assert client_choices(caseload, "  ") == []


def test_names_sort_in_finnish_alphabetical_order_ignoring_case_and_accents() -> None:
    written = ["Öhman", "Zetterberg", "aalto", "Äijälä", "Åberg", "Über", "Ylönen", "Élise", "Eero"]
    finnish = ["aalto", "Eero", "Élise", "Über", "Ylönen", "Zetterberg", "Åberg", "Äijälä", "Öhman"]
    assert sorted(written, key=lambda name: list_order.sort_key(name) or "") == finnish
    assert sorted(written) != finnish  # code-point order is not it: the check can fail


@pytest.fixture(scope="module")
def many(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Store, list[module.ClientRow]]]:
    """More clients than two pages, and every row as the list shows it."""
    store = Store.create(tmp_path_factory.mktemp("many") / "data", "passphrase-1")
    sorting_caseload.build(store)
    everyone = client_list(store, sorting_caseload.NOW, None, limit=10_000)
    assert everyone.matched == sorting_caseload.CLIENTS
    yield store, everyone.rows
    store.close()


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("column", module.SORT_COLUMNS)
def test_every_column_sorts_the_whole_list_page_by_page(
    many: tuple[Store, list[module.ClientRow]], column: str, descending: bool
) -> None:
    store, rows = many
    expected = sorting_caseload.expected_ids(rows, column, descending)
    order = ClientOrder(column, descending)
    read: list[str] = []
    for offset in range(0, sorting_caseload.CLIENTS, module.LIMIT):
        page = client_list(store, sorting_caseload.NOW, None, offset=offset, order=order)
        assert page.matched == sorting_caseload.CLIENTS and len(page.rows) <= module.LIMIT
        read += [r.client.id for r in page.rows]
    assert read == expected
    # Empty values come last whichever way (not first when reversed).
    if column != "name":
        values = [sorting_caseload.column_value(r, column) for r in rows]
        assert None in values and len({v for v in values if v is not None}) > 2
        last = {r.client.id: r for r in rows}[read[-1]]
        assert sorting_caseload.column_value(last, column) is None


def test_a_search_and_filters_keep_the_asked_order(
    many: tuple[Store, list[module.ClientRow]],
) -> None:
    store, rows = many
    order = ClientOrder("period_end", descending=True)
    found = client_list(store, sorting_caseload.NOW, None, ClientFilters("a"), order=order)
    matching = {
        r.client.id
        for r in rows
        if "a" in search.fold(r.client.full_name + r.client.identity_code + r.client.phone)
    }
    expected = [i for i in sorting_caseload.expected_ids(rows, "period_end", True) if i in matching]
    assert [r.client.id for r in found.rows] == expected[: module.LIMIT]


def _page_plans(store: Store, order: ClientOrder, filters: ClientFilters) -> list[list[str]]:
    """SQLite's plan of the page's statement (``ORDER BY … LIMIT … OFFSET``), as it ran."""
    ran: list[tuple[str, object]] = []

    def record(_c: object, _cur: object, statement: str, parameters: object, *_a: object) -> None:
        if "ORDER BY" in statement and statement.rstrip().endswith("OFFSET ?"):
            ran.append((statement, parameters))

    sa.event.listen(store.engine, "before_cursor_execute", record)
    try:
        client_list(store, sorting_caseload.NOW, None, filters, order=order)
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", record)
    with store.read() as r:
        return [
            [row[3] for row in r.conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
            for sql, params in ran
        ]


def test_the_name_order_is_read_from_the_index_without_sorting(
    many: tuple[Store, list[module.ClientRow]],
) -> None:
    """At 10,000 clients, sorting every client (by a Python function) took most of the
    first page's time; the stored keys' index gives the page in order."""
    store, _ = many
    for filters in (ClientFilters(), ClientFilters("a")):
        (plan,) = _page_plans(store, ClientOrder(), filters)
        assert any("ix_client_search_name" in step for step in plan), plan
        assert not any("TEMP B-TREE" in step for step in plan), plan
    # The check can fail: another column's order is sorted.
    (plan,) = _page_plans(store, ClientOrder("phone"), ClientFilters())
    assert any("TEMP B-TREE FOR ORDER BY" in step for step in plan), plan
