"""A join the relay refused (wrong or expired code, relay down) is not "waiting for approval".

A new worker types the join code wrong, or IT's code has expired. The keys
are made before the relay is asked (so an interrupted join can be run
again), but the relay never enrolled the device: telling the worker to have
the administrator compare a fingerprint and approve would send both after a
device the relay does not have. The state says the join did not finish and
the way on is joining again; the retry enrols the name typed then.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from sosku_desktop import i18n
from sosku_desktop.app import main
from sosku_desktop.operations.sync import join_team
from sosku_desktop.store.database import Store
from sosku_desktop.sync.client import SyncClient, SyncState
from sosku_desktop.sync.transport import Offline, Unauthorized
from tests.sync.client.helpers import PASSPHRASE, TeamRelay, admin, quick_transport
from tests.sync.server.helpers import free_port

WRONG_CODE = "AAAA-BBBB-CCCC-DDDD"


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def roster_names(team: TeamRelay) -> str:
    return admin(team.server.db_url, "device", "list", "--team", team.team_id)


def test_a_refused_code_leaves_the_join_unfinished_and_the_retry_enrols_the_new_name(
    team: TeamRelay, tmp_path: Path
) -> None:
    store = Store.create(tmp_path / "uusi", PASSPHRASE)
    try:
        client = SyncClient(store, quick_transport)
        with pytest.raises(Unauthorized):
            client.join(team.server.url, team.team_id, WRONG_CODE, "vanha nimi", team.safety_number)
        status = client.status()
        assert status.state == SyncState.JOIN_UNFINISHED
        assert "vanha nimi" not in roster_names(team)  # the relay has no such device

        fingerprint = client.join(
            team.server.url, team.team_id, team.code, "Sannan kone", team.safety_number
        )
        status = client.status()
        assert status.state == SyncState.PENDING_APPROVAL
        assert status.fingerprint == fingerprint
        assert status.device_name == "Sannan kone" and "Sannan kone" in roster_names(team)
    finally:
        store.close()


def test_a_relay_that_does_not_answer_leaves_the_join_unfinished(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "uusi", PASSPHRASE)
    try:
        client = SyncClient(store, quick_transport)
        down = f"http://127.0.0.1:{free_port()}"
        with pytest.raises(Offline):
            client.join(down, "0190a4c2-7c55-7d4e-9a2b-3f1e2d3c4b5a", WRONG_CODE, "kone")
        assert client.status().state == SyncState.JOIN_UNFINISHED
    finally:
        store.close()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_sync_status_after_a_refused_code_says_to_join_again(
    team: TeamRelay, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    d = tmp_path / "cli"
    Store.create(d, PASSPHRASE).close()
    joining = ("--server", team.server.url, "--team", team.team_id, "--name", "kone")
    code, _, err = run(
        capsys, "--lang", lang, "sync", "join", "--data-dir", d, *joining, "--code", WRONG_CODE
    )
    assert code == 1 and err.strip() == i18n.tr("sync.error.unauthorized", lang)
    code, out, _ = run(capsys, "--lang", lang, "sync", "status", "--data-dir", d)
    assert code == 0
    assert i18n.tr("sync.state.join_unfinished", lang) in out
    assert i18n.tr("sync.state.pending_approval", lang) not in out
    # `sync now` cannot sync an unfinished join: it says so, not "waiting for approval".
    code, out, err = run(capsys, "--lang", lang, "sync", "now", "--data-dir", d)
    assert code == 1 and i18n.tr("sync.state.pending_approval", lang) not in out + err


def test_a_refused_join_leaves_a_line_for_support_without_the_code_or_name(
    team: TeamRelay, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Support reads the log: a join that failed said nothing there at all."""
    store = Store.create(tmp_path / "uusi", PASSPHRASE)
    try:
        client = SyncClient(store, quick_transport)
        with caplog.at_level(logging.INFO), pytest.raises(Unauthorized):
            join_team(client, team.server.url, team.team_id, WRONG_CODE, "Sannan kone")
        failed = [r for r in caplog.records if r.getMessage() == "join failed: Unauthorized"]
        assert failed and failed[0].levelno == logging.WARNING
        with caplog.at_level(logging.INFO):
            join_team(client, team.server.url, team.team_id, team.code, "Sannan kone")
        assert any(r.getMessage() == "join sent: pending approval" for r in caplog.records)
        logged = " ".join(r.getMessage() for r in caplog.records)
        assert WRONG_CODE not in logged and team.code not in logged and "Sannan" not in logged
    finally:
        store.close()
