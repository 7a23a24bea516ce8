"""End-to-end sync throughput and size: laptop A → relay → laptop B, on SQLite and PostgreSQL.

Both laptops are real encrypted stores with real SyncClients; the relay is
a real server subprocess (SQLite file, or a private schema in the local
PostgreSQL). A's ≈ 100,000 changes (a realistic mix, every write audited)
are written once into a template data directory; each relay run starts
from a copy of it. Printed per relay, with ratios against a raw
``executemany`` of the same rows into a plain table of a fresh encrypted
store, measured in the same run (so a slower machine moves the ratios
little):

* push (A's whole round: seal + send + acknowledge, and whatever A then
  pulls), pull + verify + apply (B's whole round, B being a new laptop that
  replays the log: A makes no snapshot), and the two added up: A's changes
  on B, end to end, as issue 15 defines it (push, then pull; a team's B
  pulling while A still pushes would overlap them, which is not measured);
* a new laptop joining a team with a generated caseload (``--clients``) from
  the snapshot another laptop made (download, verify, decrypt, load, pull
  the tail): seconds;
* database bytes per client of that caseload on the laptop that wrote it
  and on the laptop that joined, against the entity rows alone
  (``dbstat``, see bench/dbsize.py).

Not a test.

    .venv/bin/python bench/bench_sync.py [--changes 100000] [--clients 10000]
        [--relay sqlite|postgres|both] [--profile] [--cache DIR] [--no-join] [--pulls N]

``--pulls N``: N new laptops pull A's changes one after the other, each
followed by the raw insert; the table shows the medians (one pull swings
with what else runs on the machine in that second).

Changes are counted as the ops in A's change log (everything A pushes,
the first bundle's setup included); the raw insert writes the same ops.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import keyring
import psycopg
import sqlalchemy as sa
from keyring.backends import fail

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dbsize import table_bytes

from sosku_desktop.domain import codes, models
from sosku_desktop.store import codec
from sosku_desktop.store.caseload import populate
from sosku_desktop.store.database import Store
from sosku_desktop.store.engine import WRITE_OPTION, create_encrypted_engine
from sosku_desktop.store.schema import ENTITY, SYNCED_TABLES, change_log
from sosku_desktop.store.writer import derived_id, new_id
from sosku_desktop.sync.client import SyncClient
from sosku_desktop.sync.server import cli

PASSPHRASE = "bench-passphrase"
PG_BASE = "postgresql://postgres@127.0.0.1:5432/test"


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
    parser.add_argument(
        "--clients", type=int, default=10_000, help="caseload for the join and bytes/client"
    )
    parser.add_argument("--relay", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--pg", default=PG_BASE, help="PostgreSQL database for the relay")
    parser.add_argument("--port", type=int, default=18766)
    parser.add_argument("--profile", action="store_true", help="cProfile push and pull+apply")
    parser.add_argument(
        "--pulls",
        type=int,
        default=1,
        help="new laptops that pull A's changes one after the other, each followed by the raw"
        " insert; the table then shows the medians",
    )
    parser.add_argument(
        "--no-join",
        action="store_true",
        help="push and pull only: skip the caseload's snapshot, join and bytes per client",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        help="keep the written template data directories here and reuse them on later runs"
        " (setup only: every relay run still starts from a fresh copy)",
    )
    args = parser.parse_args()
    keyring.set_keyring(fail.Keyring())  # keys in the encrypted store; no prompts
    with tempfile.TemporaryDirectory(prefix="sosku-bench-sync-") as tmp:
        folder = Path(tmp)
        changes = make_templates(args, folder)
        relays = ("sqlite", "postgres") if args.relay == "both" else (args.relay,)
        for backend in relays:
            with relay_db(backend, folder, args.pg) as db:
                server = start_relay(db, args.port)
                try:
                    run(args, folder / backend, db, folder / "template", changes, backend)
                finally:
                    server.terminate()
                    server.wait(timeout=30)


def make_templates(args: argparse.Namespace, folder: Path) -> int:
    """Laptop A's changes and the caseload in ``folder`` (from ``--cache`` if there); the ops."""
    cache = args.cache or folder
    changes_dir = cache / f"template-{args.changes}"
    case_dir = cache / f"case-template-{args.clients}"
    if not changes_dir.exists():
        started = time.perf_counter()
        with Store.create(folder / "writing", PASSPHRASE) as template:
            bundles, ops = write_changes(template, args.changes, random.Random(1))
        write_s = time.perf_counter() - started
        print(
            f"writing {ops} changes on A (Writer, FULL sync, a commit per bundle):"
            f" {ops / write_s:.0f}/s"
        )
        shutil.move(folder / "writing", changes_dir)
    if not case_dir.exists() and not args.no_join:
        started = time.perf_counter()
        with Store.create(folder / "writing", PASSPHRASE) as template:
            populate(template, args.clients, date(2026, 11, 30))
        print(
            f"caseload of {args.clients} clients generated in {time.perf_counter() - started:.0f} s"
        )
        shutil.move(folder / "writing", case_dir)
    if cache != folder:
        shutil.copytree(changes_dir, folder / "template")
        if not args.no_join:
            shutil.copytree(case_dir, folder / "case-template")
    else:
        changes_dir.rename(folder / "template")
        if not args.no_join:
            case_dir.rename(folder / "case-template")
    with (
        Store.open(folder / "template", PASSPHRASE, take_backup=False) as template,
        template.read() as r,
    ):
        bundles = r.change_count()
        ops = sum(len(row.ops) for row in r.conn.execute(sa.select(change_log.c.ops)))
    print(f"{bundles} bundles, {ops} changes (ops); 2 shared cores")
    return ops


@contextmanager
def relay_db(backend: str, folder: Path, pg_base: str) -> Iterator[str]:
    """The relay's database: a SQLite file, or a private PostgreSQL schema dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'relay.sqlite3'}"
        return
    schema = f"sosku_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{pg_base}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(pg_base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


Laptop = tuple[Store, SyncClient]


def team_of_two(
    db: str, url: str, dirs: tuple[Path, Path], later: int = 0
) -> tuple[list[Laptop], Callable[[Path], Laptop]]:
    """Two laptops (existing or new data directories) joined and approved.

    And a function that joins and approves one more (``later`` of them at most).
    """
    team = admin(db, "team", "create", "bench")
    key_file = dirs[0].parent / f"authority-{team}.key"
    shown = admin(db, "authority", "create", "--team", team, "--key-file", str(key_file))
    safety_number = shown.splitlines()[0].split(": ", 1)[1]
    code = admin(db, "join-code", "create", "--team", team, "--uses", str(2 + later))

    def enrol(data_dir: Path) -> Laptop:
        if data_dir.exists():
            store = Store.open(data_dir, PASSPHRASE, take_backup=False)
        else:
            store = Store.create(data_dir, PASSPHRASE)
        client = SyncClient(store)
        fingerprint = client.join(url, team, code, data_dir.name, safety_number)
        admin(
            *(db, "device", "approve", "--team", team, store.device_id),
            *("--fingerprint", fingerprint, "--authority-key", str(key_file)),
        )
        return store, client

    return [enrol(data_dir) for data_dir in dirs], enrol


def run(
    args: argparse.Namespace, folder: Path, db: str, template: Path, changes: int, backend: str
) -> None:
    url = f"http://127.0.0.1:{args.port}"
    folder.mkdir()
    shutil.copytree(template, folder / "a")
    laptops, enrol = team_of_two(db, url, (folder / "a", folder / "b"), args.pulls - 1)
    (writer, push_client), (_, pull_client) = laptops
    # A replays nothing to B through a snapshot: B must pull and apply the same changes.
    push_client.snapshot_after = 0
    report: dict[str, Any] = {}
    phases: dict[str, float] = {}

    def note(phase: str, _done: int, _total: int) -> None:
        phases.setdefault(phase, time.perf_counter())
        phases[f"{phase} end"] = time.perf_counter()

    started = time.perf_counter()
    push_s = timed(lambda: push_client.sync_once(note), args.profile, "push")
    if "push" in phases:
        print(
            f"A's round: {phases['push'] - started:.1f} s before the first answer,"
            f" outbox sent by {phases['push end'] - started:.1f} s, round {push_s:.1f} s"
        )
    pull_s = timed(lambda: report.update(r=pull_client.sync_once()), args.profile, "pull+apply")
    with writer.read() as r:
        bundles = r.change_count()
    assert report["r"].applied == bundles, (report["r"], bundles)
    base_s = bulk_insert_baseline(folder, writer)
    if args.pulls > 1:
        first = (pull_s, base_s)
        pull_s, base_s = pull_again(args.pulls, folder, enrol, push_client, writer, first)
    for store, _ in laptops:
        store.close()
    sizes = [] if args.no_join else caseload_sizes(args, folder, db, url)

    base_rate = changes / base_s
    print(f"\n--- relay on {backend} ---")
    for name, seconds in (
        ("push (seal + send + ack)", push_s),
        ("pull + verify + apply", pull_s),
        ("A → relay → B, end to end", push_s + pull_s),
    ):
        rate = changes / seconds
        print(
            f"{name:<42} {rate:10.0f} changes/s   {seconds:7.1f} s"
            f"   {base_rate / rate:6.1f}x the raw insert's time"
        )
    print(
        f"{'baseline: raw executemany of the rows':<42} {base_rate:10.0f} changes/s"
        f"   {base_s:7.1f} s"
    )
    if args.pulls > 1:
        print(f"(pull + verify + apply and the raw insert: medians of {args.pulls})")
    for name, total, data in sizes:
        print(
            f"bytes per client, {name:<23} {total / args.clients / 1024:8.1f} KiB"
            f"   {total / data:5.1f}x the entity rows alone ({data / args.clients / 1024:.1f} KiB)"
        )


def pull_again(
    pulls: int,
    folder: Path,
    enrol: Callable[[Path], Laptop],
    pusher: SyncClient,
    writer: Store,
    first: tuple[float, float],
) -> tuple[float, float]:
    """A's changes pulled by ``pulls`` new laptops in all, each followed by the raw insert.

    One pull swings with whatever else the machine does in that second;
    the medians of several, each against the raw insert measured right
    after it, say more. Returns the median pull and the median raw insert.
    """
    timings = [first]
    with writer.read() as r:
        bundles = r.change_count()
    for n in range(1, pulls):
        store, client = enrol(folder / f"b{n}")
        pusher.sync_once()  # A seals the epoch key to the new laptop
        started = time.perf_counter()
        applied = client.sync_once().applied
        pull_s = time.perf_counter() - started
        store.close()
        assert applied == bundles, (applied, bundles)
        (folder / f"raw{n}").mkdir()
        timings.append((pull_s, bulk_insert_baseline(folder / f"raw{n}", writer)))
    ratios = sorted(p / b for p, b in timings)
    print(
        f"pull + verify + apply by {pulls} new laptops: "
        + ", ".join(f"{p:.2f} s" for p, _ in timings)
        + f"; the raw insert after each: {', '.join(f'{b:.2f} s' for _, b in timings)}"
        + f"; ratio median {statistics.median(ratios):.2f}x ({ratios[0]:.2f}-{ratios[-1]:.2f}x)"
    )
    return (
        statistics.median(p for p, _ in timings),
        statistics.median(b for _, b in timings),
    )


def caseload_sizes(
    args: argparse.Namespace, folder: Path, db: str, url: str
) -> list[tuple[str, int, int]]:
    """(laptop, database bytes, entity-row bytes) for a caseload written on A and synced to B."""
    shutil.copytree(folder.parent / "case-template", folder / "case-a")
    laptops, _ = team_of_two(db, url, (folder / "case-a", folder / "case-b"))
    (writer, push_client), (reader, pull_client) = laptops
    push_client.snapshot_after = 1  # A seals a snapshot at the end of its round
    started = time.perf_counter()
    made = push_client.sync_once().snapshot_made
    print(f"A pushes the caseload and seals a snapshot: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    joined = pull_client.sync_once()
    join_s = time.perf_counter() - started
    assert made and joined.snapshot == made, (made, joined)
    print(
        f"a new laptop joining from A's snapshot ({args.clients} clients, {made} bundles):"
        f" {join_s:.1f} s, {args.clients / join_s:.0f} clients/s"
    )
    found = []
    for name, store in (("on the writing laptop", writer), ("on the joining laptop", reader)):
        sizes = table_bytes(store)
        data = sum(v for k, v in sizes.items() if k in SYNCED_TABLES and k != "audit_log")
        found.append((name, sum(sizes.values()), data))
        store.close()
    return found


if __name__ == "__main__":
    main()
