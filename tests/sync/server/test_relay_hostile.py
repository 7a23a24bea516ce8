"""A hostile client against a real relay process: what the earlier fuzzing missed.

QA (municipal IT role, session 21) found that a chunked body with a
malformed chunk header, arriving while the handler already waited for the
body, made uvicorn answer 400 and then log the handler's own answer as
``Exception in ASGI application`` with a traceback at error level — one
such request per second fills the journal with tracebacks.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.server.helpers import ServerProcess

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
