"""The sync client killed (SIGKILL) at its riskiest moments loses, doubles and half-applies nothing.

A driver process (``kill_driver.py``) runs one real ``sync_once`` on a real
encrypted store against the real relay and kills itself between push and
ack, in the middle of applying a page, or after the cursor moved but before
the commit; a second test kills it from outside at random moments. Each
time the store reopens with a clean integrity check, and the next complete
sync converges with the relay holding every bundle once.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from sosku_desktop.store import sync_state
from sosku_desktop.store.database import Store
from tests.sync.client.helpers import (
    PASSPHRASE,
    Editor,
    Laptop,
    TeamRelay,
    assert_no_edit_lost,
    assert_relay_holds_each_change_once,
    outbox,
    server_bundles,
    snapshot,
)

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """Like a headless machine: device keys go into the encrypted store, so a driver finds them."""
    keyring.set_keyring(fail.Keyring())
    yield


def drive(data_dir: Path, kill_at: str = "", nth: int = 1) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SOSKU_TEST_KILL_AT=kill_at, SOSKU_TEST_KILL_N=str(nth))
    return subprocess.run(
        [sys.executable, "-m", "tests.sync.client.kill_driver", str(data_dir), PASSPHRASE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def edits(laptop: Laptop, seed: int, count: int) -> None:
    editor = Editor(random.Random(seed))
    for i in range(count):
        with laptop.store.write() as w:
            editor.create(w, ("clients", "meetings", "goals", "attendances")[i % 4])


def reopen(laptop: Laptop) -> Laptop:
    """The laptop's store after the driver process used (and maybe died in) it."""
    laptop.store.close()
    store = Store.open(laptop.store.data_dir, PASSPHRASE, take_backup=False)
    assert store.check() == []
    laptop.store = store
    laptop.client.store = store
    laptop.client.devices.store = store
    return laptop


@pytest.mark.slow
@pytest.mark.usefixtures("no_keyring")
@pytest.mark.parametrize(
    ("kill_at", "nth"), [("after_push", 1), ("in_apply", 1), ("before_cursor_commit", 1)]
)
def test_killed_client_loses_and_doubles_nothing(
    team: TeamRelay, relay_db: Path, tmp_path: Path, kill_at: str, nth: int
) -> None:
    a = team.laptop(tmp_path, "a", pull_limit=4)
    b = team.laptop(tmp_path, "b")
    edits(a, 1, 8)
    a.sync()
    edits(b, 2, 5)
    b.store.close()
    died = drive(b.store.data_dir, kill_at, nth)
    assert died.returncode == -signal.SIGKILL, died.stderr
    reopen(b)
    with a.store.read() as r:
        from_a = {c.id for c in r.clients()}
    with b.store.read() as r:
        if kill_at == "after_push":
            assert outbox(b.store) == 5  # the relay has them; we do not know yet
            pushed = [
                row for row in server_bundles(relay_db, team.team_id) if row[1] == b.store.device_id
            ]
            assert len(pushed) >= 2  # at least one whole batch reached the relay
        else:
            # The page's transaction never committed: nothing of it, no cursor move.
            assert sync_state.cursor(r.conn) == 0
            assert from_a.isdisjoint(c.id for c in r.clients())
    b.store.close()
    finished = drive(b.store.data_dir)
    assert finished.returncode == 0, finished.stderr
    reopen(b)
    a.sync()
    assert outbox(a.store) == outbox(b.store) == 0
    assert snapshot(a.store) == snapshot(b.store)
    assert_no_edit_lost([a.store, b.store])
    assert_relay_holds_each_change_once(relay_db, team.team_id, [a, b])


@pytest.mark.slow
@pytest.mark.usefixtures("no_keyring")
def test_killed_at_random_moments_in_a_loop(
    team: TeamRelay, relay_db: Path, tmp_path: Path
) -> None:
    rnd = random.Random(11)
    a = team.laptop(tmp_path, "a")
    b = team.laptop(tmp_path, "b", push_batch=2)
    for round_no in range(4):
        edits(a, round_no, 6)
        a.sync()
        edits(b, 100 + round_no, 6)
        b.store.close()
        env = dict(os.environ, SOSKU_TEST_KILL_AT="")
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.sync.client.kill_driver",
                str(b.store.data_dir),
                PASSPHRASE,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rnd.uniform(0.3, 1.2))  # somewhere in start-up, push, pull or apply
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        reopen(b)
    b.store.close()
    assert drive(b.store.data_dir).returncode == 0
    reopen(b)
    a.sync()
    assert outbox(a.store) == outbox(b.store) == 0
    assert snapshot(a.store) == snapshot(b.store)
    assert_no_edit_lost([a.store, b.store])
    assert_relay_holds_each_change_once(relay_db, team.team_id, [a, b])
