"""Two laptops on a real relay (SQLite and PostgreSQL): enrol, first epoch, edits both ways."""

from __future__ import annotations

from pathlib import Path

import pytest

from sosku_desktop.domain.models import Client
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.client import SyncState
from tests.sync.client.helpers import TeamRelay, outbox, snapshot
from tests.sync.server.conftest import BACKENDS, database_url
from tests.sync.server.helpers import ServerProcess


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_laptops_exchange_edits(backend: str, tmp_path: Path) -> None:
    with database_url(backend, tmp_path) as url:
        server = ServerProcess(url, tmp_path / "server.log").start()
        team = TeamRelay.create(server)
        try:
            a = team.laptop(tmp_path, "a")
            b = team.laptop(tmp_path, "b")
            with a.store.write() as w:
                client = w.add(Client(id=new_id(), first_name="Aino", last_name="Korhonen"))
            report = a.sync()
            assert report.created_epoch == 1 and report.pushed == 1
            assert report.state == SyncState.UP_TO_DATE
            report = b.sync()
            assert report.applied == 1 and report.keys_shared == 0
            with b.store.read() as r:
                assert r.get(Client, client.id).first_name == "Aino"
            with b.store.write() as w:
                w.update(Client(**{**client.__dict__, "phone": "040 1"}))
            assert b.sync().pushed == 1
            assert a.sync().applied == 1
            assert snapshot(a.store) == snapshot(b.store)
            assert outbox(a.store) == outbox(b.store) == 0
        finally:
            team.close()
            server.stop()
