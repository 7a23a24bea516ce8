"""Revocation cuts a device off at once; rotation moves the team to a key it lacks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sosku_desktop.sync import crypto
from sosku_desktop.sync.envelope import open_bundle
from sosku_desktop.sync.transport import (
    DeviceRevoked,
    EpochStale,
    RequestRejected,
    RotationNeeded,
    SyncTransport,
)
from tests.sync.server.helpers import Device, Team

CALLS: dict[str, Callable[[SyncTransport], Any]] = {
    "status": lambda t: t.status(),
    "devices": lambda t: t.devices(),
    "get_keys": lambda t: t.get_keys(),
    "pull": lambda t: t.pull(),
    "push": lambda t: t.push([{"not": "checked before auth"}]),
    "put_keys": lambda t: t.put_keys([]),
}


@pytest.fixture
def trio(team: Team) -> tuple[Device, Device, Device]:
    a, b, c = team.enrol("a"), team.enrol("b"), team.enrol("c")
    team.new_epoch(by=a)
    for other in (b, c):
        team.share_keys(by=a, to=other)
        other.refresh_keys(team.sign_keys())
    a.transport.push([a.bundle("before revocation")])
    return a, b, c


def test_revoked_device_gets_403_everywhere_at_once(team: Team, trio: tuple) -> None:
    a, _, c = trio
    team.revoke(c)
    for name, call in CALLS.items():
        with pytest.raises(DeviceRevoked) as info:
            call(c.transport)
        assert info.value.status == 403, name
        assert info.value.body["error"] == "device_revoked"
        assert "removed from the team" in info.value.body["message"]
    with pytest.raises(DeviceRevoked):
        c.transport.join(team.code, "trying again")
    status = a.transport.status()
    assert status["rotation_needed"] is True and status["epoch"] == 1


def test_rotation_after_revocation(team: Team, trio: tuple) -> None:
    a, b, c = trio
    team.revoke(c)
    with pytest.raises(RotationNeeded):
        a.transport.push([a.bundle("under the old key")])
    a.next_seq -= 1

    key2 = crypto.new_epoch_key()

    def item(to: Device, epoch: int = 2, sealer: Device = a) -> dict:
        return crypto.make_key_item(
            key2,
            team_id=team.team_id,
            epoch=epoch,
            recipient_device_id=to.device_id,
            recipient_box_pub=to.keys.public.box_pub,
            sealer=sealer.keys,
        )

    for wrong in ([item(a), item(b), item(c)], [item(a)]):  # incl. revoked / missing active
        with pytest.raises(RequestRejected) as info:
            a.transport.put_keys(wrong, new_epoch=2)
        assert info.value.status == 422
    with pytest.raises(EpochStale):
        a.transport.put_keys([item(a, 3), item(b, 3)], new_epoch=3)  # only current+1
    result = a.transport.put_keys([item(a), item(b)], new_epoch=2)
    assert result["epoch"] == 2 and len(result["stored"]) == 2
    a.epoch_keys[2] = key2

    status = b.transport.status()
    assert (status["epoch"], status["rotation_needed"]) == (2, False)
    # Someone who rotated at the same moment loses the race and learns the new epoch.
    with pytest.raises(EpochStale) as info:
        b.transport.put_keys([item(a, sealer=b), item(b, sealer=b)], new_epoch=2)
    assert info.value.body["epoch"] == 2

    b.refresh_keys(team.sign_keys())
    assert b.epoch_keys[2] == key2
    roster = {d["device_id"]: d for d in a.transport.devices()["devices"]}
    assert roster[c.device_id]["epochs"] == [1] and roster[c.device_id]["status"] == "revoked"
    assert roster[b.device_id]["epochs"] == [1, 2]

    # Bundles of the old epoch are now refused: the client must re-encrypt.
    with pytest.raises(EpochStale) as info:
        b.transport.push([b.bundle("old key", epoch=1)])
    assert info.value.body["epoch"] == 2
    b.next_seq -= 1
    b.transport.push([b.bundle("new key")])
    texts = [
        open_bundle(w, a.epoch_keys, team.sign_keys().get, team.team_id)["ops"][0]["v"]
        for w in a.transport.pull()["bundles"]
    ]
    assert texts == ["before revocation", "new key"]
    # Epoch 2 can never reach the revoked device: it may not be sealed to it …
    with pytest.raises(RequestRejected) as info:
        a.transport.put_keys([item(c)])
    assert info.value.status == 422
    # … and it cannot fetch anything.
    with pytest.raises(DeviceRevoked):
        c.transport.get_keys()


def test_revoking_a_pending_device_needs_no_rotation(team: Team, trio: tuple) -> None:
    a, *_ = trio
    stranger = team.join("never approved")
    with pytest.raises(RequestRejected) as info:  # keys go to approved devices only
        a.transport.put_keys(
            [
                crypto.make_key_item(
                    a.epoch_keys[1],
                    team_id=team.team_id,
                    epoch=1,
                    recipient_device_id=stranger.device_id,
                    recipient_box_pub=stranger.keys.public.box_pub,
                    sealer=a.keys,
                )
            ]
        )
    assert info.value.status == 422
    team.revoke(stranger)
    assert a.transport.status()["rotation_needed"] is False
    with pytest.raises(DeviceRevoked):
        stranger.transport.status()


def test_stored_sealed_keys_are_never_overwritten(team: Team, trio: tuple) -> None:
    a, b, c = trio
    garbage = crypto.make_key_item(
        crypto.new_epoch_key(),
        team_id=team.team_id,
        epoch=1,
        recipient_device_id=c.device_id,
        recipient_box_pub=c.keys.public.box_pub,
        sealer=b.keys,
    )
    result = b.transport.put_keys([garbage])
    assert result["stored"] == [] and result["existing"] == [{"epoch": 1, "device_id": c.device_id}]
    c.refresh_keys(team.sign_keys())
    assert c.epoch_keys[1] == a.epoch_keys[1]
