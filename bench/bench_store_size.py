"""Database bytes per client and per table, for a generated team caseload.

Writes ``--clients`` generated clients (``store.caseload``) into a fresh
encrypted store and prints, per table (indexes included, measured with
``dbstat``, see bench/dbsize.py), the bytes per client and the share of
the whole; then the same for a second laptop that received the caseload
through a real relay (the sync bench does that part: bench_sync.py).
Baseline in the same run: the same entity rows alone (no change log,
clocks, history or audit), i.e. what the data itself takes.

    .venv/bin/python bench/bench_store_size.py [--clients 500]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

import keyring
from keyring.backends import fail

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dbsize import file_bytes, table_bytes

from sosku_desktop.store.caseload import populate
from sosku_desktop.store.database import Store
from sosku_desktop.store.schema import SYNCED_TABLES

PASSPHRASE = "bench-passphrase"


def report(title: str, sizes: dict[str, int], clients: int) -> None:
    total = sum(sizes.values())
    print(f"\n{title}: {total / clients / 1024:.1f} KiB per client ({total / 2**20:.1f} MiB)")
    print(f"{'table (with its indexes)':<28} {'bytes/client':>12} {'share':>7}")
    for name, size in sizes.items():
        print(f"{name:<28} {size / clients:12.0f} {100 * size / total:6.1f} %")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=500)
    args = parser.parse_args()
    keyring.set_keyring(fail.Keyring())
    with tempfile.TemporaryDirectory(prefix="sosku-bench-size-") as tmp:
        store = Store.create(Path(tmp) / "caseload", PASSPHRASE)
        try:
            populate(store, args.clients, date(2026, 11, 30))
            sizes = table_bytes(store)
            on_disk = file_bytes(store)
        finally:
            store.close()
    data = sum(v for k, v in sizes.items() if k in SYNCED_TABLES and k != "audit_log")
    report(f"{args.clients} generated clients, the writing laptop", sizes, args.clients)
    print(f"encrypted file on disk: {on_disk / args.clients / 1024:.1f} KiB per client")
    print(
        f"baseline: the entity rows alone (without audit_log) {data / args.clients / 1024:.1f}"
        f" KiB per client; the whole store is {sum(sizes.values()) / data:.1f}x that"
    )


if __name__ == "__main__":
    main()
