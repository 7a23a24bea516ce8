"""Rotating encrypted backups and a tested restore.

Backups use SQLite's online backup API between two keyed SQLCipher
connections, so a backup is as encrypted as the database and consistent
even while the app writes. One is taken at every start (before migrations
touch anything); the newest ``KEEP`` are kept.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import sqlcipher3

from sosku_desktop.store.engine import DB_FILE, _key_pragma, classify
from sosku_desktop.store.errors import CorruptDatabaseError

BACKUP_DIR = "backups"
KEEP = 7


def _connect(path: Path, key: bytes) -> sqlcipher3.dbapi2.Connection:
    conn = sqlcipher3.dbapi2.connect(str(path), isolation_level=None)
    conn.execute(_key_pragma(key))
    conn.execute("PRAGMA cipher_log_level = NONE")
    return conn


def list_backups(data_dir: Path) -> list[Path]:
    """Backups, newest first."""
    folder = data_dir / BACKUP_DIR
    if not folder.exists():
        return []
    return sorted(folder.glob("sosku-*.db"), reverse=True)


def latest_backup(data_dir: Path) -> Path | None:
    backups = list_backups(data_dir)
    return backups[0] if backups else None


def create_backup(data_dir: Path, key: bytes, keep: int = KEEP) -> Path | None:
    """Copy the live database into ``backups/`` and drop the oldest beyond ``keep``."""
    source_path = data_dir / DB_FILE
    if not source_path.exists():
        return None
    folder = data_dir / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target_path = folder / f"sosku-{stamp}.db"
    source = _connect(source_path, key)
    target = _connect(target_path, key)
    try:
        source.backup(target)
    except sqlcipher3.dbapi2.Error as exc:
        target.close()
        target_path.unlink(missing_ok=True)
        mapped = classify(exc)
        raise (mapped or exc) from exc
    finally:
        source.close()
    target.close()
    for old in list_backups(data_dir)[keep:]:
        old.unlink(missing_ok=True)
    return target_path


def verify_backup(path: Path, key: bytes) -> bool:
    """True when the backup opens with the key and passes the integrity check."""
    try:
        conn = _connect(path, key)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlcipher3.dbapi2.Error:
        return False
    return [r[0] for r in rows] == ["ok"]


def restore_backup(data_dir: Path, key: bytes, backup: Path | None = None) -> Path:
    """Put a verified backup in place of the database; the old file is kept aside.

    Returns the path where the replaced database was moved, so nothing is
    lost even when the restore was a mistake.
    """
    backup = backup or latest_backup(data_dir)
    if backup is None or not verify_backup(backup, key):
        raise CorruptDatabaseError("no usable backup")
    live = data_dir / DB_FILE
    aside = data_dir / f"replaced-{datetime.now().strftime('%Y%m%d-%H%M%S')}.db"
    if live.exists():
        os.replace(live, aside)
    for suffix in ("-wal", "-shm"):
        extra = data_dir / f"{DB_FILE}{suffix}"
        if extra.exists():
            os.replace(extra, aside.with_name(aside.name + suffix))
    tmp = live.with_suffix(".restoring")
    shutil.copyfile(backup, tmp)
    os.replace(tmp, live)
    return aside
