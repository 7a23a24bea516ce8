"""What the relay keeps (never names), and that cursors advance and re-syncing is harmless."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa

from sosku_desktop.domain import models
from sosku_desktop.store import sync_state
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.crypto import DeviceKeys, new_epoch_key
from sosku_desktop.sync.envelope import open_bundle, seal_bundle
from tests.sync.client.helpers import Editor, TeamRelay, snapshot
from tests.sync.server.helpers import CANARIES, ServerProcess


def test_client_names_never_reach_the_relay_database_or_log(
    team: TeamRelay, relay: ServerProcess, relay_db: Path, tmp_path: Path
) -> None:
    name, note = CANARIES
    a = team.laptop(tmp_path, "a")
    b = team.laptop(tmp_path, "b")
    first, last = name.split()
    with a.store.write() as w:
        client = w.add(models.Client(id=new_id(), first_name=first, last_name=last, notes=note))
        period = w.add(
            models.Period(
                id=new_id(),
                client_id=client.id,
                worker_id=None,
                start=date(2024, 1, 4),
                planned_end=date(2025, 1, 3),
            )
        )
        w.add(
            models.Meeting(
                id=new_id(), period_id=period.id, starts_at=datetime(2024, 1, 5, 10), notes=note
            )
        )
        w.set_setting("organisation_name", name)
    a.sync()
    b.sync()
    with b.store.read() as r:
        assert r.get(models.Client, client.id).notes == note  # it did travel
    relay_files = [p for p in relay_db.parent.iterdir() if p.is_file()]
    assert relay_db in relay_files and relay.log_path in relay_files
    for path in relay_files:
        content = path.read_bytes()
        for canary in (*CANARIES, first, last):
            assert canary.encode() not in content, path.name
            assert canary.encode("utf-16-le") not in content, path.name


def relay_head(relay_db: Path, team_id: str) -> int:
    with sqlite3.connect(relay_db) as db:
        return int(
            db.execute("SELECT head_seq FROM teams WHERE team_id = ?", (team_id,)).fetchone()[0]
        )


def test_incremental_sync_equals_a_full_resync_and_cursors_advance(
    team: TeamRelay, relay_db: Path, tmp_path: Path
) -> None:
    rnd = random.Random(5)
    a = team.laptop(tmp_path, "a")
    b = team.laptop(tmp_path, "b", pull_limit=3, push_batch=2)
    editor = Editor(rnd)
    for _ in range(5):  # b follows in small steps
        for laptop in (a, b):
            with laptop.store.write() as w:
                editor.create(w, rnd.choice(("clients", "meetings", "org_settings")))
            with laptop.store.write() as w:
                editor.update(w, "clients")
        a.sync()
        report = b.sync()
        with b.store.read() as r:
            assert (
                sync_state.cursor(r.conn)
                == report.pulled + sync_state.cursor(r.conn) - report.pulled
            )
    a.sync()
    b.sync()
    with a.store.read() as r:
        head = sync_state.cursor(r.conn)
    assert head > 0

    c = team.laptop(tmp_path, "c")  # a fresh laptop, from cursor 0
    a.sync()  # shares the team key with c
    phases: list[str] = []
    c.client.sync_once(progress=lambda phase, done, total: phases.append(phase))
    assert {"connect", "keys", "pull"} <= set(phases)
    assert snapshot(c.store) == snapshot(a.store) == snapshot(b.store)
    for laptop in (a, b, c):
        with laptop.store.read() as r:
            assert sync_state.cursor(r.conn) == head
        assert laptop.sync().pulled == 0  # nothing is fetched twice

    with b.store.write() as w:  # forget where we were: everything again, nothing changes
        sync_state.set_cursor(w.conn, 0)
        sync_state.set_cursor_anchor(w.conn, 0, None)
    before = snapshot(b.store)
    again = b.sync()
    assert again.pulled > 0 and again.applied == 0
    assert snapshot(b.store) == before
    with b.store.read() as r:
        assert r.conn.execute(sa.text("select count(*) from quarantine")).scalar() == 0


def test_deterministic_sealing_repeats_bytes_and_still_opens() -> None:
    keys, key = DeviceKeys.generate(), new_epoch_key()
    plaintext = {
        "bundle_id": "0190c1d2-0000-7000-8000-000000000001",
        "device_id": "dev-1",
        "device_seq": 1,
        "hlc": "0001704362400000-00000-dev-1",
        "schema_version": 1,
        "team_id": "team-1",
        "epoch": 1,
        "ops": [{"t": "clients", "r": "x", "c": "notes", "v": "a"}],
    }
    one = seal_bundle(plaintext, key, keys, deterministic=True)
    assert seal_bundle(plaintext, key, keys, deterministic=True) == one
    other = seal_bundle(
        {**plaintext, "ops": [{"t": "clients", "r": "x", "c": "notes", "v": "b"}]},
        key,
        keys,
        deterministic=True,
    )
    assert other.nonce != one.nonce
    assert seal_bundle(plaintext, new_epoch_key(), keys, deterministic=True).nonce != one.nonce
    assert seal_bundle(plaintext, key, keys).nonce != one.nonce  # random by default
    opened = open_bundle(one.to_wire(), {1: key}, lambda _d: keys.public.sign_pub, "team-1")
    assert opened == plaintext
