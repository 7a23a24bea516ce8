"""Device keys, fingerprints and sealed epoch keys."""

from __future__ import annotations

import pytest

from sosku_desktop.sync import crypto
from sosku_desktop.sync.protocol import TamperedKey

TEAM = "team-1"


def test_device_keys_round_trip_through_bytes() -> None:
    keys = crypto.DeviceKeys.generate()
    data = keys.to_bytes()
    again = crypto.DeviceKeys.from_bytes(data)
    assert again.public == keys.public
    assert again.to_bytes() == data
    message = b"hello"
    assert crypto.verify(keys.public.sign_pub, message, again.sign(message))
    with pytest.raises(ValueError):
        crypto.DeviceKeys.from_bytes(data[:-1])
    with pytest.raises(ValueError):
        crypto.DeviceKeys.from_bytes(b"XXXX" + data[4:])


def test_fingerprint_is_short_stable_and_depends_on_both_keys() -> None:
    keys = crypto.DeviceKeys.generate()
    fp = keys.fingerprint()
    groups = fp.split(" ")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    assert all(c in "0123456789ABCDEF" for c in fp.replace(" ", ""))
    assert fp == crypto.fingerprint(keys.public.sign_pub, keys.public.box_pub)
    other = crypto.DeviceKeys.generate().public
    assert crypto.fingerprint(keys.public.sign_pub, other.box_pub) != fp
    assert crypto.fingerprint(other.sign_pub, keys.public.box_pub) != fp
    with pytest.raises(ValueError):
        crypto.fingerprint(b"short", keys.public.box_pub)


def test_verify_rejects_other_data_keys_and_garbage() -> None:
    keys = crypto.DeviceKeys.generate()
    sig = keys.sign(b"data")
    assert not crypto.verify(keys.public.sign_pub, b"datA", sig)
    assert not crypto.verify(crypto.DeviceKeys.generate().public.sign_pub, b"data", sig)
    assert not crypto.verify(b"\x00" * 5, b"data", sig)
    assert not crypto.verify(keys.public.sign_pub, b"data", sig[:10])


def test_epoch_key_seals_to_one_device_only() -> None:
    key = crypto.new_epoch_key()
    assert len(key) == 32 and key != crypto.new_epoch_key()
    alice, bob = crypto.DeviceKeys.generate(), crypto.DeviceKeys.generate()
    sealed = crypto.seal_epoch_key(
        key, alice.public.box_pub, team_id=TEAM, epoch=3, device_id="alice"
    )
    assert (
        crypto.open_sealed_epoch_key(sealed, alice, team_id=TEAM, epoch=3, device_id="alice") == key
    )
    with pytest.raises(TamperedKey):
        crypto.open_sealed_epoch_key(sealed, bob, team_id=TEAM, epoch=3, device_id="alice")


@pytest.mark.parametrize(
    ("team", "epoch", "device"),
    [("team-2", 3, "alice"), (TEAM, 2, "alice"), (TEAM, 3, "bob")],
)
def test_sealed_key_is_bound_to_team_epoch_and_device(team: str, epoch: int, device: str) -> None:
    alice = crypto.DeviceKeys.generate()
    sealed = crypto.seal_epoch_key(
        crypto.new_epoch_key(), alice.public.box_pub, team_id=TEAM, epoch=3, device_id="alice"
    )
    with pytest.raises(TamperedKey):
        crypto.open_sealed_epoch_key(sealed, alice, team_id=team, epoch=epoch, device_id=device)


def _item(sealer: crypto.DeviceKeys, recipient: crypto.DeviceKeys, key: bytes) -> dict:
    item = crypto.make_key_item(
        key,
        team_id=TEAM,
        epoch=1,
        recipient_device_id="bob",
        recipient_box_pub=recipient.public.box_pub,
        sealer=sealer,
    )
    item["sealed_by"] = "alice"
    return item


def test_key_item_opens_only_with_a_trusted_sealer() -> None:
    alice, bob = crypto.DeviceKeys.generate(), crypto.DeviceKeys.generate()
    key = crypto.new_epoch_key()
    item = _item(alice, bob, key)
    trusted = {"alice": alice.public.sign_pub}
    assert crypto.open_key_item(
        item, team_id=TEAM, device_id="bob", keys=bob, verify_key_for_device=trusted.get
    ) == (1, key)
    # A key sealed by someone else (e.g. the server) to bob's public key is refused.
    mallory = crypto.DeviceKeys.generate()
    forged = _item(mallory, bob, crypto.new_epoch_key())
    with pytest.raises(TamperedKey, match="signature"):
        crypto.open_key_item(
            forged, team_id=TEAM, device_id="bob", keys=bob, verify_key_for_device=trusted.get
        )
    with pytest.raises(TamperedKey, match="unknown device"):
        crypto.open_key_item(
            item, team_id=TEAM, device_id="bob", keys=bob, verify_key_for_device={}.get
        )
    with pytest.raises(TamperedKey, match="not addressed"):
        crypto.open_key_item(
            item, team_id=TEAM, device_id="carol", keys=bob, verify_key_for_device=trusted.get
        )
    relabelled = dict(item, epoch=2)
    with pytest.raises(TamperedKey):
        crypto.open_key_item(
            relabelled, team_id=TEAM, device_id="bob", keys=bob, verify_key_for_device=trusted.get
        )
    with pytest.raises(TamperedKey, match="malformed"):
        crypto.open_key_item(
            {"epoch": "x"},
            team_id=TEAM,
            device_id="bob",
            keys=bob,
            verify_key_for_device=trusted.get,
        )
