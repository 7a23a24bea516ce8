"""Saving one meeting: the Writer against a raw insert + commit of the same row, same file.

Issue 15's goal: saving one meeting ≤ 3× a raw insert + commit. The
baseline (``raw_insert.py``) is a raw ``sqlcipher3`` insert + commit of the
same meeting row (the columns and values the Writer stored) into the
store's own file and ``meetings`` table, on a connection configured by the
store's own ``engine.configure`` (same key format, cipher settings, page
size, WAL, ``synchronous=FULL``). Encrypting the committed pages is the
store's disk format, not overhead of our code, so the baseline pays it
too. A plain (unencrypted) ``sqlite3`` insert of a tiny 4-column row is
printed as a reference line.

The three run in alternating rounds in one directory, so a machine that
gets busier during the run moves all of them. That directory is by default
a new one next to where the app keeps its data (``SOSKU_DATA_DIR`` or the
platformdirs folder), i.e. on the same filesystem as the real store;
``--dir`` picks another. Printed: transactions/s, thread CPU per
transaction (the rest of the time is waiting, mostly for ``fsync``) and the
ratios, and the pages each commits per transaction (WAL frames, measured
after the timed rounds with checkpoints held off).

Run: .venv/bin/python bench/bench_store_writes.py [-n 600] [--rounds 6] [--dir DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

import keyring
from keyring.backends import fail
from platformdirs import user_data_dir

sys.path.insert(0, str(Path(__file__).resolve().parent))

from raw_insert import MeetingInserts, connect, timed

from sosku_desktop.domain.models import Client, Meeting, Period
from sosku_desktop.store.database import Store
from sosku_desktop.store.engine import DB_FILE, SYNCHRONOUS
from sosku_desktop.store.writer import new_id


def app_data_dir() -> Path:
    """Where the app keeps its store (as ``app.default_data_dir``, without importing the UI)."""
    return Path(os.environ.get("SOSKU_DATA_DIR") or user_data_dir("sosku-desktop", "Sosku"))


def _existing(path: Path) -> Path:
    while not path.exists():
        path = path.parent
    return path


def filesystem_of(path: Path) -> str:
    """The mount point and type of the filesystem holding ``path`` (Linux; else "?")."""
    target = os.path.realpath(_existing(path))
    best = ("", "?")
    try:
        with open("/proc/mounts", encoding="utf-8") as fh:
            for line in fh:
                _dev, mount, kind, *_ = line.split()
                inside = target == mount or target.startswith(mount.rstrip("/") + "/")
                if inside and len(mount) >= len(best[0]):
                    best = (mount, kind)
    except OSError:
        return "?"
    return f"{best[0]} ({best[1]})"


class Plain:
    """The reference line: plain sqlite3, a tiny 4-column row, WAL + FULL."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
        self.conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT, b TEXT, c INTEGER)")

    def one(self, i: int) -> None:
        self.conn.execute("BEGIN")
        self.conn.execute("INSERT INTO t VALUES (?, ?, ?, ?)", (new_id(), "x" * 40, "y" * 80, i))
        self.conn.execute("COMMIT")


class Saves:
    """The Writer: one meeting per ``store.write()`` (row, audit row, clocks, change log)."""

    def __init__(self, data_dir: Path) -> None:
        self.store = Store.create(data_dir, "bench-passphrase")
        with self.store.write() as w:
            client = w.add(Client(id=new_id(), first_name="Bench", last_name="Client"))
            self.period = w.add(
                Period(
                    id=new_id(),
                    client_id=client.id,
                    worker_id=None,
                    start=date(2024, 1, 1),
                    planned_end=date(2024, 12, 31),
                )
            )
        self.last_id = ""

    def one(self, i: int) -> None:
        meeting = Meeting(
            id=new_id(),
            period_id=self.period.id,
            starts_at=datetime(2024, 1, 1, 8),
            notes=f"Tapaaminen {i}",
            methods=["diary"],
        )
        with self.store.write() as w:
            w.add(meeting)
        self.last_id = meeting.id


def run(root: Path, n: int, rounds: int) -> dict[str, tuple[float, float, float]]:
    """Alternating rounds of the three; total (wall, CPU) seconds of each, and its pages."""
    plain = Plain(root / "plain.db")
    saves = Saves(root / "store")
    saves.one(0)  # the template row the raw inserts copy
    key = saves.store.key_source.key
    raw = MeetingInserts(connect(root / "store" / DB_FILE, key), saves.last_id)
    totals = {"plain": [0.0, 0.0], "raw": [0.0, 0.0], "writer": [0.0, 0.0]}
    steps = {"plain": plain.one, "raw": lambda i: raw.one(f"Tapaaminen {i}"), "writer": saves.one}
    per_round = n // rounds
    for r in range(rounds):
        order = ["plain", "raw", "writer"] if r % 2 == 0 else ["writer", "raw", "plain"]
        for name in order:
            wall, cpu = timed(steps[name], per_round, start=1 + r * per_round)
            totals[name][0] += wall
            totals[name][1] += cpu
    pages = wal_pages(root, plain, raw, saves)
    raw.conn.close()
    plain.conn.close()
    saves.store.close()
    return {k: (v[0], v[1], pages[k]) for k, v in totals.items()}


def wal_pages(
    root: Path, plain: Plain, raw: MeetingInserts, saves: Saves, count: int = 200
) -> dict[str, float]:
    """Pages each kind commits per transaction: WAL growth with checkpoints held off."""
    with saves.store.write() as w:  # the store keeps this connection for its writes
        w.conn.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")
    raw.conn.execute("PRAGMA wal_autocheckpoint = 0")
    plain.conn.execute("PRAGMA wal_autocheckpoint = 0")
    kinds = {
        "plain": (root / "plain.db-wal", plain.conn, plain.one),
        "raw": (root / "store" / f"{DB_FILE}-wal", raw.conn, lambda i: raw.one(f"T {i}")),
        "writer": (root / "store" / f"{DB_FILE}-wal", raw.conn, saves.one),
    }
    found = {}
    for name, (wal, conn, step) in kinds.items():
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = wal.stat().st_size if wal.exists() else 0
        for i in range(count):
            step(i)
        page = int(conn.execute("PRAGMA page_size").fetchone()[0])
        found[name] = (wal.stat().st_size - max(before, 32)) / (page + 24) / count
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=600, help="transactions of each kind")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--dir", type=Path, help="run here (default: beside the app's data)")
    args = parser.parse_args()
    keyring.set_keyring(fail.Keyring())
    real = app_data_dir()
    parent = args.dir or _existing(real.parent)
    root = Path(tempfile.mkdtemp(prefix="sosku-bench-writes-", dir=parent))
    try:
        totals = run(root, args.n - args.n % args.rounds, args.rounds)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    n = args.n - args.n % args.rounds
    same = os.stat(_existing(real)).st_dev == os.stat(parent).st_dev
    print(f"ran in {root} on {filesystem_of(root)}")
    print(f"the app's store: {real} on {filesystem_of(real)} (same filesystem: {same})")
    print(f"{n} single-row transactions each, {args.rounds} alternating rounds, {SYNCHRONOUS=}")
    base = totals["raw"][0]
    plain = totals["plain"][0]
    for name, label in (
        ("plain", "plain sqlite3, tiny 4-column row (reference)"),
        ("raw", "raw SQLCipher insert+commit of the meeting row (baseline)"),
        ("writer", "Sosku Writer: the meeting saved (capture, audit)"),
    ):
        wall, cpu, pages = totals[name]
        print(
            f"{label:58s} {n / wall:7.0f} tx/s  CPU {cpu / n * 1e6:5.0f} µs/tx"
            f"  {pages:4.1f} pages/tx  {wall / base:5.2f}× baseline  {wall / plain:5.2f}× plain"
        )


if __name__ == "__main__":
    main()
