"""Key changes that happen in the middle of another laptop's round.

A real transport whose ``push`` first lets something else happen on the
relay (a revocation, another laptop's rotation) or whose answer is lost
after the relay stored the batch: the client must follow the relay's
409s (``rotation_needed``, ``epoch_stale``), re-seal, and never double or
drop a bundle.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sosku_desktop.domain.models import Client
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.client import SyncClient, SyncState
from sosku_desktop.sync.device_store import DeviceStore
from sosku_desktop.sync.transport import Offline, SyncTransport
from tests.sync.client.helpers import (
    Laptop,
    TeamRelay,
    assert_relay_holds_each_change_once,
    outbox,
    snapshot,
)


class HookedTransport(SyncTransport):
    """A real transport; before (or after) its first push, ``hook`` runs once."""

    def __init__(self, *args: Any, before: Callable[[], None] | None, lose_answer: bool) -> None:
        super().__init__(*args, timeout=10)
        self.before = before
        self.lose_answer = lose_answer

    def push(self, bundles: Any) -> dict[str, Any]:
        hook, self.before = self.before, None
        if hook is not None:
            hook()
        answer = super().push(bundles)
        if self.lose_answer:
            self.lose_answer = False
            raise Offline("the answer was lost on the way")
        return answer


def hook_laptop(
    laptop: Laptop, before: Callable[[], None] | None = None, lose: bool = False
) -> None:
    def factory(url: str, team: str, device: str, keys: Any) -> SyncTransport:
        return HookedTransport(url, team, device, keys, before=before, lose_answer=lose)

    laptop.client = SyncClient(laptop.store, factory)


def add_client(laptop: Laptop, name: str) -> None:
    with laptop.store.write() as w:
        w.add(Client(id=new_id(), first_name=name, last_name="K"))


def test_revocation_during_a_push_makes_the_pusher_rotate(
    team: TeamRelay, relay_db: Path, tmp_path: Path
) -> None:
    a, b, c = (team.laptop(tmp_path, n) for n in "abc")
    for laptop in (a, b, c):
        laptop.sync()
    add_client(b, "Kesken")
    hook_laptop(b, before=lambda: team.revoke(c.store.device_id))
    report = b.sync()  # push → 409 rotation_needed → epoch 2 → push again
    assert report.created_epoch == 2 and report.pushed == 1 and outbox(b.store) == 0
    a.sync()
    assert sorted(DeviceStore(a.store).epoch_keys()) == [1, 2]
    assert snapshot(a.store) == snapshot(b.store)
    assert_relay_holds_each_change_once(relay_db, team.team_id, [a, b, c])


def test_a_rotation_by_another_laptop_during_a_push_means_reseal_with_its_key(
    team: TeamRelay, relay_db: Path, tmp_path: Path
) -> None:
    a, b, c = (team.laptop(tmp_path, n) for n in "abc")
    for laptop in (a, b, c):
        laptop.sync()
    add_client(b, "Vanhalla avaimella")

    def someone_rotates() -> None:
        team.revoke(c.store.device_id)
        assert a.sync().created_epoch == 2

    hook_laptop(b, before=someone_rotates)
    report = b.sync()  # push with epoch 1 → 409 epoch_stale → a's key for 2 → push
    assert report.pushed == 1 and report.created_epoch is None and report.epoch == 2
    a.sync()
    assert snapshot(a.store) == snapshot(b.store)
    assert_relay_holds_each_change_once(relay_db, team.team_id, [a, b, c])
    with sqlite3.connect(relay_db) as db:
        stored = db.execute(
            "SELECT device_seq, epoch FROM bundles WHERE team_id = ? AND device_id = ?",
            (team.team_id, b.store.device_id),
        ).fetchall()
    assert stored == [(1, 2)]  # sealed again under the new key, stored once


def test_a_lost_answer_then_a_rotation_still_acks_the_stored_bundle_once(
    team: TeamRelay, relay_db: Path, tmp_path: Path
) -> None:
    a, b, c = (team.laptop(tmp_path, n) for n in "abc")
    for laptop in (a, b, c):
        laptop.sync()
    add_client(b, "Tallessa")
    hook_laptop(b, lose=True)
    with pytest.raises(Offline):
        b.sync()
    assert outbox(b.store) == 1  # stored on the relay, not known here
    team.revoke(c.store.device_id)
    assert a.sync().created_epoch == 2
    add_client(b, "Uusi")
    hook_laptop(b)
    report = b.sync()  # epoch 2 → bundle_conflict → the same bytes under epoch 1 → its seq
    assert report.state == SyncState.UP_TO_DATE and outbox(b.store) == 0
    a.sync()
    assert snapshot(a.store) == snapshot(b.store)
    assert_relay_holds_each_change_once(relay_db, team.team_id, [a, b, c])
    with sqlite3.connect(relay_db) as db:
        stored = db.execute(
            "SELECT device_seq, epoch FROM bundles WHERE team_id = ? AND device_id = ?"
            " ORDER BY device_seq",
            (team.team_id, b.store.device_id),
        ).fetchall()
    assert stored == [(1, 1), (2, 2)]  # the first one kept its epoch-1 sealing, once
