"""The sync wire contract shared by the client and the server.

Everything both sides must agree on byte for byte lives here: limits,
header names, error codes, the exact bytes that are signed, and strict
parsers for the wire shapes. It imports nothing of ours, so the server can
use it without pulling in the store or the UI.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import uuid
from dataclasses import dataclass
from typing import Any

import msgpack

#: Version of the HTTP API (the ``/v1`` prefix).
API_VERSION = 1
API_PREFIX = "/v1"
#: Version of the bundle envelope; part of the signed and authenticated header.
#: Version 2 keeps the clock (HLC) inside the encryption; the relay never needs it.
ENVELOPE_VERSION = 2
#: Versions still opened (1: bundles sealed before version 2, with the HLC in clear).
ENVELOPE_VERSIONS = (1, 2)

# --- limits -------------------------------------------------------------------------

#: Largest request body the server reads; larger ones get 413 before being read.
MAX_BODY_BYTES = 8 * 1024 * 1024
#: Most bundles in one push.
MAX_PUSH_BUNDLES = 500
#: Largest ciphertext of one bundle (bytes, before base64).
MAX_CIPHERTEXT_BYTES = 4 * 1024 * 1024
#: A pull page stops adding bundles once this many ciphertext bytes are in it.
PULL_PAGE_BYTES = 1024 * 1024
DEFAULT_PULL_LIMIT = 200
MAX_PULL_LIMIT = 1000
#: Requests whose timestamp is further than this from the server's clock are refused.
MAX_CLOCK_SKEW_S = 300
#: Most sealed keys in one upload.
MAX_KEY_ITEMS = 1000
MAX_NAME_CHARS = 100

# --- HTTP headers -------------------------------------------------------------------

H_TEAM = "X-Sosku-Team"
H_DEVICE = "X-Sosku-Device"
H_TIMESTAMP = "X-Sosku-Timestamp"
H_SIGNATURE = "X-Sosku-Signature"
#: Hex SHA-256 of the body, covered by the signature. Sending it lets the
#: relay check who is calling before it reads a single byte of the body.
H_CONTENT_SHA256 = "X-Sosku-Content-SHA256"
#: The app version a client runs (sent on every call), and the versions the
#: relay's administrator publishes (on every answer; absent when not set).
H_CLIENT_VERSION = "X-Sosku-Client-Version"
H_NEWEST_VERSION = "X-Sosku-Newest-Version"
H_OLDEST_VERSION = "X-Sosku-Oldest-Version"

# --- device status ------------------------------------------------------------------

PENDING = "pending"
ACTIVE = "active"
REVOKED = "revoked"
DEVICE_STATUSES = (PENDING, ACTIVE, REVOKED)

# --- error codes (the "error" field of every 4xx/5xx JSON body) ---------------------

E_BAD_JSON = "bad_json"  # 400: not UTF-8 JSON
E_INVALID = "invalid_request"  # 422: JSON of the wrong shape or type
E_TOO_LARGE = "body_too_large"  # 413
E_UNAUTHENTICATED = "unauthenticated"  # 401: missing/bad headers or signature
E_STALE_TIMESTAMP = "stale_timestamp"  # 401: clock too far off; body has server_time
E_UNKNOWN_DEVICE = "unknown_device"  # 401: team or device not on the roster
E_BAD_JOIN_CODE = "invalid_join_code"  # 401
E_DEVICE_REVOKED = "device_revoked"  # 403
E_DEVICE_PENDING = "device_pending"  # 403: not approved yet
E_FORBIDDEN = "forbidden"  # 403
E_NOT_FOUND = "not_found"  # 404
E_METHOD = "method_not_allowed"  # 405
E_EPOCH_STALE = "epoch_stale"  # 409: a newer epoch exists; fetch keys, re-encrypt
E_ROTATION_NEEDED = "rotation_needed"  # 409: a device was revoked; make epoch+1 first
E_NO_EPOCH = "no_epoch"  # 409: the team has no epoch yet; make epoch 1 first
E_BUNDLE_CONFLICT = "bundle_conflict"  # 409: bundle_id or device_seq used by another bundle
E_DEVICE_SEQ_GAP = "device_seq_gap"  # 409: body has "expected"
E_DEVICE_EXISTS = "device_exists"  # 409: device id taken by other keys
E_BAD_SIGNATURE = "bad_bundle_signature"  # 422: a bundle's signature does not verify
E_INTERNAL = "internal"  # 500
E_UNAVAILABLE = "unavailable"  # 503: the database cannot be reached
E_THROTTLED = "too_many_attempts"  # 429: too many wrong join codes; body has "retry_after"
E_TIMEOUT = "request_timeout"  # 408: the request did not arrive in time
E_CLIENT_TOO_OLD = "client_too_old"  # 426: update the app; body has "oldest_version"
E_COMPACTED = "history_compacted"  # 410: bundles after the cursor were pruned ("pruned_upto")
E_SNAPSHOT_CONFLICT = "snapshot_conflict"  # 409: a snapshot part already holds other content


# --- errors -------------------------------------------------------------------------


class SyncError(Exception):
    """Base of every sync failure the client may show or handle."""


class ProtocolError(SyncError):
    """A wire value has the wrong shape; ``code`` is a protocol error code."""

    def __init__(self, message: str, code: str = E_INVALID) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class TamperedBundle(SyncError):
    """A bundle failed a signature, AEAD or header check: never apply it."""


class MalformedBundle(TamperedBundle):
    """A bundle (or its plaintext) does not have the protocol's shape."""


class UnknownSigner(TamperedBundle):
    """The signing device is not on the roster we know; refresh the roster and retry."""


class UnknownEpoch(TamperedBundle):
    """We hold no key for the bundle's epoch; fetch sealed keys and retry."""


class TamperedSnapshot(SyncError):
    """A snapshot failed a signature, AEAD, binding or authority check: never load it."""


class TamperedKey(SyncError):
    """A sealed epoch key failed its signature or its binding to team/epoch/device."""


# --- value checks -------------------------------------------------------------------

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
#: ``<ms>-<counter>-<device>``: zero-padded so that string order is clock order.
CANONICAL_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
HLC_RE = re.compile(r"^([0-9]{13,16})-([0-9]{5})-([A-Za-z0-9_.:-]{1,64})$")
MAX_INT = 2**53  # stays exact in every JSON reader


def check_id(value: Any, field: str) -> str:
    """A team or device id: short, printable, no separators that break logs."""
    if not isinstance(value, str) or not ID_RE.match(value):
        raise ProtocolError(f"{field} must be an id of 1-64 letters, digits or _.:-")
    return value


def check_uuid(value: Any, field: str) -> str:
    """A canonical lower-case UUID string (bundle ids).

    The pattern accepts exactly the strings ``str(uuid.UUID(value))`` gives
    back unchanged (the relay checks one per pushed bundle); anything else
    takes the slow path for its precise refusal.
    """
    if isinstance(value, str) and CANONICAL_UUID_RE.fullmatch(value):
        return value
    if not isinstance(value, str) or len(value) != 36:
        raise ProtocolError(f"{field} must be a UUID string")
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        raise ProtocolError(f"{field} must be a UUID string") from None
    if str(parsed) != value:
        raise ProtocolError(f"{field} must be a lower-case hyphenated UUID")
    return value


def check_int(value: Any, field: str, low: int = 0, high: int = MAX_INT) -> int:
    """An integer in range; JSON booleans are not integers here."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ProtocolError(f"{field} must be an integer in {low}..{high}")
    return value


def check_text(value: Any, field: str, max_chars: int = MAX_NAME_CHARS) -> str:
    """A short human-readable text (device names): no control characters."""
    if not isinstance(value, str) or not 1 <= len(value) <= max_chars:
        raise ProtocolError(f"{field} must be a text of 1-{max_chars} characters")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value) or not value.strip():
        raise ProtocolError(f"{field} must be printable text")
    return value


def check_hlc(value: Any, field: str = "hlc") -> str:
    """A hybrid-logical-clock string in the sortable ``ms-counter-device`` form."""
    if not isinstance(value, str) or not HLC_RE.match(value):
        raise ProtocolError(f"{field} must look like <ms>-<counter>-<device>")
    return value


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode(value: Any, field: str, size: int | None = None, max_size: int = MAX_INT) -> bytes:
    """Strict standard base64; ``size`` pins an exact length (keys, nonces)."""
    if not isinstance(value, str) or not value.isascii():
        raise ProtocolError(f"{field} must be a base64 string")
    if len(value) > (max_size + 2) // 3 * 4:
        raise ProtocolError(f"{field} is too long")
    try:
        data = binascii.a2b_base64(value, strict_mode=True)
    except (binascii.Error, ValueError):
        raise ProtocolError(f"{field} is not valid base64") from None
    if size is not None and len(data) != size:
        raise ProtocolError(f"{field} must be {size} bytes")
    if len(data) > max_size:
        raise ProtocolError(f"{field} is too long")
    return data


def require(obj: Any, field: str) -> Any:
    """A required member of a JSON object."""
    if not isinstance(obj, dict):
        raise ProtocolError("expected a JSON object")
    if field not in obj:
        raise ProtocolError(f"{field} is required")
    return obj[field]


# --- exact bytes that get signed ----------------------------------------------------


def request_signing_bytes(
    method: str, path: str, query: str, team_id: str, device_id: str, timestamp: str, body: bytes
) -> bytes:
    """What a device signs for one HTTP request (Ed25519, header X-Sosku-Signature).

    Team and device are included so that a captured signature cannot be
    replayed under another identity; the body enters as its SHA-256.
    """
    return signing_bytes_for_digest(
        method, path, query, team_id, device_id, timestamp, content_sha256(body)
    )


def version_tuple(text: str) -> tuple[int, ...]:
    """``"1.4.2"`` → ``(1, 4, 2)`` for comparing app versions (ValueError otherwise)."""
    parts = text.strip().split(".")
    if not 1 <= len(parts) <= 4 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError(f"not a version like 1.4.2: {text[:20]!r}")
    return tuple(int(p) for p in parts)


def content_sha256(body: bytes) -> str:
    """The value of the ``X-Sosku-Content-SHA256`` header for ``body``."""
    return hashlib.sha256(body).hexdigest()


def signing_bytes_for_digest(
    method: str, path: str, query: str, team_id: str, device_id: str, timestamp: str, digest: str
) -> bytes:
    """``request_signing_bytes`` from the body's hex SHA-256 instead of the body.

    The relay verifies the signature with the digest from the header before
    reading the body, then checks that the body it reads has that digest.
    """
    lines = ["SOSKU-REQUEST-V1", method.upper(), path, query, team_id, device_id, timestamp]
    return "\n".join([*lines, digest]).encode("utf-8")


def sealed_key_signing_bytes(team_id: str, epoch: int, device_id: str, sealed: bytes) -> bytes:
    """What the sealing device signs for one sealed epoch key."""
    return bytes(msgpack.packb(["SOSKU-SEALED-KEY-V1", team_id, epoch, device_id, sealed]))


SIGNATURE_BYTES = 64
NONCE_BYTES = 24
PUBLIC_KEY_BYTES = 32


@dataclass(frozen=True)
class SealedBundle:
    """One encrypted, signed bundle as it travels: the header is readable, the rest is not."""

    version: int
    team_id: str
    epoch: int
    device_id: str
    device_seq: int
    hlc: str
    bundle_id: str
    nonce: bytes
    ciphertext: bytes
    signature: bytes

    def header_bytes(self) -> bytes:
        """Canonical header: the AEAD associated data and the start of the signed bytes."""
        return header_bytes(
            self.version,
            self.team_id,
            self.epoch,
            self.device_id,
            self.device_seq,
            self.hlc,
            self.bundle_id,
        )

    def signed_bytes(self) -> bytes:
        return bundle_signing_bytes(self.header_bytes(), self.nonce, self.ciphertext)

    def to_wire(self) -> dict[str, Any]:
        """The JSON-able form sent to and served by the server (``hlc`` in envelope 1 only)."""
        wire: dict[str, Any] = {
            "v": self.version,
            "bundle_id": self.bundle_id,
            "team_id": self.team_id,
            "epoch": self.epoch,
            "device_id": self.device_id,
            "device_seq": self.device_seq,
            "nonce": b64encode(self.nonce),
            "ciphertext": b64encode(self.ciphertext),
            "signature": b64encode(self.signature),
        }
        if self.version == 1:
            wire["hlc"] = self.hlc
        return wire


def header_bytes(
    version: int,
    team_id: str,
    epoch: int,
    device_id: str,
    device_seq: int,
    hlc: str,
    bundle_id: str,
) -> bytes:
    """msgpack of the header fields in a fixed order (unambiguous, deterministic).

    Envelope 1 had the HLC here; from 2 on it is only inside the encryption.
    """
    if version == 1:
        return bytes(
            msgpack.packb(
                ["SOSKU-BUNDLE", version, team_id, epoch, device_id, device_seq, hlc, bundle_id]
            )
        )
    return bytes(
        msgpack.packb(["SOSKU-BUNDLE", version, team_id, epoch, device_id, device_seq, bundle_id])
    )


def bundle_signing_bytes(header: bytes, nonce: bytes, ciphertext: bytes) -> bytes:
    """Header (self-delimiting msgpack) + fixed-size nonce + ciphertext."""
    return header + nonce + ciphertext


def parse_wire_bundle(obj: Any) -> SealedBundle:
    """Check a wire bundle's shape and types (not its signature) and decode it.

    Unknown extra members (such as ``server_seq`` on pulled bundles) are
    ignored: only the fields below are signed, so only they count.
    """
    if not isinstance(obj, dict):
        raise ProtocolError("a bundle must be a JSON object")
    version = check_int(require(obj, "v"), "v", 1, 1_000)
    if version not in ENVELOPE_VERSIONS:
        raise ProtocolError(f"unsupported envelope version {version}")
    if version == 1:
        hlc = check_hlc(require(obj, "hlc"))
    elif "hlc" in obj:
        raise ProtocolError("the clock travels inside the encryption since envelope 2")
    else:
        hlc = ""
    return SealedBundle(
        version=version,
        team_id=check_id(require(obj, "team_id"), "team_id"),
        epoch=check_int(require(obj, "epoch"), "epoch", 1),
        device_id=check_id(require(obj, "device_id"), "device_id"),
        device_seq=check_int(require(obj, "device_seq"), "device_seq", 1),
        hlc=hlc,
        bundle_id=check_uuid(require(obj, "bundle_id"), "bundle_id"),
        nonce=b64decode(require(obj, "nonce"), "nonce", size=NONCE_BYTES),
        ciphertext=b64decode(
            require(obj, "ciphertext"), "ciphertext", max_size=MAX_CIPHERTEXT_BYTES
        ),
        signature=b64decode(require(obj, "signature"), "signature", size=SIGNATURE_BYTES),
    )


@dataclass(frozen=True)
class SealedKeyItem:
    """One epoch key sealed to one device, signed by the device that sealed it."""

    epoch: int
    device_id: str
    sealed: bytes
    signature: bytes
    sealed_by: str | None = None

    def signed_bytes(self, team_id: str) -> bytes:
        return sealed_key_signing_bytes(team_id, self.epoch, self.device_id, self.sealed)

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {
            "epoch": self.epoch,
            "device_id": self.device_id,
            "sealed": b64encode(self.sealed),
            "signature": b64encode(self.signature),
        }
        if self.sealed_by is not None:
            wire["sealed_by"] = self.sealed_by
        return wire


#: A SealedBox of a small msgpack map: 48 bytes of box overhead plus ≈ 100 of content.
MAX_SEALED_KEY_BYTES = 512


def parse_sealed_key_item(obj: Any) -> SealedKeyItem:
    """Check one ``{epoch, device_id, sealed, signature[, sealed_by]}`` item."""
    if not isinstance(obj, dict):
        raise ProtocolError("a key item must be a JSON object")
    sealed_by = obj.get("sealed_by")
    return SealedKeyItem(
        epoch=check_int(require(obj, "epoch"), "epoch", 1),
        device_id=check_id(require(obj, "device_id"), "device_id"),
        sealed=b64decode(require(obj, "sealed"), "sealed", max_size=MAX_SEALED_KEY_BYTES),
        signature=b64decode(require(obj, "signature"), "signature", size=SIGNATURE_BYTES),
        sealed_by=None if sealed_by is None else check_id(sealed_by, "sealed_by"),
    )


# --- snapshots ------------------------------------------------------------------------

SNAPSHOT_VERSION = 1
#: Ciphertext per snapshot part (a part travels in one request, base64 inside 8 MiB).
SNAPSHOT_PART_BYTES = 4 * 1024 * 1024
MAX_SNAPSHOT_PARTS = 4096


@dataclass(frozen=True)
class SnapshotPart:
    """One sealed, signed part of a snapshot: everything but the ciphertext is readable.

    The header binds the part to its team, epoch, maker, snapshot, the
    team position it covers (``server_seq``) and its place among ``parts``,
    so the relay can neither mix parts of two snapshots nor relabel one.
    """

    version: int
    team_id: str
    epoch: int
    device_id: str
    snapshot_id: str
    server_seq: int
    part: int
    parts: int
    nonce: bytes
    ciphertext: bytes
    signature: bytes

    def header_bytes(self) -> bytes:
        fields = [self.team_id, self.epoch, self.device_id, self.snapshot_id, self.server_seq]
        return bytes(
            msgpack.packb(["SOSKU-SNAPSHOT", self.version, *fields, self.part, self.parts])
        )

    def signed_bytes(self) -> bytes:
        return bundle_signing_bytes(self.header_bytes(), self.nonce, self.ciphertext)

    def to_wire(self) -> dict[str, Any]:
        return {
            "v": self.version,
            "team_id": self.team_id,
            "epoch": self.epoch,
            "device_id": self.device_id,
            "snapshot_id": self.snapshot_id,
            "server_seq": self.server_seq,
            "part": self.part,
            "parts": self.parts,
            "nonce": b64encode(self.nonce),
            "ciphertext": b64encode(self.ciphertext),
            "signature": b64encode(self.signature),
        }


def parse_snapshot_part(obj: Any) -> SnapshotPart:
    """Check a wire snapshot part's shape and types (not its signature) and decode it."""
    if not isinstance(obj, dict):
        raise ProtocolError("a snapshot part must be a JSON object")
    version = check_int(require(obj, "v"), "v", 1, 1_000)
    if version != SNAPSHOT_VERSION:
        raise ProtocolError(f"unsupported snapshot version {version}")
    parts = check_int(require(obj, "parts"), "parts", 1, MAX_SNAPSHOT_PARTS)
    return SnapshotPart(
        version=version,
        team_id=check_id(require(obj, "team_id"), "team_id"),
        epoch=check_int(require(obj, "epoch"), "epoch", 1),
        device_id=check_id(require(obj, "device_id"), "device_id"),
        snapshot_id=check_uuid(require(obj, "snapshot_id"), "snapshot_id"),
        server_seq=check_int(require(obj, "server_seq"), "server_seq", 1),
        part=check_int(require(obj, "part"), "part", 0, parts - 1),
        parts=parts,
        nonce=b64decode(require(obj, "nonce"), "nonce", size=NONCE_BYTES),
        ciphertext=b64decode(
            require(obj, "ciphertext"), "ciphertext", max_size=SNAPSHOT_PART_BYTES + 64
        ),
        signature=b64decode(require(obj, "signature"), "signature", size=SIGNATURE_BYTES),
    )
