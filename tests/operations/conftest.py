"""Fixtures: a fresh encrypted store with a worker, and a client with an active period.

Operations are tested against the real SQLCipher store, never a stand-in:
what an operation promises is what the Writer committed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.periods import max_end
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id

PASSPHRASE = "testipassi-123"
START = date(2026, 1, 5)


@pytest.fixture
def bare_store(tmp_path: Path) -> Iterator[Store]:
    """A new encrypted store with nothing in it."""
    s = Store.create(tmp_path / "data", PASSPHRASE)
    yield s
    s.close()


@pytest.fixture
def store(bare_store: Store) -> Store:
    """A new store whose device worker is set."""
    s = bare_store
    worker = models.Worker(id=new_id(), name="Sanna Ohjaaja", role=codes.ROLE_SOCIAL_INSTRUCTOR)
    with s.write() as w:
        w.add(worker)
    s.set_current_worker(worker.id)
    return s


@pytest.fixture
def period(store: Store) -> models.Period:
    """An active one-year period of a new client."""
    client = models.Client(
        id=new_id(), first_name="Maija", last_name="Meikäläinen", worker_id=store.worker_id
    )
    p = models.Period(
        id=new_id(),
        client_id=client.id,
        worker_id=store.worker_id,
        start=START,
        planned_end=max_end(START),
        phase=codes.PHASE_INTENSIVE,
        status=codes.PERIOD_ACTIVE,
    )
    with store.write() as w:
        w.add(client)
        w.add(p)
    return p
