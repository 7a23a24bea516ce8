"""A disk too small for what sync would write: space given back, and no doomed snapshot load.

Real small filesystems (tmpfs, ``conftest.small_fs``), a real relay and real
encrypted stores. Before: a failed write left its spilled pages in
``sosku.db-wal`` (the disk stayed full), a fresh laptop loaded a snapshot
until the disk was full, and the next round downloaded and tried again.
"""

from __future__ import annotations

import secrets
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sosku_desktop import i18n
from sosku_desktop.domain import models
from sosku_desktop.store import caseload, disk_space
from sosku_desktop.store.database import Store
from sosku_desktop.store.errors import DiskFullError
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.client import SyncClient
from sosku_desktop.sync.messages import explain_error
from sosku_desktop.sync.transport import SyncTransport
from tests.reliability.conftest import Mount, fill
from tests.sync.client.helpers import PASSPHRASE, TeamRelay, quick_transport, snapshot

pytestmark = pytest.mark.reliability


def client_ids(store: Store) -> set[str]:
    with store.read() as r:
        return {c.id for c in r.list(models.Client)}


def wal_bytes(store: Store) -> int:
    wal = store.data_dir / "sosku.db-wal"
    return wal.stat().st_size if wal.exists() else 0


def test_a_write_that_meets_a_full_disk_gives_the_wal_space_back(
    tmp_path: Path, small_fs: Mount
) -> None:
    disk = small_fs(tmp_path / "disk", 12 * 1024)
    Store.create(disk / "data", PASSPHRASE).close()
    store = Store.open(disk / "data", PASSPHRASE, take_backup=False)  # as each sosku run does
    filler = fill(disk, leave_bytes=3 * 1024 * 1024)
    big = "x" * 200_000
    # One transaction bigger than the room left: it spills into the WAL, then fails.
    with pytest.raises(DiskFullError), store.write() as w:
        for i in range(40):
            w.add(models.Client(id=new_id(), first_name=f"T{i}", last_name="K", notes=big))
    assert wal_bytes(store) == 0  # checkpointed and truncated: the space is back
    filler.unlink()
    with store.write() as w:
        w.add(models.Client(id=new_id(), first_name="Mahtuu", last_name="K"))
    assert store.check() == []
    store.close()


class CountingTransport(SyncTransport):
    """The real transport, counting snapshot part downloads."""

    parts = 0

    def snapshot_part(self, snapshot_id: str, part: int) -> dict[str, Any]:
        CountingTransport.parts += 1
        return super().snapshot_part(snapshot_id, part)


def counting(url: str, team: str, device: str, keys: Any) -> SyncTransport:
    return CountingTransport(url, team, device, keys, timeout=10)


def test_a_snapshot_too_big_for_the_disk_is_refused_with_the_space_needed_and_not_retried(
    team: TeamRelay, tmp_path: Path, small_fs: Mount
) -> None:
    office = team.laptop(tmp_path, "office", snapshot_after=1)
    caseload.populate(office.store, 400, date(2026, 11, 2))
    assert office.sync().snapshot_made
    disk = small_fs(tmp_path / "disk", 16 * 1024)
    field = team.laptop(disk, "field")
    field.client = SyncClient(field.store, counting)
    field.sync()  # approved, waits for the snapshot's key
    office.client.snapshot_after = 0
    office.sync()  # shares the key
    free = disk_space.free_bytes(disk)

    with pytest.raises(disk_space.NotEnoughSpace) as refused:
        field.sync()

    error = refused.value
    assert error.needed > free and error.free <= free
    text = explain_error(error, "fi")
    assert f"{error.params['needed_mb']} Mt" in text and "{" not in text
    assert wal_bytes(field.store) < 1024 * 1024 and disk_space.free_bytes(disk) > free // 2
    downloaded = CountingTransport.parts
    assert downloaded >= 1
    with pytest.raises(disk_space.NotEnoughSpace):
        field.sync()  # nothing changed on the disk: refused before downloading again
    assert CountingTransport.parts == downloaded
    assert field.client.status().last_failure is not None

    subprocess.run(["mount", "-o", "remount,size=256m", str(disk)], check=True)
    report = field.sync()  # room now: the same snapshot loads
    assert report.snapshot
    assert snapshot(field.store) == snapshot(office.store)
    field.client = SyncClient(field.store, quick_transport)
    assert i18n.tr("store.error.not_enough_space") != "store.error.not_enough_space"


def test_a_large_pull_too_big_for_the_disk_is_refused_first_with_the_space_needed(
    team: TeamRelay, tmp_path: Path, small_fs: Mount
) -> None:
    """Not a snapshot: 600 bundles waiting on a relay without one. Before, the pull
    applied page after page until the disk was full; now it is refused before the
    first page, saying how much room it needs, and nothing is pulled or lost."""
    office = team.laptop(tmp_path, "office", snapshot_after=0)
    disk = small_fs(tmp_path / "disk", 24 * 1024)
    field = team.laptop(disk, "field")
    field.sync()
    for i in range(600):
        with office.store.write() as w:
            notes = secrets.token_hex(1000)  # a page of notes that does not compress
            w.add(models.Client(id=new_id(), first_name=f"A{i}", last_name="V", notes=notes))
    office.sync()
    with field.store.write() as w:  # written on the field laptop meanwhile, not sent yet
        kept = w.add(models.Client(id=new_id(), first_name="Oma", last_name="Kirjaus")).id
    filler = fill(disk, leave_bytes=3 * 1024 * 1024)  # the pull needs more
    free = disk_space.free_bytes(disk)

    with pytest.raises(disk_space.NotEnoughSpace) as refused:
        field.sync()

    error = refused.value
    assert error.needed > free
    text = explain_error(error, "fi")
    assert f"{error.params['needed_mb']} Mt" in text and "{" not in text
    assert client_ids(field.store) == {kept}  # nothing pulled, nothing of ours lost
    assert field.client.status().last_failure is not None
    office.sync()
    assert kept in client_ids(office.store)  # pushed before the pull was refused

    filler.unlink()
    subprocess.run(["mount", "-o", "remount,size=256m", str(disk)], check=True)
    field.sync()  # room now: everything comes
    assert snapshot(field.store) == snapshot(office.store)
