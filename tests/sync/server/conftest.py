"""Fixtures: every server test runs against SQLite and against PostgreSQL.

PostgreSQL tests use a schema of their own (dropped afterwards) in the
``test`` database, so parallel or repeated runs never see each other's
rows. Without a reachable PostgreSQL they skip locally, and fail on CI.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from tests.sync.server.helpers import PG_BASE, ServerProcess, Team


def _pg_unreachable() -> str | None:
    try:
        with psycopg.connect(PG_BASE, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return f"PostgreSQL at {PG_BASE} is not reachable: {exc}"
    return None


def require_postgres() -> None:
    problem = _pg_unreachable()
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{problem} (CI must run the PostgreSQL tests)")
    pytest.skip(problem)


@contextmanager
def pg_schema_url() -> Iterator[str]:
    """A URL whose connections use a fresh, private schema (dropped on exit)."""
    require_postgres()
    schema = f"sosku_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@contextmanager
def database_url(backend: str, folder: Path) -> Iterator[str]:
    if backend == "postgres":
        with pg_schema_url() as url:
            yield url
    else:
        yield f"sqlite:///{folder / 'relay.sqlite3'}"


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One relay per backend for the whole session; each test makes its own team."""
    folder = tmp_path_factory.mktemp(f"relay-{backend}")
    with database_url(backend, folder) as url:
        proc = ServerProcess(url, folder / "server.log").start()
        try:
            yield proc
        finally:
            proc.stop()


@pytest.fixture
def team(server: ServerProcess) -> Iterator[Team]:
    t = Team(server)
    try:
        yield t
    finally:
        t.close()


@pytest.fixture
def own_db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database for a test that runs (and kills) its own server processes."""
    with database_url(backend, tmp_path) as url:
        yield url
