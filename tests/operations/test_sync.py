"""Sync operations: what a round means for the views; resolving a conflict."""

from __future__ import annotations

from pathlib import Path

from sosku_desktop.domain.models import Client
from sosku_desktop.operations.sync import SYNC_STATE, resolve_conflict, round_changes
from sosku_desktop.store import sync_state
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.client import SyncReport, SyncState


def test_a_round_that_only_pushed_concerns_the_sync_status_alone() -> None:
    pushed = round_changes(SyncReport(SyncState.UP_TO_DATE, pushed=3))
    assert pushed.tables == {SYNC_STATE} and not pushed.everything
    assert round_changes(SyncReport(SyncState.UP_TO_DATE, applied=1)).everything
    assert round_changes(SyncReport(SyncState.UP_TO_DATE, conflicts=1)).everything


def _deliver(source: Store, target: Store) -> None:
    with source.read() as r:
        bundles = [b.plaintext(source.device_id) for b in sync_state.pending(r.conn, 10_000)]
    with target.write() as w:
        for bundle in bundles:
            sync_state.apply_or_quarantine(w.conn, bundle, target.clock, None)


def test_resolving_a_conflict_reports_the_row_and_its_client(tmp_path: Path) -> None:
    a = Store.create(tmp_path / "a", "passphrase-1")
    b = Store.create(tmp_path / "b", "passphrase-1")
    try:
        with a.write() as w:
            client = w.add(Client(id=new_id(), first_name="Sari", last_name="Koskinen"))
        _deliver(a, b)
        for store, notes in ((a, "A"), (b, "B")):
            with store.write() as w:
                w.update(Client(**{**client.__dict__, "notes": notes}))
        _deliver(b, a)
        with a.read() as r:
            (conflict,) = sync_state.open_conflicts(r.conn)

        changes = resolve_conflict(a, conflict.id, use_other=True)

        assert changes.concerns("clients", SYNC_STATE)
        with a.read() as r:
            assert r.get(Client, client.id).notes == conflict.other_value
            assert sync_state.open_conflicts(r.conn) == []
    finally:
        a.close()
        b.close()
