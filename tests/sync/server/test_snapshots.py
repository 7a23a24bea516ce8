"""The relay's snapshot routes and compaction (real relay processes, SQLite and PostgreSQL).

The relay checks only what it can without a key: the uploader's signature
over each part, the header against the team, and that parts of one
snapshot agree. It answers every bad request with a 4xx, keeps a stored
part from being replaced, prunes only below what every active device has
acknowledged and the newest snapshot covers, and answers a pull from below
the pruned prefix with 410.
"""

from __future__ import annotations

import dataclasses

import pytest

from sosku_desktop.sync import crypto, snapshot
from sosku_desktop.sync.envelope import seal_bundle
from sosku_desktop.sync.protocol import SnapshotPart
from sosku_desktop.sync.transport import HistoryCompacted, RequestRejected
from tests.sync.server.helpers import Device, Team


@pytest.fixture
def pair(team: Team) -> tuple[Device, Device]:
    alice = team.enrol("alice")
    team.new_epoch(by=alice)
    bob = team.enrol("bob")
    team.share_keys(by=alice, to=bob)
    return alice, bob


def sealed(device: Device, team: Team, server_seq: int, size: int = 10) -> list[SnapshotPart]:
    header = snapshot.new_header(team.team_id, 1, device.device_id, server_seq)
    content = {"blob": b"x" * size}
    return snapshot.seal(content, header, device.epoch_keys[1], device.keys.signing_key)


def refused(call: object, status: int, code: str | None = None) -> None:
    with pytest.raises(RequestRejected) as caught:
        call()  # type: ignore[operator]
    assert caught.value.status == status
    if code is not None:
        assert caught.value.code == code


def test_a_snapshot_is_stored_once_and_served_as_uploaded(
    team: Team, pair: tuple[Device, Device]
) -> None:
    alice, bob = pair
    alice.transport.push([alice.bundle(f"n{i}") for i in range(3)])
    assert bob.transport.snapshots()["snapshot"] is None
    (part,) = sealed(alice, team, 3)
    assert alice.transport.put_snapshot_part(part) == {
        "snapshot_id": part.snapshot_id,
        "complete": True,
    }
    assert alice.transport.put_snapshot_part(part)["complete"]  # a repeat is harmless
    described = bob.transport.snapshots()["snapshot"]
    assert (described["snapshot_id"], described["server_seq"], described["parts"]) == (
        part.snapshot_id,
        3,
        1,
    )
    assert described["device_id"] == alice.device_id
    served = bob.transport.snapshot_part(part.snapshot_id, 0)["part"]
    assert served == part.to_wire()
    refused(lambda: bob.transport.snapshot_part(part.snapshot_id, 1), 404)


def test_bad_snapshot_parts_are_4xx(team: Team, pair: tuple[Device, Device]) -> None:
    alice, bob = pair
    alice.transport.push([alice.bundle("n")])
    (part,) = sealed(alice, team, 1)
    forged = dataclasses.replace(part, signature=bytes(64))
    refused(lambda: alice.transport.put_snapshot_part(forged), 422, "bad_bundle_signature")
    refused(lambda: bob.transport.put_snapshot_part(part), 422)  # not bob's part
    beyond = sealed(alice, team, 5)[0]  # covers bundles the relay does not have
    refused(lambda: alice.transport.put_snapshot_part(beyond), 422)
    alice.transport.put_snapshot_part(part)
    other = sealed(alice, team, 1)[0]
    replaced = dataclasses.replace(other, snapshot_id=part.snapshot_id)
    signed = replaced.signed_bytes()
    replaced = dataclasses.replace(replaced, signature=alice.keys.sign(signed))
    refused(lambda: alice.transport.put_snapshot_part(replaced), 409, "snapshot_conflict")
    stranger = crypto.DeviceKeys.generate()
    with team.transport(alice.device_id, stranger) as transport:
        refused(lambda: transport.snapshots(), 401)


def test_the_relay_prunes_below_what_every_active_device_holds(
    team: Team, pair: tuple[Device, Device]
) -> None:
    alice, bob = pair
    alice.transport.push([alice.bundle(f"n{i}") for i in range(6)])
    alice.transport.put_snapshot_part(sealed(alice, team, 5)[0])
    alice.transport.pull(after=6, ack=True)
    assert bob.transport.pull(after=0)["bundles"][0]["server_seq"] == 1  # bob holds nothing yet
    bob.transport.pull(after=4, ack=True)
    assert bob.transport.snapshots()["pruned_upto"] == 3  # the bundle at bob's cursor stays
    with pytest.raises(HistoryCompacted) as caught:
        bob.transport.pull(after=2)
    assert caught.value.status == 410 and caught.value.body["pruned_upto"] == 3
    assert [b["server_seq"] for b in bob.transport.pull(after=3)["bundles"]] == [4, 5, 6]
    # A revoked device no longer holds the watermark; the newest snapshot still caps it.
    carol = team.enrol("carol")
    bob.transport.pull(after=6, ack=True)
    assert bob.transport.snapshots()["pruned_upto"] == 3  # carol, active, holds nothing
    team.revoke(carol)
    bob.transport.pull(after=6, ack=True)
    assert bob.transport.snapshots()["pruned_upto"] == 4  # capped by the snapshot at 5


def test_a_device_whose_bundles_were_all_pruned_cannot_start_its_numbering_again(
    team: Team, pair: tuple[Device, Device]
) -> None:
    """The relay numbered a device's next push from the bundles it still held.

    Once compaction had pruned all of them it took ``device_seq`` 1 again:
    the device's old bundles (or new ones reusing old numbers) were stored as
    new, and a laptop whose chain goes on after them was refused as a gap.
    """
    alice, bob = pair
    bob.epoch_keys = dict(alice.epoch_keys)  # shared to bob by alice (the fixture)
    alice.transport.push([alice.bundle(f"a{i}") for i in range(3)])  # alice 1..3 at 1..3
    bob.transport.push([bob.bundle(f"b{i}") for i in range(3)])  # bob 1..3 at 4..6
    bob.transport.put_snapshot_part(sealed(bob, team, 6)[0])
    alice.transport.pull(after=6, ack=True)
    bob.transport.pull(after=6, ack=True)
    assert bob.transport.snapshots()["pruned_upto"] == 5  # all of alice's are below it
    replayed = alice.plaintext([{"t": "meetings", "r": "x", "c": "notes", "v": "again"}], 1, seq=1)
    refused(
        lambda: alice.transport.push([seal_bundle(replayed, alice.epoch_keys[1], alice.keys)]),
        409,
        "bundle_conflict",
    )
    assert alice.transport.push([alice.bundle("a3")])["results"][0]["server_seq"] == 7
