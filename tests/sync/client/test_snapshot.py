"""Snapshots and compaction with a real relay process and real encrypted stores.

A laptop makes an encrypted snapshot once the relay's newest is far enough
behind; a new laptop starts from it and pulls only the tail; the relay
prunes bundles every active laptop holds (a revoked one does not hold the
watermark back), and a pull from below the pruned prefix is 410.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from sosku_desktop import i18n
from sosku_desktop.store import sync_state
from sosku_desktop.sync.client import SyncState
from sosku_desktop.sync.messages import report_text
from sosku_desktop.sync.transport import HistoryCompacted
from tests.sync.client.helpers import (
    Editor,
    TeamRelay,
    assert_no_edit_lost,
    server_bundles,
    snapshot,
)


def edits(store: object, seed: int, count: int) -> None:
    editor = Editor(random.Random(seed))
    for _ in range(count):
        with store.write() as w:  # type: ignore[attr-defined]
            if not editor.update(w, "clients"):
                editor.create(w, "clients")
            editor.create(w, "meetings")


def test_a_new_laptop_starts_from_a_snapshot_and_the_relay_prunes_what_all_hold(
    team: TeamRelay, relay_db: Path, tmp_path: Path
) -> None:
    a = team.laptop(tmp_path, "a", snapshot_after=5)
    b = team.laptop(tmp_path, "b", snapshot_after=0)
    edits(a.store, 1, 8)
    first = a.sync()
    assert first.snapshot_made > 0  # the relay had none: a made one covering its cursor
    report = b.sync()
    assert report.snapshot == first.snapshot_made
    assert report.state == SyncState.UP_TO_DATE
    # The report says what the snapshot carried, not only the tail pulled after it.
    with a.store.read() as r:
        clients = int(r.conn.execute(sa.text("SELECT count(*) FROM clients")).scalar_one())
    assert report.snapshot_clients == clients > 0 and report.snapshot_rows > clients
    said = i18n.tr(
        "sync.report.snapshot", clients=clients, rows=report.snapshot_rows, seq=report.snapshot
    )
    assert said in report_text(report) and "tilannekuvasta" in said
    assert snapshot(b.store) == snapshot(a.store)
    # Both hold everything now: the next rounds acknowledge it and the relay prunes.
    edits(b.store, 2, 3)
    for laptop in (a, b, a, b):
        assert laptop.sync().state == SyncState.UP_TO_DATE
    kept = [seq for seq, _, _ in server_bundles(relay_db, team.team_id)]
    assert kept and kept[0] > 1  # the prefix every laptop acknowledged is gone
    assert snapshot(b.store) == snapshot(a.store)
    assert_no_edit_lost([a.store, b.store])
    # A third laptop can only start from the snapshot now, and converges.
    c = team.laptop(tmp_path, "c", snapshot_after=0)
    assert c.sync().state == SyncState.WAITING_FOR_KEYS  # nobody has shared the key with c yet
    a.sync()
    assert c.sync().snapshot > 0
    assert snapshot(c.store) == snapshot(a.store)
    # Asking for the pruned prefix is 410, not a silent gap.
    identity = c.client.devices.identity()
    assert identity is not None
    with c.client._transport(identity) as transport, pytest.raises(HistoryCompacted):
        transport.pull(after=0)


def test_a_revoked_laptop_does_not_hold_the_watermark_back(
    team: TeamRelay, relay_db: Path, tmp_path: Path
) -> None:
    a = team.laptop(tmp_path, "a", snapshot_after=4)
    b = team.laptop(tmp_path, "b", snapshot_after=0)
    idle = team.laptop(tmp_path, "idle", snapshot_after=0)
    edits(a.store, 3, 6)
    a.sync()
    b.sync()
    edits(a.store, 4, 6)
    for laptop in (a, b, a, b):
        laptop.sync()
    # The idle laptop never pulled: it holds the watermark at 0, nothing is pruned.
    assert server_bundles(relay_db, team.team_id)[0][0] == 1
    team.revoke(idle.store.device_id)
    for laptop in (a, b, a, b):
        laptop.sync()
    with a.store.read() as r:
        cursor = sync_state.cursor(r.conn)
    kept = [seq for seq, _, _ in server_bundles(relay_db, team.team_id)]
    assert kept[0] > 1 and kept[0] <= cursor
    assert snapshot(b.store) == snapshot(a.store)


def test_a_laptop_that_wrote_before_its_first_sync_starts_from_the_snapshot_and_keeps_it(
    team: TeamRelay, relay_db: Path, tmp_path: Path
) -> None:
    a = team.laptop(tmp_path, "a", snapshot_after=3)
    b = team.laptop(tmp_path, "b", snapshot_after=0)
    edits(a.store, 5, 6)
    a.sync()
    b.sync()
    a.sync()
    b.sync()
    assert server_bundles(relay_db, team.team_id)[0][0] > 1  # compacted
    late = team.laptop(tmp_path, "late", snapshot_after=0)
    edits(late.store, 6, 2)  # written before it ever synced
    assert late.sync().state == SyncState.WAITING_FOR_KEYS  # pushed, waits for the key
    a.sync()  # shares the key
    assert late.sync().snapshot > 0
    for laptop in (a, b, late, a, b, late):
        laptop.sync()
    assert snapshot(late.store) == snapshot(a.store) == snapshot(b.store)
    assert_no_edit_lost([a.store, b.store, late.store])
