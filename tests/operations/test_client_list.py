"""The Clients page's query: pages in name order, counts, and filters done by the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.periods import max_end
from sosku_desktop.operations import client_list as module
from sosku_desktop.operations.client_list import ClientFilters, client_choices, client_list
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id

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


@pytest.mark.parametrize("sort_here", [module.SORT_HERE, 2])
def test_pages_come_in_name_order_with_counts(
    caseload: Store, sort_here: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both ways of paging: few matches sorted after the search, many walked in the index.
    monkeypatch.setattr(module, "SORT_HERE", sort_here)
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
