"""The pull half of a sync round: pages verified and opened first, then applied at once.

``PullSteps`` is mixed into the client's round (``client._Round``): each page
from the relay is checked bundle by bundle (signature, AEAD, our own
bundles, the client's ``verifiers``), and the good ones are applied
together with the cursor advance in one transaction
(``sync_state.apply_page``). A bundle that fails verification is kept as
``tampered`` (no payload); one that cannot be applied waits in quarantine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from sosku_desktop.store import incoming, sync_state
from sosku_desktop.store.database import Store
from sosku_desktop.sync import apply_rules, chain
from sosku_desktop.sync.device_store import Identity
from sosku_desktop.sync.envelope import (
    decrypt_bundle,
    open_bundle,
    unpack_bundle,
    verify_signature,
)
from sosku_desktop.sync.epochs import KeyRing
from sosku_desktop.sync.prefetch import Prefetch
from sosku_desktop.sync.protocol import (
    SealedBundle,
    TamperedBundle,
    UnknownEpoch,
    UnknownSigner,
)
from sosku_desktop.sync.report import DeviceReused, SyncReport
from sosku_desktop.sync.transport import ServerError, SyncTransport

log = logging.getLogger(__name__)
TAMPERED = "tampered"
#: Marker from ``_open_checked``: stop the page here and wait for a key.
_HOLD = object()
#: A check of an opened bundle before it is applied (``plaintext``, ``wire``); raises
#: ``TamperedBundle`` to refuse it (e.g. the team's write rules or hash chains).
BundleVerifier = Callable[[dict[str, Any], dict[str, Any]], None]
#: A bundle the worker opened, with its ops converted for the merge, its chain digest
#: (``chain.digest_of``) and its rows of insert-only tables (``apply_rules``): the pure
#: work, done a page ahead. None: not opened.
_Ready = tuple[dict[str, Any], "incoming.Prepared", str, apply_rules.InsertOnlyRows] | None
#: A bundle through ``decrypt_bundle`` (signature, AEAD, inflated), or None: not opened.
_Decrypted = tuple[SealedBundle, bytes] | None
#: What the worker prepared for an opened plaintext, by ``id`` of that plaintext.
_Prepared = dict[int, tuple["incoming.Prepared", apply_rules.InsertOnlyRows]]


class PullSettings(Protocol):
    """What the pull reads from its ``SyncClient``."""

    pull_limit: int
    verifiers: list[BundleVerifier]


class PullSteps:
    """Pull, verify and apply; the attributes below are the round's."""

    client: PullSettings
    store: Store
    identity: Identity
    transport: SyncTransport
    keys: KeyRing
    report: SyncReport
    head: int
    waiting_for_keys: bool
    progress: Callable[[str, int, int], None]
    _roster_refreshed: bool
    _epochs_fetched: set[int]
    _own_ids: dict[int, str] | None
    #: Wire forms this round pushed, by bundle id: pulled back byte-identical, they
    #: need no signature check (we made that signature a moment ago).
    _sent: dict[str, dict[str, Any]]
    chain: chain.ChainState

    def _pull(self) -> None:
        """Pages from the cursor, in a pipeline: fetch, open, apply.

        One thread fetches pages ahead (up to ``PREFETCH`` waiting; the next
        request goes out as soon as a page's end is known, so the relay works
        while we do), one checks and decrypts them (signature, AEAD, inflate:
        C work outside the GIL), another unpacks them (plaintext checked, ops
        converted: the Python part), and this thread applies them in order.
        Two full openers on two pages at once did worse on two cores: more
        threads wanting the GIL and the cores at the same moments.
        Everything that reads or changes the round's state (the authority's
        rules, the chains, refreshing keys or the roster, the client's
        verifiers, the store) stays in this thread and in page order. A
        bundle the worker could not open is opened again here, with the
        refreshes that may need.
        """
        with self.store.read() as r:
            cursor = sync_state.cursor(r.conn)
        start = cursor
        with (
            ThreadPoolExecutor(1, thread_name_prefix="sosku-pull-decrypt") as decrypter,
            ThreadPoolExecutor(1, thread_name_prefix="sosku-pull-open") as opener,
            Prefetch(
                self._fetch,
                lambda served: opener.submit(
                    self._open_page, decrypter.submit(self._decrypt_page, served)
                ),
                cursor,
                _next_start,
            ) as pages,
        ):
            while True:
                page, served, pre = pages.next()
                more = bool(page.get("more")) and _next_start(page, served, cursor) > cursor
                next_cursor, stop = self._take_page(cursor, page, served, pre.result())
                self.progress(
                    "pull", next_cursor - start, max(self.head - start, next_cursor - start)
                )
                if stop or not more:
                    if not stop:
                        self.chain.check_complete()
                    for code in self.chain.problems:
                        self.keys.book.flag(code)
                    return
                cursor = next_cursor

    def _fetch(self, cursor: int, ack: bool = False) -> tuple[dict[str, Any], list[Any]]:
        """(page, its bundles): fetch thread."""
        page = self.transport.pull(after=cursor, limit=self.client.pull_limit, ack=ack)
        served = page.get("bundles")
        if not isinstance(served, list):
            raise ServerError("the relay's answer is not a page of bundles")
        return page, served

    def _decrypt_page(self, served: list[Any]) -> list[_Decrypted]:
        """Each bundle's first half of ``open_bundle``, or None: decrypt thread."""
        return [self._pre_decrypt(wire) for wire in served]

    def _pre_decrypt(self, wire: Any) -> _Decrypted:
        """Another device's bundle checked and decrypted with what we hold now; None: not."""
        if not isinstance(wire, dict) or wire.get("device_id") == self.identity.device_id:
            return None
        try:
            return decrypt_bundle(
                wire, self.keys.epoch_keys, self.keys.signer_key, self.identity.team_id
            )
        except TamperedBundle:
            return None

    def _open_page(self, decrypted: Future[list[_Decrypted]]) -> list[_Ready]:
        """Each bundle opened and its ops converted, or None: open thread."""
        return [self._pre_open(found) for found in decrypted.result()]

    def _pre_open(self, decrypted: _Decrypted) -> _Ready:
        """The second half of ``open_bundle`` and the pure work; None: leave it to the round."""
        if decrypted is None:
            return None
        try:
            plaintext = unpack_bundle(*decrypted)
        except TamperedBundle:
            return None
        return (
            plaintext,
            incoming.prepare(plaintext),
            chain.digest_of(plaintext),
            apply_rules.insert_only_rows(plaintext),
        )

    def _take_page(
        self,
        cursor: int,
        page: dict[str, Any],
        served: list[Any],
        pre: list[_Ready],
    ) -> tuple[int, bool]:
        """Check, screen and apply one page; (the cursor after it, stopped for a key)."""
        opened: list[tuple[int, dict[str, Any] | None, Any, str]] = []
        done, stop, anchor = cursor, False, None
        for wire, ready in zip(served, pre, strict=True):
            seq = _server_seq(wire, done + 1)
            own = isinstance(wire, dict) and wire.get("device_id") == self.identity.device_id
            if own and not self._check_own(wire):
                opened.append((seq, None, wire, TAMPERED))  # "ours" but not signed by us
            elif not own:
                plaintext = self._open_checked(wire, ready[0] if ready else None)
                if plaintext is _HOLD:
                    # Held back, not lost: another device has not shared this key yet.
                    stop = self.waiting_for_keys = True
                    break
                digest = ready[2] if ready and ready[0] is plaintext else None
                opened.append(self._screen(seq, plaintext, wire, digest))
            done = seq
            anchor = (seq, str(wire.get("bundle_id")) if isinstance(wire, dict) else "")
        next_cursor = done if stop else _page_end(page, done)
        prepared = {id(ready[0]): (ready[1], ready[3]) for ready in pre if ready is not None}
        self._apply_page(
            opened, next_cursor, anchor if anchor and anchor[0] == next_cursor else None, prepared
        )
        self.report.pulled += len(opened)
        return next_cursor, stop

    def _check_own(self, wire: dict[str, Any]) -> bool:
        """Our own bundle (applied when it was written) must be one this store wrote.

        False when it does not carry our signature (the relay made it up). If
        it does but this store never wrote it, this data directory was
        restored from a backup older than what it already sent: its next
        bundles would reuse numbers the team has seen with other content, so
        stop before pushing anything.
        """
        sent = self._sent.get(str(wire.get("bundle_id")))
        if sent is None or any(wire.get(k) != v for k, v in sent.items()):
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
        self, seq: int, plaintext: Any, wire: Any, digest: str | None = None
    ) -> tuple[int, dict[str, Any] | None, Any, str]:
        """(seq, plaintext or None, wire, quarantine reason) after the team authority's rules.

        A bundle signed by a device the authority revoked (beyond its cut-off)
        or under an epoch it never signed is refused; one that breaks its
        device's hash chain is a fork (``chain.ChainState.observe``).
        """
        if not isinstance(plaintext, dict):
            return seq, None, wire, TAMPERED
        assert self.keys.trust is not None
        refusal = self.keys.trust.bundle_refusal(
            plaintext["device_id"], plaintext["device_seq"], plaintext["epoch"]
        )
        if refusal:
            return seq, None, wire, refusal
        if self.chain.observe(plaintext, self.identity.device_id, digest) == chain.FORK:
            return seq, None, wire, chain.FORK
        return seq, plaintext, wire, ""

    def _open(self, wire: Any) -> dict[str, Any]:
        plaintext = open_bundle(
            wire, self.keys.epoch_keys, self.keys.signer_key, self.identity.team_id
        )
        self._verify(plaintext, wire)
        return plaintext

    def _verify(self, plaintext: dict[str, Any], wire: Any) -> None:
        for verify in self.client.verifiers:
            verify(plaintext, wire)

    def _open_checked(
        self, wire: Any, ready: dict[str, Any] | None = None
    ) -> dict[str, Any] | object | None:
        """The plaintext; None for a bundle that failed verification; ``_HOLD`` to wait.

        An unknown signer or epoch first refreshes what we know from the
        relay (a device approved a moment ago, a key just shared). An epoch
        the team has but nobody has sealed to us yet is waited for; one the
        team does not have is a forgery.
        """
        if ready is not None:  # opened by the worker: only the client's checks are left
            try:
                self._verify(ready, wire)
            except TamperedBundle:
                return None
            return ready
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
                if epoch > self.keys.team_epoch:  # signed by a teammate (checked above)
                    self.keys.saw_newer_epoch(epoch, str(wire.get("device_id")))
                known = max(self.keys.team_epoch, self.keys.newer_epoch)  # hidden statements
                return _HOLD if 1 <= epoch <= known else None
            except TamperedBundle:
                return None
        return None

    def _apply_page(
        self,
        opened: list[tuple[int, dict[str, Any] | None, Any, str]],
        next_cursor: int,
        anchor: tuple[int, str] | None,
        prepared: _Prepared | None = None,
    ) -> None:
        """Apply a verified page and move the cursor, in one transaction.

        Bundles that failed verification are recorded as tampered, ones the
        team's rules refuse (``apply_rules``, the authority, the chains) under
        their reason, neither with content; all the others are applied
        together (``sync_state.apply_page``), and only a bundle that cannot
        be applied goes to quarantine.
        """
        good: list[tuple[dict[str, Any], int | None]] = []
        with self.store.write() as w, sync_state.roomy_cache(w.conn):
            plaintexts = [p for _, p, _, _ in opened if p is not None]
            ready = [(prepared or {}).get(id(p)) for p in plaintexts]
            grouped = [r[1] if r is not None else None for r in ready]
            ruled = iter(apply_rules.violations(w.conn, plaintexts, grouped))
            for seq, plaintext, wire, reason in opened:
                if plaintext is not None:
                    reason = next(ruled) or ""
                if reason or plaintext is None:
                    reason = reason or TAMPERED
                    _quarantine_tampered(w.conn, wire, seq, reason)
                    if reason == TAMPERED:
                        self.report.tampered += 1
                    else:
                        self.report.refused += 1
                    self.report.quarantined += 1
                else:
                    good.append((plaintext, seq))
            converted = {id(p): r[0] for p, r in zip(plaintexts, ready, strict=True) if r}
            ops = [converted.get(id(p)) for p, _ in good]
            for result in sync_state.apply_page(w.conn, good, self.store.clock, ops):
                if result.rejected is not None:
                    self.report.quarantined += 1
                elif not result.duplicate:
                    self.report.applied += 1
                    self.report.conflicts += result.conflicts
            chain.save(w.conn, self.chain)
            if next_cursor > sync_state.cursor(w.conn):
                sync_state.set_cursor(w.conn, next_cursor)
                if anchor is not None:
                    sync_state.set_cursor_anchor(w.conn, *anchor)


def _server_seq(wire: Any, fallback: int) -> int:
    seq = wire.get("server_seq") if isinstance(wire, dict) else None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else fallback


def _last_seq(served: list[Any], cursor: int) -> int:
    """The ``server_seq`` of a page's last bundle, numbered as ``_take_page`` numbers them."""
    done = cursor
    for wire in served:
        done = _server_seq(wire, done + 1)
    return done


def _next_start(page: dict[str, Any], served: list[Any], cursor: int) -> int:
    """The cursor after a whole page fetched at ``cursor``."""
    return _page_end(page, _last_seq(served, cursor))


def _page_end(page: dict[str, Any], done: int) -> int:
    """Where the cursor goes after a whole page: its last bundle, whatever ``next`` says.

    An honest relay's ``next`` is that bundle (or the cursor, for an empty
    page). A ``next`` beyond it would move the cursor over bundles never
    served, and they would never be asked for again, even from a relay
    that is honest again: it is not believed (logged).
    """
    served = page.get("next")
    if isinstance(served, int) and not isinstance(served, bool) and served > done:
        log.warning("the relay's page claims to end at %d after its last bundle %d", served, done)
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
