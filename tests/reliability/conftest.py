"""Real small filesystems for the fault probes: tmpfs mounts, full or read-only.

The probes need a disk that really is full or really is read-only, because
SQLite and the backup code must meet the operating system's own errors
(ENOSPC, EROFS), not an imitation. Tests run as root here and in CI, so a
tmpfs can be mounted; elsewhere these probes are skipped with the reason.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

Mount = Callable[..., Path]


def _can_mount() -> bool:
    return os.name == "posix" and os.geteuid() == 0


@pytest.fixture
def small_fs() -> Iterator[Mount]:
    """``small_fs(path, size_kib, read_only=False)`` mounts a tmpfs there (unmounted after)."""
    if not _can_mount():
        pytest.skip("mounting a small filesystem needs root")
    mounted: list[Path] = []

    def mount(path: Path, size_kib: int = 1024, read_only: bool = False) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        options = f"size={size_kib}k,mode=0700" + (",ro" if read_only else "")
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], check=True)
        mounted.append(path)
        return path

    yield mount
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(folder: Path, leave_bytes: int = 0) -> Path:
    """Fill the filesystem of ``folder`` with a file until only ``leave_bytes`` are free."""
    filler = folder / "filler.bin"
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    chunk = b"\0" * 65536
    with filler.open("wb") as fh:
        remaining = max(free - leave_bytes, 0)
        try:
            while remaining > 0:
                fh.write(chunk[: min(len(chunk), remaining)])
                remaining -= min(len(chunk), remaining)
            fh.flush()
        except OSError:
            pass
    return filler


# The relay of the sync client tests (a real process), for the probes that sync.
from tests.sync.client.conftest import relay, relay_db, team  # noqa: E402, F401
