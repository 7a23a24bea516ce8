"""``sosku restore --backup FILE`` restores that file, or nothing.

QA (office roles, new instructor's laptop): a mistyped ``--backup`` path
made SQLCipher create an empty file there, which passed the integrity
checks as a "good backup"; the live database was moved aside and the empty
file put in its place, and the command said "Backup restored" (exit 0).
The next start showed an empty caseload, and ``sosku check`` said ok.
A file that is not a Sosku backup of this folder (missing, empty, another
program's file) is now refused in one plain sentence, nothing changes, and
no file is made at the path typed. Real subprocesses, real encrypted store.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sosku_desktop import i18n
from sosku_desktop.commands.common import command_line
from sosku_desktop.store import backup
from sosku_desktop.store.database import Store

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "vihreä kettu juoksee sillan yli"


def sosku(*args: str, lang: str = "fi") -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "SOSKU_LOG_LEVEL"}
    return subprocess.run(
        [sys.executable, "-m", "sosku_desktop.app", "--lang", lang, *args],
        input="",
        capture_output=True,
        text=True,
        env={
            **base,
            "PYTHONPATH": str(ROOT),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "SOSKU_PASSPHRASE": PASSPHRASE,
        },
        start_new_session=True,
        timeout=300,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    store = Store.create(folder, PASSPHRASE)
    store.close()
    assert backup.take_backup(folder, store.key_source.key, force=True).path is not None
    return folder


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("kind", ["missing", "empty", "text"])
def test_a_file_that_is_not_a_backup_restores_nothing(
    data_dir: Path, tmp_path: Path, kind: str, lang: str
) -> None:
    chosen = tmp_path / "sosku-backup.db"
    if kind == "empty":
        chosen.write_bytes(b"")
    elif kind == "text":
        chosen.write_text("root:x:0:0:root:/root:/bin/bash\n")
    live = data_dir / "sosku.db"
    before = digest(live)
    done = sosku("restore", "--data-dir", str(data_dir), "--backup", str(chosen), lang=lang)
    assert done.returncode == 2, done.stdout + done.stderr
    listing = command_line("backups", data_dir)
    said = i18n.tr("cli.backup_not_usable", lang, file=str(chosen), backups=listing)
    assert done.stderr.strip() == said
    assert "Traceback" not in done.stderr
    assert digest(live) == before and not list(data_dir.glob("replaced-*"))
    assert chosen.exists() == (kind != "missing")  # nothing made at a mistyped path
    assert sosku("check", "--data-dir", str(data_dir)).returncode == 0


def test_the_backup_chosen_by_name_is_restored(data_dir: Path) -> None:
    chosen = backup.list_backups(data_dir)[0]
    done = sosku("restore", "--data-dir", str(data_dir), "--backup", str(chosen))
    assert done.returncode == 0, done.stderr
    assert len(list(data_dir.glob("replaced-*"))) == 1
    assert digest(data_dir / "sosku.db") == digest(chosen)
