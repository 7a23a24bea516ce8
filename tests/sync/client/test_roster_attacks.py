"""A compromised relay lies about the roster: replays, forges and hides the authority's word.

Honest laptops (real encrypted stores, real SyncClient, a real relay
process) pin the team authority at join; then the attacker edits the
relay's copy of the signed statements directly — serves an older roster,
adds statements signed by a key of its own or by a revoked laptop's key,
swaps the authority key, hides a revocation — and the laptops must keep
believing only what the authority signed and say what looked wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from nacl.signing import SigningKey

from sosku_desktop.domain.models import Client
from sosku_desktop.store.schema import quarantine
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync import authority, crypto, messages, trust
from sosku_desktop.sync.client import SyncState
from sosku_desktop.sync.protocol import ACTIVE, REVOKED, b64encode
from sosku_desktop.sync.server import schema
from sosku_desktop.sync.trust import TrustBook
from tests.sync.client.adversary import (
    RelayDatabase,
    StatementTable,
    attacker_reads,
    forged_bundle,
    laptop_keys,
    next_device_seq,
)
from tests.sync.client.helpers import Laptop, TeamRelay, outbox


def write_client(laptop: Laptop, name: str) -> None:
    with laptop.store.write() as w:
        w.add(Client(id=new_id(), first_name=name, last_name="Salainen"))


def believed(laptop: Laptop, team_id: str) -> authority.TrustedRoster:
    """What the laptop holds as the authority's roster (from its encrypted meta)."""
    return TrustBook(laptop.store, team_id).roster()


def explained(report: object) -> list[str]:
    return messages.report_text(report, "en")  # type: ignore[arg-type]


def quarantined(laptop: Laptop) -> list[str]:
    with laptop.store.read() as r:
        return [q.reason for q in r.conn.execute(sa.select(quarantine))]


def test_a_replayed_older_roster_keeps_the_revocation_and_is_reported(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a = crew.laptop(tmp_path, "a")
    c = crew.laptop(tmp_path, "c")
    a.sync()
    c.sync()
    statements = StatementTable(attacker, crew.team_id)
    before = statements.versions()[-1]
    c_id, c_keys, c_epochs = laptop_keys(c.store)
    crew.revoke(c_id)
    assert a.sync().created_epoch == 2
    assert believed(a, crew.team_id).devices()[c_id].status == REVOKED
    # The relay serves the roster as it was before the revocation, and c's late bundle.
    statements.hide_above(before)
    ops = [{"t": "clients", "r": new_id(), "c": "first_name", "v": "Myöhässä"}]
    attacker.inject_bundle(
        crew.team_id,
        forged_bundle(crew.team_id, c_id, c_keys, 1, c_epochs[1], next_device_seq(c.store), ops),
    )
    seen = attacker.team(crew.team_id).head_seq
    write_client(a, "Jälkeen")
    report = a.sync()
    assert trust.ROSTER_ROLLBACK in report.trust_problems
    assert report.state == SyncState.TRUST_PROBLEM
    roster = believed(a, crew.team_id)
    assert roster.devices()[c_id].status == REVOKED and roster.signed_epoch == 2
    assert report.pushed == 1 and report.refused == 1 and report.applied == 0
    assert quarantined(a) == ["revoked_device"]
    assert attacker_reads(attacker, crew.team_id, c_id, c_keys, since=seen) == []


def test_statements_signed_by_the_relay_or_a_revoked_laptop_are_refused(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a = crew.laptop(tmp_path, "a")
    c = crew.laptop(tmp_path, "c")
    a.sync()
    c.sync()
    c_id, c_keys, _ = laptop_keys(c.store)
    crew.revoke(c_id)
    a.sync()
    statements = StatementTable(attacker, crew.team_id)
    fake_id, fake_keys = attacker.add_active_device(crew.team_id)
    version = statements.versions()[-1]
    for offset, signer in enumerate((SigningKey.generate(), c_keys.signing_key)):
        # "the made-up device is active", and "c is active again", signed by the wrong keys
        for extra, (device, keys, name) in enumerate(
            ((fake_id, fake_keys, "Relay"), (c_id, c_keys, "c"))
        ):
            forged = authority.DeviceStatement(
                crew.team_id,
                version + 1 + 2 * offset + extra,
                device,
                name,
                keys.public.sign_pub,
                keys.public.box_pub,
                ACTIVE,
            )
            statements.add(authority.sign_statement(signer, forged), forged.version)
    write_client(a, "Jälkeen")
    seen = attacker.team(crew.team_id).head_seq
    report = a.sync()
    assert trust.BAD_STATEMENT in report.trust_problems
    assert report.state == SyncState.TRUST_PROBLEM
    roster = believed(a, crew.team_id)
    assert fake_id not in roster.devices() and roster.devices()[c_id].status == REVOKED
    assert roster.version == version
    assert attacker.sealed_keys_for(crew.team_id, fake_id) == []
    assert attacker_reads(attacker, crew.team_id, c_id, c_keys, since=seen) == []
    assert attacker_reads(attacker, crew.team_id, fake_id, fake_keys) == []


def test_a_relay_that_swaps_the_authority_key_after_join_gets_nothing(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a = crew.laptop(tmp_path, "a")
    a.sync()
    fake_id, fake_keys = attacker.add_active_device(crew.team_id)
    own = SigningKey.generate()
    statements = StatementTable(attacker, crew.team_id)
    statements.hide_above(0)
    a_id, a_keys, _ = laptop_keys(a.store)
    roster = [(a_id, a_keys, "a"), (fake_id, fake_keys, "Relay")]
    for version, (device, keys, name) in enumerate(roster, start=1):
        forged = authority.DeviceStatement(
            crew.team_id, version, device, name, keys.public.sign_pub, keys.public.box_pub, ACTIVE
        )
        statements.add(authority.sign_statement(own, forged), version)
    statements.add(authority.sign_statement(own, authority.EpochStatement(crew.team_id, 3, 2)), 3)
    statements.swap_authority_key(authority.public_key_of(own))
    attacker.set_epoch(crew.team_id, 1, rotation_needed=True)
    write_client(a, "Salaisuus")
    with pytest.raises(authority.AuthorityMismatch):
        a.sync()
    assert outbox(a.store) == 1
    assert attacker.sealed_keys_for(crew.team_id, fake_id) == []
    assert attacker_reads(attacker, crew.team_id, fake_id, fake_keys) == []
    assert fake_id not in believed(a, crew.team_id).devices()


def hide_the_revocation(
    attacker: RelayDatabase, crew: TeamRelay, before: int
) -> list[dict[str, Any]]:
    """Serve the roster as it was at ``before``, and epoch 1 as the current one."""
    hidden = StatementTable(attacker, crew.team_id).hide_above(before)
    attacker.set_epoch(crew.team_id, 1)
    return hidden


@pytest.mark.parametrize("evidence", ["key", "bundle"])
def test_a_hidden_revocation_stops_the_push_once_a_teammate_shows_the_new_epoch(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path, evidence: str
) -> None:
    a = crew.laptop(tmp_path, "a")
    b = crew.laptop(tmp_path, "b")
    c = crew.laptop(tmp_path, "c")
    for laptop in (a, b, c):
        laptop.sync()
    before = StatementTable(attacker, crew.team_id).versions()[-1]
    c_id, c_keys, _ = laptop_keys(c.store)
    crew.revoke(c_id)
    write_client(a, "Tiedetty")
    assert a.sync().created_epoch == 2  # a saw the revocation and writes under epoch 2
    # From b the relay hides the revocation and the new epoch; it gives b either a's key
    # for epoch 2 (without the statement that allows it) or only a's epoch-2 bundle.
    hidden = hide_the_revocation(attacker, crew, before)
    if evidence == "bundle":
        keys = sa.delete(schema.sealed_keys).where(schema.sealed_keys.c.epoch == 2)
        attacker.execute(keys)
    report = b.sync()
    assert trust.NEWER_EPOCH in report.trust_problems
    assert report.state == SyncState.TRUST_PROBLEM
    assert any("hiding a removed device" in line for line in explained(report))
    # Even when the relay hides the evidence too, b sends nothing c could read.
    attacker.execute(sa.delete(schema.sealed_keys).where(schema.sealed_keys.c.epoch == 2))
    attacker.execute(sa.delete(schema.bundles).where(schema.bundles.c.epoch == 2))
    seen = attacker.team(crew.team_id).head_seq
    write_client(b, "Salaisuus")
    report = b.sync()
    assert report.pushed == 0 and outbox(b.store) == 1
    assert trust.NEWER_EPOCH in report.trust_problems
    assert attacker_reads(attacker, crew.team_id, c_id, c_keys, since=seen) == []
    # Once the relay shows the statements again, b takes the new epoch and sends under it.
    StatementTable(attacker, crew.team_id).put_back(hidden)
    attacker.set_epoch(crew.team_id, 2)
    a.sync()  # a seals epoch 2 to b again (the relay lost it)
    report = b.sync()
    assert report.pushed == 1 and not report.trust_problems
    assert attacker_reads(attacker, crew.team_id, c_id, c_keys, since=seen) == []


def test_an_epoch_the_authority_never_signed_gets_no_push(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a = crew.laptop(tmp_path, "a")
    a.sync()
    fake_id, fake_keys = attacker.add_active_device(crew.team_id)
    # "Epoch 2 is current" (made by the relay's own device): no statement allows it.
    attacker.add_epoch(crew.team_id, 2, fake_id)
    write_client(a, "Salaisuus")
    report = a.sync()
    assert trust.UNSIGNED_EPOCH in report.trust_problems
    assert report.state == SyncState.TRUST_PROBLEM
    assert report.pushed == 0 and outbox(a.store) == 1
    assert report.created_epoch is None
    assert attacker_reads(attacker, crew.team_id, fake_id, fake_keys) == []


def test_the_relay_never_holds_the_authoritys_private_key(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a = crew.laptop(tmp_path, "a")
    c = crew.laptop(tmp_path, "c")
    a.sync()
    crew.revoke(c.store.device_id)  # the admin CLI signed approvals, a revocation, epochs
    a.sync()
    seed = bytes(authority.load_key_file(crew.key_file, crew.team_id))
    forms = (seed, seed.hex().encode(), b64encode(seed).encode())
    for table in schema.metadata.sorted_tables:
        for row in attacker.rows(sa.select(table)):
            for value in row:
                raw = value if isinstance(value, bytes) else str(value).encode()
                assert not any(form in raw for form in forms), table.name


def test_a_revocation_cut_out_of_the_middle_of_the_roster_gives_the_device_no_key(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a = crew.laptop(tmp_path, "a")
    b = crew.laptop(tmp_path, "b")
    c = crew.laptop(tmp_path, "c")
    for laptop in (a, b, c):
        laptop.sync()
    statements = StatementTable(attacker, crew.team_id)
    before = statements.versions()[-1]
    c_id, c_keys, _ = laptop_keys(c.store)
    crew.revoke(c_id)  # statement before + 1 revokes c, before + 2 signs epoch 2
    assert statements.versions()[-2:] == [before + 1, before + 2]
    write_client(a, "Tiedetty")
    assert a.sync().created_epoch == 2
    # The relay serves the epoch but not the revocation, and lists c as active again.
    hidden = statements.hide_above(before)
    statements.put_back([row for row in hidden if row["version"] == before + 2])
    devices = schema.devices
    attacker.execute(devices.update().where(devices.c.device_id == c_id).values(status=ACTIVE))
    seen = attacker.team(crew.team_id).head_seq
    write_client(b, "Salaisuus")
    report = b.sync()
    assert trust.ROSTER_GAP in report.trust_problems
    assert report.state == SyncState.TRUST_PROBLEM
    assert any("left out one of your administrator" in line for line in explained(report))
    assert report.keys_shared == 0 and report.pushed == 0 and outbox(b.store) == 1
    assert [k.epoch for k in attacker.sealed_keys_for(crew.team_id, c_id)] == [1]
    assert attacker_reads(attacker, crew.team_id, c_id, c_keys, since=seen) == []
    assert believed(b, crew.team_id).version == before  # nothing beyond the gap is kept
    # With the statement back, b takes the revocation and sends under epoch 2.
    statements.put_back([row for row in hidden if row["version"] == before + 1])
    attacker.execute(devices.update().where(devices.c.device_id == c_id).values(status=REVOKED))
    report = b.sync()
    assert report.pushed == 1 and not report.trust_problems
    assert believed(b, crew.team_id).devices()[c_id].status == REVOKED
    assert attacker_reads(attacker, crew.team_id, c_id, c_keys, since=seen) == []
    # a's bundle under epoch 2 was held back during the lie, not thrown away.
    with b.store.read() as r:
        assert sorted(c.first_name for c in r.clients()) == ["Salaisuus", "Tiedetty"]
    assert quarantined(b) == []


def test_keys_are_sealed_to_the_statements_keys_not_the_ones_the_relay_lists(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a = crew.laptop(tmp_path, "a")
    b = crew.laptop(tmp_path, "b")
    c = crew.laptop(tmp_path, "c")
    for laptop in (a, b, c):
        laptop.sync()
    # The relay lists b with keys of its own, then a revocation makes a seal epoch 2 to b.
    own = crypto.DeviceKeys.generate()
    devices = schema.devices
    attacker.execute(
        devices.update()
        .where(devices.c.device_id == b.store.device_id)
        .values(sign_pub=own.public.sign_pub, box_pub=own.public.box_pub)
    )
    crew.revoke(c.store.device_id)
    write_client(a, "Salaisuus")
    assert a.sync().created_epoch == 2
    assert 2 in [k.epoch for k in attacker.sealed_keys_for(crew.team_id, b.store.device_id)]
    assert attacker_reads(attacker, crew.team_id, b.store.device_id, own) == []
    b_id, b_keys, _ = laptop_keys(b.store)
    assert len(attacker_reads(attacker, crew.team_id, b_id, b_keys)) >= 1  # b itself can
