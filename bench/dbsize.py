"""Bytes per table of an encrypted store, measured with SQLite's ``dbstat``.

SQLCipher here is built without the ``dbstat`` table, so the store is
first exported into a temporary plaintext copy (``sqlcipher_export``, in a
temporary directory that is removed at once) and measured there with the
system SQLite. Each table's figure includes its indexes; pages are counted
whole (``pgsize``), the way they take room on disk. The encrypted file is
slightly larger: SQLCipher reserves 80 bytes per 4 KiB page for the IV and
the HMAC. Not a test; used by bench_store_size.py and bench_sync.py.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from sosku_desktop.store.database import Store


def table_bytes(store: Store) -> dict[str, int]:
    """Table name -> bytes of its pages and its indexes' pages."""
    with tempfile.TemporaryDirectory(prefix="sosku-dbstat-") as tmp:
        plain = Path(tmp) / "plain.db"
        raw = store.engine.raw_connection()  # autocommit: ATTACH/DETACH outside a transaction
        try:
            cur = raw.cursor()
            cur.execute(f"ATTACH DATABASE '{plain}' AS plaintext KEY ''")
            cur.execute("SELECT sqlcipher_export('plaintext')")
            cur.execute("DETACH DATABASE plaintext")
            cur.close()
        finally:
            raw.close()
        db = sqlite3.connect(plain)
        try:
            owner = dict(db.execute("SELECT name, tbl_name FROM sqlite_master"))
            sizes: dict[str, int] = {}
            for name, size in db.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
                table = owner.get(name, name)
                sizes[table] = sizes.get(table, 0) + int(size)
        finally:
            db.close()
    return dict(sorted(sizes.items(), key=lambda item: -item[1]))


def file_bytes(store: Store) -> int:
    """The encrypted database file after a checkpoint (what the disk holds)."""
    raw = store.engine.raw_connection()
    try:
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
    return (store.data_dir / "sosku.db").stat().st_size
