"""The snapshot steps of a sync round: start a fresh laptop from one, and make them.

``SnapshotSteps`` is mixed into the client's round (``client._Round``):

* ``_bootstrap`` (before the pull, only on a store that never received
  anything): the relay's newest complete snapshot is fetched, verified and
  loaded (``sync/snapshot.py``; what the worker wrote before is merged
  again on top), then the round pulls the tail after it.
  A snapshot that fails any check is refused (``snapshot_refused`` on the
  Sync page), nothing of it is loaded, and the laptop replays the log
  instead as far as the relay still has it.
* ``_maybe_snapshot`` (at the end of a round): when the relay's newest
  snapshot is more than ``SyncClient.snapshot_after`` bundles behind our
  cursor and our state is exact, seal one and upload it part by part.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any, Protocol

from sosku_desktop.store import sync_state
from sosku_desktop.store.database import Store
from sosku_desktop.store.hlc import Timestamp
from sosku_desktop.sync import chain, snapshot, snapshot_space, trust
from sosku_desktop.sync.device_store import Identity
from sosku_desktop.sync.epochs import KeyRing
from sosku_desktop.sync.protocol import MAX_SNAPSHOT_PARTS, TamperedSnapshot
from sosku_desktop.sync.report import SyncReport
from sosku_desktop.sync.transport import HistoryCompacted, RequestRejected, SyncTransport

log = logging.getLogger(__name__)
#: ``_bundle_at`` for a position the relay pruned (compaction: everyone had it).
PRUNED = "\0pruned"


class SnapshotSettings(Protocol):
    """What the snapshot steps read from their ``SyncClient``."""

    snapshot_after: int


class SnapshotSteps:
    """Bootstrap from and make snapshots; the attributes below are the round's."""

    client: SnapshotSettings
    store: Store
    identity: Identity
    transport: SyncTransport
    keys: KeyRing
    report: SyncReport
    head: int
    waiting_for_keys: bool
    chain: chain.ChainState

    def _bundle_at(self, seq: int) -> str | None:
        """The bundle id the relay holds at ``seq``; ``PRUNED`` if compacted away."""
        if seq < 1 or seq > self.head:
            return None
        try:
            found = self.transport.pull(after=seq - 1, limit=1).get("bundles") or [None]
        except HistoryCompacted:
            return PRUNED
        first = found[0] if isinstance(found[0], dict) else {}
        return first.get("bundle_id") if first.get("server_seq") == seq else None

    def _bootstrap(self) -> bool:
        """Start a fresh store from the relay's newest snapshot; False: do not pull yet.

        Not pulling means waiting for the key of the snapshot's epoch (an
        enrolled laptop shares it at its next round): pulling the whole log
        instead would be slow, or impossible once it is compacted.
        """
        with self.store.read() as r:
            if not snapshot.is_fresh(r.conn):
                return True
        described = self._described()
        if described is None:
            return True
        try:
            header = self._header(described)
            snapshot_space.check_known(self.store, header.snapshot_id)  # refused for room before
            key = self._epoch_key(header.epoch)
            if key is None:
                self.waiting_for_keys = True
                return False
            content = self._open_snapshot(header, int(described["parts"]), key)
        except (TamperedSnapshot, KeyError, TypeError, ValueError, RequestRejected) as exc:
            log.warning("snapshot refused: %s", type(exc).__name__)
            self.keys.book.flag(trust.SNAPSHOT_REFUSED)
            return True
        with self.store.write() as w, sync_state.roomy_cache(w.conn, 256 * 1024):
            if not snapshot.is_fresh(w.conn):
                return True
            self.chain = snapshot.load(w.conn, content, header, self.identity.device_id)
            newest = snapshot.newest_clock(w.conn)
        if newest:
            # A clock far ahead is not dragged into ours (as for bundles).
            with contextlib.suppress(ValueError):
                self.store.clock.receive(Timestamp.decode(newest))
        self.report.snapshot = header.server_seq
        self.report.snapshot_clients, self.report.snapshot_rows = snapshot.sizes(content)
        log.info("started from a snapshot at %d", header.server_seq)
        return True

    def _described(self) -> dict[str, Any] | None:
        """The relay's newest snapshot; None if it has none, or is a relay without snapshots."""
        try:
            described = self.transport.snapshots().get("snapshot")
        except RequestRejected as exc:
            if exc.status == 404:  # a relay from before snapshots (schema 1)
                return None
            raise
        return described if isinstance(described, dict) else None

    def _header(self, described: dict[str, Any]) -> snapshot.Header:
        header = snapshot.Header(
            team_id=self.identity.team_id,
            epoch=int(described["epoch"]),
            device_id=str(described["device_id"]),
            snapshot_id=str(described["snapshot_id"]),
            server_seq=int(described["server_seq"]),
        )
        if not 1 <= header.server_seq <= self.head:
            raise TamperedSnapshot("the snapshot covers bundles the relay does not have")
        return header

    def _epoch_key(self, epoch: int) -> bytes | None:
        if epoch not in self.keys.epoch_keys:
            self.keys.fetch_keys()
        return self.keys.epoch_keys.get(epoch)

    def _open_snapshot(self, header: snapshot.Header, parts: int, key: bytes) -> dict[str, Any]:
        """Download and verify; the maker must be a device the authority holds active."""
        assert self.keys.trust is not None
        maker = self.keys.trust.active().get(header.device_id)
        if maker is None or header.epoch > self.keys.team_epoch:
            raise TamperedSnapshot("the snapshot's maker is not an approved device")
        if not 1 <= parts <= MAX_SNAPSHOT_PARTS:
            raise TamperedSnapshot("bad part count")
        wires = []
        for index in range(parts):  # each checked on arrival: one bad part, not all, fetched
            wire = self.transport.snapshot_part(header.snapshot_id, index).get("part")
            snapshot.verified_part(wire, index, parts, header, maker.sign_pub)
            wires.append(wire)
        snapshot_space.check(self.store, header.snapshot_id, wires)  # NotEnoughSpace: not loaded
        content = snapshot.open_parts(wires, header, maker.sign_pub, key)
        # The log must go on right where the snapshot ends, from the bundle it ends with.
        if self._bundle_at(header.server_seq) != content.get("anchor"):
            raise TamperedSnapshot("the relay's log does not continue the snapshot")
        return content

    def _maybe_snapshot(self) -> None:
        """Seal and upload a snapshot when the relay's newest is far behind our cursor."""
        every = self.client.snapshot_after
        key = self.keys.current_key
        if every <= 0 or key is None or self.report.trust_problems:
            return
        with self.store.read() as r:
            cursor = sync_state.cursor(r.conn)
        described = self._described()
        done = int(described["server_seq"]) if described is not None else 0
        if cursor - done < every:
            return
        with self.store.read() as r:
            content = snapshot.capture(
                r.conn, self.chain, self.identity.team_id, self.identity.device_id
            )
        if content is None:
            return
        header = snapshot.new_header(
            self.identity.team_id, self.keys.team_epoch, self.identity.device_id, cursor
        )
        for part in snapshot.seal(content, header, key, self.identity.keys.signing_key):
            self.transport.put_snapshot_part(part)
        self.report.snapshot_made = cursor
