"""A removed (revoked) laptop: the Sync page and ``sosku sync now`` say what is true.

Against a real relay process: the laptop is approved, syncs, is revoked by
the administrator, and has changes that were never sent. Both the page and
the command line count those changes, say they stay only on this laptop and
that the worker should contact the administrator, and never promise that
this data folder can be added back: the relay refuses it to join again and
the administrator cannot approve it again (checked here too).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sosku_desktop import i18n
from sosku_desktop.app import main
from sosku_desktop.domain import models
from sosku_desktop.preferences import Preferences
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.client import SyncClient, SyncState
from sosku_desktop.sync.messages import state_text
from sosku_desktop.sync.transport import DeviceRevoked
from sosku_desktop.ui.pages.sync_page import SyncPage
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.tasks import Tasks
from tests.sync.client.helpers import Laptop, TeamRelay, quick_transport
from tests.sync.server.helpers import ServerProcess

#: What the old message promised and the relay does not allow for this data folder.
FALSE_PROMISES = {
    "fi": "ylläpitäjä voi liittää laitteen uudelleen",
    "sv": "kan administratören ansluta den igen",
    "en": "the administrator can enrol it again",
}


@pytest.fixture(scope="module")
def relay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("revoked-relay")
    proc = ServerProcess(f"sqlite:///{folder / 'relay.sqlite3'}", folder / "server.log").start()
    try:
        yield proc
    finally:
        proc.stop()


def revoked_with_unsent(relay: ServerProcess, tmp_path: Path, unsent: int) -> Laptop:
    """A laptop that synced once, was revoked, and then recorded ``unsent`` clients."""
    team = TeamRelay.create(relay)
    laptop = team.laptop(tmp_path, "poistettu")
    laptop.sync()
    team.revoke(laptop.store.device_id)
    for i in range(unsent):  # one save, one change waiting to be sent
        with laptop.store.write() as w:
            w.add(models.Client(id=new_id(), first_name=f"Uusi{i}", last_name="Lähettämätön"))
    assert laptop.client.status().outbox == unsent
    return laptop


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_sync_page_counts_what_stays_unsent_and_promises_nothing_false(
    qtbot: QtBot, tmp_path: Path, relay: ServerProcess, lang: str
) -> None:
    laptop = revoked_with_unsent(relay, tmp_path, 2)
    store = laptop.store
    ctx = AppContext(
        store=store, prefs=Preferences(store.data_dir), lang=lang, tasks=Tasks(synchronous=True)
    )
    page = SyncPage(ctx, SyncClient(store, quick_transport))
    qtbot.addWidget(page)
    page.refresh()
    page.sync_now()
    status = page.client.status()
    assert status.state == SyncState.REVOKED and status.outbox == 2
    shown = page.state.text() + "\n" + page.result.text()
    assert page.state.text() == i18n.tr("sync.state.revoked", lang, n=status.outbox)
    assert f" {status.outbox} " in page.state.text()
    assert page.result.text() == i18n.tr("sync.error.revoked", lang)
    assert FALSE_PROMISES[lang] not in shown
    if lang != "fi":
        assert page.state.text() != i18n.tr("sync.state.revoked", "fi", n=status.outbox)
    laptop.close()


def test_sync_now_on_the_command_line_says_the_same_and_the_folder_cannot_rejoin(
    tmp_path: Path, relay: ServerProcess, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = revoked_with_unsent(relay, tmp_path, 1)
    outbox = laptop.client.status().outbox
    assert outbox >= 1
    code = main(["--lang", "en", "sync", "now", "--data-dir", str(laptop.store.data_dir)])
    err = capsys.readouterr().err
    assert code == 1
    assert i18n.tr("sync.error.revoked", "en") in err
    assert state_text(SyncState.REVOKED, "en", outbox) in err
    assert f"{outbox} change" in err and FALSE_PROMISES["en"] not in err
    # What the message says: this data folder cannot be added back.
    status = laptop.client.status()
    with pytest.raises(DeviceRevoked):
        laptop.client.join(status.server_url, status.team_id, "any-code", "again")
    laptop.close()


def test_a_laptop_revoked_with_everything_sent_is_told_so() -> None:
    for lang in ("fi", "sv", "en"):
        text = state_text(SyncState.REVOKED, lang, 0)
        assert text == i18n.tr("sync.state.revoked_all_sent", lang)
        assert " 0 " not in text and FALSE_PROMISES[lang] not in text
