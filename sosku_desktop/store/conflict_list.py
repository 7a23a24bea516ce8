"""The open conflicts as a worker reads them: whose record, which field, both values.

A conflict row names a table, a row id and a column; the worker needs the
client's name and the field in their language instead. Which client a row
belongs to is the same rule the access log uses (``writer.client_of``);
team records (groups, workers, settings) are named by their own name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sosku_desktop import i18n
from sosku_desktop.domain import codes
from sosku_desktop.store import sync_state
from sosku_desktop.store.database import Store
from sosku_desktop.store.schema import ENTITY
from sosku_desktop.store.writer import client_of

#: The access-log reason of a conflict list shown to the worker.
AUDIT_REASON = "sync_conflicts"


@dataclass(frozen=True)
class ConflictEntry:
    """One open conflict, ready to show."""

    id: int
    table: str
    column: str
    #: "Last, First" of the client the record belongs to; ``None`` for team data.
    client_name: str | None
    #: The record's own name (a group's …) when it has one and no client.
    record_name: str | None
    kept_value: Any
    other_value: Any
    detected_at: datetime
    #: The client the record belongs to (``None`` for team data) and the record's id.
    client_id: str | None = None
    row_id: str = ""


def _row(conn: Connection, table: str, row_id: str) -> dict[str, Any]:
    found = conn.execute(sa.select(ENTITY[table]).where(ENTITY[table].c.id == row_id)).first()
    return dict(found._mapping) if found is not None else {}


def _client_name(conn: Connection, client_id: str | None) -> str | None:
    if client_id is None:
        return None
    row = _row(conn, "clients", client_id)
    if not row:
        return None
    return f"{row.get('last_name') or ''}, {row.get('first_name') or ''}".strip(", ")


def open_entries(conn: Connection) -> list[ConflictEntry]:
    """Every open conflict, oldest first, named for the worker (not logged: to show the
    list to a person, use ``show_open_entries``)."""
    entries = []
    for c in sync_state.open_conflicts(conn):
        row = _row(conn, c.tbl, c.row_id)
        client_id = client_of(conn, c.tbl, row) if row else None
        client_name = _client_name(conn, client_id)
        name = row.get("name") if client_name is None else None
        entries.append(
            ConflictEntry(
                id=c.id,
                table=c.tbl,
                column=c.col,
                client_name=client_name,
                record_name=str(name) if name else None,
                kept_value=c.kept_value,
                other_value=c.other_value,
                detected_at=c.detected_at,
                client_id=client_id if client_name is not None else None,
                row_id=c.row_id,
            )
        )
    return entries


def show_open_entries(store: Store) -> list[ConflictEntry]:
    """The open conflicts for a person to see, with a view row per client's record shown.

    Both values of a client's field (a note, an identity code) are that
    client's data, so the Sync page and ``sosku sync conflicts`` log a view
    of each such record every time they show it, as opening the client does.
    """
    with store.read() as r:
        entries = open_entries(r.conn)
    shown = [e for e in entries if e.client_id is not None]
    if shown:
        with store.write() as w:
            for e in shown:
                w.log_access(codes.AUDIT_VIEW, e.client_id, e.table, e.row_id, AUDIT_REASON)
    return entries


def field_label(column: str, lang: str) -> str:
    """A column's name in the worker's language (the column itself if none is known)."""
    key = f"ui.sync.field.{column}"
    text = i18n.tr(key, lang)
    return column if text == key else text


def record_label(entry: ConflictEntry, lang: str) -> str:
    """The client's name, or the kind and name of a team record."""
    if entry.client_name:
        return entry.client_name
    key = f"ui.table.{entry.table}"
    kind = i18n.tr(key, lang)
    kind = entry.table if kind == key else kind
    if entry.record_name:
        return i18n.tr("store.conflict.team_record", lang, kind=kind, name=entry.record_name)
    return kind
