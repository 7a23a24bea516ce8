"""The relay's bulk insert of pushed bundles (COPY on PostgreSQL): exact bytes, 409 not 500."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from sosku_desktop.sync.server import relay, schema
from sosku_desktop.sync.server.errors import Rejected
from sosku_desktop.sync.server.storage import Database
from tests.sync.server.conftest import BACKENDS, database_url


def _row(seq: int, bundle_id: str) -> dict[str, Any]:
    return {
        "team_id": "team-1",
        "server_seq": seq,
        "bundle_id": bundle_id,
        "device_id": "dev-1",
        "device_seq": seq,
        "epoch": 1,
        "hlc": "" if seq % 2 else "0001704362400000-00003-dev-1",
        "version": 2,
        "nonce": os.urandom(24),
        # Every byte value, NUL and backslash included, must come back as it went in.
        "ciphertext": bytes(range(256)) + b"\\N\t\n\x00" + os.urandom(700),
        "signature": os.urandom(64),
        "received_at": 1_700_000_000_000 + seq,
    }


@pytest.mark.parametrize("backend", BACKENDS)
def test_bulk_insert_keeps_bytes_and_a_duplicate_is_a_conflict(
    backend: str, tmp_path: Path
) -> None:
    with database_url(backend, tmp_path) as url:
        db = Database(url)
        try:
            db.create_schema()
            with db.engine.begin() as conn:
                conn.execute(schema.teams.insert().values(team_id="team-1", name="t", created_at=0))
            rows = [_row(seq, f"00000000-0000-4000-8000-{seq:012d}") for seq in (1, 2, 3)]
            db.write(lambda conn: relay._insert(conn, rows))
            with db.read() as conn:
                stored = conn.execute(
                    sa.select(schema.bundles).order_by(schema.bundles.c.server_seq)
                ).all()
            assert [dict(row._mapping) for row in stored] == rows

            again = dict(rows[1], server_seq=4, device_seq=4)  # a bundle id the relay holds
            with pytest.raises(Rejected) as info:
                db.write(
                    lambda conn: relay._insert(
                        conn, [_row(5, "00000000-0000-4000-8000-000000000005"), again]
                    )
                )
            assert (info.value.status, info.value.code) == (409, "bundle_conflict")
            with db.read() as conn:  # all or nothing
                count = conn.execute(sa.select(sa.func.count()).select_from(schema.bundles))
                assert count.scalar() == 3
        finally:
            db.dispose()
