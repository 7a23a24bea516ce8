"""The push half of a round: our own bundles are not fetched back when nothing lies between."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sosku_desktop.domain.models import Client
from sosku_desktop.store import sync_state
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.transport import SyncTransport
from tests.sync.client.helpers import Laptop, TeamRelay, acked_seqs, outbox, snapshot


class _Counting(SyncTransport):
    """Remembers the device of every bundle the relay served to this laptop."""

    served: list[str] = []

    def pull(self, after: int = 0, limit: int | None = None, ack: bool = False) -> dict[str, Any]:
        page = super().pull(after, limit, ack)
        _Counting.served.extend(str(b.get("device_id")) for b in page.get("bundles", []))
        return page


def _counting(url: str, team: str, device: str, keys: Any) -> SyncTransport:
    return _Counting(url, team, device, keys, timeout=10)


def _edit(laptop: Laptop, count: int) -> None:
    for i in range(count):
        with laptop.store.write() as w:
            w.add(Client(id=new_id(), first_name=f"{laptop.name} {i}", last_name="Push"))


def _position(laptop: Laptop) -> tuple[int, tuple[int, str] | None]:
    with laptop.store.read() as r:
        return sync_state.cursor(r.conn), sync_state.cursor_anchor(r.conn)


def test_own_bundles_right_after_the_cursor_are_passed_not_pulled(
    team: TeamRelay, tmp_path: Path
) -> None:
    a = team.laptop(tmp_path, "a", push_batch=2)
    b = team.laptop(tmp_path, "b")
    a.client.transport_factory = _counting
    served = _Counting.served
    served.clear()
    _edit(a, 5)
    report = a.sync()  # three requests; the relay held nothing before them
    assert report.pushed == 5 and report.pulled == 0
    assert served == []  # none of the five came back
    seqs = acked_seqs(a.store)
    assert seqs == [1, 2, 3, 4, 5]
    with a.store.read() as r:
        newest = sync_state.acked(r.conn)[-1]
    assert _position(a) == (5, (5, newest[2]))

    _edit(b, 1)
    report = b.sync()  # b's bundle is 6, and b pulls a's five
    assert report.pushed == 1 and report.applied == 5
    _edit(a, 2)
    served.clear()
    report = a.sync()  # a's new bundles are 7 and 8: b's 6 lies between, so a pulls
    assert report.pushed == 2
    assert report.applied == 1
    me = a.store.device_id
    # (the first is the round's check that the relay still holds a's bundle 5)
    assert served == [me, b.store.device_id, me, me]
    assert _position(a)[0] == 8
    assert b.sync().applied == 2
    assert snapshot(a.store) == snapshot(b.store)
    assert outbox(a.store) == outbox(b.store) == 0
    assert a.sync().pulled == b.sync().pulled == 0
