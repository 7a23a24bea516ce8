"""Laptops upgraded to envelope 2 and hash chains keep syncing with what older ones sent."""

from __future__ import annotations

from pathlib import Path

from sosku_desktop.domain.models import Client
from sosku_desktop.store import sync_state
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.envelope import seal_bundle
from sosku_desktop.sync.transport import SyncTransport
from tests.sync.client.adversary import RelayDatabase, laptop_keys
from tests.sync.client.helpers import TeamRelay, outbox


def test_a_bundle_sent_by_the_old_version_whose_answer_was_lost_is_recognised(
    team: TeamRelay, tmp_path: Path
) -> None:
    """Sealed as before the upgrade (envelope 1, no chain fields) and stored, answer lost."""
    a = team.laptop(tmp_path, "a")
    b = team.laptop(tmp_path, "b")
    a.sync()
    with a.store.write() as w:
        client = w.add(Client(id=new_id(), first_name="Vanha", last_name="Versio"))
    with a.store.read() as r:
        (pending,) = sync_state.pending(r.conn, 10)
    device_id, keys, epoch_keys = laptop_keys(a.store)
    plaintext = pending.plaintext(device_id) | {"team_id": team.team_id, "epoch": 1}
    old = seal_bundle(plaintext, epoch_keys[1], keys, deterministic=True, version=1)
    transport = SyncTransport(team.server.url, team.team_id, device_id, keys)
    stored = transport.push([old])["results"][0]["server_seq"]
    transport.close()
    report = a.sync()
    assert report.pushed == 1 and outbox(a.store) == 0
    with a.store.read() as r:
        assert sync_state.last_acked(r.conn) == (stored, pending.bundle_id)
    assert b.sync().applied == 1  # the envelope-1 bundle opens on an upgraded laptop
    with b.store.read() as r:
        assert r.get(Client, client.id).last_name == "Versio"


def test_the_relay_stores_no_clock_of_new_bundles(team: TeamRelay, tmp_path: Path) -> None:
    a = team.laptop(tmp_path, "a")
    with a.store.write() as w:
        w.add(Client(id=new_id(), first_name="Kello", last_name="Piilossa"))
    a.sync()
    relay = RelayDatabase(team.server.db_url)
    try:
        rows = relay.bundles(team.team_id)
    finally:
        relay.close()
    assert rows and all(r.hlc == "" and r.version == 2 for r in rows)
