"""Acknowledged data survives SIGKILL; plaintext never reaches the server's disk or logs."""

from __future__ import annotations

import secrets
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import sqlalchemy as sa

from sosku_desktop.sync.envelope import open_bundle
from sosku_desktop.sync.server.storage import Database
from tests.sync.server.helpers import CANARIES, ServerProcess, Team


def test_sigkill_and_restart_keep_every_acknowledged_bundle(
    own_db_url: str, tmp_path: Path
) -> None:
    server = ServerProcess(own_db_url, tmp_path / "server.log").start()
    team = Team(server)
    try:
        device = team.enrol()
        team.new_epoch(by=device)
        for _ in range(5):
            device.transport.push([device.bundle(f"n{device.next_seq}") for _ in range(4)])
        before = device.transport.pull(limit=1000)
        server.kill()
        server.start()  # same database, new process, new port
        device.transport.close()
        device.transport = team.transport(device.device_id, device.keys)
        after = device.transport.pull(limit=1000)
        assert after == before and after["head"] == 20
        texts = [
            open_bundle(b, device.epoch_keys, team.sign_keys().get, team.team_id)["ops"][0]["v"]
            for b in after["bundles"]
        ]
        assert texts == [f"n{i}" for i in range(1, 21)]
        status = device.transport.status()
        assert (status["epoch"], status["device"]["status"]) == (1, "active")
        assert device.transport.push([device.bundle()])["results"][0]["server_seq"] == 21
    finally:
        team.close()
        server.stop()


def _sqlite_bytes(db_url: str) -> bytes:
    path = Path(db_url.removeprefix("sqlite:///"))
    parts = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    return b"".join(p.read_bytes() for p in parts if p.exists())


def _postgres_dump(db_url: str) -> bytes:
    """Every row of every table, as text (like pg_dump) and as raw bytes of binary columns."""
    db = Database(db_url)
    chunks: list[bytes] = []
    try:
        with db.read() as conn:
            tables = (
                conn.execute(
                    sa.text(
                        "SELECT table_name FROM information_schema.tables "
                        "WHERE table_schema = current_schema()"
                    )
                )
                .scalars()
                .all()
            )
            for table in tables:
                for (text,) in conn.execute(sa.text(f'SELECT t::text FROM "{table}" AS t')):
                    chunks.append(text.encode())
                for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')):
                    chunks.extend(v for v in row if isinstance(v, bytes))
    finally:
        db.dispose()
    return b"\n".join([*chunks, _pg_dump_tool(db_url)])


def _pg_dump_tool(db_url: str) -> bytes:
    """The real ``pg_dump`` of the relay's schema, as an operator would take a backup."""
    tool = shutil.which("pg_dump")
    if tool is None:
        return b""
    url = urlsplit(db_url.replace("postgresql+psycopg://", "postgresql://"))
    schema = unquote(parse_qs(url.query)["options"][0]).split("search_path=")[1]
    dump = subprocess.run(
        [
            tool,
            "-h",
            url.hostname or "127.0.0.1",
            "-p",
            str(url.port or 5432),
            "-U",
            url.username or "postgres",
            "-n",
            schema,
            url.path.lstrip("/"),
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )
    assert b"CREATE TABLE" in dump.stdout, "pg_dump saw no tables"
    return dump.stdout


def test_canaries_never_reach_the_servers_storage_or_log(server: ServerProcess, team: Team) -> None:
    marker = f"Tarkistuslaite-{secrets.token_hex(4)}"  # a device name: stored in clear text
    device = team.enrol(marker)
    team.new_epoch(by=device)
    pushed = [device.bundle(f"{CANARIES[0]} / {CANARIES[1]} #{i}") for i in range(10)]
    device.transport.push(pushed)
    pulled = device.transport.pull()["bundles"]
    assert (
        CANARIES[0]
        in open_bundle(pulled[0], device.epoch_keys, team.sign_keys().get, team.team_id)["ops"][0][
            "v"
        ]
    )

    stored = (
        _sqlite_bytes(server.db_url)
        if server.db_url.startswith("sqlite")
        else _postgres_dump(server.db_url)
    )
    # Controls: the scan sees clear-text columns and the ciphertext bytes themselves …
    assert marker.encode() in stored
    assert pushed[0].ciphertext[:64] in stored
    # … and yet no canary, in any common encoding.
    log = server.log_text().encode()
    for canary in CANARIES:
        for form in (canary.encode(), canary.encode("utf-16-le"), canary.upper().encode()):
            assert form not in stored
            assert form not in log
    assert team.team_id.encode() in log  # the log does name who made the requests
