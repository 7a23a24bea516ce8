"""A relay that serves bundles out of order, twice over, or its own laptop's bundles back.

The relay process is real; between it and the laptop sits a loopback proxy
that rewrites the relay's pull answers as a compromised relay would
(``FaultProxy.rewrite``): every page reversed and every bundle repeated.
The laptop must end with exactly the author's data, apply nothing twice,
and lose nothing.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from sosku_desktop.domain.models import Client
from sosku_desktop.store.schema import quarantine
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.client import SyncState
from tests.sync.client.helpers import TeamRelay, outbox, snapshot
from tests.sync.client.proxy import FaultProxy
from tests.sync.server.helpers import ServerProcess


def reversed_and_repeated(request: bytes, answer: bytes) -> bytes:
    """The relay's pull pages, each in reverse order with every bundle served twice."""
    if not request.startswith(b"GET ") or b"/bundles" not in request.split(b"\r\n", 1)[0]:
        return answer
    head, _, body = answer.partition(b"\r\n\r\n")
    if not head.split(b"\r\n", 1)[0].endswith(b"200 OK"):
        return answer
    page = json.loads(body)
    bundles = page.get("bundles", [])
    page["bundles"] = [b for b in reversed(bundles) for _ in (0, 1)]
    new_body = json.dumps(page).encode()
    lines = [
        line for line in head.split(b"\r\n") if not line.lower().startswith(b"content-length:")
    ]
    lines.append(b"content-length: %d" % len(new_body))
    return b"\r\n".join(lines) + b"\r\n\r\n" + new_body


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[ServerProcess]:
    proc = ServerProcess(f"sqlite:///{tmp_path / 'relay.sqlite3'}", tmp_path / "server.log")
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()


def test_reordered_and_repeated_bundles_apply_once_in_order(
    relay: ServerProcess, tmp_path: Path
) -> None:
    team = TeamRelay.create(relay)
    proxy = FaultProxy(relay.port, seed=1)
    pages: list[int] = []

    def rewrite(request: bytes, answer: bytes) -> bytes:
        lied = reversed_and_repeated(request, answer)
        if lied is not answer:
            pages.append(len(json.loads(lied.partition(b"\r\n\r\n")[2])["bundles"]))
        return lied

    proxy.rewrite = rewrite
    try:
        a = team.laptop(tmp_path, "a")
        b = team.laptop(tmp_path, "b", url=proxy.url, pull_limit=3)
        with a.store.write() as w:
            client = w.add(Client(id=new_id(), first_name="Eka", last_name="Järjestys"))
        for name in ("Toka", "Kolmas", "Neljäs", "Viides"):  # later edits win only in order
            with a.store.write() as w:
                w.update(dataclasses.replace(client, first_name=name))
            client = dataclasses.replace(client, first_name=name)
        for name in ("Muu", "Toinen"):
            with a.store.write() as w:
                w.add(Client(id=new_id(), first_name=name, last_name="Asiakas"))
        a.sync()
        report = b.sync()
        assert max(pages) == 6  # pages of three, reversed and doubled
        with b.store.read() as r:
            assert r.get(Client, client.id).first_name == "Viides"
        assert snapshot(b.store)["data"] == snapshot(a.store)["data"]
        assert report.state == SyncState.UP_TO_DATE and not report.trust_problems
        assert outbox(b.store) == 0
        with b.store.read() as r:  # nothing left waiting for a bundle that never comes
            assert r.conn.execute(sa.select(sa.func.count()).select_from(quarantine)).scalar() == 0
        # b's own bundle comes back to it reversed and twice: nothing changes.
        with b.store.write() as w:
            w.add(Client(id=new_id(), first_name="Oma", last_name="Kaiku"))
        b.sync()
        b.sync()
        a.sync()
        assert snapshot(b.store)["data"] == snapshot(a.store)["data"]
    finally:
        proxy.close()
        team.close()
