"""The encrypted SQLite engine: SQLCipher 4 through SQLAlchemy 2.

``PRAGMA key`` is the first statement on every pooled connection; the raw
32-byte key is passed as a hex blob so no key derivation runs per
connection (stack-notes.md). WAL with ``synchronous=FULL``: a transaction
the app has acknowledged survives a crash or power cut (the measured cost
is in bench/). Driver errors are translated into the environment errors
of ``store.errors`` so the UI can say what happened in plain words.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
import sqlcipher3
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from sosku_desktop.store.errors import (
    CorruptDatabaseError,
    DiskFullError,
    ReadOnlyError,
    StoreError,
    WrongKeyError,
)
from sosku_desktop.store.list_order import (
    PERIOD_END_FUNCTION,
    SORT_KEY_FUNCTION,
    period_end,
    sort_key,
)
from sosku_desktop.store.search import FOLD_FUNCTION, fold

DB_FILE = "sosku.db"
#: FULL: a commit is on disk before it returns (bench/bench_store_writes.py has the cost).
SYNCHRONOUS = "FULL"
#: Execution option that marks a connection as the (single) writer.
WRITE_OPTION = "sosku_write"
T = TypeVar("T")


def _key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


def configure(dbapi_conn: Any, key: bytes) -> None:
    """Key and configure one driver connection, as every connection of the store is.

    The store's engine runs it on each new connection; bench/ opens its raw
    baseline connections with it too, so both see the same cipher settings,
    page size, journal and sync mode.
    """
    # Python's sqlite driver opens transactions lazily and commits DDL
    # implicitly; take control so BEGIN/COMMIT are exactly ours.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(_key_pragma(key))
    cur.execute("PRAGMA cipher_log_level = NONE")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA busy_timeout = 30000")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
    cur.close()
    # The client-search triggers call it on every write of a client.
    dbapi_conn.create_function(FOLD_FUNCTION, 1, fold, deterministic=True)
    # The Clients list sorts by these (``list_order``).
    dbapi_conn.create_function(SORT_KEY_FUNCTION, 1, sort_key, deterministic=True)
    dbapi_conn.create_function(PERIOD_END_FUNCTION, 4, period_end, deterministic=True)


def create_encrypted_engine(path: Path, key: bytes) -> Engine:
    """An engine whose every connection is keyed and configured before use."""
    url = sa.engine.URL.create("sqlite", database=str(path))
    engine = sa.create_engine(
        url,
        module=sqlcipher3.dbapi2,
        connect_args={"check_same_thread": False, "timeout": 30},
        pool_pre_ping=False,
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_conn: Any, _record: Any) -> None:
        configure(dbapi_conn, key)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Writers take the lock at once (IMMEDIATE): one serialized writer and
        # no "database is locked" half-way through a bundle. Readers use a
        # plain BEGIN so that WAL lets them run beside a writer. Straight to the
        # driver: Core's execution of it cost more than SQLite's (every transaction).
        begin = "BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN"
        conn.connection.driver_connection.execute(begin)

    return engine


def classify(exc: BaseException) -> StoreError | None:
    """Map a driver error to an environment error, or ``None`` for a bug."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if not isinstance(orig, sqlcipher3.dbapi2.Error | sqlite3.Error):
        return None
    text = str(orig).lower()
    if "file is not a database" in text:
        return WrongKeyError("the key does not open this database")
    if "database or disk is full" in text or "disk i/o error" in text:
        return DiskFullError("the disk is full or failing")
    if "readonly" in text or "read-only" in text or "unable to open database" in text:
        return ReadOnlyError("the database cannot be written")
    if "malformed" in text or "corrupt" in text:
        return CorruptDatabaseError("the database file is damaged")
    return None


def translate_errors(fn: Callable[[], T]) -> T:
    """Run ``fn`` and re-raise driver errors as ``StoreError`` where they are environmental."""
    try:
        return fn()
    except (DBAPIError, sqlcipher3.dbapi2.Error) as exc:
        mapped = classify(exc)
        if mapped is None:
            raise
        raise mapped from exc


def integrity_check(engine: Engine) -> list[str]:
    """``PRAGMA integrity_check`` and SQLCipher's HMAC check; empty list when all is well."""

    def run() -> list[str]:
        with engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
            problems = [r for r in rows if r != "ok"]
            cipher = conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()
            problems.extend(str(r[0]) for r in cipher)
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            problems.extend(f"foreign key: {r[0]}" for r in fk)
            return problems

    return translate_errors(run)
