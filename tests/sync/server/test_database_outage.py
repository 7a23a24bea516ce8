"""PostgreSQL going away under a running relay, and coming back.

QA (municipal IT role, session 21) cut the relay's database connection (a
DBA restarting PostgreSQL, a firewall dropping the link): every signed
request became ``500 internal`` with a traceback in the journal until the
database returned. It must be a plain ``503 unavailable`` that names the
database, logged as one line without a traceback, and the relay must
serve again by itself once the database answers. The cut is a TCP relay
between the relay process and the real PostgreSQL, closed and reopened.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sosku_desktop.sync.transport import ServerError
from tests.sync.server.conftest import pg_schema_url
from tests.sync.server.helpers import PG_BASE, ServerProcess, Team, free_port

pytestmark = pytest.mark.postgres


class Cable:
    """A TCP forwarder to PostgreSQL that can be unplugged and plugged in again."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()

    def plug(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def unplug(self) -> None:
        """Refuse new connections and cut every open one, as a dead link does."""
        assert self._listener is not None
        # shutdown wakes the accepting thread; close() alone leaves the port listening
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._listener = None
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)


@pytest.fixture
def cable() -> Iterator[Cable]:
    host_port = PG_BASE.split("@", 1)[1].split("/", 1)[0]
    host, _, port = host_port.partition(":")
    wire = Cable((host, int(port or 5432)))
    wire.plug()
    try:
        yield wire
    finally:
        if wire._listener is not None:
            wire.unplug()


def test_a_lost_database_is_503_in_plain_words_and_the_relay_recovers(
    cable: Cable, tmp_path: Path
) -> None:
    with pg_schema_url() as direct:
        host_port = direct.split("@", 1)[1].split("/", 1)[0]
        url = direct.replace(host_port, f"127.0.0.1:{cable.port}", 1)
        server = ServerProcess(url, tmp_path / "server.log").start()
        team = Team(server)
        try:
            alice = team.enrol("alice")
            alice.transport.pull(after=0)

            cable.unplug()
            for call in (alice.transport.status, lambda: alice.transport.pull(after=0)):
                with pytest.raises(ServerError) as refused:
                    call()
                assert refused.value.status == 503
            answer = httpx.get(server.url + "/healthz")
            assert answer.status_code == 503 and answer.json()["database"] == "unreachable"

            cable.plug()
            assert alice.transport.pull(after=0) is not None  # no restart needed
            assert httpx.get(server.url + "/healthz").status_code == 200
        finally:
            team.close()
            server.stop()
    lines = [json.loads(line) for line in server.log_text().splitlines() if line.startswith("{")]
    assert not [line for line in lines if "traceback" in line or line["level"] == "error"]
    assert not [line for line in lines if line.get("status") == 500]
    assert [line for line in lines if line.get("event") == "database_unavailable"]
