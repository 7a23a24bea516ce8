"""Property: a laptop that falls behind the relay's compaction with unsent edits converges.

The random programs of ``test_convergence`` (2–5 laptops, every synced
table, offline edits, forced concurrent edits, partial syncs with small
batches and pages) run with laptops that make snapshots often, so the relay
compacts its log. Laptop 0 is backed up early; later, after the team went
on far enough that the relay pruned past that backup's position, it is
restored from it (as ``sosku restore`` does after a damaged disk), and its
worker makes random edits before the next sync. Its next round starts from
the team's snapshot (``sync/catch_up.py``) and keeps those edits; after
every laptop syncs twice all hold identical rows and history, no
acknowledged edit is lost — the unsent edits of the restored laptop
included — and the relay holds each device's tail once, with no gap.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from sosku_desktop.store import backup, sync_state
from sosku_desktop.store.database import Store
from sosku_desktop.sync.client import SyncClient
from tests.sync.client.helpers import (
    KINDS,
    PASSPHRASE,
    Laptop,
    TeamRelay,
    assert_converged,
    own_ops,
    quick_transport,
)
from tests.sync.client.test_convergence import ACTIONS, HOT, programs, run_edit, run_step
from tests.sync.client.test_snapshot_convergence import _assert_relay_holds_a_gapless_tail
from tests.sync.server.helpers import ServerProcess

OPTIONS = {"push_batch": 3, "pull_limit": 4, "snapshot_after": 3}


@st.composite
def falling_behind(draw: st.DrawFn) -> tuple[int, list[tuple[Any, ...]], list[int]]:
    """A convergence program, and the seeds of laptop 0's edits after its restore (1–5)."""
    count, steps = draw(programs())
    typed = draw(st.lists(st.integers(0, 2**32), min_size=1, max_size=5))
    return count, steps, typed


def _restore(laptop: Laptop, taken: Path) -> None:
    key = laptop.store.key_source.key
    data_dir = laptop.store.data_dir
    laptop.store.close()
    backup.restore_backup(data_dir, key, taken)
    laptop.store = Store.open(data_dir, PASSPHRASE, take_backup=False)
    laptop.client = SyncClient(laptop.store, quick_transport, **OPTIONS)


def _pruned_past(relay_db: Path, team_id: str, cursor: int) -> bool:
    with sqlite3.connect(relay_db) as conn:
        (pruned,) = conn.execute("SELECT pruned_upto FROM teams WHERE team_id = ?", (team_id,))
    return int(pruned[0]) > cursor


@pytest.mark.slow
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # a shrink takes many minutes
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(program=falling_behind())
def test_a_laptop_behind_compaction_with_unsent_edits_converges_losing_nothing(
    relay: ServerProcess,
    relay_db: Path,
    tmp_path_factory: pytest.TempPathFactory,
    program: tuple[int, list[tuple[Any, ...]], list[int]],
) -> None:
    count, steps, typed = program
    folder = tmp_path_factory.mktemp("catch-up")
    team = TeamRelay.create(relay)
    try:
        laptops = [team.laptop(folder, f"l{i}", **OPTIONS) for i in range(count)]
        first_sync = steps.index(("sync_all",))
        for step in steps[: first_sync + 1]:
            run_step(laptops, step)
        taken = backup.take_backup(
            laptops[0].store.data_dir, laptops[0].store.key_source.key, force=True
        ).path
        assert taken is not None
        with laptops[0].store.read() as r:
            restored_cursor = sync_state.cursor(r.conn)
        for step in steps[first_sync + 1 :]:
            run_step(laptops, step)
        rounds = 0
        while not _pruned_past(relay_db, team.team_id, restored_cursor):
            rounds += 1
            assert rounds < 20, "the relay never compacted past the backup"
            run_edit(laptops[-1].store, "create", "clients", rounds)
            run_step(laptops, ("sync_all",))
        sent = own_ops(laptops[0].store)  # some only in the team's snapshot after the restore
        _restore(laptops[0], taken)
        for seed in typed:
            rnd = random.Random(seed)
            run_edit(laptops[0].store, rnd.choice(ACTIONS), rnd.choice(HOT + KINDS), seed)
        unsent = own_ops(laptops[0].store)

        report = laptops[0].sync()

        assert report.caught_up > restored_cursor
        assert_converged(laptops, sent)
        kept = own_ops(laptops[0].store)
        assert {(*op[:3], op[4]) for op in unsent} <= {(*op[:3], op[4]) for op in kept}
        _assert_relay_holds_a_gapless_tail(relay_db, team.team_id)
    finally:
        team.close()
