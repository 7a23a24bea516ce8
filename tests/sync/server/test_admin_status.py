"""What IT sees: positions, what holds compaction back, ``compact``, ``check-config``, modes.

QA found that ``status`` printed a Python dict with no acknowledged
positions, that an approved laptop whose first sync failed held pruning at
0 with no sign, that ``check-config`` hid the driver's reason behind
``OperationalError`` and created the SQLite file it promised not to touch,
that admin commands outside the unit made ``relay.sqlite3`` 0644, and that
admin messages did not name the option or the missing team. Real relay
processes and real databases (SQLite and PostgreSQL).
"""

from __future__ import annotations

import io
import json
import stat
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from sosku_desktop.sync import snapshot
from sosku_desktop.sync.server import cli, roster, schema
from sosku_desktop.sync.server.storage import Database
from tests.sync.server.conftest import pg_schema_url
from tests.sync.server.helpers import PG_BASE, Device, Team, admin


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def _snapshot_at(team: Team, device: Device, server_seq: int) -> None:
    header = snapshot.new_header(team.team_id, 1, device.device_id, server_seq)
    content = {"blob": b"x" * 10}
    for part in snapshot.seal(content, header, device.epoch_keys[1], device.keys.signing_key):
        device.transport.put_snapshot_part(part)


def test_status_and_device_list_name_the_device_that_holds_compaction(team: Team) -> None:
    alice = team.enrol("alice")
    team.new_epoch(by=alice)
    gone = team.enrol("first sync failed")  # approved, never pulled: acked 0
    team.share_keys(by=alice, to=gone)
    alice.transport.push([alice.bundle(f"n{i}") for i in range(5)])
    _snapshot_at(team, alice, 5)
    alice.transport.pull(after=5, ack=True)

    listing = admin(team.db_url, "device", "list", "--team", team.team_id)
    gone_line = next(line for line in listing.splitlines() if gone.device_id in line)
    alice_line = next(line for line in listing.splitlines() if alice.device_id in line)
    assert "acked 0" in gone_line and "holds compaction back" in gone_line
    assert "acked 5" in alice_line and "holds compaction back" not in alice_line
    assert "last seen 20" in alice_line  # a date: alice's requests were recorded

    text = admin(team.db_url, "status", "--team", team.team_id)
    assert "{" not in text  # words, not a Python dict
    assert "log head:      5" in text and "watermark:     0" in text
    assert "pruned up to:  0" in text and "stored:        5 bundles" in text
    assert "snapshot:      at 5," in text and f"held back by:  {gone.device_id}" in text
    assert "hint:" not in text  # seen today: not yet worth a hint
    stale = admin(team.db_url, "status", "--team", team.team_id, "--stale-days", "0")
    assert f"revoke --team {team.team_id} {gone.device_id}" in stale

    state = json.loads(admin(team.db_url, "status", "--team", team.team_id, "--json"))
    assert (state["head_seq"], state["watermark"], state["pruned_upto"]) == (5, 0, 0)
    assert state["snapshot"]["server_seq"] == 5 and state["snapshot"]["bytes"] > 0
    assert [h["device_id"] for h in state["holding"]] == [gone.device_id]
    assert state["stored"]["bundles"] == 5

    assert "pruned 0 bundles" in admin(team.db_url, "compact", "--team", team.team_id)
    team.revoke(gone)  # the laptop is gone: compaction can go on
    report = json.loads(admin(team.db_url, "compact", "--team", team.team_id, "--json"))
    (outcome,) = report["teams"]
    assert (outcome["pruned_bundles"], outcome["pruned_upto"]) == (4, 4)
    assert outcome["stored"]["bundles"] == 1 and outcome["pruned_bytes"] > 0
    after = json.loads(admin(team.db_url, "status", "--team", team.team_id, "--json"))
    assert (after["pruned_upto"], after["holding"]) == (4, [])


def test_last_seen_is_written_at_most_once_a_minute(team: Team) -> None:
    laptop = team.enrol("laptop")
    db = Database(team.db_url)
    try:
        laptop.transport.devices()  # a signed request
        with db.read() as conn:
            seen = roster.get_device(conn, team.team_id, laptop.device_id)
        assert seen is not None and seen.last_seen_at is not None

        def stored() -> int:
            with db.read() as conn:
                row = roster.get_device(conn, team.team_id, laptop.device_id)
                assert row is not None
                return int(row.last_seen_at)

        base = stored()
        roster.note_seen(db, team.team_id, laptop.device_id, base, now=base + 59_000)
        assert stored() == base  # fresh: no write at all
        roster.note_seen(db, team.team_id, laptop.device_id, None, now=base + 30_000)
        assert stored() == base  # a stale read still cannot move it within the minute
        roster.note_seen(db, team.team_id, laptop.device_id, base, now=base + 61_000)
        assert stored() == base + 61_000
    finally:
        db.dispose()


def test_admin_messages_name_the_option_and_the_missing_team(team: Team) -> None:
    device = team.join("laptop")
    code, _, err = run(
        "--db", team.db_url, "device", "approve", "--team", team.team_id, device.device_id
    )
    assert code == 1 and "--authority-key" in err
    key = team.authority_args[1]
    code, _, err = run(
        "--db", team.db_url, "device", "approve", "--team", "no-such", "x", "--authority-key", key
    )
    assert code == 1 and "no such team: no-such" in err and "another team" not in err


def test_check_config_prints_the_drivers_reason_without_the_password(tmp_path: Path) -> None:
    missing_db = PG_BASE.rsplit("/", 1)[0] + "/sosku_no_such_db"
    code, out, _ = run("--db", missing_db, "check-config")
    if "not reachable: " in out and "does not exist" not in out:
        pytest.skip("PostgreSQL is not reachable")
    assert code == 1 and 'database "sosku_no_such_db" does not exist' in out
    secret = "postgresql://sosku:hunter2secret@127.0.0.1:1/test"
    code, out, _ = run("--db", secret, "check-config")
    assert code == 1 and "hunter2secret" not in out and "database: not reachable: " in out
    assert "OperationalError" not in out
    code, _, err = run("--db", secret, "status", "--team", "t")
    assert code == 2 and "hunter2secret" not in err and "127.0.0.1" in err


def test_check_config_creates_nothing_and_admin_commands_create_0600(tmp_path: Path) -> None:
    relay = tmp_path / "state" / "relay.sqlite3"
    code, out, _ = run("--db", f"sqlite:///{relay}", "check-config")
    assert code == 0 and "serve creates it" in out
    assert not relay.exists() and not relay.parent.exists()
    blocked = tmp_path / "a-file"  # a file where a folder should be (root may write anywhere)
    blocked.write_text("")
    code, out, _ = run("--db", f"sqlite:///{blocked / 'x' / 'relay.sqlite3'}", "check-config")
    assert code == 1 and "is not a writable folder" in out
    team_id = admin(f"sqlite:///{relay}", "team", "create", "North")
    assert stat.S_IMODE(relay.stat().st_mode) == 0o600
    assert stat.S_IMODE(relay.parent.stat().st_mode) == 0o700
    wal = Path(f"{relay}-wal")
    assert not wal.exists() or stat.S_IMODE(wal.stat().st_mode) == 0o600
    assert "key epoch:     0" in admin(f"sqlite:///{relay}", "status", "--team", team_id)
    code, out, _ = run("--db", f"sqlite:///{relay}", "check-config")
    assert code == 0 and "database: ok" in out


def test_compact_vacuum_shrinks_the_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'relay.sqlite3'}"
    team_id = admin(url, "team", "create", "North")
    db = Database(url)
    try:
        with db.engine.begin() as conn:
            conn.execute(schema.teams.update().values(head_seq=400))
            conn.execute(
                schema.bundles.insert(),
                [_bundle_row(team_id, seq) for seq in range(1, 401)],
            )
    finally:
        db.dispose()
    db = Database(url)
    try:
        with db.engine.begin() as conn:
            conn.execute(schema.bundles.delete())
    finally:
        db.dispose()
    assert "database file: " in admin(url, "compact")
    before, after = json.loads(admin(url, "compact", "--vacuum", "--json"))["file_bytes"]
    assert after < before / 10


def _bundle_row(team_id: str, seq: int) -> dict[str, object]:
    return {
        "team_id": team_id,
        "server_seq": seq,
        "bundle_id": f"b{seq}",
        "device_id": "d",
        "device_seq": seq,
        "epoch": 1,
        "hlc": "h",
        "version": 1,
        "nonce": b"n" * 24,
        "ciphertext": b"c" * 20_000,
        "signature": b"s" * 64,
        "received_at": 0,
    }


def test_compact_vacuum_runs_on_postgres() -> None:
    with pg_schema_url() as url:
        team_id = admin(url, "team", "create", "North")
        out = admin(url, "compact", "--team", team_id, "--vacuum")
        assert "pruned 0 bundles" in out and "database file" not in out
