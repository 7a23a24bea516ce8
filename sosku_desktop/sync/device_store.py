"""This device's sync identity: server, team, device keys, epoch keys and roster cache.

Everything is kept in the encrypted store's local ``meta`` table (never
synced, never on disk in plaintext) except the device's private keys,
which go to the OS keyring when one works: keyring service
``sosku-desktop``, user ``sync-device-keys:<device id>``. Where only
keyring's ``fail`` backend exists (headless Linux, some kiosks) the keys
stay in ``meta`` too, protected by the store's at-rest encryption; the
Sync page says which (``Identity.keys_in_keyring``).

The sync device id *is* the store's device id (``store.device_id``): the
HLC, ``device_seq`` and the outbox already belong to it.
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass, replace
from typing import Any

import keyring
from keyring.errors import KeyringError

from sosku_desktop.store import keys as store_keys
from sosku_desktop.store import meta_state
from sosku_desktop.store.database import Store
from sosku_desktop.sync.crypto import DeviceKeys, fingerprint
from sosku_desktop.sync.protocol import ACTIVE, PUBLIC_KEY_BYTES, REVOKED, SyncError

log = logging.getLogger(__name__)

K_SERVER = "sync.server_url"
K_TEAM = "sync.team_id"
K_NAME = "sync.device_name"
K_KEYS_IN = "sync.keys_in"
K_KEYS = "sync.device_keys"
K_EPOCHS = "sync.epoch_keys"
K_ROSTER = "sync.roster"
K_STATUS = "sync.device_status"
ALL_KEYS = (K_SERVER, K_TEAM, K_NAME, K_KEYS_IN, K_KEYS, K_EPOCHS, K_ROSTER, K_STATUS)

IN_KEYRING = "keyring"
IN_STORE = "store"


class DeviceKeysMissing(SyncError):
    """The keyring entry with this device's private keys is gone; re-enrol the laptop."""


def keyring_user(device_id: str) -> str:
    return f"sync-device-keys:{device_id}"


@dataclass(frozen=True)
class Identity:
    """Who this laptop is to the relay."""

    server_url: str
    team_id: str
    device_id: str
    device_name: str
    keys: DeviceKeys
    keys_in_keyring: bool

    @property
    def fingerprint(self) -> str:
        return self.keys.fingerprint()


@dataclass(frozen=True)
class RosterEntry:
    """A team device as this laptop last saw it; keys are pinned at first sight."""

    device_id: str
    name: str
    status: str
    sign_pub: bytes
    box_pub: bytes
    epochs: tuple[int, ...] = ()
    #: The relay later showed other keys for this id (refused; a warning).
    key_mismatch: bool = False

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sign_pub, self.box_pub)

    @property
    def trusted_signer(self) -> bool:
        """Active and revoked devices signed genuine bundles and keys; pending ones never did."""
        return self.status in (ACTIVE, REVOKED) and not self.key_mismatch

    def to_json(self) -> dict[str, Any]:
        return {
            "device_id": self.device_id,
            "name": self.name,
            "status": self.status,
            "sign_pub": _b64(self.sign_pub),
            "box_pub": _b64(self.box_pub),
            "epochs": list(self.epochs),
            "key_mismatch": self.key_mismatch,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RosterEntry:
        return cls(
            device_id=str(data["device_id"]),
            name=str(data["name"]),
            status=str(data["status"]),
            sign_pub=base64.b64decode(data["sign_pub"]),
            box_pub=base64.b64decode(data["box_pub"]),
            epochs=tuple(int(e) for e in data.get("epochs", ())),
            key_mismatch=bool(data.get("key_mismatch", False)),
        )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class DeviceStore:
    """Reads and writes the sync identity in one store; every call is a short transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- plumbing ----------------------------------------------------------------------

    def _get(self, *names: str) -> dict[str, str | None]:
        with self.store.read() as r:
            return {name: meta_state.get(r.conn, name) for name in names}

    def _put(self, values: dict[str, str | None]) -> None:
        with self.store.write() as w:
            for name, value in values.items():
                if value is None:
                    meta_state.delete(w.conn, name)
                else:
                    meta_state.put(w.conn, name, value)

    # --- identity ----------------------------------------------------------------------

    def identity(self) -> Identity | None:
        """The enrolled identity, or None before ``create_identity``."""
        found = self._get(K_SERVER, K_TEAM, K_NAME, K_KEYS_IN, K_KEYS)
        if not found[K_TEAM] or not found[K_SERVER]:
            return None
        device_id = self.store.device_id
        in_keyring = found[K_KEYS_IN] == IN_KEYRING
        raw = _keyring_get(device_id) if in_keyring else found[K_KEYS]
        if not raw:
            raise DeviceKeysMissing("this device's sync keys are missing")
        return Identity(
            server_url=str(found[K_SERVER]),
            team_id=str(found[K_TEAM]),
            device_id=device_id,
            device_name=str(found[K_NAME] or ""),
            keys=DeviceKeys.from_bytes(base64.b64decode(raw)),
            keys_in_keyring=in_keyring,
        )

    def create_identity(self, server_url: str, team_id: str, device_name: str) -> Identity:
        """New device keys for this laptop, saved before the relay ever hears of them."""
        keys = DeviceKeys.generate()
        encoded = _b64(keys.to_bytes())
        in_keyring = _keyring_put(self.store.device_id, encoded)
        self._put(
            {
                K_SERVER: server_url,
                K_TEAM: team_id,
                K_NAME: device_name,
                K_KEYS_IN: IN_KEYRING if in_keyring else IN_STORE,
                K_KEYS: None if in_keyring else encoded,
                K_EPOCHS: None,
                K_ROSTER: None,
                K_STATUS: None,
            }
        )
        return Identity(server_url, team_id, self.store.device_id, device_name, keys, in_keyring)

    def rename(self, device_name: str) -> Identity:
        """A new name for keys the relay has not enrolled yet (a refused join tried again)."""
        self._put({K_NAME: device_name})
        identity = self.identity()
        assert identity is not None, "rename is for an identity that exists"
        return identity

    def forget(self) -> None:
        """Leave the team locally: identity, keys and caches go (the outbox stays)."""
        found = self._get(K_KEYS_IN)
        if found[K_KEYS_IN] == IN_KEYRING:
            _keyring_delete(self.store.device_id)
        self._put(dict.fromkeys(ALL_KEYS))

    # --- device status as last seen ----------------------------------------------------

    def device_status(self) -> str | None:
        return self._get(K_STATUS)[K_STATUS]

    def set_device_status(self, status: str) -> None:
        self._put({K_STATUS: status})

    # --- epoch keys ----------------------------------------------------------------------

    def epoch_keys(self) -> dict[int, bytes]:
        raw = self._get(K_EPOCHS)[K_EPOCHS]
        if not raw:
            return {}
        return {int(e): base64.b64decode(k) for e, k in json.loads(raw).items()}

    def add_epoch_keys(self, new: dict[int, bytes]) -> dict[int, bytes]:
        """Merge opened epoch keys into the cache (never replacing one); returns all held."""
        with self.store.write() as w:
            raw = meta_state.get(w.conn, K_EPOCHS)
            held = {int(e): k for e, k in json.loads(raw).items()} if raw else {}
            for epoch, key in new.items():
                held.setdefault(epoch, _b64(key))
            meta_state.put(w.conn, K_EPOCHS, json.dumps({str(e): held[e] for e in sorted(held)}))
        return {e: base64.b64decode(k) for e, k in held.items()}

    # --- roster --------------------------------------------------------------------------

    def roster(self) -> dict[str, RosterEntry]:
        raw = self._get(K_ROSTER)[K_ROSTER]
        if not raw:
            return {}
        return {d["device_id"]: RosterEntry.from_json(d) for d in json.loads(raw)}

    def save_roster(self, served: list[dict[str, Any]]) -> dict[str, RosterEntry]:
        """Merge the relay's roster into the cache; keys seen first stay pinned.

        A device id the relay now shows with other keys keeps its old keys
        and is flagged ``key_mismatch`` (never trusted again): the relay
        refuses such a re-join, so only a lying relay can show it.
        """
        known = self.roster()
        merged = dict(known)
        for item in served:
            entry = _entry_from_wire(item)
            if entry is None:
                continue
            pinned = known.get(entry.device_id)
            if pinned is not None and (pinned.sign_pub, pinned.box_pub) != (
                entry.sign_pub,
                entry.box_pub,
            ):
                log.warning("the relay shows other keys for a known device; ignored")
                merged[entry.device_id] = replace(pinned, status=entry.status, key_mismatch=True)
                continue
            if pinned is not None and pinned.key_mismatch:
                entry = replace(entry, key_mismatch=True)
            merged[entry.device_id] = entry
        self._put({K_ROSTER: json.dumps([e.to_json() for e in merged.values()])})
        return merged


def _entry_from_wire(item: Any) -> RosterEntry | None:
    """A roster entry from ``GET /v1/devices``; malformed entries are skipped."""
    try:
        sign_pub = base64.b64decode(item["sign_pub"], validate=True)
        box_pub = base64.b64decode(item["box_pub"], validate=True)
        if len(sign_pub) != PUBLIC_KEY_BYTES or len(box_pub) != PUBLIC_KEY_BYTES:
            return None
        return RosterEntry(
            device_id=str(item["device_id"]),
            name=str(item.get("name", "")),
            status=str(item["status"]),
            sign_pub=sign_pub,
            box_pub=box_pub,
            epochs=tuple(int(e) for e in item.get("epochs", ())),
        )
    except (KeyError, TypeError, ValueError):
        return None


# --- keyring -------------------------------------------------------------------------


def _keyring_get(device_id: str) -> str | None:
    if not store_keys.keyring_works():
        return None
    try:
        return keyring.get_password(store_keys.KEYRING_SERVICE, keyring_user(device_id))
    except KeyringError:
        log.warning("keyring could not be read")
        return None


def _keyring_put(device_id: str, value: str) -> bool:
    if not store_keys.keyring_works():
        return False
    try:
        keyring.set_password(store_keys.KEYRING_SERVICE, keyring_user(device_id), value)
    except KeyringError:
        log.warning("keyring could not be written; device keys stay in the encrypted store")
        return False
    return True


def _keyring_delete(device_id: str) -> None:
    if not store_keys.keyring_works():
        return
    try:
        keyring.delete_password(store_keys.KEYRING_SERVICE, keyring_user(device_id))
    except KeyringError:
        log.warning("keyring entry could not be removed")
