"""A data folder whose database file is gone or empty is damaged, not a new empty caseload.

QA (office roles): with ``sosku.db`` emptied (a copy to a new laptop that
ran out of room; an older ``restore`` of a mistyped file) the key still
opened "it": SQLCipher made a fresh database, the migrations filled it with
empty tables, ``sosku check`` said ok and the app showed no clients at all,
with the newest good backup unmentioned. The key file remembers which
database it belongs to (its salt), so a missing or empty file is reported
as damaged with the newest backup offered, and nothing is created.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sosku_desktop.domain.models import Client
from sosku_desktop.store import backup
from sosku_desktop.store.database import Store
from sosku_desktop.store.engine import DB_FILE
from sosku_desktop.store.errors import CorruptDatabaseError
from sosku_desktop.store.writer import new_id
from tests.store.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    with Store.create(data_dir, PASSPHRASE) as store, store.write() as w:
        w.add(Client(id=new_id(), first_name="Tallessa", last_name="Asiakas"))
    Store.open(data_dir, PASSPHRASE).close()  # the start-up backup
    assert backup.latest_backup(data_dir) is not None
    return data_dir


@pytest.mark.parametrize("how", ["emptied", "missing"])
def test_an_emptied_or_missing_database_is_damaged_with_the_backup_offered(
    folder: Path, how: str
) -> None:
    live = folder / DB_FILE
    if how == "emptied":
        live.write_bytes(b"")
    else:
        live.unlink()
    with pytest.raises(CorruptDatabaseError) as caught:
        Store.open(folder, PASSPHRASE, take_backup=False)
    assert caught.value.latest_backup == backup.latest_backup(folder)
    # Nothing was made in its place.
    assert live.exists() == (how == "emptied")
    assert not live.exists() or live.stat().st_size == 0
    # The restore the error leads to brings the caseload back.
    backup.restore_backup(folder, _key(folder))
    with Store.open(folder, PASSPHRASE, take_backup=False) as store, store.read() as r:
        assert [c.first_name for c in r.clients()] == ["Tallessa"]


def _key(folder: Path) -> bytes:
    from sosku_desktop.store import keys

    return keys.load_key(folder, PASSPHRASE).key


def test_sosku_check_on_an_emptied_database_is_not_ok(folder: Path, tmp_path: Path) -> None:
    (folder / DB_FILE).write_bytes(b"")
    done = subprocess.run(
        [sys.executable, "-m", "sosku_desktop.app", "check", "--data-dir", str(folder)],
        input="",
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "SOSKU_PASSPHRASE": PASSPHRASE,
            "SOSKU_LOG_DIR": str(tmp_path / "logs"),
        },
        timeout=300,
    )
    assert done.returncode != 0 and done.stdout.strip() != "ok", done.stdout
    assert "sosku restore" in done.stderr and "Traceback" not in done.stderr


def test_a_new_folder_still_opens_after_create(tmp_path: Path) -> None:
    """``create`` leaves an empty file before its first open: that one is not damage."""
    Store.create(tmp_path / "new", PASSPHRASE).close()
    Store.open(tmp_path / "new", PASSPHRASE, take_backup=False).close()
