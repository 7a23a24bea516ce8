"""Changing the passphrase: the same key re-wrapped, held to the first run's rule.

QA (new instructor): there was no way to change the passphrase at all
(``keys.change_passphrase`` had no caller). The operation refuses a wrong
current passphrase, a weak or unchanged new one and a repeat that differs,
all at once; a change leaves the data, the backups and the keyring entry as
they were, and only the new passphrase opens the folder after it.
"""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest

from sosku_desktop.domain import passphrase as rule
from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.domain.models import Client
from sosku_desktop.operations.setup import (
    REPEAT_DIFFERS,
    SAME_AS_CURRENT,
    WRONG_CURRENT,
    change_passphrase,
)
from sosku_desktop.store import backup, keys
from sosku_desktop.store.database import Store
from sosku_desktop.store.errors import WrongKeyError
from sosku_desktop.store.writer import new_id

OLD = "vihreä kettu juoksee sillan yli"
NEW = "punainen laiva seilaa järven poikki"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    with Store.create(data_dir, OLD) as store, store.write() as w:
        w.add(Client(id=new_id(), first_name="Säilyvä", last_name="Asiakas"))
    Store.open(data_dir, OLD).close()  # a backup under the same key
    return data_dir


def problems(folder: Path, current: str, new: str, repeat: str) -> set[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        change_passphrase(folder, current, new, repeat)
    return {(p.field, p.message_key) for p in caught.value.problems}


def test_refusals_name_each_field_and_change_nothing(folder: Path) -> None:
    before = (folder / keys.KEY_FILE).read_bytes()
    assert problems(folder, "väärä tunnuslause", NEW, NEW) == {("current", WRONG_CURRENT)}
    assert problems(folder, OLD, "lyhyt", "lyhyt") == {("new", rule.TOO_SHORT)}
    assert problems(folder, OLD, "123456789012", "123456789012") == {("new", rule.TOO_EASY)}
    assert problems(folder, OLD, OLD, OLD) == {("new", SAME_AS_CURRENT)}
    assert problems(folder, OLD, NEW, NEW + " ") == {("repeat", REPEAT_DIFFERS)}
    assert problems(folder, "x", "y", "z") == {("current", WRONG_CURRENT), ("new", rule.TOO_SHORT)}
    assert (folder / keys.KEY_FILE).read_bytes() == before


def test_only_the_new_passphrase_opens_and_nothing_else_changes(folder: Path) -> None:
    salt = keys.recorded_db_salt(folder)
    entry = f"db-key:{folder.resolve()}"
    remembered = keyring.get_password(keys.KEYRING_SERVICE, entry)
    assert salt is not None and remembered is not None
    change_passphrase(folder, OLD, NEW, NEW)
    assert keys.recorded_db_salt(folder) == salt  # the key file still knows its database
    assert keyring.get_password(keys.KEYRING_SERVICE, entry) == remembered  # the same key
    keys.forget_keyring_key(folder)  # make the passphrase decide
    with pytest.raises(WrongKeyError):
        Store.open(folder, OLD, take_backup=False)
    with Store.open(folder, NEW, take_backup=False) as store, store.read() as r:
        assert [c.first_name for c in r.clients()] == ["Säilyvä"]
    newest = backup.latest_backup(folder)
    assert newest is not None and backup.verify_backup(newest, keys.load_key(folder, NEW).key)
