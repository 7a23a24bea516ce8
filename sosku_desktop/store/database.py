"""Opening, creating and checking the worker's encrypted data directory.

``Store`` is the store's front door: it finds the key (keyring or
passphrase), takes the start-up backup, runs migrations, and hands out one
writer transaction at a time (``write()``) and read transactions
(``read()``). Driver errors come out as the environment errors of
``store.errors``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlcipher3
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from sosku_desktop.store import (
    backup,
    disk_space,
    keys,
    meta_state,
    migrate,
    permissions,
    thread_guard,
)
from sosku_desktop.store.engine import (
    DB_FILE,
    WRITE_OPTION,
    classify,
    create_encrypted_engine,
    integrity_check,
    translate_errors,
)
from sosku_desktop.store.errors import (
    CorruptDatabaseError,
    KeyMismatchError,
    MissingKeyError,
    StoreError,
    WrongKeyError,
)
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.writer import Actor, Writer


@contextmanager
def environment_errors() -> Iterator[None]:
    """Re-raise driver errors that the environment caused as ``StoreError``s."""
    try:
        yield
    except (DBAPIError, sqlcipher3.dbapi2.Error) as exc:
        mapped = classify(exc)
        if mapped is None:
            raise
        raise mapped from exc


def _file_salt(path: Path) -> str | None:
    """SQLCipher's per-file salt (the first 16 bytes, kept in clear), hex; ``None`` if absent."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return None
    return head.hex() if len(head) == 16 and any(head) else None


def _unopenable_with_right_key(data_dir: Path) -> StoreError:
    """A proven key does not open the database: damaged header, or another database's key."""
    recorded = keys.recorded_db_salt(data_dir)
    if recorded is not None and recorded != _file_salt(data_dir / DB_FILE):
        return KeyMismatchError("the key file belongs to another database")
    return CorruptDatabaseError("the file header is damaged", backup.latest_backup(data_dir))


def _check_not_emptied(data_dir: Path) -> None:
    """A key that has met its database finds it gone or empty: damage, not a new store.

    SQLCipher would make a fresh database there, the migrations would fill it
    with empty tables and the worker would see no clients at all (``check``
    said ok). A folder ``create`` left before its first open has no salt
    recorded yet, and opens as before.
    """
    path = data_dir / DB_FILE
    try:
        empty = not path.exists() or path.stat().st_size == 0
    except OSError:
        return  # the open itself reports what is wrong with the file
    if empty and keys.recorded_db_salt(data_dir) is not None:
        raise CorruptDatabaseError(
            "the database file is missing or empty", backup.latest_backup(data_dir)
        )


class Store:
    """An open, unlocked data directory."""

    def __init__(self, data_dir: Path, engine: Engine, key_source: keys.KeySource) -> None:
        self.data_dir = data_dir
        self.engine = engine
        self.key_source = key_source
        self._write_lock = threading.RLock()
        #: The writer's connection, kept between writes (``_write_connection``).
        self._writer: Connection | None = None
        #: The start-up backup running in the background (``None`` when not taken).
        self.startup_backup: backup.BackgroundBackup | None = None
        with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
            self.device_id = meta_state.ensure_device_id(conn)
            self.clock = meta_state.load_clock(conn, self.device_id)
            self.worker_id = meta_state.get(conn, meta_state.CURRENT_WORKER)

    # --- opening -------------------------------------------------------------------

    @classmethod
    def create(cls, data_dir: Path, passphrase: str) -> Store:
        """A new data directory with a new random key wrapped by ``passphrase``."""
        permissions.make_private_dir(data_dir)
        if (data_dir / DB_FILE).exists() or keys.has_key_file(data_dir):
            raise StoreError("data directory already holds a database")
        source = keys.create_key(data_dir, passphrase)
        permissions.create_private_file(data_dir / DB_FILE)
        return cls._open_with(data_dir, source, take_backup=False)

    @classmethod
    def open(cls, data_dir: Path, passphrase: str | None = None, take_backup: bool = True) -> Store:
        """Open an existing data directory (key from keyring or passphrase).

        ``take_backup`` starts the start-up backup in a background thread
        (``startup_backup``); it copies only when the data changed since the
        newest good backup, and its problems never stop the start.
        """
        if not keys.has_key_file(data_dir):
            raise MissingKeyError("no data directory here")
        permissions.tighten(data_dir)
        source = keys.load_key(data_dir, passphrase)
        _check_not_emptied(data_dir)
        store = cls._open_with(data_dir, source, take_backup)
        if take_backup:
            store.startup_backup = backup.BackgroundBackup(data_dir, source.key)
        return store

    @classmethod
    def _open_with(cls, data_dir: Path, source: keys.KeySource, take_backup: bool) -> Store:
        path = data_dir / DB_FILE
        existed = path.exists()
        engine = create_encrypted_engine(path, source.key)

        def prepare() -> None:
            with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
                with conn.begin():
                    upgrade = migrate.needs_upgrade(conn)
                if upgrade:
                    if existed and take_backup:
                        # Before a migration the old schema must be kept, so this
                        # one copy is taken on the start path, and verified.
                        backup.create_backup(data_dir, source.key)
                    with conn.begin():
                        migrate.upgrade(conn)

        try:
            translate_errors(prepare)
        except WrongKeyError as exc:
            engine.dispose()
            if not source.proven:
                if source.from_keyring:
                    keys.forget_keyring_key(data_dir)  # so the passphrase decides next time
                raise
            raise _unopenable_with_right_key(data_dir) from exc
        except CorruptDatabaseError as exc:
            engine.dispose()
            raise CorruptDatabaseError(exc.detail, backup.latest_backup(data_dir)) from exc
        except BaseException:
            engine.dispose()
            raise
        store = cls(data_dir, engine, source)
        salt = _file_salt(path)
        if salt is not None:
            keys.record_db_salt(data_dir, salt)
        return store

    def close(self) -> None:
        """Wait for the start-up backup (it reads the file) and release the engine."""
        if self.startup_backup is not None:
            self.startup_backup.wait()
        with self._write_lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ----------------------------------------------------------------

    @property
    def actor(self) -> Actor:
        return Actor(worker_id=self.worker_id, device_id=self.device_id)

    @contextmanager
    def write(self) -> Iterator[Writer]:
        """One serialized write transaction = one change bundle.

        A full disk, a read-only file or a damaged page comes out as the
        environment error of ``store.errors`` on every path (UI, scripts,
        sync, background tasks), never as a raw driver error.
        """
        thread_guard.check("write")
        with self._write_lock, disk_space.reclaim_on_full(self.engine), environment_errors():
            conn, own = self._write_connection()
            try:
                with conn.begin():
                    # A rolled-back transaction leaves the in-memory clock ahead of
                    # the persisted one; that is harmless (it only moves forward).
                    writer = Writer(conn, self.actor, self.clock)
                    yield writer
                    writer.finish()
            finally:
                if own:
                    conn.close()

    def _write_connection(self) -> tuple[Connection, bool]:
        """The writer's connection and whether it is this write's own (to close after).

        Kept open between writes: checking a pooled connection out and back
        in (with its reset) was ~20 µs of every save. A write nested in
        another on the same thread gets a connection of its own, as before.
        """
        kept = self._writer
        if kept is None or kept.closed or kept.invalidated:
            kept = self._writer = self._new_write_connection()
        if kept.in_transaction():
            return self._new_write_connection(), True
        return kept, False

    def _new_write_connection(self) -> Connection:
        return self.engine.connect().execution_options(**{WRITE_OPTION: True})

    @contextmanager
    def read(self) -> Iterator[Reader]:
        """A read transaction; driver errors come out as in ``write``."""
        thread_guard.check("read")
        with environment_errors(), self.engine.connect() as conn, conn.begin():
            yield Reader(conn)

    # --- identity ------------------------------------------------------------------

    def set_current_worker(self, worker_id: str) -> None:
        """Who uses this device; stamps audit rows."""
        with self.write() as w:
            meta_state.put(w.conn, meta_state.CURRENT_WORKER, worker_id)
        self.worker_id = worker_id

    # --- health --------------------------------------------------------------------

    def check(self) -> list[str]:
        """Problems found by SQLite's and SQLCipher's integrity checks (empty = ok)."""
        return integrity_check(self.engine)

    def outbox_size(self) -> int:
        with self.read() as r:
            return r.outbox_size()
