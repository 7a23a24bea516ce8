"""What ``sosku`` commands leave behind: private files, no traceback on a closed pipe."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sosku_desktop.domain import models
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "cli-testi-passi"


@pytest.fixture
def one_client(tmp_path: Path) -> tuple[Path, str]:
    data_dir = tmp_path / "d"
    store = Store.create(data_dir, PASSPHRASE)
    with store.write() as w:
        worker = w.add(models.Worker(id=new_id(), name="Sanna Virtanen"))
        client = w.add(
            models.Client(
                id=new_id(),
                first_name="Aino",
                last_name="Korhonen",
                identity_code="120584-900F",
                worker_id=worker.id,
            )
        )
    store.set_current_worker(worker.id)
    store.close()
    return data_dir, client.id


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "sosku_desktop.app", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "SOSKU_PASSPHRASE": PASSPHRASE}


def _umask_022() -> None:
    os.umask(0o022)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_document_with_client_data_is_written_owner_only(
    one_client: tuple[Path, str], tmp_path: Path
) -> None:
    data_dir, client_id = one_client
    out = tmp_path / "export.json"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)  # an existing file is tightened as well
    done = subprocess.run(
        _command(
            "document", "access-export", "--data-dir", str(data_dir),
            "--client", client_id, "--format", "json", "--out", str(out),
        ),
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=120,
        preexec_fn=_umask_022,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "120584-900F" in out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_reader_that_closes_the_pipe_gets_no_traceback(one_client: tuple[Path, str]) -> None:
    """``sosku clients … | head -1`` when head has already gone."""
    data_dir, _client_id = one_client
    child = subprocess.Popen(
        _command("clients", "--data-dir", str(data_dir)),
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    child.stdout.close()  # the reader is gone before the first line is printed
    _out, err = child.communicate(timeout=120)
    assert b"Traceback" not in err, err.decode()
    assert b"BrokenPipeError" not in err, err.decode()
