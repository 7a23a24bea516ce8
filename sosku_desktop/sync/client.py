"""The sync client: one round = status → keys → push the outbox → pull and apply.

``SyncClient(store).sync_once()`` is what the UI's background task and
``sosku sync now`` call. The rules that keep it safe:

* the store's write lock is never held while waiting on the network: every
  round trip happens between short transactions;
* outbox rows leave the outbox only in the transaction that records the
  server's acknowledgement; bundles are sealed deterministically, so a
  resend after a lost answer is byte-for-byte the same and the relay
  returns the original ``server_seq``;
* each pulled page is verified and opened first, then applied together
  with the cursor advance in one transaction (a crash re-pulls the page;
  duplicates are no-ops by ``device_seq``);
* a bundle that fails verification is quarantined as ``tampered``, counted
  in the report and never applied.

Errors the worker must see come out as the transport's typed exceptions
(``Offline``, ``DeviceRevoked`` …) or the ones below; ``messages.py`` turns
them into plain words.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sosku_desktop.store import sync_state
from sosku_desktop.store.database import Store
from sosku_desktop.store.sync_state import OutgoingBundle
from sosku_desktop.sync import chain, epochs, gc_pause, pull_space, round_outcome
from sosku_desktop.sync.authority import AuthorityMismatch, AuthorityMissing
from sosku_desktop.sync.bootstrap import PRUNED
from sosku_desktop.sync.catch_up import CatchUpSteps
from sosku_desktop.sync.device_store import DeviceStore, Identity
from sosku_desktop.sync.envelope import seal_bundle
from sosku_desktop.sync.epochs import KeyRing
from sosku_desktop.sync.own_recovery import OwnRecoverySteps
from sosku_desktop.sync.protocol import (
    ACTIVE,
    E_BUNDLE_CONFLICT,
    E_DEVICE_SEQ_GAP,
    ENVELOPE_VERSION,
    MAX_BODY_BYTES,
    MAX_PULL_LIMIT,
    MAX_PUSH_BUNDLES,
    PENDING,
    REVOKED,
    SealedBundle,
    SyncError,
)
from sosku_desktop.sync.pull import TAMPERED, BundleVerifier, PullSteps
from sosku_desktop.sync.report import DeviceReused, SyncReport, SyncState, newer_than_ours
from sosku_desktop.sync.round_outcome import RoundFailure
from sosku_desktop.sync.transport import (
    DevicePending,
    DeviceRevoked,
    EpochStale,
    NoEpoch,
    RequestRejected,
    RotationNeeded,
    SyncTransport,
    check_server_url,
)
from sosku_desktop.sync.trust import TrustBook

log = logging.getLogger(__name__)

TransportFactory = Callable[[str, str, str, Any], SyncTransport]
#: ``progress(phase, done, total)``; phases: "connect", "keys", "push", "pull".
Progress = Callable[[str, int, int], None]

#: Push attempts in a row that make no progress before the round gives up.
_PUSH_RETRIES = 6
#: A laptop makes a snapshot when the relay's newest is this many bundles behind its cursor.
SNAPSHOT_AFTER = 10_000
#: A batch on its way: the outbox rows, their sealed bundles and the relay's answer to come.
_Flight = tuple[list[OutgoingBundle], list[SealedBundle], Future[dict[str, Any]]]
#: Ciphertext per push request, well under the relay's body limit (base64 adds a third).
_PUSH_BYTES = MAX_BODY_BYTES // 2


class NotJoined(SyncError):
    """This data directory has not joined a sync team."""


class AlreadyJoined(SyncError):
    """This data directory already belongs to another team (leave it first)."""


@dataclass(frozen=True)
class SyncStatus:
    """The local view for the Sync page (no network)."""

    joined: bool
    state: SyncState
    server_url: str = ""
    team_id: str = ""
    device_id: str = ""
    device_name: str = ""
    fingerprint: str = ""
    keys_in_keyring: bool = False
    epochs: tuple[int, ...] = ()
    last_sync: datetime | None = None
    outbox: int = 0
    open_conflicts: int = 0
    quarantined: int = 0
    #: The pinned team authority's safety number and whether it was checked at join.
    authority: str = ""
    authority_confirmed: bool = False
    trust_problems: tuple[str, ...] = ()
    #: Why and when the last round failed, until one succeeds (``round_outcome``).
    last_failure: RoundFailure | None = None


def default_transport(base_url: str, team_id: str, device_id: str, keys: Any) -> SyncTransport:
    return SyncTransport(base_url, team_id, device_id, keys)


class SyncClient:
    """Syncs one open store with its team's relay."""

    def __init__(
        self,
        store: Store,
        transport_factory: TransportFactory = default_transport,
        *,
        push_batch: int = MAX_PUSH_BUNDLES,
        pull_limit: int = MAX_PULL_LIMIT,
        verifiers: tuple[BundleVerifier, ...] = (),
        snapshot_after: int = SNAPSHOT_AFTER,
    ) -> None:
        self.store = store
        self.devices = DeviceStore(store)
        self.transport_factory = transport_factory
        self.push_batch = max(1, min(push_batch, MAX_PUSH_BUNDLES))
        self.pull_limit = pull_limit
        #: Run on every opened bundle before the page is applied; a refusal quarantines
        #: just that bundle as tampered.
        self.verifiers: list[BundleVerifier] = list(verifiers)
        #: Make a snapshot when the relay's newest is this many bundles behind (0: never).
        self.snapshot_after = snapshot_after
        self._round_lock = threading.Lock()

    # --- enrolment -----------------------------------------------------------------------

    def join(
        self,
        server_url: str,
        team_id: str,
        join_code: str,
        device_name: str,
        authority: str | None = None,
    ) -> str:
        """Enrol this laptop; returns the fingerprint the administrator compares.

        Keys are made and saved before the relay is asked, and the relay
        answers a repeated join with the same keys, so an interrupted join
        can simply be run again. ``authority`` is the team's safety number
        from the administrator: the relay's authority key must match it
        (AuthorityMismatch otherwise). Without it the key seen now is pinned
        and the Sync page asks the worker to compare its safety number.
        """
        check_server_url(server_url)
        identity = self.devices.identity()
        if identity is not None and (identity.server_url, identity.team_id) != (
            server_url.rstrip("/"),
            team_id,
        ):
            if self.devices.device_status() is not None:
                raise AlreadyJoined("this data directory already syncs with another team")
            # No relay ever answered (a mistyped address): start over.
            self.leave()
            identity = None
        if identity is None:
            identity = self.devices.create_identity(server_url.rstrip("/"), team_id, device_name)
        elif self.devices.device_status() is None and identity.device_name != device_name:
            # An earlier try was refused: the name typed now is the one the relay will list.
            identity = self.devices.rename(device_name)
        book = TrustBook(self.store, team_id)
        if authority:
            book.expect(authority)
        transport = self._transport(identity)
        try:
            transport.check_relay()
            entry = transport.join(join_code, device_name)
            self.devices.set_device_status(str(entry.get("status", PENDING)))
            book.update(transport.status().get("authority"))
        finally:
            transport.close()
        return identity.fingerprint

    def leave(self) -> None:
        """Forget the team locally (keys, caches, pull position); local data and outbox stay."""
        self.devices.forget()
        with self.store.write() as w:
            sync_state.set_cursor(w.conn, 0)
            sync_state.set_cursor_anchor(w.conn, 0, None)

    # --- local status --------------------------------------------------------------------

    def status(self) -> SyncStatus:
        """What the Sync page shows without asking the relay."""
        identity = self.devices.identity()
        with self.store.read() as r:
            last = sync_state.last_sync(r.conn)
            outbox = sync_state.outbox_count(r.conn)
            conflicts = r.open_conflicts()
            held = r.quarantined()
        book = TrustBook(self.store, identity.team_id if identity else "")
        safety = book.safety_number() if identity is not None else None
        if identity is None:
            return SyncStatus(
                joined=False,
                state=SyncState.NOT_JOINED,
                device_id=self.store.device_id,
                last_sync=last,
                outbox=outbox,
                open_conflicts=conflicts,
                quarantined=held,
            )
        problems, failure = book.last_problems(), round_outcome.last_failure(self.store)
        state = self._state_from_status(self.devices.device_status(), outbox)
        return SyncStatus(
            joined=True,
            state=round_outcome.shown_state(state, problems, failure),
            last_failure=failure,
            server_url=identity.server_url,
            team_id=identity.team_id,
            device_id=identity.device_id,
            device_name=identity.device_name,
            fingerprint=identity.fingerprint,
            keys_in_keyring=identity.keys_in_keyring,
            epochs=tuple(sorted(self.devices.epoch_keys())),
            last_sync=last,
            outbox=outbox,
            open_conflicts=conflicts,
            quarantined=held,
            authority=safety[0] if safety else "",
            authority_confirmed=bool(safety and safety[1]),
            trust_problems=problems,
        )

    @staticmethod
    def _state_from_status(device_status: str | None, outbox: int) -> SyncState:
        if device_status is None:  # the relay never accepted a join of these keys
            return SyncState.JOIN_UNFINISHED
        if device_status == REVOKED:
            return SyncState.REVOKED
        if device_status != ACTIVE:
            return SyncState.PENDING_APPROVAL
        return SyncState.CHANGES_WAITING if outbox else SyncState.UP_TO_DATE

    # --- one round -----------------------------------------------------------------------

    def sync_once(self, progress: Progress | None = None) -> SyncReport:
        """Status, keys, push, pull, quarantine retry; see the module docstring."""
        with self._round_lock:
            identity = self.devices.identity()
            if identity is None:
                raise NotJoined("join a team first")
            transport = self._transport(identity)
            try:
                with gc_pause.fewer_collections():
                    report = _Round(self, identity, transport, progress or _no_progress).run()
            except Exception as exc:
                log.warning("sync round failed: %s", type(exc).__name__)
                round_outcome.note_failure(self.store, exc)
                raise
            finally:
                transport.close()
            report.newest_version = newer_than_ours(transport.newest_version)
            round_outcome.note_success(self.store)
            log.info(
                "sync round: %s, pushed %d, pulled %d, applied %d, conflicts %d, quarantined %d",
                report.state.value,
                report.pushed,
                report.pulled,
                report.applied,
                report.conflicts,
                report.quarantined,
            )
            return report

    def _transport(self, identity: Identity) -> SyncTransport:
        return self.transport_factory(
            identity.server_url, identity.team_id, identity.device_id, identity.keys
        )


def _no_progress(_phase: str, _done: int, _total: int) -> None:
    return None


class _Round(PullSteps, CatchUpSteps, OwnRecoverySteps):
    """The state of one ``sync_once``."""

    client: SyncClient

    def __init__(
        self, client: SyncClient, identity: Identity, transport: SyncTransport, progress: Progress
    ) -> None:
        self.client = client
        self.store = client.store
        self.identity = identity
        self.transport = transport
        self.progress = progress
        self.keys: KeyRing = epochs.load(self.store, identity, transport)
        self.report = SyncReport(state=SyncState.UP_TO_DATE, fingerprint=identity.fingerprint)
        self.head = 0
        self.waiting_for_keys = False
        self._roster_refreshed = False
        self._epochs_fetched: set[int] = set()
        self._own_ids: dict[int, str] | None = None
        self._sent: dict[str, dict[str, Any]] = {}
        with self.store.read() as r:
            self.chain = chain.load(r.conn)
        #: The view of heads outgoing bundles carry, and digests of our bundles by device_seq.
        self._view: dict[str, Any] = {}
        self._digests: dict[int, str] = {}

    def run(self) -> SyncReport:
        self.progress("connect", 0, 1)
        if not self._check_status():
            return self.report
        self._check_relay()
        self.progress("keys", 0, 1)
        self.keys.refresh()
        self.keys.ensure_epoch()
        self.keys.share_keys()
        if self._catch_up_first():  # compacted past us: the snapshot first (catch_up.py)
            self._push()
            if self._bootstrap():
                pull_space.check(self.store, self.transport, self.head)  # else NotEnoughSpace
                self._pull_taking_back()
        self._finish()
        self._maybe_snapshot()
        return self.report

    # --- status --------------------------------------------------------------------------

    def _check_status(self) -> bool:
        """False when this device may not sync (pending); revoked raises DeviceRevoked."""
        try:
            status = self.transport.status()
        except DeviceRevoked:
            self.client.devices.set_device_status(REVOKED)
            raise
        except DevicePending:
            status = {"device": {"status": PENDING}}
        self.keys.adopt(status.get("authority"), int(status.get("epoch", 0)))
        device_status = str(status.get("device", {}).get("status", PENDING))
        if device_status != self.client.devices.device_status():
            self.client.devices.set_device_status(device_status)
        if device_status != ACTIVE:
            self.report.state = SyncState.PENDING_APPROVAL
            with self.store.read() as r:
                self.report.outbox = sync_state.outbox_count(r.conn)
            return False
        self.head = int(status.get("head_seq", 0))
        self.keys.rotation_needed = bool(status.get("rotation_needed", False))
        return True

    # --- a relay restored from a backup ------------------------------------------------

    def _check_relay(self) -> None:
        """Is the relay still holding what we saw? One small pull per round says so.

        A relay restored from an old backup keeps a prefix of its history and
        then hands out the same ``server_seq`` numbers to new bundles. We
        check the newest bundle we know a position of (the one under our
        cursor, or our newest acknowledged one); if it moved, we find the
        last of our own bundles still in place, pull again from there, and
        put our later bundles back into the outbox.
        """
        with self.store.read() as r:
            anchors = [sync_state.cursor_anchor(r.conn), sync_state.last_acked(r.conn)]
        known = [a for a in anchors if a is not None]
        if not known:
            return
        seq, bundle_id = max(known)
        found = self._bundle_at(seq)
        self.maybe_behind = found == PRUNED
        if found in (bundle_id, PRUNED):
            return
        log.warning("the relay lost bundles it had acknowledged (restored from a backup?)")
        self.report.server_restored = True
        with self.store.read() as r:
            own = sync_state.acked(r.conn)
        low, high = 0, len(own)  # own[:low] verified in place, own[high:] known lost
        while low < high:
            mid = (low + high) // 2
            if self._bundle_at(own[mid][0]) in (own[mid][2], PRUNED):
                low = mid + 1
            else:
                high = mid
        keep = own[low - 1][0] if low else 0
        with self.store.write() as w:
            sync_state.set_cursor(w.conn, min(keep, sync_state.cursor(w.conn)))
            sync_state.set_cursor_anchor(w.conn, keep, own[low - 1][2] if low else None)
            if low < len(own):
                sync_state.requeue_from(w.conn, own[low][1])

    # --- push ----------------------------------------------------------------------------

    def _seal(self, bundle: OutgoingBundle, epoch: int, legacy: bool = False) -> SealedBundle:
        """Seal one outbox bundle; ``legacy``: as sealed before envelope 2 and hash chains."""
        plaintext = bundle.plaintext(self.identity.device_id)
        plaintext["team_id"] = self.identity.team_id
        plaintext["epoch"] = epoch
        if not legacy:
            plaintext["prev"] = self._prev_digest(bundle.device_seq)
            plaintext["heads"] = self._view
        self._digests[bundle.device_seq] = chain.digest_of(plaintext)
        return seal_bundle(
            plaintext,
            self.keys.epoch_keys[epoch],
            self.identity.keys,
            deterministic=True,
            version=1 if legacy else ENVELOPE_VERSION,
        )

    def _prev_digest(self, device_seq: int) -> str:
        """The chain link: the digest of our bundle before this one."""
        found = self._digests.get(device_seq - 1)
        if found is None:
            with self.store.read() as r:
                found = chain.own_digest(
                    r.conn, self.identity.team_id, self.identity.device_id, device_seq - 1
                )
        return found

    def _push(self) -> None:
        """Push the outbox batch by batch, keeping the relay busy.

        Batches go one at a time (the relay wants ``device_seq`` without
        gaps), but the next one is read, sealed and noted as sent while the
        relay works on the previous one, and it leaves as soon as that one's
        answer is in, before the answer is recorded: the relay never waits
        for this laptop's commits. A crash in between only means that an
        acknowledged batch is sent again next round, and the relay answers a
        repeat with its original numbers.
        """
        with self.store.write() as w:
            total = sync_state.outbox_count(w.conn)
            self._view = chain.frozen_view(w.conn, self.chain)
        stalled, after = 0, 0
        flight: _Flight | None = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sosku-push") as pool:

            def send(
                batch: tuple[list[OutgoingBundle], list[SealedBundle]] | None,
            ) -> _Flight | None:
                return (
                    None if batch is None else (*batch, pool.submit(self.transport.push, batch[1]))
                )

            while True:
                following = self._next_batch(after)
                if following is not None:
                    after = following[0][-1].device_seq
                if flight is None:
                    flight = send(following)
                    if flight is None:
                        return
                    continue
                batch, sealed, answer_of = flight
                try:
                    answer = answer_of.result()
                except (EpochStale, RotationNeeded, NoEpoch, RequestRejected) as exc:
                    stalled += 1
                    if stalled > _PUSH_RETRIES:
                        raise
                    self._recover_push(exc, batch)
                    flight, after = None, 0  # read the outbox again; the sealed batch is dropped
                    continue
                stalled = 0
                flight = send(following)
                self._sent.update((b.bundle_id, b.to_wire()) for b in sealed)
                self._ack({r["bundle_id"]: int(r["server_seq"]) for r in answer["results"]})
                self.progress("push", self.report.pushed, total)
                if flight is None:
                    return

    def _next_batch(self, after: int) -> tuple[list[OutgoingBundle], list[SealedBundle]] | None:
        """The next outbox bundles after ``after``, sealed; None when none (or no key yet).

        They are noted as sent at once (``chain.note_sent``: the view they
        carry stays until they are acknowledged), so that the commit is made
        while the relay works on the batch before; a batch that never leaves
        only keeps the view a little longer.
        """
        with self.store.read() as r:
            batch = sync_state.pending(r.conn, self.client.push_batch, after)
        if not batch:
            return None
        if self.keys.current_key is None:
            # No key yet, or the relay's epoch is not the signed one (reported).
            self.waiting_for_keys = not self.keys.book.problems
            return None
        sealed = _within_body_limit([self._seal(b, self.keys.team_epoch) for b in batch])
        batch = batch[: len(sealed)]
        with self.store.write() as w:
            chain.note_sent(w.conn, batch[-1].device_seq)
        return batch, sealed

    def _ack(self, acks: dict[str, int]) -> None:
        """Record the relay's answer; our bundles right after the cursor need no pull back."""
        with self.store.write() as w:
            self.report.pushed += sync_state.mark_acked(w.conn, acks)
            sync_state.pass_own(w.conn, acks)

    def _recover_push(self, exc: Exception, batch: list[OutgoingBundle]) -> None:
        """Do what the relay asked for, so that the next attempt can succeed."""
        if isinstance(exc, EpochStale | RotationNeeded | NoEpoch):
            self.keys.refresh()
            self.keys.ensure_epoch()
            return
        assert isinstance(exc, RequestRejected)
        if exc.code == E_DEVICE_SEQ_GAP and isinstance(exc.body.get("expected"), int):
            # The relay lost bundles it had acknowledged (restored from a backup).
            with self.store.write() as w:
                sync_state.requeue_from(w.conn, int(exc.body["expected"]))
            self.report.server_restored = True
            return
        index = exc.body.get("index")
        if exc.code == E_BUNDLE_CONFLICT and isinstance(index, int) and 0 <= index < len(batch):
            self._recover_conflict(batch[index])
            return
        raise exc

    def _recover_conflict(self, bundle: OutgoingBundle) -> None:
        """The relay stored this bundle sealed under an older epoch (our answer was lost).

        Sealing is deterministic, so the same bundle under the epoch used
        then gives the stored signature back and the relay answers with its
        ``server_seq``. A bundle first sent by the version before envelope 2
        is tried in that form too. If nothing matches, the numbers are
        someone else's.
        """
        held = sorted(self.keys.epoch_keys, reverse=True)
        tries = [(e, False) for e in held if e != self.keys.team_epoch]
        for epoch, legacy in [*tries, *((e, True) for e in held)]:
            try:
                answer = self.transport.push([self._seal(bundle, epoch, legacy)])
            except RequestRejected as exc:
                if exc.code == E_BUNDLE_CONFLICT:
                    continue
                raise
            self._ack({r["bundle_id"]: int(r["server_seq"]) for r in answer["results"]})
            return
        if self._take_back():  # our own backup was restored: own_recovery.py
            return
        raise DeviceReused("the relay holds other changes under this device's numbers")

    # --- end of round --------------------------------------------------------------------

    def _finish(self) -> None:
        with self.store.write() as w:
            if sync_state.quarantined(w.conn):
                self.report.retried = sync_state.retry_quarantine(w.conn, self.store.clock)
            sync_state.note_sync(w.conn)
            self.report.outbox = sync_state.outbox_count(w.conn)
        self.report.epoch = self.keys.team_epoch
        self.report.created_epoch = self.keys.created_epoch
        self.report.keys_shared = self.keys.shared
        self.report.key_problems = self.keys.key_problems
        self.keys.book.save_problems()
        self.report.trust_problems = tuple(self.keys.book.problems)
        if self.report.trust_problems:
            self.report.state = SyncState.TRUST_PROBLEM
        elif self.waiting_for_keys:
            self.report.state = self.keys.waiting_state()
        elif self.report.outbox:
            self.report.state = SyncState.CHANGES_WAITING
        else:
            self.report.state = SyncState.UP_TO_DATE


def _within_body_limit(sealed: list[SealedBundle]) -> list[SealedBundle]:
    """The longest prefix whose ciphertext fits one push request (at least one bundle)."""
    total = 0
    for count, bundle in enumerate(sealed):
        total += len(bundle.ciphertext) + 512
        if count and total > _PUSH_BYTES:
            return sealed[:count]
    return sealed


__all__ = [
    "TAMPERED", "AlreadyJoined", "AuthorityMismatch", "AuthorityMissing", "BundleVerifier",
    "DevicePending", "DeviceReused", "DeviceRevoked", "NotJoined", "Progress", "SyncClient",
    "SyncReport", "SyncState", "SyncStatus",
]  # fmt: skip
