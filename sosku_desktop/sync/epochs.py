"""Key work of one sync round: open my sealed keys, make epochs, share keys.

Kept apart from the push/pull loop because it is the security-sensitive
part: which devices we believe (``RosterEntry.trusted_signer``), who gets
a new epoch (exactly the active devices, as the relay demands) and who gets
the old ones (every active device lacking them: a new laptop must read the
team's history). Epoch keys are cached in the encrypted store only after
the relay accepted them, so a refused rotation never leaves a wrong key
under an epoch number.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any

from sosku_desktop.store.database import Store
from sosku_desktop.sync import crypto
from sosku_desktop.sync.device_store import DeviceStore, Identity, RosterEntry
from sosku_desktop.sync.protocol import ACTIVE, E_INVALID, MAX_KEY_ITEMS, TamperedKey
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
    roster: dict[str, RosterEntry] = field(default_factory=dict)
    epoch_keys: dict[int, bytes] = field(default_factory=dict)
    team_epoch: int = 0
    rotation_needed: bool = False
    #: Sealed keys that failed their checks (a lying relay); reported, never used.
    key_problems: int = 0
    created_epoch: int | None = None
    shared: int = 0

    # --- trust -------------------------------------------------------------------------

    def signer_key(self, device_id: str) -> bytes | None:
        """Ed25519 key of a device whose bundles and sealed keys we accept."""
        if device_id == self.identity.device_id:
            return self.identity.keys.public.sign_pub
        entry = self.roster.get(device_id)
        return entry.sign_pub if entry is not None and entry.trusted_signer else None

    @property
    def current_key(self) -> bytes | None:
        return self.epoch_keys.get(self.team_epoch) if self.team_epoch else None

    # --- relay round trips -------------------------------------------------------------

    def refresh(self) -> None:
        """Roster, team epoch and every sealed key addressed to us."""
        served = self.transport.devices()
        self.roster = self.devices.save_roster(list(served.get("devices", [])))
        self.team_epoch = int(served.get("epoch", 0))
        self.rotation_needed = bool(served.get("rotation_needed", False))
        self.fetch_keys()

    def fetch_keys(self) -> None:
        answer = self.transport.get_keys()
        self.team_epoch = max(self.team_epoch, int(answer.get("epoch", 0)))
        opened: dict[int, bytes] = {}
        for item in answer.get("keys", []):
            epoch = item.get("epoch") if isinstance(item, dict) else None
            if epoch in self.epoch_keys or epoch in opened:
                continue
            try:
                number, key = crypto.open_key_item(
                    item,
                    team_id=self.identity.team_id,
                    device_id=self.identity.device_id,
                    keys=self.identity.keys,
                    verify_key_for_device=self.signer_key,
                )
            except TamperedKey:
                self.key_problems += 1
                log.warning("a sealed epoch key failed its checks and was ignored")
                continue
            opened[number] = key
        if opened:
            self.epoch_keys = self.devices.add_epoch_keys(opened)

    def ensure_epoch(self) -> None:
        """Create epoch 1, or current+1 after a revocation, sealed to the active devices."""
        for _ in range(_EPOCH_ATTEMPTS):
            if self.team_epoch != 0 and not self.rotation_needed:
                return
            target = self.team_epoch + 1
            key = crypto.new_epoch_key()
            items = [
                crypto.make_key_item(
                    key,
                    team_id=self.identity.team_id,
                    epoch=target,
                    recipient_device_id=device.device_id,
                    recipient_box_pub=device.box_pub,
                    sealer=self.identity.keys,
                )
                for device in self._active(include_self=True)
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
            self.team_epoch, self.rotation_needed = target, False
            for device in self._active(include_self=True):  # they hold it now
                self.roster[device.device_id] = replace(device, epochs=(*device.epochs, target))
            self.created_epoch = target
            log.info("created a new key epoch")
            return
        self.refresh()

    def share_keys(self) -> None:
        """Seal every epoch key we hold to each active device that lacks it."""
        items: list[dict[str, Any]] = []
        for device in self._active(include_self=False):
            missing = sorted(set(self.epoch_keys) - set(device.epochs))
            items.extend(
                crypto.make_key_item(
                    self.epoch_keys[epoch],
                    team_id=self.identity.team_id,
                    epoch=epoch,
                    recipient_device_id=device.device_id,
                    recipient_box_pub=device.box_pub,
                    sealer=self.identity.keys,
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
        roster=devices.roster(),
        epoch_keys=devices.epoch_keys(),
    )
