"""The join form asks for the team's safety number and refuses a relay that shows another.

Against real relay processes: the right number joins and pins the team
authority as checked; a wrong number, a malformed one or a missing one is
refused in plain words with everything typed kept, no team joined and
nothing pinned; and a relay whose operator swapped the team's authority key
for its own (trust on first use would pin it) is refused the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from nacl.signing import SigningKey
from pytestqt.qtbot import QtBot

from sosku_desktop import i18n
from sosku_desktop.preferences import Preferences
from sosku_desktop.store.database import Store
from sosku_desktop.sync import authority
from sosku_desktop.sync.authority import AuthorityMismatch
from sosku_desktop.sync.client import SyncClient, SyncState
from sosku_desktop.sync.server import schema
from sosku_desktop.sync.trust import TrustBook
from sosku_desktop.ui.pages.sync_join import JoinDialog
from sosku_desktop.ui.pages.sync_page import SyncPage
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.tasks import Tasks
from tests.sync.client.adversary import RelayDatabase
from tests.sync.client.helpers import TeamRelay, quick_transport
from tests.sync.server.helpers import ServerProcess
from tests.ui.a11y_support import low_contrast_texts, unnamed_controls

WRONG = "0000 1111 2222 3333 4444 5555 6666 7777"


@pytest.fixture(scope="module")
def relay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("join-authority-relay")
    proc = ServerProcess(f"sqlite:///{folder / 'relay.sqlite3'}", folder / "server.log").start()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.create(tmp_path / "mine", "passphrase-1")
    yield opened
    opened.close()


def form(store: Store, qtbot: QtBot, lang: str = "fi") -> tuple[SyncPage, JoinDialog]:
    ctx = AppContext(
        store=store, prefs=Preferences(store.data_dir), lang=lang, tasks=Tasks(synchronous=True)
    )
    page = SyncPage(ctx, SyncClient(store, quick_transport))
    qtbot.addWidget(page)
    page.refresh()
    dialog = page.join_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    return page, dialog


def fill(dialog: JoinDialog, relay: ServerProcess, team: TeamRelay, number: str) -> None:
    dialog.server.setText(relay.url)
    dialog.team.setText(team.team_id)
    dialog.code.setText(team.code)
    dialog.safety.setText(number)


def pinned(store: Store, team: TeamRelay) -> tuple[str, bool] | None:
    return TrustBook(store, team.team_id).safety_number()


def assert_refused_and_kept(
    page: SyncPage, dialog: JoinDialog, store: Store, team: TeamRelay, number: str, key: str
) -> None:
    """The plain reason, the form as typed, nothing pinned, no team to sync with."""
    assert dialog.error.text() == page.ctx.tr(key)
    assert dialog.values()[1:3] == (team.team_id, team.code)
    assert dialog.safety.text() == number and not dialog.safety.isReadOnly()
    assert dialog.join_button.isEnabled() and not dialog.done_joining
    assert not dialog.fingerprint.isVisible()
    assert pinned(store, team) is None
    status = page.client.status()
    assert status.state in (SyncState.NOT_JOINED, SyncState.PENDING_APPROVAL)
    assert page.join_button.isVisibleTo(page)  # the form stays the way on


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_form_asks_for_the_safety_number_in_plain_words(
    store: Store, qtbot: QtBot, lang: str
) -> None:
    _, dialog = form(store, qtbot, lang)
    assert dialog.safety.accessibleName() == i18n.tr("ui.sync.safety_number", lang)
    assert dialog.safety_help.isVisible()
    assert dialog.safety_help.text() == i18n.tr("ui.sync.join.safety_help", lang)
    if lang != "fi":
        assert dialog.safety_help.text() != i18n.tr("ui.sync.join.safety_help", "fi")
    assert unnamed_controls(dialog) + low_contrast_texts(dialog) == []


def test_the_right_safety_number_joins_and_pins_the_checked_authority(
    store: Store, qtbot: QtBot, relay: ServerProcess
) -> None:
    team = TeamRelay.create(relay)
    page, dialog = form(store, qtbot)
    # As read out or copied: lower case and dashes are the same number.
    fill(dialog, relay, team, team.safety_number.lower().replace(" ", "-"))
    dialog.join_button.click()
    assert dialog.done_joining and dialog.error.text() == ""
    assert page.client.status().state == SyncState.PENDING_APPROVAL
    assert pinned(store, team) == (team.safety_number, True)
    assert i18n.tr("sync.status.authority_unconfirmed") not in page.details.text()


def test_a_wrong_safety_number_is_refused_and_nothing_is_pinned(
    store: Store, qtbot: QtBot, relay: ServerProcess
) -> None:
    team = TeamRelay.create(relay)
    page, dialog = form(store, qtbot)
    fill(dialog, relay, team, WRONG)
    dialog.join_button.click()
    assert_refused_and_kept(page, dialog, store, team, WRONG, "sync.error.authority_mismatch")
    # A round with that relay is refused too (the number stays expected): nothing is sent.
    outbox = store.outbox_size()
    with pytest.raises(AuthorityMismatch):
        page.client.sync_once()
    assert store.outbox_size() == outbox and pinned(store, team) is None
    # Corrected in the same form (a mistyped digit), the join goes through with the same keys.
    dialog.safety.setText(team.safety_number)
    dialog.join_button.click()
    assert dialog.error.text() == "", dialog.error.text()
    assert dialog.done_joining and pinned(store, team) == (team.safety_number, True)


@pytest.mark.parametrize(
    ("number", "key"),
    [
        ("", "ui.sync.fill_all"),
        ("1234 5678", "sync.error.bad_safety_number"),
        ("GGGG 1111 2222 3333 4444 5555 6666 7777", "sync.error.bad_safety_number"),
        (WRONG + " 8", "sync.error.bad_safety_number"),
    ],
)
def test_a_missing_or_malformed_number_is_said_plainly_before_the_relay_is_asked(
    store: Store, qtbot: QtBot, relay: ServerProcess, number: str, key: str
) -> None:
    team = TeamRelay.create(relay)
    page, dialog = form(store, qtbot)
    sent: list[tuple[str, ...]] = []
    dialog.join_requested.connect(lambda *values: sent.append(values))
    fill(dialog, relay, team, number)
    dialog.join_button.click()
    assert sent == [] and not page.client.status().joined
    assert dialog.focusWidget() is dialog.safety
    assert_refused_and_kept(page, dialog, store, team, number, key)
    assert not authority.is_safety_number(number)


def test_a_relay_showing_its_own_authority_is_refused_through_the_form(
    store: Store, qtbot: QtBot, relay: ServerProcess
) -> None:
    """The relay's operator swaps the team's authority key for one it holds the private half
    of: without the number the laptop would pin it (and take the relay's roster as signed)."""
    team = TeamRelay.create(relay)
    attacker = RelayDatabase(relay.db_url)
    own = authority.public_key_of(SigningKey.generate())
    try:
        attacker.execute(
            sa.update(schema.team_authority)
            .where(schema.team_authority.c.team_id == team.team_id)
            .values(public_key=own)
        )
    finally:
        attacker.close()
    page, dialog = form(store, qtbot)
    fill(dialog, relay, team, team.safety_number)
    dialog.join_button.click()
    assert_refused_and_kept(
        page, dialog, store, team, team.safety_number, "sync.error.authority_mismatch"
    )
    assert authority.safety_number(own) != team.safety_number
