"""Device keys, fingerprints and sealed epoch keys (pure functions, no keyring).

Each device has an Ed25519 key (signs bundles, requests and sealed keys)
and an X25519 key (receives epoch keys in a SealedBox). The private halves
serialize to bytes so that the client can keep them in the OS keyring.

A SealedBox alone is anonymous: anyone holding a device's public key, the
server included, could seal a key of its own choosing to it. So the sealed
content names its team, epoch and recipient, and the sealing device signs
the sealed bytes; a recipient accepts a key only from a device it trusts.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgpack
from nacl.bindings import crypto_sign_BYTES, crypto_sign_open, crypto_sign_PUBLICKEYBYTES
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey

from sosku_desktop.sync.protocol import (
    MAX_SEALED_KEY_BYTES,
    PUBLIC_KEY_BYTES,
    ProtocolError,
    SealedKeyItem,
    TamperedKey,
    parse_sealed_key_item,
)

EPOCH_KEY_BYTES = 32
#: What a SealedBox adds: the ephemeral public key and the MAC.
_SEALED_BOX_OVERHEAD = 48
_KEYS_MAGIC = b"SDK1"
_FINGERPRINT_CONTEXT = b"sosku-device-fingerprint-v1"


@dataclass(frozen=True)
class DevicePublicKeys:
    """The public halves, as published on the team roster."""

    sign_pub: bytes
    box_pub: bytes

    def fingerprint(self) -> str:
        return fingerprint(self.sign_pub, self.box_pub)


class DeviceKeys:
    """A device's private key pair (Ed25519 signing + X25519 box)."""

    def __init__(self, signing_key: SigningKey, box_key: PrivateKey) -> None:
        self.signing_key = signing_key
        self.box_key = box_key

    @classmethod
    def generate(cls) -> DeviceKeys:
        return cls(SigningKey.generate(), PrivateKey.generate())

    def to_bytes(self) -> bytes:
        """68 bytes: a magic tag, the Ed25519 seed and the X25519 secret (keep secret)."""
        return _KEYS_MAGIC + bytes(self.signing_key) + bytes(self.box_key)

    @classmethod
    def from_bytes(cls, data: bytes) -> DeviceKeys:
        if len(data) != len(_KEYS_MAGIC) + 64 or not data.startswith(_KEYS_MAGIC):
            raise ValueError("not a serialized Sosku device key pair")
        body = data[len(_KEYS_MAGIC) :]
        return cls(SigningKey(body[:32]), PrivateKey(body[32:]))

    @property
    def public(self) -> DevicePublicKeys:
        return DevicePublicKeys(bytes(self.signing_key.verify_key), bytes(self.box_key.public_key))

    def fingerprint(self) -> str:
        return self.public.fingerprint()

    def sign(self, data: bytes) -> bytes:
        """A detached 64-byte Ed25519 signature."""
        return self.signing_key.sign(data).signature


def fingerprint(sign_pub: bytes, box_pub: bytes) -> str:
    """Eight groups of four hex digits that an administrator reads aloud to compare.

    64 bits of SHA-256 over both public keys: forging a device whose
    fingerprint matches a given one takes about 2**64 work.
    """
    if len(sign_pub) != PUBLIC_KEY_BYTES or len(box_pub) != PUBLIC_KEY_BYTES:
        raise ValueError("public keys must be 32 bytes each")
    digest = hashlib.sha256(_FINGERPRINT_CONTEXT + sign_pub + box_pub).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def verify(sign_pub: bytes, data: bytes, signature: bytes) -> bool:
    """True when ``signature`` is the device's Ed25519 signature of ``data``.

    libsodium's ``crypto_sign_open`` directly, without a ``VerifyKey`` per
    call: the relay checks every pushed bundle and each laptop every pulled
    one, and the object cost about a seventh of each check. The lengths are
    checked here because the binding passes the key to C unchecked.
    """
    if not (
        isinstance(sign_pub, bytes)
        and isinstance(data, bytes)
        and isinstance(signature, bytes)
        and len(sign_pub) == crypto_sign_PUBLICKEYBYTES
        and len(signature) == crypto_sign_BYTES
    ):
        return False
    try:
        crypto_sign_open(signature + data, sign_pub)
    except (BadSignatureError, ValueError, TypeError, CryptoError):
        return False
    return True


def new_epoch_key() -> bytes:
    """A fresh random team data key for one epoch."""
    return secrets.token_bytes(EPOCH_KEY_BYTES)


def seal_epoch_key(
    epoch_key: bytes,
    recipient_box_pub: bytes,
    *,
    team_id: str,
    epoch: int,
    device_id: str,
    proof: list[Any] | None = None,
) -> bytes:
    """SealedBox of the key together with what it is for (team, epoch, recipient).

    ``proof``: the team authority's newest signed statements (wire form),
    which tell the recipient that the authority signed this epoch even when
    the relay hides them (``key_item_proof``); older versions ignore it.
    """
    if len(epoch_key) != EPOCH_KEY_BYTES:
        raise ValueError("an epoch key is 32 bytes")
    fields: dict[str, Any] = {
        "v": 1,
        "team": team_id,
        "epoch": epoch,
        "device": device_id,
        "key": epoch_key,
    }
    packed = msgpack.packb(fields)
    if proof:
        with_proof = msgpack.packb({**fields, "proof": proof})
        if len(with_proof) + _SEALED_BOX_OVERHEAD <= MAX_SEALED_KEY_BYTES:
            packed = with_proof  # else the relay would refuse the item: sent without
    return SealedBox(PublicKey(recipient_box_pub)).encrypt(packed)


def open_sealed_epoch_key(
    sealed: bytes, recipient: DeviceKeys, *, team_id: str, epoch: int, device_id: str
) -> bytes:
    """Open a sealed key and check it was sealed for this team, epoch and device."""
    try:
        content = msgpack.unpackb(SealedBox(recipient.box_key).decrypt(sealed))
    except (CryptoError, ValueError, msgpack.UnpackException) as exc:
        raise TamperedKey("sealed epoch key cannot be opened") from exc
    expected = {"v": 1, "team": team_id, "epoch": epoch, "device": device_id}
    if not isinstance(content, dict) or any(content.get(k) != v for k, v in expected.items()):
        raise TamperedKey("sealed epoch key belongs to another team, epoch or device")
    key = content.get("key")
    if not isinstance(key, bytes) or len(key) != EPOCH_KEY_BYTES:
        raise TamperedKey("sealed epoch key has no valid key")
    return key


def make_key_item(
    epoch_key: bytes,
    *,
    team_id: str,
    epoch: int,
    recipient_device_id: str,
    recipient_box_pub: bytes,
    sealer: DeviceKeys,
    proof: list[Any] | None = None,
) -> dict[str, Any]:
    """One item for ``POST /v1/keys``: the key sealed to a device and signed by us."""
    sealed = seal_epoch_key(
        epoch_key,
        recipient_box_pub,
        team_id=team_id,
        epoch=epoch,
        device_id=recipient_device_id,
        proof=proof,
    )
    item = SealedKeyItem(epoch, recipient_device_id, sealed, b"")
    signature = sealer.sign(item.signed_bytes(team_id))
    return SealedKeyItem(epoch, recipient_device_id, sealed, signature).to_wire()


def open_key_item(
    wire: Any,
    *,
    team_id: str,
    device_id: str,
    keys: DeviceKeys,
    verify_key_for_device: Callable[[str], bytes | None],
) -> tuple[int, bytes]:
    """(epoch, key) from one ``GET /v1/keys`` item, after checking who sealed it.

    ``verify_key_for_device`` returns the Ed25519 public key of a device we
    trust (from the roster, whose fingerprints an administrator compared),
    or None.
    """
    try:
        item = parse_sealed_key_item(wire)
    except ProtocolError as exc:
        raise TamperedKey(f"malformed sealed key: {exc.message}") from exc
    if item.device_id != device_id or item.sealed_by is None:
        raise TamperedKey("sealed key is not addressed to this device")
    sign_pub = verify_key_for_device(item.sealed_by)
    if sign_pub is None:
        raise TamperedKey(f"sealed key comes from an unknown device {item.sealed_by}")
    if not verify(sign_pub, item.signed_bytes(team_id), item.signature):
        raise TamperedKey("sealed key signature does not verify")
    key = open_sealed_epoch_key(
        item.sealed, keys, team_id=team_id, epoch=item.epoch, device_id=device_id
    )
    return item.epoch, key


def key_item_proof(wire: Any, *, keys: DeviceKeys) -> list[Any]:
    """The authority statements a sealed key item carries inside (``[]``: none, or unopenable).

    Nothing here is trusted yet: the statements are checked against the
    pinned authority key by the caller (``trust.TrustBook.merge_proof``).
    """
    try:
        item = parse_sealed_key_item(wire)
        content = msgpack.unpackb(SealedBox(keys.box_key).decrypt(item.sealed))
    except (ProtocolError, CryptoError, ValueError, TypeError, msgpack.UnpackException):
        return []
    proof = content.get("proof") if isinstance(content, dict) else None
    return list(proof) if isinstance(proof, list) else []
