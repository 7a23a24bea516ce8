"""A caseload of more clients than one page of the Clients list, for sorting tests.

Names with Finnish letters, case and accents; empty identity codes and
phones; clients without a period; ended periods and periods past the
one-year limit; planned, past and cancelled meetings; key workers on the
period, on the client or nowhere. ``expected_ids`` is the whole list's
order worked out in Python from the rows' own values (the domain's period
end, the next planned meeting, the worker's name), as the page promises it.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from typing import Any

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.periods import max_end
from sosku_desktop.operations.client_list import SORT_COLUMNS, ClientRow
from sosku_desktop.store.database import Store
from sosku_desktop.store.list_order import sort_key
from sosku_desktop.store.writer import new_id

NOW = datetime(2026, 11, 24, 12, 0)
CLIENTS = 130  # more than two pages of 50
LAST = [
    "Aalto",
    "aaltonen",
    "Åberg",
    "Äijälä",
    "Öhman",
    "Zetterberg",
    "Über",
    "Ylönen",
    "Virtanen",
    "Wikström",
    "Andersson",
    "Ärrä",
    "järvinen",
    "Järvi",
    "Mäkelä",
    "Makela",
    "",
]
FIRST = ["Sari", "aino", "Åsa", "Ölli", "Eero", "", "Élise", "Juha"]


def build(store: Store) -> None:
    """``CLIENTS`` clients with their periods, meetings and key workers."""
    workers = [
        models.Worker(id=new_id(), name=name) for name in ("Örö Ville", "aino Aalto", "Bertta")
    ]
    with store.write() as w:
        for worker in workers:
            w.add(worker)
        for i in range(CLIENTS):
            _add_client(w, i, workers)


def _add_client(w: Any, i: int, workers: list[models.Worker]) -> None:
    client = models.Client(
        id=new_id(),
        first_name=FIRST[i % len(FIRST)],
        last_name=LAST[i % len(LAST)],
        identity_code="" if i % 7 == 0 else f"{(i * 37) % 311:06d}-{i:03d}X",
        phone="" if i % 5 == 0 else f"040 {(i * 53) % 997:07d}",
        worker_id=workers[i % 3].id if i % 4 == 0 else None,
    )
    w.add(client)
    if i % 6 == 5:
        return  # no period yet
    start = date(2025, 1, 1) + timedelta(days=(i * 11) % 500)
    planned = max_end(start) + timedelta(days=60) if i % 9 == 0 else start + timedelta(days=200)
    ended = i % 4 == 1
    period = models.Period(
        id=new_id(),
        client_id=client.id,
        worker_id=workers[(i // 3) % 3].id if i % 3 == 0 else None,
        start=start,
        planned_end=planned,
        ended_on=start + timedelta(days=100 + i % 13) if ended else None,
        phase=codes.PHASES[i % len(codes.PHASES)],
        status=codes.PERIOD_ENDED if ended else codes.PERIOD_ACTIVE,
    )
    w.add(period)
    for k, (days, status) in enumerate(
        [(1 + (i * 7) % 40, codes.MEETING_PLANNED), (-3, codes.MEETING_PLANNED)]
        + ([(2, codes.MEETING_CANCELLED)] if i % 2 else [])
    ):
        if k == 0 and i % 3 == 2:
            continue  # some have no meeting ahead
        w.add(
            models.Meeting(
                id=new_id(),
                period_id=period.id,
                starts_at=NOW + timedelta(days=days, hours=i % 5),
                duration_min=60,
                kind=codes.MEETING_OFFICE,
                status=status,
            )
        )


def _text(value: str | None) -> str | None:
    return sort_key(value) if value else None


def column_value(row: ClientRow, column: str) -> Any:
    """The value a column sorts by, from the row the page shows (None: empty)."""
    values: dict[str, Any] = {
        "identity_code": row.client.identity_code or None,
        "phone": row.client.phone or None,
        "phase": codes.PHASES.index(row.period.phase) if row.period else None,
        "period_end": row.end,
        "next_meeting": row.next_meeting,
        "key_worker": _text(row.worker_name),
    }
    return values[column]


def _keys(row: ClientRow, column: str, descending: bool) -> list[tuple[Any, bool]]:
    name = [(_text(row.client.last_name), False), (_text(row.client.first_name), False)]
    if column == "name":
        return [(v, descending) for v, _ in name] + [(row.client.id, descending)]
    return [(column_value(row, column), descending), *name, (row.client.id, False)]


def _compare(a: list[tuple[Any, bool]], b: list[tuple[Any, bool]]) -> int:
    """Key by key: empty (None) last whichever way, otherwise the key's own way."""
    for (x, descending), (y, _) in zip(a, b, strict=True):
        if x == y:
            continue
        if x is None:
            return 1
        if y is None:
            return -1
        return (-1 if x < y else 1) * (-1 if descending else 1)
    return 0


def expected_ids(rows: list[ClientRow], column: str, descending: bool) -> list[str]:
    assert column in SORT_COLUMNS
    keyed = [(_keys(r, column, descending), r.client.id) for r in rows]
    keyed.sort(key=functools.cmp_to_key(lambda a, b: _compare(a[0], b[0])))
    return [client_id for _, client_id in keyed]
