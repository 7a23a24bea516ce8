"""The app's log file: private, rotating, and without exception messages."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from sosku_desktop import logfile
from sosku_desktop.app import main

CANARY = "Canary Kettunen"


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "logs"
    monkeypatch.setenv("SOSKU_LOG_DIR", str(folder))
    yield folder
    logfile.close()


def test_the_log_file_is_private_and_rotates_privately(log_folder: Path) -> None:
    path = logfile.configure()
    assert path == log_folder / "sosku.log"
    log = logging.getLogger("sosku.test")
    for i in range(12000):
        log.info("line %d %s", i, "x" * 400)
    files = sorted(log_folder.iterdir())
    assert len(files) == 1 + logfile.BACKUPS  # rotated, and old ones dropped
    assert stat.S_IMODE(log_folder.stat().st_mode) == 0o700
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
        assert file.stat().st_size <= logfile.MAX_BYTES + 1000
    assert logfile.last_lines(2)[-1].endswith("line 11999 " + "x" * 400)


def test_exception_messages_are_not_logged(log_folder: Path) -> None:
    logfile.configure()
    try:
        raise ValueError(f"UNIQUE constraint failed: clients.name = {CANARY}")
    except ValueError:
        logging.getLogger("sosku.test").exception("saving failed")
    text = (log_folder / "sosku.log").read_text("utf-8")
    assert "saving failed" in text and "builtins.ValueError (message not logged)" in text
    assert "test_logfile.py:" in text  # the code location is there for support
    assert CANARY not in text


def test_every_command_run_is_logged(log_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert main(["backups", "--data-dir", str(log_folder.parent / "none")]) in (0, 1, 2)
    assert "start " in (log_folder / "sosku.log").read_text("utf-8")


def test_an_unwritable_log_folder_does_not_stop_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SOSKU_LOG_DIR", str(blocker / "logs"))
    try:
        assert logfile.configure() is None
    finally:
        logfile.close()
