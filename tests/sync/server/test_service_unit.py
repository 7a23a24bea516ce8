"""The relay as an office service: started from the systemd unit's own lines.

No systemd runs here, so the test reads ``installer/server/sosku-relay.service``,
loads its ``EnvironmentFile`` (the shipped example, with the database and
port of this test), and runs ``ExecStartPre`` and then the exact
``ExecStart`` command line — only the install prefix ``/opt/sosku-relay/bin``
is swapped for this environment's. Then ``/healthz`` and ``/metrics`` must
answer, the metrics must hold no team or device id, and SIGTERM must end
the relay cleanly.
"""

from __future__ import annotations

import configparser
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from sosku_desktop.sync.server import schema
from sosku_desktop.sync.server.storage import Database
from tests.sync.server.conftest import database_url
from tests.sync.server.helpers import ServerProcess, Team, free_port

ROOT = Path(__file__).resolve().parents[3]
UNIT = ROOT / "installer" / "server" / "sosku-relay.service"
ENV_FILE = ROOT / "installer" / "server" / "relay.env"
PREFIX = "/opt/sosku-relay/bin/"


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNIT)
    return parser


def env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    return values


def command(line: str) -> list[str]:
    argv = shlex.split(line)
    assert argv[0].startswith(PREFIX), argv
    return [str(Path(sys.executable).parent / argv[0][len(PREFIX) :]), *argv[1:]]


def test_the_unit_runs_confined_as_its_own_user() -> None:
    service = unit()["Service"]
    assert service["User"] == "sosku-relay" and service["Group"] == "sosku-relay"
    assert service["ProtectSystem"] == "strict"
    assert service["StateDirectory"] == "sosku-relay"
    assert service["EnvironmentFile"] == "/etc/sosku-relay/relay.env"
    assert service["NoNewPrivileges"] == "true" and service["UMask"] == "0077"
    env = env_file(ENV_FILE)
    assert env["SOSKU_SERVER_DB"].startswith("sqlite:////var/lib/sosku-relay/")  # StateDirectory


@pytest.fixture
def service(
    backend: str, tmp_path: Path
) -> Iterator[tuple[ServerProcess, subprocess.Popen[bytes]]]:
    with database_url(backend, tmp_path) as url:
        port = free_port()
        env = dict(os.environ)
        env.update(env_file(ENV_FILE))
        env.update(SOSKU_SERVER_DB=url, SOSKU_SERVER_PORT=str(port))
        service = unit()["Service"]
        pre = subprocess.run(
            command(service["ExecStartPre"]), env=env, capture_output=True, text=True, timeout=120
        )
        assert pre.returncode == 0, pre.stdout + pre.stderr
        assert "configuration ok" in pre.stdout
        log = tmp_path / "relay.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(command(service["ExecStart"]), env=env, stdout=out, stderr=out)
        relay = ServerProcess(url, log)
        relay.port = port
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(relay.url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, relay.log_text()
            time.sleep(0.1)
        try:
            yield relay, proc
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_the_unit_starts_the_relay_with_health_and_metrics(
    service: tuple[ServerProcess, subprocess.Popen[bytes]],
) -> None:
    relay, proc = service
    health = httpx.get(relay.url + "/healthz", timeout=30)
    assert health.json() == {"status": "ok", "database": "ok"}
    team = Team(relay)
    device = team.enrol()
    team.new_epoch(by=device)
    device.transport.push([device.bundle("a note")])
    device.transport.pull(after=0)
    httpx.post(relay.url + "/v1/bundles", content=b"{}", timeout=30)  # a 401
    metrics = httpx.get(relay.url + "/metrics", timeout=30)
    assert metrics.status_code == 200
    text = metrics.text
    assert 'sosku_relay_requests_total{method="POST",route="/v1/bundles",status="200"}' in text
    assert 'status="401"' in text
    assert "sosku_relay_request_seconds_bucket" in text
    assert "sosku_relay_bundles 1.0" in text
    assert 'sosku_relay_devices{status="active"} 1.0' in text
    for secret in (team.team_id, device.device_id, team.code):
        assert secret not in text
    team.close()
    proc.send_signal(signal.SIGTERM)  # systemd's stop
    # uvicorn finishes the running requests, then ends by the same signal,
    # which systemd counts as a clean stop.
    assert proc.wait(timeout=60) in (0, -signal.SIGTERM)
    log = relay.log_text()
    assert "Application shutdown complete" in log and "Finished server process" in log
    assert '"level": "error"' not in log and "Traceback" not in log


def test_check_config_names_what_is_wrong(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.update(env_file(ENV_FILE))
    env.update(
        SOSKU_SERVER_DB=f"sqlite:///{tmp_path / 'relay.sqlite3'}",
        SOSKU_SERVER_SSL_CERTFILE=str(tmp_path / "missing.pem"),
        SOSKU_SERVER_HEADER_TIMEOUT="0",
        SOSKU_SERVER_OLDEST_VERSION="two",
    )
    done = subprocess.run(
        command(unit()["Service"]["ExecStartPre"]),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    # Named as the administrator wrote them: in the environment file, not as flags.
    assert "TLS: SOSKU_SERVER_SSL_CERTFILE and SOSKU_SERVER_SSL_KEYFILE go together" in done.stdout
    assert "limits: not valid: SOSKU_SERVER_HEADER_TIMEOUT" in done.stdout
    assert "app versions: SOSKU_SERVER_OLDEST_VERSION: not a version" in done.stdout
    assert "database: ok" in done.stdout


def _set_schema_version(db: Database, value: int) -> None:
    meta = schema.server_meta
    with db.engine.begin() as conn:
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(value)))


def _schema_version(db: Database) -> int:
    meta = schema.server_meta
    with db.read() as conn:
        return int(
            conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar_one()
        )


def test_start_up_upgrades_an_older_database_and_refuses_a_newer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'relay.sqlite3'}"
    db = Database(url)
    try:
        db.create_schema()
        _set_schema_version(db, 0)  # as written by an older relay
        db.create_schema()
        assert _schema_version(db) == schema.SCHEMA_VERSION
        _set_schema_version(db, schema.SCHEMA_VERSION + 1)  # by a newer relay
        with pytest.raises(RuntimeError, match="newer"):
            db.create_schema()
    finally:
        db.dispose()
    env = dict(os.environ, SOSKU_SERVER_DB=url)
    done = subprocess.run(
        command(unit()["Service"]["ExecStartPre"]),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "is newer than this relay" in done.stdout
