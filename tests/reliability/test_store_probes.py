"""Fault probes of the client store: damaged page, header and key file; full and
read-only backup folders. Each is a real file or filesystem fault."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sosku_desktop.app import main
from sosku_desktop.domain.models import Client
from sosku_desktop.store import backup, keys
from sosku_desktop.store.database import Store
from sosku_desktop.store.engine import DB_FILE
from sosku_desktop.store.errors import CorruptDatabaseError, KeyFileDamagedError
from sosku_desktop.store.writer import new_id
from tests.reliability.conftest import Mount

pytestmark = pytest.mark.reliability
PASSPHRASE = "luotettava tallennus 2026"
REPO = Path(__file__).resolve().parents[2]


def _store_with_clients(data_dir: Path, count: int = 40) -> list[str]:
    store = Store.create(data_dir, PASSPHRASE)
    ids = []
    with store.write() as w:
        for i in range(count):
            client = w.add(Client(id=new_id(), first_name=f"Asiakas{i}", last_name="Testi" * 40))
            ids.append(client.id)
    store.close()
    return ids


def _client_ids(data_dir: Path) -> set[str]:
    with Store.open(data_dir, PASSPHRASE, take_backup=False) as store, store.read() as r:
        return {c.id for c in r.clients()}


def _flip(path: Path, offset: int) -> None:
    raw = bytearray(path.read_bytes())
    raw[offset] ^= 0xFF
    path.write_bytes(bytes(raw))


def _clients_root_page(data_dir: Path) -> int:
    with Store.open(data_dir, PASSPHRASE, take_backup=False) as store, store.read() as r:
        sql = "SELECT rootpage FROM sqlite_master WHERE name = 'clients'"
        return int(r.conn.exec_driver_sql(sql).scalar() or 0)


def test_damaged_page_and_eight_starts_keep_a_good_backup_that_restore_brings_back(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    reliability_lost: object,
) -> None:
    data_dir = tmp_path / "data"
    ids = _store_with_clients(data_dir)
    first = Store.open(data_dir, PASSPHRASE)
    assert first.startup_backup is not None and first.startup_backup.wait().path is not None
    first.close()
    # A page that start-up never reads: the root of the clients table.
    root = _clients_root_page(data_dir)
    with Store.open(data_dir, PASSPHRASE, take_backup=False) as s:
        s.engine.dispose()
    db = data_dir / DB_FILE
    _flip(db, (root - 1) * 4096 + 200)
    outcomes = []
    for start in range(8):
        store = Store.open(data_dir, PASSPHRASE)  # opens: the damage is not on its path
        store.set_current_worker(f"worker-{start}")  # the data changes between starts
        assert store.startup_backup is not None
        outcomes.append(store.startup_backup.wait())
        store.close()
    assert all(o.path is None for o in outcomes)
    assert {o.skipped for o in outcomes} <= {backup.SOURCE_DAMAGED, backup.UNCHANGED}
    assert backup.SOURCE_DAMAGED in {o.skipped for o in outcomes}
    key = keys.load_key(data_dir, PASSPHRASE).key
    good = [i for i in backup.describe_backups(data_dir, key) if i.state == backup.GOOD]
    assert good
    monkeypatch.setenv(keys.PASSPHRASE_ENV, PASSPHRASE)
    assert main(["restore", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "ehjä" in out
    restored = _client_ids(data_dir)
    lost = len(set(ids) - restored)
    reliability_lost(lost)  # type: ignore[operator]
    assert lost == 0
    with Store.open(data_dir, PASSPHRASE, take_backup=False) as store:
        assert store.check() == []


def test_check_does_not_back_up_a_file_it_has_not_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    _store_with_clients(data_dir)
    monkeypatch.setenv(keys.PASSPHRASE_ENV, PASSPHRASE)
    assert main(["check", "--data-dir", str(data_dir)]) == 0
    assert len(backup.list_backups(data_dir)) == 1  # checked, then one verified copy
    root = _clients_root_page(data_dir)
    _flip(data_dir / DB_FILE, (root - 1) * 4096 + 200)
    assert main(["check", "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    expected = i18n_text(
        "store.backup.not_taken_damaged",
        backups=f"sosku backups --data-dir {data_dir}",
        restore=f"sosku restore --data-dir {data_dir}",
    )
    assert expected in err and "KANSIO" not in err  # the real folder, ready to run
    assert len(backup.list_backups(data_dir)) == 1


def i18n_text(key: str, **params: object) -> str:
    from sosku_desktop import i18n

    return i18n.tr(key, **params)


def test_damaged_header_is_reported_as_damage_not_as_a_wrong_passphrase(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    ids = _store_with_clients(data_dir)
    Store.open(data_dir, PASSPHRASE).close()  # a good backup
    _flip(data_dir / DB_FILE, 40)  # inside the first page, after the clear salt
    keys.forget_keyring_key(data_dir)
    with pytest.raises(CorruptDatabaseError) as raised:
        Store.open(data_dir, PASSPHRASE)
    assert raised.value.latest_backup is not None
    keys.load_key(data_dir, PASSPHRASE)  # the keyring holds the key again
    with pytest.raises(CorruptDatabaseError):
        Store.open(data_dir)
    backup.restore_backup(data_dir, keys.load_key(data_dir).key)
    assert _client_ids(data_dir) == set(ids)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "field"])
def test_damaged_key_file_gets_a_plain_message_and_the_way_out(tmp_path: Path, damage: str) -> None:
    data_dir = tmp_path / "data"
    _store_with_clients(data_dir, 2)
    key_file = data_dir / keys.KEY_FILE
    text = key_file.read_text()
    if damage == "truncated":
        key_file.write_text(text[: len(text) // 2])
    elif damage == "garbage":
        key_file.write_bytes(b"\xff\xfe" + os.urandom(40))
    else:
        document = json.loads(text)
        document["wrapped_key"] = document["wrapped_key"][:-8]
        key_file.write_text(json.dumps(document))
    keys.forget_keyring_key(data_dir)
    with pytest.raises(KeyFileDamagedError):
        Store.open(data_dir, PASSPHRASE)
    env = {
        **os.environ,
        keys.PASSPHRASE_ENV: PASSPHRASE,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    for command in ("check", "clients"):
        result = subprocess.run(
            [sys.executable, "-m", "sosku_desktop.app", command, "--data-dir", str(data_dir)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert i18n_text("store.error.key_file_damaged") in result.stderr


def test_files_are_owner_only(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    _store_with_clients(data_dir, 2)
    store = Store.open(data_dir, PASSPHRASE)
    assert store.startup_backup is not None
    store.startup_backup.wait()
    with store.write() as w:  # WAL and SHM exist while open
        w.add(Client(id=new_id(), first_name="Oma", last_name="Tiedosto"))
    modes = {p.name: p.stat().st_mode & 0o777 for p in data_dir.rglob("*")}
    store.close()
    assert (data_dir.stat().st_mode & 0o777) == 0o700
    assert modes.pop("backups") == 0o700
    assert f"{DB_FILE}-wal" in modes and keys.KEY_FILE in modes
    assert any(name.startswith("sosku-") for name in modes)
    assert set(modes.values()) == {0o600}, modes


def test_older_world_readable_folder_is_tightened_at_open(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    _store_with_clients(data_dir, 1)
    os.chmod(data_dir, 0o755)
    os.chmod(data_dir / keys.KEY_FILE, 0o644)
    Store.open(data_dir, PASSPHRASE, take_backup=False).close()
    assert (data_dir.stat().st_mode & 0o777) == 0o700
    assert ((data_dir / keys.KEY_FILE).stat().st_mode & 0o777) == 0o600


def test_read_only_backup_folder_warns_naming_it_and_the_start_goes_on(
    tmp_path: Path, small_fs: Mount
) -> None:
    data_dir = tmp_path / "data"
    ids = _store_with_clients(data_dir)
    folder = small_fs(data_dir / backup.BACKUP_DIR, 1024, read_only=True)
    store = Store.open(data_dir, PASSPHRASE)
    assert store.startup_backup is not None
    outcome = store.startup_backup.wait()
    assert outcome.skipped == backup.FOLDER_UNUSABLE and outcome.folder == folder
    from sosku_desktop import i18n

    assert str(folder) in i18n.tr(outcome.warning_key or "", folder=str(outcome.folder))
    with store.write() as w:
        w.add(Client(id=new_id(), first_name="Kirjoitus", last_name="Onnistuu"))
    store.close()
    assert set(ids) <= _client_ids(data_dir)


def test_full_backup_folder_keeps_the_good_backups_and_the_start_goes_on(
    tmp_path: Path, small_fs: Mount, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    _store_with_clients(data_dir)
    size = (data_dir / DB_FILE).stat().st_size
    folder = small_fs(data_dir / backup.BACKUP_DIR, (size * 3 + backup.SPARE_BYTES) // 1024)
    Store.open(data_dir, PASSPHRASE).close()
    kept = backup.list_backups(data_dir)
    assert len(kept) == 1
    from tests.reliability.conftest import fill

    fill(folder, leave_bytes=backup.SPARE_BYTES + size // 2)
    store = Store.open(data_dir, PASSPHRASE)
    store.set_current_worker("muutos")
    store.close()
    # Free space is checked first: too little, so no copy is even started.
    store = Store.open(data_dir, PASSPHRASE)
    assert store.startup_backup is not None
    assert store.startup_backup.wait().skipped == backup.LOW_SPACE
    store.close()
    # And when the disk fills during the copy (the check cannot foresee everything):
    (folder / "filler.bin").unlink()
    fill(folder, leave_bytes=size // 2)
    monkeypatch.setattr(backup, "SPARE_BYTES", -(10**12))
    outcome = backup.take_backup(data_dir, keys.load_key(data_dir).key)
    assert outcome.skipped == backup.FOLDER_UNUSABLE and outcome.folder == folder
    assert backup.list_backups(data_dir) == kept
    assert not [p for p in folder.iterdir() if p.name.endswith(".partial")]
    assert backup.verify_backup(kept[0], keys.load_key(data_dir).key)
