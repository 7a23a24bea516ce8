"""Small persisted facts of this device: its id, its clock, who signed in.

They live in the encrypted database's local ``meta`` table (never synced),
so the device identity and clock survive restarts and move with backups.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from uuid6 import uuid7

from sosku_desktop.store import driver_sql
from sosku_desktop.store.hlc import HybridLogicalClock, Timestamp
from sosku_desktop.store.schema import meta

DEVICE_ID = "device_id"
CLOCK = "hlc"
CURRENT_WORKER = "current_worker_id"


def get(conn: Connection, key: str) -> str | None:
    value = conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()
    return str(value) if value is not None else None


#: One statement per put (every save stores the clock): ``key`` is the primary key.
#: Plain text, so it runs on the driver (``driver_sql``), without Core's per-call cost.
_PUT = driver_sql.Prepared(sqlite_insert(meta).prefix_with("OR REPLACE"))


def put(conn: Connection, key: str, value: str) -> None:
    _PUT.run(conn, key=key, value=value)


def delete(conn: Connection, key: str) -> None:
    conn.execute(meta.delete().where(meta.c.key == key))


def ensure_device_id(conn: Connection) -> str:
    """This installation's device id, made once."""
    existing = get(conn, DEVICE_ID)
    if existing:
        return existing
    device_id = str(uuid7())
    put(conn, DEVICE_ID, device_id)
    return device_id


def load_clock(conn: Connection, device_id: str) -> HybridLogicalClock:
    raw = get(conn, CLOCK)
    last = Timestamp.decode(raw) if raw else None
    return HybridLogicalClock(device_id, last)


def save_clock(conn: Connection, clock: HybridLogicalClock) -> None:
    put(conn, CLOCK, clock.last.encode())
