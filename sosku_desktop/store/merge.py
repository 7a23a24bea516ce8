"""Apply remote change bundles: per-column last-writer-wins with history and conflicts.

The winner of a column is the write with the greatest HLC (the device id
inside the HLC breaks ties), never "most edits". Every losing or
superseded write is kept in ``value_history`` (unique per column and HLC),
so after all devices have seen all bundles they hold identical rows *and*
identical history, whatever order the bundles came in. An op carries the
value its edit was based on (``b``); when that base differs from what this
device holds, the two edits were concurrent and the hidden value goes to
the worker's conflict list. Remote changes are written here directly and
deliberately not captured into the change log again.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from sosku_desktop.store import codec
from sosku_desktop.store.hlc import HybridLogicalClock, Timestamp
from sosku_desktop.store.schema import (
    ENTITY,
    ENTITY_TABLES,
    SCHEMA_VERSION,
    SYNCED_TABLES,
    column_clock,
    conflicts,
    remote_devices,
)
from sosku_desktop.store.writer import keep_history

#: Date used in placeholder rows until the row's real values arrive.
_PLACEHOLDER_DAY = date(1970, 1, 1)

# Statements built once: applying a pulled page runs them thousands of times,
# and building (and cache-keying) a fresh expression per call cost more than
# the SQL itself (bench/bench_sync.py).
_APPLIED_SEQ = sa.select(remote_devices.c.applied_seq).where(
    remote_devices.c.device_id == sa.bindparam("dev")
)
_SET_APPLIED_SEQ = sqlite_insert(remote_devices).prefix_with("OR REPLACE")
_ROW_CLOCKS = sa.select(column_clock.c.col, column_clock.c.hlc, column_clock.c.device_id).where(
    column_clock.c.tbl == sa.bindparam("tbl"), column_clock.c.row_id == sa.bindparam("rid")
)
_PUT_CLOCKS = sqlite_insert(column_clock).prefix_with("OR REPLACE")
_SELECT_ROW = {
    name: sa.select(t).where(t.c.id == sa.bindparam("rid")) for name, t in ENTITY.items()
}
_UPDATE_ROW = {name: t.update().where(t.c.id == sa.bindparam("rid")) for name, t in ENTITY.items()}
_INSERT_ROW = {name: t.insert() for name, t in ENTITY.items()}


@dataclass
class ApplyResult:
    """What one bundle did to this device."""

    applied: int = 0
    ignored: int = 0
    conflicts: int = 0
    duplicate: bool = False


class BundleRejected(ValueError):
    """A bundle that must not be applied now; ``reason`` is a stable code for the quarantine."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def applied_seq(conn: Connection, device_id: str) -> int:
    value = conn.execute(_APPLIED_SEQ, {"dev": device_id}).scalar()
    return int(value or 0)


def check_applicable(conn: Connection, bundle: dict[str, Any], own_device: str) -> str | None:
    """``None`` when the bundle can be applied now, else why not (or "duplicate")."""
    if bundle["device_id"] == own_device:
        return "own"
    if int(bundle["schema_version"]) > SCHEMA_VERSION:
        raise BundleRejected("newer_schema")
    seq = int(bundle["device_seq"])
    done = applied_seq(conn, bundle["device_id"])
    if seq <= done:
        return "duplicate"
    if seq != done + 1:
        raise BundleRejected("gap")
    for op in bundle["ops"]:
        if op.get("t") not in SYNCED_TABLES:
            raise BundleRejected("unknown_table")
        if op.get("c") is not None and (op["c"] not in ENTITY[op["t"]].c or op["c"] == "id"):
            raise BundleRejected("unknown_column")  # an id is never rewritten
    return None


def apply_bundle(
    conn: Connection, bundle: dict[str, Any], clock: HybridLogicalClock
) -> ApplyResult:
    """Apply one decrypted bundle inside the caller's transaction.

    Raises ``BundleRejected`` for a newer schema, a sequence gap, unknown
    tables or columns, a clock too far in the future, or values that do not
    fit (``malformed``); the caller puts such bundles in quarantine inside a
    savepoint. Duplicates and our own bundles are no-ops.
    """
    status = check_applicable(conn, bundle, clock.device)
    if status is not None:
        return ApplyResult(duplicate=True)
    try:
        # Only the store's own fixed-width form compares correctly as a string.
        stamp = Timestamp.decode(bundle["hlc"])
    except ValueError as exc:
        raise BundleRejected("malformed") from exc
    try:
        clock.receive(stamp)
    except ValueError as exc:
        raise BundleRejected("clock_drift") from exc
    result = ApplyResult()
    by_row: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for op in bundle["ops"]:
        by_row.setdefault((op["t"], op["r"]), []).append(op)
    try:
        for (table_name, row_id), ops in by_row.items():
            _apply_row(conn, table_name, row_id, ops, bundle["hlc"], bundle["device_id"], result)
    except (ValueError, TypeError, KeyError, sa.exc.IntegrityError, sa.exc.InterfaceError) as exc:
        # A signed bundle whose values do not fit our columns (a date that is
        # no date …): held in quarantine instead of stopping every later page.
        # The caller's savepoint drops whatever this bundle had written.
        raise BundleRejected("malformed") from exc
    _set_applied_seq(conn, bundle["device_id"], int(bundle["device_seq"]))
    return result


def _apply_row(
    conn: Connection,
    table_name: str,
    row_id: str,
    ops: list[dict[str, Any]],
    hlc: str,
    device: str,
    result: ApplyResult,
) -> None:
    """Apply all ops of one row: one read of the row and its clocks, one UPDATE."""
    clocks = {c.col: c for c in conn.execute(_ROW_CLOCKS, {"tbl": table_name, "rid": row_id})}
    row = conn.execute(_SELECT_ROW[table_name], {"rid": row_id}).first()
    current = dict(row._mapping) if row is not None else {}
    winners: dict[str, Any] = {}
    for op in ops:
        column = "deleted" if op.get("d") else op["c"]
        wire_value = True if op.get("d") else op.get("v")
        clock = clocks.get(column)
        if clock is not None and clock.hlc == hlc:
            result.ignored += 1  # the same write again
            continue
        local_wire = codec.to_wire(current.get(column))
        concurrent = (
            "b" in op and clock is not None and op["b"] != local_wire and local_wire != wire_value
        )
        if clock is None or hlc > clock.hlc:
            if clock is not None:
                keep_history(
                    conn, table_name, row_id, column, local_wire, clock.hlc, clock.device_id
                )
            winners[column] = codec.from_wire(table_name, column, wire_value)
            if concurrent and clock is not None:
                _record_conflict(
                    conn, table_name, row_id, column, wire_value, hlc, local_wire, clock.hlc
                )
                result.conflicts += 1
            else:
                result.applied += 1
            continue
        # The remote write is older than ours: it loses, but is kept in history.
        keep_history(conn, table_name, row_id, column, wire_value, hlc, device)
        if concurrent:
            _record_conflict(
                conn, table_name, row_id, column, local_wire, clock.hlc, wire_value, hlc
            )
            result.conflicts += 1
        else:
            result.ignored += 1
    if not winners:
        return
    if row is None:
        conn.execute(_INSERT_ROW[table_name], {**_placeholder_row(table_name, row_id), **winners})
    else:
        conn.execute(_UPDATE_ROW[table_name], {"rid": row_id, **winners})
    conn.execute(
        _PUT_CLOCKS,
        [
            {"tbl": table_name, "row_id": row_id, "col": c, "hlc": hlc, "device_id": device}
            for c in winners
        ],
    )


def _record_conflict(
    conn: Connection,
    table: str,
    row_id: str,
    column: str,
    kept: Any,
    kept_hlc: str,
    other: Any,
    other_hlc: str,
) -> None:
    conn.execute(
        conflicts.insert().values(
            tbl=table,
            row_id=row_id,
            col=column,
            kept_value=kept,
            kept_hlc=kept_hlc,
            other_value=other,
            other_hlc=other_hlc,
            detected_at=datetime.now().replace(microsecond=0),
        )
    )


def _set_applied_seq(conn: Connection, device: str, seq: int) -> None:
    conn.execute(_SET_APPLIED_SEQ, {"device_id": device, "applied_seq": seq})


def _placeholder_row(table_name: str, row_id: str) -> dict[str, Any]:
    """A row to hold columns that arrive before the rest of their row.

    Its columns have no clock, so the row's real values win as soon as they
    arrive; until then they hold the dataclass defaults or neutral values.
    """
    return {**_placeholder_template(table_name), "id": row_id}


@functools.cache
def _placeholder_template(table_name: str) -> dict[str, Any]:
    if table_name not in ENTITY_TABLES:
        return {"value": None, "deleted": False}
    cls = ENTITY_TABLES[table_name]
    hints = typing.get_type_hints(cls)
    row: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            row[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            row[f.name] = f.default_factory()  # an empty list or dict, only ever bound
        else:
            row[f.name] = _neutral(hints[f.name])
    return row


def _neutral(hint: object) -> Any:
    if hint is str:
        return ""
    if hint is int:
        return 0
    if hint is datetime:
        return datetime.combine(_PLACEHOLDER_DAY, datetime.min.time())
    if hint is date:
        return _PLACEHOLDER_DAY
    return None
