"""An insider (an approved laptop, or its thief) cannot stop the team by making up an epoch.

Laptops push only under the highest epoch the team's authority signed. An
active device used to be able to stop every teammate's pushes until it was
revoked: the relay let it create epoch current+1 (so it refused pushes
under the signed one), and a key it sealed for a higher epoch made each
teammate believe statements were hidden from it. Now the relay creates
only epochs the authority signed, and a laptop believes a sealed key's
higher epoch only with the authority's statements for it, which an honest
sealer puts inside the sealed key; a made-up one is ignored and logged
(ids and numbers, no client data), and the pushes go on. Real relay
processes (SQLite and PostgreSQL), real encrypted stores.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from sosku_desktop.sync import crypto, trust
from sosku_desktop.sync.transport import RequestRejected
from sosku_desktop.sync.trust import TrustBook
from tests.sync.client.adversary import RelayDatabase, laptop_keys
from tests.sync.client.helpers import TeamRelay, outbox
from tests.sync.client.test_roster_attacks import believed, write_client


def test_the_relay_refuses_an_epoch_the_authority_never_signed(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path
) -> None:
    a = crew.laptop(tmp_path, "a")
    insider = crew.laptop(tmp_path, "insider")
    a.sync()
    insider.sync()
    _, keys, _ = laptop_keys(insider.store)
    made_up = crypto.new_epoch_key()
    items = [
        crypto.make_key_item(
            made_up,
            team_id=crew.team_id,
            epoch=2,
            recipient_device_id=laptop.store.device_id,
            recipient_box_pub=laptop_keys(laptop.store)[1].public.box_pub,
            sealer=keys,
        )
        for laptop in (a, insider)
    ]
    identity = insider.client.devices.identity()
    assert identity is not None
    with insider.client._transport(identity) as transport, pytest.raises(RequestRejected) as no:
        transport.put_keys(items, new_epoch=2)  # "epoch 2, and here are your keys"

    assert no.value.status == 422 and "not signed" in no.value.message
    assert attacker.team(crew.team_id).current_epoch == 1
    write_client(a, "Edelleen")
    report = a.sync()
    assert report.pushed == 1 and not report.trust_problems


def test_a_key_for_a_made_up_epoch_is_ignored_and_the_pushes_go_on(
    crew: TeamRelay, attacker: RelayDatabase, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A relay (or a relay's bug) that passes the insider's key on changes nothing but a line."""
    a = crew.laptop(tmp_path, "a")
    insider = crew.laptop(tmp_path, "insider")
    a.sync()
    insider.sync()
    insider_id, insider_keys, _ = laptop_keys(insider.store)
    item = crypto.make_key_item(
        crypto.new_epoch_key(),
        team_id=crew.team_id,
        epoch=7,
        recipient_device_id=a.store.device_id,
        recipient_box_pub=laptop_keys(a.store)[1].public.box_pub,
        sealer=insider_keys,
        # the authority's real statement, but of epoch 1, and something it never signed
        proof=[TrustBook(insider.store, crew.team_id).epoch_wire(1), {"statement": "eA=="}],
    )
    attacker.add_epoch(crew.team_id, 7, insider_id)  # stored, yet epoch 1 stays current
    attacker.set_epoch(crew.team_id, 1)
    attacker.add_sealed_key(crew.team_id, item, insider_id)

    write_client(a, "Salassa ei mitään")
    with caplog.at_level(logging.INFO):
        report = a.sync()
        again = a.sync()

    assert report.pushed == 1 and outbox(a.store) == 0  # was 0: "newer_epoch", for good
    assert trust.NEWER_EPOCH not in report.trust_problems + again.trust_problems
    assert trust.UNSIGNED_EPOCH in report.trust_problems  # said, and stops nothing
    assert believed(a, crew.team_id).signed_epoch == 1
    lines = [r.getMessage() for r in caplog.records if "never signed" in r.getMessage()]
    assert lines and all("epoch 7" in line and insider_id in line for line in lines)
    assert all("Salassa" not in r.getMessage() for r in caplog.records)
    write_client(a, "Taas")
    assert a.sync().pushed == 1
