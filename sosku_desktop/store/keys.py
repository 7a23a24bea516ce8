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
import binascii
import contextlib
import hmac
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

from sosku_desktop.store import permissions
from sosku_desktop.store.errors import (
    KeyFileDamagedError,
    MissingKeyError,
    WeakPassphraseError,
    WrongKeyError,
)

log = logging.getLogger(__name__)

KEYRING_SERVICE = "sosku-desktop"
KEY_FILE = "key.json"
KEY_BYTES = 32
PASSPHRASE_ENV = "SOSKU_PASSPHRASE"
# OWASP's Argon2id baseline (m=64 MiB, t=3, p=4); measured cost in docs/security.md.
ARGON2_MEMORY_KIB = 65536
ARGON2_ITERATIONS = 3
ARGON2_LANES = 4
_AAD = b"sosku-desktop key file v1"
_CHECK_LABEL = b"sosku-desktop key check v1"
_REQUIRED = ("salt", "nonce", "wrapped_key", "memory_kib", "iterations", "lanes")


@dataclass(frozen=True)
class KeySource:
    """Where the key came from, so the UI can say it plainly."""

    key: bytes
    from_keyring: bool
    keyring_available: bool
    #: True when the key is known to be this data directory's (unwrapped by the
    #: passphrase, or equal to the key file's check value): then a database
    #: that does not open with it is damaged, not locked with another key.
    proven: bool = True


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
        "key_check": key_check(key),
        "version": 1,
        "kdf": "argon2id",
        "memory_kib": ARGON2_MEMORY_KIB,
        "iterations": ARGON2_ITERATIONS,
        "lanes": ARGON2_LANES,
        "salt": b64(salt).decode(),
        "nonce": b64(nonce).decode(),
        "wrapped_key": b64(wrapped).decode(),
    }


def key_check(key: bytes) -> str:
    """A value that proves a key without revealing it (HMAC-SHA256 under the key itself)."""
    digest = hmac.new(key, _CHECK_LABEL, "sha256").digest()
    return base64.b64encode(digest[:16]).decode()


def key_matches(document: dict[str, object], key: bytes) -> bool | None:
    """Whether ``key`` is the one this key file wraps; ``None`` for old files without a check."""
    stored = document.get("key_check")
    if not isinstance(stored, str):
        return None
    return hmac.compare_digest(stored, key_check(key))


def unwrap_key(document: dict[str, object], passphrase: str) -> bytes:
    """Unwrap the key; a wrong passphrase raises ``WrongKeyError``.

    AES-GCM authenticates the wrapped key, so a passphrase that unwraps it
    is right; a damaged file is ``KeyFileDamagedError`` (the worker needs
    another way in, not another passphrase attempt) — told apart from a
    wrong passphrase by the check value when the file has one.
    """
    b64d = base64.b64decode
    try:
        salt = b64d(str(document["salt"]), validate=True)
        nonce = b64d(str(document["nonce"]), validate=True)
        wrapped = b64d(str(document["wrapped_key"]), validate=True)
        kek = _derive(
            passphrase,
            salt,
            int(str(document["memory_kib"])),
            int(str(document["iterations"])),
            int(str(document["lanes"])),
        )
    except (KeyError, ValueError, binascii.Error, OverflowError) as exc:
        raise KeyFileDamagedError("key file fields unreadable") from exc
    try:
        key = AESGCM(kek).decrypt(nonce, wrapped, _AAD)
    except (InvalidTag, ValueError) as exc:
        if len(nonce) != 12 or len(wrapped) != KEY_BYTES + 16:
            raise KeyFileDamagedError("key file fields have the wrong size") from exc
        raise WrongKeyError("passphrase does not unwrap the key file") from exc
    return key


def _write_atomic(path: Path, text: str) -> None:
    permissions.write_private(path, text, atomic=True)


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


def _require_passphrase(passphrase: str) -> None:
    """The store only refuses an empty passphrase.

    The policy for *new* passphrases (``domain.passphrase``) is applied where
    a worker chooses one — the first-run dialog and ``sosku init`` — so that
    test fixtures and the public demo passphrase keep working.
    """
    if not passphrase:
        raise WeakPassphraseError("empty passphrase")


def create_key(data_dir: Path, passphrase: str) -> KeySource:
    """Make a new random database key, wrap it and cache it in the keyring."""
    _require_passphrase(passphrase)
    permissions.make_private_dir(data_dir)
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
        matches = _cached_key_matches(data_dir, cached)
        if matches is not False:
            return KeySource(
                key=cached, from_keyring=True, keyring_available=True, proven=bool(matches)
            )
        log.warning("the keyring holds another key than the key file; asking the passphrase")
        forget_keyring_key(data_dir)
    passphrase = passphrase if passphrase is not None else os.environ.get(PASSPHRASE_ENV)
    if not passphrase:
        raise MissingKeyError("no keyring entry and no passphrase")
    document = read_key_file(data_dir)
    key = unwrap_key(document, passphrase)
    if key_matches(document, key) is not True:  # missing (older file) or itself damaged
        _add_key_check(data_dir, document, key)
    stored = _keyring_put(data_dir, key)
    return KeySource(key=key, from_keyring=False, keyring_available=stored)


def _add_key_check(data_dir: Path, document: dict[str, object], key: bytes) -> None:
    """Key files made before the check value get it once the passphrase has proven the key."""
    try:
        _write_atomic(data_dir / KEY_FILE, json.dumps({**document, "key_check": key_check(key)}))
    except OSError:
        log.warning("could not add the check value to the key file")


def _cached_key_matches(data_dir: Path, key: bytes) -> bool | None:
    """Whether the keyring's key is this folder's; ``None`` when the file cannot tell.

    A damaged key file does not stop a start whose key is in the keyring.
    """
    try:
        return key_matches(read_key_file(data_dir), key)
    except KeyFileDamagedError:
        log.warning("the key file is damaged; the keyring's key is used")
        return None


def read_key_file(data_dir: Path) -> dict[str, object]:
    """The key-file document; damaged or truncated files raise ``KeyFileDamagedError``."""
    path = data_dir / KEY_FILE
    if not path.exists():
        raise MissingKeyError("key file missing")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise KeyFileDamagedError("key file is not readable JSON") from exc
    except OSError as exc:
        raise KeyFileDamagedError("key file cannot be read") from exc
    if not isinstance(document, dict) or any(name not in document for name in _REQUIRED):
        raise KeyFileDamagedError("key file lacks fields")
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
    _require_passphrase(new)
    document = read_key_file(data_dir)
    key = unwrap_key(document, old)
    wrapped = wrap_key(key, new)
    if DB_SALT in document:  # which database the key belongs to stays known
        wrapped[DB_SALT] = document[DB_SALT]
    _write_atomic(data_dir / KEY_FILE, json.dumps(wrapped, indent=1))


DB_SALT = "db_salt"


def recorded_db_salt(data_dir: Path) -> str | None:
    """The database salt this key file was last seen with (``None`` when never recorded)."""
    try:
        value = read_key_file(data_dir).get(DB_SALT)
    except (KeyFileDamagedError, MissingKeyError):
        return None
    return value if isinstance(value, str) else None


def record_db_salt(data_dir: Path, salt: str) -> None:
    """Remember which database the key belongs to (SQLCipher's 16-byte file salt).

    With it a database that does not open with a proven key can be told
    apart: the same salt means the file's first page is damaged, another
    salt means the key file and the database do not belong together.
    """
    try:
        document = read_key_file(data_dir)
        if document.get(DB_SALT) == salt:
            return
        _write_atomic(data_dir / KEY_FILE, json.dumps({**document, DB_SALT: salt}, indent=1))
    except (KeyFileDamagedError, MissingKeyError, OSError):
        log.warning("could not record the database salt in the key file")
