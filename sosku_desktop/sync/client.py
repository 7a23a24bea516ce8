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
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sosku_desktop.store import sync_state
from sosku_desktop.store.database import Store
from sosku_desktop.store.sync_state import OutgoingBundle
from sosku_desktop.sync import apply_rules, chain, epochs
from sosku_desktop.sync.authority import AuthorityMismatch, AuthorityMissing
from sosku_desktop.sync.device_store import DeviceStore, Identity
from sosku_desktop.sync.envelope import open_bundle, seal_bundle, verify_signature
from sosku_desktop.sync.epochs import KeyRing
from sosku_desktop.sync.protocol import (
    ACTIVE,
    E_BUNDLE_CONFLICT,
    E_DEVICE_SEQ_GAP,
    MAX_PUSH_BUNDLES,
    PENDING,
    REVOKED,
    SealedBundle,
    SyncError,
    TamperedBundle,
    UnknownEpoch,
    UnknownSigner,
)
from sosku_desktop.sync.transport import (
    DevicePending,
    DeviceRevoked,
    EpochStale,
    NoEpoch,
    RequestRejected,
    RotationNeeded,
    ServerError,
    SyncTransport,
    check_server_url,
)
from sosku_desktop.sync.trust import TrustBook

log = logging.getLogger(__name__)

TransportFactory = Callable[[str, str, str, Any], SyncTransport]
#: ``progress(phase, done, total)``; phases: "connect", "keys", "push", "pull".
Progress = Callable[[str, int, int], None]

TAMPERED = "tampered"
#: Marker from ``_open_checked``: stop the page here and wait for a key.
_HOLD = object()
#: Push attempts in a row that make no progress before the round gives up.
_PUSH_RETRIES = 6


class SyncState(StrEnum):
    """What the Sync page shows after a round."""

    NOT_JOINED = "not_joined"
    PENDING_APPROVAL = "pending_approval"
    WAITING_FOR_KEYS = "waiting_for_keys"
    CHANGES_WAITING = "changes_waiting"
    UP_TO_DATE = "up_to_date"
    REVOKED = "revoked"
    #: The round found something the relay should not have done (``trust_problems``).
    TRUST_PROBLEM = "trust_problem"


class NotJoined(SyncError):
    """This data directory has not joined a sync team."""


class AlreadyJoined(SyncError):
    """This data directory already belongs to another team (leave it first)."""


class DeviceReused(SyncError):
    """The relay holds other bundles under this device's numbers (e.g. restored from backup).

    The laptop must be enrolled again as a new device; nothing is pushed.
    """


@dataclass
class SyncReport:
    """What one ``sync_once`` did; counts only, never client data."""

    state: SyncState
    fingerprint: str = ""
    pushed: int = 0
    pulled: int = 0
    applied: int = 0
    quarantined: int = 0
    tampered: int = 0
    conflicts: int = 0
    retried: int = 0
    outbox: int = 0
    epoch: int = 0
    created_epoch: int | None = None
    keys_shared: int = 0
    key_problems: int = 0
    #: The relay had lost bundles it acknowledged (restored from a backup); we refilled it.
    server_restored: bool = False
    #: Signed bundles refused by the team's rules (revoked device, unsigned epoch, write rules).
    refused: int = 0
    #: Codes of what looked wrong (``trust.PROBLEMS``); each has a sentence for the worker.
    trust_problems: tuple[str, ...] = ()


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


def default_transport(base_url: str, team_id: str, device_id: str, keys: Any) -> SyncTransport:
    return SyncTransport(base_url, team_id, device_id, keys)


class SyncClient:
    """Syncs one open store with its team's relay."""

    def __init__(
        self,
        store: Store,
        transport_factory: TransportFactory = default_transport,
        *,
        push_batch: int = 200,
        pull_limit: int = 500,
    ) -> None:
        self.store = store
        self.devices = DeviceStore(store)
        self.transport_factory = transport_factory
        self.push_batch = max(1, min(push_batch, MAX_PUSH_BUNDLES))
        self.pull_limit = pull_limit
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
        book = TrustBook(self.store, team_id)
        if authority:
            book.expect(authority)
        transport = self._transport(identity)
        try:
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
        return SyncStatus(
            joined=True,
            state=self._state_from_status(self.devices.device_status(), outbox),
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
            trust_problems=book.last_problems(),
        )

    @staticmethod
    def _state_from_status(device_status: str | None, outbox: int) -> SyncState:
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
                return _Round(self, identity, transport, progress or _no_progress).run()
            finally:
                transport.close()

    def _transport(self, identity: Identity) -> SyncTransport:
        return self.transport_factory(
            identity.server_url, identity.team_id, identity.device_id, identity.keys
        )


def _no_progress(_phase: str, _done: int, _total: int) -> None:
    return None


class _Round:
    """The state of one ``sync_once``."""

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
        self._push()
        self._pull()
        self._finish()
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

    def _bundle_at(self, seq: int) -> str | None:
        if seq < 1 or seq > self.head:
            return None
        found = self.transport.pull(after=seq - 1, limit=1).get("bundles") or [None]
        first = found[0] if isinstance(found[0], dict) else {}
        return first.get("bundle_id") if first.get("server_seq") == seq else None

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
        if self._bundle_at(seq) == bundle_id:
            return
        log.warning("the relay lost bundles it had acknowledged (restored from a backup?)")
        self.report.server_restored = True
        with self.store.read() as r:
            own = sync_state.acked(r.conn)
        low, high = 0, len(own)  # own[:low] verified in place, own[high:] known lost
        while low < high:
            mid = (low + high) // 2
            if self._bundle_at(own[mid][0]) == own[mid][2]:
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

    def _seal(self, bundle: OutgoingBundle, epoch: int) -> SealedBundle:
        plaintext = bundle.plaintext(self.identity.device_id)
        plaintext["team_id"] = self.identity.team_id
        plaintext["epoch"] = epoch
        plaintext["prev"] = self._prev_digest(bundle.device_seq)
        plaintext["heads"] = self._view
        self._digests[bundle.device_seq] = chain.digest_of(plaintext)
        return seal_bundle(
            plaintext, self.keys.epoch_keys[epoch], self.identity.keys, deterministic=True
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
        with self.store.write() as w:
            total = sync_state.outbox_count(w.conn)
            self._view = chain.frozen_view(w.conn, self.chain)
        stalled = 0
        while True:
            with self.store.read() as r:
                batch = sync_state.pending(r.conn, self.client.push_batch)
            if not batch:
                return
            if self.keys.current_key is None:
                # No key yet, or the relay's epoch is not the signed one (reported).
                self.waiting_for_keys = not self.keys.book.problems
                return
            sealed = [self._seal(b, self.keys.team_epoch) for b in batch]
            with self.store.write() as w:
                chain.note_sent(w.conn, batch[-1].device_seq)
            try:
                answer = self.transport.push(sealed)
            except (EpochStale, RotationNeeded, NoEpoch, RequestRejected) as exc:
                stalled += 1
                if stalled > _PUSH_RETRIES:
                    raise
                self._recover_push(exc, batch)
                continue
            stalled = 0
            self._ack({r["bundle_id"]: int(r["server_seq"]) for r in answer["results"]})
            self.progress("push", self.report.pushed, total)

    def _ack(self, acks: dict[str, int]) -> None:
        with self.store.write() as w:
            self.report.pushed += sync_state.mark_acked(w.conn, acks)

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
        ``server_seq``. If no epoch matches, the numbers are someone else's.
        """
        for epoch in sorted(self.keys.epoch_keys, reverse=True):
            if epoch == self.keys.team_epoch:
                continue
            try:
                answer = self.transport.push([self._seal(bundle, epoch)])
            except RequestRejected as exc:
                if exc.code == E_BUNDLE_CONFLICT:
                    continue
                raise
            self._ack({r["bundle_id"]: int(r["server_seq"]) for r in answer["results"]})
            return
        raise DeviceReused("the relay holds other changes under this device's numbers")

    # --- pull ----------------------------------------------------------------------------

    def _pull(self) -> None:
        with self.store.read() as r:
            cursor = sync_state.cursor(r.conn)
        start = cursor
        while True:
            page = self.transport.pull(after=cursor, limit=self.client.pull_limit)
            served = page.get("bundles")
            if not isinstance(served, list):
                raise ServerError("the relay's answer is not a page of bundles")
            opened: list[tuple[int, dict[str, Any] | None, Any, str]] = []
            done, stop, anchor = cursor, False, None
            for wire in served:
                seq = _server_seq(wire, done + 1)
                own = isinstance(wire, dict) and wire.get("device_id") == self.identity.device_id
                if own and not self._check_own(wire):
                    opened.append((seq, None, wire, TAMPERED))  # "ours" but not signed by us
                elif not own:
                    plaintext = self._open_checked(wire)
                    if plaintext is _HOLD:
                        # Held back, not lost: another device has not shared this key yet.
                        self.waiting_for_keys = stop = True
                        break
                    opened.append(self._screen(seq, plaintext, wire))
                done = seq
                anchor = (seq, str(wire.get("bundle_id")) if isinstance(wire, dict) else "")
            next_cursor = done if stop else _page_end(page, done)
            self._apply_page(
                opened, next_cursor, anchor if anchor and anchor[0] == next_cursor else None
            )
            self.report.pulled += len(opened)
            self.progress("pull", next_cursor - start, max(self.head - start, next_cursor - start))
            if stop or not page.get("more") or next_cursor <= cursor:
                if not stop:
                    self.chain.check_complete()
                for code in self.chain.problems:
                    self.keys.book.flag(code)
                return
            cursor = next_cursor

    def _check_own(self, wire: dict[str, Any]) -> bool:
        """Our own bundle (applied when it was written) must be one this store wrote.

        False when it does not carry our signature (the relay made it up). If
        it does but this store never wrote it, this data directory was
        restored from a backup older than what it already sent: its next
        bundles would reuse numbers the team has seen with other content, so
        stop before pushing anything.
        """
        try:
            verify_signature(wire, self.identity.keys.public.sign_pub)
        except TamperedBundle:
            return False
        if self._own_ids is None:
            with self.store.read() as r:
                self._own_ids = sync_state.own_bundle_ids(r.conn)
        if self._own_ids.get(wire.get("device_seq")) != wire.get("bundle_id"):  # type: ignore[arg-type]
            raise DeviceReused("the relay holds changes of this device that this store lacks")
        return True

    def _screen(
        self, seq: int, plaintext: Any, wire: Any
    ) -> tuple[int, dict[str, Any] | None, Any, str]:
        """(seq, plaintext or None, wire, quarantine reason) after the team's rules."""
        if not isinstance(plaintext, dict):
            return seq, None, wire, TAMPERED
        assert self.keys.trust is not None
        refusal = self.keys.trust.bundle_refusal(
            plaintext["device_id"], plaintext["device_seq"], plaintext["epoch"]
        )
        if refusal:
            return seq, None, wire, refusal
        if self.chain.observe(plaintext, self.identity.device_id) == chain.FORK:
            return seq, None, wire, chain.FORK
        return seq, plaintext, wire, ""

    def _open(self, wire: Any) -> dict[str, Any]:
        return open_bundle(wire, self.keys.epoch_keys, self.keys.signer_key, self.identity.team_id)

    def _open_checked(self, wire: Any) -> dict[str, Any] | object | None:
        """The plaintext; None for a bundle that failed verification; ``_HOLD`` to wait.

        An unknown signer or epoch first refreshes what we know from the
        relay (a device approved a moment ago, a key just shared). An epoch
        the team has but nobody has sealed to us yet is waited for; one the
        team does not have is a forgery.
        """
        for attempt in (0, 1):
            try:
                return self._open(wire)
            except UnknownSigner:
                if attempt or self._roster_refreshed:
                    return None
                self._roster_refreshed = True
                self.keys.refresh()
            except UnknownEpoch:
                epoch = wire.get("epoch") if isinstance(wire, dict) else None
                if not isinstance(epoch, int) or isinstance(epoch, bool):
                    return None
                if not attempt and epoch not in self._epochs_fetched:
                    self._epochs_fetched.add(epoch)
                    self.keys.fetch_keys()
                    continue
                return _HOLD if 1 <= epoch <= self.keys.team_epoch else None
            except TamperedBundle:
                return None
        return None

    def _apply_page(
        self,
        opened: list[tuple[int, dict[str, Any] | None, Any, str]],
        next_cursor: int,
        anchor: tuple[int, str] | None,
    ) -> None:
        """Apply a verified page and move the cursor, in one transaction."""
        with self.store.write() as w:
            for seq, plaintext, wire, reason in opened:
                if plaintext is not None:
                    reason = apply_rules.violation(w.conn, plaintext) or ""
                if reason or plaintext is None:
                    reason = reason or TAMPERED
                    _quarantine_tampered(w.conn, wire, seq, reason)
                    if reason == TAMPERED:
                        self.report.tampered += 1
                    else:
                        self.report.refused += 1
                    self.report.quarantined += 1
                    continue
                result = sync_state.apply_or_quarantine(w.conn, plaintext, self.store.clock, seq)
                if result is None:
                    self.report.quarantined += 1
                elif not result.duplicate:
                    self.report.applied += 1
                    self.report.conflicts += result.conflicts
            chain.save(w.conn, self.chain)
            if next_cursor > sync_state.cursor(w.conn):
                sync_state.set_cursor(w.conn, next_cursor)
                if anchor is not None:
                    sync_state.set_cursor_anchor(w.conn, *anchor)

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
            self.report.state = SyncState.WAITING_FOR_KEYS
        elif self.report.outbox:
            self.report.state = SyncState.CHANGES_WAITING
        else:
            self.report.state = SyncState.UP_TO_DATE


def _server_seq(wire: Any, fallback: int) -> int:
    seq = wire.get("server_seq") if isinstance(wire, dict) else None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else fallback


def _page_end(page: dict[str, Any], done: int) -> int:
    """Where the cursor goes after a whole page: the relay's ``next`` (never backwards)."""
    served = page.get("next")
    if isinstance(served, int) and not isinstance(served, bool) and served >= done:
        return served
    return done


def _quarantine_tampered(conn: Any, wire: Any, server_seq: int, reason: str = TAMPERED) -> None:
    """Keep a record of a bundle that failed verification or a rule; never its content."""
    data = wire if isinstance(wire, dict) else {}
    bundle_id = data.get("bundle_id")
    device_id = data.get("device_id")
    device_seq = data.get("device_seq")
    sync_state.put_in_quarantine(
        conn,
        bundle_id if isinstance(bundle_id, str) and bundle_id else f"server-seq-{server_seq}",
        device_id if isinstance(device_id, str) else "?",
        device_seq if isinstance(device_seq, int) and not isinstance(device_seq, bool) else 0,
        reason,
        None,
        server_seq,
    )


__all__ = [
    "TAMPERED",
    "AlreadyJoined",
    "AuthorityMismatch",
    "AuthorityMissing",
    "DevicePending",
    "DeviceReused",
    "DeviceRevoked",
    "NotJoined",
    "Progress",
    "SyncClient",
    "SyncReport",
    "SyncState",
    "SyncStatus",
]
