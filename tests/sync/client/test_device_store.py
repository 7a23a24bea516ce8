"""Where this device's sync secrets live: keyring or encrypted store, never plaintext on disk."""

from __future__ import annotations

import base64
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from sosku_desktop.store import meta_state
from sosku_desktop.store.database import Store
from sosku_desktop.sync.crypto import DeviceKeys, new_epoch_key
from sosku_desktop.sync.device_store import (
    K_KEYS,
    DeviceKeysMissing,
    DeviceStore,
    keyring_user,
)
from sosku_desktop.sync.epochs import KeyRing
from sosku_desktop.sync.protocol import ACTIVE, REVOKED, b64encode
from sosku_desktop.sync.trust import TrustBook
from tests.conftest import MemoryKeyring
from tests.sync.client.helpers import PASSPHRASE


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.create(tmp_path / "d", PASSPHRASE)
    yield s
    s.close()


def meta(store: Store, key: str) -> str | None:
    with store.read() as r:
        return meta_state.get(r.conn, key)


def test_keys_go_to_the_keyring_when_one_works(store: Store, memory_keyring: MemoryKeyring) -> None:
    identity = DeviceStore(store).create_identity("http://relay", "team-1", "Läppäri")
    assert identity.keys_in_keyring and identity.device_id == store.device_id
    secret = memory_keyring.secrets[("sosku-desktop", keyring_user(store.device_id))]
    assert DeviceKeys.from_bytes(base64.b64decode(secret)).fingerprint() == identity.fingerprint
    assert meta(store, K_KEYS) is None  # not in the database at all
    again = DeviceStore(store).identity()
    assert again is not None and again.fingerprint == identity.fingerprint

    memory_keyring.secrets.clear()  # a wiped keyring: the laptop must re-enrol
    with pytest.raises(DeviceKeysMissing):
        DeviceStore(store).identity()


def test_without_a_keyring_keys_stay_in_the_encrypted_store(store: Store) -> None:
    keyring.set_keyring(fail.Keyring())
    devices = DeviceStore(store)
    identity = devices.create_identity("http://relay", "team-1", "Kioski")
    assert not identity.keys_in_keyring
    assert meta(store, K_KEYS) is not None
    loaded = devices.identity()
    assert loaded is not None and loaded.fingerprint == identity.fingerprint
    devices.forget()
    assert devices.identity() is None and meta(store, K_KEYS) is None


def test_secrets_are_never_on_disk_in_plaintext(store: Store) -> None:
    keyring.set_keyring(fail.Keyring())
    devices = DeviceStore(store)
    identity = devices.create_identity("http://relay", "team-1", "Kioski")
    epoch_key = new_epoch_key()
    devices.add_epoch_keys({1: epoch_key})
    assert devices.epoch_keys() == {1: epoch_key}
    store.close()
    secrets = [
        epoch_key,
        base64.b64encode(epoch_key),
        identity.keys.to_bytes(),
        base64.b64encode(identity.keys.to_bytes()),
    ]
    files = [p for p in store.data_dir.rglob("*") if p.is_file()]
    assert files
    for path in files:
        content = path.read_bytes()
        assert not any(secret in content for secret in secrets), path.name


def test_an_epoch_key_once_cached_is_never_replaced(store: Store) -> None:
    devices = DeviceStore(store)
    first, second = new_epoch_key(), new_epoch_key()
    devices.add_epoch_keys({1: first})
    assert devices.add_epoch_keys({1: second, 2: second}) == {1: first, 2: second}


def test_roster_keys_are_pinned_at_first_sight(store: Store) -> None:
    devices = DeviceStore(store)
    identity = devices.create_identity("http://relay", "team-1", "me")
    honest, impostor = DeviceKeys.generate().public, DeviceKeys.generate().public

    def entry(keys: object, status: str) -> dict[str, object]:
        return {
            "device_id": "dev-1",
            "name": "Läppäri",
            "status": status,
            "sign_pub": b64encode(keys.sign_pub),  # type: ignore[attr-defined]
            "box_pub": b64encode(keys.box_pub),  # type: ignore[attr-defined]
            "epochs": [1],
        }

    roster = devices.save_roster([entry(honest, ACTIVE), {"device_id": "broken"}])
    assert set(roster) == {"dev-1"} and roster["dev-1"].trusted_signer
    roster = devices.save_roster([entry(impostor, ACTIVE)])
    assert roster["dev-1"].sign_pub == honest.sign_pub  # the relay cannot swap keys
    assert roster["dev-1"].key_mismatch and not roster["dev-1"].trusted_signer
    ring = KeyRing(
        identity,
        transport=None,  # type: ignore[arg-type]
        devices=devices,
        book=TrustBook(store, "team-1"),
        roster=roster,
    )
    assert ring.signer_key("dev-1") is None  # only the authority's statements make a signer
    assert ring.signer_key(identity.device_id) == identity.keys.public.sign_pub
    revoked = devices.save_roster([entry(honest, REVOKED)])
    assert revoked["dev-1"].status == REVOKED and revoked["dev-1"].key_mismatch
