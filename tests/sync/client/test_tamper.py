"""A malicious relay: bundles altered in the relay's own database reach the client.

Each case edits one stored bundle directly in the relay's SQLite file after
the honest push — header (clock, epoch), nonce, ciphertext, signature — or
replays it into another team where the same device is enrolled. The
receiving laptop must quarantine it as ``tampered``, count it in the
report, move on, and never apply it (nor the sender's later bundles, which
now wait behind the gap).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from sosku_desktop.domain.models import Client
from sosku_desktop.store import sync_state
from sosku_desktop.store.schema import quarantine
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.client import TAMPERED
from sosku_desktop.sync.device_store import DeviceStore
from sosku_desktop.sync.transport import SyncTransport
from tests.sync.client.helpers import TeamRelay


def _flip(data: bytes, at: int = 20) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


#: column -> how the relay changes it (one bit, or a plausible other value).
MUTATIONS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    # The clock is inside the encryption; a relay that adds one to the header is caught.
    "header_clock": ("hlc", lambda v: "0001704362400000-00000-relay"),
    "header_epoch": ("epoch", lambda v: v + 1),
    "header_device_seq": ("device_seq", lambda v: v + 100),
    "nonce": ("nonce", lambda v: _flip(v, 3)),
    "ciphertext": ("ciphertext", _flip),
    "signature": ("signature", lambda v: _flip(v, 10)),
}


def write_client(store: object, name: str) -> str:
    with store.write() as w:  # type: ignore[attr-defined]
        return str(w.add(Client(id=new_id(), first_name=name, last_name="Testi")).id)


def quarantine_rows(store: object) -> list[tuple[str, str]]:
    with store.read() as r:  # type: ignore[attr-defined]
        return [(q.reason, q.payload) for q in r.conn.execute(sa.select(quarantine))]


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_a_bundle_altered_on_the_relay_is_quarantined_and_never_applied(
    team: TeamRelay, relay_db: Path, tmp_path: Path, mutation: str
) -> None:
    a = team.laptop(tmp_path, "a")
    b = team.laptop(tmp_path, "b")
    first = write_client(a.store, "Eka")
    second = write_client(a.store, "Toka")
    a.sync()
    column, change = MUTATIONS[mutation]
    where = "WHERE team_id = ? AND device_id = ? AND server_seq = 1"
    with sqlite3.connect(relay_db) as db:
        (value,) = db.execute(
            f"SELECT {column} FROM bundles {where}", (team.team_id, a.store.device_id)
        ).fetchone()
        db.execute(
            f"UPDATE bundles SET {column} = ? {where}",
            (change(value), team.team_id, a.store.device_id),
        )
    report = b.sync()
    assert report.tampered == 1
    assert report.quarantined == 2  # the altered one, and the next one waiting behind it
    assert report.applied == 0
    with b.store.read() as r:
        assert r.find(Client, first) is None and r.find(Client, second) is None
        assert sync_state.cursor(r.conn) == 2  # moved on: the page does not block the rest
    reasons = sorted(reason for reason, _ in quarantine_rows(b.store))
    assert reasons == ["gap", TAMPERED]
    assert [p for reason, p in quarantine_rows(b.store) if reason == TAMPERED] == [None]
    again = b.sync()
    assert again.tampered == 0 and again.applied == 0  # reported once, never retried into use


def test_a_bundle_replayed_into_another_team_is_quarantined(
    team: TeamRelay, relay_db: Path, tmp_path: Path
) -> None:
    a = team.laptop(tmp_path, "a")
    write_client(a.store, "Toinen tiimi")
    a.sync()
    other = TeamRelay.create(team.server, "Toinen")
    try:
        c = other.laptop(tmp_path, "c")
        c.sync()
        # The same device (same id and keys) is enrolled in the other team too,
        # so its signature key is known there: only the bundle's binding fails.
        identity = DeviceStore(a.store).identity()
        assert identity is not None
        with SyncTransport(other.server.url, other.team_id, identity.device_id, identity.keys) as t:
            t.join(other.code, "a")
        other.approve(identity.device_id, identity.fingerprint)
        with sqlite3.connect(relay_db) as db:
            head = db.execute(
                "SELECT head_seq FROM teams WHERE team_id = ?", (other.team_id,)
            ).fetchone()[0]
            db.execute(
                "INSERT INTO bundles (team_id, server_seq, bundle_id, device_id, device_seq,"
                " epoch, hlc, version, nonce, ciphertext, signature, received_at)"
                " SELECT ?, ?, bundle_id, device_id, device_seq, epoch, hlc, version, nonce,"
                " ciphertext, signature, received_at FROM bundles WHERE team_id = ?",
                (other.team_id, head + 1, team.team_id),
            )
            db.execute("UPDATE teams SET head_seq = ? WHERE team_id = ?", (head + 1, other.team_id))
        report = c.sync()
        assert report.tampered == 1 and report.applied == 0
        with c.store.read() as r:
            assert r.clients() == []
        assert [reason for reason, _ in quarantine_rows(c.store)] == [TAMPERED]
    finally:
        other.close()
