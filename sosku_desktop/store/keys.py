"""The database key: 32 random bytes, kept in the OS keyring and a wrapped key file.

The key file (``key.json`` in the data directory) always exists and holds
the key wrapped with AES-256-GCM under an Argon2id key derived from the
worker's passphrase. It is what lets the worker unlock after the idle lock,
recover when the keyring is lost, and use the app where no keyring exists.
The OS keyring caches the raw key so the app opens without a prompt; where
no keyring works the passphrase is asked (or taken from ``SOSKU_PASSPHRASE``
in scripts and tests) and the UI says so.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import keyring
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from keyring.errors import KeyringError

from sosku_desktop.store.errors import MissingKeyError, WrongKeyError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "sosku-desktop"
KEY_FILE = "key.json"
KEY_BYTES = 32
PASSPHRASE_ENV = "SOSKU_PASSPHRASE"
MIN_PASSPHRASE_LENGTH = 4
# OWASP's Argon2id baseline (m=64 MiB, t=3, p=4) — about 0.1 s here.
ARGON2_MEMORY_KIB = 65536
ARGON2_ITERATIONS = 3
ARGON2_LANES = 4
_AAD = b"sosku-desktop key file v1"


@dataclass(frozen=True)
class KeySource:
    """Where the key came from, so the UI can say it plainly."""

    key: bytes
    from_keyring: bool
    keyring_available: bool


def _derive(passphrase: str, salt: bytes, memory: int, iterations: int, lanes: int) -> bytes:
    kdf = Argon2id(salt=salt, length=32, iterations=iterations, lanes=lanes, memory_cost=memory)
    return kdf.derive(passphrase.encode("utf-8"))


def wrap_key(key: bytes, passphrase: str) -> dict[str, object]:
    """Wrap ``key`` under the passphrase; returns the key-file document."""
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    kek = _derive(passphrase, salt, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_LANES)
    wrapped = AESGCM(kek).encrypt(nonce, key, _AAD)
    b64 = base64.b64encode
    return {
        "version": 1,
        "kdf": "argon2id",
        "memory_kib": ARGON2_MEMORY_KIB,
        "iterations": ARGON2_ITERATIONS,
        "lanes": ARGON2_LANES,
        "salt": b64(salt).decode(),
        "nonce": b64(nonce).decode(),
        "wrapped_key": b64(wrapped).decode(),
    }


def unwrap_key(document: dict[str, object], passphrase: str) -> bytes:
    """Unwrap the key; a wrong passphrase raises ``WrongKeyError``."""
    b64d = base64.b64decode
    kek = _derive(
        passphrase,
        b64d(str(document["salt"])),
        int(str(document["memory_kib"])),
        int(str(document["iterations"])),
        int(str(document["lanes"])),
    )
    try:
        return AESGCM(kek).decrypt(
            b64d(str(document["nonce"])), b64d(str(document["wrapped_key"])), _AAD
        )
    except InvalidTag as exc:
        raise WrongKeyError("passphrase does not unwrap the key file") from exc


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _keyring_user(data_dir: Path) -> str:
    return f"db-key:{data_dir.resolve()}"


def keyring_works() -> bool:
    """False on headless machines whose only backend is keyring's ``fail``."""
    backend = keyring.get_keyring()
    return type(backend).__module__ != "keyring.backends.fail" and backend.priority > 0


def _keyring_get(data_dir: Path) -> bytes | None:
    if not keyring_works():
        return None
    try:
        value = keyring.get_password(KEYRING_SERVICE, _keyring_user(data_dir))
    except KeyringError:
        log.warning("keyring could not be read; falling back to the passphrase")
        return None
    return bytes.fromhex(value) if value else None


def _keyring_put(data_dir: Path, key: bytes) -> bool:
    if not keyring_works():
        return False
    try:
        keyring.set_password(KEYRING_SERVICE, _keyring_user(data_dir), key.hex())
    except KeyringError:
        log.warning("keyring could not be written; the passphrase will be asked")
        return False
    return True


def forget_keyring_key(data_dir: Path) -> None:
    """Remove the cached key (e.g. when the worker wants the passphrase asked every time)."""
    if keyring_works():
        with contextlib.suppress(KeyringError):
            keyring.delete_password(KEYRING_SERVICE, _keyring_user(data_dir))


def has_key_file(data_dir: Path) -> bool:
    return (data_dir / KEY_FILE).exists()


def create_key(data_dir: Path, passphrase: str) -> KeySource:
    """Make a new random database key, wrap it and cache it in the keyring."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise MissingKeyError("passphrase too short")
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    _write_atomic(data_dir / KEY_FILE, json.dumps(wrap_key(key, passphrase), indent=1))
    stored = _keyring_put(data_dir, key)
    return KeySource(key=key, from_keyring=False, keyring_available=stored)


def load_key(data_dir: Path, passphrase: str | None = None) -> KeySource:
    """The key from the keyring, else from the key file with the passphrase.

    ``passphrase`` falls back to ``SOSKU_PASSPHRASE``. When the key came from
    the passphrase it is cached in the keyring for the next start.
    """
    cached = _keyring_get(data_dir)
    if cached is not None:
        return KeySource(key=cached, from_keyring=True, keyring_available=True)
    passphrase = passphrase if passphrase is not None else os.environ.get(PASSPHRASE_ENV)
    if not passphrase:
        raise MissingKeyError("no keyring entry and no passphrase")
    key = unwrap_key(read_key_file(data_dir), passphrase)
    stored = _keyring_put(data_dir, key)
    return KeySource(key=key, from_keyring=False, keyring_available=stored)


def read_key_file(data_dir: Path) -> dict[str, object]:
    path = data_dir / KEY_FILE
    if not path.exists():
        raise MissingKeyError("key file missing")
    document: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return document


def check_passphrase(data_dir: Path, passphrase: str) -> bool:
    """True when the passphrase unwraps this data directory's key (idle-lock unlock)."""
    try:
        unwrap_key(read_key_file(data_dir), passphrase)
    except WrongKeyError:
        return False
    return True


def change_passphrase(data_dir: Path, old: str, new: str) -> None:
    """Re-wrap the same key under a new passphrase."""
    if len(new) < MIN_PASSPHRASE_LENGTH:
        raise MissingKeyError("passphrase too short")
    key = unwrap_key(read_key_file(data_dir), old)
    _write_atomic(data_dir / KEY_FILE, json.dumps(wrap_key(key, new), indent=1))
