"""Tampered bundles are refused by the server (signature) and by the reader (AEAD/header)."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from sosku_desktop.sync.envelope import open_bundle
from sosku_desktop.sync.protocol import SealedBundle, TamperedBundle, b64encode
from sosku_desktop.sync.server import schema
from sosku_desktop.sync.server.storage import Database
from sosku_desktop.sync.transport import RequestRejected
from tests.sync.server.helpers import Device, Team


def flip(data: bytes, index: int = 0) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x40]) + data[index + 1 :]


TAMPERINGS = {
    "nonce": lambda b: dataclasses.replace(b, nonce=flip(b.nonce)),
    "ciphertext": lambda b: dataclasses.replace(b, ciphertext=flip(b.ciphertext, 20)),
    "signature": lambda b: dataclasses.replace(b, signature=flip(b.signature)),
    "hlc": lambda b: dataclasses.replace(b, version=1, hlc="0001704362400000-00009-a"),
    "epoch": lambda b: dataclasses.replace(b, epoch=b.epoch + 1),
    "device_seq": lambda b: dataclasses.replace(b, device_seq=b.device_seq + 1),
    "bundle_id": lambda b: dataclasses.replace(b, bundle_id=str(uuid.uuid4())),
}


@pytest.fixture
def pair(team: Team) -> tuple[Device, Device]:
    a, b = team.enrol("a"), team.enrol("b")
    team.new_epoch(by=a)
    team.share_keys(by=a, to=b)
    b.refresh_keys(team.sign_keys())
    return a, b


@pytest.mark.parametrize("field", sorted(TAMPERINGS))
def test_server_refuses_tampered_bundles(team: Team, pair: tuple, field: str) -> None:
    a, _ = pair
    forged = TAMPERINGS[field](a.bundle())
    with pytest.raises(RequestRejected) as info:
        a.transport.push([forged])
    assert (info.value.status, info.value.code) == (422, "bad_bundle_signature")
    assert a.transport.status()["head_seq"] == 0


def test_server_refuses_bundles_relabelled_to_another_device_or_team(
    team: Team, pair: tuple
) -> None:
    a, b = pair
    stolen = a.bundle()
    as_b = dataclasses.replace(stolen, device_id=b.device_id)
    with pytest.raises(RequestRejected) as info:
        b.transport.push([as_b])  # b pushes a's ciphertext as its own: a signed it, not b
    assert info.value.code == "bad_bundle_signature"
    other_team = Team(team.server, "Other team")
    try:
        stranger = other_team.enrol()
        other_team.new_epoch(by=stranger)
        relabelled = dataclasses.replace(
            stolen, team_id=other_team.team_id, device_id=stranger.device_id
        )
        with pytest.raises(RequestRejected) as info:
            stranger.transport.push([relabelled])
        assert info.value.code == "bad_bundle_signature"
    finally:
        other_team.close()


def _rewrite_stored(db_url: str, team_id: str, **values: Any) -> None:
    """What a compromised server (or its database) could do to a stored bundle."""
    db = Database(db_url)
    try:

        def work(conn: sa.Connection) -> None:
            conn.execute(
                schema.bundles.update().where(schema.bundles.c.team_id == team_id).values(**values)
            )

        db.write(work)
    finally:
        db.dispose()


@pytest.mark.parametrize(
    "change", ["ciphertext", "nonce", "epoch", "device_seq", "hlc", "device_id"]
)
def test_reader_refuses_bundles_altered_on_the_server(team: Team, pair: tuple, change: str) -> None:
    a, b = pair
    original = a.bundle("KANARIA-MUISTIINPANO")
    a.transport.push([original])
    altered: dict[str, Any] = {
        "ciphertext": {"ciphertext": flip(original.ciphertext, 30)},
        "nonce": {"nonce": flip(original.nonce, 3)},
        "epoch": {"epoch": 2},
        "device_seq": {"device_seq": 9},
        "hlc": {"hlc": "0001704362400000-00008-relay"},
        "device_id": {"device_id": b.device_id},
    }[change]
    _rewrite_stored(team.db_url, team.team_id, **altered)
    wire = b.transport.pull()["bundles"][0]
    keys = {1: b.epoch_keys[1], 2: b.epoch_keys[1]}  # even a known key for epoch 2 won't help
    with pytest.raises(TamperedBundle):
        open_bundle(wire, keys, team.sign_keys().get, team.team_id)


def test_reader_refuses_a_bundle_served_under_another_team(team: Team, pair: tuple) -> None:
    a, b = pair
    a.transport.push([a.bundle()])
    wire = dict(b.transport.pull()["bundles"][0], team_id="some-other-team")
    with pytest.raises(TamperedBundle, match="another team"):
        open_bundle(wire, b.epoch_keys, team.sign_keys().get, team.team_id)
    wire["team_id"] = team.team_id
    wire["signature"] = b64encode(bytes(64))
    with pytest.raises(TamperedBundle, match="signature"):
        open_bundle(wire, b.epoch_keys, team.sign_keys().get, team.team_id)


def test_untampered_bundle_still_opens(team: Team, pair: tuple) -> None:
    """Control for the tests above: the same path without tampering succeeds."""
    a, b = pair
    bundle: SealedBundle = a.bundle("fine")
    a.transport.push([bundle])
    wire = b.transport.pull()["bundles"][0]
    assert (
        open_bundle(wire, b.epoch_keys, team.sign_keys().get, team.team_id)["ops"][0]["v"] == "fine"
    )
