"""A command that fails unexpectedly says so in plain words, never with the error's message.

The failure is real: ``sosku document`` is told to write into a folder the
worker named after the client (name and identity code). Python's own
traceback would print that path — and whatever else an error message
quotes — to a terminal or a script's log; the command prints the system's
reason instead, and the log file has the error type and code locations.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sosku_desktop import logfile
from sosku_desktop.app import main
from sosku_desktop.domain import models
from sosku_desktop.store import keys
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id

PASSPHRASE = "komento-kaatuu-123"
CODE = "131052-308T"


def test_a_failed_write_prints_plain_words_and_logs_no_client_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "d"
    store = Store.create(data_dir, PASSPHRASE)
    with store.write() as w:
        client = w.add(
            models.Client(id=new_id(), first_name="Kanarialintu", last_name="Virtanen",
                          identity_code=CODE)
        )  # fmt: skip
    store.close()
    folder = tmp_path / f"Virtanen Kanarialintu {CODE}"
    folder.mkdir()  # the worker gives a folder, not a file
    monkeypatch.setenv(keys.PASSPHRASE_ENV, PASSPHRASE)
    logs = tmp_path / "logs"
    monkeypatch.setenv("SOSKU_LOG_DIR", str(logs))
    monkeypatch.setenv("SOSKU_LOG_LEVEL", "DEBUG")
    argv = ["document", "access-export", "--data-dir", str(data_dir), "--client", client.id,
            "--format", "json", "--out", str(folder)]  # fmt: skip
    try:
        code = main(argv)
    finally:
        logfile.close()
    err = capsys.readouterr().err
    assert code == 1
    assert os.strerror(21) in err  # "Is a directory": what is wrong, in the system's words
    logged = "".join(p.read_text(encoding="utf-8") for p in sorted(logs.iterdir()))
    assert "IsADirectoryError" in logged and "document_commands.py" in logged
    for shown in (err, logged):
        assert "Traceback" not in err
        for secret in (CODE, "Kanarialintu", "Virtanen"):
            assert secret not in shown
