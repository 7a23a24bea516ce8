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
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from sosku_desktop.store import clocks, codec, raw_write
from sosku_desktop.store.clocks import RowClocks, RowKey
from sosku_desktop.store.hlc import HybridLogicalClock, Timestamp
from sosku_desktop.store.incoming import BundleRejected, Op, Prepared, RowOps, convert_ops
from sosku_desktop.store.schema import (
    ENTITY,
    ENTITY_TABLES,
    SCHEMA_VERSION,
    SYNCED_TABLES,
    change_log,
    conflicts,
    remote_devices,
)

#: Date used in placeholder rows until the row's real values arrive.
_PLACEHOLDER_DAY = date(1970, 1, 1)

_SET_APPLIED_SEQ = sqlite_insert(remote_devices).prefix_with("OR REPLACE")
_CLOSE = (
    conflicts.update()
    .where(
        conflicts.c.tbl == sa.bindparam("c_tbl"),
        conflicts.c.row_id == sa.bindparam("c_rid"),
        conflicts.c.col == sa.bindparam("c_col"),
        conflicts.c.resolved_at.is_(None),
        conflicts.c.kept_hlc <= sa.bindparam("c_upto"),
        conflicts.c.other_hlc <= sa.bindparam("c_upto"),
    )
    .values(resolved_at=sa.bindparam("c_now"), resolution="remote")
)
#: Errors of a bundle whose values do not fit our columns after all (caught per bundle):
#: a value the driver cannot bind or a constraint it breaks. ``StatementError`` also
#: covers a bind processor's own error (e.g. bytes for a JSON column); database
#: trouble (``OperationalError``: disk full, locked) is not the bundle's fault.
_UNFIT = (ValueError, TypeError, KeyError, sa.exc.StatementError)
_NOT_THE_BUNDLE = (sa.exc.OperationalError, sa.exc.ProgrammingError, sa.exc.InternalError)


@dataclass
class ApplyResult:
    """What one bundle did to this device (``rejected``: the quarantine reason)."""

    applied: int = 0
    ignored: int = 0
    conflicts: int = 0
    duplicate: bool = False
    rejected: str | None = None


@dataclass
class _Admitted:
    """A bundle that passed every check and whose values were converted."""

    index: int
    bundle: dict[str, Any]
    hlc: str
    ops: RowOps
    result: ApplyResult = field(default_factory=ApplyResult)


def applied_seq(conn: Connection, device_id: str) -> int:
    return applied_seqs(conn, [device_id]).get(device_id, 0)


def applied_seqs(conn: Connection, devices: list[str]) -> dict[str, int]:
    """Highest applied ``device_seq`` of each given remote device (absent = 0)."""
    if not devices:
        return {}
    rows = conn.execute(
        sa.select(remote_devices.c.device_id, remote_devices.c.applied_seq).where(
            remote_devices.c.device_id.in_(sorted(set(devices)))
        )
    )
    return {str(d): int(s) for d, s in rows}


def apply_bundle(
    conn: Connection, bundle: dict[str, Any], clock: HybridLogicalClock
) -> ApplyResult:
    """Apply one decrypted bundle inside the caller's transaction (see ``apply_page``)."""
    return apply_page(conn, [bundle], clock)[0]


def apply_page(
    conn: Connection,
    bundles: list[dict[str, Any]],
    clock: HybridLogicalClock,
    prepared: list[Prepared | None] | None = None,
) -> list[ApplyResult]:
    """Apply decrypted bundles in order, all together, inside the caller's transaction.

    Every bundle is first checked on its own (newer schema, sequence gap,
    unknown tables or columns, a clock too far ahead, values that do not
    fit); a refused one gets ``rejected`` set and writes nothing, and the
    same device's later bundles in the page then wait behind it as ``gap``.
    The rest are merged in memory against the clocks and rows of every row
    they touch (read in a few queries) and written with one
    ``executemany`` per table and statement shape. Should the database
    still refuse a value, the page's savepoint is rolled back and its
    bundles are applied one at a time, so only the bad bundle is refused.
    Duplicates and our own bundles are no-ops (``duplicate``). ``prepared``
    may hold each bundle's ops already converted (``prepare``, e.g. in the
    thread that opened the bundles).
    """
    results = [ApplyResult() for _ in bundles]
    admitted = _admit(conn, bundles, clock, results, prepared)
    if not admitted:
        return results
    try:
        with conn.begin_nested():
            page = _Page(conn, admitted)
            page.merge()
            page.flush(conn)
    except _UNFIT as exc:
        if isinstance(exc, _NOT_THE_BUNDLE):
            raise
        if len(admitted) == 1:
            results[admitted[0].index] = ApplyResult(rejected="malformed")
            return results
        for a in admitted:
            results[a.index] = apply_page(conn, [a.bundle], clock)[0]
        return results
    for a in admitted:
        results[a.index] = a.result
    return results


def _admit(
    conn: Connection,
    bundles: list[dict[str, Any]],
    clock: HybridLogicalClock,
    results: list[ApplyResult],
    prepared: list[Prepared | None] | None = None,
) -> list[_Admitted]:
    """Check each bundle in order; returns those to merge, marks the others."""
    done = applied_seqs(conn, [str(b["device_id"]) for b in bundles])
    admitted: list[_Admitted] = []
    for index, bundle in enumerate(bundles):
        device = str(bundle["device_id"])
        try:
            if device == clock.device:
                results[index].duplicate = True
                continue
            seq = _check_sequence(bundle, done.get(device, 0))
            if seq is None:
                results[index].duplicate = True
                continue
            ready = prepared[index] if prepared is not None else None
            if isinstance(ready, BundleRejected):
                raise ready
            ops = ready if ready is not None else convert_ops(bundle["ops"])
            _receive(bundle["hlc"], clock)
        except BundleRejected as exc:
            results[index].rejected = exc.reason
            continue
        done[device] = seq
        admitted.append(_Admitted(index, bundle, bundle["hlc"], ops, results[index]))
    return admitted


def _check_sequence(bundle: dict[str, Any], done: int) -> int | None:
    """The bundle's ``device_seq`` if it is the next one; ``None`` for a duplicate."""
    if int(bundle["schema_version"]) > SCHEMA_VERSION:
        raise BundleRejected("newer_schema")
    seq = int(bundle["device_seq"])
    if seq <= done:
        return None
    if seq != done + 1:
        raise BundleRejected("gap")
    return seq


def _receive(hlc: str, clock: HybridLogicalClock) -> None:
    try:
        # Only the store's own fixed-width form compares correctly as a string.
        stamp = Timestamp.decode(hlc)
    except (ValueError, AttributeError) as exc:
        raise BundleRejected("malformed") from exc
    try:
        clock.receive(stamp)
    except ValueError as exc:
        raise BundleRejected("clock_drift") from exc


class _Page:
    """The rows and clocks a page touches, merged in memory, then written in bulk."""

    def __init__(self, conn: Connection, admitted: list[_Admitted]) -> None:
        self.admitted = admitted
        keys = {key for a in admitted for key, _ in a.ops}
        self.clocks: dict[RowKey, RowClocks] = clocks.load(conn, keys)
        self.rows: dict[RowKey, dict[str, Any]] = _load_rows(conn, keys)
        self.existed = set(self.rows)
        self.dirty: dict[RowKey, set[str]] = {}
        self.history: list[dict[str, Any]] = []
        self.conflicts: list[dict[str, Any]] = []
        #: Conflict decisions from other devices (``_CLOSE`` parameters).
        self.closes: list[dict[str, Any]] = []
        self.seqs: dict[str, int] = {}

    def merge(self) -> None:
        for a in self.admitted:
            for key, ops in a.ops:
                self._merge_row(a, key, ops)
            self.seqs[str(a.bundle["device_id"])] = int(a.bundle["device_seq"])

    def _merge_row(self, a: _Admitted, key: RowKey, ops: list[Op]) -> None:
        """One bundle's writes to one row; a column nobody wrote yet takes the value at once.

        That is most of a page (rows created by the bundle): nothing to
        compare, keep or report. Every other column goes through
        ``_merge_op``.
        """
        row_clocks = self.clocks.get(key)
        if row_clocks is None:
            row_clocks = self.clocks[key] = {}
        row = self.rows.get(key)
        dirty = self.dirty.get(key)
        hlc, result = a.hlc, a.result
        for op in ops:
            local = row_clocks.get(op.col)
            if local is not None:
                self._merge_op(a, key, op, local)
                row, dirty = self.rows.get(key), self.dirty.get(key)
                continue
            if op.resolves is not None:
                self._close(key, op.col, op.resolves)
            if row is None:
                row = self.rows[key] = _placeholder_row(*key)
            row[op.col] = op.value
            row_clocks[op.col] = hlc
            if dirty is None:
                dirty = self.dirty[key] = set()
            dirty.add(op.col)
            result.applied += 1

    def _merge_op(self, a: _Admitted, key: RowKey, op: Op, local: str) -> None:
        """Last-writer-wins for a column written before; the loser goes to history."""
        if local == a.hlc:
            a.result.ignored += 1  # the same write again
            return
        row = self.rows.get(key)
        local_wire = codec.to_wire(row.get(op.col)) if row is not None else None
        concurrent = op.has_base and op.base != local_wire and local_wire != op.wire
        if op.resolves is not None:
            # A decision about a conflict never opens a new one: concurrent
            # decisions are settled by last-writer-wins, the same everywhere.
            concurrent = False
            self._close(key, op.col, op.resolves)
        if a.hlc > local:
            self.history.append(clocks.history_entry(*key, op.col, local_wire, local))
            if row is None:
                row = self.rows[key] = _placeholder_row(*key)
            row[op.col] = op.value
            self.clocks[key][op.col] = a.hlc
            self.dirty.setdefault(key, set()).add(op.col)
            if concurrent:
                self._conflict(key, op.col, op.wire, a.hlc, local_wire, local)
                a.result.conflicts += 1
            else:
                a.result.applied += 1
            return
        # The remote write is older than ours: it loses, but is kept in history.
        self.history.append(clocks.history_entry(*key, op.col, op.wire, a.hlc))
        if concurrent:
            self._conflict(key, op.col, local_wire, local, op.wire, a.hlc)
            a.result.conflicts += 1
        else:
            a.result.ignored += 1

    def _close(self, key: RowKey, col: str, upto: str) -> None:
        """Close this field's conflicts up to ``upto``: found earlier in this page, or stored."""
        for found in self.conflicts:
            if (found["tbl"], found["row_id"], found["col"]) == (*key, col) and max(
                found["kept_hlc"], found["other_hlc"]
            ) <= upto:
                found["resolved_at"] = datetime.now().replace(microsecond=0)
                found["resolution"] = "remote"
        self.closes.append({"c_tbl": key[0], "c_rid": key[1], "c_col": col, "c_upto": upto})

    def _conflict(
        self, key: RowKey, col: str, kept: Any, kept_hlc: str, other: Any, other_hlc: str
    ) -> None:
        self.conflicts.append(
            {
                "tbl": key[0],
                "row_id": key[1],
                "col": col,
                "kept_value": kept,
                "kept_hlc": kept_hlc,
                "other_value": other,
                "other_hlc": other_hlc,
                "detected_at": datetime.now().replace(microsecond=0),
                "resolved_at": None,
                "resolution": None,
            }
        )

    def flush(self, conn: Connection) -> None:
        """Write rows, clocks, history, conflicts and sequence numbers, set-based."""
        # Sorted by table once (not every dirty row looked at again for each table).
        new_rows: dict[str, list[dict[str, Any]]] = {}
        updates: dict[str, dict[tuple[str, ...], list[dict[str, Any]]]] = {}
        rows, existed = self.rows, self.existed
        for key, cols in self.dirty.items():
            row = rows[key]
            if key not in existed:
                found = new_rows.get(key[0])
                if found is None:
                    new_rows[key[0]] = [row]
                else:
                    found.append(row)
                continue
            names = tuple(sorted(cols))
            params = {c: row[c] for c in names}
            params["id"] = key[1]
            updates.setdefault(key[0], {}).setdefault(names, []).append(params)
        for table in SYNCED_TABLES:
            t = ENTITY[table]
            raw_write.insert(conn, t, new_rows.get(table, []))
            for names, params_list in updates.get(table, {}).items():
                raw_write.update(conn, t, names, params_list)
        clocks.save(conn, self.clocks, self.dirty)
        clocks.add_history(conn, self.history)
        if self.closes:  # before the insert: conflicts found later in the page stay open
            now = datetime.now().replace(microsecond=0)
            conn.execute(_CLOSE, [{**c, "c_now": now} for c in self.closes])
        if self.conflicts:
            conn.execute(conflicts.insert(), self.conflicts)
        if self.seqs:
            conn.execute(
                _SET_APPLIED_SEQ,
                [{"device_id": d, "applied_seq": s} for d, s in self.seqs.items()],
            )


def merge_own_again(conn: Connection, device_id: str, team_has: int = 0) -> int:
    """Merge this device's own change log on top of rows loaded from elsewhere (a snapshot).

    A laptop that wrote before its first sync keeps its writes when it
    starts from a teammate's snapshot: they are merged like a remote
    device's bundles (last-writer-wins, history, conflicts), which is what
    every other laptop does with them too. ``team_has``: the snapshot holds
    our acknowledged bundles up to that number already; unsent ones are
    merged whatever their number. Returns the ops merged.
    """
    rows = conn.execute(
        sa.select(change_log.c.device_seq, change_log.c.hlc, change_log.c.ops)
        .where(sa.or_(change_log.c.device_seq > team_has, change_log.c.server_seq.is_(None)))
        .order_by(change_log.c.device_seq)
    ).all()
    admitted = [
        _Admitted(
            i,
            {"device_id": device_id, "device_seq": r.device_seq},
            str(r.hlc),
            convert_ops(list(r.ops)),
        )
        for i, r in enumerate(rows)
    ]
    if not admitted:
        return 0
    page = _Page(conn, admitted)
    page.merge()
    page.seqs.clear()
    page.flush(conn)
    return sum(len(ops) for a in admitted for _, ops in a.ops)


def _load_rows(conn: Connection, keys: set[RowKey]) -> dict[RowKey, dict[str, Any]]:
    """The current values of every touched row that exists (one query per table and chunk)."""
    found: dict[RowKey, dict[str, Any]] = {}
    by_table: dict[str, list[str]] = {}
    for table, row_id in keys:
        by_table.setdefault(table, []).append(row_id)
    for table, ids in by_table.items():
        t = ENTITY[table]
        ids.sort()
        query = _SELECT_ROWS.get(table)
        if query is None:
            query = _SELECT_ROWS[table] = sa.select(t).where(t.c.id.in_(sa.bindparam("ids")))
        for start in range(0, len(ids), clocks.CHUNK):
            for row in conn.execute(query, {"ids": ids[start : start + clocks.CHUNK]}):
                mapping = dict(row._mapping)
                found[(table, mapping["id"])] = mapping
    return found


#: ``SELECT * FROM t WHERE id IN :ids`` per table, the list bound as one expanding
#: parameter (not a new statement with 400 coerced literals per chunk).
_SELECT_ROWS: dict[str, sa.Select[Any]] = {}


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
