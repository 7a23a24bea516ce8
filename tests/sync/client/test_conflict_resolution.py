"""A conflict decided on one laptop is closed on every laptop, with the same value.

Real encrypted stores and a real relay process. Laptops edit the same
fields of the same clients offline, sync in random order, then decide their
open conflicts (keep the shown value or take the hidden one) between random
partial syncs. In the end no laptop lists an open conflict, and every laptop
holds the same rows and history.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sosku_desktop.domain.models import Client
from sosku_desktop.store import sync_state
from sosku_desktop.store.database import Store
from sosku_desktop.store.schema import conflicts
from sosku_desktop.store.writer import new_id
from tests.sync.client.helpers import Laptop, TeamRelay, snapshot
from tests.sync.server.helpers import ServerProcess

FIELDS = ("notes", "phone", "first_name")


def open_ids(store: Store) -> list[int]:
    with store.read() as r:
        return [row.id for row in sync_state.open_conflicts(r.conn)]


def edit(store: Store, client_id: str, column: str, text: str) -> None:
    with store.read() as r:
        client = r.get(Client, client_id)
    setattr(client, column, text)
    with store.write() as w:
        w.update(client)


def decide(store: Store, conflict_id: int, use_other: bool) -> tuple[str, str, str, str]:
    """Resolve one conflict; returns (table, row, column, newest HLC it decided)."""
    with store.read() as r:
        row = r.conn.execute(sa.select(conflicts).where(conflicts.c.id == conflict_id)).one()
        same = r.conn.execute(
            sa.select(conflicts.c.kept_hlc, conflicts.c.other_hlc).where(
                conflicts.c.tbl == row.tbl,
                conflicts.c.row_id == row.row_id,
                conflicts.c.col == row.col,
                conflicts.c.resolved_at.is_(None),
            )
        ).fetchall()
    with store.write() as w:
        w.resolve_conflict(conflict_id, use_other=use_other)
    return row.tbl, row.row_id, row.col, max(max(h) for h in same)


def still_open(store: Store, decided: tuple[str, str, str, str]) -> int:
    """Open conflicts on a decided field that the decision covered (must be none)."""
    table, row_id, column, upto = decided
    with store.read() as r:
        return len(
            r.conn.execute(
                sa.select(conflicts.c.id).where(
                    conflicts.c.tbl == table,
                    conflicts.c.row_id == row_id,
                    conflicts.c.col == column,
                    conflicts.c.resolved_at.is_(None),
                    conflicts.c.kept_hlc <= upto,
                    conflicts.c.other_hlc <= upto,
                )
            ).fetchall()
        )


def sync_all(laptops: list[Laptop], rounds: int = 2) -> None:
    for _ in range(rounds):
        for laptop in laptops:
            laptop.sync()


def share_clients(team: TeamRelay, folder: Path, count: int) -> tuple[list[Laptop], list[str]]:
    laptops = [team.laptop(folder, f"l{i}", push_batch=3, pull_limit=4) for i in range(count)]
    with laptops[0].store.write() as w:
        ids = [
            w.add(Client(id=new_id(), first_name=f"Asiakas{i}", last_name="K")).id for i in (0, 1)
        ]
    sync_all(laptops)
    return laptops, ids


def test_a_decision_on_one_laptop_closes_the_conflict_on_the_other(
    team: TeamRelay, tmp_path: Path
) -> None:
    (a, b), (client_id, _) = share_clients(team, tmp_path, 2)
    edit(a.store, client_id, "notes", "A:n kirjaus")
    edit(b.store, client_id, "notes", "B:n kirjaus")
    sync_all([a, b])
    assert len(open_ids(a.store)) == 1 and len(open_ids(b.store)) == 1
    with a.store.write() as w:
        w.resolve_conflict(open_ids(a.store)[0], use_other=True)
    sync_all([a, b])
    assert open_ids(a.store) == [] and open_ids(b.store) == []
    with b.store.read() as r:
        closed = r.conn.execute(sa.select(conflicts.c.resolution)).scalars().all()
    assert closed == ["remote"]
    assert snapshot(a.store) == snapshot(b.store)


@st.composite
def programs(draw: st.DrawFn) -> tuple[int, list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """(laptops, offline edits and syncs, decisions and syncs)."""
    laptops = draw(st.integers(2, 4))
    device = st.integers(0, laptops - 1)
    edit_step = st.tuples(
        st.just("edit"), device, st.integers(0, 1), st.sampled_from(FIELDS), st.integers(0, 999)
    )
    sync_step = st.tuples(st.just("sync"), device)
    edits = draw(st.lists(st.one_of(edit_step, edit_step, sync_step), min_size=3, max_size=16))
    decide = st.tuples(st.just("decide"), device, st.integers(0, 2**16), st.booleans())
    decisions = draw(st.lists(st.one_of(decide, decide, sync_step), min_size=1, max_size=12))
    return laptops, edits, decisions


@pytest.mark.slow
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(program=programs())
def test_every_conflict_ends_closed_everywhere_with_the_same_value(
    relay: ServerProcess,
    tmp_path_factory: pytest.TempPathFactory,
    program: tuple[int, list[tuple[Any, ...]], list[tuple[Any, ...]]],
) -> None:
    count, edits, decisions = program
    team = TeamRelay.create(relay)
    try:
        laptops, ids = share_clients(team, tmp_path_factory.mktemp("decide"), count)
        for step in edits:
            if step[0] == "sync":
                laptops[step[1]].sync()
            else:
                _, who, index, column, number = step
                edit(laptops[who].store, ids[index], column, f"{column}-{who}-{number}")
        sync_all(laptops)
        decided: list[tuple[str, str, str, str]] = []
        for step in decisions:
            if step[0] == "sync":
                laptops[step[1]].sync()
                continue
            _, who, pick, use_other = step
            open_now = open_ids(laptops[who].store)
            if open_now:
                decided.append(
                    decide(laptops[who].store, open_now[pick % len(open_now)], use_other)
                )
        sync_all(laptops)
        # Each decision closed what it covered on every laptop, not only where it was made.
        assert [still_open(lp.store, d) for lp in laptops for d in decided] == [0] * (
            len(laptops) * len(decided)
        )
        # Every laptop decides what is still open on it; decisions never open new ones.
        rnd = random.Random(len(edits))
        for _ in range(40):
            if not any(open_ids(lp.store) for lp in laptops):
                break
            for laptop in laptops:
                for conflict_id in open_ids(laptop.store)[:1]:
                    decide(laptop.store, conflict_id, rnd.random() < 0.5)
            sync_all(laptops)
        assert [open_ids(lp.store) for lp in laptops] == [[] for _ in laptops]
        first = snapshot(laptops[0].store)
        for laptop in laptops[1:]:
            assert snapshot(laptop.store) == first
    finally:
        team.close()
