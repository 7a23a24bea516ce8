"""Encryption at rest, key handling and the plain-words errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import keyring
import pytest

from sosku_desktop.domain.models import Client
from sosku_desktop.store import keys
from sosku_desktop.store.database import Store
from sosku_desktop.store.engine import DB_FILE
from sosku_desktop.store.errors import (
    DiskFullError,
    KeyMismatchError,
    MissingKeyError,
    NewerSchemaError,
    WrongKeyError,
)
from sosku_desktop.store.writer import new_id
from tests.store.conftest import PASSPHRASE


def _add_client(store: Store, name: str = "Kanarialintu") -> Client:
    with store.write() as w:
        return w.add(Client(id=new_id(), first_name=name, last_name="Testinen"))


def test_file_is_not_readable_without_the_key(store: Store, data_dir: Path) -> None:
    _add_client(store)
    store.close()
    raw = (data_dir / DB_FILE).read_bytes()
    assert b"Kanarialintu" not in raw
    assert not raw.startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(data_dir / DB_FILE).execute("select count(*) from clients").fetchall()


def test_key_is_cached_in_the_keyring_and_reopens_without_passphrase(
    store: Store, data_dir: Path
) -> None:
    client = _add_client(store)
    store.close()
    reopened = Store.open(data_dir)
    assert reopened.key_source.from_keyring
    with reopened.read() as r:
        assert r.get(Client, client.id).first_name == "Kanarialintu"
    reopened.close()


def test_without_keyring_the_passphrase_unwraps_the_key_file(store: Store, data_dir: Path) -> None:
    client = _add_client(store)
    store.close()
    keys.forget_keyring_key(data_dir)
    with pytest.raises(MissingKeyError):
        Store.open(data_dir)
    with pytest.raises(WrongKeyError):
        Store.open(data_dir, "väärä tunnuslause")
    reopened = Store.open(data_dir, PASSPHRASE)
    assert not reopened.key_source.from_keyring
    with reopened.read() as r:
        assert r.get(Client, client.id).last_name == "Testinen"
    reopened.close()


def test_machine_without_any_keyring_uses_the_passphrase(data_dir: Path) -> None:
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    assert not keys.keyring_works()
    store = Store.create(data_dir, PASSPHRASE)
    assert not store.key_source.keyring_available
    store.close()
    with pytest.raises(MissingKeyError):
        Store.open(data_dir)
    Store.open(data_dir, PASSPHRASE).close()


def test_passphrase_can_be_changed_and_checked(store: Store, data_dir: Path) -> None:
    assert keys.check_passphrase(data_dir, PASSPHRASE)
    keys.change_passphrase(data_dir, PASSPHRASE, "uusi-tunnuslause")
    assert not keys.check_passphrase(data_dir, PASSPHRASE)
    assert keys.check_passphrase(data_dir, "uusi-tunnuslause")


def test_wrong_key_on_the_database_itself_is_reported(store: Store, data_dir: Path) -> None:
    _add_client(store)
    store.close()
    other = keys.wrap_key(b"\x01" * 32, PASSPHRASE)
    keys.forget_keyring_key(data_dir)
    import json

    # The key file of another database: it unwraps, so the passphrase is not
    # the problem, and the worker is told so (never asked again and again).
    recorded = json.loads((data_dir / keys.KEY_FILE).read_text())["db_salt"]
    (data_dir / keys.KEY_FILE).write_text(json.dumps({**other, "db_salt": "00" * 15 + "01"}))
    with pytest.raises(KeyMismatchError):
        Store.open(data_dir, PASSPHRASE)
    assert recorded == (data_dir / DB_FILE).read_bytes()[:16].hex()


def test_database_from_a_newer_version_is_refused_untouched(store: Store, data_dir: Path) -> None:
    with store.write() as w:
        w.conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    store.close()
    before = (data_dir / DB_FILE).stat().st_size
    with pytest.raises(NewerSchemaError):
        Store.open(data_dir)
    assert (data_dir / DB_FILE).stat().st_size == before


def test_disk_full_is_an_environment_error_and_loses_nothing(store: Store) -> None:
    kept = _add_client(store, "Säilyvä")
    from sosku_desktop.store.engine import translate_errors

    def fill() -> None:
        with store.write() as w:
            pages = int(w.conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)
            # A real SQLITE_FULL: the database may not grow past its current size.
            w.conn.exec_driver_sql(f"PRAGMA max_page_count = {pages + 1}")
            for _ in range(200):
                w.add(Client(id=new_id(), first_name="x" * 2000, last_name="y"))

    with pytest.raises(DiskFullError):
        translate_errors(fill)
    store.engine.dispose()  # drop the connection that carries the size limit
    with store.read() as r:
        assert [c.first_name for c in r.clients()] == ["Säilyvä"]
        assert r.get(Client, kept.id)
        assert r.change_count() == 1


def test_a_database_that_cannot_be_written_is_an_environment_error(store: Store) -> None:
    kept = _add_client(store, "Luettava")
    from sosku_desktop.store.engine import translate_errors
    from sosku_desktop.store.errors import ReadOnlyError

    def write_on_read_only() -> None:
        with store.write() as w:
            # SQLITE_READONLY, the same error a write-protected medium gives.
            w.conn.exec_driver_sql("PRAGMA query_only = ON")
            w.add(Client(id=new_id(), first_name="Ei", last_name="Tallennu"))

    with pytest.raises(ReadOnlyError) as info:
        translate_errors(write_on_read_only)
    assert "Ei" not in str(info.value) and "Tallennu" not in str(info.value)
    store.engine.dispose()  # drop the connection that carries query_only
    with store.read() as r:
        assert [c.first_name for c in r.clients()] == [kept.first_name]
