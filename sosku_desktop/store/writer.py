"""The single writer: every change goes through here, with its capture and audit.

One ``Writer`` is one SQLite transaction and becomes one change bundle:
the entity rows, the per-column clocks, the value history, the audit-log
rows and the change-log (outbox) row are written together or not at all.
Nothing else in the code base issues INSERT/UPDATE on synced tables; remote
changes are applied by ``store.merge`` which deliberately does not capture
them again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sosku_desktop.domain import codes
from sosku_desktop.domain.ids import new_id as new_id  # re-exported: the store's callers use it
from sosku_desktop.domain.models import AuditEntry
from sosku_desktop.store import clocks, codec, driver_sql, meta_state
from sosku_desktop.store.clocks import RowClocks, RowKey
from sosku_desktop.store.errors import NotFoundError
from sosku_desktop.store.hlc import HybridLogicalClock
from sosku_desktop.store.schema import (
    ENTITY,
    SCHEMA_VERSION,
    change_log,
    conflicts,
    meta,
)

E = TypeVar("E")

#: Namespace for ids derived from natural keys (attendance = session + client).
_ID_NAMESPACE = uuid.UUID("6f1c9a52-34a4-4f4e-9d0b-0c3f1f0a5e11")


#: Op key of a conflict decision: the newest HLC of the conflicts it closes.
RESOLVES = "x"


def derived_id(*parts: str) -> str:
    """A stable id for rows keyed by natural parts, so concurrent marks hit one row."""
    return str(uuid.uuid5(_ID_NAMESPACE, "/".join(parts)))


@dataclass(frozen=True)
class Actor:
    """Who is writing: the signed-in worker on this device."""

    worker_id: str | None
    device_id: str


# Tables whose rows carry the client id themselves.
_DIRECT_CLIENT = {"periods", "assessments", "attendances", "group_members", "expenses"}
# Tables that reach the client through their period.
VIA_PERIOD = {
    "decisions",
    "goals",
    "meetings",
    "agreements",
    "needs_mappings",
    "implementation_plans",
    "evaluations",
    "planned_entries",
}


class Writer:
    """Collects ops of one transaction; ``finish`` writes the bundle row."""

    def __init__(self, conn: Connection, actor: Actor, clock: HybridLogicalClock) -> None:
        self.conn = conn
        self.actor = actor
        self.clock = clock
        self._stamp = clock.tick()
        self.hlc = self._stamp.encode()
        self.now = datetime.now().replace(microsecond=0)
        self._ops: dict[tuple[str, str, str], dict[str, Any]] = {}
        #: Per row, the columns whose clock this transaction sets (written once, at finish).
        self._clocks: dict[RowKey, set[str]] = {}
        #: Stored clocks of the rows this transaction touches (read once per row).
        self._row_clocks: dict[RowKey, RowClocks] = {}
        #: Superseded values, kept at finish.
        self._superseded: list[dict[str, Any]] = []

    # --- entity writes -----------------------------------------------------------

    def add(self, entity: E, audit: bool = True) -> E:
        """Insert a new row; every column becomes an op."""
        table = codec.table_of(entity)
        row = codec.to_row(entity)
        # Straight to the driver (``driver_sql``: SQL made once per table, the columns'
        # own bind processors, so stored exactly as Core stores it).
        driver_sql.insert_row(self.conn, ENTITY[table], row)
        self._capture_new(table, row)
        if audit:
            self._audit_change(codes.AUDIT_CREATE, table, row["id"], row)
        return entity

    def update(self, entity: E, base: E | None = None) -> list[str]:
        """Write the columns that differ from the stored row; returns their names.

        ``base`` is the version the edit started from (e.g. when the form
        opened); it travels with each op so that a concurrent edit on
        another device is recognised as a conflict instead of lost.
        """
        table = codec.table_of(entity)
        new = codec.to_row(entity)
        current = self._current(table, new["id"])
        based_on = codec.to_row(base) if base is not None else current
        changed = {c: v for c, v in new.items() if c != "id" and current.get(c) != v}
        if not changed:
            return []
        self.conn.execute(_update_by_id(table), {**changed, _ROW_ID: new["id"]})
        for column, value in changed.items():
            self._history(table, new["id"], column, current.get(column))
            self._capture(table, new["id"], column, value, base=based_on.get(column))
        action = codes.AUDIT_DELETE if changed.get("deleted") is True else codes.AUDIT_UPDATE
        self._audit_change(action, table, new["id"], new)
        return sorted(changed)

    def delete(self, cls: type[E], row_id: str) -> None:
        """Soft delete: a ``deleted`` flag that sync carries like any other column."""
        table = codec.table_of(cls)
        current = self._current(table, row_id)
        if current.get("deleted"):
            return
        entity = codec.from_row(cls, current)
        entity.deleted = True  # type: ignore[attr-defined]
        self.update(entity)

    def set_setting(self, key: str, value: Any) -> None:
        """An organisation setting (synced key/value)."""
        table = ENTITY["org_settings"]
        existing = self.conn.execute(sa.select(table).where(table.c.id == key)).first()
        if existing is None:
            self.conn.execute(table.insert().values(id=key, value=value, deleted=False))
            self._capture("org_settings", key, "value", value, base=None, had_value=False)
            self._capture("org_settings", key, "deleted", False, base=None, had_value=False)
        elif existing.value != value:
            self.conn.execute(table.update().where(table.c.id == key).values(value=value))
            self._history("org_settings", key, "value", existing.value)
            self._capture("org_settings", key, "value", value, base=existing.value)

    def resolve_conflict(self, conflict_id: int, use_other: bool) -> None:
        """Decide a conflict; the decision travels to every device and closes it there too.

        The chosen value (the hidden one with ``use_other``, else the shown
        one) is written again as a new edit whose op carries ``x``: the
        newest HLC among the field's open conflicts. A device applying it
        closes its own open conflicts on that field up to that HLC
        (``store.merge``), so one decision closes the same conflict on every
        laptop, and last-writer-wins gives every laptop the same value. One
        decision settles the whole field: its other open conflicts close too.
        """
        row = self.conn.execute(sa.select(conflicts).where(conflicts.c.id == conflict_id)).first()
        if row is None or row.resolved_at is not None:
            raise NotFoundError("conflict not found or already resolved")
        same_field = self.conn.execute(
            sa.select(conflicts.c.id, conflicts.c.kept_hlc, conflicts.c.other_hlc).where(
                conflicts.c.tbl == row.tbl,
                conflicts.c.row_id == row.row_id,
                conflicts.c.col == row.col,
                conflicts.c.resolved_at.is_(None),
            )
        ).fetchall()
        upto = max(max(c.kept_hlc, c.other_hlc) for c in same_field)
        table = ENTITY[row.tbl]
        current = self._current(row.tbl, row.row_id)
        value = (
            codec.from_wire(row.tbl, row.col, row.other_value) if use_other else current[row.col]
        )
        if value != current[row.col]:
            self.conn.execute(
                table.update().where(table.c.id == row.row_id).values({row.col: value})
            )
        self._history(row.tbl, row.row_id, row.col, current[row.col])
        self._capture(row.tbl, row.row_id, row.col, value, base=current[row.col])
        self._ops[(row.tbl, row.row_id, row.col)][RESOLVES] = upto
        self.conn.execute(
            conflicts.update()
            .where(conflicts.c.id.in_([c.id for c in same_field]))
            .values(
                resolved_at=self.now,
                resolution=sa.case(
                    (conflicts.c.id == conflict_id, "other" if use_other else "kept"),
                    else_="same_field",
                ),
            )
        )
        self.log_access(
            codes.AUDIT_RESOLVE_CONFLICT, self.client_of(row.tbl, current), row.tbl, row.row_id
        )

    # --- audit ---------------------------------------------------------------------

    def log_access(
        self,
        action: str,
        client_id: str | None,
        record_table: str = "",
        record_id: str = "",
        reason: str = "",
    ) -> None:
        """An access-log row (view, print, export …); it syncs like other data."""
        entry = AuditEntry(
            id=new_id(),
            at=self.now,
            action=action,
            worker_id=self.actor.worker_id,
            device_id=self.actor.device_id,
            client_id=client_id,
            record_table=record_table,
            record_id=record_id,
            reason=reason,
        )
        self.add(entry, audit=False)

    def _audit_change(self, action: str, table: str, row_id: str, row: dict[str, Any]) -> None:
        if table == "audit_log":
            return
        self.log_access(action, self.client_of(table, row), table, row_id)

    def client_of(self, table: str, row: dict[str, Any]) -> str | None:
        """Which client a row belongs to (for the per-client access log)."""
        return client_of(self.conn, table, row)

    # --- capture -------------------------------------------------------------------

    def _current(self, table: str, row_id: str) -> dict[str, Any]:
        row = self.conn.execute(
            sa.select(ENTITY[table]).where(ENTITY[table].c.id == row_id)
        ).first()
        if row is None:
            raise NotFoundError(f"{table} row not found")
        return dict(row._mapping)

    def _history(self, table: str, row_id: str, column: str, old: Any) -> None:
        if column in self._clocks.get((table, row_id), ()):
            return  # overwritten inside this same transaction: never visible to anyone
        hlc = self._clocks_of(table, row_id).get(column)
        if hlc is not None:
            self._superseded.append(
                clocks.history_entry(table, row_id, column, codec.to_wire(old), hlc)
            )

    def _clocks_of(self, table: str, row_id: str) -> RowClocks:
        key = (table, row_id)
        if key not in self._row_clocks:
            self._row_clocks[key] = clocks.load_row(self.conn, table, row_id)
        return self._row_clocks[key]

    def _capture(
        self, table: str, row_id: str, column: str, value: Any, base: Any, had_value: bool = True
    ) -> None:
        """Record an op; a column written twice in one transaction travels once, last value."""
        key = (table, row_id, column)
        if not had_value:
            self._row_clocks.setdefault((table, row_id), {})  # a new row: no earlier writes
        existing = self._ops.get(key)
        if existing is not None:
            existing["v"] = codec.to_wire(value)
        else:
            op: dict[str, Any] = {"t": table, "r": row_id, "c": column, "v": codec.to_wire(value)}
            if had_value:
                op["b"] = codec.to_wire(base)
            self._ops[key] = op
        self._clocks.setdefault((table, row_id), set()).add(column)

    def _capture_new(self, table: str, row: dict[str, Any]) -> None:
        """``_capture`` of every column of a row this transaction inserted (one pass)."""
        row_id = row["id"]
        self._row_clocks.setdefault((table, row_id), {})  # a new row: no earlier writes
        ops = self._ops
        to_wire = codec.to_wire
        for column, value in row.items():
            if column != "id":  # its INSERT succeeded: no op of this row exists yet
                ops[(table, row_id, column)] = {
                    "t": table,
                    "r": row_id,
                    "c": column,
                    "v": to_wire(value),
                }
        self._clocks.setdefault((table, row_id), set()).update(row.keys() - {"id"})

    @property
    def ops(self) -> list[dict[str, Any]]:
        return list(self._ops.values())

    def finish(self) -> int | None:
        """Write the change bundle and the clock; returns the bundle's device_seq.

        The clock goes to ``meta`` unless the bundle row carries it (the clock
        has not moved since this transaction's tick): ``meta_state.load_clock``
        reads both, so every write transaction persists the clock one way.
        """
        if not self._ops or self.clock.last != self._stamp:
            meta_state.save_clock(self.conn, self.clock)
        if not self._ops:
            return None
        maps: dict[RowKey, RowClocks] = {}
        for key, columns in self._clocks.items():
            maps[key] = {**self._clocks_of(*key), **dict.fromkeys(columns, self.hlc)}
        clocks.save(self.conn, maps, maps, on_driver=True)
        clocks.add_history(self.conn, self._superseded)
        last = _LAST_SEQ_ON_DRIVER.scalar(self.conn)
        seq = int(last or 0) + 1
        driver_sql.insert_row(
            self.conn,
            change_log,
            {
                "device_seq": seq,
                "bundle_id": new_id(),
                "hlc": self.hlc,
                "schema_version": SCHEMA_VERSION,
                "created_at": self.now,
                "ops": self.ops,
            },
        )
        return seq


#: Bind name of the row id in ``_update_by_id`` (no column is called that).
_ROW_ID = "_sosku_row_id"
_UPDATES: dict[str, sa.Update] = {}


def _update_by_id(table: str) -> sa.Update:
    """``UPDATE table … WHERE id = :_sosku_row_id``; the changed columns come as parameters."""
    found = _UPDATES.get(table)
    if found is None:
        t = ENTITY[table]
        found = _UPDATES[table] = t.update().where(t.c.id == sa.bindparam(_ROW_ID))
    return found


def client_of(conn: Connection, table: str, row: dict[str, Any]) -> str | None:
    """Which client a row belongs to (access log, conflict list); ``None`` for team data."""
    if table == "clients":
        return str(row["id"])
    if table in _DIRECT_CLIENT:
        return row.get("client_id")
    if table in VIA_PERIOD:
        return _client_of_period(conn, row.get("period_id"))
    if table == "goal_progress":
        period_id = conn.execute(_PERIOD_OF_GOAL, {"id": row.get("goal_id")}).scalar()
        return _client_of_period(conn, period_id)
    return None


#: Statements of every save, built once (a statement built per call costs its cache key).
#: The newest own device_seq: the change log's, or the base a snapshot gave our chain
#: (``own_restore.OWN_BASE_SEQ``: the team holds our bundles up to it, this store does not).
_LAST_SEQ = sa.select(
    sa.func.max(
        sa.func.coalesce(sa.select(sa.func.max(change_log.c.device_seq)).scalar_subquery(), 0),
        sa.func.coalesce(
            sa.select(sa.cast(meta.c.value, sa.Integer))
            .where(meta.c.key == "sync.own_base_seq")
            .scalar_subquery(),
            0,
        ),
    )
)
_PERIOD_OF_GOAL = sa.select(ENTITY["goals"].c.period_id).where(
    ENTITY["goals"].c.id == sa.bindparam("id")
)
_CLIENT_OF_PERIOD = sa.select(ENTITY["periods"].c.client_id).where(
    ENTITY["periods"].c.id == sa.bindparam("id")
)


#: The same statements on the driver (``driver_sql``): one per save, ~40 µs less each.
_LAST_SEQ_ON_DRIVER = driver_sql.Prepared(_LAST_SEQ)
_CLIENT_OF_PERIOD_ON_DRIVER = driver_sql.Prepared(_CLIENT_OF_PERIOD)


def _client_of_period(conn: Connection, period_id: str | None) -> str | None:
    if period_id is None:
        return None
    value = _CLIENT_OF_PERIOD_ON_DRIVER.scalar(conn, id=period_id)
    return str(value) if value is not None else None
