"""The Sync page's long states are read whole at 1024×600 and with 150 % text.

A laptop removed from the team, or a join left unfinished, has a state of
several sentences and a block of details (server, device, fingerprint, where
the keys are, last sync, unsent changes). At 1024×600 the page squeezed the
status card and cut the details off mid-line (the unsent-changes count, the
very thing a removed laptop's worker needs, was not drawn at all). A wrapped
text is whole when it is laid out as tall as its text needs at its width
(the page scrolls when they do not all fit).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import models
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.device_store import DeviceStore
from sosku_desktop.sync.protocol import REVOKED
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s
from tests.ui.layout_support import clipped_controls, cut_texts, settle, themed


@pytest.fixture
def removed(tmp_path: Path) -> Iterator[Store]:
    """A laptop removed from its team with changes it never sent."""
    store = s.empty_store(tmp_path)
    devices = DeviceStore(store)
    devices.create_identity("https://sync.example.fi", new_id(), "Sannan kone")
    devices.set_device_status(REVOKED)
    with store.write() as w:
        w.add(models.Client(id=new_id(), first_name="Riitta", last_name="Esimerkki"))
    yield store
    store.close()


@pytest.mark.parametrize(
    ("lang", "size", "scale"),
    [("fi", (1024, 600), 1.0), ("sv", (1024, 600), 1.0), ("en", (1366, 768), 1.5)],
)
def test_a_removed_laptops_state_is_read_whole(
    removed: Store, qtbot: QtBot, lang: str, size: tuple[int, int], scale: float
) -> None:
    with themed(scale):
        window = MainWindow(s.context(removed, lang), lock_minutes=240)
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        window.go("sync")
        settle(8)
        page = window.page_by_key["sync"]
        qtbot.waitUntil(lambda: bool(page.details.text()))  # type: ignore[attr-defined]
        settle(8)
        assert cut_texts(page) == []
        # Nothing done yet on the page: no empty notice box under the state.
        assert not page.result.isVisible()  # type: ignore[attr-defined]
        assert clipped_controls(page) == []
