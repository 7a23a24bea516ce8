"""Tables: synced entity tables derived from the domain dataclasses, plus local sync tables.

Entity tables are generated from ``domain.models`` so that a field and its
column can never drift apart (one source of truth); Alembic migrations are
still written explicitly and a test checks that ``upgrade head`` yields
exactly this metadata. Local tables (change log, clocks, history,
conflicts, quarantine) never leave the device.
"""

from __future__ import annotations

import dataclasses
import types
import typing
import zlib
from datetime import date, datetime

import msgpack
import sqlalchemy as sa

from sosku_desktop.domain import models

metadata = sa.MetaData()

#: Schema version written into every change bundle; bump with each migration of synced columns.
SCHEMA_VERSION = 2

#: Synced entity tables: table name -> domain class. Order is the FK-safe apply order.
ENTITY_TABLES: dict[str, type] = {
    "workers": models.Worker,
    "clients": models.Client,
    "periods": models.Period,
    "decisions": models.Decision,
    "goals": models.Goal,
    "goal_progress": models.GoalProgress,
    "meetings": models.Meeting,
    "groups": models.Group,
    "group_members": models.GroupMember,
    "group_sessions": models.GroupSession,
    "attendances": models.Attendance,
    "expenses": models.Expense,
    "assessments": models.Assessment,
    "agreements": models.Agreement,
    "needs_mappings": models.NeedsMapping,
    "implementation_plans": models.ImplementationPlan,
    "evaluations": models.Evaluation,
    "planned_entries": models.PlannedEntry,
    "audit_log": models.AuditEntry,
}
TABLE_OF: dict[type, str] = {cls: name for name, cls in ENTITY_TABLES.items()}

#: Columns that index look-ups need (client record, period contents, calendar).
_INDEXED = {
    "client_id",
    "period_id",
    "goal_id",
    "group_id",
    "session_id",
    "worker_id",
    "starts_at",
    "on",
    "at",
}
#: Columns of ``_INDEXED`` a table leaves without an index (revision 0005): the access
#: log is read per client only, and every save writes a row of it, so an index by
#: time or by worker cost each save a page and the store ≈ 2.6 KB per client for nothing.
_NOT_INDEXED = {("audit_log", "at"), ("audit_log", "worker_id")}


def _column_type(hint: object) -> tuple[sa.types.TypeEngine[typing.Any], bool]:
    """SQL type for a dataclass type hint, and whether it is nullable."""
    nullable = False
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        nullable = True
        hint = args[0]
        origin = typing.get_origin(hint)
    if origin in (list, dict) or hint in (list, dict):
        return sa.JSON(), nullable
    mapping: dict[object, sa.types.TypeEngine[typing.Any]] = {
        str: sa.Text(),
        int: sa.Integer(),
        float: sa.Float(),
        bool: sa.Boolean(),
        date: sa.Date(),
        datetime: sa.DateTime(),
    }
    return mapping[hint], nullable


def _entity_table(name: str, cls: type) -> sa.Table:
    hints = typing.get_type_hints(cls)
    columns: list[sa.Column[typing.Any]] = []
    for f in dataclasses.fields(cls):
        sql_type, nullable = _column_type(hints[f.name])
        if f.name == "id":
            columns.append(sa.Column("id", sa.Text(), primary_key=True))
            continue
        indexed = f.name in _INDEXED and (name, f.name) not in _NOT_INDEXED
        columns.append(sa.Column(f.name, sql_type, nullable=nullable, index=indexed))
    return sa.Table(name, metadata, *columns)


ENTITY: dict[str, sa.Table] = {
    name: _entity_table(name, cls) for name, cls in ENTITY_TABLES.items()
}

# Look-ups the pages make at scale (revision 0003s): the client list in name order,
# live periods, planned meetings per period, and the sync backlog.
sa.Index("ix_clients_name", ENTITY["clients"].c.last_name, ENTITY["clients"].c.first_name)
sa.Index("ix_periods_status", ENTITY["periods"].c.status)
sa.Index(
    "ix_meetings_period_status_start",
    ENTITY["meetings"].c.period_id,
    ENTITY["meetings"].c.status,
    ENTITY["meetings"].c.starts_at,
)
sa.Index("ix_meetings_status_start", ENTITY["meetings"].c.status, ENTITY["meetings"].c.starts_at)

org_settings = sa.Table(
    "org_settings",
    metadata,
    sa.Column("id", sa.Text(), primary_key=True),
    sa.Column("value", sa.JSON(), nullable=True),
    sa.Column("deleted", sa.Boolean(), nullable=False),
)
ENTITY["org_settings"] = org_settings
#: Every table that travels in change bundles, in FK-safe apply order.
SYNCED_TABLES = (*ENTITY_TABLES, "org_settings")

# --- local tables -----------------------------------------------------------------

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.Text(), primary_key=True),
    sa.Column("value", sa.Text(), nullable=False),
)


class PackedOps(sa.types.TypeDecorator[list[dict[str, typing.Any]]]):
    """A bundle's ops as zlib-compressed msgpack: the same values as JSON, a fraction of the room.

    The change log holds every op a device ever wrote (row ids and column
    names repeated op after op); as JSON text it was two thirds of a
    laptop's database. Readers get the same list of dicts back.
    """

    impl = sa.LargeBinary
    cache_ok = True

    def process_bind_param(
        self, value: list[dict[str, typing.Any]] | None, dialect: sa.Dialect
    ) -> bytes | None:
        if value is None:
            return None
        return zlib.compress(msgpack.packb(value, use_bin_type=True), 6)

    def process_result_value(
        self, value: bytes | None, dialect: sa.Dialect
    ) -> list[dict[str, typing.Any]] | None:
        if value is None:
            return None
        ops: list[dict[str, typing.Any]] = msgpack.unpackb(zlib.decompress(value), raw=False)
        return ops


#: One row per local transaction: the change bundle (the outbox is the un-acked rows).
change_log = sa.Table(
    "change_log",
    metadata,
    sa.Column("device_seq", sa.Integer(), primary_key=True, autoincrement=False),
    sa.Column("bundle_id", sa.Text(), nullable=False, unique=True),
    sa.Column("hlc", sa.Text(), nullable=False),
    sa.Column("schema_version", sa.Integer(), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("ops", PackedOps(), nullable=False),
    sa.Column("server_seq", sa.Integer(), nullable=True),
    sa.Column("acked_at", sa.DateTime(), nullable=True),
)

sa.Index("ix_change_log_server_seq", change_log.c.server_seq)

#: Per-column last-writer-wins clocks, one row per entity row (``store/clocks.py``):
#: ``hlc`` is the clock of every column not listed in ``cols`` (a JSON map
#: column -> HLC, "" for a column never written). A row written in one go
#: costs one short row here instead of one row per column. Keyed by the row id
#: first (revision 0005): ids are time-ordered, so the clocks a save writes (its
#: row's and its audit row's) go to the same, last page.
row_clock = sa.Table(
    "row_clock",
    metadata,
    sa.Column("tbl", sa.Text(), nullable=False),
    sa.Column("row_id", sa.Text(), nullable=False),
    sa.Column("hlc", sa.Text(), nullable=False),
    sa.Column("cols", sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint("row_id", "tbl"),
    sqlite_with_rowid=False,
)

#: Earlier values of columns (superseded locally or losing a merge), one row per
#: (column, HLC) so that every device keeps the same history ("restore previous value").
value_history = sa.Table(
    "value_history",
    metadata,
    sa.Column("tbl", sa.Text(), primary_key=True),
    sa.Column("row_id", sa.Text(), primary_key=True),
    sa.Column("col", sa.Text(), primary_key=True),
    sa.Column("hlc", sa.Text(), primary_key=True),
    sa.Column("value", sa.JSON(), nullable=True),
    sa.Column("superseded_at", sa.DateTime(), nullable=False),
    sqlite_with_rowid=False,
)

#: Concurrent edits where last-writer-wins hid a different value.
conflicts = sa.Table(
    "conflicts",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("tbl", sa.Text(), nullable=False),
    sa.Column("row_id", sa.Text(), nullable=False),
    sa.Column("col", sa.Text(), nullable=False),
    sa.Column("kept_value", sa.JSON(), nullable=True),
    sa.Column("kept_hlc", sa.Text(), nullable=False),
    sa.Column("other_value", sa.JSON(), nullable=True),
    sa.Column("other_hlc", sa.Text(), nullable=False),
    sa.Column("detected_at", sa.DateTime(), nullable=False),
    sa.Column("resolved_at", sa.DateTime(), nullable=True),
    sa.Column("resolution", sa.Text(), nullable=True),
)

#: Highest device_seq applied per remote device (gap detection) and pull cursors.
remote_devices = sa.Table(
    "remote_devices",
    metadata,
    sa.Column("device_id", sa.Text(), primary_key=True),
    sa.Column("applied_seq", sa.Integer(), nullable=False),
)

#: Bundles that cannot be applied yet (newer schema, far-future clock, gap, tampered).
quarantine = sa.Table(
    "quarantine",
    metadata,
    sa.Column("bundle_id", sa.Text(), primary_key=True),
    sa.Column("device_id", sa.Text(), nullable=False),
    sa.Column("device_seq", sa.Integer(), nullable=False),
    sa.Column("server_seq", sa.Integer(), nullable=True),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("payload", sa.JSON(), nullable=True),
    sa.Column("received_at", sa.DateTime(), nullable=False),
)

#: Client names, identity code and phone without accents or case, for search, and
#: the names' Finnish sort keys, for the Clients list's name order (``store.search``).
#: Kept by SQLite triggers; never synced, rebuilt on upgrade. The index is that
#: order (names, then id), so a page of the list is read from it without sorting.
client_search = sa.Table(
    "client_search",
    metadata,
    sa.Column("client_id", sa.Text(), primary_key=True),
    sa.Column("words", sa.Text(), nullable=False),
    sa.Column("compact", sa.Text(), nullable=False),
    sa.Column("sort_last", sa.Text(), nullable=False),
    sa.Column("sort_first", sa.Text(), nullable=False),
    sa.Index("ix_client_search_name", "sort_last", "sort_first", "client_id"),
)
