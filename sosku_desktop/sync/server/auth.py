"""Request authentication: every call is signed by the device's Ed25519 key.

There are no sessions or bearer tokens to steal: each request carries the
team, device, a unix timestamp and a signature over method, path, query,
timestamp and the body's SHA-256 (``protocol.request_signing_bytes``). The
hash also travels in a header, so the relay checks the signature before it
reads the body and then checks the body against the hash. A
captured request can be replayed only within the clock window, and every
write it could repeat is idempotent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sosku_desktop.sync import crypto
from sosku_desktop.sync.protocol import (
    ACTIVE,
    E_DEVICE_PENDING,
    E_DEVICE_REVOKED,
    E_STALE_TIMESTAMP,
    E_UNAUTHENTICATED,
    E_UNKNOWN_DEVICE,
    H_CONTENT_SHA256,
    H_DEVICE,
    H_SIGNATURE,
    H_TEAM,
    H_TIMESTAMP,
    ID_RE,
    MAX_CLOCK_SKEW_S,
    PENDING,
    REVOKED,
    SIGNATURE_BYTES,
    ProtocolError,
    b64decode,
    content_sha256,
    signing_bytes_for_digest,
)
from sosku_desktop.sync.server.errors import Rejected
from sosku_desktop.sync.server.roster import get_device, note_seen
from sosku_desktop.sync.server.storage import Database


@dataclass(frozen=True)
class Incoming:
    """What the signature covers, taken from the HTTP request."""

    method: str
    path: str
    query: str
    headers: dict[str, str]  # lower-case names
    #: None until the body has been read (authentication comes first).
    body: bytes | None


@dataclass(frozen=True)
class SignedHeaders:
    team_id: str
    device_id: str
    timestamp: str
    signature: bytes


@dataclass(frozen=True)
class Caller:
    """An authenticated device."""

    team_id: str
    device_id: str
    status: str
    sign_pub: bytes


def read_headers(incoming: Incoming, now: float | None = None) -> SignedHeaders:
    """Parse the four auth headers and check the clock window (401 otherwise)."""
    values = {
        name: incoming.headers.get(name.lower())
        for name in (H_TEAM, H_DEVICE, H_TIMESTAMP, H_SIGNATURE)
    }
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise Rejected(401, E_UNAUTHENTICATED, f"missing headers: {', '.join(missing)}")
    team, device, stamp, sig = (
        values[n] or "" for n in (H_TEAM, H_DEVICE, H_TIMESTAMP, H_SIGNATURE)
    )
    if not ID_RE.match(team) or not ID_RE.match(device):
        raise Rejected(401, E_UNAUTHENTICATED, "malformed team or device header")
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12:
        raise Rejected(401, E_UNAUTHENTICATED, f"{H_TIMESTAMP} must be unix seconds")
    current = time.time() if now is None else now
    if abs(int(stamp) - current) > MAX_CLOCK_SKEW_S:
        raise Rejected(
            401,
            E_STALE_TIMESTAMP,
            "the device clock is too far from the server's",
            server_time=int(current),
        )
    try:
        signature = b64decode(sig, H_SIGNATURE, size=SIGNATURE_BYTES)
    except ProtocolError:
        raise Rejected(
            401, E_UNAUTHENTICATED, f"{H_SIGNATURE} must be base64 of 64 bytes"
        ) from None
    return SignedHeaders(team, device, stamp, signature)


def body_digest(incoming: Incoming) -> str:
    """The body hash the signature must cover: declared in a header, or computed.

    Before the body is read only the header can say it (absent, the body must
    be empty); once read, the body must match what the header declared.
    """
    declared = incoming.headers.get(H_CONTENT_SHA256.lower())
    if incoming.body is None:
        return declared if declared is not None else content_sha256(b"")
    actual = content_sha256(incoming.body)
    if declared is not None and declared != actual:
        raise Rejected(401, E_UNAUTHENTICATED, "the body does not match its signed hash")
    return actual


def check_signature(incoming: Incoming, signed: SignedHeaders, sign_pub: bytes) -> None:
    data = signing_bytes_for_digest(
        incoming.method,
        incoming.path,
        incoming.query,
        signed.team_id,
        signed.device_id,
        signed.timestamp,
        body_digest(incoming),
    )
    if not crypto.verify(sign_pub, data, signed.signature):
        raise Rejected(401, E_UNAUTHENTICATED, "request signature does not verify")


def authenticate(db: Database, incoming: Incoming, allow_pending: bool = False) -> Caller:
    """The signing device, if it is on the roster and allowed to make this call.

    Unknown team or device and bad signatures are 401; a revoked device
    gets 403 ``device_revoked`` (so the client can tell the user), and a
    pending one 403 ``device_pending`` except where ``allow_pending``.
    """
    signed = read_headers(incoming)
    with db.read() as conn:
        row: Any = get_device(conn, signed.team_id, signed.device_id)
    if row is None:
        raise Rejected(401, E_UNKNOWN_DEVICE, "unknown team or device")
    check_signature(incoming, signed, row.sign_pub)
    if row.status == REVOKED:
        raise Rejected(
            403,
            E_DEVICE_REVOKED,
            "this device has been removed from the team; ask your administrator",
        )
    if row.status == PENDING and not allow_pending:
        raise Rejected(403, E_DEVICE_PENDING, "this device is waiting for approval")
    if row.status not in (ACTIVE, PENDING):
        raise Rejected(403, E_DEVICE_REVOKED, "this device may not sync")
    note_seen(db, signed.team_id, signed.device_id, row.last_seen_at)
    return Caller(signed.team_id, signed.device_id, row.status, row.sign_pub)
