"""Per-column clocks and value history: the one place that knows how they are stored.

Both the Writer (local edits) and the merge (remote bundles) read and
write clocks and history only through these functions, and always for
many rows at once: applying a pulled page reads the clocks of every row it
touches in a few queries and writes them back with one ``executemany``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from sosku_desktop.store.schema import column_clock, value_history

#: Row keys per ``IN (…)`` query; well below SQLite's bound-parameter limit.
CHUNK = 400

RowKey = tuple[str, str]
#: column -> HLC of the write it shows
RowClocks = dict[str, str]


def device_of(hlc: str) -> str:
    """The device inside an HLC string (``ms-counter-device``)."""
    return hlc.split("-", 2)[2]


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _by_table(keys: Iterable[RowKey]) -> dict[str, list[str]]:
    tables: dict[str, set[str]] = {}
    for table, row_id in keys:
        tables.setdefault(table, set()).add(row_id)
    return {t: sorted(ids) for t, ids in tables.items()}


def load(conn: Connection, keys: Iterable[RowKey]) -> dict[RowKey, RowClocks]:
    """The clocks of every given row that has any (one query per table and chunk)."""
    found: dict[RowKey, RowClocks] = {}
    for table, ids in _by_table(keys).items():
        for part in _chunks(ids):
            rows = conn.execute(
                sa.select(column_clock.c.row_id, column_clock.c.col, column_clock.c.hlc).where(
                    column_clock.c.tbl == table, column_clock.c.row_id.in_(part)
                )
            )
            for row_id, col, hlc in rows:
                found.setdefault((table, row_id), {})[col] = hlc
    return found


def load_row(conn: Connection, table: str, row_id: str) -> RowClocks:
    return load(conn, [(table, row_id)]).get((table, row_id), {})


_PUT = sqlite_insert(column_clock).prefix_with("OR REPLACE")


def save(
    conn: Connection,
    clocks: Mapping[RowKey, RowClocks],
    changed: Mapping[RowKey, Iterable[str]],
) -> None:
    """Store the clocks of ``changed`` columns; ``clocks`` holds each row's full map."""
    rows = [
        {"tbl": table, "row_id": row_id, "col": col, "hlc": hlc, "device_id": device_of(hlc)}
        for (table, row_id), cols in changed.items()
        for col in cols
        if (hlc := clocks[(table, row_id)][col])
    ]
    if rows:
        conn.execute(_PUT, rows)


def all_clocks(conn: Connection) -> dict[tuple[str, str, str], str]:
    """Every (table, row, column) -> HLC (tests and diagnostics)."""
    query = sa.select(
        column_clock.c.tbl, column_clock.c.row_id, column_clock.c.col, column_clock.c.hlc
    )
    return {(t, r, c): h for t, r, c, h in conn.execute(query)}


# --- value history -----------------------------------------------------------------


def history_entry(
    table: str, row_id: str, column: str, wire_value: Any, hlc: str
) -> dict[str, Any]:
    """One superseded or losing write, as ``add_history`` takes it."""
    return {"tbl": table, "row_id": row_id, "col": column, "value": wire_value, "hlc": hlc}


def add_history(conn: Connection, entries: list[dict[str, Any]]) -> None:
    """Keep superseded or losing writes; one row per (column, HLC) on every device."""
    if not entries:
        return
    unique: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for e in entries:
        unique.setdefault((e["tbl"], e["row_id"], e["col"], e["hlc"]), e)
    existing: set[tuple[str, str, str, str]] = set()
    row_ids = sorted({e["row_id"] for e in unique.values()})
    for part in _chunks(row_ids):
        existing.update(
            (t, r, c, h)
            for t, r, c, h in conn.execute(
                sa.select(
                    value_history.c.tbl,
                    value_history.c.row_id,
                    value_history.c.col,
                    value_history.c.hlc,
                ).where(value_history.c.row_id.in_(part))
            )
        )
    now = datetime.now().replace(microsecond=0)
    rows = [
        {**e, "device_id": device_of(e["hlc"]), "superseded_at": now}
        for key, e in unique.items()
        if key not in existing
    ]
    if rows:
        conn.execute(value_history.insert(), rows)


def all_history(conn: Connection) -> list[tuple[str, str, str, Any, str]]:
    """Every kept value as (table, row, column, wire value, hlc) (tests and diagnostics)."""
    return [
        (h.tbl, h.row_id, h.col, h.value, h.hlc)
        for h in conn.execute(
            sa.select(
                value_history.c.tbl,
                value_history.c.row_id,
                value_history.c.col,
                value_history.c.value,
                value_history.c.hlc,
            )
        )
    ]
