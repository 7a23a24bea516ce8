"""Canaries written through the workflows never reach the app's log file.

A client's name and a note go into a laptop's store, travel through the
relay to a second laptop, are listed, checked, backed up and exported from
the command line, and shown by the app (offscreen smoke test); an error
whose message quotes the name is logged too. Afterwards the log folder has
the lines a support person needs — and none of the canaries, in UTF-8 or
UTF-16.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from sosku_desktop import logfile
from sosku_desktop.app import main
from sosku_desktop.domain import models
from sosku_desktop.store.writer import new_id
from tests.sync.client.helpers import PASSPHRASE, TeamRelay
from tests.sync.server.helpers import CANARIES

pytestmark = pytest.mark.reliability


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "logs"
    monkeypatch.setenv("SOSKU_LOG_DIR", str(folder))
    monkeypatch.setenv("SOSKU_PASSPHRASE", PASSPHRASE)
    logfile.configure()
    yield folder
    logfile.close()


def test_workflows_log_no_client_data(
    team: TeamRelay, tmp_path: Path, log_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name, note = CANARIES
    first, last = name.split()
    a = team.laptop(tmp_path, "a")
    b = team.laptop(tmp_path, "b")
    with a.store.write() as w:
        client = w.add(models.Client(id=new_id(), first_name=first, last_name=last, notes=note))
        period = w.add(
            models.Period(
                id=new_id(),
                client_id=client.id,
                worker_id=None,
                start=date(2024, 1, 4),
                planned_end=date(2025, 1, 3),
            )
        )
        w.add(
            models.Meeting(
                id=new_id(), period_id=period.id, starts_at=datetime(2024, 1, 5, 10), notes=note
            )
        )
    a.sync()
    b.sync()
    a_dir = a.store.data_dir
    a.close()
    b.close()
    assert main(["clients", "--data-dir", str(a_dir)]) == 0
    assert name.split()[1] in capsys.readouterr().out  # the data is really there
    assert main(["check", "--data-dir", str(a_dir)]) == 0
    assert main(["backups", "--data-dir", str(a_dir)]) == 0
    try:
        raise RuntimeError(f"could not save {name}: {note}")
    except RuntimeError:
        logging.getLogger("sosku.ui").exception("unexpected error")
    env = dict(os.environ, SOSKU_LOG_DIR=str(log_folder), QT_QPA_PLATFORM="offscreen")
    smoke = subprocess.run(
        [sys.executable, "-m", "sosku_desktop.app", "--data-dir", str(a_dir), "--smoke-test"],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
    )
    assert smoke.returncode == 0, smoke.stderr[-2000:]
    files = sorted(log_folder.iterdir())
    text = b"".join(f.read_bytes() for f in files)
    for expected in (b"start ", b"sync round: ", b"unexpected error", b"RuntimeError"):
        assert expected in text, expected
    for canary in (*CANARIES, first, last):
        assert canary.encode() not in text, canary
        assert canary.encode("utf-16-le") not in text, canary
