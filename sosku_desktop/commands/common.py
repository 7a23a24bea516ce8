"""Opening the store from a script: keyring first, then the passphrase."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from sosku_desktop import i18n
from sosku_desktop.store import keys
from sosku_desktop.store.database import Store
from sosku_desktop.store.errors import MissingKeyError, WrongKeyError


def ask_passphrase(prompt_key: str = "cli.passphrase") -> str | None:
    """The passphrase from ``SOSKU_PASSPHRASE`` or, on a terminal, a hidden prompt."""
    value = os.environ.get(keys.PASSPHRASE_ENV)
    if value:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(i18n.tr(prompt_key) + ": ")
    return None


def open_store(data_dir: Path, take_backup: bool = False) -> Store:
    """Open with the keyring, else the passphrase (env or prompt).

    Scripts take no start-up backup by default: ``sosku check`` takes a
    verified one after its check, and the app takes one at each start.
    """
    try:
        return Store.open(data_dir, take_backup=take_backup)
    except (MissingKeyError, WrongKeyError):
        if not keys.has_key_file(data_dir):
            raise
        passphrase = ask_passphrase()
        if not passphrase:
            raise
        return Store.open(data_dir, passphrase, take_backup=take_backup)
