"""Owner-only permissions for everything in the data directory.

The wrapped key in ``key.json`` can be attacked offline by anyone who can
copy it, and the database, its WAL and the backups hold client data, so
the data directory is 0700 and every file in it 0600 on POSIX systems.
SQLite creates ``-wal`` and ``-shm`` files with the permissions of the
database file, so creating that file 0600 first is enough for them. On
Windows the per-user profile folder (``%LOCALAPPDATA%``) is already
readable only by its owner and administrators; POSIX modes do not apply
there (docs/security.md).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
_POSIX = os.name == "posix"
#: Windows opens an ``os.open`` descriptor in text mode (\n becomes \r\n) without it.
_BINARY = getattr(os, "O_BINARY", 0)


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) if needed and make it owner-only."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if _POSIX and stat.S_IMODE(path.stat().st_mode) != DIR_MODE:
        os.chmod(path, DIR_MODE)


def create_private_file(path: Path) -> None:
    """Create an empty owner-only file (SQLite treats an empty file as a new database)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.close(fd)
    if _POSIX:
        os.chmod(path, FILE_MODE)


def tighten(data_dir: Path) -> None:
    """Make an existing data directory owner-only (folders made by older releases were not)."""
    if not _POSIX or not data_dir.is_dir():
        return
    with contextlib.suppress(OSError):
        os.chmod(data_dir, DIR_MODE)
    for root, dirs, files in os.walk(data_dir):
        for name in dirs:
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(root, name), DIR_MODE)
        for name in files:
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(root, name), FILE_MODE)


def write_private(path: Path, data: bytes | str, *, atomic: bool = False) -> None:
    """The one way the app writes a file: owner-only (0600), an existing file tightened.

    Exports, documents, key and preference files carry names, identity
    codes or keys; a plain ``write_bytes`` under the usual umask 022 left
    them readable by every account on the machine. The mode is set on the
    open descriptor before any byte goes in, so there is no moment when
    the content is readable by others. ``atomic``: write a temporary file
    beside ``path`` and rename it over, so a crash leaves the old file or
    the new one, never half of one. ``tests/store/test_private_files.py``
    fails on a file write anywhere else in the package.
    """
    content = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    if not atomic:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | _BINARY, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            _tighten_fd(handle.fileno())
            handle.truncate(0)
            handle.write(content)
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            _tighten_fd(handle.fileno())
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def create_private_exclusive(path: Path, data: bytes) -> None:
    """Write a new owner-only file; ``FileExistsError`` rather than overwrite (key files)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        _tighten_fd(handle.fileno())
        handle.write(data)


def copy_private(source: Path, target: Path) -> None:
    """Copy ``source`` to a new owner-only ``target`` (a restored database)."""
    create_private_file(target)
    with source.open("rb") as src, target.open("r+b") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)
        dst.flush()
        os.fsync(dst.fileno())


def touch_private(path: Path) -> None:
    """Make sure an owner-only file exists without truncating it (the log file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    try:
        _tighten_fd(fd)
    finally:
        os.close(fd)


def _tighten_fd(fd: int) -> None:
    if _POSIX:
        os.fchmod(fd, FILE_MODE)
