"""End-to-end sync throughput: one laptop pushes ≈ 100,000 changes, another pulls and applies.

Both laptops are real encrypted stores with real SyncClients; the relay is
a real server subprocess on SQLite. Prints changes/s for push and for
pull + apply, and their ratio to a raw bulk insert of the same rows
(SQLAlchemy Core ``executemany`` into plain tables of a fresh encrypted
store) measured in the same run, so a slower machine moves the ratios
little. Not a test.

    .venv/bin/python bench/bench_sync.py [--changes 100000] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import redirect_stdout
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import keyring
import sqlalchemy as sa
from keyring.backends import fail

from sosku_desktop.domain import codes, models
from sosku_desktop.store import codec
from sosku_desktop.store.database import Store
from sosku_desktop.store.engine import WRITE_OPTION, create_encrypted_engine
from sosku_desktop.store.schema import ENTITY, change_log
from sosku_desktop.store.writer import derived_id, new_id
from sosku_desktop.sync.client import SyncClient
from sosku_desktop.sync.server import cli

PASSPHRASE = "bench-passphrase"


def admin(db: str, *args: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        if cli.main(["--db", db, *args]) != 0:
            raise SystemExit(f"admin command failed: {args}")
    return out.getvalue().strip()


def start_relay(db: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "sosku_desktop.sync.server.cli", "--db", db),
            *("--log-level", "WARNING", "serve", "--port", str(port)),
        ]
    )
    for _ in range(400):
        try:
            httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("relay did not start")


def write_changes(store: Store, target: int, rnd: random.Random) -> tuple[int, int]:
    """A realistic mix until ``target`` ops: every write is audited like in the app.

    60 % edit one field of a client (1 op + a 9-op audit row), 25 % record a
    meeting (13 + 9), 15 % mark attendance (6 + 9). Returns (bundles, ops).
    """
    with store.write() as w:
        clients = [
            w.add(models.Client(id=new_id(), first_name=f"Asiakas {i}", last_name="Bench"))
            for i in range(50)
        ]
        periods = [
            w.add(
                models.Period(
                    id=new_id(),
                    client_id=c.id,
                    worker_id=None,
                    start=date(2024, 1, 1),
                    planned_end=date(2024, 12, 31),
                )
            )
            for c in clients
        ]
        group = w.add(models.Group(id=new_id(), name="Ryhmä"))
        sessions = [
            w.add(
                models.GroupSession(
                    id=new_id(), group_id=group.id, on=date(2024, 1, 1) + timedelta(days=i)
                )
            )
            for i in range(40)
        ]
    bundles, ops = 1, 0
    while ops < target:
        bundles += 1
        roll = rnd.random()
        with store.write() as w:
            if roll < 0.6:
                client = rnd.choice(clients)
                client.phone = f"040 {rnd.randrange(10**7):07d}"
                w.update(client)
            elif roll < 0.85:
                w.add(
                    models.Meeting(
                        id=new_id(),
                        period_id=rnd.choice(periods).id,
                        starts_at=datetime(2024, 3, 1, 9) + timedelta(hours=rnd.randrange(2000)),
                        notes="Kävelytapaaminen, sovittiin seuraavasta.",
                        methods=[rnd.choice(codes.METHODS)],
                    )
                )
            else:
                session, client = rnd.choice(sessions), rnd.choice(clients)
                row_id = derived_id(session.id, client.id)
                found = w.conn.execute(
                    sa.select(ENTITY["attendances"]).where(ENTITY["attendances"].c.id == row_id)
                ).first()
                if found is None:
                    w.add(models.Attendance(id=row_id, session_id=session.id, client_id=client.id))
                else:
                    mark = codec.from_row(models.Attendance, found)
                    mark.status = rnd.choice(codes.ATTENDANCE_STATUSES)
                    w.update(mark)
            ops += len(w.ops)
    return bundles, ops


def timed(fn: Callable[[], Any], profile: bool, label: str) -> float:
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    fn()
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    if profiler:
        print(f"--- profile: {label} ---")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return elapsed


def bulk_insert_baseline(folder: Path, source: Store) -> float:
    """The same changes written raw: one row per op, one executemany, one transaction.

    A plain table in a fresh encrypted store (same SQLCipher, WAL and FULL
    sync): what storing the data costs without verifying, merging, clocks
    and history.
    """
    with source.read() as r:
        rows = [
            {
                "tbl": op["t"],
                "row_id": op["r"],
                "col": op.get("c"),
                "value": op.get("v"),
                "hlc": b.hlc,
            }
            for b in r.conn.execute(sa.select(change_log.c.hlc, change_log.c.ops))
            for op in b.ops
        ]
    engine = create_encrypted_engine(folder / "baseline.db", b"\x01" * 32)
    table = sa.Table(
        "changes",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tbl", sa.Text()),
        sa.Column("row_id", sa.Text()),
        sa.Column("col", sa.Text()),
        sa.Column("value", sa.JSON()),
        sa.Column("hlc", sa.Text()),
    )
    table.metadata.create_all(engine)
    started = time.perf_counter()
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
        conn.execute(table.insert(), rows)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=100_000, help="ops to write and sync")
    parser.add_argument("--port", type=int, default=18766)
    parser.add_argument("--profile", action="store_true", help="cProfile push and pull+apply")
    args = parser.parse_args()
    keyring.set_keyring(fail.Keyring())  # keys in the encrypted store; no prompts
    with tempfile.TemporaryDirectory(prefix="sosku-bench-sync-") as tmp:
        folder = Path(tmp)
        db = f"sqlite:///{folder / 'relay.sqlite3'}"
        server = start_relay(db, args.port)
        try:
            run(args, folder, db)
        finally:
            server.terminate()
            server.wait(timeout=30)


def run(args: argparse.Namespace, folder: Path, db: str) -> None:
    url = f"http://127.0.0.1:{args.port}"
    team = admin(db, "team", "create", "bench")
    code = admin(db, "join-code", "create", "--team", team, "--uses", "2")
    laptops = []
    for name in ("writer", "reader"):
        store = Store.create(folder / name, PASSPHRASE)
        client = SyncClient(store)
        fingerprint = client.join(url, team, code, name)
        admin(
            db, "device", "approve", "--team", team, store.device_id, "--fingerprint", fingerprint
        )
        laptops.append((store, client))
    (writer, push_client), (_, pull_client) = laptops
    push_client.sync_once()  # epoch 1 for both, before the clock starts
    pull_client.sync_once()

    started = time.perf_counter()
    _, changes = write_changes(writer, args.changes, random.Random(1))
    write_s = time.perf_counter() - started
    push_s = timed(lambda: push_client.sync_once(), args.profile, "push")
    report: dict[str, Any] = {}
    pull_s = timed(lambda: report.update(r=pull_client.sync_once()), args.profile, "pull+apply")
    with writer.read() as r:
        bundles = r.change_count()
    assert report["r"].applied == bundles, (report["r"], bundles)
    base_s = bulk_insert_baseline(folder, writer)
    for store, _ in laptops:
        store.close()

    base_rate = changes / base_s
    print(f"{bundles} bundles, {changes} changes (ops); relay on SQLite, 2 cores")
    print(f"writing them locally (Writer, FULL sync)   {changes / write_s:10.0f} changes/s")
    for name, seconds in (("push (seal + send + ack)", push_s), ("pull + verify + apply", pull_s)):
        rate = changes / seconds
        print(
            f"{name:<42} {rate:10.0f} changes/s   {seconds:7.1f} s"
            f"   {base_rate / rate:6.1f}x slower than bulk"
        )
    print(
        f"{'baseline: raw executemany of the rows':<42} {base_rate:10.0f} changes/s"
        f"   {base_s:7.1f} s"
    )


if __name__ == "__main__":
    main()
