"""packed row clocks, keyed value history, compressed change log

One ``row_clock`` row per entity row (the HLC most columns share plus the
exceptions as JSON) replaces one ``column_clock`` row per column;
``value_history`` is keyed by (table, row, column, HLC) without a rowid or
a device column (the device is inside the HLC); ``change_log.ops`` is
zlib-compressed msgpack instead of JSON text. Synced data and the ops
themselves are unchanged, so the change bundles this device sends and
reads are the same as before: devices not upgraded yet keep syncing.

Revision ID: 0002c
Revises: 0001
Create Date: 2026-11-30 06:00:00
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from typing import Any

import msgpack
import sqlalchemy as sa
from alembic import op

revision = "0002c"
down_revision = "0001"
branch_labels = None
depends_on = None

_BATCH = 5000


def _columns(conn: Any, table: str) -> list[str]:
    return [c["name"] for c in sa.inspect(conn).get_columns(table) if c["name"] != "id"]


def _pack(columns: list[str], clocks: dict[str, str]) -> tuple[str, str | None]:
    """The same packing as ``store.clocks.pack`` (kept here: migrations never change)."""
    counts = Counter(clocks.values())
    base = max(counts, key=lambda h: (counts[h], h))
    exceptions = {c: clocks.get(c, "") for c in columns if clocks.get(c) != base}
    exceptions.update({c: h for c, h in clocks.items() if c not in exceptions and h != base})
    if not exceptions:
        return base, None
    return base, json.dumps(exceptions, separators=(",", ":"), ensure_ascii=False)


def _create_row_clock() -> sa.Table:
    return op.create_table(
        "row_clock",
        sa.Column("tbl", sa.Text(), nullable=False),
        sa.Column("row_id", sa.Text(), nullable=False),
        sa.Column("hlc", sa.Text(), nullable=False),
        sa.Column("cols", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("tbl", "row_id"),
        sqlite_with_rowid=False,
    )


def _convert_clocks(conn: Any, row_clock: sa.Table) -> None:
    columns: dict[str, list[str]] = {}
    batch: list[dict[str, Any]] = []
    current: tuple[str, str] | None = None
    clocks: dict[str, str] = {}

    def emit() -> None:
        if current is None or not clocks:
            return
        table, row_id = current
        if table not in columns:
            columns[table] = _columns(conn, table)
        hlc, cols = _pack(columns[table], clocks)
        batch.append({"tbl": table, "row_id": row_id, "hlc": hlc, "cols": cols})
        if len(batch) >= _BATCH:
            conn.execute(row_clock.insert(), batch)
            batch.clear()

    rows = conn.execute(
        sa.text("SELECT tbl, row_id, col, hlc FROM column_clock ORDER BY tbl, row_id")
    )
    for table, row_id, col, hlc in rows:
        if (table, row_id) != current:
            emit()
            current, clocks = (table, row_id), {}
        clocks[col] = hlc
    emit()
    if batch:
        conn.execute(row_clock.insert(), batch)


def _recode_ops(conn: Any, to_packed: bool) -> None:
    """Rewrite every ``change_log.ops`` between JSON text and compressed msgpack."""
    rows = conn.exec_driver_sql("SELECT device_seq, ops FROM change_log").fetchall()
    updates = []
    for seq, ops in rows:
        if to_packed:
            value: Any = zlib.compress(msgpack.packb(json.loads(ops), use_bin_type=True), 6)
        else:
            value = json.dumps(msgpack.unpackb(zlib.decompress(ops), raw=False))
        updates.append((value, seq))
    if updates:
        conn.connection.cursor().executemany(
            "UPDATE change_log SET ops = ? WHERE device_seq = ?", updates
        )


def upgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.alter_column("ops", existing_type=sa.JSON(), type_=sa.LargeBinary())
    _recode_ops(conn, to_packed=True)
    row_clock = _create_row_clock()
    _convert_clocks(conn, row_clock)
    op.drop_table("column_clock")
    op.create_table(
        "value_history_keyed",
        sa.Column("tbl", sa.Text(), nullable=False),
        sa.Column("row_id", sa.Text(), nullable=False),
        sa.Column("col", sa.Text(), nullable=False),
        sa.Column("hlc", sa.Text(), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("superseded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("tbl", "row_id", "col", "hlc"),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT OR IGNORE INTO value_history_keyed (tbl, row_id, col, hlc, value, superseded_at)"
        " SELECT tbl, row_id, col, hlc, value, superseded_at FROM value_history ORDER BY id"
    )
    with op.batch_alter_table("value_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_value_history_row_id"))
    op.drop_table("value_history")
    op.rename_table("value_history_keyed", "value_history")


def downgrade() -> None:
    conn = op.get_bind()
    _recode_ops(conn, to_packed=False)
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.alter_column("ops", existing_type=sa.LargeBinary(), type_=sa.JSON())
    op.create_table(
        "column_clock",
        sa.Column("tbl", sa.Text(), nullable=False),
        sa.Column("row_id", sa.Text(), nullable=False),
        sa.Column("col", sa.Text(), nullable=False),
        sa.Column("hlc", sa.Text(), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("tbl", "row_id", "col"),
    )
    column_clock = sa.table(
        "column_clock",
        sa.column("tbl"),
        sa.column("row_id"),
        sa.column("col"),
        sa.column("hlc"),
        sa.column("device_id"),
    )
    columns: dict[str, list[str]] = {}
    batch: list[dict[str, Any]] = []
    for table, row_id, hlc, cols in conn.execute(
        sa.text("SELECT tbl, row_id, hlc, cols FROM row_clock")
    ):
        if table not in columns:
            columns[table] = _columns(conn, table)
        clocks = dict.fromkeys(columns[table], hlc)
        for column, value in json.loads(cols or "{}").items():
            if value:
                clocks[column] = value
            else:
                clocks.pop(column, None)
        batch.extend(
            {"tbl": table, "row_id": row_id, "col": c, "hlc": h, "device_id": h.split("-", 2)[2]}
            for c, h in clocks.items()
        )
    if batch:
        conn.execute(column_clock.insert(), batch)
    op.drop_table("row_clock")
    op.create_table(
        "value_history_rowid",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tbl", sa.Text(), nullable=False),
        sa.Column("row_id", sa.Text(), nullable=False),
        sa.Column("col", sa.Text(), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("hlc", sa.Text(), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute(
        "INSERT INTO value_history_rowid (tbl, row_id, col, value, hlc, device_id, superseded_at)"
        " SELECT tbl, row_id, col, value, hlc, substr(hlc, 24), superseded_at FROM value_history"
    )
    op.drop_table("value_history")
    op.rename_table("value_history_rowid", "value_history")
    with op.batch_alter_table("value_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_value_history_row_id"), ["row_id"], unique=False)
