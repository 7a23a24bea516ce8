"""``raw_write`` stores exactly what SQLAlchemy Core stores, for every column type we use.

A pulled page is written through the driver (``store/raw_write.py``); a row
written that way must read back, and sit in the file, the same as one
written by Core: otherwise a laptop that pulled a row would hold other
text (a datetime's form, JSON ``null``) than the laptop that wrote it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from sosku_desktop.store import raw_write
from sosku_desktop.store.database import Store
from sosku_desktop.store.merge import _placeholder_row
from sosku_desktop.store.schema import ENTITY, value_history

#: Rows covering every column type of the entity tables, None included.
_MEETING_VALUES: list[dict[str, Any]] = [
    {
        "starts_at": datetime(2024, 3, 1, 9, 30, 15),
        "notes": "Kävelytapaaminen 'lainaus' \"toinen\"",
        "methods": ["walk", "phone"],
        "deleted": False,
    },
    {
        "starts_at": datetime(2024, 3, 1, 9, 30, 15, 123456),
        "notes": "",
        "methods": [],
        "deleted": True,
    },
]


def _stored(store: Store, table: sa.Table, ids: list[str]) -> list[tuple[Any, ...]]:
    """The rows as the file holds them (no result processing) and as Core reads them."""
    with store.read() as r:
        names = ", ".join(f'"{c.name}"' for c in table.c)
        marks = ", ".join("?" for _ in ids)
        raw = r.conn.exec_driver_sql(
            f'SELECT {names} FROM "{table.name}" WHERE "{table.c[0].name}" IN ({marks}) ORDER BY 1',
            tuple(ids),
        ).all()
        read = r.conn.execute(
            sa.select(table).where(table.c[0].in_(ids)).order_by(table.c[0])
        ).all()
    return [*map(tuple, raw), *map(tuple, read)]


def test_entity_rows_written_raw_equal_core_rows(store: Store) -> None:
    table = ENTITY["meetings"]
    # Every column: the placeholder a merge starts a row from, with values of each type.
    rows = [{**_placeholder_row("meetings", f"x{i}"), **v} for i, v in enumerate(_MEETING_VALUES)]
    with store.write() as w:
        w.conn.execute(table.insert(), [{**row, "id": "core-" + row["id"]} for row in rows])
        raw_write.insert(w.conn, table, [{**row, "id": "raw-" + row["id"]} for row in rows])
    core = _stored(store, table, [f"core-x{i}" for i in range(len(rows))])
    raw = _stored(store, table, [f"raw-x{i}" for i in range(len(rows))])
    assert [r[1:] for r in raw] == [c[1:] for c in core]
    assert len(raw) == 2 * len(rows)

    changed = {"worker_id": None, "starts_at": datetime(2025, 1, 2, 3, 4, 5), "methods": None}
    with store.write() as w:
        w.conn.execute(table.update().where(table.c.id == "core-x0").values(**changed))
        raw_write.update(w.conn, table, list(changed), [{**changed, "id": "raw-x0"}])
    assert [r[1:] for r in _stored(store, table, ["raw-x0"])] == [
        c[1:] for c in _stored(store, table, ["core-x0"])
    ]


def test_history_rows_written_raw_equal_core_rows(store: Store) -> None:
    now = datetime(2024, 5, 6, 7, 8, 9)
    values: list[Any] = [None, "text", 3, 2.5, True, ["a", 1], {"k": "v"}, "2024-01-01"]
    rows = [
        {"tbl": "t", "row_id": f"r{i}", "col": "c", "hlc": "h", "value": v, "superseded_at": now}
        for i, v in enumerate(values)
    ]
    with store.write() as w:
        w.conn.execute(value_history.insert(), rows)
        raw_write.insert(
            w.conn, value_history, [{**r, "tbl": "u"} for r in rows], verb="INSERT OR IGNORE"
        )
        # OR IGNORE: the same (table, row, column, HLC) again changes nothing.
        raw_write.insert(
            w.conn,
            value_history,
            [{**rows[1], "tbl": "u", "value": "other"}],
            verb="INSERT OR IGNORE",
        )
    with store.read() as r:
        query = (
            "SELECT tbl, row_id, col, hlc, value, superseded_at FROM value_history ORDER BY row_id"
        )
        stored = r.conn.exec_driver_sql(query).all()
        read = r.conn.execute(sa.select(value_history).order_by(value_history.c.row_id)).all()
    core = [tuple(s[1:]) for s in stored if s[0] == "t"]
    raw = [tuple(s[1:]) for s in stored if s[0] == "u"]
    assert raw == core and len(raw) == len(values)
    assert [r.value for r in read if r.tbl == "u"] == [r.value for r in read if r.tbl == "t"]


def test_a_date_column_and_a_boolean_are_stored_as_core_stores_them(store: Store) -> None:
    table = ENTITY["periods"]
    row = {**_placeholder_row("periods", "p"), "start": date(2024, 2, 29), "ended_on": None}
    with store.write() as w:
        w.conn.execute(table.insert(), [{**row, "id": "core-p"}])
        raw_write.insert(w.conn, table, [{**row, "id": "raw-p"}])
    core, raw = (_stored(store, table, [i]) for i in ("core-p", "raw-p"))
    assert [r[1:] for r in raw] == [c[1:] for c in core]
