"""Fixtures: one SQLite relay process for the client tests; each test makes its own team.

The tests that attack the relay or restore a laptop run on both backends:
``evil_relay`` is a relay process per backend (SQLite and PostgreSQL) and test
module, ``attacker`` its database opened directly (what a compromised relay,
or its operator, reads and writes), ``crew`` a new team on it per test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.client.adversary import RelayDatabase
from tests.sync.client.helpers import TeamRelay
from tests.sync.server.conftest import BACKENDS, database_url
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


@pytest.fixture(scope="module", params=BACKENDS)
def evil_relay(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """A real relay process whose database the test (the attacker) also reaches."""
    module = request.module.__name__.rsplit(".", 1)[-1]
    folder = tmp_path_factory.mktemp(f"{module}-{request.param}")
    with database_url(str(request.param), folder) as url:
        proc = ServerProcess(url, folder / "server.log").start()
        try:
            yield proc
        finally:
            proc.stop()


@pytest.fixture
def attacker(evil_relay: ServerProcess) -> Iterator[RelayDatabase]:
    db = RelayDatabase(evil_relay.db_url)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture
def crew(evil_relay: ServerProcess) -> Iterator[TeamRelay]:
    t = TeamRelay.create(evil_relay)
    try:
        yield t
    finally:
        t.close()
