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


def _from(device: str, seq: int, ops: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "bundle_id": new_id(),
        "device_id": device,
        "device_seq": seq,
        "hlc": f"0001704362400{seq:03d}-00000-{device}",
        "schema_version": 1,
        "ops": ops,
    }


def _client_ops(row_id: str, name: str) -> list[dict[str, Any]]:
    return [
        {"t": "clients", "r": row_id, "c": "first_name", "v": name},
        {"t": "clients", "r": row_id, "c": "last_name", "v": "Sivu"},
    ]


@pytest.mark.parametrize(
    "bad_op",
    [
        {"t": "clients", "r": "x", "c": "notes", "v": {"not": "text"}},  # refused before writing
        {"t": "meetings", "r": "x", "c": "methods", "v": b"\x00bytes"},  # refused by the database
    ],
)
def test_one_bad_bundle_in_a_page_holds_only_itself_and_its_successors(
    tmp_path: Path, bad_op: dict[str, Any]
) -> None:
    """A page is applied together, but a bundle that cannot be applied holds only itself
    (and the same device's later bundles, as a gap); every other bundle is applied."""
    ids = [new_id() for _ in range(5)]
    page = [
        (_from("dev-a", 1, _client_ops(ids[0], "A1")), 1),
        (_from("dev-b", 1, _client_ops(ids[1], "B1")), 2),
        (_from("dev-b", 2, [*_client_ops(ids[2], "B2"), bad_op]), 3),
        (_from("dev-a", 2, _client_ops(ids[3], "A2")), 4),
        (_from("dev-b", 3, _client_ops(ids[4], "B3")), 5),
    ]
    with Store.create(tmp_path / "d", "passphrase-1") as store:
        with store.write() as w:
            results = sync_state.apply_page(w.conn, page, store.clock)
        assert [r.rejected for r in results] == [None, None, "malformed", None, "gap"]
        with store.read() as r:
            names = sorted(c.first_name for c in r.clients())
            held = r.conn.execute(
                sa.select(quarantine.c.server_seq, quarantine.c.reason).order_by(
                    quarantine.c.server_seq
                )
            ).all()
            meetings = r.conn.execute(sa.text("select count(*) from meetings")).scalar()
        assert names == ["A1", "A2", "B1"]
        assert [tuple(h) for h in held] == [(3, "malformed"), (5, "gap")]
        with store.write() as w:
            assert sync_state.retry_quarantine(w.conn, store.clock) == 0
        assert meetings == 0
