"""A failed round is shown as failed, in plain words, until a round succeeds.

Before, ``sosku sync status`` and the Sync page read "Ajan tasalla" after a
round that failed (relay offline, disk full, a restored laptop stopped).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sosku_desktop import i18n
from sosku_desktop.app import main
from sosku_desktop.domain.models import Client
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.client import SyncClient, SyncState
from sosku_desktop.sync.transport import Offline, SyncTransport
from tests.sync.client.helpers import PASSPHRASE, TeamRelay, quick_transport
from tests.sync.server.helpers import free_port


def sosku_status(capsys: pytest.CaptureFixture[str], data_dir: Path) -> str:
    assert main(["sync", "status", "--data-dir", str(data_dir)]) == 0
    return capsys.readouterr().out


def test_status_says_the_last_round_failed_until_one_succeeds(
    team: TeamRelay, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = team.laptop(tmp_path, "a")
    a.sync()
    assert a.client.status().state == SyncState.UP_TO_DATE
    dead = free_port()

    def unreachable(_url: str, team_id: str, device: str, keys: Any) -> SyncTransport:
        return SyncTransport(f"http://127.0.0.1:{dead}", team_id, device, keys, timeout=2)

    with pytest.raises(Offline):
        SyncClient(a.store, unreachable).sync_once()

    status = a.client.status()
    assert status.state == SyncState.ROUND_FAILED
    assert status.last_failure is not None and status.last_failure.key == "sync.error.offline"
    with a.store.write() as w:  # a change waiting does not hide the failure either
        w.add(Client(id=new_id(), first_name="Odottaa", last_name="K"))
    assert a.client.status().state == SyncState.ROUND_FAILED
    data_dir = a.store.data_dir
    a.store.close()
    out = sosku_status(capsys, data_dir)
    assert i18n.tr("sync.state.round_failed") in out
    assert i18n.tr("sync.error.offline") in out
    assert i18n.tr("sync.state.up_to_date") not in out

    a.store = Store.open(data_dir, PASSPHRASE, take_backup=False)
    a.client = SyncClient(a.store, quick_transport)
    a.sync()
    assert a.client.status().state == SyncState.UP_TO_DATE
    assert a.client.status().last_failure is None
    a.store.close()
    out = sosku_status(capsys, data_dir)
    assert i18n.tr("sync.state.up_to_date") in out
    assert i18n.tr("sync.error.offline") not in out
    a.store = Store.open(data_dir, PASSPHRASE, take_backup=False)
