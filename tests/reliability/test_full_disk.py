"""A disk that really fills up during a save (from a form) and during a sync.

The data directory lives on a small tmpfs; a filler file takes the rest of
it, and the writes go on until SQLite meets ENOSPC. The worker must get the
translated "disk full" message, the form must stay open with what was typed,
nothing acknowledged may be lost, and after space is freed the same save and
the same sync go through.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from sosku_desktop import i18n
from sosku_desktop.domain import codes, models
from sosku_desktop.store.database import Store
from sosku_desktop.store.errors import DiskFullError, StoreError
from sosku_desktop.store.records import open_client_record
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.messages import explain_error
from sosku_desktop.ui.dialogs.meeting_dialog import MeetingDialog
from sosku_desktop.ui.shell import errors
from tests.reliability.conftest import Mount, fill
from tests.sync.client.helpers import TeamRelay, snapshot
from tests.ui import shell_support as s

pytestmark = pytest.mark.reliability


def write_until_full(store: Store, limit: int = 5000) -> list[str]:
    """Add clients until the disk is full; returns the ids of the acknowledged ones."""
    saved: list[str] = []
    for i in range(limit):
        client = models.Client(id=new_id(), first_name=f"T{i}", last_name="Täysi", notes="x" * 2000)
        try:
            with store.write() as w:
                w.add(client)
        except DiskFullError:
            return saved
        saved.append(client.id)
    raise AssertionError("the disk never filled up")


def client_ids(store: Store) -> set[str]:
    with store.read() as r:
        return {c.id for c in r.clients()}


def test_full_disk_during_a_save_keeps_the_form_open_and_loses_nothing(
    tmp_path: Path, small_fs: Mount, qtbot: QtBot, reliability_lost: Callable[[int], None]
) -> None:
    disk = small_fs(tmp_path / "disk", 12 * 1024)
    store = s.empty_store(disk)
    client, _period = s.add_client(store, "Aino", "Korhonen", s.TODAY - timedelta(days=40))
    ctx = s.context(store)
    dialog = MeetingDialog(ctx, open_client_record(store, client.id))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.notes.setPlainText("Käytiin kaupassa; asiakas maksoi itse.")
    filler = fill(disk)
    acknowledged = write_until_full(store)
    with pytest.raises(DiskFullError) as raised:
        dialog.submit(codes.MEETING_REALISED)
    # The form stays open with what was typed, and the worker is told in plain words.
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.notes.toPlainText() == "Käytiin kaupassa; asiakas maksoi itse."
    errors.handle_exception(dialog, raised.value, "fi")
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    shown = [b.text() for b in boxes if b.isVisible()]
    assert i18n.tr("store.error.disk_full") in shown
    assert not [b for b in boxes if b.objectName() == "crashDialog" and b.isVisible()]
    for box in boxes:
        box.close()
    filler.unlink()
    assert dialog.submit(codes.MEETING_REALISED)
    with store.read() as r:
        meetings = r.list(models.Meeting)
    assert [m.notes for m in meetings] == ["Käytiin kaupassa; asiakas maksoi itse."]
    lost = len(set(acknowledged) - client_ids(store))
    reliability_lost(lost)
    assert lost == 0
    assert store.check() == []
    store.close()


def test_full_disk_during_a_sync_says_disk_full_and_the_next_sync_completes(
    team: TeamRelay, tmp_path: Path, small_fs: Mount, reliability_lost: Callable[[int], None]
) -> None:
    office = team.laptop(tmp_path, "office", push_batch=20, pull_limit=20)
    with office.store.write() as w:
        for i in range(400):
            w.add(
                models.Client(id=new_id(), first_name=f"A{i}", last_name="Synkka", notes="y" * 3000)
            )
    office.sync()
    disk = small_fs(tmp_path / "disk", 12 * 1024)
    field = team.laptop(disk, "field", push_batch=20, pull_limit=20)
    with field.store.write() as w:
        mine = w.add(models.Client(id=new_id(), first_name="Oma", last_name="Kirjaus")).id
    filler = fill(disk)
    with pytest.raises(StoreError) as raised:
        for _ in range(50):
            field.sync()
    assert isinstance(raised.value, DiskFullError)
    assert explain_error(raised.value, "sv") == i18n.tr("store.error.disk_full", "sv")
    filler.unlink()
    for _ in range(3):
        field.sync()
        office.sync()
    assert snapshot(field.store) == snapshot(office.store)
    lost = int(mine not in client_ids(office.store))
    reliability_lost(lost)
    assert lost == 0
    assert field.store.check() == []
