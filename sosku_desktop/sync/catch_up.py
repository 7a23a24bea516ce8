"""A laptop the relay's compaction left behind starts again from the team's snapshot.

A laptop restored from an older backup, or one whose position the relay
pruned past, cannot pull the log from its cursor any more (``410
history_compacted``). It used to stop there with a plain message. Now it
does what a joining laptop does, on the same checks
(``bootstrap.SnapshotSteps``): the relay's newest snapshot, made by a
device the team's authority holds active, sealed with a team epoch key,
carrying the chain heads it covers, whose last bundle the relay still
holds. Then, in one transaction:

* the synced tables, clocks and history become the snapshot's;
* the laptop's own bundles the snapshot does not hold — every unsent one
  and any sent after the snapshot's head for this device — are merged
  again on top (last-writer-wins, history, conflicts): nothing the worker
  typed is lost;
* when the team holds more of this device's bundles than the store (it
  went back in time), the unsent ones move to follow the team's head for
  us (fresh ids) and the chain goes on from that head's digest
  (``own_restore.set_own_base``); the round then pushes them as usual;
* the cursor, each device's applied position and the chain heads follow
  the snapshot, and the round pulls the tail after it.

A snapshot that claims a different bundle of ours under a number this
store knows the relay acknowledged is a fork (``DeviceReused``, nothing
written). No usable snapshot (none, refused, or not past our position):
``OwnHistoryCompacted`` as before, nothing written.
"""

from __future__ import annotations

import contextlib
import logging
from enum import Enum
from typing import Any

from sqlalchemy.engine import Connection

from sosku_desktop.store import meta_state, own_restore, sync_state
from sosku_desktop.store.hlc import Timestamp
from sosku_desktop.sync import chain, snapshot, trust
from sosku_desktop.sync.bootstrap import SnapshotSteps
from sosku_desktop.sync.own_recovery import OwnHistoryCompacted
from sosku_desktop.sync.protocol import TamperedSnapshot
from sosku_desktop.sync.report import DeviceReused
from sosku_desktop.sync.transport import RequestRejected

log = logging.getLogger(__name__)


class CaughtUp(Enum):
    """What ``_catch_up`` did."""

    NOT_BEHIND = "not_behind"
    LOADED = "loaded"
    #: The snapshot's epoch key has not reached us yet: push and pull nothing this round.
    WAIT = "wait"


class CatchUpSteps(SnapshotSteps):
    """Mixed into the round (``client._Round``)."""

    #: Set by the relay check when the bundle under our newest position was pruned.
    maybe_behind: bool = False

    def _catch_up_first(self) -> bool:
        """Before pushing: catch up if the relay compacted past us; False: wait for a key."""
        if not self.maybe_behind:
            return True
        return self._catch_up() is not CaughtUp.WAIT

    def _catch_up(self) -> CaughtUp:
        """Load the newest verified snapshot if our cursor is below the pruned prefix."""
        described = self.transport.snapshots()
        with self.store.read() as r:
            cursor = sync_state.cursor(r.conn)
            fresh = snapshot.is_fresh(r.conn)
        if fresh or cursor >= int(described.get("pruned_upto") or 0):
            return CaughtUp.NOT_BEHIND
        found = described.get("snapshot")
        if not isinstance(found, dict):
            raise OwnHistoryCompacted("the relay pruned past us and has no snapshot")
        try:
            header = self._header(found)
            if header.server_seq <= cursor:
                raise TamperedSnapshot("the snapshot is not past our position")
            key = self._epoch_key(header.epoch)
            if key is None:
                self.waiting_for_keys = True
                return CaughtUp.WAIT
            content = self._open_snapshot(header, int(found["parts"]), key)
        except (TamperedSnapshot, KeyError, TypeError, ValueError, RequestRejected) as exc:
            log.warning("snapshot refused: %s", type(exc).__name__)
            self.keys.book.flag(trust.SNAPSHOT_REFUSED)
            self.keys.book.save_problems()
            raise OwnHistoryCompacted("the relay pruned past us; no snapshot to trust") from exc
        self._load_over(header, content)
        return CaughtUp.LOADED

    def _load_over(self, header: snapshot.Header, content: dict[str, Any]) -> None:
        """Replace the team's data with the snapshot's, ours merged again on top."""
        me = self.identity.device_id
        team_has = _team_head_for(content, me)
        try:
            with self.store.write() as w, sync_state.roomy_cache(w.conn, 256 * 1024):
                unsent = sync_state.outbox_count(w.conn)
                behind = _check_own_chain(w.conn, self.identity.team_id, me, team_has)
                self.chain = snapshot.load(w.conn, content, header, me, team_has[0])
                if behind:
                    own_restore.move_unsent_after(w.conn, team_has[0])
                    own_restore.set_own_base(w.conn, *team_has, header.server_seq)
                    meta_state.delete(w.conn, chain.K_VIEW)  # renumbered: a new view
                newest = snapshot.newest_clock(w.conn)
        except DeviceReused:
            self.keys.book.flag(chain.FORK)
            self.keys.book.save_problems()
            raise
        if newest:
            with contextlib.suppress(ValueError):  # one far ahead is not dragged into ours
                self.store.clock.receive(Timestamp.decode(newest))
        self._own_ids = None
        self._digests.clear()
        self.report.caught_up = header.server_seq
        self.report.kept_unsent = unsent
        log.warning("caught up from a snapshot at %d, %d unsent kept", header.server_seq, unsent)

    # Provided by the round (``client._Round``).
    _own_ids: dict[int, str] | None
    _digests: dict[int, str]


def _team_head_for(content: dict[str, Any], me: str) -> tuple[int, str]:
    """(device_seq, digest) of our newest bundle the snapshot holds; (0, "") for none."""
    heads = content.get("heads")
    head = heads.get(me) if isinstance(heads, dict) else None
    if head is None:
        return 0, ""
    if not chain._is_position(head):
        raise TamperedSnapshot("the snapshot's head for this device is malformed")
    return int(head[0]), str(head[1])


def _check_own_chain(conn: Connection, team_id: str, me: str, team_has: tuple[int, str]) -> bool:
    """True when the team holds more of our bundles than this store; a fork raises.

    Where our change log has an acknowledged bundle under the snapshot's
    number for us, it must be the same bundle (same digest).
    """
    seq, digest = team_has
    last = sync_state.last_acked_seq(conn)
    if seq == 0 or seq > last:
        return seq > 0
    if chain.own_digest(conn, team_id, me, seq) != digest:
        raise DeviceReused("the snapshot holds another bundle under one of our numbers")
    return False
