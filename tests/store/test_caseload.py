"""The generated caseload: what the bulk path writes is what the Writer writes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from stdnum.fi import hetu

from sosku_desktop.domain import codes, models
from sosku_desktop.store import clocks as store_clocks
from sosku_desktop.store import codec
from sosku_desktop.store.caseload import populate
from sosku_desktop.store.database import Store
from sosku_desktop.store.schema import ENTITY, change_log, client_search
from sosku_desktop.store.search import stored_sort_key
from tests.store.conftest import PASSPHRASE

TODAY = date(2026, 11, 30)
ROOT = Path(__file__).resolve().parents[2]


def _is_identity(column: str) -> bool:
    """Columns that hold generated ids or the moment of writing (differ between runs)."""
    return column in ("id", "at", "record_id") or column.endswith(("_id", "_ids"))


def _rows(store: Store) -> dict[str, list[tuple[tuple[str, str], ...]]]:
    with store.read() as r:
        return {
            t: sorted(
                tuple(sorted((k, repr(v)) for k, v in row._mapping.items() if not _is_identity(k)))
                for row in r.conn.execute(sa.select(table))
            )
            for t, table in ENTITY.items()
        }


def _search_rows(store: Store) -> list[tuple[str, ...]]:
    """``client_search`` as the triggers filled it, checked against the clients' names."""
    with store.read() as r:
        rows = r.conn.execute(
            sa.select(
                client_search, ENTITY["clients"].c.last_name, ENTITY["clients"].c.first_name
            ).join(ENTITY["clients"], ENTITY["clients"].c.id == client_search.c.client_id)
        ).all()
    assert len(rows) == len(set(row.client_id for row in rows)) > 0
    for row in rows:
        assert (row.sort_last, row.sort_first) == (
            stored_sort_key(row.last_name),
            stored_sort_key(row.first_name),
        )
    return sorted((row.words, row.compact, row.sort_last, row.sort_first) for row in rows)


def _bundles(store: Store) -> list[list[tuple[str, str, bool]]]:
    with store.read() as r:
        rows = r.conn.execute(sa.select(change_log.c.ops).order_by(change_log.c.device_seq))
        return [sorted((op["t"], op["c"], "b" in op) for op in row.ops) for row in rows]


def _clock_shape(store: Store) -> Counter[tuple[str, str]]:
    with store.read() as r:
        return Counter((t, c) for t, _, c in store_clocks.all_clocks(r.conn))


def _assert_log_matches_rows(store: Store) -> None:
    """Every op's value is the stored value and its clock is the bundle's clock."""
    with store.read() as r:
        bundles = r.conn.execute(sa.select(change_log.c.hlc, change_log.c.ops)).fetchall()
        clocks = store_clocks.all_clocks(r.conn)
        rows = {
            (t, row.id): dict(row._mapping)
            for t, table in ENTITY.items()
            for row in r.conn.execute(sa.select(table))
        }
    seen = 0
    for bundle in bundles:
        for op in bundle.ops:
            assert clocks[(op["t"], op["r"], op["c"])] == bundle.hlc
            assert codec.to_wire(rows[(op["t"], op["r"])][op["c"]]) == op["v"]
            seen += 1
    assert seen == len(clocks)


def test_bulk_caseload_equals_the_same_caseload_written_through_the_writer(
    tmp_path: Path,
) -> None:
    bulk = Store.create(tmp_path / "bulk", PASSPHRASE)
    plain = Store.create(tmp_path / "plain", PASSPHRASE)
    try:
        populate(bulk, 25, TODAY, bulk=True)
        populate(plain, 25, TODAY, bulk=False)
        assert _rows(bulk) == _rows(plain)
        assert _search_rows(bulk) == _search_rows(plain)
        assert _bundles(bulk) == _bundles(plain)
        assert _clock_shape(bulk) == _clock_shape(plain)
        _assert_log_matches_rows(bulk)
        _assert_log_matches_rows(plain)
        with bulk.read() as r:
            audit = r.list(models.AuditEntry)
            clients = r.clients()
            periods = r.list(models.Period)
        # every created row has its access-log row, naming the client it belongs to
        created = Counter(a.client_id for a in audit if a.action == codes.AUDIT_CREATE)
        assert all(created[c.id] >= 5 for c in clients)
        assert {p.status for p in periods} >= {codes.PERIOD_ACTIVE, codes.PERIOD_ENDED}
        assert bulk.check() == []
    finally:
        bulk.close()
        plain.close()


def test_generated_clients_look_real(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "d", PASSPHRASE)
    try:
        populate(store, 60, TODAY)
        with store.read() as r:
            clients = r.clients()
            meetings = r.list(models.Meeting)
            attendances = r.list(models.Attendance)
        assert len(clients) == 60
        codes_given = [c.identity_code for c in clients if c.identity_code]
        assert codes_given and all(hetu.is_valid(c, allow_temporary=True) for c in codes_given)
        assert any(set(c.last_name) & set("äöåÄÖÅ") for c in clients)
        assert {m.status for m in meetings} == set(codes.MEETING_STATUSES)
        assert attendances
    finally:
        store.close()


def test_demo_data_command_builds_a_caseload_of_the_given_size(tmp_path: Path) -> None:
    data_dir = tmp_path / "big"
    env: dict[str, Any] = {**os.environ, "SOSKU_PASSPHRASE": "demo"}
    made = subprocess.run(
        [sys.executable, "-m", "sosku_desktop.app", "demo-data",
         "--data-dir", str(data_dir), "--clients", "30"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "30/30" in made.stdout
    store = Store.open(data_dir, "demo")
    try:
        with store.read() as r:
            assert len(r.clients()) == 30
    finally:
        store.close()
