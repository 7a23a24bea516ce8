"""Relay throughput: bundles/s pushed in batches of 1, 20 and 200, and pulled in pages.

Prints absolute rates and ratios against the batch-of-1 push measured in
the same run (so a slower machine does not look like a regression).

    .venv/bin/python bench/bench_server_push.py [--db sqlite:///… | postgresql://…] [--n 2000]
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import redirect_stdout
from pathlib import Path

import httpx

from sosku_desktop.sync import crypto
from sosku_desktop.sync.envelope import seal_bundle
from sosku_desktop.sync.server import cli
from sosku_desktop.sync.transport import SyncTransport


def admin(db: str, *args: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        if cli.main(["--db", db, *args]) != 0:
            raise SystemExit(f"admin command failed: {args}")
    return out.getvalue().strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--n", type=int, default=2000, help="bundles per batch size")
    parser.add_argument("--port", type=int, default=18765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sosku-bench-") as folder:
        run(args, args.db or f"sqlite:///{Path(folder) / 'bench.sqlite3'}")


def run(args: argparse.Namespace, db: str) -> None:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sosku_desktop.sync.server.cli",
            "--db",
            db,
            "--log-level",
            "WARNING",
            "serve",
            "--port",
            str(args.port),
        ],
    )
    url = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(400):
            try:
                httpx.get(url + "/v1/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        team = admin(db, "team", "create", "bench")
        code = admin(db, "join-code", "create", "--team", team)
        keys, device = crypto.DeviceKeys.generate(), str(uuid.uuid4())
        transport = SyncTransport(url, team, device, keys)
        transport.join(code, "bench")
        admin(db, "device", "approve", "--team", team, device)
        epoch_key = crypto.new_epoch_key()
        transport.put_keys(
            [
                crypto.make_key_item(
                    epoch_key,
                    team_id=team,
                    epoch=1,
                    recipient_device_id=device,
                    recipient_box_pub=keys.public.box_pub,
                    sealer=keys,
                )
            ],
            new_epoch=1,
        )
        seq = 0

        def bundles(count: int) -> list:
            nonlocal seq
            out = []
            for _ in range(count):
                seq += 1
                pt = {
                    "bundle_id": str(uuid.uuid4()),
                    "device_id": device,
                    "device_seq": seq,
                    "hlc": f"{time.time_ns() // 1_000_000:016d}-00000-{device}",
                    "schema_version": 1,
                    "team_id": team,
                    "epoch": 1,
                    "ops": [
                        {"t": "meetings", "r": str(uuid.uuid4()), "c": "notes", "v": "x" * 300}
                    ],
                }
                out.append(seal_bundle(pt, epoch_key, keys).to_wire())
            return out

        rates: dict[str, float] = {}
        for batch in (1, 20, 200):
            prepared = [bundles(batch) for _ in range(args.n // batch)]
            started = time.perf_counter()
            for chunk in prepared:
                transport.push(chunk)
            rates[f"push batch={batch}"] = args.n / (time.perf_counter() - started)
        started, after, pulled = time.perf_counter(), 0, 0
        while True:
            page = transport.pull(after=after, limit=1000)
            pulled += len(page["bundles"])
            after = page["next"]
            if not page["more"]:
                break
        rates["pull limit=1000"] = pulled / (time.perf_counter() - started)
        base = rates["push batch=1"]
        print(f"backend: {db.split(':', 1)[0]}, {args.n} bundles of ≈ 0.5 KiB per run")
        for name, rate in rates.items():
            print(f"{name:<18} {rate:10.0f} bundles/s   ratio {rate / base:6.1f}x")
        transport.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
