"""Hash chains and signed views of heads: a relay cannot cut, fork or hide history quietly.

Every bundle's plaintext (encrypted and signed with it) carries

* ``prev``: the digest of the same device's previous bundle, so a
  device's bundles form a chain: a relay that serves another bundle under
  a number, or a device that rewrites its history, breaks a link;
* ``heads``: the author's view of every other device's newest bundle it
  had received, ``{device: [device_seq, digest]}``.

A receiving laptop keeps, per device, the newest bundle it checked (its
*head*) and the highest position other devices claim to have seen. It
flags, for the Sync page:

* ``fork`` — a link or a claimed digest differs from what we hold (the
  bundle is quarantined, never applied);
* ``withheld`` — another device saw bundles of a device that the relay has
  not given us (a truncated tail); cleared when they arrive;
* ``head_backwards`` — an author's view moved backwards.

A digest covers a bundle's content, not its ``prev``/``heads``/``epoch``:
a bundle re-sealed under a new epoch, or re-sent after a relay restore,
keeps its digest, and the previous bundle's digest can be recomputed from
the store's own change log at any time. The view a bundle carries is
frozen while any of our bundles may be in flight, so a resend is
byte-for-byte the same (the relay answers it with its original number).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import msgpack
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sosku_desktop.store import meta_state, own_restore
from sosku_desktop.store.schema import change_log

K_CHAIN = "sync.chain"
K_VIEW = "sync.chain_view"
FORK = "fork"
WITHHELD = "withheld"
HEAD_BACKWARDS = "head_backwards"


def digest(
    team_id: str, device_id: str, device_seq: int, bundle_id: str, hlc: str, ops: Any
) -> str:
    """SHA-256 over what a bundle says (hex), independent of how it was sealed."""
    packed = msgpack.packb(["SOSKU-CHAIN-V1", team_id, device_id, device_seq, bundle_id, hlc, ops])
    return hashlib.sha256(packed).hexdigest()


def digest_of(plaintext: dict[str, Any]) -> str:
    return digest(
        plaintext["team_id"],
        plaintext["device_id"],
        plaintext["device_seq"],
        plaintext["bundle_id"],
        plaintext["hlc"],
        plaintext["ops"],
    )


@dataclass
class ChainState:
    """What this laptop knows about every other device's chain (meta ``sync.chain``)."""

    #: device -> [device_seq, digest] of its newest bundle we checked.
    heads: dict[str, list[Any]] = field(default_factory=dict)
    #: author -> device -> highest device_seq the author claimed to have seen.
    claims: dict[str, dict[str, int]] = field(default_factory=dict)
    #: device -> [device_seq, digest] another device saw and we have not yet.
    expect: dict[str, list[Any]] = field(default_factory=dict)
    #: Problems found while observing (codes, each once).
    problems: list[str] = field(default_factory=list)

    def flag(self, code: str) -> None:
        if code not in self.problems:
            self.problems.append(code)

    def to_json(self) -> str:
        return json.dumps({"heads": self.heads, "claims": self.claims, "expect": self.expect})

    @classmethod
    def from_json(cls, raw: str | None) -> ChainState:
        data = json.loads(raw) if raw else {}
        return cls(data.get("heads", {}), data.get("claims", {}), data.get("expect", {}))

    # --- receiving -----------------------------------------------------------------------

    def observe(self, plaintext: dict[str, Any], me: str, mine: str | None = None) -> str | None:
        """Check one opened bundle of another device; ``FORK`` means quarantine it.

        ``mine`` is the bundle's digest when it was computed already.
        """
        device, seq = plaintext["device_id"], plaintext["device_seq"]
        mine = mine or digest_of(plaintext)
        head = self.heads.get(device)
        prev = plaintext.get("prev")
        if head is not None and seq <= head[0]:
            if seq == head[0] and mine != head[1]:
                self.flag(FORK)  # two different bundles under one number
                return FORK
            return None  # seen before (a re-pull); apply skips it
        if head is not None and seq > head[0] + 1:
            return None  # an earlier one is missing: apply holds this one as a gap
        if isinstance(prev, str) and prev and head is not None and prev != head[1]:
            self.flag(FORK)  # does not continue the history we hold
            return FORK
        self._advance(device, seq, mine)
        self._read_view(device, plaintext.get("heads"), me)
        return None

    def _advance(self, device: str, seq: int, mine: str) -> None:
        self.heads[device] = [seq, mine]
        wanted = self.expect.get(device)
        if wanted is None or seq < wanted[0]:
            return
        if seq == wanted[0] and wanted[1] != mine:
            self.flag(FORK)  # another device was shown a different bundle here
        del self.expect[device]

    def _read_view(self, author: str, view: Any, me: str) -> None:
        if not isinstance(view, dict):
            return
        claimed = self.claims.setdefault(author, {})
        for device, position in view.items():
            if device in (author, me) or not _is_position(position):
                continue
            seq, theirs = int(position[0]), str(position[1])
            if seq < claimed.get(device, 0):
                self.flag(HEAD_BACKWARDS)
            claimed[device] = max(seq, claimed.get(device, 0))
            ours = self.heads.get(device)
            if ours is not None and ours[0] == seq and ours[1] != theirs:
                self.flag(FORK)
            elif ours is None or ours[0] < seq:
                wanted = self.expect.get(device)
                if wanted is None or wanted[0] < seq:
                    self.expect[device] = [seq, theirs]

    def check_complete(self) -> None:
        """After a full pull: bundles another device saw and the relay did not give us."""
        if self.expect:
            self.flag(WITHHELD)

    def view(self) -> dict[str, list[Any]]:
        """Our view of the other devices' heads, as the next bundles carry it."""
        return {device: list(head) for device, head in sorted(self.heads.items())}


def _is_position(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int)
        and not isinstance(value[0], bool)
        and isinstance(value[1], str)
    )


def load(conn: Connection) -> ChainState:
    return ChainState.from_json(meta_state.get(conn, K_CHAIN))


def save(conn: Connection, state: ChainState) -> None:
    meta_state.put(conn, K_CHAIN, state.to_json())


# --- sending ---------------------------------------------------------------------------


def own_digest(conn: Connection, team_id: str, device_id: str, device_seq: int) -> str:
    """The digest of our own bundle ``device_seq`` ("" before the first, or if gone)."""
    if device_seq < 1:
        return ""
    row = conn.execute(
        sa.select(change_log.c.bundle_id, change_log.c.hlc, change_log.c.ops).where(
            change_log.c.device_seq == device_seq
        )
    ).first()
    if row is None:
        base = own_restore.own_base(conn)  # caught up from a snapshot: known by its digest
        return base[1] if base is not None and base[0] == device_seq else ""
    return digest(team_id, device_id, device_seq, row.bundle_id, row.hlc, list(row.ops))


def frozen_view(conn: Connection, state: ChainState) -> dict[str, list[Any]]:
    """The view to put in outgoing bundles: refreshed only when nothing is in flight.

    A bundle whose answer was lost must be re-sent byte for byte, so the
    view stays the one used when it was first sealed until every bundle
    sent so far is acknowledged.
    """
    saved = json.loads(meta_state.get(conn, K_VIEW) or "{}")
    acked = conn.execute(
        sa.select(sa.func.max(change_log.c.device_seq)).where(change_log.c.server_seq.is_not(None))
    ).scalar()
    if "view" in saved and int(saved.get("sent_upto", 0)) > int(acked or 0):
        return dict(saved["view"])
    view = state.view()
    meta_state.put(conn, K_VIEW, json.dumps({"view": view, "sent_upto": int(acked or 0)}))
    return view


def note_sent(conn: Connection, upto: int) -> None:
    """Bundles up to ``upto`` are about to leave: keep their view until they are acked."""
    saved = json.loads(meta_state.get(conn, K_VIEW) or "{}")
    if upto > int(saved.get("sent_upto", 0)):
        saved["sent_upto"] = upto
        meta_state.put(conn, K_VIEW, json.dumps(saved))
