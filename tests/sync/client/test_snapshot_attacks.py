"""A compromised relay attacks snapshots (SQLite and PostgreSQL relays).

Honest laptops make a snapshot; the attacker, writing straight into the
relay's database, alters it, relabels it as covering more of the log,
replays an older one as the newest, makes one of its own, serves another
team's, or serves the snapshot of a laptop the authority has revoked since. A new laptop refuses
each (``snapshot_refused``, in words), loads nothing of it, replays the log
instead and ends with the same data as the honest laptops. The snapshot
itself is never readable on the relay.
"""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from sosku_desktop import i18n
from sosku_desktop.domain.models import Client
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync import crypto, messages, snapshot, trust
from sosku_desktop.sync.protocol import TamperedSnapshot
from sosku_desktop.sync.server import schema
from sosku_desktop.sync.server.snapshots import _row as stored_row
from tests.sync.client.adversary import RelayDatabase
from tests.sync.client.helpers import Laptop, TeamRelay
from tests.sync.client.helpers import snapshot as data_of
from tests.sync.server.helpers import ServerProcess

CANARY = "Kanarialintu-Snapshot"


def write_clients(laptop: Laptop, count: int, name: str = CANARY) -> None:
    for i in range(count):
        with laptop.store.write() as w:
            w.add(Client(id=new_id(), first_name=f"{name}{i}", last_name="Salainen"))


def honest_team(crew: TeamRelay, tmp_path: Path) -> tuple[Laptop, Laptop]:
    """Laptop a makes a snapshot; the victim is enrolled first so the log stays whole."""
    a = crew.laptop(tmp_path, "a", snapshot_after=3)
    victim = crew.laptop(tmp_path, "victim", snapshot_after=0)
    write_clients(a, 5)
    assert a.sync().snapshot_made > 0
    return a, victim


def parts(attacker: RelayDatabase, team_id: str) -> list[sa.Row[object]]:
    table = schema.snapshots
    return attacker.rows(sa.select(table).where(table.c.team_id == team_id))


def assert_refused_and_replayed(victim: Laptop, honest: Laptop) -> None:
    report = victim.sync()
    assert report.snapshot == 0  # nothing of it loaded
    assert trust.SNAPSHOT_REFUSED in report.trust_problems
    sentence = i18n.tr(f"sync.trust.{trust.SNAPSHOT_REFUSED}", "fi")
    assert sentence and sentence != f"sync.trust.{trust.SNAPSHOT_REFUSED}"
    assert messages.report_text(report, "en")
    assert data_of(victim.store) == data_of(honest.store)  # the log, replayed, gives the same


def test_an_altered_snapshot_is_refused(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a, victim = honest_team(crew, tmp_path)
    row = parts(attacker, crew.team_id)[0]
    flipped = bytes([row.ciphertext[0] ^ 1]) + row.ciphertext[1:]
    table = schema.snapshots
    attacker.execute(
        table.update().where(table.c.snapshot_id == row.snapshot_id).values(ciphertext=flipped)
    )
    assert_refused_and_replayed(victim, a)


def test_a_snapshot_relabelled_to_cover_more_of_the_log_is_refused(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a, victim = honest_team(crew, tmp_path)
    a.client.snapshot_after = 0
    write_clients(a, 3, "Later")
    a.sync()  # the log goes on; the relay claims the old snapshot covers it all
    head = attacker.team(crew.team_id).head_seq
    table = schema.snapshots
    attacker.execute(table.update().where(table.c.team_id == crew.team_id).values(server_seq=head))
    assert_refused_and_replayed(victim, a)


def test_an_older_snapshot_replayed_as_the_newest_is_refused(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a, victim = honest_team(crew, tmp_path)
    old = parts(attacker, crew.team_id)
    write_clients(a, 4, "Later")
    assert a.sync().snapshot_made > old[0].server_seq
    table = schema.snapshots
    newest = [p for p in parts(attacker, crew.team_id) if p.snapshot_id != old[0].snapshot_id]
    # Keep the newest's description (id, position), serve the old content under it.
    attacker.execute(table.delete().where(table.c.snapshot_id == old[0].snapshot_id))
    for row in old:
        attacker.execute(
            table.update()
            .where(table.c.snapshot_id == newest[0].snapshot_id, table.c.part == row.part)
            .values(nonce=row.nonce, ciphertext=row.ciphertext, signature=row.signature)
        )
    assert_refused_and_replayed(victim, a)


def test_a_snapshot_the_relay_makes_itself_is_refused(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a, victim = honest_team(crew, tmp_path)
    device_id, keys = attacker.add_active_device(crew.team_id)
    table = schema.snapshots
    attacker.execute(table.delete().where(table.c.team_id == crew.team_id))
    head = attacker.team(crew.team_id).head_seq
    header = snapshot.Header(crew.team_id, 1, device_id, str(uuid.uuid4()), head)
    content = {"revision": "x", "anchor": "", "applied": {}, "heads": {}, "tables": {}}
    for part in snapshot.seal(content, header, b"\x07" * 32, keys.signing_key):
        attacker.execute(table.insert().values(stored_row(part)))
    assert_refused_and_replayed(victim, a)


def test_the_snapshot_of_a_revoked_laptop_is_refused(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a, victim = honest_team(crew, tmp_path)
    b = crew.laptop(tmp_path, "b", snapshot_after=0)
    a.sync()  # shares the key with b
    assert b.sync().snapshot > 0  # a was approved then
    crew.revoke(a.store.device_id)
    b.sync()  # rotates to the next epoch
    assert_refused_and_replayed(victim, b)


def test_the_relay_cannot_read_a_snapshot(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    honest_team(crew, tmp_path)
    stored = parts(attacker, crew.team_id)
    assert stored
    for row in stored:
        assert CANARY.encode() not in row.ciphertext
        assert CANARY.encode() not in bytes(row.nonce) + bytes(row.signature)


def test_parts_cannot_be_mixed_dropped_or_reordered() -> None:
    keys = crypto.DeviceKeys.generate()
    key = crypto.new_epoch_key()
    content = {"blob": secrets.token_bytes(9 * 1024 * 1024)}  # incompressible: 3 parts
    first = snapshot.new_header("team", 1, "maker", 7)
    second = snapshot.new_header("team", 1, "maker", 7)
    one = [p.to_wire() for p in snapshot.seal(content, first, key, keys.signing_key)]
    two = [p.to_wire() for p in snapshot.seal(content, second, key, keys.signing_key)]
    assert len(one) >= 2
    public = keys.public.sign_pub
    assert snapshot.open_parts(one, first, public, key) == content
    for wires in (
        [one[0], two[1], *one[2:]],  # a part of another snapshot
        one[:-1],  # a part dropped
        [one[1], one[0], *one[2:]],  # reordered
        one,  # described as another position
    ):
        moved = snapshot.Header("team", 1, "maker", first.snapshot_id, 8)
        header = moved if wires is one else first
        with pytest.raises(TamperedSnapshot):
            snapshot.open_parts(wires, header, public, key)
    with pytest.raises(TamperedSnapshot):
        snapshot.open_parts(one, first, crypto.DeviceKeys.generate().public.sign_pub, key)
    with pytest.raises(TamperedSnapshot):
        snapshot.open_parts(one, first, public, crypto.new_epoch_key())


def test_another_teams_snapshot_is_refused(
    crew: TeamRelay, attacker: RelayDatabase, evil_relay: ServerProcess, tmp_path: Path
) -> None:
    """The relay serves a snapshot another team's laptop made (its own authority, its key)."""
    a, victim = honest_team(crew, tmp_path)
    other = TeamRelay.create(evil_relay)
    try:
        theirs = other.laptop(tmp_path / "other", "theirs", snapshot_after=3)
        write_clients(theirs, 5, "Toisen-tiimin")
        assert theirs.sync().snapshot_made > 0
        table = schema.snapshots
        attacker.execute(table.delete().where(table.c.team_id == crew.team_id))
        attacker.execute(
            table.update().where(table.c.team_id == other.team_id).values(team_id=crew.team_id)
        )
        assert_refused_and_replayed(victim, a)
    finally:
        other.close()


def test_a_snapshot_described_with_many_parts_costs_one_download_before_it_is_refused(
    crew: TeamRelay, attacker: RelayDatabase, evil_relay: ServerProcess, tmp_path: Path
) -> None:
    """Each part is checked as it arrives: the relay's 200 made-up parts are not all fetched.

    Parts were checked only once all had arrived: a relay describing the
    maximum (4,096 parts of up to 16 MiB) made a joining laptop hold all of
    them in memory first.
    """
    a, victim = honest_team(crew, tmp_path)
    table = schema.snapshots
    (first,) = [r for r in parts(attacker, crew.team_id) if r.part == 0]
    attacker.execute(table.update().where(table.c.team_id == crew.team_id).values(parts=200))
    attacker.execute(table.delete().where(table.c.team_id == crew.team_id, table.c.part > 0))
    for index in range(1, 200):
        row = {**first._mapping, "part": index, "parts": 200}
        attacker.execute(table.insert().values(row))

    assert_refused_and_replayed(victim, a)

    fetched = [
        line
        for line in evil_relay.log_text().splitlines()
        if "/v1/snapshots/part" in line and victim.store.device_id in line
    ]
    assert len(fetched) == 1, len(fetched)
