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
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
_POSIX = os.name == "posix"


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
