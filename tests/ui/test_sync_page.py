"""The Sync page against a real relay process: join, approval, sync, conflicts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sosku_desktop import i18n
from sosku_desktop.domain import codes, models
from sosku_desktop.preferences import Preferences
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.client import SyncClient, SyncState
from sosku_desktop.ui.pages.sync_page import SyncPage
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.tasks import Tasks
from tests.sync.client.adversary import RelayDatabase
from tests.sync.client.helpers import TeamRelay, quick_transport
from tests.sync.server.helpers import ServerProcess


@pytest.fixture(scope="module")
def relay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("ui-relay")
    proc = ServerProcess(f"sqlite:///{folder / 'relay.sqlite3'}", folder / "server.log").start()
    try:
        yield proc
    finally:
        proc.stop()


def test_join_approve_sync_and_resolve_a_conflict(
    qtbot: QtBot, tmp_path: Path, relay: ServerProcess
) -> None:
    team = TeamRelay.create(relay)
    office = team.laptop(tmp_path, "office")
    with office.store.write() as w:
        client = w.add(models.Client(id=new_id(), first_name="Juha", last_name="Nieminen"))
    office.sync()

    store = Store.create(tmp_path / "mine", "passphrase-1")
    try:
        ctx = AppContext(
            store=store, prefs=Preferences(store.data_dir), tasks=Tasks(synchronous=True)
        )
        page = SyncPage(ctx, SyncClient(store, quick_transport))
        qtbot.addWidget(page)
        page.refresh()
        assert not page.client.status().joined and not page.sync_button.isEnabled()
        assert page.state.text() == i18n.tr("sync.state.not_joined")

        page.join(relay.url, team.team_id, team.code, "Sannan kone")
        status = page.client.status()
        assert status.state == SyncState.PENDING_APPROVAL
        assert status.fingerprint in page.result.text()

        team.approve(store.device_id, status.fingerprint)
        office.sync()  # an enrolled device shares the team key with the new one
        phases: list[str] = []
        page.progressed.connect(lambda phase, _done, _total: phases.append(phase))
        page.sync_now()
        assert not page.running
        assert phases[0] == "connect" and "pull" in phases
        with store.read() as r:
            assert r.get(models.Client, client.id).last_name == "Nieminen"
        assert page.client.status().state == SyncState.UP_TO_DATE

        # The same note edited on both laptops before either syncs → a conflict here.
        with office.store.write() as w:
            w.update(replace(client, notes="Toimiston versio"))
        with store.write() as w:
            w.update(replace(client, notes="Kentän versio"))
        office.sync()
        page.sync_now()
        assert page.conflicts.rowCount() == 1
        assert page.conflicts.item(0, 0).text() == f"{client.last_name}, {client.first_name}"
        assert page.conflicts.item(0, 1).text() == i18n.tr("ui.sync.field.notes")
        shown = page.conflicts.item(0, 2).text()
        other = page.conflicts.item(0, 3).text()
        assert {shown, other} == {"Toimiston versio", "Kentän versio"}

        page.resolve_selected(use_other=True)
        assert page.conflicts.rowCount() == 0
        with store.read() as r:
            assert r.get(models.Client, client.id).notes == other
            actions = [e.action for e in r.audit_of_client(client.id)]
        assert codes.AUDIT_RESOLVE_CONFLICT in actions
        page.sync_now()
        office.sync()
        with office.store.read() as r:
            assert r.get(models.Client, client.id).notes == other
    finally:
        store.close()
        team.close()


def test_an_unreachable_server_is_explained_and_nothing_is_lost(
    qtbot: QtBot, tmp_path: Path, relay: ServerProcess
) -> None:
    team = TeamRelay.create(relay)
    laptop = team.laptop(tmp_path, "field")
    try:
        laptop.sync()  # up to date once, then the relay is out of reach
        with laptop.store.write() as w:
            w.add(models.Client(id=new_id(), first_name="Offline", last_name="Asiakas"))
        ctx = AppContext(
            store=laptop.store,
            prefs=Preferences(laptop.store.data_dir),
            tasks=Tasks(synchronous=True),
        )
        broken = SyncClient(
            laptop.store,
            lambda url, t, d, k: quick_transport("http://127.0.0.1:9", t, d, k),
        )
        page = SyncPage(ctx, broken)
        qtbot.addWidget(page)
        page.sync_now()
        assert page.result.text() == i18n.tr("sync.error.offline")
        assert laptop.store.outbox_size() >= 1
        page.refresh()  # read again later: the failure stays until a round succeeds
        assert page.state.text() == i18n.tr("sync.state.round_failed")
        assert i18n.tr("sync.error.offline") in page.details.text()
    finally:
        team.close()


def test_a_relay_rolling_the_epoch_back_is_explained_on_the_page(
    qtbot: QtBot, tmp_path: Path, relay: ServerProcess
) -> None:
    """The worker sees the team safety number, and a plain sentence when the relay cheats."""
    team = TeamRelay.create(relay)
    store = Store.create(tmp_path / "mine", "passphrase-1")
    attacker = RelayDatabase(relay.db_url)
    try:
        ctx = AppContext(
            store=store, prefs=Preferences(store.data_dir), tasks=Tasks(synchronous=True)
        )
        page = SyncPage(ctx, SyncClient(store, quick_transport))
        qtbot.addWidget(page)
        page.join(relay.url, team.team_id, team.code, "Sannan kone")  # no safety number given
        page.refresh()
        number = i18n.tr("sync.status.authority", number=team.safety_number)
        assert number in page.details.text()
        assert i18n.tr("sync.status.authority_unconfirmed") in page.details.text()
        team.approve(store.device_id, page.client.status().fingerprint)
        other = team.laptop(tmp_path, "other")
        page.sync_now()
        team.revoke(other.store.device_id)
        page.sync_now()  # makes epoch 2 without the revoked laptop
        attacker.forget_epochs_above(team.team_id, 1)
        with store.write() as w:
            w.add(models.Client(id=new_id(), first_name="Ei", last_name="Vanhalla"))
        page.sync_now()
        assert page.state.text() == i18n.tr("sync.state.trust_problem")
        assert i18n.tr("sync.trust.epoch_rollback") in page.result.text()
        assert i18n.tr("sync.trust.epoch_rollback") in page.details.text()
        if os.environ.get("SOSKU_SCREENSHOTS"):
            page.resize(900, 700)
            page.grab().save(os.environ["SOSKU_SCREENSHOTS"])
    finally:
        attacker.close()
        store.close()
        team.close()
