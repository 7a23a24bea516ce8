"""Devices come and go: pending, a new laptop reads all history, a revoked one is cut off."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sosku_desktop.domain.models import Client
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.client import (
    AlreadyJoined,
    NotJoined,
    SyncClient,
    SyncState,
)
from sosku_desktop.sync.device_store import DeviceStore
from sosku_desktop.sync.envelope import open_bundle
from sosku_desktop.sync.protocol import UnknownEpoch, b64encode
from sosku_desktop.sync.transport import DeviceRevoked
from tests.sync.client.helpers import PASSPHRASE, TeamRelay, outbox, snapshot


def add_client(store: Store, name: str) -> str:
    with store.write() as w:
        return str(w.add(Client(id=new_id(), first_name=name, last_name="K")).id)


def test_pending_device_waits_with_its_fingerprint_and_keeps_its_outbox(
    team: TeamRelay, tmp_path: Path
) -> None:
    a = team.laptop(tmp_path, "a", approve=False)
    add_client(a.store, "Odottaja")
    report = a.sync()
    assert report.state == SyncState.PENDING_APPROVAL
    assert report.fingerprint == DeviceStore(a.store).identity().fingerprint  # type: ignore[union-attr]
    assert report.outbox == 1 and report.pushed == 0
    assert a.client.status().state == SyncState.PENDING_APPROVAL
    team.approve(a.store.device_id, report.fingerprint)
    report = a.sync()
    assert report.state == SyncState.UP_TO_DATE and report.pushed == 1
    assert a.client.status().state == SyncState.UP_TO_DATE


def test_join_is_repeatable_and_sync_needs_a_team(team: TeamRelay, tmp_path: Path) -> None:
    store = Store.create(tmp_path / "x", PASSPHRASE)
    try:
        client = SyncClient(store)
        with pytest.raises(NotJoined):
            client.sync_once()
        assert client.status().state == SyncState.NOT_JOINED
        first = client.join(team.server.url, team.team_id, team.code, "x")
        assert client.join(team.server.url + "/", team.team_id, team.code, "x") == first
        with pytest.raises(AlreadyJoined):
            client.join(team.server.url, "another-team", team.code, "x")
    finally:
        store.close()


def test_new_device_reads_all_history_and_revoked_device_cannot_read_the_new_epoch(
    team: TeamRelay, relay_db: Path, tmp_path: Path
) -> None:
    a = team.laptop(tmp_path, "a")
    b = team.laptop(tmp_path, "b")
    add_client(a.store, "Ennen")
    add_client(b.store, "Ennen B")
    for laptop in (a, b, a):
        laptop.sync()

    team.revoke(b.store.device_id)
    with pytest.raises(DeviceRevoked):
        b.sync()
    assert b.client.status().state == SyncState.REVOKED
    add_client(a.store, "Jälkeen")
    report = a.sync()
    assert report.created_epoch == 2 and report.pushed == 1  # rotated before pushing

    c = team.laptop(tmp_path, "c")
    waiting = c.sync()
    assert waiting.state == SyncState.WAITING_FOR_KEYS and waiting.applied == 0
    assert a.sync().keys_shared == 2  # epochs 1 and 2, history included
    c.sync()
    assert snapshot(c.store) == snapshot(a.store)
    with c.store.read() as r:
        assert {x.first_name for x in r.clients()} == {"Ennen", "Ennen B", "Jälkeen"}
    assert sorted(DeviceStore(c.store).epoch_keys()) == [1, 2]

    # The revoked laptop holds epoch 1 only, got no sealed key for epoch 2,
    # and cannot open what was written after its revocation.
    b_keys = DeviceStore(b.store).epoch_keys()
    assert sorted(b_keys) == [1]
    with sqlite3.connect(relay_db) as db:
        sealed_to_b = db.execute(
            "SELECT epoch FROM sealed_keys WHERE team_id = ? AND device_id = ?",
            (team.team_id, b.store.device_id),
        ).fetchall()
        newest = db.execute(
            "SELECT bundle_id, device_id, device_seq, epoch, nonce, ciphertext, signature"
            " FROM bundles WHERE team_id = ? AND epoch = 2",
            (team.team_id,),
        ).fetchone()
    assert sealed_to_b == [(1,)]
    wire = {
        "v": 2,
        "team_id": team.team_id,
        "bundle_id": newest[0],
        "device_id": newest[1],
        "device_seq": newest[2],
        "epoch": newest[3],
        "nonce": b64encode(newest[4]),
        "ciphertext": b64encode(newest[5]),
        "signature": b64encode(newest[6]),
    }
    identity = DeviceStore(a.store).identity()
    assert identity is not None
    with pytest.raises(UnknownEpoch):
        open_bundle(wire, b_keys, lambda _d: identity.keys.public.sign_pub, team.team_id)
    assert outbox(a.store) == 0
