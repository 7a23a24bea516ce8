"""Engine set-up and transactions for SQLite (default) and PostgreSQL.

Writers that assign ``server_seq`` must be serialized per team. On SQLite
every write transaction starts with ``BEGIN IMMEDIATE`` (one writer at a
time, readers continue under WAL). On PostgreSQL the team row is locked
with ``SELECT … FOR UPDATE`` by the callers, which works across several
server instances; transient lock and serialization failures are retried.
"""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from sosku_desktop.sync.protocol import E_BUNDLE_CONFLICT
from sosku_desktop.sync.server import schema
from sosku_desktop.sync.server.errors import Rejected

T = TypeVar("T")
log = logging.getLogger("sosku.server.storage")

#: pg_advisory_xact_lock id that serializes schema creation by several instances.
_SCHEMA_LOCK_ID = 0x5050_5C00
_RETRIES = 6


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def normalize_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def create_private_file(path: str) -> None:
    """Create the SQLite file 0600 (its folder 0700), or tighten one that is not.

    The relay holds only ciphertext and public keys, but its roster, join
    code hashes and traffic pattern are nobody else's business; an admin
    command run outside the systemd unit (no ``UMask=0077``), an older
    relay or a manual ``sqlite3`` restore leaves a world-readable
    ``relay.sqlite3``. SQLite gives its -wal and -shm files the database
    file's mode, so those follow.
    """
    target = Path(path)
    if target.exists():
        _tighten(target)
        return
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with suppress(FileExistsError):  # made meanwhile by another process: tightened below
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    _tighten(target)


def _tighten(target: Path) -> None:
    """Take group and other permissions off the database and its side files."""
    for side in (target, *(Path(f"{target}{end}") for end in ("-wal", "-shm", "-journal"))):
        try:
            mode = stat.S_IMODE(side.stat().st_mode)
            if mode & 0o077:
                side.chmod(mode & 0o700)
                log.warning(
                    "database file was readable by others; made private",
                    extra={"event": "file_mode", "mode": oct(mode)},
                )
        except FileNotFoundError:
            continue
        except PermissionError:  # someone else's file: say so, the open decides
            log.warning(
                "database file is readable by others and not ours to change",
                extra={"event": "file_mode", "mode": oct(mode)},
            )


class Database:
    """One engine plus the transaction helpers every server module uses."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        parsed = sa.engine.make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                create_private_file(parsed.database)
            self.engine = self._sqlite_engine(self.url)
        elif parsed.get_backend_name() == "postgresql":
            self.engine = sa.create_engine(
                self.url,
                pool_pre_ping=True,
                pool_size=10,
                max_overflow=20,
                hide_parameters=True,
            )
        else:
            raise ValueError("the server stores data in sqlite:/// or postgresql:// only")

    @staticmethod
    def _sqlite_engine(url: str) -> Engine:
        # hide_parameters: errors must never copy ciphertext or names into the log.
        engine = sa.create_engine(
            url,
            connect_args={"timeout": 30, "check_same_thread": False},
            hide_parameters=True,
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Let us issue BEGIN ourselves (pysqlite's implicit BEGIN is deferred).
            dbapi_conn.isolation_level = None
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # FULL: an acknowledged push survives power loss, not only a crash.
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine

    def create_schema(self) -> None:
        """Create missing tables; refuse a database made by a newer server."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                if not self.is_sqlite:
                    conn.execute(
                        sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _SCHEMA_LOCK_ID}
                    )
                schema.metadata.create_all(conn)
                meta = schema.server_meta
                found = conn.execute(
                    sa.select(meta.c.value).where(meta.c.key == "schema_version")
                ).scalar()
                if found is None:
                    conn.execute(
                        meta.insert().values(key="schema_version", value=str(schema.SCHEMA_VERSION))
                    )
                elif int(found) > schema.SCHEMA_VERSION:
                    raise RuntimeError(
                        f"database schema {found} is newer than this server "
                        f"({schema.SCHEMA_VERSION})"
                    )
                elif int(found) < schema.SCHEMA_VERSION:
                    self._upgrade(conn, int(found))

    @staticmethod
    def _upgrade(conn: Connection, found: int) -> None:
        """Run the upgrade steps after ``found`` in order, in the start-up transaction.

        New tables already exist (``create_all``); a step changes what
        ``create_all`` cannot (columns, indexes, data). All or nothing: a
        failing step leaves the database at its old version.
        """
        for version in range(found + 1, schema.SCHEMA_VERSION + 1):
            step = schema.UPGRADES.get(version)
            if step is not None:
                step(conn)
            log.info("database schema upgraded", extra={"event": "migrate", "to": version})
        conn.execute(
            schema.server_meta.update()
            .where(schema.server_meta.c.key == "schema_version")
            .values(value=str(schema.SCHEMA_VERSION))
        )

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction (consistent on SQLite; read committed on PostgreSQL)."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in one write transaction, retrying transient conflicts.

        ``work`` must be safe to run again from the start (it only touches
        the database through ``conn``). A unique-constraint race that
        survives the retries becomes a 409, never a 500.
        """
        for attempt in range(_RETRIES):
            try:
                with self.engine.connect() as conn:
                    conn = conn.execution_options(sqlite_begin="IMMEDIATE")
                    with conn.begin():
                        return work(conn)
            except IntegrityError:
                if attempt == _RETRIES - 1:
                    raise Rejected(409, E_BUNDLE_CONFLICT, "conflicting concurrent write") from None
            except DBAPIError as exc:
                if not _transient(exc) or attempt == _RETRIES - 1:
                    raise
            log.info("retrying write", extra={"event": "write_retry", "attempt": attempt + 1})
            time.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()


def _transient(exc: DBAPIError) -> bool:
    """Lock timeouts, deadlocks and serialization failures are worth a retry."""
    text = str(exc.orig).lower()
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return (
        sqlstate in {"40001", "40P01", "55P03"}
        or "database is locked" in text
        or "database is busy" in text
    )


def lock_team(conn: Connection, team_id: str) -> sa.Row[Any] | None:
    """The team row, locked until commit (serializes server_seq and epoch changes)."""
    teams = schema.teams
    return conn.execute(
        sa.select(teams).where(teams.c.team_id == team_id).with_for_update()
    ).first()
