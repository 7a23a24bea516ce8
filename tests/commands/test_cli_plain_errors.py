"""``sosku`` commands typed wrong by IT: one sentence that names the real problem.

QA (municipal IT role, session 21): every store command on a folder that
holds no Sosku data (a typo in ``--data-dir``, the wrong user's profile)
said "The database key was not found. Enter your passphrase." — sending
the supporter after a passphrase that would not help; and
``SOSKU_LOG_LEVEL=debugg`` (a typo in a support script) made every
command, even ``--version``, end in a traceback. Real subprocesses.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def sosku(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("SOSKU_PASSPHRASE", "SOSKU_LOG_LEVEL")}
    return subprocess.run(
        [sys.executable, "-m", "sosku_desktop.app", *args],
        input="",
        capture_output=True,
        text=True,
        env={
            **base,
            "PYTHONPATH": str(ROOT),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            **env,
        },
        start_new_session=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    "command",
    [["check"], ["clients"], ["backups"], ["restore"], ["sync", "status"]],
)
def test_a_folder_without_sosku_data_is_named_as_such(tmp_path: Path, command: list[str]) -> None:
    folder = tmp_path / "no such folder"
    done = sosku(*command, "--data-dir", str(folder), SOSKU_LOG_DIR=str(tmp_path / "logs"))
    assert done.returncode == 2, done.stderr
    assert str(folder) in done.stderr and "Traceback" not in done.stderr
    assert "tunnuslause" not in done.stderr.lower()  # not "enter your passphrase"
    assert "sosku init" in done.stderr
    assert not folder.exists()


def test_a_misspelt_log_level_is_not_a_traceback(tmp_path: Path) -> None:
    done = sosku("--version", SOSKU_LOG_LEVEL="debugg", SOSKU_LOG_DIR=str(tmp_path / "logs"))
    assert done.returncode == 0 and done.stdout.startswith("sosku "), done.stderr
    assert "Traceback" not in done.stderr and "SOSKU_LOG_LEVEL" in done.stderr
