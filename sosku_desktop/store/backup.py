"""Verified, bounded encrypted backups and a restore that picks a good one.

Backups use SQLite's online backup API between two keyed SQLCipher
connections, so a backup is as encrypted as the database and a consistent
snapshot even while the app writes (WAL lets the copy read beside writers).

Why each rule exists:

- **Verified when made.** The backup API copies pages as they are, so a
  damaged page in the live file is copied too. Every copy gets SQLite's
  ``integrity_check`` and SQLCipher's ``cipher_integrity_check`` before it
  counts; a copy that fails is deleted and reported as damage in the live
  file. A bad copy therefore never pushes a good one out of the rotation.
- **Only when changed, off the start path.** At 10,000 clients a copy costs
  tens of seconds and gigabytes, so a copy is made only when the data
  differs from the newest good backup (``fingerprint``), and the app runs
  it in a background thread (``BackgroundBackup``).
- **Bounded disk, spread over time.** A copy is the whole database (527 MB
  at 12,000 clients), and a worker who starts the app several times a day
  used to fill the rotation with copies of one day. Kept (``rotation``):
  the newest ``MIN_KEEP``, then the newest copy of each of the
  ``DAILY`` previous days that have one, then the newest of each earlier
  week — at most ``KEEP`` copies and ``BUDGET_FACTOR`` × the database's
  size in total, or ``BUDGET_FLOOR`` if that is more (the newest
  ``MIN_KEEP`` always). A large database therefore keeps fewer copies:
  527 MB → 3 copies (1.6 GB); up to about 36 MB all 7 fit. While a new
  copy is made the folder briefly holds one copy more. No copy is started
  when it would leave the disk nearly full.
- **Never stops the app.** A folder that cannot be written, or a full disk,
  ends as a ``BackupOutcome`` with a warning that names the folder.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import sqlcipher3

from sosku_desktop.store import permissions
from sosku_desktop.store.engine import DB_FILE, _key_pragma
from sosku_desktop.store.errors import CorruptDatabaseError

log = logging.getLogger(__name__)

BACKUP_DIR = "backups"
KEEP = 7
MIN_KEEP = 2
#: After the newest MIN_KEEP: the newest copy of this many earlier days, then one a week.
DAILY = 3
#: All backups together stay below this many times the live database's size …
BUDGET_FACTOR = 3
#: … or this many bytes, whichever is more (a small database keeps all KEEP copies).
BUDGET_FLOOR = 256 * 1024 * 1024
#: Free space a backup must leave on the disk, beyond its own size.
SPARE_BYTES = 64 * 1024 * 1024
_PREFIX = "sosku-"
_STAMP = "%Y%m%d-%H%M%S-%f"
_PARTIAL = ".partial"

# States of a backup as listed for the worker.
GOOD = "good"
DAMAGED = "damaged"

# Why a start-up backup was not made (BackupOutcome.skipped).
UNCHANGED = "unchanged"
SOURCE_DAMAGED = "source_damaged"
FOLDER_UNUSABLE = "folder_unusable"
LOW_SPACE = "low_space"


@dataclass(frozen=True)
class BackupInfo:
    """One backup file as the restore screen and ``sosku backups`` show it."""

    path: Path
    taken_at: datetime
    size: int
    state: str


@dataclass(frozen=True)
class BackupOutcome:
    """What an attempt did: a new file, or why none was made (never an exception)."""

    path: Path | None = None
    skipped: str = ""
    folder: Path | None = None

    @property
    def warning_key(self) -> str | None:
        """Translation key of the warning to show, or ``None`` when all is well."""
        if self.skipped in (FOLDER_UNUSABLE, LOW_SPACE, SOURCE_DAMAGED):
            return f"store.backup.{self.skipped}"
        return None


#: Every Sosku database has it from the first migration on.
_SCHEMA_TABLE = "alembic_version"


def _connect(path: Path, key: bytes) -> sqlcipher3.dbapi2.Connection:
    conn = sqlcipher3.dbapi2.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute(_key_pragma(key))
    conn.execute("PRAGMA cipher_log_level = NONE")
    return conn


def backup_folder(data_dir: Path) -> Path:
    return data_dir / BACKUP_DIR


def list_backups(data_dir: Path) -> list[Path]:
    """Finished backup files, newest first (unfinished ``.partial`` files are not backups)."""
    folder = backup_folder(data_dir)
    if not folder.is_dir():
        return []
    try:
        return sorted(folder.glob(f"{_PREFIX}*.db"), reverse=True)
    except OSError:
        return []


def taken_at(path: Path) -> datetime:
    """When a backup was taken: from its name, else from the file's time."""
    stem = path.stem.removeprefix(_PREFIX)
    try:
        return datetime.strptime(stem, _STAMP)
    except ValueError:
        return datetime.fromtimestamp(path.stat().st_mtime)


def problems_in(path: Path, key: bytes) -> list[str]:
    """What SQLite's and SQLCipher's integrity checks find in a file (empty = good).

    A missing or empty file is no backup: SQLCipher would make an empty
    database at a mistyped path, which passes both checks (a restore put
    it in place of the live data). A good file must also hold our schema.
    """
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return ["not a database file"]
    except OSError as exc:
        return [type(exc).__name__]
    try:
        conn = _connect(path, key)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            found = [str(r) for r in rows if r != "ok"]
            found.extend(str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check"))
            ours = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                (_SCHEMA_TABLE,),
            ).fetchone()[0]
            if not ours:
                found.append("no Sosku tables")
        finally:
            conn.close()
    except sqlcipher3.dbapi2.Error as exc:
        return [type(exc).__name__]
    return found


def verify_backup(path: Path, key: bytes) -> bool:
    """True when the file opens with the key and passes both integrity checks."""
    return not problems_in(path, key)


def describe_backups(data_dir: Path, key: bytes) -> list[BackupInfo]:
    """Every backup, newest first, checked now (a file can rot after it was made)."""
    infos = []
    for path in list_backups(data_dir):
        try:
            size = path.stat().st_size
        except OSError:
            continue
        state = GOOD if verify_backup(path, key) else DAMAGED
        infos.append(BackupInfo(path, taken_at(path), size, state))
    return infos


def newest_good(data_dir: Path, key: bytes) -> Path | None:
    """The newest backup that passes the checks now."""
    for path in list_backups(data_dir):
        if verify_backup(path, key):
            return path
    return None


def latest_backup(data_dir: Path) -> Path | None:
    """The newest backup file, unchecked (enough to say "a backup exists")."""
    backups = list_backups(data_dir)
    return backups[0] if backups else None


def fingerprint(path: Path, key: bytes) -> str | None:
    """A summary that changes whenever the data does; ``None`` when unreadable.

    Every local write adds a change-log row, every applied remote bundle
    moves ``remote_devices``; ``meta`` holds who signs in (the clock in it
    moves on every open and is left out).
    """
    queries = (
        "SELECT coalesce(max(device_seq), 0), count(*) FROM change_log",
        "SELECT coalesce(sum(applied_seq), 0), count(*) FROM remote_devices",
        "SELECT group_concat(key || '=' || value, ';') FROM "
        "(SELECT key, value FROM meta WHERE key != 'hlc' ORDER BY key)",
        "SELECT group_concat(version_num) FROM alembic_version",
        "SELECT count(*), coalesce(max(id), 0) FROM conflicts WHERE resolved_at IS NULL",
    )
    try:
        conn = _connect(path, key)
        try:
            parts = [repr(conn.execute(q).fetchone()) for q in queries]
        finally:
            conn.close()
    except sqlcipher3.dbapi2.Error:
        return None
    return "|".join(parts)


def rotation(copies: list[tuple[datetime, int]], live_size: int, keep: int = KEEP) -> list[bool]:
    """Which copies (newest first: when taken, bytes) stay; see the module docstring."""
    budget = max(BUDGET_FACTOR * live_size, BUDGET_FLOOR)
    kept: list[bool] = []
    total = 0
    days: set[date] = set()
    weeks: set[tuple[int, int]] = set()
    for when, size in copies:
        day, week = when.date(), tuple(when.isocalendar())[:2]
        if len(kept) < MIN_KEEP:
            stays = True
        elif sum(kept) >= keep or total + size > budget:
            stays = False
        elif day not in days:
            stays = len(days) < DAILY + 1 or week not in weeks
        else:
            stays = False
        kept.append(stays)
        if stays:
            total += size
            days.add(day)
            weeks.add((week[0], week[1]))
    return kept


def _prune(data_dir: Path, keep: int) -> None:
    """Drop the backups ``rotation`` does not keep (count, spread over time, byte budget)."""
    live = data_dir / DB_FILE
    found = []
    for path in list_backups(data_dir):
        try:
            found.append((path, taken_at(path), path.stat().st_size))
        except OSError:
            continue
    live_size = live.stat().st_size if live.exists() else 0
    stays = rotation([(when, size) for _, when, size in found], live_size, keep)
    for (path, _, _), keep_it in zip(found, stays, strict=True):
        if not keep_it:
            path.unlink(missing_ok=True)


def _clean_partials(folder: Path) -> None:
    """Copies left by a process that stopped mid-backup are no backups."""
    for stale in folder.glob(f"*{_PARTIAL}*"):
        stale.unlink(missing_ok=True)


def _copy(source_path: Path, target: Path, key: bytes) -> None:
    source = _connect(source_path, key)
    try:
        copy = _connect(target, key)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()


def take_backup(data_dir: Path, key: bytes, keep: int = KEEP, force: bool = False) -> BackupOutcome:
    """Make a verified backup unless nothing changed; never raises for the environment.

    ``force``: copy even when the newest good backup already holds the same data
    (before a migration, where the rotation must hold the old schema).
    """
    source_path = data_dir / DB_FILE
    folder = backup_folder(data_dir)
    if not source_path.exists():
        return BackupOutcome(skipped=UNCHANGED, folder=folder)
    try:
        permissions.make_private_dir(folder)
        _clean_partials(folder)
        newest = latest_backup(data_dir)
        if not force and newest is not None:
            mine = fingerprint(source_path, key)
            if mine is not None and mine == fingerprint(newest, key):
                return BackupOutcome(skipped=UNCHANGED, folder=folder)
        final = folder / f"{_PREFIX}{datetime.now().strftime(_STAMP)}.db"
        partial = final.with_name(final.name + _PARTIAL)
        try:
            permissions.create_private_file(partial)  # a read-only folder fails here
            needed = source_path.stat().st_size + _wal_size(source_path) + SPARE_BYTES
            if shutil.disk_usage(folder).free < needed:
                log.warning("backup skipped: too little free space in the backup folder")
                return BackupOutcome(skipped=LOW_SPACE, folder=folder)
            _copy(source_path, partial, key)
            if not verify_backup(partial, key):
                log.error("backup copy failed its integrity check: the database is damaged")
                return BackupOutcome(skipped=SOURCE_DAMAGED, folder=folder)
            os.replace(partial, final)
        finally:
            _remove_partial(partial)
        _prune(data_dir, keep)
        return BackupOutcome(path=final, folder=folder)
    except sqlcipher3.dbapi2.Error as exc:
        text = str(exc).lower()
        if "malformed" in text or "corrupt" in text or "not a database" in text:
            return BackupOutcome(skipped=SOURCE_DAMAGED, folder=folder)
        log.warning("backup not made: %s", type(exc).__name__)
        return BackupOutcome(skipped=FOLDER_UNUSABLE, folder=folder)
    except OSError as exc:
        log.warning("backup not made: %s", type(exc).__name__)
        return BackupOutcome(skipped=FOLDER_UNUSABLE, folder=folder)


def _wal_size(db: Path) -> int:
    wal = db.with_name(db.name + "-wal")
    try:
        return wal.stat().st_size
    except OSError:
        return 0


def _remove_partial(partial: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            partial.with_name(partial.name + suffix).unlink(missing_ok=True)


def create_backup(data_dir: Path, key: bytes, keep: int = KEEP) -> Path | None:
    """A forced, verified backup; raises ``CorruptDatabaseError`` when the copy is damaged."""
    outcome = take_backup(data_dir, key, keep, force=True)
    if outcome.skipped == SOURCE_DAMAGED:
        raise CorruptDatabaseError(
            "the backup copy failed its integrity check", latest_backup(data_dir)
        )
    return outcome.path


class BackgroundBackup:
    """The start-up backup in its own thread, so the window does not wait for it."""

    def __init__(self, data_dir: Path, key: bytes) -> None:
        self._outcome: BackupOutcome | None = None
        self._thread = threading.Thread(
            target=self._run, args=(data_dir, key), name="sosku-backup", daemon=True
        )
        self._thread.start()

    def _run(self, data_dir: Path, key: bytes) -> None:
        try:
            self._outcome = take_backup(data_dir, key)
        except Exception:  # a bug here must not take the app down; it is logged
            log.exception("start-up backup failed")
            self._outcome = BackupOutcome(skipped=FOLDER_UNUSABLE, folder=backup_folder(data_dir))

    def wait(self) -> BackupOutcome:
        """Block until the backup is done (scripts, tests, app exit) and return its outcome."""
        self._thread.join()
        assert self._outcome is not None
        return self._outcome


def restore_backup(data_dir: Path, key: bytes, backup: Path | None = None) -> Path:
    """Put a verified backup in place of the database; the old file is kept aside.

    Without ``backup`` the newest *good* backup is used, so damaged newer
    copies never block a restore. Returns where the replaced database was
    moved, so nothing is lost even when the restore was a mistake.
    """
    backup = backup or newest_good(data_dir, key)
    if backup is None or not verify_backup(backup, key):
        raise CorruptDatabaseError("no usable backup")
    live = data_dir / DB_FILE
    aside = data_dir / f"replaced-{datetime.now().strftime('%Y%m%d-%H%M%S-%f')}.db"
    if live.exists():
        os.replace(live, aside)
    for suffix in ("-wal", "-shm"):
        extra = data_dir / f"{DB_FILE}{suffix}"
        if extra.exists():
            os.replace(extra, aside.with_name(aside.name + suffix))
    tmp = live.with_suffix(".restoring")
    permissions.copy_private(backup, tmp)
    os.replace(tmp, live)
    return aside
