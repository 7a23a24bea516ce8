"""A synced laptop restored from its own backup takes back what it sent since, and goes on.

The repro of the QA report, on real encrypted stores and a real relay
(SQLite and PostgreSQL): a backup, an edit pushed after it, the database
replaced by the backup, then sync. The relay's later bundles of this
device come back (checked: our signature, our hash chain), new writes get
numbers after them and reach a second laptop once. A relay that serves a
bundle under our id that we did not sign, or one that does not continue
our chain, gets nothing taken back and nothing applied.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from sosku_desktop.domain.models import Client
from sosku_desktop.store import backup
from sosku_desktop.store.database import Store
from sosku_desktop.store.schema import ENTITY, quarantine
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync import chain, crypto, messages
from sosku_desktop.sync.client import DeviceReused, SyncClient, SyncState
from sosku_desktop.sync.own_recovery import OwnHistoryCompacted
from sosku_desktop.sync.trust import TrustBook
from tests.sync.client.adversary import RelayDatabase, forged_bundle, laptop_keys
from tests.sync.client.helpers import (
    PASSPHRASE,
    Laptop,
    TeamRelay,
    outbox,
    own_ops_bundles,
    quick_transport,
    snapshot,
)


def add_client(laptop: Laptop, name: str) -> str:
    with laptop.store.write() as w:
        return str(w.add(Client(id=new_id(), first_name=name, last_name="K")).id)


def rename(laptop: Laptop, client_id: str, name: str) -> None:
    with laptop.store.read() as r:
        client = r.get(Client, client_id)
    with laptop.store.write() as w:
        w.update(Client(**{**client.__dict__, "first_name": name}))


def first_name(laptop: Laptop, client_id: str) -> str:
    clients = ENTITY["clients"]
    with laptop.store.read() as r:
        return str(
            r.conn.execute(
                sa.select(clients.c.first_name).where(clients.c.id == client_id)
            ).scalar_one()
        )


def restore_from(laptop: Laptop, taken: Path) -> None:
    """What ``sosku restore`` does after the disk went bad: last backup back in place."""
    key = laptop.store.key_source.key
    data_dir = laptop.store.data_dir
    laptop.store.close()
    backup.restore_backup(data_dir, key, taken)
    laptop.store = Store.open(data_dir, PASSPHRASE, take_backup=False)
    laptop.client = SyncClient(laptop.store, quick_transport)


def back_up(laptop: Laptop) -> Path:
    taken = backup.take_backup(laptop.store.data_dir, laptop.store.key_source.key, force=True)
    assert taken.path is not None
    return taken.path


def relay_seqs(attacker: RelayDatabase, team_id: str, device_id: str) -> list[int]:
    return [r.device_seq for r in attacker.bundles(team_id) if r.device_id == device_id]


def test_a_laptop_restored_from_its_own_backup_takes_back_its_later_edit_and_syncs_on(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a = crew.laptop(tmp_path, "a")
    b = crew.laptop(tmp_path, "b")
    client_id = add_client(a, "Ennen")
    a.sync()
    b.sync()
    taken = back_up(a)  # sosku check
    rename(a, client_id, "Varmuuskopion jälkeen")
    assert a.sync().pushed == 1
    restore_from(a, taken)  # sosku restore
    assert first_name(a, client_id) == "Ennen"

    report = a.sync()  # sosku sync now: was DeviceReused for good

    assert report.own_recovered == 1
    assert first_name(a, client_id) == "Varmuuskopion jälkeen"
    assert outbox(a.store) == 0
    later = add_client(a, "Palautuksen jälkeen")
    assert a.sync().pushed == 1
    b.sync()
    assert first_name(b, later) == "Palautuksen jälkeen"
    assert first_name(b, client_id) == "Varmuuskopion jälkeen"
    assert snapshot(a.store) == snapshot(b.store)
    mine = relay_seqs(attacker, crew.team_id, a.store.device_id)
    assert mine == list(range(1, len(mine) + 1)) == own_ops_bundles(a.store)
    assert a.sync().own_recovered == 0  # nothing left to take back


def test_writes_made_after_the_restore_move_behind_the_taken_back_ones(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a = crew.laptop(tmp_path, "a")
    b = crew.laptop(tmp_path, "b")
    client_id = add_client(a, "Ennen")
    a.sync()
    taken = back_up(a)
    rename(a, client_id, "Lähetetty")
    other = add_client(a, "Myös lähetetty")
    a.sync()
    restore_from(a, taken)
    fresh = add_client(a, "Heti palautuksen jälkeen")  # takes a number the relay holds

    report = a.sync()  # the relay refuses the number: taken back on the push side

    assert report.own_recovered == 2
    assert outbox(a.store) == 0
    b.sync()
    for laptop in (a, b):
        assert first_name(laptop, client_id) == "Lähetetty"
        assert first_name(laptop, other) == "Myös lähetetty"
        assert first_name(laptop, fresh) == "Heti palautuksen jälkeen"
    assert snapshot(a.store) == snapshot(b.store)
    mine = relay_seqs(attacker, crew.team_id, a.store.device_id)
    assert mine == list(range(1, len(mine) + 1)) == own_ops_bundles(a.store)


def swap_relay_bundle(
    attacker: RelayDatabase, team_id: str, device_id: str, device_seq: int, sealed: object
) -> None:
    """The compromised relay serves ``sealed`` in place of the stored bundle."""
    from sosku_desktop.sync.server import schema

    bundles = schema.bundles
    attacker.execute(
        bundles.update()
        .where(
            bundles.c.team_id == team_id,
            bundles.c.device_id == device_id,
            bundles.c.device_seq == device_seq,
        )
        .values(
            bundle_id=sealed.bundle_id,  # type: ignore[attr-defined]
            nonce=sealed.nonce,  # type: ignore[attr-defined]
            ciphertext=sealed.ciphertext,  # type: ignore[attr-defined]
            signature=sealed.signature,  # type: ignore[attr-defined]
        )
    )


@pytest.mark.parametrize("forgery", ["other_key", "broken_chain"])
def test_a_relay_cannot_slip_a_forged_own_bundle_into_the_restored_laptop(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path, forgery: str
) -> None:
    a = crew.laptop(tmp_path, "a")
    client_id = add_client(a, "Ennen")
    a.sync()
    taken = back_up(a)
    rename(a, client_id, "Aito")
    a.sync()
    device_id, keys, epoch_keys = laptop_keys(a.store)
    seq = own_ops_bundles(a.store)[-1]
    restore_from(a, taken)
    epoch = max(epoch_keys)
    op = {"t": "clients", "r": client_id, "c": "first_name", "v": "Väärennetty"}
    if forgery == "other_key":  # the relay cannot sign as us
        signer = crypto.DeviceKeys.generate()
        sealed = forged_bundle(crew.team_id, device_id, signer, epoch, epoch_keys[epoch], seq, [op])
    else:  # signed with our key, yet not continuing our chain (a stolen key, a copied folder)
        sealed = forged_bundle(
            crew.team_id, device_id, keys, epoch, epoch_keys[epoch], seq, [op], prev="0" * 64
        )
    swap_relay_bundle(attacker, crew.team_id, device_id, seq, sealed)

    with pytest.raises(DeviceReused):
        a.sync()
        add_client(a, "Palautuksen jälkeen")
        a.sync()

    assert first_name(a, client_id) == "Ennen"  # nothing forged applied
    assert chain.FORK in TrustBook(a.store, crew.team_id).last_problems()
    with a.store.read() as r:
        held = [q.reason for q in r.conn.execute(sa.select(quarantine))]
    assert held in ([], ["tampered"])


def test_a_relay_compacted_past_the_restored_position_gets_a_true_message_without_a_snapshot(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    """No snapshot to start from (the relay dropped it): the plain message, nothing loaded."""
    from sosku_desktop.sync.server import schema

    a, client_id, _ = _restored_behind_compaction(crew, tmp_path)
    attacker.execute(schema.snapshots.delete().where(schema.snapshots.c.team_id == crew.team_id))

    with pytest.raises(OwnHistoryCompacted) as stopped:
        a.sync()

    assert messages.error_key(stopped.value) == "sync.error.own_compacted"
    assert first_name(a, client_id) == "Ennen"  # nothing half-loaded
    assert a.client.status().state == SyncState.ROUND_FAILED


def _restored_behind_compaction(crew: TeamRelay, tmp_path: Path) -> tuple[Laptop, str, int]:
    """Laptop a restored from a backup the relay has compacted past (b makes snapshots).

    Returns a, its client and the newest device_seq it had sent before the restore.
    """
    a = crew.laptop(tmp_path, "a", snapshot_after=0)
    b = crew.laptop(tmp_path, "b", snapshot_after=1)
    client_id = add_client(a, "Ennen")
    a.sync()
    b.sync()
    taken = back_up(a)
    for i in range(3):
        rename(a, client_id, f"Myöhemmin {i}")
        a.sync()
        b.sync()  # b makes snapshots; both acknowledge, the relay prunes below them
    a.sync()
    b.sync()
    a.sync()
    sent = max(own_ops_bundles(a.store))
    restore_from(a, taken)
    return a, client_id, sent
