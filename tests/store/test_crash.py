"""Killing the app mid-write loses nothing acknowledged and leaves no half-written state."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from sosku_desktop.domain.models import Client, Meeting, Period
from sosku_desktop.store.database import Store
from sosku_desktop.store.schema import change_log
from tests.store.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]


def test_sigkill_during_writes(store: Store, data_dir: Path) -> None:
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.store.crash_writer", str(data_dir), PASSPHRASE],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    acknowledged: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        acknowledged.append(line.strip())
        if len(acknowledged) >= 25:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    acknowledged.extend(line.strip() for line in proc.stdout)  # printed before the kill
    proc.stdout.close()

    reopened = Store.open(data_dir, PASSPHRASE, take_backup=False)
    try:
        assert reopened.check() == []
        with reopened.read() as r:
            clients = r.clients()
            ids = {c.id for c in clients}
            bundles = r.conn.execute(sa.select(change_log)).fetchall()
            periods = r.list(Period)
            meetings = r.list(Meeting)
        assert set(acknowledged) <= ids
        # Every transaction is whole: one bundle per client, with its period,
        # its eight meetings and their audit rows; nothing without its bundle.
        assert len(bundles) == len(clients) == len(periods)
        assert len(meetings) == 8 * len(clients)
        for bundle in bundles:
            tables = [op["t"] for op in bundle.ops if op["c"] == "deleted"]
            assert tables.count("clients") == 1 and tables.count("meetings") == 8
            audits = {op["r"] for op in bundle.ops if op["t"] == "audit_log"}
            assert len(audits) == 10
        with reopened.read() as r:
            for client in clients:
                assert r.get(Client, client.id)
                assert len(r.audit_of_client(client.id)) == 10
    finally:
        reopened.close()
