"""Bulk writes for generated caseloads: the Writer's own bundles, inserts batched.

A caseload of thousands of clients written one ``INSERT`` at a time takes
many minutes; the cost is the per-statement overhead, not the data. A
``BulkWriter`` is a real ``Writer`` (same ops, same audit rows, same
``finish``: clocks and change-log row are written by the Writer's own code,
so a change to how the Writer stores clocks is picked up here unchanged);
only its entity inserts are collected in a ``RowSink`` and executed later
with one ``executemany`` per table. ``tests/store/test_caseload.py`` checks
that a small caseload written this way equals, table by table and bundle by
bundle, the same caseload written through ``Store.write()``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, TypeVar

from sqlalchemy.engine import Connection

from sosku_desktop.domain import codes
from sosku_desktop.store import codec
from sosku_desktop.store.hlc import HybridLogicalClock
from sosku_desktop.store.schema import ENTITY
from sosku_desktop.store.writer import VIA_PERIOD, Actor, Writer

E = TypeVar("E")


class RowSink:
    """Entity rows waiting to be inserted, per table, plus the period → client map."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.period_client: dict[str, str] = {}
        self.goal_period: dict[str, str] = {}

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.rows[table].append(row)
        if table == "periods":
            self.period_client[row["id"]] = row["client_id"]
        elif table == "goals":
            self.goal_period[row["id"]] = row["period_id"]

    def pending(self) -> int:
        return sum(len(rows) for rows in self.rows.values())

    def flush(self, conn: Connection) -> None:
        """Insert every collected row (FK-safe table order), one executemany per table."""
        for table in ENTITY:
            rows = self.rows.pop(table, None)
            if rows:
                conn.execute(ENTITY[table].insert(), rows)


class BulkWriter(Writer):
    """A ``Writer`` whose ``add`` hands the row to a ``RowSink`` instead of inserting it."""

    def __init__(
        self, conn: Connection, actor: Actor, clock: HybridLogicalClock, sink: RowSink
    ) -> None:
        super().__init__(conn, actor, clock)
        self.sink = sink

    def add(self, entity: E, audit: bool = True) -> E:
        """As ``Writer.add``, with the INSERT deferred to the sink."""
        table = codec.table_of(entity)
        row = codec.to_row(entity)
        self.sink.add(table, row)
        for column, value in row.items():
            if column == "id":
                continue
            self._capture(table, row["id"], column, value, base=None, had_value=False)
        if audit:
            self._audit_change(codes.AUDIT_CREATE, table, row["id"], row)
        return entity

    def update(self, entity: E, base: E | None = None) -> list[str]:
        """Updates read the stored row, so pending inserts go in first."""
        self.sink.flush(self.conn)
        return super().update(entity, base)

    def client_of(self, table: str, row: dict[str, Any]) -> str | None:
        """The owning client, looked up among pending rows before the database."""
        if table in VIA_PERIOD:
            client = self.sink.period_client.get(row.get("period_id") or "")
            if client is not None:
                return client
        if table == "goal_progress":
            period = self.sink.goal_period.get(row.get("goal_id") or "")
            if period is not None and period in self.sink.period_client:
                return self.sink.period_client[period]
        return super().client_of(table, row)
