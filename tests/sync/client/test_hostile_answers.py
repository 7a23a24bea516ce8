"""A relay's answers that would exhaust a laptop: refused, at no cost of memory.

A compromised relay (here a real relay behind ``FaultProxy``, which rewrites
its pull answers as the relay's operator could) is not trusted with the
size or shape of what it sends. A page compressed to explode (64 MiB of
JSON from 64 KiB of gzip), a page larger than any the protocol makes, and a
page nested without end were read whole (or crashed the round with a
RecursionError): now each is a ``ServerError`` ("the server failed"), the
laptop's memory peak during the round stays far below the lie, nothing is
applied, and the next honest answer syncs as usual.
"""

from __future__ import annotations

import gzip
import json
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sosku_desktop.domain.models import Client
from sosku_desktop.store import sync_state
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.transport import ServerError
from tests.sync.client.helpers import TeamRelay, snapshot
from tests.sync.client.proxy import FaultProxy
from tests.sync.server.helpers import ServerProcess

MIB = 1024 * 1024


def _answer(body: bytes, *extra: bytes) -> bytes:
    head = [b"HTTP/1.1 200 OK", b"content-type: application/json", *extra]
    head.append(b"content-length: %d" % len(body))
    return b"\r\n".join(head) + b"\r\n\r\n" + body


LIES: dict[str, Callable[[], bytes]] = {
    "compressed_to_explode": lambda: _answer(
        gzip.compress(b'{"bundles": [' + b" " * (64 * MIB) + b"]}", 9),
        b"content-encoding: gzip",
    ),
    "larger_than_any_page": lambda: _answer(b'{"bundles": [' + b" " * (40 * MIB) + b"]}"),
    "nested_without_end": lambda: _answer(b"[" * 200_000 + b"]" * 200_000),
}


@pytest.fixture
def proxy(relay: ServerProcess) -> Iterator[FaultProxy]:
    found = FaultProxy(relay.port, seed=1)
    try:
        yield found
    finally:
        found.close()


@pytest.mark.parametrize("lie", sorted(LIES))
def test_a_hostile_page_is_refused_without_filling_the_memory(
    team: TeamRelay, proxy: FaultProxy, tmp_path: Path, lie: str
) -> None:
    a = team.laptop(tmp_path, "a")
    b = team.laptop(tmp_path, "b", url=proxy.url)
    with a.store.write() as w:
        w.add(Client(id=new_id(), first_name="Rehellinen", last_name="Sivu"))
    a.sync()
    b.sync()  # b holds a's first change
    with a.store.write() as w:
        w.add(Client(id=new_id(), first_name="Toinen", last_name="Sivu"))
    a.sync()
    with b.store.read() as r:
        before = sync_state.cursor(r.conn)
    lied = LIES[lie]()

    def rewrite(request: bytes, answer: bytes) -> bytes:
        return lied if request.startswith(b"GET /v1/bundles") else answer

    proxy.rewrite = rewrite
    tracemalloc.start()
    try:
        with pytest.raises(ServerError):
            b.sync()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 16 * MIB, peak  # the lie itself is 40-64 MiB once read or inflated
    with b.store.read() as r:
        assert sync_state.cursor(r.conn) == before  # nothing applied
    proxy.rewrite = None
    b.sync()
    assert snapshot(b.store)["data"] == snapshot(a.store)["data"]


def test_a_page_claiming_to_end_beyond_its_bundles_does_not_skip_the_rest(
    team: TeamRelay, proxy: FaultProxy, tmp_path: Path
) -> None:
    """``next`` far beyond the page moved the cursor over bundles never served, for good."""
    a = team.laptop(tmp_path, "a")
    b = team.laptop(tmp_path, "b", url=proxy.url, pull_limit=2)
    for name in ("Yksi", "Kaksi", "Kolme", "Neljä"):
        with a.store.write() as w:
            w.add(Client(id=new_id(), first_name=name, last_name="Sivu"))
    a.sync()

    def rewrite(request: bytes, answer: bytes) -> bytes:
        if not request.startswith(b"GET /v1/bundles"):
            return answer
        body = answer.partition(b"\r\n\r\n")[2]
        page = json.loads(body)
        page.update(next=10**12, more=False)  # "nothing after this page"
        return _answer(json.dumps(page).encode())

    proxy.rewrite = rewrite
    b.sync()
    with b.store.read() as r:
        assert sync_state.cursor(r.conn) < 10**12
    proxy.rewrite = None  # the relay is honest again
    b.sync()
    assert snapshot(b.store)["data"] == snapshot(a.store)["data"]
