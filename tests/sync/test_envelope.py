"""Sealing and opening change bundles; every tampering is caught."""

from __future__ import annotations

import dataclasses
import secrets
import uuid
import zlib
from typing import Any

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_encrypt

from sosku_desktop.sync import crypto
from sosku_desktop.sync.envelope import (
    _pad,
    _unpad,
    bucket_size,
    decrypt_bundle,
    open_bundle,
    seal_bundle,
    unpack_bundle,
    validate_plaintext,
    verify_signature,
)
from sosku_desktop.sync.protocol import (
    MalformedBundle,
    ProtocolError,
    SealedBundle,
    TamperedBundle,
    UnknownEpoch,
    UnknownSigner,
    b64encode,
    check_uuid,
    parse_wire_bundle,
)

TEAM = "team-a"
ALICE, BOB = crypto.DeviceKeys.generate(), crypto.DeviceKeys.generate()
ROSTER = {"alice": ALICE.public.sign_pub, "bob": BOB.public.sign_pub}
KEY1, KEY2 = crypto.new_epoch_key(), crypto.new_epoch_key()
KEYS = {1: KEY1, 2: KEY2}


def plaintext(device: str = "alice", seq: int = 1, epoch: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "bundle_id": str(uuid.uuid4()),
        "device_id": device,
        "device_seq": seq,
        "hlc": f"{1_704_362_400_000:016d}-{seq % 100_000:05d}-{device}",
        "schema_version": 3,
        "team_id": TEAM,
        "epoch": epoch,
        "ops": [
            {"t": "clients", "r": "c1", "c": "name", "v": "Canary Kettunen", "b": None},
            {"t": "meetings", "r": "m1", "c": "notes", "v": "KANARIA-MUISTIINPANO"},
            {"t": "meetings", "r": "m2", "d": True},
        ],
        **extra,
    }


def open_(wire: Any, keys: dict[int, bytes] = KEYS, team: str = TEAM) -> dict[str, Any]:
    return open_bundle(wire, keys, ROSTER.get, team)


def test_round_trip_through_the_wire_form() -> None:
    pt = plaintext()
    sealed = seal_bundle(pt, KEY1, ALICE)
    wire = sealed.to_wire()
    assert parse_wire_bundle(wire) == sealed
    assert open_(wire) == pt
    assert open_(dict(wire, server_seq=42)) == pt  # extra members from a pull are ignored
    assert b"Canary" not in sealed.ciphertext and b"KANARIA" not in sealed.ciphertext
    assert seal_bundle(pt, KEY1, ALICE).nonce != sealed.nonce


def test_the_two_halves_of_opening_check_what_opening_checks() -> None:
    """The pull decrypts in one thread and unpacks in another: both halves together are
    ``open_bundle``; the signature and the AEAD are checked in the first."""
    pt = plaintext()
    wire = seal_bundle(pt, KEY1, ALICE).to_wire()
    assert unpack_bundle(*decrypt_bundle(wire, KEYS, ROSTER.get, TEAM)) == pt
    forged = dict(wire, ciphertext=b64encode(b"\x00" * 300))
    with pytest.raises(TamperedBundle, match="signature"):
        decrypt_bundle(forged, KEYS, ROSTER.get, TEAM)
    with pytest.raises(TamperedBundle, match="authentication"):
        decrypt_bundle(wire, {1: KEY2}, ROSTER.get, TEAM)  # signed, but not this key's
    with pytest.raises(UnknownEpoch):
        decrypt_bundle(wire, {2: KEY2}, ROSTER.get, TEAM)
    bundle, packed = decrypt_bundle(
        seal_bundle(plaintext(), KEY1, ALICE).to_wire(), KEYS, ROSTER.get, TEAM
    )
    with pytest.raises(TamperedBundle, match="header differs"):
        unpack_bundle(dataclasses.replace(bundle, device_seq=2), packed)


def test_server_side_signature_check_needs_no_key() -> None:
    sealed = seal_bundle(plaintext(), KEY1, ALICE.signing_key)
    assert verify_signature(sealed.to_wire(), ALICE.public.sign_pub) == sealed
    with pytest.raises(TamperedBundle):
        verify_signature(sealed.to_wire(), BOB.public.sign_pub)


@pytest.mark.parametrize(
    ("length", "bucket"),
    [
        (0, 256),
        (256, 256),
        (257, 512),
        (4000, 4096),
        (65536, 65536),
        (65537, 69632),
        (100_000, 102_400),
    ],
)
def test_bucket_sizes(length: int, bucket: int) -> None:
    assert bucket_size(length) == bucket


def test_lengths_are_padded_to_buckets() -> None:
    short, longer = plaintext(), plaintext()
    short["ops"] = [{"t": "clients", "r": "c1", "c": "name", "v": "Ari"}]
    longer["ops"] = [{"t": "clients", "r": "c1", "c": "name", "v": "Canary Kettunen"}]
    sizes = {len(seal_bundle(pt, KEY1, ALICE).ciphertext) for pt in (short, longer)}
    assert sizes == {256 + 16}  # one bucket (+ the 16-byte AEAD tag): the name length is hidden
    big = plaintext()
    big["ops"] = [
        {"t": "x", "r": secrets.token_hex(16), "c": "v", "v": secrets.token_hex(64)}
        for _ in range(500)
    ]
    sealed = seal_bundle(big, KEY1, ALICE)
    assert (len(sealed.ciphertext) - 16) % 4096 == 0
    assert open_(sealed.to_wire()) == big


@pytest.mark.parametrize("length", [0, 1, 251, 252, 253, 4000])
def test_padding_is_taken_off_only_when_every_padding_byte_is_zero(length: int) -> None:
    data = secrets.token_bytes(length)
    padded = _pad(data)
    assert _unpad(padded) == data
    tail = range(4 + length, len(padded))  # the padding bytes (none when the frame fills it)
    for index in {tail[0], tail[len(tail) // 2], tail[-1]} if tail else ():
        with pytest.raises(MalformedBundle, match="bad padding"):
            _unpad(padded[:index] + b"\x01" + padded[index + 1 :])
    with pytest.raises(MalformedBundle, match="bad padding"):
        _unpad((len(padded) - 3).to_bytes(4, "big") + padded[4:])  # longer than what is there


def _flip(data: bytes, index: int = 0) -> bytes:
    return data[:index] + bytes([data[index] ^ 1]) + data[index + 1 :]


@pytest.mark.parametrize(
    "change",
    [
        {"nonce": "flip"},
        {"ciphertext": "flip"},
        {"ciphertext": "flip-last"},
        {"signature": "flip"},
        {"team_id": "team-b"},
        {"epoch": 2},
        {"device_id": "bob"},
        {"device_seq": 7},
        {"hlc": f"{1_704_362_400_001:016d}-00001-alice"},
        {"bundle_id": str(uuid.uuid4())},
    ],
    ids=lambda c: next(iter(c)) + ("" if next(iter(c.values())) != "flip-last" else "-last"),
)
def test_any_change_on_the_wire_is_rejected(change: dict[str, Any]) -> None:
    wire = seal_bundle(plaintext(), KEY1, ALICE).to_wire()
    ((field, value),) = change.items()
    if value in ("flip", "flip-last"):
        raw = parse_wire_bundle(wire).__getattribute__(field)
        wire[field] = b64encode(_flip(raw, -1 if value == "flip-last" else 0))
    else:
        wire[field] = value
    team = "team-b" if field == "team_id" else TEAM
    with pytest.raises(TamperedBundle):
        open_(wire, team=team)
    with pytest.raises(TamperedBundle):
        verify_signature(wire, ALICE.public.sign_pub)


def _resign(bundle: SealedBundle, signer: crypto.DeviceKeys, **header: Any) -> SealedBundle:
    relabelled = dataclasses.replace(bundle, **header)
    return dataclasses.replace(relabelled, signature=signer.sign(relabelled.signed_bytes()))


@pytest.mark.parametrize(
    "header", [{}, {"epoch": 2}, {"device_seq": 2}, {"bundle_id": str(uuid.uuid4())}]
)
def test_relabelled_and_resigned_bundle_fails_the_aead(header: dict[str, Any]) -> None:
    """Bob takes Alice's ciphertext, changes the header and signs it himself."""
    original = seal_bundle(plaintext(), KEY1, ALICE)
    forged = _resign(original, BOB, device_id="bob", **header)
    verify_signature(forged, BOB.public.sign_pub)  # the signature is Bob's and valid …
    keys = {1: KEY1, 2: KEY1}  # … even when the epoch-2 key happens to be the same key
    with pytest.raises(TamperedBundle, match="authentication failed"):
        open_(forged.to_wire(), keys=keys)


def test_inner_header_must_match_the_outer_one() -> None:
    """A key holder who encrypts Alice's plaintext under Bob's header is still caught."""
    inner = plaintext(device="alice")
    outer = SealedBundle(
        1,
        TEAM,
        1,
        "bob",
        1,
        inner["hlc"].replace("alice", "bob"),
        inner["bundle_id"],
        secrets.token_bytes(24),
        b"",
        b"",
    )
    packed = _pad(zlib.compress(msgpack.packb(["SOSKU-PLAINTEXT", 1, inner])))
    ciphertext = crypto_aead_xchacha20poly1305_ietf_encrypt(
        packed, outer.header_bytes(), outer.nonce, KEY1
    )
    forged = _resign(dataclasses.replace(outer, ciphertext=ciphertext), BOB)
    with pytest.raises(TamperedBundle, match="header differs"):
        open_(forged.to_wire())


def test_unknown_signer_and_unknown_epoch_are_told_apart() -> None:
    wire = seal_bundle(plaintext(), KEY1, ALICE).to_wire()
    with pytest.raises(UnknownSigner):
        open_bundle(wire, KEYS, {}.get, TEAM)
    with pytest.raises(UnknownEpoch):
        open_(wire, keys={2: KEY2})
    with pytest.raises(TamperedBundle, match="authentication"):
        open_(wire, keys={1: KEY2})
    with pytest.raises(TamperedBundle, match="another team"):
        open_(wire, team="team-b")


@pytest.mark.parametrize(
    "bad",
    [
        None,
        [],
        {"ops": None},
        {"ops": "x"},
        {"ops": [1]},
        {"ops": [{"t": "x"}]},
        {"ops": [{"t": "x", "r": "1"}]},
        {"ops": [{"t": "x", "r": "1", "d": False}]},
        {"ops": [{"t": "", "r": "1", "c": "a", "v": 1}]},
        {"hlc": "yesterday"},
        {"epoch": 0},
        {"epoch": True},
        {"device_seq": 0},
        {"bundle_id": "not-a-uuid"},
        {"team_id": "has space"},
        {"schema_version": "1"},
    ],
)
def test_malformed_plaintext_is_refused_before_sealing(bad: Any) -> None:
    pt = bad if not isinstance(bad, dict) else {**plaintext(), **bad}
    with pytest.raises(MalformedBundle):
        validate_plaintext(pt)
    with pytest.raises(MalformedBundle):
        seal_bundle(pt, KEY1, ALICE)


def test_unencodable_values_are_refused() -> None:
    pt = plaintext()
    pt["ops"][0]["v"] = object()
    with pytest.raises(MalformedBundle, match="cannot be encoded"):
        seal_bundle(pt, KEY1, ALICE)


def test_malformed_wire_bundles_are_tampered() -> None:
    wire = seal_bundle(plaintext(), KEY1, ALICE).to_wire()
    for broken in (
        {**wire, "nonce": "!!"},
        {**wire, "v": 3},
        {**wire, "hlc": "0001704362400000-00000-alice"},  # no clear clock since envelope 2
        {**wire, "v": 1},  # envelope 1 needs its clear clock
        "bundle",
    ):
        with pytest.raises(MalformedBundle):
            open_(broken)


values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.binary(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
ops = st.lists(
    st.builds(
        lambda t, r, c, v: {"t": t, "r": r, "c": c, "v": v},
        st.text(min_size=1, max_size=12),
        st.text(min_size=1, max_size=36),
        st.text(min_size=1, max_size=12),
        values,
    )
    | st.builds(
        lambda t, r: {"t": t, "r": r, "d": True},
        st.text(min_size=1, max_size=12),
        st.text(min_size=1, max_size=36),
    ),
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(ops=ops, seq=st.integers(1, 2**40))
def test_any_valid_bundle_round_trips(ops: list[dict[str, Any]], seq: int) -> None:
    pt = plaintext(seq=seq)
    pt["ops"] = ops
    assert open_(seal_bundle(pt, KEY1, ALICE).to_wire()) == pt


def test_the_clock_is_not_in_the_clear_header_and_envelope_1_still_opens() -> None:
    """Envelope 2 keeps the HLC inside; bundles sealed before (envelope 1) stay readable."""
    pt = plaintext()
    current = seal_bundle(pt, KEY1, ALICE)
    assert current.version == 2 and "hlc" not in current.to_wire()
    assert pt["hlc"].encode() not in current.header_bytes()
    assert open_(current.to_wire()) == pt
    old = seal_bundle(pt, KEY1, ALICE, version=1)
    assert old.to_wire()["hlc"] == pt["hlc"]
    assert open_(old.to_wire()) == pt


def _canonical_uuid(value: str) -> bool:
    """The definition ``check_uuid`` keeps: what ``uuid.UUID`` reads and writes back unchanged."""
    try:
        return len(value) == 36 and str(uuid.UUID(value)) == value
    except ValueError:
        return False


_uuid_like = (
    st.uuids()
    .map(str)
    .flatmap(
        lambda text: st.one_of(
            st.just(text),
            st.just(text.upper()),
            st.just("{" + text[1:-1] + "}"),
            st.just(text.replace("-", "")),
            st.just(text + "\n"),
            st.integers(0, 35).flatmap(
                lambda i: st.sampled_from("0aAgZ-{} \n").map(lambda c: text[:i] + c + text[i + 1 :])
            ),
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_uuid_like, st.text(max_size=40)))
def test_bundle_ids_are_exactly_the_canonical_uuids(value: str) -> None:
    if _canonical_uuid(value):
        assert check_uuid(value, "bundle_id") == value
    else:
        with pytest.raises(ProtocolError):
            check_uuid(value, "bundle_id")
