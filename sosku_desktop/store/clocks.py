"""Per-column clocks and value history: the one place that knows how they are stored.

Clocks are per column (last-writer-wins by HLC), but stored per row: one
``row_clock`` row holds the HLC most of the row's columns share and, in
``cols``, only the columns that differ (``""`` for a column no write has
reached yet, as in a placeholder row). A row written in one go costs one
short row instead of one row per column. ``pack``/``unpack`` convert, and
everything else in the store goes through ``load``/``save``, always for
many rows at once: applying a pulled page reads the clocks of every row it
touches in a few queries and writes them back with one ``executemany``.

A column added by a later migration inherits its rows' base HLC, which is
harmless: no write to it can be older than the row it belongs to.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sosku_desktop.store import driver_sql, raw_write
from sosku_desktop.store.schema import ENTITY, row_clock, value_history

#: Row keys per ``IN (…)`` query; well below SQLite's bound-parameter limit.
CHUNK = 400

RowKey = tuple[str, str]
#: column -> HLC of the write it shows
RowClocks = dict[str, str]


def device_of(hlc: str) -> str:
    """The device inside an HLC string (``ms-counter-device``)."""
    return hlc.split("-", 2)[2]


@functools.cache
def _columns(table: str) -> tuple[str, ...]:
    return tuple(c.name for c in ENTITY[table].c if c.name != "id")


@functools.cache
def _column_set(table: str) -> frozenset[str]:
    return frozenset(_columns(table))


def pack(table: str, clocks: Mapping[str, str]) -> tuple[str, str | None]:
    """``(hlc, cols)`` for a row's clocks: the most shared HLC, and the exceptions."""
    shared = set(clocks.values())
    if len(shared) == 1 and clocks.keys() == _column_set(table):
        return shared.pop(), None  # every column written at once: the common case
    counts = Counter(clocks.values())
    base = max(counts, key=lambda h: (counts[h], h))
    exceptions = {c: clocks.get(c, "") for c in _columns(table) if clocks.get(c) != base}
    exceptions.update({c: h for c, h in clocks.items() if c not in exceptions and h != base})
    if not exceptions:
        return base, None
    return base, json.dumps(exceptions, separators=(",", ":"), ensure_ascii=False)


def unpack(table: str, hlc: str, cols: str | None) -> RowClocks:
    """The per-column clocks of one stored ``row_clock`` row."""
    clocks = dict.fromkeys(_columns(table), hlc)
    if cols:
        for column, value in json.loads(cols).items():
            if value:
                clocks[column] = value
            else:
                clocks.pop(column, None)
    return clocks


def creation_row(table: str, row_id: str, hlc: str) -> dict[str, Any]:
    """The ``row_clock`` row of a row whose every column was written at ``hlc``."""
    return {"tbl": table, "row_id": row_id, "hlc": hlc, "cols": None}


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _by_table(keys: Iterable[RowKey]) -> dict[str, list[str]]:
    tables: dict[str, set[str]] = {}
    for table, row_id in keys:
        tables.setdefault(table, set()).add(row_id)
    return {t: sorted(ids) for t, ids in tables.items()}


def load(conn: Connection, keys: Iterable[RowKey]) -> dict[RowKey, RowClocks]:
    """The clocks of every given row that has any (one query per table and chunk).

    Plain text columns: the query goes to the driver as it is (a page reads
    thousands of rows; building a Core statement per chunk cost more).
    """
    found: dict[RowKey, RowClocks] = {}
    for table, ids in _by_table(keys).items():
        for part in _chunks(ids):
            marks = ", ".join("?" * len(part))
            query = f"SELECT row_id, hlc, cols FROM row_clock WHERE tbl = ? AND row_id IN ({marks})"
            for row_id, hlc, cols in conn.exec_driver_sql(query, (table, *part)):
                found[(table, row_id)] = unpack(table, hlc, cols)
    return found


def load_row(conn: Connection, table: str, row_id: str) -> RowClocks:
    return load(conn, [(table, row_id)]).get((table, row_id), {})


_PUT = "INSERT OR REPLACE INTO row_clock (tbl, row_id, hlc, cols) VALUES (?, ?, ?, ?)"


def save(
    conn: Connection,
    clocks: Mapping[RowKey, RowClocks],
    changed: Iterable[RowKey],
    on_driver: bool = False,
) -> None:
    """Store the full clocks of the ``changed`` rows (one ``executemany``).

    ``on_driver``: straight to the DBAPI connection (``driver_sql``), as the
    Writer's save does; its errors are then the driver's own, not Core's.
    """
    rows = [(t, r, *pack(t, clocks[(t, r)])) for t, r in changed]
    if not rows:
        return
    if on_driver:
        driver_sql.driver(conn).executemany(_PUT, rows)
    else:
        conn.exec_driver_sql(_PUT, rows)


def all_clocks(conn: Connection) -> dict[tuple[str, str, str], str]:
    """Every (table, row, column) -> HLC (tests and diagnostics)."""
    found: dict[tuple[str, str, str], str] = {}
    for table, row_id, hlc, cols in conn.execute(sa.select(row_clock)):
        for column, value in unpack(table, hlc, cols).items():
            found[(table, row_id, column)] = value
    return found


# --- value history -----------------------------------------------------------------


def history_entry(
    table: str, row_id: str, column: str, wire_value: Any, hlc: str
) -> dict[str, Any]:
    """One superseded or losing write, as ``add_history`` takes it."""
    return {"tbl": table, "row_id": row_id, "col": column, "value": wire_value, "hlc": hlc}


def add_history(conn: Connection, entries: list[dict[str, Any]]) -> None:
    """Keep superseded or losing writes; one row per (column, HLC) on every device."""
    if entries:
        now = datetime.now().replace(microsecond=0)
        rows = [{**e, "superseded_at": now} for e in entries]
        raw_write.insert(conn, value_history, rows, verb="INSERT OR IGNORE")


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
