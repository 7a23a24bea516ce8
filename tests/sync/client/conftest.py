"""Fixtures: one SQLite relay process for the client tests; each test makes its own team."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.client.helpers import TeamRelay
from tests.sync.server.helpers import ServerProcess


@pytest.fixture(scope="session")
def relay_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("client-relay") / "relay.sqlite3"


@pytest.fixture(scope="session")
def relay(relay_db: Path) -> Iterator[ServerProcess]:
    proc = ServerProcess(f"sqlite:///{relay_db}", relay_db.with_name("server.log")).start()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture
def team(relay: ServerProcess) -> Iterator[TeamRelay]:
    t = TeamRelay.create(relay)
    try:
        yield t
    finally:
        t.close()
