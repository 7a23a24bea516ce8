"""The relay's SQLite file as IT meets it: modes at start, and a check that changes nothing.

QA (municipal IT role) found that a ``relay.sqlite3`` made 0644 by an
older relay or a manual ``sqlite3`` restore stayed world-readable when the
relay started on it, and that ``check-config`` on an existing file switched
a rollback-journal database to WAL and made -wal/-shm files: the check
promised no changes. A real relay process on a real SQLite file.
"""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import stat
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from sosku_desktop.sync.server import cli
from tests.sync.server.helpers import ServerProcess, admin


def run(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue() + err.getvalue()


def _state(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file in the folder with its mode and content hash."""
    return {
        entry.name: (
            stat.S_IMODE(entry.stat().st_mode),
            hashlib.sha256(entry.read_bytes()).hexdigest(),
        )
        for entry in sorted(folder.iterdir())
    }


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_serve_tightens_an_existing_world_readable_database(tmp_path: Path) -> None:
    relay = tmp_path / "relay.sqlite3"
    url = f"sqlite:///{relay}"
    admin(url, "team", "create", "North")
    relay.chmod(0o644)  # an older relay, or `sqlite3 .restore` under umask 022
    server = ServerProcess(url, tmp_path / "server.log").start()
    try:
        assert _mode(relay) == 0o600
        for side in (Path(f"{relay}-wal"), Path(f"{relay}-shm")):
            assert not side.exists() or _mode(side) == 0o600
    finally:
        server.stop()
    relay.chmod(0o640)
    admin(url, "device", "list", "--team", admin(url, "team", "create", "South"))
    assert _mode(relay) == 0o600  # any command that opens it for writing


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_check_config_leaves_an_existing_database_untouched(tmp_path: Path, journal: str) -> None:
    folder = tmp_path / "state"
    relay = folder / "relay.sqlite3"
    url = f"sqlite:///{relay}"
    admin(url, "team", "create", "North")
    with sqlite3.connect(relay) as conn:  # e.g. a restored backup in rollback-journal mode
        conn.execute(f"PRAGMA journal_mode={journal}")
    conn.close()
    before = _state(folder)
    assert list(before) == ["relay.sqlite3"]

    code, out = run("--db", url, "check-config")

    assert code == 0 and "database: ok" in out
    assert _state(folder) == before


def test_check_config_reads_a_database_a_running_relay_holds(tmp_path: Path) -> None:
    relay = tmp_path / "relay.sqlite3"
    url = f"sqlite:///{relay}"
    server = ServerProcess(url, tmp_path / "server.log").start()
    try:
        names = set(os.listdir(tmp_path))
        code, out = run("--db", url, "check-config", "--port", "1")
        assert code == 0 and "database: ok" in out
        assert set(os.listdir(tmp_path)) == names
    finally:
        server.stop()


def test_check_config_says_a_file_is_not_a_relay_database(tmp_path: Path) -> None:
    junk = tmp_path / "relay.sqlite3"
    junk.write_bytes(b"this is a text file, not SQLite\n" * 200)
    before = _state(tmp_path)
    code, out = run("--db", f"sqlite:///{junk}", "check-config")
    assert code == 1 and "database: " in out and "Traceback" not in out
    assert "not a database" in out
    assert _state(tmp_path) == before
