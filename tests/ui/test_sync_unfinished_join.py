"""The Sync page after a join the relay refused: join again, not "waiting for approval".

Against a real relay process, driven as a worker would: the form with a
mistyped join code is refused in plain words; closed, the page says the
join did not finish and offers "Join team…" as its main button (Enter),
in Finnish, Swedish and English.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sosku_desktop import i18n
from sosku_desktop.preferences import Preferences
from sosku_desktop.store.database import Store
from sosku_desktop.sync.client import SyncClient, SyncState
from sosku_desktop.ui.pages.sync_page import SyncPage
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.tasks import Tasks
from tests.sync.client.helpers import TeamRelay, quick_transport
from tests.sync.server.helpers import ServerProcess


@pytest.fixture(scope="module")
def relay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("unfinished-join-relay")
    proc = ServerProcess(f"sqlite:///{folder / 'relay.sqlite3'}", folder / "server.log").start()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_refused_code_leaves_join_team_as_the_way_on(
    qtbot: QtBot, tmp_path: Path, relay: ServerProcess, lang: str
) -> None:
    team = TeamRelay.create(relay)
    store = Store.create(tmp_path / "mine", "passphrase-1")
    try:
        ctx = AppContext(
            store=store, prefs=Preferences(store.data_dir), lang=lang, tasks=Tasks(synchronous=True)
        )
        page = SyncPage(ctx, SyncClient(store, quick_transport))
        qtbot.addWidget(page)
        page.resize(1024, 600)
        page.show()
        page.refresh()
        dialog = page.join_dialog()
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.server.setText(relay.url)
        dialog.team.setText(team.team_id)
        dialog.code.setText("AAAA-BBBB-CCCC-DDDD")
        dialog.name.setText("Sannan kone")
        dialog.safety.setText(team.safety_number)
        dialog.join_button.click()
        assert dialog.error.text() == i18n.tr("sync.error.unauthorized", lang)
        dialog.close()

        assert page.client.status().state == SyncState.JOIN_UNFINISHED
        assert page.state.text() == i18n.tr("sync.state.join_unfinished", lang)
        assert i18n.tr("sync.state.pending_approval", lang) not in page.state.text()
        assert page.join_button.isVisible() and page.join_button.isDefault()
        assert page.join_button.property("primary")
        if os.environ.get("SOSKU_SHOTS"):
            page.grab().save(str(Path(os.environ["SOSKU_SHOTS"]) / f"unfinished-{lang}.png"))

        # The form again (the page's main button), the right code: now it waits for approval.
        again = page.join_dialog()
        qtbot.addWidget(again)
        again.show()
        assert again.team.text() == team.team_id
        # Nothing to read out to the administrator yet: the relay has no such device.
        assert not again.fingerprint.isVisible()
        assert again.fingerprint_note.text() == i18n.tr("ui.sync.join.fingerprint_later", lang)
        again.server.setText(relay.url)
        again.code.setText(team.code)
        again.name.setText("Sannan kone")
        again.safety.setText(team.safety_number)
        again.join_button.click()
        assert again.done_joining
        assert page.client.status().state == SyncState.PENDING_APPROVAL
        assert not page.join_button.property("primary")
    finally:
        store.close()
