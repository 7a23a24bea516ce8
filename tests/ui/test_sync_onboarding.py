"""Sync with no server: the page explains, the main button joins, the form checks the
address and shows the fingerprint to read out (against a real relay process)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sosku_desktop import i18n
from sosku_desktop.domain import models
from sosku_desktop.preferences import Preferences
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.client import SyncClient, SyncState
from sosku_desktop.ui.pages.sync_join import JoinDialog, address_problem
from sosku_desktop.ui.pages.sync_page import SyncPage
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.tasks import Tasks
from tests.sync.client.helpers import TeamRelay, quick_transport
from tests.sync.server.helpers import ServerProcess


@pytest.fixture(scope="module")
def relay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("onboarding-relay")
    proc = ServerProcess(f"sqlite:///{folder / 'relay.sqlite3'}", folder / "server.log").start()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture
def lonely(tmp_path: Path) -> Iterator[Store]:
    """A laptop that has never joined a team, with work recorded."""
    store = Store.create(tmp_path / "mine", "passphrase-1")
    with store.write() as w:
        w.add(models.Client(id=new_id(), first_name="Aino", last_name="Aalto"))
        w.add(models.Client(id=new_id(), first_name="Olli", last_name="Ojala"))
    yield store
    store.close()


def page_for(store: Store, qtbot: QtBot, lang: str = "fi") -> SyncPage:
    ctx = AppContext(
        store=store, prefs=Preferences(store.data_dir), lang=lang, tasks=Tasks(synchronous=True)
    )
    page = SyncPage(ctx, SyncClient(store, quick_transport))
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    return page


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_without_a_server_the_page_explains_and_the_main_button_joins(
    lonely: Store, qtbot: QtBot, lang: str
) -> None:
    page = page_for(lonely, qtbot, lang)
    tr = page.ctx.tr
    assert page.onboarding.isVisible()
    outbox = lonely.outbox_size()
    assert outbox >= 1
    assert page.onboarding.where.text() == tr("ui.sync.intro.only_here", n=outbox)
    assert page.onboarding.what.text() == tr("ui.sync.intro.what")
    asked = page.onboarding.ask.text()
    assert "https://" in asked and asked == tr("ui.sync.intro.ask")
    if lang != "fi":
        assert asked != i18n.tr("ui.sync.intro.ask", "fi")
    # The main (primary) button leads to joining; there is no dead "Sync now".
    assert page.join_button.isVisible() and page.join_button.property("primary")
    assert not page.sync_button.isVisible()
    opened: list[object] = []

    def close_the_form() -> None:
        dialog = QApplication.activeModalWidget()
        opened.append(dialog)
        if dialog is not None:
            dialog.close()

    QTimer.singleShot(0, close_the_form)
    page.sync_now()  # e.g. the status bar's or a shortcut's "sync": it opens the join form
    assert len(opened) == 1 and isinstance(opened[0], JoinDialog)
    assert not page.running and page.result.text() == ""


@pytest.mark.parametrize(
    ("address", "usable"),
    [
        ("https://sosku.example.fi", True),
        ("https://sosku.example.fi:8443/relay/", True),
        ("http://localhost:8080", True),
        ("http://127.0.0.1:8080", True),
        ("http://[::1]:8080", True),
        ("http://sosku.example.fi", False),
        ("http://10.0.0.5:8080", False),
        ("http://localhost.example.fi", False),
        ("http://127.0.0.1.example.fi", False),
        ("sosku.example.fi", False),
        ("ftp://sosku.example.fi", False),
        ("", False),
    ],
)
def test_the_join_form_accepts_https_and_only_local_http(address: str, usable: bool) -> None:
    assert (address_problem(address) is None) is usable


def test_the_form_says_plainly_what_is_wrong_and_sends_nothing(lonely: Store, qtbot: QtBot) -> None:
    page = page_for(lonely, qtbot)
    dialog = page.join_dialog()
    qtbot.addWidget(dialog)
    sent: list[tuple[str, ...]] = []
    dialog.join_requested.connect(lambda *values: sent.append(values))
    dialog.server.setText("http://sosku.example.fi")
    dialog.team.setText("tiimi")
    dialog.code.setText("ABCD-1234")
    dialog.join_button.click()
    assert dialog.error.text() == page.ctx.tr("ui.sync.join.bad_address")
    assert sent == [] and not page.client.status().joined
    assert dialog.fingerprint_note.text() == page.ctx.tr("ui.sync.join.fingerprint_later")


def test_joining_shows_the_fingerprint_to_read_out(
    lonely: Store, qtbot: QtBot, relay: ServerProcess
) -> None:
    team = TeamRelay.create(relay)
    page = page_for(lonely, qtbot)
    dialog = page.join_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.server.setText(relay.url)  # http://127.0.0.1:…: this machine
    dialog.team.setText(team.team_id)
    dialog.code.setText(team.code)
    dialog.safety.setText(team.safety_number)
    dialog.join_button.click()
    status = page.client.status()
    assert status.state == SyncState.PENDING_APPROVAL
    assert dialog.fingerprint.isVisible() and dialog.fingerprint.text() == status.fingerprint
    assert page.ctx.tr("ui.sync.join.read_out") in dialog.fingerprint_note.text()
    assert dialog.isVisible()  # stays open while the worker reads it out
    dialog.join_button.click()  # "Done"
    assert not dialog.isVisible()
    # Joined: the explanation gives way to the normal page, "Sync now" is the main button.
    assert not page.onboarding.isVisible() and page.sync_button.isVisible()
    again = page.join_dialog()  # opened again later: the same fingerprint at once
    qtbot.addWidget(again)
    assert again.fingerprint.text() == status.fingerprint
