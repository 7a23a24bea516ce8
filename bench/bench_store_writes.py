"""Store write cost: our Writer (SQLCipher, FULL sync, change capture) vs. baselines.

Prints transactions/s and ratios against a plain sqlite3 insert loop measured
in the same run, so a slower shared machine does not move the ratios much.
Run: .venv/bin/python bench/bench_store_writes.py [N]
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import keyring
from keyring.backends import fail

from sosku_desktop.domain.models import Client, Meeting, Period
from sosku_desktop.store import engine as engine_module
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id


def plain_sqlite(path: Path, n: int, synchronous: str) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT, b TEXT, c INTEGER)")
    start = time.perf_counter()
    for i in range(n):
        conn.execute("BEGIN")
        conn.execute("INSERT INTO t VALUES (?, ?, ?, ?)", (new_id(), "x" * 40, "y" * 80, i))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def store_meetings(path: Path, n: int, synchronous: str) -> float:
    engine_module.SYNCHRONOUS = synchronous
    store = Store.create(path, "bench-passphrase")
    with store.write() as w:
        client = w.add(Client(id=new_id(), first_name="Bench", last_name="Client"))
        period = w.add(
            Period(
                id=new_id(),
                client_id=client.id,
                worker_id=None,
                start=date(2024, 1, 1),
                planned_end=date(2024, 12, 31),
            )
        )
    start = time.perf_counter()
    for i in range(n):
        with store.write() as w:
            w.add(
                Meeting(
                    id=new_id(),
                    period_id=period.id,
                    starts_at=datetime(2024, 1, 1, 8),
                    notes=f"Tapaaminen {i}",
                    methods=["diary"],
                )
            )
    elapsed = time.perf_counter() - start
    store.close()
    engine_module.SYNCHRONOUS = "FULL"
    return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    keyring.set_keyring(fail.Keyring())
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base = plain_sqlite(root / "plain.db", n, "FULL")
        base_normal = plain_sqlite(root / "plain-normal.db", n, "NORMAL")
        full = store_meetings(root / "full", n, "FULL")
        normal = store_meetings(root / "normal", n, "NORMAL")
    print(f"{n} single-row transactions each")
    for name, seconds in (
        ("plain sqlite3, WAL + FULL (baseline)", base),
        ("plain sqlite3, WAL + NORMAL", base_normal),
        ("Sosku Writer (SQLCipher, capture, audit), FULL", full),
        ("Sosku Writer (SQLCipher, capture, audit), NORMAL", normal),
    ):
        print(f"{name:52s} {n / seconds:8.0f} tx/s  ratio {seconds / base:5.2f}× baseline time")


if __name__ == "__main__":
    main()
