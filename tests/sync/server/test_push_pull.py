"""Push is idempotent and ordered; pull pages by cursor without gaps."""

from __future__ import annotations

import secrets
import uuid

import pytest

from sosku_desktop.sync.envelope import open_bundle, seal_bundle
from sosku_desktop.sync.protocol import PULL_PAGE_BYTES
from sosku_desktop.sync.transport import RequestRejected
from tests.sync.server.helpers import Device, Team


@pytest.fixture
def alice(team: Team) -> Device:
    device = team.enrol("alice")
    team.new_epoch(by=device)
    return device


def seqs(result: dict) -> list[int]:
    return [r["server_seq"] for r in result["results"]]


def test_push_is_idempotent_on_bundle_id(team: Team, alice: Device) -> None:
    batch = [alice.bundle(f"n{i}") for i in range(3)]
    first = alice.transport.push(batch)
    assert seqs(first) == [1, 2, 3] and first["head"] == 3
    assert [r["bundle_id"] for r in first["results"]] == [b.bundle_id for b in batch]
    again = alice.transport.push(batch)
    assert seqs(again) == [1, 2, 3] and again["head"] == 3
    # A resend after a lost answer may overlap new work: old seqs come back, new ones follow.
    mixed = alice.transport.push([batch[2], alice.bundle("n3"), batch[0]])
    assert seqs(mixed) == [3, 4, 1] and mixed["head"] == 4
    assert len(alice.transport.pull()["bundles"]) == 4


def test_a_bundle_id_or_device_seq_cannot_be_reused(team: Team, alice: Device) -> None:
    original = alice.bundle("original")
    alice.transport.push([original])
    # Same bundle_id, different content (re-encrypted: other nonce and signature).
    pt = alice.plaintext([{"t": "x", "r": "1", "c": "c", "v": 1}], 1, seq=1)
    pt["bundle_id"] = original.bundle_id
    with pytest.raises(RequestRejected) as info:
        alice.transport.push([seal_bundle(pt, alice.epoch_keys[1], alice.keys)])
    assert (info.value.status, info.value.code) == (409, "bundle_conflict")
    # Same device_seq, another bundle_id (e.g. a device restored from an old backup).
    pt = alice.plaintext([{"t": "x", "r": "1", "c": "c", "v": 1}], 1, seq=1)
    with pytest.raises(RequestRejected) as info:
        alice.transport.push([seal_bundle(pt, alice.epoch_keys[1], alice.keys)])
    assert (info.value.status, info.value.code) == (409, "bundle_conflict")


def test_device_seq_must_not_skip_and_a_batch_is_all_or_nothing(team: Team, alice: Device) -> None:
    alice.transport.push([alice.bundle()])
    good = alice.bundle("good")
    alice.next_seq += 1  # skip one
    skipping = alice.bundle("skipping")
    with pytest.raises(RequestRejected) as info:
        alice.transport.push([good, skipping])
    assert (info.value.code, info.value.body["expected"], info.value.body["index"]) == (
        "device_seq_gap",
        3,
        1,
    )
    assert alice.transport.status()["head_seq"] == 1  # "good" was not stored either
    assert seqs(alice.transport.push([good])) == [2]


def test_only_own_bundles_of_the_current_epoch_are_accepted(team: Team, alice: Device) -> None:
    bob = team.enrol("bob")
    team.share_keys(by=alice, to=bob)
    bob.refresh_keys(team.sign_keys())
    with pytest.raises(RequestRejected) as info:
        bob.transport.push([alice.bundle()])  # validly signed by alice, pushed by bob
    assert info.value.status == 422
    alice.next_seq = 1
    alice.epoch_keys[2] = alice.epoch_keys[1]
    with pytest.raises(RequestRejected) as info:
        alice.transport.push([alice.bundle(epoch=2)])
    assert info.value.status == 422 and "epoch 2 does not exist" in info.value.message


def test_pull_pages_by_count_with_cursors(team: Team, alice: Device) -> None:
    bob = team.enrol("bob")
    team.share_keys(by=alice, to=bob)
    bob.refresh_keys(team.sign_keys())
    for _ in range(5):
        alice.transport.push([alice.bundle(f"a{alice.next_seq}") for _ in range(4)])
        bob.transport.push([bob.bundle(f"b{bob.next_seq}")])
    seen: list[dict] = []
    after, pages = 0, 0
    while True:
        page = bob.transport.pull(after=after, limit=7)
        pages += 1
        assert len(page["bundles"]) <= 7 and page["head"] == 25
        seen.extend(page["bundles"])
        assert page["next"] == (seen[-1]["server_seq"] if page["bundles"] else after)
        after = page["next"]
        if not page["more"]:
            break
    assert pages == 4
    assert [b["server_seq"] for b in seen] == list(range(1, 26))
    texts = [
        open_bundle(b, bob.epoch_keys, team.sign_keys().get, team.team_id)["ops"][0]["v"]
        for b in seen
    ]
    assert sorted(t for t in texts if t[0] == "a") == sorted(f"a{i}" for i in range(1, 21))
    for who in (alice, bob):  # per device: device_seq order equals server order, no gaps
        mine = [b["device_seq"] for b in seen if b["device_id"] == who.device_id]
        assert mine == list(range(1, len(mine) + 1))
    empty = bob.transport.pull(after=25)
    assert empty == {"bundles": [], "next": 25, "more": False, "head": 25}
    assert bob.transport.pull(after=1000)["bundles"] == []


def test_pull_pages_stay_near_one_megabyte(team: Team, alice: Device) -> None:
    def big(size: int):  # random hex does not compress much: ≈ size/2 bytes of ciphertext
        ops = [
            {
                "t": "attachments",
                "r": str(uuid.uuid4()),
                "c": "data",
                "v": secrets.token_bytes(size),
            }
        ]
        return seal_bundle(alice.plaintext(ops, 1), alice.epoch_keys[1], alice.keys)

    bundles = [big(400_000), big(400_000), big(400_000), big(1_500_000), big(10_000)]
    alice.transport.push(bundles[:3])
    alice.transport.push(bundles[3:])
    after, page_sizes = 0, []
    while True:
        page = alice.transport.pull(after=after)
        page_sizes.append([b["server_seq"] for b in page["bundles"]])
        size = sum(len(b["ciphertext"]) * 3 // 4 for b in page["bundles"])
        assert size <= PULL_PAGE_BYTES or len(page["bundles"]) == 1
        after = page["next"]
        if not page["more"]:
            break
    # Two 400 kB bundles fit a page, a third does not; the 1.5 MB bundle travels alone.
    assert page_sizes == [[1, 2], [3], [4], [5]]
