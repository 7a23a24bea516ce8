"""Migrations match the tables; old databases open; backups rotate and restore."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from sosku_desktop.domain.models import Client
from sosku_desktop.operations.client_list import client_list
from sosku_desktop.store import backup, keys, migrate
from sosku_desktop.store.database import Store
from sosku_desktop.store.engine import DB_FILE
from sosku_desktop.store.errors import CorruptDatabaseError
from sosku_desktop.store.schema import ENTITY, client_search, metadata
from sosku_desktop.store.search import stored_sort_key
from sosku_desktop.store.writer import new_id
from tests.store.conftest import PASSPHRASE

SAMPLES = Path(__file__).parent / "samples"
clients = ENTITY["clients"]


def test_migrations_produce_exactly_the_declared_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    with store.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("v*")))
def test_every_earlier_release_database_opens(sample: str, tmp_path: Path) -> None:
    """Each folder in samples/ is a data directory made by a release (passphrase in it)."""
    data_dir = tmp_path / sample
    shutil.copytree(SAMPLES / sample, data_dir)
    passphrase = (data_dir / "PASSPHRASE").read_text().strip()
    store = Store.open(data_dir, passphrase)
    try:
        assert store.check() == []
        with store.read() as r:
            assert len(r.clients()) >= 1
            assert r.change_count() >= 1
        with store.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
        with store.write() as w:
            w.add(Client(id=new_id(), first_name="Uusi", last_name="Asiakas"))
    finally:
        store.close()


def test_backups_are_taken_when_changed_rotate_within_budget_and_stay_encrypted(
    store: Store, data_dir: Path
) -> None:
    with store.write() as w:
        w.add(Client(id=new_id(), first_name="Varmuus", last_name="Kopio"))
    store.close()
    Store.open(data_dir).close()
    assert len(backup.list_backups(data_dir)) == 1
    Store.open(data_dir).close()  # nothing changed: no second copy
    assert len(backup.list_backups(data_dir)) == 1
    for start in range(backup.KEEP + 2):
        changed = Store.open(data_dir)
        changed.set_current_worker(f"worker-{start}")
        changed.close()
    backups = backup.list_backups(data_dir)
    live = (data_dir / DB_FILE).stat().st_size
    sizes = [p.stat().st_size for p in backups]
    assert backup.MIN_KEEP <= len(backups) <= backup.KEEP
    assert sum(sizes) <= max(backup.BUDGET_FACTOR * live, sum(sizes[: backup.MIN_KEEP]))
    newest = backups[0].read_bytes()
    assert b"Varmuus" not in newest and not newest.startswith(b"SQLite format 3")
    assert backup.verify_backup(backups[0], keys.load_key(data_dir).key)


def test_corrupt_database_offers_the_latest_backup_and_restore_works(
    store: Store, data_dir: Path
) -> None:
    with store.write() as w:
        client = w.add(Client(id=new_id(), first_name="Palautettava", last_name="Asiakas"))
    store.close()
    Store.open(data_dir).close()  # takes a backup
    path = data_dir / DB_FILE
    raw = bytearray(path.read_bytes())
    for offset in range(4096, len(raw), 97):
        raw[offset] ^= 0xFF
    path.write_bytes(bytes(raw))
    # Depending on which pages were hit, opening fails at once or the check finds it.
    try:
        damaged = Store.open(data_dir, take_backup=False)
    except CorruptDatabaseError as exc:
        assert exc.latest_backup is not None
    else:
        try:
            problems = damaged.check()
        except CorruptDatabaseError:
            problems = ["raised"]
        damaged.close()
        assert problems
    assert backup.latest_backup(data_dir) is not None
    aside = backup.restore_backup(data_dir, keys.load_key(data_dir, PASSPHRASE).key)
    assert aside.exists()
    restored = Store.open(data_dir)
    with restored.read() as r:
        assert r.get(Client, client.id).first_name == "Palautettava"
    assert restored.check() == []
    restored.close()


def test_an_older_store_gets_the_sort_keys_and_lists_in_finnish_order(tmp_path: Path) -> None:
    """Revision 0004 fills ``client_search``'s sort keys for the clients already there,
    and its triggers keep them for the clients written after."""
    data_dir = tmp_path / "v0003"
    shutil.copytree(SAMPLES / "v0003", data_dir)
    with data_dir.joinpath("PASSPHRASE").open() as f:
        passphrase = f.read().strip()
    with Store.open(data_dir, passphrase) as store:
        with store.write() as w:
            w.add(Client(id=new_id(), first_name="Uusi", last_name="Ärrä"))
        with store.read() as r:
            query = sa.select(
                client_search.c.sort_last,
                client_search.c.sort_first,
                clients.c.last_name,
                clients.c.first_name,
            ).join(clients, clients.c.id == client_search.c.client_id)
            rows = r.conn.execute(query).all()
        assert len(rows) == 7
        for row in rows:
            assert row[:2] == (stored_sort_key(row[2]), stored_sort_key(row[3]))
        listed = client_list(store, datetime(2026, 11, 30, 12), None).rows
    assert [(c.client.last_name, c.client.first_name) for c in listed] == [
        ("aalto", "sari"),
        ("Zetterberg", "Eero"),
        ("Åberg", ""),
        ("Äijälä", "Aino"),
        ("Ärrä", "Uusi"),
        ("Öhman", "Élise"),
        ("", "Juha"),
    ]
