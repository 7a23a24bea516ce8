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
from sosku_desktop.store.schema import change_log, meta

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


#: The clock of our newest bundle (the highest ``device_seq``: local ticks only grow).
_NEWEST_OWN_HLC = sa.select(change_log.c.hlc).order_by(change_log.c.device_seq.desc()).limit(1)


def load_clock(conn: Connection, device_id: str) -> HybridLogicalClock:
    """The clock as persisted: the later of ``meta``'s and our newest bundle's.

    A transaction that writes a bundle leaves its HLC in the change log and
    does not store the clock in ``meta`` as well (two pages fewer per save,
    ``Writer.finish``); every other write transaction stores it here.
    """
    found = [
        Timestamp.decode(text)
        for text in (get(conn, CLOCK), conn.execute(_NEWEST_OWN_HLC).scalar())
        if text
    ]
    newest = max(found, key=lambda t: (t.ms, t.counter), default=None)
    last = Timestamp(newest.ms, newest.counter, device_id) if newest is not None else None
    return HybridLogicalClock(device_id, last)


def save_clock(conn: Connection, clock: HybridLogicalClock) -> None:
    put(conn, CLOCK, clock.last.encode())
