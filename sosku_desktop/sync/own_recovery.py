"""A laptop restored from its own backup takes back what it had sent since.

The opposite of a relay restored from a backup (``client._Round._check_relay``,
where the laptop re-pushes from its change log): here the *laptop* went
back in time and the relay holds its later bundles. Without this, the
laptop's next bundle would reuse a number the team has seen with other
content, so the round stopped with ``DeviceReused`` for good.

When the round meets that (a pulled own bundle this store never wrote, or
the relay refusing a pushed number as taken), ``recover`` reads the relay
from our newest acknowledged position on and keeps only what this device
provably wrote:

* signed with *our* device key (the relay cannot make one up; one that
  is not is counted as forged and flagged as a ``fork``);
* continuing our hash chain: the first one's ``prev`` is the digest of
  the last bundle the restored store holds in agreement with the relay,
  and each next one links to the one before, numbers without gaps;
* never replacing a bundle the restored store knows the relay
  acknowledged with other content (that is a fork, not a restore).

Those are written back (``store/own_restore.adopt``: change log as
acknowledged, merged into the rows, clock moved past them); bundles written
locally after the restore that took the same numbers were refused by the
relay, so they move up to follow (``renumber_after``) and are pushed next.
If the relay compacted past our position (410), the bundles are gone and
only a new enrolment helps (``OwnHistoryCompacted``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from sosku_desktop.store import own_restore, sync_state
from sosku_desktop.store.database import Store
from sosku_desktop.store.hlc import HybridLogicalClock
from sosku_desktop.sync import chain
from sosku_desktop.sync.device_store import Identity
from sosku_desktop.sync.envelope import open_bundle, verify_signature
from sosku_desktop.sync.epochs import KeyRing
from sosku_desktop.sync.protocol import MAX_PULL_LIMIT, SyncError, TamperedBundle, UnknownEpoch
from sosku_desktop.sync.report import DeviceReused, SyncReport
from sosku_desktop.sync.transport import HistoryCompacted, SyncTransport

log = logging.getLogger(__name__)


class OwnHistoryCompacted(SyncError):
    """The relay no longer keeps the bundles this restored laptop sent after its backup."""


class RoundState(Protocol):
    """What the recovery reads from the sync round (``client._Round``)."""

    store: Store
    identity: Identity
    transport: SyncTransport
    keys: KeyRing
    report: SyncReport


class OwnRecoverySteps:
    """Mixed into the round (``client._Round``): where it meets our own later bundles."""

    store: Store
    identity: Identity
    transport: SyncTransport
    keys: KeyRing
    report: SyncReport
    _own_ids: dict[int, str] | None
    _digests: dict[int, str]

    def _pull(self) -> None:  # provided by PullSteps
        raise NotImplementedError

    def _push(self) -> None:  # provided by the round
        raise NotImplementedError

    def _catch_up(self) -> Any:  # provided by catch_up.CatchUpSteps
        raise NotImplementedError

    waiting_for_keys: bool

    def _take_back(self) -> bool:
        """Recover our own later bundles; False when the relay holds none of ours."""
        if not recover(self):
            return False
        self._own_ids = None  # the change log changed: numbers, ids, digests
        self._digests.clear()
        return True

    def _pull_taking_back(self) -> None:
        """Pull; a pulled own bundle this store lacks is taken back, then on as usual.

        A 410 for a store that had pulled before means the relay compacted
        past our cursor, which it does only once we had acknowledged more:
        this store went back in time, and what it lacks is gone from the log.
        """
        try:
            self._pull()
        except HistoryCompacted as exc:
            with self.store.read() as r:
                pulled_before = sync_state.cursor(r.conn) > 0
            if not pulled_before:
                raise
            if self._catch_up().value == "not_behind":  # catch_up.py: the team's snapshot
                raise OwnHistoryCompacted("the relay compacted past this restored store") from exc
            if not self.waiting_for_keys:
                self._push()  # our unsent changes, after the team's head for us
                self._pull()
        except DeviceReused:
            if not self._take_back():
                raise
            self._push()  # our writes since the restore, renumbered after the recovered ones
            self._pull()


def recover(round_: RoundState) -> int:
    """Take back our own bundles the relay holds beyond this store; returns how many.

    0 means there was nothing of ours to take back (the caller then stops
    with ``DeviceReused`` as before); a fork raises it here.
    """
    with round_.store.read() as r:
        last = sync_state.last_acked(r.conn)
        base = own_restore.own_base(r.conn)  # caught up: the snapshot holds ours up to it
    found, forged = _scan(round_, max(last[0] if last else 0, base[2] if base else 0))
    if forged:
        log.warning("the relay serves bundles under this device's id it did not sign")
        _flag_fork(round_)
    if not found:
        return 0
    device_id = round_.identity.device_id
    try:
        with round_.store.write() as w:
            local = own_restore.local_bundles(w.conn)
            agreed, adopted = _plan(w.conn, round_.identity, local, found)
            _write_back(w.conn, device_id, agreed, adopted, round_.store.clock)
    except DeviceReused:
        _flag_fork(round_)  # signed by us, yet not our history: nothing written
        raise
    if adopted:
        log.warning("took back %d bundles of this device from the relay", len(adopted))
    round_.report.own_recovered += len(adopted)
    return len(adopted) + len(agreed)


def _write_back(
    conn: Any,
    device_id: str,
    agreed: dict[str, int],
    adopted: list[tuple[dict[str, Any], int]],
    clock: HybridLogicalClock,
) -> None:
    """Acknowledge what the relay holds as we do; take back the rest, ours moved after it."""
    sync_state.mark_acked(conn, agreed)
    if adopted:
        first, newest = int(adopted[0][0]["device_seq"]), int(adopted[-1][0]["device_seq"])
        own_restore.renumber_after(conn, first, newest - first + 1)
        own_restore.adopt(conn, device_id, adopted, clock)


def _flag_fork(round_: RoundState) -> None:
    """Kept for the Sync page even when the round stops here."""
    round_.keys.book.flag(chain.FORK)
    round_.keys.book.save_problems()


def _scan(round_: RoundState, after: int) -> tuple[dict[int, tuple[dict[str, Any], int]], int]:
    """Our own bundles the relay holds after ``after``, opened: (device_seq -> (plaintext,
    server_seq), how many claimed to be ours without our signature)."""
    identity = round_.identity
    mine = identity.keys.public.sign_pub
    found: dict[int, tuple[dict[str, Any], int]] = {}
    forged = 0
    opener = _Opener(round_, lambda d: mine if d == identity.device_id else None)
    while True:
        try:
            page = round_.transport.pull(after=after, limit=MAX_PULL_LIMIT)
        except HistoryCompacted as exc:
            raise OwnHistoryCompacted("the relay compacted our bundles after the backup") from exc
        served = [w for w in page.get("bundles") or [] if isinstance(w, dict)]
        for wire in served:
            seq = wire.get("server_seq")
            if wire.get("device_id") != identity.device_id or not isinstance(seq, int):
                continue
            try:
                verify_signature(wire, mine)
            except TamperedBundle:
                forged += 1
                continue
            plaintext = opener.open(wire)
            if plaintext is None or plaintext.get("device_id") != identity.device_id:
                continue
            found.setdefault(int(plaintext["device_seq"]), (plaintext, seq))
        following = page.get("next")
        if not page.get("more") or not isinstance(following, int) or following <= after:
            return found, forged
        after = following


class _Opener:
    """Opens our own bundles, fetching epoch keys once when one is missing."""

    def __init__(self, round_: RoundState, signer: Callable[[str], bytes | None]) -> None:
        self.round = round_
        self.signer = signer
        self.fetched = False

    def open(self, wire: dict[str, Any]) -> dict[str, Any] | None:
        for _ in (0, 1):
            try:
                return open_bundle(
                    wire, self.round.keys.epoch_keys, self.signer, self.round.identity.team_id
                )
            except UnknownEpoch:
                if self.fetched:
                    return None
                self.fetched = True
                self.round.keys.fetch_keys()
            except TamperedBundle:
                return None
        return None


def _plan(
    conn: Any,
    identity: Identity,
    local: dict[int, own_restore.LocalBundle],
    found: dict[int, tuple[dict[str, Any], int]],
) -> tuple[dict[str, int], list[tuple[dict[str, Any], int]]]:
    """(un-acked local bundles the relay holds as they are, bundles to take back).

    Raises ``DeviceReused`` for a fork: a bundle we know the relay
    acknowledged differently, a gap, or a broken chain link.
    """
    agreed: dict[str, int] = {}
    adopted: list[tuple[dict[str, Any], int]] = []
    prev: str | None = None
    for device_seq in sorted(found):
        plaintext, server_seq = found[device_seq]
        held = local.get(device_seq)
        same = held is not None and held.bundle_id == plaintext["bundle_id"]
        if same and not adopted:
            if held is not None and held.server_seq is None:
                agreed[held.bundle_id] = server_seq
            continue
        if held is not None and held.server_seq is not None:
            raise DeviceReused("the relay holds other content under a number it acknowledged")
        if prev is None:
            prev = chain.own_digest(conn, identity.team_id, identity.device_id, device_seq - 1)
            base = own_restore.own_base(conn)
            known = (device_seq - 1) in local or (base is not None and base[0] == device_seq - 1)
            if device_seq > 1 and (not prev or not known):
                raise DeviceReused("this device's bundles on the relay do not follow this store")
        elif int(adopted[-1][0]["device_seq"]) != device_seq - 1:
            raise DeviceReused("this device's bundles on the relay have a gap")
        if plaintext.get("prev", "") != prev:
            raise DeviceReused("this device's bundles on the relay break its hash chain")
        prev = chain.digest_of(plaintext)
        adopted.append((plaintext, server_seq))
    return agreed, adopted
