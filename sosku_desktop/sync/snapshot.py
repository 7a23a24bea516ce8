"""Snapshots: a joining laptop starts from a teammate's state, then pulls only the tail.

*Making* (``capture`` + ``seal``), on an enrolled laptop at the end of a
round, only when its state is exactly "every bundle up to the cursor":
nothing in its outbox or quarantine, and none of its own bundles beyond
the cursor. The snapshot holds the synced tables, their clocks and value
history as stored, each device's applied position, and the hash-chain
heads it has checked (its own included). It is msgpack, zlib, cut into
parts of at most 4 MiB, each sealed with the epoch key (XChaCha20-Poly1305,
the part's header as associated data) and signed by the maker.

*Loading* (``open_parts`` + ``load``), on a laptop with an empty store:
every part must carry the same header (team, epoch, maker, snapshot,
position, count), verify against the key of a device the team's authority
holds **active**, and decrypt under an epoch key we hold; the content must
repeat the header. Anything else raises ``TamperedSnapshot`` and nothing is
loaded. After loading, the laptop's chains continue from the snapshot's
heads, so a tail that does not continue them is a ``fork``, and a tail the
relay withholds is ``withheld``, exactly as for a laptop that saw it all.
"""

from __future__ import annotations

import secrets
import uuid
import zlib
from dataclasses import dataclass
from typing import Any

import msgpack
import sqlalchemy as sa
from nacl.bindings import (
    crypto_aead_xchacha20poly1305_ietf_decrypt,
    crypto_aead_xchacha20poly1305_ietf_encrypt,
)
from nacl.exceptions import CryptoError
from nacl.signing import SigningKey
from sqlalchemy.engine import Connection

from sosku_desktop.store import merge, migrate, own_restore, sync_state
from sosku_desktop.store.schema import SYNCED_TABLES, change_log, remote_devices
from sosku_desktop.sync import chain, crypto
from sosku_desktop.sync.protocol import (
    MAX_SNAPSHOT_PARTS,
    NONCE_BYTES,
    SNAPSHOT_PART_BYTES,
    SNAPSHOT_VERSION,
    ProtocolError,
    SnapshotPart,
    TamperedSnapshot,
    parse_snapshot_part,
)

_TAG = "SOSKU-SNAPSHOT-PLAINTEXT"
#: The tables a snapshot carries, besides the synced ones: clocks and history.
STATE_TABLES = (*SYNCED_TABLES, "row_clock", "value_history")
#: Plaintext of the AEAD per part (the tag adds 16 bytes).
_CHUNK = SNAPSHOT_PART_BYTES - 16
#: Upper bound of a snapshot's inflated size (a 10,000-client team is well below).
MAX_SNAPSHOT_BYTES = 8 * 1024**3


@dataclass(frozen=True)
class Header:
    """What every part of one snapshot repeats (and the content repeats again)."""

    team_id: str
    epoch: int
    device_id: str
    snapshot_id: str
    server_seq: int


# --- making ---------------------------------------------------------------------------


def capture(
    conn: Connection, state: chain.ChainState, team_id: str, me: str
) -> dict[str, Any] | None:
    """This store's synced state as a snapshot's content, or None when it is not exact.

    Exact means: everything up to the cursor applied and nothing else —
    no outbox, no quarantine, no own bundle beyond the cursor, and the
    bundle under the cursor known (the joiner checks it is still there).
    """
    cursor = sync_state.cursor(conn)
    anchor = sync_state.cursor_anchor(conn)
    own = sync_state.last_acked(conn)
    if (
        cursor < 1
        or anchor is None
        or anchor[0] != cursor
        or sync_state.outbox_count(conn)
        or sync_state.quarantined(conn)
        or (own is not None and own[0] > cursor)
    ):
        return None
    applied = {str(d): int(s) for d, s in conn.execute(sa.select(remote_devices))}
    heads = {device: list(head) for device, head in state.heads.items()}
    own_seq = int(conn.execute(sa.select(sa.func.max(change_log.c.device_seq))).scalar() or 0)
    base = own_restore.own_base(conn)  # our chain may go on from a snapshot's head
    own_seq = max(own_seq, base[0] if base is not None else 0)
    if own_seq:
        applied[me] = own_seq
        heads[me] = [own_seq, chain.own_digest(conn, team_id, me, own_seq)]
    tables = {}
    for name in STATE_TABLES:
        result = conn.execute(sa.text(f'SELECT * FROM "{name}"'))
        tables[name] = [list(result.keys()), [list(row) for row in result]]
    return {
        "revision": migrate.current_revision(conn),
        "anchor": anchor[1],
        "applied": applied,
        "heads": heads,
        "tables": tables,
    }


def seal(
    content: dict[str, Any],
    header: Header,
    epoch_key: bytes,
    signing_key: SigningKey,
) -> list[SnapshotPart]:
    """The content sealed and signed in parts (random nonces: a snapshot is made once)."""
    packed = msgpack.packb([_TAG, SNAPSHOT_VERSION, _fields(header), content])
    compressed = zlib.compress(packed, 6)
    chunks = [compressed[i : i + _CHUNK] for i in range(0, len(compressed), _CHUNK)] or [b""]
    if len(chunks) > MAX_SNAPSHOT_PARTS:
        raise ValueError("the store is too large for one snapshot")
    parts = []
    for index, chunk in enumerate(chunks):
        unsigned = _part(header, index, len(chunks), b"\0" * NONCE_BYTES, b"", b"")
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = crypto_aead_xchacha20poly1305_ietf_encrypt(
            chunk, unsigned.header_bytes(), nonce, epoch_key
        )
        unsigned = _part(header, index, len(chunks), nonce, sealed, b"")
        signature = signing_key.sign(unsigned.signed_bytes()).signature
        parts.append(_part(header, index, len(chunks), nonce, sealed, signature))
    return parts


def new_header(team_id: str, epoch: int, device_id: str, server_seq: int) -> Header:
    return Header(team_id, epoch, device_id, str(uuid.uuid4()), server_seq)


def _part(
    header: Header, index: int, count: int, nonce: bytes, ciphertext: bytes, signature: bytes
) -> SnapshotPart:
    return SnapshotPart(
        version=SNAPSHOT_VERSION,
        team_id=header.team_id,
        epoch=header.epoch,
        device_id=header.device_id,
        snapshot_id=header.snapshot_id,
        server_seq=header.server_seq,
        part=index,
        parts=count,
        nonce=nonce,
        ciphertext=ciphertext,
        signature=signature,
    )


def _fields(header: Header) -> list[Any]:
    return [header.team_id, header.epoch, header.device_id, header.snapshot_id, header.server_seq]


# --- loading --------------------------------------------------------------------------


def open_parts(
    wires: list[Any],
    expected: Header,
    maker_key: bytes,
    epoch_key: bytes,
) -> dict[str, Any]:
    """Verify and decrypt every part; the content, or ``TamperedSnapshot``.

    ``expected`` is what the relay described; ``maker_key`` the Ed25519 key
    of a device the authority holds active (the caller looks it up).
    """
    chunks = []
    for index, wire in enumerate(wires):
        part = verified_part(wire, index, len(wires), expected, maker_key)
        try:
            chunks.append(
                crypto_aead_xchacha20poly1305_ietf_decrypt(
                    part.ciphertext, part.header_bytes(), part.nonce, epoch_key
                )
            )
        except (CryptoError, ValueError, TypeError):
            raise TamperedSnapshot(f"snapshot part {index}: authentication failed") from None
    return _unpack(b"".join(chunks), expected)


def verified_part(
    wire: Any, index: int, count: int, expected: Header, maker_key: bytes
) -> SnapshotPart:
    """Part ``index`` of ``count``, bound to ``expected`` and signed by the maker; else refused.

    Checked as each part arrives, so a relay that describes thousands of
    parts gets one of them downloaded, not all, before its lie is refused.
    """
    try:
        part = parse_snapshot_part(wire)
    except ProtocolError as exc:
        raise TamperedSnapshot(f"snapshot part {index}: {exc.message}") from None
    found = Header(part.team_id, part.epoch, part.device_id, part.snapshot_id, part.server_seq)
    if found != expected or part.part != index or part.parts != count:
        raise TamperedSnapshot(f"snapshot part {index} belongs elsewhere")
    if not crypto.verify(maker_key, part.signed_bytes(), part.signature):
        raise TamperedSnapshot(f"snapshot part {index}: signature does not verify")
    return part


def _unpack(compressed: bytes, expected: Header) -> dict[str, Any]:
    inflater = zlib.decompressobj()
    try:
        packed = inflater.decompress(compressed, MAX_SNAPSHOT_BYTES)
        outer = msgpack.unpackb(packed)
    except (zlib.error, ValueError, TypeError, msgpack.UnpackException):
        raise TamperedSnapshot("snapshot content does not unpack") from None
    if inflater.unconsumed_tail or not inflater.eof:
        raise TamperedSnapshot("snapshot content too large or truncated")
    if not isinstance(outer, list) or len(outer) != 4 or outer[:2] != [_TAG, SNAPSHOT_VERSION]:
        raise TamperedSnapshot("snapshot content has an unknown layout")
    if outer[2] != _fields(expected) or not isinstance(outer[3], dict):
        raise TamperedSnapshot("snapshot content differs from its header")
    content: dict[str, Any] = outer[3]
    return content


def is_fresh(conn: Connection) -> bool:
    """A store that never received anything: it may start from a snapshot.

    It may hold the worker's own writes (made before the first sync):
    ``load`` merges them again on top of the snapshot.
    """
    received = conn.execute(sa.select(sa.func.count()).select_from(remote_devices)).scalar()
    return sync_state.cursor(conn) == 0 and not received


def load(
    conn: Connection, content: dict[str, Any], header: Header, me: str, team_has: int = 0
) -> chain.ChainState:
    """Write a verified snapshot into a fresh store; returns the chain state to continue.

    Whatever this store wrote itself before (its own change log) is merged
    again on top, as every other laptop merges it; ``team_has``: our own
    acknowledged bundles up to that number are in the snapshot already.

    The tables are written as stored on the maker (same schema revision);
    the cursor moves to the snapshot's position with its anchor, and each
    device's applied position follows the snapshot, so the tail after it
    applies without gaps and nothing in the snapshot is applied twice.
    """
    if content.get("revision") != migrate.current_revision(conn):
        raise TamperedSnapshot("the snapshot was made by another version of the app")
    tables = content.get("tables")
    if not isinstance(tables, dict) or set(tables) != set(STATE_TABLES):
        raise TamperedSnapshot("the snapshot lacks tables")
    for name in STATE_TABLES:
        columns, rows = tables[name]
        conn.execute(sa.text(f'DELETE FROM "{name}"'))
        if rows:
            if not all(isinstance(c, str) and c.isidentifier() for c in columns):
                raise TamperedSnapshot("the snapshot names columns this store does not have")
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            statement = f'INSERT INTO "{name}" ({names}) VALUES ({marks})'
            conn.exec_driver_sql(statement, [tuple(row) for row in rows])
    merge.merge_own_again(conn, me, team_has)
    applied = {str(d): int(s) for d, s in dict(content["applied"]).items() if d != me}
    conn.execute(remote_devices.delete())
    if applied:
        conn.execute(
            merge._SET_APPLIED_SEQ,
            [{"device_id": d, "applied_seq": s} for d, s in applied.items()],
        )
    sync_state.set_cursor(conn, header.server_seq)
    sync_state.set_cursor_anchor(conn, header.server_seq, str(content["anchor"]))
    state = chain.ChainState(heads={d: list(h) for d, h in dict(content["heads"]).items()})
    chain.save(conn, state)
    return state


def sizes(content: dict[str, Any]) -> tuple[int, int]:
    """How many clients and synced rows a verified snapshot carried (for the round's report).

    A laptop that joins from a snapshot pulls only the log's tail; without
    this its report said "fetched 1, applied 1" after 12,000 clients arrived.
    """
    tables = content.get("tables") or {}
    rows = {name: len(tables[name][1]) for name in SYNCED_TABLES if name in tables}
    return rows.get("clients", 0), sum(rows.values())


def newest_clock(conn: Connection) -> str | None:
    """The newest row clock in the store (the local clock is moved past it)."""
    found = conn.execute(sa.text("SELECT max(hlc) FROM row_clock")).scalar()
    return str(found) if found else None
