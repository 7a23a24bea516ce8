"""A hostile client against a real relay process: what the earlier fuzzing missed.

QA (municipal IT role, session 21) found that a chunked body with a
malformed chunk header, arriving while the handler already waited for the
body, made uvicorn answer 400 and then log the handler's own answer as
``Exception in ASGI application`` with a traceback at error level — one
such request per second fills the journal with tracebacks.
"""

from __future__ import annotations

import json
import signal
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from sosku_desktop.sync import crypto
from sosku_desktop.sync.protocol import E_BAD_JOIN_CODE
from sosku_desktop.sync.transport import Unauthorized
from tests.sync.server.helpers import ServerProcess, Team

pytestmark = pytest.mark.reliability


@pytest.fixture(scope="module")
def relay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("hostile-relay")
    proc = ServerProcess(f"sqlite:///{folder / 'relay.sqlite3'}", folder / "server.log").start()
    try:
        yield proc
    finally:
        proc.stop()


def _exchange(relay: ServerProcess, head: bytes, rest: bytes) -> bytes:
    """Send the head, let the relay start on it, send the rest; all it answers."""
    with socket.create_connection(("127.0.0.1", relay.port), timeout=10) as sock:
        sock.sendall(head)
        time.sleep(0.3)  # ordering only: the handler is waiting for the body
        sock.sendall(rest)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def _errors(relay: ServerProcess) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in relay.log_text().splitlines() if line.startswith("{")]
    return [line for line in lines if line["level"] in ("error", "critical") or "traceback" in line]


@pytest.mark.parametrize("path", ["/v1/join", "/v1/bundles", "/v1/keys", "/nowhere"])
def test_malformed_chunk_is_400_without_a_traceback(relay: ServerProcess, path: str) -> None:
    before = len(_errors(relay))
    head = (
        f"POST {path} HTTP/1.1\r\nHost: relay\r\nTransfer-Encoding: chunked\r\n"
        "Content-Type: application/json\r\n\r\n"
    ).encode()
    answer = _exchange(relay, head + b"2\r\n{}\r\n", b"zz\r\nhello\r\n0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 4"), answer[:80]
    assert _errors(relay)[before:] == []
    assert relay.proc is not None and relay.proc.poll() is None


def test_the_relay_answers_normally_afterwards(relay: ServerProcess, tmp_path: Path) -> None:
    head = b"POST /v1/join HTTP/1.1\r\nHost: relay\r\nTransfer-Encoding: chunked\r\n\r\n"
    for _ in range(5):
        _exchange(relay, head, b"-1\r\n\r\n")
    with socket.create_connection(("127.0.0.1", relay.port), timeout=10) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
    assert _errors(relay) == []


@contextmanager
def _team_locked(team: Team) -> Iterator[None]:
    """Hold what a writer to the team holds: the team row (PostgreSQL), the write lock (SQLite)."""
    if team.db_url.startswith("sqlite"):
        conn = sqlite3.connect(team.db_url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    url = team.db_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text("SELECT 1 FROM teams WHERE team_id = :t FOR UPDATE"), {"t": team.team_id}
            )
            yield
    finally:
        engine.dispose()


def test_a_wrong_join_code_takes_no_write_lock(team: Team) -> None:
    """An unauthenticated guess is checked by reading; it used to wait for the team's lock.

    While a writer holds the team (a long push), a wrong join code was
    answered only after it (PostgreSQL: for as long as the lock stood;
    SQLite: up to the 30 s busy timeout, then 503). The client's timeout
    below is a hang guard, nothing is measured.
    """
    stranger = team.transport(str(uuid.uuid4()), crypto.DeviceKeys.generate())
    stranger._client.timeout = httpx.Timeout(25)  # the hang guard
    try:
        with _team_locked(team):
            with pytest.raises(Unauthorized) as refused:
                stranger.join("AAAA-BBBB-CCCC-DDDD", "guess")
            assert refused.value.code == E_BAD_JOIN_CODE
    finally:
        stranger.close()
    team.join("after the lock")  # the right code still enrols


def _counted_at(text: str) -> str:
    return next(
        line.split()[-1]
        for line in text.splitlines()
        if line.startswith("sosku_relay_counted_at_seconds ")
    )


def test_a_flood_of_metrics_scrapes_counts_the_database_once(relay: ServerProcess) -> None:
    """``/metrics`` needs no credentials; each scrape used to count every stored bundle.

    Thirty scrapes, eight at a time: the counts they show were made at most
    twice (once, or twice if the reuse period ended in between).
    """
    with httpx.Client(base_url=relay.url, timeout=30) as client:
        pages: list[str] = []

        def scrape() -> None:
            pages.append(client.get("/metrics").text)

        for _ in range(30 // 8 + 1):
            threads = [threading.Thread(target=scrape) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    assert len(pages) == 32 and all("sosku_relay_database_up 1.0" in page for page in pages)
    assert len({_counted_at(page) for page in pages}) <= 2


@pytest.mark.parametrize("path", ["/v1/bundles/", "/v1/status/", "/healthz/", "/metrics/"])
def test_a_trailing_slash_is_404_not_a_redirect_to_the_callers_host(
    relay: ServerProcess, path: str
) -> None:
    """Starlette answered 307 with ``Location: http://<the Host header>/…``.

    A redirect built from a header the caller chose, over plain http behind
    a TLS proxy: a cache in between could serve it to others. The API has
    no slash variants; laptops never send them.
    """
    answer = httpx.get(
        relay.url + path, headers={"Host": "evil.example"}, follow_redirects=False, timeout=30
    )
    assert answer.status_code == 404, answer.headers
    assert "location" not in answer.headers
    assert answer.json()["error"] == "not_found"


def test_a_request_cut_by_shutdown_is_503_without_a_traceback(tmp_path: Path) -> None:
    """``systemctl restart`` while a laptop is mid-upload, past ``--shutdown-timeout``.

    uvicorn cancelled the request and answered ``500 Internal Server Error``,
    logging ``Exception in ASGI application`` (CancelledError) with a
    traceback at error level on every such restart. The laptop should hear
    "unavailable, try again" and the journal should say what happened.
    """
    server = ServerProcess(
        f"sqlite:///{tmp_path / 'relay.sqlite3'}",
        tmp_path / "server.log",
        ("--shutdown-timeout", "1"),
    ).start()
    assert server.proc is not None
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(b"POST /v1/join HTTP/1.1\r\nHost: relay\r\nContent-Length: 900\r\n\r\n{")
        time.sleep(0.3)  # ordering only: the handler is reading the body
        server.proc.send_signal(signal.SIGTERM)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    server.proc.wait(timeout=60)
    assert answer.startswith(b"HTTP/1.1 503"), answer[:80]
    assert b'"unavailable"' in answer
    lines = [json.loads(line) for line in server.log_text().splitlines() if line.startswith("{")]
    assert not [line for line in lines if line["level"] == "error" or "traceback" in line]
    assert [line for line in lines if line.get("event") == "shutdown"]
