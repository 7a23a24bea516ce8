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

from sqlalchemy.engine import Engine

from sosku_desktop.store import backup, keys, meta_state, migrate
from sosku_desktop.store.engine import (
    DB_FILE,
    WRITE_OPTION,
    create_encrypted_engine,
    integrity_check,
    translate_errors,
)
from sosku_desktop.store.errors import CorruptDatabaseError, MissingKeyError, StoreError
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.writer import Actor, Writer


class Store:
    """An open, unlocked data directory."""

    def __init__(self, data_dir: Path, engine: Engine, key_source: keys.KeySource) -> None:
        self.data_dir = data_dir
        self.engine = engine
        self.key_source = key_source
        self._write_lock = threading.RLock()
        with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
            self.device_id = meta_state.ensure_device_id(conn)
            self.clock = meta_state.load_clock(conn, self.device_id)
            self.worker_id = meta_state.get(conn, meta_state.CURRENT_WORKER)

    # --- opening -------------------------------------------------------------------

    @classmethod
    def create(cls, data_dir: Path, passphrase: str) -> Store:
        """A new data directory with a new random key wrapped by ``passphrase``."""
        data_dir.mkdir(parents=True, exist_ok=True)
        if (data_dir / DB_FILE).exists() or keys.has_key_file(data_dir):
            raise StoreError("data directory already holds a database")
        source = keys.create_key(data_dir, passphrase)
        return cls._open_with(data_dir, source, take_backup=False)

    @classmethod
    def open(cls, data_dir: Path, passphrase: str | None = None, take_backup: bool = True) -> Store:
        """Open an existing data directory (key from keyring or passphrase)."""
        if not keys.has_key_file(data_dir):
            raise MissingKeyError("no data directory here")
        source = keys.load_key(data_dir, passphrase)
        return cls._open_with(data_dir, source, take_backup)

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
                        backup.create_backup(data_dir, source.key)
                    with conn.begin():
                        migrate.upgrade(conn)

        try:
            translate_errors(prepare)
            if existed and take_backup:
                translate_errors(lambda: backup.create_backup(data_dir, source.key))
        except CorruptDatabaseError as exc:
            engine.dispose()
            raise CorruptDatabaseError(exc.detail, backup.latest_backup(data_dir)) from exc
        except BaseException:
            engine.dispose()
            raise
        return cls(data_dir, engine, source)

    def close(self) -> None:
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
        """One serialized write transaction = one change bundle."""
        with self._write_lock:
            conn = self.engine.connect().execution_options(**{WRITE_OPTION: True})
            try:
                with conn.begin():
                    # A rolled-back transaction leaves the in-memory clock ahead of
                    # the persisted one; that is harmless (it only moves forward).
                    writer = Writer(conn, self.actor, self.clock)
                    yield writer
                    writer.finish()
            finally:
                conn.close()

    @contextmanager
    def read(self) -> Iterator[Reader]:
        with self.engine.connect() as conn, conn.begin():
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
