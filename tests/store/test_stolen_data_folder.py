"""A thief copies the whole data folder (database, WAL, key.json, backups) but not the passphrase.

The attacker works from the copied bytes only: an empty keyring, the
app's own open with no or wrong passphrases, a plain ``sqlite3``, a search
for the client's name, identity code and the raw database key in every
file, and Argon2id by hand with the parameters ``key.json`` states —
which must be the documented cost (64 MiB, t = 3, p = 4), the only way to
test a guess.
"""

from __future__ import annotations

import base64
import json
import shutil
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from sosku_desktop.domain.models import Client, Meeting, Period
from sosku_desktop.store import backup, keys
from sosku_desktop.store.database import Store
from sosku_desktop.store.engine import DB_FILE
from sosku_desktop.store.errors import MissingKeyError, WrongKeyError
from sosku_desktop.store.writer import new_id
from tests.store.conftest import PASSPHRASE

NAME, CODE, NOTE = "Kanarialintu", "131052-308T", "Kanarian salainen muistiinpano"


def _stolen(store: Store, data_dir: Path, elsewhere: Path) -> bytes:
    """Fill the store, take a backup, copy the folder while the app is open; the real key."""
    with store.write() as w:
        client = w.add(
            Client(id=new_id(), first_name=NAME, last_name="Testinen", identity_code=CODE)
        )
        period = w.add(
            Period(
                id=new_id(),
                client_id=client.id,
                worker_id=None,
                start=date(2026, 1, 5),
                planned_end=date(2026, 12, 31),
            )
        )
        w.add(Meeting(id=new_id(), period_id=period.id, starts_at=datetime(2026, 1, 6, 10),
                      notes=NOTE))  # fmt: skip
    key = store.key_source.key
    assert backup.take_backup(data_dir, key, force=True) is not None
    shutil.copytree(data_dir, elsewhere)  # the WAL is in the copy too: the app is running
    return key


def _every_file(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_copied_folder_opens_nothing_without_the_passphrase(
    store: Store, data_dir: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "thief"
    key = _stolen(store, data_dir, copy)
    files = _every_file(copy)
    assert (copy / DB_FILE) in files and (copy / keys.KEY_FILE) in files
    assert any("backups" in p.parts for p in files)
    forms = [key, key.hex().encode(), key.hex().upper().encode(), base64.b64encode(key)]
    for path, raw in files.items():
        for secret in (NAME, CODE, NOTE):
            assert secret.encode() not in raw, (path.name, secret)
            assert secret.encode("utf-16-le") not in raw, (path.name, secret)
        assert not any(form in raw for form in forms), f"the raw key is in {path.name}"
    with pytest.raises(MissingKeyError):
        Store.open(copy)
    for guess in ("", "testipassi-12", "Testipassi-123", "testipassi-123 "):
        with pytest.raises((WrongKeyError, MissingKeyError)):
            Store.open(copy, guess)
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(copy / DB_FILE).execute("select * from sqlite_master").fetchall()
    # Only the passphrase opens it: the check value and the salt give the key away nowhere.
    reopened = Store.open(copy, PASSPHRASE)
    with reopened.read() as r:
        assert [c.first_name for c in r.clients()] == [NAME]
    reopened.close()


def _unwrap(document: dict[str, object], passphrase: str, memory_kib: int) -> bytes:
    """What an attacker does per guess, by hand."""
    kek = Argon2id(
        salt=base64.b64decode(str(document["salt"])),
        length=32,
        iterations=int(str(document["iterations"])),
        lanes=int(str(document["lanes"])),
        memory_cost=memory_kib,
    ).derive(passphrase.encode())
    return AESGCM(kek).decrypt(
        base64.b64decode(str(document["nonce"])),
        base64.b64decode(str(document["wrapped_key"])),
        b"sosku-desktop key file v1",
    )


def test_each_guess_costs_the_documented_argon2id(store: Store, data_dir: Path) -> None:
    key = store.key_source.key
    document = json.loads((data_dir / keys.KEY_FILE).read_text(encoding="utf-8"))
    # docs/security.md: 64 MiB, 3 iterations, 4 lanes, stored in the file.
    assert (document["kdf"], document["memory_kib"], document["iterations"]) == (
        "argon2id",
        64 * 1024,
        3,
    )
    assert document["lanes"] == 4
    assert _unwrap(document, PASSPHRASE, 64 * 1024) == key
    # The file does not overstate the cost: less memory does not test a guess.
    with pytest.raises(InvalidTag):
        _unwrap(document, PASSPHRASE, 32 * 1024)
    with pytest.raises(InvalidTag):
        _unwrap(document, PASSPHRASE + "x", 64 * 1024)
    # The check value is keyed by the 256-bit database key, not by the passphrase.
    assert document["key_check"] == keys.key_check(key)
    assert document["key_check"] != keys.key_check(PASSPHRASE.encode().ljust(32, b"\0"))
