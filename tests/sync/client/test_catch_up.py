"""A laptop the relay compacted past starts again from the team's snapshot, losing nothing.

Real relay processes (SQLite and PostgreSQL), real encrypted stores. The
laptop was restored from a backup the relay's log no longer reaches (its
later bundles were compacted into a teammate's snapshot), and its worker
typed new things before syncing. The round loads the newest verified
snapshot, keeps the unsent writes (merged on top, numbered after the
team's head for this device) and pushes them; the teammates get them once
and everyone converges. A snapshot claiming another bundle of ours under
a number the relay acknowledged is a fork: nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sosku_desktop.store.schema import change_log
from sosku_desktop.sync import chain, messages, trust
from sosku_desktop.sync.client import DeviceReused
from sosku_desktop.sync.own_recovery import OwnHistoryCompacted
from sosku_desktop.sync.trust import TrustBook
from tests.sync.client.adversary import RelayDatabase
from tests.sync.client.helpers import TeamRelay, outbox, own_ops_bundles, snapshot
from tests.sync.client.test_own_restore import (
    _restored_behind_compaction,
    add_client,
    first_name,
    relay_seqs,
    rename,
)


def test_a_restored_laptop_behind_compaction_starts_from_the_snapshot_and_keeps_its_writes(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a, client_id, sent = _restored_behind_compaction(crew, tmp_path)
    b = crew.laptops[1]
    assert max(own_ops_bundles(a.store)) < sent
    typed = add_client(a, "Palautuksen jälkeen")  # unsent, under a number the team used
    rename(a, client_id, "Palautettu ja muutettu")

    report = a.sync()  # was OwnHistoryCompacted: "restore a newer backup or enrol again"

    assert report.caught_up > 0
    assert report.kept_unsent == 2
    assert report.pushed == 2
    assert outbox(a.store) == 0
    lines = messages.report_text(report, "en")
    assert any("saved state" in line and "the 2 changes" in line for line in lines)
    b.sync()
    for laptop in (a, b):
        assert first_name(laptop, typed) == "Palautuksen jälkeen"
        assert first_name(laptop, client_id) == "Palautettu ja muutettu"
    assert snapshot(a.store)["data"] == snapshot(b.store)["data"]
    assert own_ops_bundles(a.store)[-2:] == [sent + 1, sent + 2]  # after the team's head
    mine = relay_seqs(attacker, crew.team_id, a.store.device_id)
    assert mine == list(range(mine[0], sent + 3))  # the relay's tail of ours: no gap
    later = add_client(a, "Myöhemmin")  # and on as usual
    again = a.sync()
    assert (again.pushed, again.caught_up) == (1, 0)
    b.sync()
    assert first_name(b, later) == "Myöhemmin"
    assert snapshot(a.store)["data"] == snapshot(b.store)["data"]


def test_a_snapshot_holding_another_bundle_under_our_acknowledged_number_is_a_fork(
    crew: TeamRelay, tmp_path: Path
) -> None:
    """The store knows the relay acknowledged other content under the team's head for us."""
    a, client_id, sent = _restored_behind_compaction(crew, tmp_path)
    while max(own_ops_bundles(a.store)) < sent:
        add_client(a, "Toinen historia")
    with a.store.write() as w:  # as if the relay had acknowledged these (a copied folder)
        w.conn.execute(change_log.update().values(server_seq=1))

    with pytest.raises(DeviceReused):
        a.sync()

    assert first_name(a, client_id) == "Ennen"  # nothing of the snapshot loaded
    assert chain.FORK in TrustBook(a.store, crew.team_id).last_problems()


def test_a_relabelled_snapshot_is_refused_and_nothing_is_loaded(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    """The relay cannot move the laptop onto a snapshot it altered: refused, message kept."""
    from sosku_desktop.sync.server import schema

    a, client_id, _ = _restored_behind_compaction(crew, tmp_path)
    typed = add_client(a, "Palautuksen jälkeen")
    snapshots = schema.snapshots
    attacker.execute(
        snapshots.update()
        .where(snapshots.c.team_id == crew.team_id)
        .values(server_seq=snapshots.c.server_seq - 1)
    )

    with pytest.raises(OwnHistoryCompacted):
        a.sync()

    assert first_name(a, client_id) == "Ennen"
    assert first_name(a, typed) == "Palautuksen jälkeen"  # still here, still unsent
    assert outbox(a.store) == 1
    assert trust.SNAPSHOT_REFUSED in TrustBook(a.store, crew.team_id).last_problems()
