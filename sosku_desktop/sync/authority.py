"""The team authority: signed roster statements that the relay cannot forge.

Without an authority the laptops would believe the relay about who is in
the team, which epoch is current and whose keys count. So the
administrator holds an Ed25519 key of the team's own (a key file that the
admin CLI reads; it never lives in the relay's database), every laptop pins
its public half at join (compared out of band by its *safety number*), and
every approve, revoke and new epoch is a **statement** signed by it:

* ``device`` statements: team, version, device id, name, both public keys,
  status (``active`` / ``revoked``) and, for a revocation, the revoked
  device's last valid ``device_seq``;
* ``epoch`` statements: team, version, epoch — "this epoch may exist now".

Versions number the statements 1, 2, 3 … per team; a laptop keeps every
statement it verified, so the roster only ever moves forward. The rules
laptops apply (whom to seal keys to, whose keys and bundles to accept,
under which epoch to push) are the pure methods of ``TrustedRoster``.
Only PyNaCl does cryptography here; this module imports nothing but the
wire helpers, so the relay's admin CLI can use it too.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgpack
from nacl.signing import SigningKey

from sosku_desktop.sync import crypto
from sosku_desktop.sync.protocol import (
    ACTIVE,
    PUBLIC_KEY_BYTES,
    REVOKED,
    SIGNATURE_BYTES,
    ProtocolError,
    SyncError,
    b64decode,
    b64encode,
    check_id,
    check_int,
)

KIND_DEVICE = "device"
KIND_EPOCH = "epoch"
_CONTEXT = b"SOSKU-AUTHORITY-STATEMENT-V1\n"
_SAFETY_CONTEXT = b"sosku-team-authority-v1"
_KEY_FILE_VERSION = 1
#: A statement is a small msgpack map; anything bigger is not one of ours.
MAX_STATEMENT_BYTES = 4096


class BadStatement(SyncError):
    """A roster statement is malformed, for another team, or not signed by the authority."""


class AuthorityMismatch(SyncError):
    """The relay's authority key does not have the safety number the administrator gave."""


class AuthorityMissing(SyncError):
    """The team has no authority yet (enrolled before it existed): the admin must set it up."""


# --- the key and its safety number ---------------------------------------------------


#: Hex digits in a safety number (eight groups of four).
SAFETY_DIGITS = 32


def safety_number(public_key: bytes) -> str:
    """Eight groups of four hex digits: 128 bits of SHA-256 over the authority's key.

    Read aloud or compared on paper between the administrator and the
    worker at join; matching a chosen one takes about 2**128 work.
    """
    if len(public_key) != PUBLIC_KEY_BYTES:
        raise ValueError("an authority key is 32 bytes")
    digest = hashlib.sha256(_SAFETY_CONTEXT + public_key).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def normalize_safety_number(text: str) -> str:
    """Compare safety numbers without spaces, dashes or case."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def is_safety_number(text: str) -> bool:
    """Whether ``text`` has the shape of a safety number (32 hex digits; spaces, dashes, case free).

    Checked before the relay is asked, so a mistyped number is reported as a
    typo rather than as another team's authority.
    """
    digits = normalize_safety_number(text)
    return len(digits) == SAFETY_DIGITS and all(ch in "0123456789ABCDEF" for ch in digits)


def public_key_of(key: SigningKey) -> bytes:
    return bytes(key.verify_key)


def create_key_file(path: Path, team_id: str) -> SigningKey:
    """A new authority key in ``path`` (0600, never overwritten); keep it off the relay."""
    key = SigningKey.generate()
    data = {"v": _KEY_FILE_VERSION, "team_id": team_id, "key": b64encode(bytes(key))}
    # Its own 0600 write: the relay imports this module and may not import the store
    # (tests/sync/server/test_import_rule.py), where the app's file helper lives.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    return key


def load_key_file(path: Path, team_id: str) -> SigningKey:
    """The authority key of ``team_id``; ValueError for a wrong or foreign file."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
        seed = base64.b64decode(data["key"], validate=True)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"cannot read the authority key file {path}: {exc}") from None
    if data.get("v") != _KEY_FILE_VERSION or len(seed) != 32:
        raise ValueError(f"{path} is not a Sosku authority key file")
    if data.get("team_id") != team_id:
        raise ValueError(f"{path} is the authority key of another team")
    return SigningKey(seed)


# --- statements ----------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceStatement:
    """The authority's word on one device at one roster version."""

    team_id: str
    version: int
    device_id: str
    name: str
    sign_pub: bytes
    box_pub: bytes
    status: str
    #: For a revocation: the last ``device_seq`` of the device that stays valid.
    last_seq: int | None = None

    def body(self) -> dict[str, Any]:
        return {
            "kind": KIND_DEVICE,
            "team": self.team_id,
            "version": self.version,
            "device": self.device_id,
            "name": self.name,
            "sign_pub": self.sign_pub,
            "box_pub": self.box_pub,
            "status": self.status,
            "last_seq": self.last_seq,
        }


@dataclass(frozen=True)
class EpochStatement:
    """The authority lets ``epoch`` exist from roster version ``version`` on."""

    team_id: str
    version: int
    epoch: int

    def body(self) -> dict[str, Any]:
        return {
            "kind": KIND_EPOCH,
            "team": self.team_id,
            "version": self.version,
            "epoch": self.epoch,
        }


Statement = DeviceStatement | EpochStatement


def sign_statement(key: SigningKey, statement: Statement) -> dict[str, str]:
    """The wire form ``{"statement": b64 msgpack, "signature": b64}``."""
    packed = msgpack.packb(statement.body())
    return {
        "statement": b64encode(packed),
        "signature": b64encode(key.sign(_CONTEXT + packed).signature),
    }


def _decode(body: Any, team_id: str) -> Statement:
    if not isinstance(body, dict) or body.get("team") != team_id:
        raise BadStatement("a statement of another team")
    version = check_int(body.get("version"), "version", 1)
    if body.get("kind") == KIND_EPOCH:
        return EpochStatement(team_id, version, check_int(body.get("epoch"), "epoch", 1))
    if body.get("kind") != KIND_DEVICE:
        raise BadStatement("unknown statement kind")
    sign_pub, box_pub, name = body.get("sign_pub"), body.get("box_pub"), body.get("name")
    if not (isinstance(sign_pub, bytes) and len(sign_pub) == PUBLIC_KEY_BYTES):
        raise BadStatement("bad signing key")
    if not (isinstance(box_pub, bytes) and len(box_pub) == PUBLIC_KEY_BYTES):
        raise BadStatement("bad box key")
    status, last_seq = body.get("status"), body.get("last_seq")
    if status not in (ACTIVE, REVOKED) or not isinstance(name, str):
        raise BadStatement("bad device status or name")
    return DeviceStatement(
        team_id,
        version,
        check_id(body.get("device"), "device"),
        name,
        sign_pub,
        box_pub,
        status,
        None if last_seq is None else check_int(last_seq, "last_seq", 0),
    )


def verify_statement(wire: Any, authority_pub: bytes, team_id: str) -> Statement:
    """A statement after checking the authority's signature; BadStatement otherwise."""
    try:
        if not isinstance(wire, dict):
            raise BadStatement("a statement must be an object")
        packed = b64decode(wire.get("statement"), "statement", max_size=MAX_STATEMENT_BYTES)
        signature = b64decode(wire.get("signature"), "signature", size=SIGNATURE_BYTES)
        if not crypto.verify(authority_pub, _CONTEXT + packed, signature):
            raise BadStatement("statement not signed by the team authority")
        return _decode(msgpack.unpackb(packed), team_id)
    except (ProtocolError, ValueError, TypeError, msgpack.UnpackException) as exc:
        raise BadStatement(f"malformed statement: {exc}") from None


# --- what a laptop believes ----------------------------------------------------------


@dataclass
class TrustedRoster:
    """Every verified statement of one team, and the rules that follow from them.

    ``add`` refuses a second, different statement under a version already
    held (only a leaked authority key can make one) and nothing ever
    removes a statement: the roster version only moves forward.
    """

    team_id: str
    statements: dict[int, Statement] = field(default_factory=dict)
    #: Versions for which the relay served a different statement than the one we hold.
    conflicts: set[int] = field(default_factory=set)
    #: (number of statements, ``devices()``, ``signed_epoch``): asked for every pulled
    #: bundle, recomputed only when a statement was added (none is ever removed).
    _derived: tuple[int, dict[str, DeviceStatement], int] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def add(self, statement: Statement) -> bool:
        """True when the statement is new to us."""
        held = self.statements.get(statement.version)
        if held is None:
            self.statements[statement.version] = statement
            return True
        if held != statement:
            self.conflicts.add(statement.version)
        return False

    @property
    def version(self) -> int:
        return max(self.statements, default=0)

    def keep_contiguous(self) -> list[int]:
        """Forget statements above the first missing version; returns their versions.

        The authority numbers its statements 1, 2, 3 … without gaps, so a
        missing one was left out by the relay — and the one left out is the
        one that matters (a revocation before the epoch signed with it).
        Statements beyond it are believed once it arrives.
        """
        version = 0
        while version + 1 in self.statements:
            version += 1
        later = sorted(v for v in self.statements if v > version)
        for v in later:
            del self.statements[v]
        self._derived = None
        return later

    def devices(self) -> dict[str, DeviceStatement]:
        """The newest statement of each device (shared: do not change it)."""
        return self._derive()[1]

    def _derive(self) -> tuple[int, dict[str, DeviceStatement], int]:
        derived = self._derived
        if derived is None or derived[0] != len(self.statements):
            latest: dict[str, DeviceStatement] = {}
            for version in sorted(self.statements):
                found = self.statements[version]
                if isinstance(found, DeviceStatement):
                    latest[found.device_id] = found
            epoch = max(self.epoch_statements(), default=0)
            derived = self._derived = (len(self.statements), latest, epoch)
        return derived

    def epoch_statements(self) -> dict[int, EpochStatement]:
        return {s.epoch: s for s in self.statements.values() if isinstance(s, EpochStatement)}

    @property
    def signed_epoch(self) -> int:
        """The highest epoch the authority allowed; the only one a laptop pushes under."""
        return self._derive()[2]

    def active(self) -> dict[str, DeviceStatement]:
        """Devices that may receive epoch keys."""
        return {d: s for d, s in self.devices().items() if s.status == ACTIVE}

    def cutoff_epoch(self, device_id: str) -> int | None:
        """For a revoked device: the first epoch signed after its revocation."""
        found = self.devices().get(device_id)
        if found is None or found.status != REVOKED:
            return None
        later = [s.epoch for s in self.epoch_statements().values() if s.version > found.version]
        return min(later, default=None)

    def signer_key(self, device_id: str) -> bytes | None:
        """The Ed25519 key of a device the authority ever approved (active or revoked)."""
        found = self.devices().get(device_id)
        return found.sign_pub if found is not None else None

    def bundle_refusal(self, device_id: str, device_seq: int, epoch: int) -> str | None:
        """Why a correctly signed bundle must not be applied; None when it may.

        A revoked device's bundles stay valid history up to its last valid
        ``device_seq`` and below the epoch made after its revocation;
        anything beyond is what a lost laptop (or a relay holding its key)
        would write after the cut-off.
        """
        found = self.devices().get(device_id)
        if found is None:
            return "unknown_device"
        if epoch > self.signed_epoch:
            return "unsigned_epoch"
        if found.status != REVOKED:
            return None
        cutoff = self.cutoff_epoch(device_id)
        if device_seq > (found.last_seq or 0) or (cutoff is not None and epoch >= cutoff):
            return "revoked_device"
        return None

    def key_sealer_ok(self, device_id: str, epoch: int) -> bool:
        """May a sealed key for ``epoch`` come from ``device_id``?"""
        found = self.devices().get(device_id)
        if found is None or epoch > self.signed_epoch:
            return False
        if found.status == ACTIVE:
            return True
        cutoff = self.cutoff_epoch(device_id)
        return cutoff is not None and epoch < cutoff


def roster_from(
    wires: list[Any], authority_pub: bytes, team_id: str
) -> tuple[TrustedRoster, dict[int, dict[str, Any]], int]:
    """Verify served statements: (roster, wire by version, how many failed)."""
    roster = TrustedRoster(team_id)
    kept: dict[int, dict[str, Any]] = {}
    bad = 0
    for wire in wires:
        try:
            statement = verify_statement(wire, authority_pub, team_id)
        except BadStatement:
            bad += 1
            continue
        if roster.add(statement):
            kept[statement.version] = wire
    return roster, kept, bad
