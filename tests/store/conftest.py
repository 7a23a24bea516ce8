"""Fixtures: a fresh encrypted data directory per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sosku_desktop.store.database import Store

PASSPHRASE = "testipassi-123"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    s = Store.create(data_dir, PASSPHRASE)
    yield s
    s.close()
