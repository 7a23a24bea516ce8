"""Disk space: give it back after a failed write, and check it before a big one.

A write that meets a full disk is rolled back, but in WAL mode the pages it
had already spilled stay in ``sosku.db-wal``: a fresh laptop whose first
snapshot load filled the disk kept a WAL as large as the free space, so the
disk stayed 100 % full and every other program on it failed too. After a
write fails for a full disk, the WAL is checkpointed and truncated
(``PRAGMA wal_checkpoint(TRUNCATE)``), which returns that space. (The
checkpoint first copies what *was* committed into the database file, which
may itself need room: the big writes below therefore start with an empty
WAL.)

Big writes whose size can be told in advance (loading a snapshot) check
the free space first and refuse with the amount needed
(``NotEnoughSpace``), instead of filling the disk to find out.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import Engine

from sosku_desktop.store.errors import DiskFullError, StoreError

log = logging.getLogger(__name__)

MIB = 1024 * 1024


class NotEnoughSpace(StoreError):
    """Too little free space for a big write; ``needed_mb`` and ``free_mb`` say how much."""

    message_key = "store.error.not_enough_space"

    def __init__(self, needed: int, free: int) -> None:
        super().__init__(
            "too little free space",
            needed_mb=_mb(needed),
            free_mb=free // MIB,
        )
        self.needed = needed
        self.free = free


def _mb(size: int) -> int:
    return -(-size // MIB)  # rounded up: "needs 461 MB" must be enough


def free_bytes(folder: Path) -> int:
    return shutil.disk_usage(folder).free


def require(folder: Path, needed: int) -> None:
    """Raise ``NotEnoughSpace`` unless ``needed`` bytes are free where ``folder`` lives."""
    free = free_bytes(folder)
    if free < needed:
        log.warning("refused a write: %d MiB needed, %d MiB free", _mb(needed), free // MIB)
        raise NotEnoughSpace(needed, free)


def reclaim_wal(engine: Engine) -> bool:
    """Checkpoint and truncate the WAL; best effort, True when it was truncated."""
    try:
        with engine.connect() as conn:
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
            conn.commit()
    except Exception as exc:  # the disk may still refuse; the error already raised says so
        log.warning("could not truncate the WAL after a full disk: %s", type(exc).__name__)
        return False
    return busy is not None and not busy[0]


@contextmanager
def reclaim_on_full(engine: Engine) -> Iterator[None]:
    """Around a write transaction: after a full disk, give the WAL's space back."""
    try:
        yield
    except DiskFullError:
        if reclaim_wal(engine):
            log.info("WAL truncated after a full disk")
        raise
