"""Seal and open change bundles: msgpack → zlib → pad → XChaCha20-Poly1305 → Ed25519.

The header (version, team, epoch, device, device_seq, bundle_id) stays
readable so the server can order and check bundles without the key. It is
the AEAD's associated data *and* repeated inside the plaintext, so a relay
that re-labels a ciphertext (another team, epoch, device or position) is
caught by the AEAD tag and again by the inner comparison. The device's
signature over header + nonce + ciphertext lets the server refuse forged
bundles without decrypting anything. Lengths are padded to buckets so that
the size of a bundle says little about what changed.
"""

from __future__ import annotations

import hashlib
import secrets
import struct
import zlib
from collections.abc import Callable, Mapping
from typing import Any

import msgpack
from nacl.bindings import (
    crypto_aead_xchacha20poly1305_ietf_decrypt,
    crypto_aead_xchacha20poly1305_ietf_encrypt,
)
from nacl.exceptions import CryptoError
from nacl.signing import SigningKey

from sosku_desktop.sync import crypto
from sosku_desktop.sync.protocol import (
    ENVELOPE_VERSION,
    ENVELOPE_VERSIONS,
    MAX_CIPHERTEXT_BYTES,
    NONCE_BYTES,
    MalformedBundle,
    ProtocolError,
    SealedBundle,
    TamperedBundle,
    UnknownEpoch,
    UnknownSigner,
    bundle_signing_bytes,
    check_hlc,
    check_id,
    check_int,
    check_uuid,
    header_bytes,
    parse_wire_bundle,
)

__all__ = [
    "SealedBundle",
    "bucket_size",
    "decrypt_bundle",
    "open_bundle",
    "seal_bundle",
    "unpack_bundle",
    "validate_plaintext",
    "verify_signature",
]

#: Header fields that must also appear, equal, inside the plaintext (``hlc``: envelope 1).
HEADER_FIELDS = ("bundle_id", "team_id", "epoch", "device_id", "device_seq", "hlc")


def _header_fields(version: int) -> tuple[str, ...]:
    return HEADER_FIELDS if version == 1 else HEADER_FIELDS[:-1]


_PLAINTEXT_TAG = "SOSKU-PLAINTEXT"
#: A bundle never inflates beyond this (guards against a decompression bomb).
MAX_PLAINTEXT_BYTES = 64 * 1024 * 1024
_NONCE_KEY_PERSON = b"sosku-nonce-key"
_MIN_BUCKET = 256
_POW2_LIMIT = 64 * 1024
_STEP = 4 * 1024


def bucket_size(length: int) -> int:
    """Padded size: powers of two from 256 B to 64 KiB, then 4 KiB steps."""
    if length <= _MIN_BUCKET:
        return _MIN_BUCKET
    if length <= _POW2_LIMIT:
        return 1 << (length - 1).bit_length()
    return -(-length // _STEP) * _STEP


def _pad(data: bytes) -> bytes:
    framed = struct.pack(">I", len(data)) + data
    return framed + b"\x00" * (bucket_size(len(framed)) - len(framed))


def _unpad(padded: bytes) -> bytes:
    if len(padded) < 4:
        raise MalformedBundle("padded plaintext too short")
    (length,) = struct.unpack(">I", padded[:4])
    # Every padding byte zero, counted in C (``any`` over the bytes went one by one).
    if length > len(padded) - 4 or padded.count(0, 4 + length) != len(padded) - 4 - length:
        raise MalformedBundle("bad padding")
    return padded[4 : 4 + length]


def _check_op(op: Any) -> None:
    if not isinstance(op, dict):
        raise MalformedBundle("an op must be a map")
    table, row = op.get("t"), op.get("r")
    if not isinstance(table, str) or not table or not isinstance(row, str) or not row:
        raise MalformedBundle("an op needs a table 't' and a row id 'r'")
    if "d" in op:
        if op["d"] is not True:
            raise MalformedBundle("a delete op has 'd': true")
        return
    if not isinstance(op.get("c"), str) or not op["c"] or "v" not in op:
        raise MalformedBundle("a column op needs 'c' and 'v'")


def validate_plaintext(plaintext: Any) -> None:
    """Check a bundle plaintext's shape; raises MalformedBundle."""
    if not isinstance(plaintext, dict):
        raise MalformedBundle("bundle plaintext must be a map")
    try:
        check_uuid(plaintext.get("bundle_id"), "bundle_id")
        check_id(plaintext.get("team_id"), "team_id")
        check_id(plaintext.get("device_id"), "device_id")
        check_int(plaintext.get("epoch"), "epoch", 1)
        check_int(plaintext.get("device_seq"), "device_seq", 1)
        check_int(plaintext.get("schema_version"), "schema_version", 0)
        check_hlc(plaintext.get("hlc"))
    except ProtocolError as exc:
        raise MalformedBundle(exc.message) from None
    ops = plaintext.get("ops")
    if not isinstance(ops, list):
        raise MalformedBundle("ops must be a list")
    _check_ops(ops)


def _check_ops(ops: list[Any]) -> None:
    """``_check_op`` for each op, with the common well-formed op checked inline.

    A page opens some 100,000 ops; a call per op was most of the shape
    check's time. An op the inline test does not plainly accept goes
    through ``_check_op``, which refuses it or accepts it exactly as before.
    """
    for op in ops:
        if type(op) is dict:
            table, row = op.get("t"), op.get("r")
            if type(table) is str and table and type(row) is str and row:
                if "d" in op:
                    if op["d"] is True:
                        continue
                else:
                    column = op.get("c")
                    if type(column) is str and column and "v" in op:
                        continue
        _check_op(op)


def _signing_key(key: crypto.DeviceKeys | SigningKey) -> SigningKey:
    return key.signing_key if isinstance(key, crypto.DeviceKeys) else key


def _synthetic_nonce(epoch_key: bytes, header: bytes, padded: bytes) -> bytes:
    """A nonce that is a keyed hash of everything sealed (SIV style).

    Sealing the same bundle under the same epoch key twice then yields the
    same bytes and the same (deterministic Ed25519) signature, so a client
    that lost the server's answer can resend an outbox bundle and get its
    original ``server_seq`` back instead of ``bundle_conflict``. A nonce only
    repeats for an identical header and plaintext, i.e. an identical bundle.
    """
    nonce_key = hashlib.blake2b(
        b"", key=epoch_key, person=_NONCE_KEY_PERSON, digest_size=32
    ).digest()
    digest = hashlib.blake2b(key=nonce_key, digest_size=NONCE_BYTES)
    digest.update(struct.pack(">I", len(header)))
    digest.update(header)
    digest.update(padded)
    return digest.digest()


def seal_bundle(
    plaintext: dict[str, Any],
    epoch_key: bytes,
    signing_key: crypto.DeviceKeys | SigningKey,
    *,
    version: int = ENVELOPE_VERSION,
    deterministic: bool = False,
) -> SealedBundle:
    """Encrypt and sign one bundle; the header is taken from the plaintext itself.

    ``deterministic`` derives the nonce from the key and content instead of
    drawing it at random (see ``_synthetic_nonce``); the sync client uses it
    so that resending an unacknowledged bundle is byte-for-byte idempotent.
    """
    validate_plaintext(plaintext)
    if version not in ENVELOPE_VERSIONS:
        raise MalformedBundle(f"unsupported envelope version {version}")
    try:
        packed = msgpack.packb([_PLAINTEXT_TAG, version, plaintext])
    except (TypeError, ValueError, OverflowError) as exc:
        raise MalformedBundle(f"bundle holds a value that cannot be encoded: {exc}") from None
    padded = _pad(zlib.compress(packed, 6))
    fields = {name: plaintext[name] for name in HEADER_FIELDS}
    if version != 1:
        fields["hlc"] = ""  # not in the clear header since envelope 2
    # The header is packed once: the nonce, the AEAD and the signature all cover it.
    header = header_bytes(version, **fields)
    if deterministic:
        nonce = _synthetic_nonce(epoch_key, header, padded)
    else:
        nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = crypto_aead_xchacha20poly1305_ietf_encrypt(padded, header, nonce, epoch_key)
    if len(ciphertext) > MAX_CIPHERTEXT_BYTES:
        raise MalformedBundle("bundle too large; split the change into smaller bundles")
    signed = bundle_signing_bytes(header, nonce, ciphertext)
    signature = _signing_key(signing_key).sign(signed).signature
    return SealedBundle(
        version=version, nonce=nonce, ciphertext=ciphertext, signature=signature, **fields
    )


def _parse(wire: Mapping[str, Any] | SealedBundle) -> SealedBundle:
    if isinstance(wire, SealedBundle):
        return wire
    try:
        return parse_wire_bundle(wire)
    except ProtocolError as exc:
        raise MalformedBundle(exc.message) from None


def verify_signature(
    wire: Mapping[str, Any] | SealedBundle, device_verify_key: bytes
) -> SealedBundle:
    """Check the device's signature without decrypting (what the server does)."""
    bundle = _parse(wire)
    _verify(bundle, bundle.header_bytes(), device_verify_key)
    return bundle


def _verify(bundle: SealedBundle, header: bytes, device_verify_key: bytes) -> None:
    signed = bundle_signing_bytes(header, bundle.nonce, bundle.ciphertext)
    if not crypto.verify(device_verify_key, signed, bundle.signature):
        raise TamperedBundle(f"bundle {bundle.bundle_id}: signature does not verify")


def _decrypt(bundle: SealedBundle, header: bytes, key: bytes) -> bytes:
    try:
        return crypto_aead_xchacha20poly1305_ietf_decrypt(
            bundle.ciphertext, header, bundle.nonce, key
        )
    except (CryptoError, ValueError, TypeError):
        raise TamperedBundle(f"bundle {bundle.bundle_id}: authentication failed") from None


def _inflate(compressed: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(compressed, MAX_PLAINTEXT_BYTES)
    except zlib.error:
        raise MalformedBundle("bundle does not decompress") from None
    if inflater.unconsumed_tail or not inflater.eof:
        raise MalformedBundle("bundle too large or truncated")
    return data


def open_bundle(
    wire: Mapping[str, Any] | SealedBundle,
    epoch_keys: Mapping[int, bytes],
    verify_key_for_device: Callable[[str], bytes | None],
    expected_team: str,
) -> dict[str, Any]:
    """Verify, decrypt and check one bundle; returns its plaintext dict.

    Raises a TamperedBundle subclass on any problem: UnknownSigner (refresh
    the roster), UnknownEpoch (fetch keys), MalformedBundle, or
    TamperedBundle itself for signature, AEAD or header mismatches.
    """
    return unpack_bundle(*decrypt_bundle(wire, epoch_keys, verify_key_for_device, expected_team))


def decrypt_bundle(
    wire: Mapping[str, Any] | SealedBundle,
    epoch_keys: Mapping[int, bytes],
    verify_key_for_device: Callable[[str], bytes | None],
    expected_team: str,
) -> tuple[SealedBundle, bytes]:
    """The first half of ``open_bundle``: shape, team, signature, AEAD, padding, inflating.

    Mostly C work that runs outside the GIL (the pull runs it in a thread
    of its own); ``unpack_bundle`` does the rest. Raises what
    ``open_bundle`` raises for these checks, in the same order.
    """
    bundle = _parse(wire)
    if bundle.team_id != expected_team:
        raise TamperedBundle(f"bundle {bundle.bundle_id} belongs to another team")
    sign_pub = verify_key_for_device(bundle.device_id)
    if sign_pub is None:
        raise UnknownSigner(f"bundle {bundle.bundle_id}: unknown device {bundle.device_id}")
    header = bundle.header_bytes()  # packed once: the signature and the AEAD both cover it
    _verify(bundle, header, sign_pub)
    key = epoch_keys.get(bundle.epoch)
    if key is None:
        raise UnknownEpoch(f"bundle {bundle.bundle_id}: no key for epoch {bundle.epoch}")
    return bundle, _inflate(_unpad(_decrypt(bundle, header, key)))


def unpack_bundle(bundle: SealedBundle, packed: bytes) -> dict[str, Any]:
    """The second half of ``open_bundle``: the plaintext's layout, shape and header fields.

    ``packed`` must come from ``decrypt_bundle`` of this ``bundle``.
    """
    try:
        outer = msgpack.unpackb(packed)
    except (ValueError, TypeError, msgpack.UnpackException):
        raise MalformedBundle("bundle plaintext is not msgpack") from None
    if not isinstance(outer, list) or len(outer) != 3 or outer[0] != _PLAINTEXT_TAG:
        raise MalformedBundle("bundle plaintext has an unknown layout")
    _, version, plaintext = outer
    validate_plaintext(plaintext)
    assert isinstance(plaintext, dict)  # validate_plaintext refuses anything else
    if version != bundle.version or any(
        plaintext[name] != getattr(bundle, name) for name in _header_fields(version)
    ):
        raise TamperedBundle(f"bundle {bundle.bundle_id}: header differs from its content")
    return plaintext
