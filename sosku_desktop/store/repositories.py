"""Read side of the repositories: queries that return domain dataclasses.

Writes go through ``store.writer.Writer`` only. Reads that show a client's
record to a person go through ``store.records.open_client_record`` so that
the view is written to the access log.
"""

from __future__ import annotations

import builtins
from datetime import date, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sosku_desktop.domain import codes, models
from sosku_desktop.store import codec, search
from sosku_desktop.store.errors import NotFoundError
from sosku_desktop.store.schema import ENTITY, change_log, conflicts, quarantine

E = TypeVar("E")


#: Bind name of the row id in ``_by_id`` (no column is called that).
_ID = "_sosku_row_id"
_BY_ID: dict[str, sa.Select[Any]] = {}


def _by_id(table: sa.Table) -> sa.Select[Any]:
    """``SELECT * FROM table WHERE id = :_sosku_row_id``, built once per table.

    A statement built per call (``.where(table.c.id == row_id)``) cost its
    construction and cache key on every look-up (two per saved meeting).
    """
    found = _BY_ID.get(table.name)
    if found is None:
        found = _BY_ID[table.name] = sa.select(table).where(table.c.id == sa.bindparam(_ID))
    return found


class Reader:
    """Queries on one read transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._settings: dict[str, Any] | None = None

    # --- generic ---------------------------------------------------------------------

    def get(self, cls: type[E], row_id: str, include_deleted: bool = False) -> E:
        table = ENTITY[codec.table_of(cls)]
        row = self.conn.execute(_by_id(table), {_ID: row_id}).first()
        if row is None or (row._mapping.get("deleted") and not include_deleted):
            raise NotFoundError(f"{table.name} row not found")
        return codec.from_row(cls, row)

    def find(self, cls: type[E], row_id: str | None) -> E | None:
        if row_id is None:
            return None
        try:
            return self.get(cls, row_id)
        except NotFoundError:
            return None

    def list(
        self,
        cls: type[E],
        order_by: str | tuple[str, ...] = "id",
        include_deleted: bool = False,
        **equals: Any,
    ) -> builtins.list[E]:
        """Rows where every ``column=value`` holds (a list value means IN)."""
        table = ENTITY[codec.table_of(cls)]
        query = sa.select(table)
        if not include_deleted and "deleted" in table.c:
            query = query.where(table.c.deleted.is_(False))
        for column, value in equals.items():
            if isinstance(value, list | tuple | set):
                query = query.where(table.c[column].in_(list(value)))
            else:
                query = query.where(table.c[column] == value)
        orders = (order_by,) if isinstance(order_by, str) else order_by
        query = query.order_by(*(table.c[o] for o in orders))
        return codec.from_rows(cls, self.conn.execute(query))

    def setting(self, key: str, default: Any = None) -> Any:
        """An organisation setting; the (small) table is read once per read transaction."""
        if self._settings is None:
            table = ENTITY["org_settings"]
            self._settings = {
                row.id: row.value
                for row in self.conn.execute(sa.select(table).where(table.c.deleted.is_(False)))
            }
        return self._settings.get(key, default)

    # --- clients ---------------------------------------------------------------------

    def clients(self) -> builtins.list[models.Client]:
        return self.list(models.Client, order_by=("last_name", "first_name"))

    def search_clients(self, text: str, limit: int | None = None) -> builtins.list[models.Client]:
        """Clients whose name, identity code or phone contains every word of ``text``.

        Accents and case do not matter ("jarvinen" finds Järvinen); the
        database does the matching (``store.search``), in name order.
        """
        table = ENTITY["clients"]
        query = (
            sa.select(table)
            .where(table.c.id.in_(search.matching_clients(text)))
            .order_by(table.c.last_name, table.c.first_name)
            .limit(limit)
        )
        return codec.from_rows(models.Client, self.conn.execute(query))

    def periods_of(self, client_id: str) -> builtins.list[models.Period]:
        return self.list(models.Period, order_by="start", client_id=client_id)

    def current_period(self, client_id: str) -> models.Period | None:
        """The active period, else the latest one."""
        periods = self.periods_of(client_id)
        active = [p for p in periods if p.status == "active"]
        if active:
            return active[-1]
        return periods[-1] if periods else None

    def period_ids_of(self, client_id: str) -> builtins.list[str]:
        return [p.id for p in self.periods_of(client_id)]

    def goals_of(self, period_id: str) -> builtins.list[models.Goal]:
        return self.list(models.Goal, order_by=("position", "id"), period_id=period_id)

    def meetings_of(self, period_ids: builtins.list[str]) -> builtins.list[models.Meeting]:
        if not period_ids:
            return []
        return self.list(models.Meeting, order_by="starts_at", period_id=period_ids)

    def decisions_of(self, period_ids: builtins.list[str]) -> builtins.list[models.Decision]:
        if not period_ids:
            return []
        return self.list(models.Decision, order_by="valid_from", period_id=period_ids)

    def meetings_between(self, start: datetime, end: datetime) -> builtins.list[models.Meeting]:
        table = ENTITY["meetings"]
        query = (
            sa.select(table)
            .where(table.c.deleted.is_(False))
            .where(table.c.starts_at >= start)
            .where(table.c.starts_at < end)
            .order_by(table.c.starts_at)
        )
        return codec.from_rows(models.Meeting, self.conn.execute(query))

    def planned_before(self, before: datetime) -> builtins.list[models.Meeting]:
        """Meetings still *planned* that started before ``before`` (left unrecorded).

        Filtered in SQL (status and time), so a caseload of thousands of
        clients reads only the few meetings that were never recorded.
        """
        table = ENTITY["meetings"]
        query = (
            sa.select(table)
            .where(table.c.deleted.is_(False))
            .where(table.c.status == codes.MEETING_PLANNED)
            .where(table.c.starts_at < before)
            .order_by(table.c.starts_at)
        )
        return [codec.from_row(models.Meeting, r) for r in self.conn.execute(query)]

    def sessions_between(self, start: date, end: date) -> builtins.list[models.GroupSession]:
        table = ENTITY["group_sessions"]
        query = (
            sa.select(table)
            .where(table.c.deleted.is_(False))
            .where(table.c.on >= start)
            .where(table.c.on <= end)
            .order_by(table.c.on)
        )
        return codec.from_rows(models.GroupSession, self.conn.execute(query))

    def audit_of_client(self, client_id: str) -> builtins.list[models.AuditEntry]:
        return self.list(models.AuditEntry, order_by="at", client_id=client_id)

    # --- sync state ----------------------------------------------------------------------

    def outbox_size(self) -> int:
        query = sa.select(sa.func.count()).where(change_log.c.server_seq.is_(None))
        return int(self.conn.execute(query).scalar() or 0)

    def open_conflicts(self) -> int:
        query = sa.select(sa.func.count()).where(conflicts.c.resolved_at.is_(None))
        return int(self.conn.execute(query).scalar() or 0)

    def quarantined(self) -> int:
        return int(
            self.conn.execute(sa.select(sa.func.count()).select_from(quarantine)).scalar() or 0
        )

    def change_count(self) -> int:
        return int(
            self.conn.execute(sa.select(sa.func.count()).select_from(change_log)).scalar() or 0
        )
