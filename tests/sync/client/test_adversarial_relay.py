"""A compromised relay attacks real laptops (SQLite and PostgreSQL relays).

Each test lets honest laptops (real encrypted stores, real SyncClient, a
real relay process) do their work, then acts as the attacker by writing
straight into the relay's database — a device of its own, an older epoch,
keys and bundles of a revoked laptop, a rewritten audit row — and checks
that the laptops refuse it: nothing sealed to the attacker, nothing it can
decrypt, nothing applied, and a plain explanation for the worker.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from sosku_desktop import i18n
from sosku_desktop.domain.models import AuditEntry, Client
from sosku_desktop.store.schema import ENTITY, quarantine
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync import chain, crypto, messages, trust
from sosku_desktop.sync.apply_rules import CLOCK_DEVICE, FORBIDDEN_WRITE
from sosku_desktop.sync.client import SyncState
from sosku_desktop.sync.transport import SyncTransport
from tests.sync.client.adversary import (
    RelayDatabase,
    attacker_reads,
    forged_bundle,
    laptop_keys,
    next_device_seq,
)
from tests.sync.client.helpers import Laptop, TeamRelay, outbox


def write_client(laptop: Laptop, name: str) -> str:
    with laptop.store.write() as w:
        return str(w.add(Client(id=new_id(), first_name=name, last_name="Salainen")).id)


def quarantined(laptop: Laptop) -> list[str]:
    with laptop.store.read() as r:
        return [q.reason for q in r.conn.execute(sa.select(quarantine))]


def explained(report: object) -> list[str]:
    """Every line the Sync page shows for a round, in English."""
    return messages.report_text(report, "en")  # type: ignore[arg-type]


def test_a_device_the_relay_makes_up_gets_no_key_and_reads_nothing(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a = crew.laptop(tmp_path, "a")
    b = crew.laptop(tmp_path, "b")
    write_client(a, "Ennen")
    a.sync()
    b.sync()
    fake_id, fake_keys = attacker.add_active_device(crew.team_id)
    write_client(a, "Jälkeen")
    report = a.sync()
    assert attacker.sealed_keys_for(crew.team_id, fake_id) == []
    assert attacker_reads(attacker, crew.team_id, fake_id, fake_keys) == []
    assert trust.ROSTER_MISMATCH in report.trust_problems
    assert report.state == SyncState.TRUST_PROBLEM
    assert any("not approved by your administrator" in line for line in explained(report))
    # Forcing a rotation does not help: the laptop seals only to approved devices and the
    # relay's own rule (every active device) then refuses the epoch.
    attacker.set_epoch(crew.team_id, attacker.team(crew.team_id).current_epoch, True)
    b.sync()
    assert attacker.sealed_keys_for(crew.team_id, fake_id) == []
    # The made-up device's own bundles (the relay takes them: it lists it as active) are
    # never applied.
    transport = SyncTransport(crew.server.url, crew.team_id, fake_id, fake_keys)
    ops = [{"t": "clients", "r": new_id(), "c": "first_name", "v": "Väärennös"}]
    attacker.set_epoch(crew.team_id, attacker.team(crew.team_id).current_epoch, False)
    epoch = attacker.team(crew.team_id).current_epoch
    bundle = forged_bundle(crew.team_id, fake_id, fake_keys, epoch, crypto.new_epoch_key(), 1, ops)
    transport.push([bundle])
    transport.close()
    report = b.sync()
    assert report.tampered == 1 and report.applied == 0


def test_an_epoch_rollback_gets_no_push_under_the_old_key(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a = crew.laptop(tmp_path, "a")
    c = crew.laptop(tmp_path, "c")
    write_client(a, "Ennen")
    a.sync()
    c.sync()
    c_id, c_keys, _ = laptop_keys(c.store)
    crew.revoke(c.store.device_id)
    assert a.sync().created_epoch == 2
    seen = attacker.team(crew.team_id).head_seq
    attacker.forget_epochs_above(crew.team_id, 1)  # "the current epoch is 1"
    write_client(a, "Jälkeen")
    report = a.sync()
    assert report.pushed == 0 and outbox(a.store) == 1
    assert trust.EPOCH_ROLLBACK in report.trust_problems
    assert any("older key epoch" in line for line in explained(report))
    assert attacker_reads(attacker, crew.team_id, c_id, c_keys, since=seen) == []
    assert a.client.status().trust_problems == (trust.EPOCH_ROLLBACK,)


def test_a_laptop_that_never_saw_the_new_epoch_still_leaves_the_revoked_device_out(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a = crew.laptop(tmp_path, "a")
    b = crew.laptop(tmp_path, "b")
    c = crew.laptop(tmp_path, "c")
    for laptop in (a, b, c):
        laptop.sync()
    c_id, c_keys, _ = laptop_keys(c.store)
    crew.revoke(c.store.device_id)
    # The relay hides the revocation's rotation: no rotation flag, epoch 1 stays current.
    attacker.set_epoch(crew.team_id, 1, rotation_needed=False)
    seen = attacker.team(crew.team_id).head_seq
    write_client(b, "Salaisuus")
    report = b.sync()
    assert report.pushed == 1 and report.created_epoch == 2  # the signed epoch, made by b
    assert [r.epoch for r in attacker.bundles(crew.team_id) if r.server_seq > seen] == [2]
    assert attacker_reads(attacker, crew.team_id, c_id, c_keys, since=seen) == []


def test_keys_and_bundles_of_a_revoked_device_are_refused(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a = crew.laptop(tmp_path, "a")
    c = crew.laptop(tmp_path, "c")
    write_client(c, "Ennen")
    c.sync()
    a.sync()
    c_id, c_keys, c_epochs = laptop_keys(c.store)
    crew.revoke(c_id)
    # The relay and the thief of c make epoch 2 themselves, sealed by c, before anyone rotates.
    stolen = crypto.new_epoch_key()
    attacker.add_epoch(crew.team_id, 2, c_id)
    item = crypto.make_key_item(
        stolen,
        team_id=crew.team_id,
        epoch=2,
        recipient_device_id=a.store.device_id,
        recipient_box_pub=laptop_keys(a.store)[1].public.box_pub,
        sealer=c_keys,
    )
    attacker.add_sealed_key(crew.team_id, item, c_id)
    # … and add a bundle of c beyond its last valid device_seq, under the old epoch.
    ops = [{"t": "clients", "r": new_id(), "c": "first_name", "v": "Kadonnut"}]
    late = forged_bundle(crew.team_id, c_id, c_keys, 1, c_epochs[1], next_device_seq(c.store), ops)
    attacker.inject_bundle(crew.team_id, late)
    seen = attacker.team(crew.team_id).head_seq
    write_client(a, "Jälkeen")
    report = a.sync()
    assert report.key_problems == 1  # the key sealed by the revoked device
    assert report.pushed == 0  # never under the stolen key
    assert report.refused == 1 and report.applied == 0
    assert quarantined(a) == ["revoked_device"]
    assert any("removed device" in line for line in explained(report))
    assert attacker_reads(attacker, crew.team_id, c_id, c_keys, since=seen) == []


def test_an_insider_cannot_rewrite_another_devices_audit_row_or_borrow_its_clock(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a = crew.laptop(tmp_path, "a")
    b = crew.laptop(tmp_path, "b")
    write_client(a, "Asiakas")
    a.sync()
    b.sync()
    with a.store.read() as r:
        audit_id = r.conn.execute(sa.select(ENTITY["audit_log"].c.id)).scalar()
    b_id, b_keys, b_epochs = laptop_keys(b.store)
    epoch = max(b_epochs)
    transport = SyncTransport(crew.server.url, crew.team_id, b_id, b_keys)
    seq = next_device_seq(b.store)
    rewrite = [
        {"t": "audit_log", "r": audit_id, "c": "action", "v": "view"},
        {"t": "audit_log", "r": audit_id, "c": "client_id", "v": None},
    ]
    borrowed = [{"t": "clients", "r": new_id(), "c": "first_name", "v": "Lainattu"}]
    as_other = [
        {"t": "audit_log", "r": new_id(), "c": "device_id", "v": a.store.device_id},
        {"t": "audit_log", "r": new_id(), "c": "action", "v": "view"},
    ]
    own_row = new_id()
    own = [
        {"t": "audit_log", "r": own_row, "c": "device_id", "v": b_id},
        {"t": "audit_log", "r": own_row, "c": "action", "v": "view"},
    ]
    own_edit = [{"t": "audit_log", "r": own_row, "c": "action", "v": "print"}]
    forged = [
        forged_bundle(crew.team_id, b_id, b_keys, epoch, b_epochs[epoch], seq, rewrite),
        forged_bundle(
            crew.team_id,
            b_id,
            b_keys,
            epoch,
            b_epochs[epoch],
            seq + 1,
            borrowed,
            clock_device=a.store.device_id,
        ),
        forged_bundle(crew.team_id, b_id, b_keys, epoch, b_epochs[epoch], seq + 2, as_other),
        # b's own entry is fine, but even b may not change it later (same pulled page).
        forged_bundle(crew.team_id, b_id, b_keys, epoch, b_epochs[epoch], seq + 3, own),
        forged_bundle(crew.team_id, b_id, b_keys, epoch, b_epochs[epoch], seq + 4, own_edit),
    ]
    transport.push(forged)
    transport.close()
    report = a.sync()
    assert report.applied == 0 and report.refused == 4
    # b's own entry waits behind b's refused bundles (a gap), never applied over a hole.
    assert sorted(quarantined(a)) == sorted([CLOCK_DEVICE, *[FORBIDDEN_WRITE] * 3, "gap"])
    with a.store.read() as r:
        entry = r.find(AuditEntry, audit_id)
    assert entry is not None and entry.action != "view" and entry.client_id is not None
    assert any("forbidden write" in line for line in explained(report))
    # The Sync page's quarantine list says why, per change.
    assert "not allowed to write" in i18n.tr(f"sync.reason.{FORBIDDEN_WRITE}", "en")
    assert "another device's clock" in i18n.tr(f"sync.reason.{CLOCK_DEVICE}", "en")


def test_a_withheld_tail_is_reported_by_what_another_device_saw(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a = crew.laptop(tmp_path, "a")
    b = crew.laptop(tmp_path, "b")
    c = crew.laptop(tmp_path, "c")
    for name in ("Yksi", "Kaksi", "Kolme"):
        write_client(b, name)
    b.sync()
    a.sync()
    write_client(a, "Näin")  # a's bundle carries a's view: b is at device_seq 3
    a.sync()
    assert attacker.delete_bundles(crew.team_id, b.store.device_id, 2) == 2
    report = c.sync()
    assert trust.WITHHELD in report.trust_problems
    assert report.state == SyncState.TRUST_PROBLEM
    assert any("has not given to this device" in line for line in explained(report))
    # Once the relay serves them again (b re-pushes what the relay lost), the warning goes.
    b.sync()
    assert trust.WITHHELD not in c.sync().trust_problems


def test_a_forked_history_is_flagged_and_a_broken_link_never_applied(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a = crew.laptop(tmp_path, "a")
    b = crew.laptop(tmp_path, "b")
    c = crew.laptop(tmp_path, "c")
    for name in ("Yksi", "Kaksi", "Kolme"):
        write_client(b, name)
    b.sync()
    a.sync()
    write_client(a, "Näin")
    a.sync()
    # Whoever holds b's keys (a thief, with the relay) shows c another bundle 3 …
    b_id, b_keys, b_epochs = laptop_keys(b.store)
    epoch = max(b_epochs)
    with b.store.read() as r:
        link = chain.own_digest(r.conn, crew.team_id, b_id, 2)
    ops = [{"t": "clients", "r": new_id(), "c": "first_name", "v": "Toinen"}]
    other = forged_bundle(
        crew.team_id, b_id, b_keys, epoch, b_epochs[epoch], 3, ops, prev=link, heads={}
    )
    attacker.replace_bundle(crew.team_id, other)
    # … and a bundle 4 that does not continue b's history at all.
    broken = forged_bundle(
        crew.team_id, b_id, b_keys, epoch, b_epochs[epoch], 4, ops, prev="0" * 64, heads={}
    )
    attacker.inject_bundle(crew.team_id, broken)
    report = c.sync()
    assert chain.FORK in report.trust_problems  # a saw another bundle 3 than c was given
    assert quarantined(c) == [chain.FORK]
    assert any("forked" in line for line in explained(report))
