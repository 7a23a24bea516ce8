"""Signed but unusable bundles wait in quarantine instead of stopping sync or corrupting rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from sosku_desktop.domain.models import Client
from sosku_desktop.store import sync_state
from sosku_desktop.store.database import Store
from sosku_desktop.store.schema import quarantine
from sosku_desktop.store.writer import new_id


def bundle(ops: list[dict[str, Any]], hlc_ms: str = "0001704362400000") -> dict[str, Any]:
    return {
        "bundle_id": new_id(),
        "device_id": "other-device",
        "device_seq": 1,
        "hlc": f"{hlc_ms}-00000-other-device",
        "schema_version": 1,
        "ops": ops,
    }


@pytest.mark.parametrize(
    ("ops", "hlc_ms", "reason"),
    [
        ([{"t": "meetings", "r": "m1", "c": "starts_at", "v": "not a time"}], None, "malformed"),
        ([{"t": "clients", "r": "c1", "c": "notes"}], None, "malformed"),
        ([{"t": "clients", "r": "c1", "c": "notes", "v": {"not": "text"}}], None, "malformed"),
        ([{"t": "clients", "r": "c1", "c": "id", "v": "c2"}], None, "unknown_column"),
        ([{"t": "clients", "r": "c1", "c": "notes", "v": "x"}], "1704362400000", "malformed"),
    ],
)
def test_unusable_bundles_are_held_and_nothing_of_them_is_written(
    tmp_path: Path, ops: list[dict[str, Any]], hlc_ms: str | None, reason: str
) -> None:
    with Store.create(tmp_path / "d", "passphrase-1") as store:
        with store.write() as w:
            w.add(Client(id=new_id(), first_name="Pysyy", last_name="Ennallaan"))
        before = store.outbox_size()
        incoming = bundle(ops, hlc_ms) if hlc_ms else bundle(ops)
        with store.write() as w:
            assert sync_state.apply_or_quarantine(w.conn, incoming, store.clock, 7) is None
            assert sync_state.retry_quarantine(w.conn, store.clock) == 0
        with store.read() as r:
            held = r.conn.execute(sa.select(quarantine.c.reason, quarantine.c.server_seq)).all()
            assert [tuple(h) for h in held] == [(reason, 7)]
            assert [c.first_name for c in r.clients()] == ["Pysyy"]
            for table in ("meetings", "clients"):
                count = r.conn.execute(sa.text(f"select count(*) from {table}")).scalar()
                assert count == (1 if table == "clients" else 0)
        assert store.outbox_size() == before
