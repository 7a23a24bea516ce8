"""Merging bundles between real encrypted stores: LWW per column, history, conflicts.

These tests move plaintext bundles between stores directly (the network
and envelope are tested in tests/sync); what is under test here is that
the store converges whatever the order, keeps every value, and shows
concurrent edits instead of losing them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from sosku_desktop.domain.models import Client, Goal, Period
from sosku_desktop.store import clocks, sync_state
from sosku_desktop.store.database import Store
from sosku_desktop.store.schema import ENTITY, SYNCED_TABLES, quarantine
from sosku_desktop.store.writer import new_id


@pytest.fixture
def devices(tmp_path: Path) -> Iterator[list[Store]]:
    stores = [Store.create(tmp_path / f"dev{i}", "passphrase-1") for i in range(3)]
    yield stores
    for s in stores:
        s.close()


def outgoing(store: Store) -> list[dict[str, Any]]:
    with store.read() as r:
        return [b.plaintext(store.device_id) for b in sync_state.pending(r.conn, 10_000)]


def deliver(store: Store, bundles: list[dict[str, Any]]) -> None:
    with store.write() as w:
        for bundle in bundles:
            sync_state.apply_or_quarantine(w.conn, bundle, store.clock, None)
        sync_state.retry_quarantine(w.conn, store.clock)


def snapshot(store: Store) -> dict[str, Any]:
    """Every synced row and the value history, comparable across devices."""
    with store.read() as r:
        data = {
            t: sorted(
                tuple(sorted((k, repr(v)) for k, v in row._mapping.items()))
                for row in r.conn.execute(sa.select(ENTITY[t]))
            )
            for t in SYNCED_TABLES
        }
        history = sorted((t, row, c, repr(v), h) for t, row, c, v, h in clocks.all_history(r.conn))
    return {"data": data, "history": history}


def test_last_writer_wins_per_column_not_per_row(devices: list[Store]) -> None:
    a, b, _ = devices
    with a.write() as w:
        client = w.add(Client(id=new_id(), first_name="Aino", last_name="Korhonen"))
    deliver(b, outgoing(a))
    with a.write() as w:
        w.update(Client(**{**client.__dict__, "phone": "040 111"}))
    with b.write() as w:
        w.update(Client(**{**client.__dict__, "notes": "Toivoo aamutapaamisia"}))
    deliver(b, outgoing(a))
    deliver(a, outgoing(b))
    for store in (a, b):
        with store.read() as r:
            merged = r.get(Client, client.id)
        assert (merged.phone, merged.notes) == ("040 111", "Toivoo aamutapaamisia")
    assert snapshot(a) == snapshot(b)


def test_concurrent_edit_of_the_same_text_is_kept_in_the_conflict_list(
    devices: list[Store],
) -> None:
    a, b, _ = devices
    with a.write() as w:
        client = w.add(Client(id=new_id(), first_name="Juha", last_name="Nieminen"))
    deliver(b, outgoing(a))
    with a.write() as w:
        w.update(Client(**{**client.__dict__, "notes": "Versio A"}))
    with b.write() as w:
        w.update(Client(**{**client.__dict__, "notes": "Versio B"}))
    deliver(b, outgoing(a))
    deliver(a, outgoing(b))
    values = set()
    for store in (a, b):
        with store.read() as r:
            values.add(r.get(Client, client.id).notes)
            found = sync_state.open_conflicts(r.conn)
        assert len(found) == 1
        assert {found[0].kept_value, found[0].other_value} == {"Versio A", "Versio B"}
    assert len(values) == 1  # both show the same winner
    assert snapshot(a) == snapshot(b)


def test_resolving_a_conflict_with_the_other_value_is_a_new_synced_edit(
    devices: list[Store],
) -> None:
    a, b, _ = devices
    with a.write() as w:
        client = w.add(Client(id=new_id(), first_name="Sari", last_name="Koskinen"))
    deliver(b, outgoing(a))
    with a.write() as w:
        w.update(Client(**{**client.__dict__, "notes": "A"}))
    with b.write() as w:
        w.update(Client(**{**client.__dict__, "notes": "B"}))
    deliver(a, outgoing(b))
    with a.read() as r:
        (conflict,) = sync_state.open_conflicts(r.conn)
        loser = conflict.other_value
    with a.write() as w:
        w.resolve_conflict(conflict.id, use_other=True)
    deliver(b, outgoing(a))
    for store in (a, b):
        with store.read() as r:
            assert r.get(Client, client.id).notes == loser
    with a.read() as r:
        assert sync_state.open_conflicts(r.conn) == []
        actions = [e.action for e in r.audit_of_client(client.id)]
    assert "resolve_conflict" in actions


def test_any_delivery_order_with_duplicates_converges(devices: list[Store]) -> None:
    a, b, c = devices
    rnd = random.Random(7)
    with a.write() as w:
        client = w.add(Client(id=new_id(), first_name="Pekka", last_name="Heikkinen"))
        period = w.add(
            Period(
                id=new_id(),
                client_id=client.id,
                worker_id=None,
                start=date(2024, 1, 4),
                planned_end=date(2025, 1, 3),
            )
        )
    deliver(b, outgoing(a))
    for i in range(6):
        with a.write() as w:
            w.add(Goal(id=new_id(), period_id=period.id, text=f"A-tavoite {i}"))
        with b.write() as w:
            w.update(Client(**{**client.__dict__, "phone": f"050 {i}"}))
    with b.write() as w:
        w.delete(Client, client.id)
    everything = outgoing(a) + outgoing(b)
    shuffled = everything + rnd.sample(everything, k=5)
    rnd.shuffle(shuffled)
    deliver(c, shuffled)
    deliver(a, outgoing(b))
    deliver(b, outgoing(a))
    with c.read() as r:
        assert r.conn.execute(sa.select(sa.func.count()).select_from(quarantine)).scalar() == 0
    assert snapshot(a) == snapshot(b) == snapshot(c)
    with c.read() as r:
        assert r.get(Client, client.id, include_deleted=True).deleted
        assert len(r.goals_of(period.id)) == 6


def test_newer_schema_and_far_future_bundles_wait_in_quarantine(devices: list[Store]) -> None:
    a, b, _ = devices
    with a.write() as w:
        w.add(Client(id=new_id(), first_name="Tuleva", last_name="Versio"))
    (bundle,) = outgoing(a)
    newer = {**bundle, "schema_version": bundle["schema_version"] + 1}
    deliver(b, [newer])
    future = {
        **bundle,
        "bundle_id": new_id(),
        "device_id": "other-device",
        "device_seq": 1,
        "hlc": "9999999999999999-00000-other-device",
    }
    deliver(b, [future])
    with b.read() as r:
        reasons = {row.reason for row in r.conn.execute(sa.select(quarantine))}
        assert r.clients() == []
    assert reasons == {"newer_schema", "clock_drift"}
    assert b.clock.last.ms < 9_000_000_000_000_000


def test_a_column_written_twice_in_one_transaction_arrives_with_its_last_value(
    devices: list[Store],
) -> None:
    a, b, _ = devices
    with a.write() as w:
        client = w.add(Client(id=new_id(), first_name="Ensin", last_name="Kahdesti"))
        client.first_name = "Lopulta"
        w.update(client)
    (bundle,) = outgoing(a)
    first_names = [op for op in bundle["ops"] if op["t"] == "clients" and op["c"] == "first_name"]
    assert [op["v"] for op in first_names] == ["Lopulta"]
    deliver(b, [bundle])
    with b.read() as r:
        assert r.get(Client, client.id).first_name == "Lopulta"
    assert snapshot(a) == snapshot(b)
