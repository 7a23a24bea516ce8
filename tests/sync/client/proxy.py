"""A small real HTTP/1.1 proxy on loopback that breaks requests on purpose.

It sits between the sync clients and the relay and, per request, chosen by
a seeded Random: passes it, drops it before the relay sees it, cuts it
half-way through the body, delays it, sends it to the relay twice (the
client sees the second answer), drops the answer after the relay acted,
or truncates the answer. The relay behind it may be killed and replaced
(``upstream_port``), as a restarted server on another port.
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable

FAULTS = ("drop_request", "cut_request", "delay", "duplicate", "drop_response", "truncate")


def _read_message(sock: socket.socket) -> bytes | None:
    """One HTTP message (head + Content-Length body), or None when the peer closed."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head + b"\r\n\r\n" + body[:length]


class FaultProxy:
    """Forwards 127.0.0.1:<port> to the relay, injecting faults at ``rate``."""

    def __init__(self, upstream_port: int, seed: int, rate: float = 0.0) -> None:
        self.upstream_port = upstream_port
        self.rate = rate
        self.counts: Counter[str] = Counter()
        #: The relay's own lies: (request, answer) -> the answer the client gets.
        self.rewrite: Callable[[bytes, bytes], bytes] | None = None
        self._rnd = random.Random(seed)
        self._lock = threading.Lock()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = int(self._listener.getsockname()[1])
        self._closed = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        with contextlib.suppress(OSError):
            self._listener.close()
        self._thread.join(timeout=5)

    # --- internals ---------------------------------------------------------------------

    def _choose(self) -> tuple[str, float]:
        with self._lock:
            fault = "pass"
            if self._rnd.random() < self.rate:
                fault = self._rnd.choice(FAULTS)
            self.counts[fault] += 1
            return fault, self._rnd.uniform(0.01, 0.15)

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _forward(self, request: bytes, cut: bool = False) -> bytes | None:
        """Send one request to the relay; its whole answer, or None if it was unreachable."""
        try:
            with socket.create_connection(("127.0.0.1", self.upstream_port), timeout=10) as up:
                if cut:
                    up.sendall(request[: max(1, len(request) // 2)])
                    return None
                up.sendall(request)
                return _read_message(up)
        except OSError:
            return None

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(30)
            while True:
                try:
                    request = _read_message(conn)
                except OSError:
                    return
                if request is None:
                    return
                fault, pause = self._choose()
                if fault == "drop_request":
                    return
                if fault == "cut_request":
                    self._forward(request, cut=True)
                    return
                if fault == "delay":
                    time.sleep(pause)
                answer = self._forward(request)
                if fault == "duplicate" and answer is not None:
                    answer = self._forward(request)
                if answer is None or fault == "drop_response":
                    return
                if self.rewrite is not None:
                    answer = self.rewrite(request, answer)
                try:
                    if fault == "truncate":
                        conn.sendall(answer[: len(answer) // 2])
                        return
                    conn.sendall(answer)
                except OSError:
                    return
