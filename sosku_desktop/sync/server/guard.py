"""Connection guard: read timeouts and a per-client connection cap for uvicorn.

uvicorn's h11 protocol waits as long as a client likes for the request
headers and the body, and counts connections only server-wide. A laptop on
bad Wi-Fi needs neither; a hostile client uses both to pin sockets and
memory. ``GuardedH11Protocol`` adds, per connection:

* a header deadline: the request line and headers must be complete within
  ``header_timeout`` seconds of the connection opening (or of the previous
  response on a kept-alive connection), else ``408`` and close;
* a body deadline: the whole body must arrive within ``body_timeout``
  seconds of its headers, else the connection is closed (the handler sees a
  client disconnect and logs it as such);
* a cap on simultaneous connections from one peer address (``503`` and
  close beyond it); behind a reverse proxy every connection comes from the
  proxy, so the cap is set to 0 (off) there and the proxy limits clients;
* a refused request costs no body: the app answers before reading it (bad
  signature, unknown device, too large …), and uvicorn would then read and
  drop the rest of the body, as long as the client sends it, and keep the
  connection for another request. Instead, once the answer is out, a body
  whose rest is known to be small (``REFUSED_BODY_BYTES``) is taken as
  before (the client reads its answer, the connection stays usable); any
  other is taken for at most that many more bytes and then the connection
  is closed, at the latest ``REFUSED_BODY_SECONDS`` after the answer. A
  client still writing then gets a reset: HTTP clients read the answer
  only once the body is written, so a reset can hide it from them, which
  is why a small rest is still taken.

Idle kept-alive connections are closed by uvicorn's own ``timeout_keep_alive``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("sosku.server.guard")

_BUSY_BODY = b'{"error":"unavailable","message":"too many connections from one client"}'
_BUSY_RESPONSE = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
    b"connection: close\r\ncontent-length: "
    + str(len(_BUSY_BODY)).encode()
    + b"\r\n\r\n"
    + _BUSY_BODY
)


#: After answering a request before its body arrived: bytes still taken, then closed.
REFUSED_BODY_BYTES = 256 * 1024
#: ... and how long the client has to take its answer before the connection closes.
REFUSED_BODY_SECONDS = 1.0


@dataclass(frozen=True)
class GuardLimits:
    """The guard's settings (seconds, connections); 0 connections means no cap."""

    header_timeout: float = 10.0
    body_timeout: float = 120.0
    connections_per_client: int = 64


def _timeout_response() -> bytes:
    body = b'{"error":"request_timeout","message":"the request did not arrive in time"}'
    head = (
        b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
        b"connection: close\r\ncontent-length: " + str(len(body)).encode() + b"\r\n\r\n"
    )
    return head + body


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with header/body deadlines and a per-peer cap."""

    limits: ClassVar[GuardLimits] = GuardLimits()
    #: Told "timeout" or "connection_limit" when the guard cuts a client off (metrics).
    listeners: ClassVar[tuple[Callable[[str], None], ...]] = ()
    #: Open connections per peer address (one event loop per process, so no lock).
    open_per_peer: ClassVar[Counter[str]] = Counter()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._peer: str | None = None
        #: Bytes of a refused request's body still taken before closing (None: not refused).
        self._refused_left: int | None = None

    @classmethod
    def configured(
        cls, limits: GuardLimits, count: Callable[[str], None] | None = None
    ) -> type[GuardedH11Protocol]:
        """A subclass bound to ``limits`` (uvicorn takes a protocol class)."""
        attrs: dict[str, Any] = {"limits": limits, "open_per_peer": Counter()}
        if count is not None:
            attrs["listeners"] = (count,)
        return type("GuardedH11", (cls,), attrs)

    # --- connection bookkeeping ---------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        peer = self.client[0] if self.client else None
        cap = self.limits.connections_per_client
        if peer is not None and cap > 0:
            if self.open_per_peer[peer] >= cap:
                log.warning(
                    "too many connections from one client",
                    extra={"event": "connection_limit", "limit": cap},
                )
                self.count("connection_limit")
                transport.write(_BUSY_RESPONSE)
                transport.close()
                return
            self.open_per_peer[peer] += 1
            self._peer = peer
        self._arm(self.limits.header_timeout, self._headers_late)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if self._peer is not None:
            self.open_per_peer[self._peer] -= 1
            if self.open_per_peer[self._peer] <= 0:
                del self.open_per_peer[self._peer]
            self._peer = None
        super().connection_lost(exc)

    # --- deadlines ----------------------------------------------------------------------

    def handle_events(self) -> None:
        before = self.cycle
        super().handle_events()
        cycle = self.cycle
        if cycle is None or self.transport.is_closing():
            return
        if cycle is not before:  # a request's headers have just been parsed
            if cycle.more_body:
                self._arm(self.limits.body_timeout, self._body_late)
            else:
                self._disarm()
        elif not cycle.more_body and self._deadline is not None and not cycle.response_complete:
            self._disarm()  # the body is complete; the handler may take its time

    def send_400_response(self, msg: str) -> None:
        """Answer a malformed request 400 only while no answer has begun.

        A bad chunk can arrive after the handler has answered (a 401 before
        the body) or while it waits for the body. uvicorn then wrote its 400
        through h11 in the wrong state, or left the handler to answer after
        it: either way a traceback at error level per hostile request. Now
        the waiting handler sees a disconnect, and an answered request's
        connection is simply closed.
        """
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            cycle.disconnected = True  # its receive() says http.disconnect; its send() is dropped
            cycle.message_event.set()
        if self.conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE) or (
            cycle is not None and cycle.response_started
        ):
            self.transport.close()
            return
        super().send_400_response(msg)

    def on_response_complete(self) -> None:
        if self.conn.their_state is h11.SEND_BODY and not self.transport.is_closing():
            left = getattr(getattr(self.conn, "_reader", None), "_remaining", None)
            if not isinstance(left, int) or left > REFUSED_BODY_BYTES:
                self._refuse_body()  # answered before a large body: read no more of it
                return
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm(self.limits.header_timeout, self._headers_late)

    def data_received(self, data: bytes) -> None:
        if self._refused_left is None:
            super().data_received(data)
            return
        self._refused_left -= len(data)  # dropped unparsed; no more requests on it
        if self._refused_left < 0 and not self.transport.is_closing():
            self.transport.close()

    def _refuse_body(self) -> None:
        """The answer is out and the body still coming: close soon, whatever the client does."""
        self.server_state.total_requests += 1
        self._refused_left = REFUSED_BODY_BYTES
        self.count("refused_body")
        self.flow.resume_reading()  # take (and drop) what is on the way, then close
        self._arm(REFUSED_BODY_SECONDS, self._refused_done)

    def _refused_done(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def count(self, event: str) -> None:
        for listener in self.listeners:
            listener(event)

    def _arm(self, seconds: float, callback: Any) -> None:
        self._disarm()
        if seconds > 0:
            self._deadline = self.loop.call_later(seconds, callback)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _headers_late(self) -> None:
        self._deadline = None
        waiting = self.cycle is None or self.cycle.response_complete
        if waiting and not self.transport.is_closing():
            log.info("client too slow sending headers; cut off", extra={"event": "timeout"})
            self.count("timeout")
            self.transport.write(_timeout_response())
            self.transport.close()

    def _body_late(self) -> None:
        self._deadline = None
        cycle = self.cycle
        if cycle is not None and cycle.more_body and not self.transport.is_closing():
            log.info(
                "client too slow sending the body; cut off",
                extra={"event": "timeout", "path": cycle.scope.get("path", "")[:200]},
            )
            self.count("timeout")
            self.transport.close()
