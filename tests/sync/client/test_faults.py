"""A hostile network and a crashing relay: outboxes drain, nothing doubled or lost.

Three laptops sync at the same time (threads, so their requests interleave
and delays reorder them) through ``FaultProxy``: requests dropped, cut
mid-body (a push batch cut half-way), delayed, sent twice, answers dropped
after the relay acted, answers truncated. Every third round the relay is
SIGKILLed at a random moment and restarted on the same SQLite file. Then
the network heals, everyone syncs twice, and the laptops must agree, with
each bundle on the relay exactly once and every acknowledged edit there.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from sosku_desktop.sync.client import SyncState
from sosku_desktop.sync.transport import Offline, ServerError
from tests.sync.client.helpers import (
    Editor,
    Laptop,
    TeamRelay,
    assert_no_edit_lost,
    assert_relay_holds_each_change_once,
    outbox,
    snapshot,
)
from tests.sync.client.proxy import FAULTS, FaultProxy
from tests.sync.server.helpers import ServerProcess

TABLES = ("clients", "meetings", "goals", "attendances", "org_settings", "group_sessions")


def backup_copy(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (what an operator's backup gives)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def edit_randomly(laptop: Laptop, rnd: random.Random, times: int) -> None:
    editor = Editor(rnd)
    for _ in range(times):
        table = rnd.choice(TABLES)
        with laptop.store.write() as w:
            if rnd.random() < 0.5 or not editor.update(w, table):
                editor.create(w, table)


def sync_all_at_once(laptops: list[Laptop]) -> list[BaseException]:
    """Every laptop syncs in its own thread; returns the unexpected errors."""
    unexpected: list[BaseException] = []

    def run(laptop: Laptop) -> None:
        try:
            laptop.sync()
        except (Offline, ServerError):
            pass  # what a worker sees as "offline, try later"
        except BaseException as exc:
            unexpected.append(exc)

    threads = [threading.Thread(target=run, args=(lp,)) for lp in laptops]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return unexpected


@pytest.mark.slow
def test_drops_cuts_duplicates_and_relay_crashes_lose_and_double_nothing(tmp_path: Path) -> None:
    db = tmp_path / "relay.sqlite3"
    server = ServerProcess(f"sqlite:///{db}", tmp_path / "server.log").start()
    proxy = FaultProxy(server.port, seed=20240601)
    team = TeamRelay.create(server)
    rnd = random.Random(7)
    try:
        laptops = [
            team.laptop(tmp_path, f"l{i}", url=proxy.url, push_batch=4, pull_limit=5)
            for i in range(3)
        ]
        proxy.rate = 0.3
        for round_no in range(12):
            for laptop in laptops:
                edit_randomly(laptop, rnd, rnd.randrange(1, 4))
            killer = None
            if round_no % 3 == 2:

                def crash_and_restart(delay: float = rnd.uniform(0.0, 0.3)) -> None:
                    threading.Event().wait(delay)
                    server.kill()
                    server.start()  # same SQLite file, a new port
                    proxy.upstream_port = server.port

                killer = threading.Thread(target=crash_and_restart)
                killer.start()
            assert sync_all_at_once(laptops) == []
            if killer is not None:
                killer.join()
        proxy.rate = 0.0
        for _ in range(2):
            reports = [laptop.sync() for laptop in laptops]
    finally:
        proxy.close()
        server.stop()
    try:
        assert {r.state for r in reports} == {SyncState.UP_TO_DATE}
        assert all(proxy.counts[fault] > 0 for fault in FAULTS), proxy.counts
        assert [outbox(lp.store) for lp in laptops] == [0, 0, 0]
        first = snapshot(laptops[0].store)
        assert all(snapshot(lp.store) == first for lp in laptops[1:])
        assert_no_edit_lost([lp.store for lp in laptops])
        assert_relay_holds_each_change_once(db, team.team_id, laptops)
    finally:
        team.close()


def test_a_relay_restored_from_an_old_backup_is_refilled(
    tmp_path: Path,
) -> None:
    """The relay loses its newest bundles; laptops notice, push them again, converge."""
    db = tmp_path / "relay.sqlite3"
    server = ServerProcess(f"sqlite:///{db}", tmp_path / "server.log").start()
    proxy = FaultProxy(server.port, seed=1)  # no faults: a stable address across restarts
    team = TeamRelay.create(server)
    rnd = random.Random(3)

    def restart() -> None:
        server.start()
        proxy.upstream_port = server.port

    try:
        a, b = (team.laptop(tmp_path, name, url=proxy.url) for name in ("a", "b"))
        edit_randomly(a, rnd, 3)
        a.sync()
        b.sync()
        backup_copy(db, tmp_path / "backup.sqlite3")  # last night's backup
        edit_randomly(a, rnd, 3)
        edit_randomly(b, rnd, 2)
        a.sync()
        b.sync()
        a.sync()
        server.stop()  # the disk dies; the operator restores last night's copy
        for suffix in ("-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copy(tmp_path / "backup.sqlite3", db)
        restart()
        edit_randomly(b, rnd, 1)
        reports = [lp.sync() for lp in (a, b, a, b)]
        assert any(r.server_restored for r in reports)
        assert outbox(a.store) == outbox(b.store) == 0
        assert snapshot(a.store) == snapshot(b.store)
        assert_no_edit_lost([a.store, b.store])
        assert_relay_holds_each_change_once(db, team.team_id, [a, b])
    finally:
        proxy.close()
        server.stop()
        team.close()
