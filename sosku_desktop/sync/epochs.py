"""Key work of one sync round: open my sealed keys, make epochs, share keys.

Kept apart from the push/pull loop because it is the security-sensitive
part. Whom we believe comes from the team authority's signed statements
(``self.trust``), never from the relay's roster: keys are sealed only to
devices the authority approved (their keys taken from the statement),
accepted only from such devices (a revoked one only for epochs before its
cut-off), and only for epochs the authority signed. The relay's roster is
used for one thing: which devices still lack which epoch keys. Epoch keys
are cached in the encrypted store only after the relay accepted them, so a
refused rotation never leaves a wrong key under an epoch number.

Epochs only move forward: ``team_epoch`` is the highest epoch the
authority signed; a relay that claims an older one (while we hold a key the
relay itself accepted for a newer one) or a newer unsigned one gets no push.
A teammate's sealed key for an epoch above it counts only with the
authority's statement for that epoch, which the sealer puts inside the
sealed key; without it the epoch is made up and ignored (logged), so an
insider can no longer stop everyone's pushes with one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any

from sosku_desktop.store.database import Store
from sosku_desktop.sync import crypto, trust
from sosku_desktop.sync.authority import DeviceStatement, TrustedRoster
from sosku_desktop.sync.device_store import DeviceStore, Identity, RosterEntry
from sosku_desktop.sync.protocol import ACTIVE, E_INVALID, MAX_KEY_ITEMS, TamperedKey
from sosku_desktop.sync.report import SyncState
from sosku_desktop.sync.transport import EpochStale, RequestRejected, SyncTransport

log = logging.getLogger(__name__)

#: How often a rotation is retried when another device or a roster change gets in between.
_EPOCH_ATTEMPTS = 4


@dataclass
class KeyRing:
    """What one round knows about keys and devices (from the relay, checked by us)."""

    identity: Identity
    transport: SyncTransport
    devices: DeviceStore
    book: trust.TrustBook
    roster: dict[str, RosterEntry] = field(default_factory=dict)
    epoch_keys: dict[int, bytes] = field(default_factory=dict)
    #: The highest epoch the authority signed: the only one we push under.
    team_epoch: int = 0
    #: The epoch the relay says is current.
    relay_epoch: int = 0
    rotation_needed: bool = False
    trust: TrustedRoster | None = None
    #: Sealed keys that failed their checks (a lying relay); reported, never used.
    key_problems: int = 0
    #: An epoch above ``team_epoch`` that an active teammate proved it uses: the relay
    #: hides statements (a revocation, most likely), so nothing is pushed.
    newer_epoch: int = 0
    created_epoch: int | None = None
    shared: int = 0

    # --- trust -------------------------------------------------------------------------

    def signer_key(self, device_id: str) -> bytes | None:
        """Ed25519 key of a device the authority approved (its bundles may be opened)."""
        if device_id == self.identity.device_id:
            return self.identity.keys.public.sign_pub
        return self.trust.signer_key(device_id) if self.trust is not None else None

    def _sealer_for(self, epoch: Any) -> Any:
        """A key-lookup for ``open_key_item`` that also checks the sealer may give ``epoch``."""

        def lookup(device_id: str) -> bytes | None:
            if self.trust is None or not isinstance(epoch, int):
                return None
            if device_id == self.identity.device_id and epoch <= self.team_epoch:
                return self.identity.keys.public.sign_pub
            if not self.trust.key_sealer_ok(device_id, epoch):
                return None
            return self.trust.signer_key(device_id)

        return lookup

    @property
    def current_key(self) -> bytes | None:
        """The key to push under: the signed epoch, once the relay has it too."""
        if not self.team_epoch or self.relay_epoch != self.team_epoch:
            return None
        if self.newer_epoch > self.team_epoch:
            return None
        return self.epoch_keys.get(self.team_epoch)

    def adopt(self, served_authority: Any, relay_epoch: int) -> None:
        """Take the authority's statements (from status or devices) and the relay's epoch."""
        self.trust = self.book.update(served_authority)
        self.team_epoch = self.trust.signed_epoch
        self.relay_epoch = relay_epoch
        if relay_epoch > self.team_epoch:
            self.book.flag(trust.UNSIGNED_EPOCH)
        elif any(e > relay_epoch for e in self.epoch_keys):
            # The relay accepted a newer epoch from us or a teammate, and now denies it.
            self.book.flag(trust.EPOCH_ROLLBACK)
        noted = self.book.newer_epoch()
        self.newer_epoch = 0
        if noted and noted[0] > self.team_epoch and noted[1] in self.trust.active():
            self.newer_epoch = noted[0]
            self.book.flag(trust.NEWER_EPOCH)

    def saw_newer_epoch(self, epoch: int, device_id: str) -> None:
        """A teammate signed a key or bundle under ``epoch``, above every epoch we were shown.

        Only the authority makes epochs, and it signs one with every
        revocation; so a relay serving us an older roster than our teammates
        got is most likely hiding a revocation, and anything pushed under the
        old key would reach the revoked device. Before believing that, the
        statements are asked for once more (an approval a moment ago).
        """
        if self.trust is None or device_id not in self.trust.active():
            return
        if epoch <= self.team_epoch:
            return
        served = self.transport.devices()
        self.adopt(served.get("authority"), int(served.get("epoch", 0)))
        if epoch > self.team_epoch and device_id in self.trust.active():
            self.book.note_newer_epoch(epoch, device_id)
            self.newer_epoch = max(self.newer_epoch, epoch)
            self.book.flag(trust.NEWER_EPOCH)

    # --- relay round trips -------------------------------------------------------------

    def refresh(self) -> None:
        """Roster, team epoch and every sealed key addressed to us."""
        served = self.transport.devices()
        self.roster = self.devices.save_roster(list(served.get("devices", [])))
        self.rotation_needed = bool(served.get("rotation_needed", False))
        self.adopt(served.get("authority"), int(served.get("epoch", 0)))
        relay_active = {d.device_id for d in self.roster.values() if d.status == ACTIVE}
        if self.trust is not None and relay_active - set(self.trust.active()):
            self.book.flag(trust.ROSTER_MISMATCH)  # e.g. a device the relay made up
        self.fetch_keys()

    def fetch_keys(self) -> None:
        answer = self.transport.get_keys()
        opened: dict[int, bytes] = {}
        for item in answer.get("keys", []):
            epoch = item.get("epoch") if isinstance(item, dict) else None
            if epoch in self.epoch_keys or epoch in opened:
                continue
            try:
                number, key = self._open_item(item, epoch)
            except TamperedKey:
                self.key_problems += 1
                log.warning("a sealed epoch key failed its checks and was ignored")
                self._newer_key(item)
                continue
            opened[number] = key
        if opened:
            self.epoch_keys = self.devices.add_epoch_keys(opened)

    def _open_item(self, item: Any, epoch: Any) -> tuple[int, bytes]:
        return crypto.open_key_item(
            item,
            team_id=self.identity.team_id,
            device_id=self.identity.device_id,
            keys=self.identity.keys,
            verify_key_for_device=self._sealer_for(epoch),
        )

    def _newer_key(self, item: Any) -> None:
        """A key sealed to us under an epoch above the signed ones: counts only on proof.

        An honest sealer puts the authority's statement of that epoch inside
        the sealed key (``_proof``, ``crypto.key_item_proof``): it proves the
        epoch exists while the relay hides the statements (a revocation,
        most likely), and then nothing is pushed under the old key
        (``saw_newer_epoch``). Without that proof the epoch is made up — by
        an insider or the relay — and ignored: logged (ids and numbers
        only) and shown as ``unsigned_epoch``, but it stops nobody's pushes.
        """
        epoch = item.get("epoch") if isinstance(item, dict) else None
        if self.trust is None or not isinstance(epoch, int) or epoch <= self.team_epoch:
            return
        active = self.trust.active()
        try:
            crypto.open_key_item(
                item,
                team_id=self.identity.team_id,
                device_id=self.identity.device_id,
                keys=self.identity.keys,
                verify_key_for_device=lambda d: active[d].sign_pub if d in active else None,
            )
        except TamperedKey:
            return
        proof = crypto.key_item_proof(item, keys=self.identity.keys)
        if any(self.book.proves_epoch(wire, epoch) for wire in proof):
            self.saw_newer_epoch(epoch, str(item.get("sealed_by")))
            return
        log.warning(
            "ignored a key for epoch %d from device %s: the team's authority never signed it",
            epoch,
            str(item.get("sealed_by"))[:64],
        )
        self.book.flag(trust.UNSIGNED_EPOCH)

    def _proof(self, epoch: int) -> list[Any] | None:
        """What a sealed key for ``epoch`` carries: the authority's statement of that epoch."""
        wire = self.book.epoch_wire(epoch) if epoch > 1 else None
        return [wire] if wire is not None else None

    def ensure_epoch(self) -> None:
        """Create the epochs the authority signed and the relay lacks, one at a time.

        Each is sealed to exactly the devices the authority holds active.
        Nothing is made when the relay denies an epoch we already hold (a
        rollback) or claims one the authority never signed.
        """
        for _ in range(_EPOCH_ATTEMPTS + self.team_epoch - self.relay_epoch):
            if self.relay_epoch >= self.team_epoch:
                return
            target = self.relay_epoch + 1
            if any(e >= target for e in self.epoch_keys):
                return  # adopt() flagged the rollback; never re-make a key we hold
            key = crypto.new_epoch_key()
            items = [
                crypto.make_key_item(
                    key,
                    team_id=self.identity.team_id,
                    epoch=target,
                    recipient_device_id=device.device_id,
                    recipient_box_pub=device.box_pub,
                    sealer=self.identity.keys,
                    proof=self._proof(target),
                )
                for device in self._trusted_active(include_self=True)
            ]
            try:
                self.transport.put_keys(items, new_epoch=target)
            except EpochStale:
                self.refresh()  # another device made it first: use theirs
                continue
            except RequestRejected as exc:
                if exc.code != E_INVALID:
                    raise
                self.refresh()  # the roster changed under us (approve/revoke)
                continue
            self.epoch_keys = self.devices.add_epoch_keys({target: key})
            self.relay_epoch, self.rotation_needed = target, False
            for device in self._active(include_self=True):  # they hold it now
                self.roster[device.device_id] = replace(device, epochs=(*device.epochs, target))
            self.created_epoch = target
            log.info("created a new key epoch")
        self.refresh()

    def share_keys(self) -> None:
        """Seal every epoch key we hold to each active device that lacks it."""
        items: list[dict[str, Any]] = []
        served = {d.device_id: d for d in self._active(include_self=False)}
        for device in self._trusted_active(include_self=False):
            held = served.get(device.device_id)
            missing = sorted(set(self.epoch_keys) - set(held.epochs if held else ()))
            items.extend(
                crypto.make_key_item(
                    self.epoch_keys[epoch],
                    team_id=self.identity.team_id,
                    epoch=epoch,
                    recipient_device_id=device.device_id,
                    recipient_box_pub=device.box_pub,
                    sealer=self.identity.keys,
                    proof=self._proof(epoch),
                )
                for epoch in missing
                if epoch <= self.team_epoch
            )
        for start in range(0, len(items), MAX_KEY_ITEMS):
            try:
                answer = self.transport.put_keys(items[start : start + MAX_KEY_ITEMS])
            except RequestRejected as exc:
                if exc.code != E_INVALID:
                    raise
                log.info("a device changed status while keys were shared; next round retries")
                return
            self.shared += len(answer.get("stored", []))

    def _trusted_active(self, include_self: bool) -> list[DeviceStatement]:
        """Devices the authority holds active: the only ones given keys (from the statement)."""
        me = self.identity.device_id
        if self.trust is None:
            return []
        return [d for d in self.trust.active().values() if include_self or d.device_id != me]

    def waiting_state(self) -> SyncState:
        """Waiting for a key: for a colleague's next sync, or for nobody at all.

        With no other active device on the roster, nobody can seal the team's
        earlier keys to us (its key holders were all revoked): saying "when
        another device syncs" would have the worker wait for ever.
        """
        if self._active(include_self=False):
            return SyncState.WAITING_FOR_KEYS
        return SyncState.NO_KEY_HOLDER

    def _active(self, include_self: bool) -> list[RosterEntry]:
        me = self.identity.device_id
        return [
            d
            for d in self.roster.values()
            if d.status == ACTIVE and not d.key_mismatch and (include_self or d.device_id != me)
        ]


def load(store: Store, identity: Identity, transport: SyncTransport) -> KeyRing:
    """A key ring primed from the store's caches (no network)."""
    devices = DeviceStore(store)
    return KeyRing(
        identity=identity,
        transport=transport,
        devices=devices,
        book=trust.TrustBook(store, identity.team_id),
        roster=devices.roster(),
        epoch_keys=devices.epoch_keys(),
    )
