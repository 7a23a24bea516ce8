"""Revision 0005: an older store keeps every clock through the re-keying, loses unread indexes."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlcipher3
from alembic import command

from sosku_desktop.domain.models import Client
from sosku_desktop.store import clocks, keys, migrate
from sosku_desktop.store.database import Store
from sosku_desktop.store.engine import DB_FILE, configure
from sosku_desktop.store.writer import new_id

SAMPLE = Path(__file__).parent / "samples" / "v0003"


def _schema(data_dir: Path, passphrase: str) -> tuple[set[str], str]:
    """The audit_log index names and row_clock's CREATE statement, read without migrating."""
    conn = sqlcipher3.dbapi2.connect(str(data_dir / DB_FILE))
    try:
        configure(conn, keys.load_key(data_dir, passphrase).key)
        indexes = {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log'"
            )
        }
        (ddl,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'row_clock'").fetchone()
        return indexes, str(ddl)
    finally:
        conn.close()


def test_an_older_store_keeps_its_clocks_and_drops_the_unread_audit_indexes(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "v0003"
    shutil.copytree(SAMPLE, data_dir)
    passphrase = (data_dir / "PASSPHRASE").read_text().strip()
    indexes, ddl = _schema(data_dir, passphrase)
    assert {"ix_audit_log_at", "ix_audit_log_worker_id"} <= indexes
    assert "PRIMARY KEY (tbl, row_id)" in ddl
    with Store.open(data_dir, passphrase, take_backup=False) as store:
        with store.engine.connect() as conn, conn.begin():
            command.downgrade(migrate._config(conn), "0004")
        with store.read() as r:
            before = clocks.all_clocks(r.conn)
        with store.engine.connect() as conn, conn.begin():
            migrate.upgrade(conn)
        with store.read() as r:
            after = clocks.all_clocks(r.conn)
            loaded = clocks.load(r.conn, {(t, row) for t, row, _ in before})
        with store.write() as w:
            w.add(Client(id=new_id(), first_name="Uusi", last_name="Asiakas"))
    assert before and after == before
    assert {(t, r, c): h for (t, r), m in loaded.items() for c, h in m.items()} == before
    indexes, ddl = _schema(data_dir, passphrase)
    assert "ix_audit_log_at" not in indexes and "ix_audit_log_worker_id" not in indexes
    assert "ix_audit_log_client_id" in indexes
    assert "PRIMARY KEY (row_id, tbl)" in ddl
