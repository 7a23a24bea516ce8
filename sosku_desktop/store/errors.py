"""Storage errors split the qutebrowser way: the environment vs. our bugs.

*Environment* errors (wrong passphrase, disk full, read-only media, a file
from a newer version, a damaged file) are shown to the worker in plain
words with what to do next. Anything else is a bug and goes to the crash
dialog. Messages are translation keys; no client data is ever put in them.
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base of errors the worker can act on; ``message_key`` is translated at the edge."""

    message_key = "store.error.generic"

    def __init__(self, detail: str = "", **params: object) -> None:
        self.detail = detail
        self.params = params
        super().__init__(f"{self.message_key}: {detail}" if detail else self.message_key)


class WrongKeyError(StoreError):
    message_key = "store.error.wrong_key"


class MissingKeyError(StoreError):
    """No key in the keyring and no passphrase given to unwrap the key file."""

    message_key = "store.error.missing_key"


class KeyFileDamagedError(StoreError):
    """``key.json`` is damaged or truncated: no passphrase can open it."""

    message_key = "store.error.key_file_damaged"


class KeyMismatchError(StoreError):
    """The key file unwraps, but belongs to another database (or the file's salt is damaged)."""

    message_key = "store.error.key_mismatch"


class WeakPassphraseError(StoreError):
    message_key = "store.error.weak_passphrase"


class NewerSchemaError(StoreError):
    message_key = "store.error.newer_schema"


class DiskFullError(StoreError):
    message_key = "store.error.disk_full"


class ReadOnlyError(StoreError):
    message_key = "store.error.read_only"


class CorruptDatabaseError(StoreError):
    message_key = "store.error.corrupt"

    def __init__(self, detail: str = "", latest_backup: Path | None = None) -> None:
        super().__init__(detail)
        self.latest_backup = latest_backup


class NotFoundError(StoreError):
    message_key = "store.error.not_found"


class ConflictingWriteError(StoreError):
    message_key = "store.error.conflicting_write"
