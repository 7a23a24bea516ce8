"""Opening the store from a script: keyring first, then the passphrase.

Every command that opens the data directory goes through ``open_store`` or
``load_key`` here, so they all find the key the same way: the keyring, then
``SOSKU_PASSPHRASE``, then a hidden prompt on the terminal. The prompt goes
to the controlling terminal even when stdin is a pipe, because the usual
script is ``sosku clients … | while read id name; do sosku document …``:
``clients`` (stdin the terminal) asked, and ``document`` (stdin the pipe)
used to give up with "key not found" on the same store.
"""

from __future__ import annotations

import getpass
import os
import shlex
import sys
from pathlib import Path

from sosku_desktop import i18n
from sosku_desktop.store import keys, permissions
from sosku_desktop.store.database import Store
from sosku_desktop.store.engine import DB_FILE
from sosku_desktop.store.errors import MissingKeyError, WrongKeyError


def _has_terminal() -> bool:
    """Whether a hidden prompt can be shown: stdin is a terminal, or there is a ``/dev/tty``."""
    if sys.stdin is not None and sys.stdin.isatty():
        return True
    if os.name != "posix":
        return False
    try:
        with open("/dev/tty", "rb"):  # getpass reads from here, not from stdin
            return True
    except OSError:
        return False


def ask_passphrase(prompt_key: str = "cli.passphrase", lang: str | None = None) -> str | None:
    """The passphrase from ``SOSKU_PASSPHRASE`` or, with a terminal, a hidden prompt
    (in the command's ``--lang``)."""
    value = os.environ.get(keys.PASSPHRASE_ENV)
    if value:
        return value
    if _has_terminal():
        return getpass.getpass(i18n.tr(prompt_key, lang or i18n.DEFAULT_LANGUAGE) + ": ")
    return None


class PassphrasesDiffer(Exception):
    """The new passphrase typed twice at a terminal was not the same."""


def ask_new_passphrase(lang: str = i18n.DEFAULT_LANGUAGE) -> str | None:
    """A new passphrase: ``SOSKU_PASSPHRASE``, or typed twice at a hidden prompt.

    Typed once, a typo would lock the new folder with a passphrase nobody
    knows; the first-run dialog asks twice for the same reason.
    Raises ``PassphrasesDiffer`` when the two differ.
    """
    value = os.environ.get(keys.PASSPHRASE_ENV)
    if value:
        return value
    if not _has_terminal():
        return None
    first = getpass.getpass(i18n.tr("cli.new_passphrase", lang) + ": ")
    if first and getpass.getpass(i18n.tr("cli.repeat_passphrase", lang) + ": ") != first:
        raise PassphrasesDiffer
    return first


def open_store(data_dir: Path, take_backup: bool = False, lang: str | None = None) -> Store:
    """Open with the keyring, else the passphrase (env or prompt, asked in ``lang``).

    Scripts take no start-up backup by default: ``sosku check`` takes a
    verified one after its check, and the app takes one at each start.
    """
    try:
        return Store.open(data_dir, take_backup=take_backup)
    except (MissingKeyError, WrongKeyError):
        if not keys.has_key_file(data_dir):
            raise
        passphrase = ask_passphrase(lang=lang)
        if not passphrase:
            raise
        return Store.open(data_dir, passphrase, take_backup=take_backup)


def no_data_text(data_dir: Path, lang: str) -> str | None:
    """ "No Sosku data in FOLDER" when the folder holds neither a key file nor a database.

    A typo in ``--data-dir`` (or another user's profile) used to be told
    "the database key was not found; enter your passphrase", which sent the
    supporter after a passphrase that could not help.
    """
    if keys.has_key_file(data_dir) or (data_dir / DB_FILE).exists():
        return None
    init = command_line("init", data_dir) + " --name …"
    return i18n.tr("cli.no_data", lang, folder=str(data_dir), init=init)


def load_key(data_dir: Path, lang: str | None = None) -> keys.KeySource:
    """The key alone (backups, restore), found as ``open_store`` finds it.

    The keyring is tried before anyone is asked, so a worker whose key is
    cached is not prompted by ``sosku backups`` when ``sosku clients`` did not.
    """
    try:
        return keys.load_key(data_dir)
    except (MissingKeyError, WrongKeyError):
        if not keys.has_key_file(data_dir):
            raise
        passphrase = ask_passphrase(lang=lang)
        if not passphrase:
            raise
        return keys.load_key(data_dir, passphrase)


def write_private(path: Path, data: bytes) -> None:
    """Write a file a command made from client data, readable by its owner only.

    A document can carry a name, an identity code or (the access-request
    export) everything about a client. With the usual umask 022 a plain
    write left it readable by every account on the machine, while the
    store, backups, calendar and team report are 0600; an existing file is
    tightened too before the new content goes in.
    """
    permissions.write_private(path, data)


def command_line(name: str, data_dir: Path) -> str:
    """``sosku NAME --data-dir <the real folder>``, quoted for the shell, to copy and run.

    Messages used to say ``--data-dir KANSIO``: a placeholder the worker had
    to replace by a folder they may never have typed (the default one).
    """
    folder = str(data_dir)
    if os.name == "nt":
        quoted = f'"{folder}"' if any(ch.isspace() for ch in folder) else folder
    else:
        quoted = shlex.quote(folder)
    return f"sosku {name} --data-dir {quoted}"
