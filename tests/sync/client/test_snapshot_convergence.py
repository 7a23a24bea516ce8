"""Property: a laptop that joins mid-stream from a snapshot converges with the others.

The random programs of ``test_convergence`` (2–5 laptops, every synced
table, offline edits, forced concurrent edits, partial syncs with small
batches and pages) run with laptops that make snapshots often, so the
relay compacts its log as they go. At a random step a new laptop joins
with an empty store; it starts from the newest snapshot when there is one
(or replays the log), keeping what its worker wrote before its first
sync, and edits and syncs with the others. After every
laptop syncs twice, all hold identical rows and history, no acknowledged
edit is lost, and the relay holds the tail of each device's bundles once,
with no gap.
"""

from __future__ import annotations

import random
import sqlite3
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sync.client.helpers import (
    KINDS,
    TeamRelay,
    assert_converged,
    server_bundles,
)
from tests.sync.client.test_convergence import ACTIONS, HOT, programs, run_edit, run_step
from tests.sync.server.helpers import ServerProcess


@st.composite
def joining_programs(draw: st.DrawFn) -> tuple[int, list[tuple[Any, ...]]]:
    """A convergence program with a ``join`` step and the newcomer's own edits and syncs."""
    count, steps = draw(programs())
    start = next(i for i, step in enumerate(steps) if step[0] == "sync_all") + 1
    at = draw(st.integers(start, len(steps)))
    later = draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("joiner_edit"), st.integers(0, 2**32)),
                st.tuples(st.just("joiner_sync")),
            ),
            max_size=6,
        )
    )
    tail = list(steps[at:])
    for step in later:
        tail.insert(draw(st.integers(0, len(tail))), step)
    return count, [*steps[:at], ("join",), ("joiner_sync",), *tail]


@pytest.mark.slow
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(program=joining_programs())
def test_a_laptop_joining_from_a_snapshot_mid_stream_converges(
    relay: ServerProcess,
    relay_db: Any,
    tmp_path_factory: pytest.TempPathFactory,
    program: tuple[int, list[tuple[Any, ...]]],
) -> None:
    count, steps = program
    folder = tmp_path_factory.mktemp("join-snapshot")
    team = TeamRelay.create(relay)
    options = {"push_batch": 3, "pull_limit": 4, "snapshot_after": 3}
    try:
        laptops = [team.laptop(folder, f"l{i}", **options) for i in range(count)]
        joiner = None
        for step in steps:
            if step[0] == "join":
                joiner = team.laptop(folder, "joiner", **options)
            elif step[0] == "joiner_sync":
                assert joiner is not None
                joiner.sync()
            elif step[0] == "joiner_edit":
                assert joiner is not None
                rnd = random.Random(step[1])
                run_edit(joiner.store, rnd.choice(ACTIONS), rnd.choice(HOT + KINDS), step[1])
            else:
                run_step(laptops, step)
        assert joiner is not None
        assert_converged([*laptops, joiner])
        _assert_relay_holds_a_gapless_tail(relay_db, team.team_id)
    finally:
        team.close()


def _assert_relay_holds_a_gapless_tail(relay_db: Any, team_id: str) -> None:
    """Every bundle after the pruned prefix, and per device a run without gaps.

    Below the prefix only each device's newest bundle may stay (it numbers the next push).
    """
    rows = server_bundles(relay_db, team_id)
    with sqlite3.connect(relay_db) as conn:
        (pruned,) = conn.execute("SELECT pruned_upto FROM teams WHERE team_id = ?", (team_id,))
    seqs = [r[0] for r in rows if r[0] > pruned[0]]
    assert seqs and seqs == list(range(pruned[0] + 1, pruned[0] + 1 + len(seqs)))
    by_device: dict[str, list[int]] = {}
    for _, device, device_seq in rows:
        by_device.setdefault(device, []).append(device_seq)
    for held in by_device.values():
        assert held == list(range(held[0], held[0] + len(held)))
