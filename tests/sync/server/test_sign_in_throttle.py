"""An unauthenticated caller costs the relay a database lookup at most a few times a minute.

QA (municipal IT role): every well-formed signed request from an unknown
device, or with a signature that does not verify, made the relay look the
device up in the database — without limit, from any address. After
``SIGN_IN_FAILURES`` such failures in a minute an address's signed requests
are refused 429 before the database is asked (proved by dropping the
roster table: a lookup would then be a 503), while a laptop at another
address syncs on. Real relay process, both backends.
"""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from sosku_desktop.sync.protocol import E_THROTTLED, H_DEVICE, H_SIGNATURE, H_TEAM, H_TIMESTAMP
from sosku_desktop.sync.server.app import SIGN_IN_FAILURES
from tests.sync.server.helpers import ServerProcess, Team

ATTACKER = "10.0.0.66"  # believed from X-Forwarded-For: the relay trusts 127.0.0.1 by default


@pytest.fixture
def relay(own_db_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    limit = ("--sign-in-failures-per-address", str(SIGN_IN_FAILURES))  # the default
    proc = ServerProcess(own_db_url, tmp_path / "server.log", limit).start()
    try:
        yield proc
    finally:
        proc.stop()


def _stranger(url: str, team_id: str) -> httpx.Response:
    headers = {
        "X-Forwarded-For": ATTACKER,
        H_TEAM: team_id,
        H_DEVICE: str(uuid.uuid4()),
        H_TIMESTAMP: str(int(time.time())),
        H_SIGNATURE: base64.b64encode(bytes(64)).decode(),
    }
    return httpx.get(f"{url}/v1/status", headers=headers, timeout=30)


def test_failed_sign_ins_are_throttled_before_the_database(relay: ServerProcess) -> None:
    team = Team(relay)
    try:
        laptop = team.enrol("toimisto")
        for _ in range(SIGN_IN_FAILURES):
            assert _stranger(relay.url, team.team_id).status_code == 401
        refused = _stranger(relay.url, team.team_id)
        assert refused.status_code == 429, refused.text
        assert refused.json()["error"] == E_THROTTLED
        assert int(refused.headers.get("Retry-After") or refused.json()["retry_after"]) > 0
        # A laptop at another address is not held back.
        assert laptop.transport.status()["device"]["status"] == "active"

        # Throttled callers cost no lookup: with the roster gone a lookup would be 503.
        engine = sa.create_engine(relay.db_url)
        try:
            with engine.begin() as conn:
                conn.execute(
                    sa.text(
                        "DROP TABLE devices CASCADE"
                        if "postgres" in relay.db_url
                        else "DROP TABLE devices"
                    )
                )
        finally:
            engine.dispose()
        for _ in range(5):
            assert _stranger(relay.url, team.team_id).status_code == 429
    finally:
        team.close()
