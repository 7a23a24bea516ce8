"""``sosku sync join|status|now|conflicts|resolve`` against a real relay, in plain words."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from sosku_desktop import i18n, logfile
from sosku_desktop.app import main
from sosku_desktop.domain.models import Client
from sosku_desktop.store import meta_state
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id
from tests.sync.client.helpers import PASSPHRASE, TeamRelay
from tests.sync.server.helpers import free_port


def sosku(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def set_notes(data_dir: Path, client_id: str, text: str) -> None:
    with Store.open(data_dir, PASSPHRASE, take_backup=False) as store:
        with store.read() as r:
            client = r.get(Client, client_id)
        client.notes = text
        with store.write() as w:
            w.update(client)


def test_join_sync_and_resolve_a_conflict_from_the_command_line(
    team: TeamRelay, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = tmp_path / "cli"
    Store.create(d, PASSPHRASE).close()
    code, out, _ = sosku(
        capsys,
        "sync",
        "join",
        "--data-dir",
        d,
        "--server",
        team.server.url,
        "--team",
        team.team_id,
        "--code",
        team.code,
        "--name",
        "Komentorivi",
        "--authority",
        team.safety_number.lower(),
    )
    assert code == 0
    assert i18n.tr("sync.status.authority", number=team.safety_number) in out
    assert i18n.tr("sync.status.authority_unconfirmed") not in out
    fingerprint = re.search(r"((?:[0-9A-F]{4} ){7}[0-9A-F]{4})", out).group(1)  # type: ignore[union-attr]

    code, out, _ = sosku(capsys, "sync", "now", "--data-dir", d)
    assert code == 3 and i18n.tr("sync.state.pending_approval") in out and fingerprint in out

    with Store.open(d, PASSPHRASE, take_backup=False) as store:
        team.approve(store.device_id, fingerprint)
    other = team.laptop(tmp_path, "toinen")
    with other.store.write() as w:
        client = w.add(Client(id=new_id(), first_name="Riita", last_name="Tilanne", notes="alku"))
    other.sync()
    code, out, _ = sosku(capsys, "sync", "now", "--data-dir", d)
    assert code == 0 and i18n.tr("sync.state.up_to_date") in out

    set_notes(d, client.id, "komentoriviltä")
    with other.store.write() as w:
        w.update(Client(**{**client.__dict__, "notes": "toiselta"}))
    other.sync()
    code, out, _ = sosku(capsys, "sync", "now", "--data-dir", d)
    assert code == 0
    assert i18n.tr("sync.report.conflicts", n=1) in out

    code, out, _ = sosku(capsys, "--lang", "en", "sync", "conflicts", "--data-dir", d)
    # Named by the client and the field in the worker's language, never by a UUID.
    assert code == 0 and "Tilanne, Riita – Notes" in out and "shown" in out
    assert client.id not in out
    number = re.search(r"#(\d+)", out).group(1)  # type: ignore[union-attr]
    code, out, _ = sosku(
        capsys, "sync", "resolve", "--data-dir", d, "--conflict", number, "--use", "other"
    )
    assert code == 0
    code, out, _ = sosku(capsys, "sync", "conflicts", "--data-dir", d)
    assert i18n.tr("sync.conflicts.none") in out
    code, out, _ = sosku(capsys, "sync", "now", "--data-dir", d)
    assert code == 0
    other.sync()
    with Store.open(d, PASSPHRASE, take_backup=False) as store, store.read() as r:
        mine = r.get(Client, client.id).notes
    with other.store.read() as r:
        assert r.get(Client, client.id).notes == mine

    code, out, _ = sosku(capsys, "--lang", "sv", "sync", "status", "--data-dir", d)
    assert code == 0
    assert i18n.tr("sync.fingerprint", "sv", fingerprint=fingerprint) in out
    assert i18n.tr("sync.status.conflicts", "sv", n=0) in out


def test_sync_errors_are_plain_words_and_exit_1(
    team: TeamRelay, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = tmp_path / "yksin"
    Store.create(d, PASSPHRASE).close()
    code, _, err = sosku(capsys, "sync", "now", "--data-dir", d)
    assert code == 1 and err.strip() == i18n.tr("sync.error.not_joined")
    code, _, err = sosku(
        capsys,
        "sync",
        "join",
        "--data-dir",
        d,
        "--server",
        f"http://127.0.0.1:{free_port()}",
        "--team",
        team.team_id,
        "--code",
        team.code,
        "--name",
        "Yksin",
    )
    assert code == 1 and err.strip() == i18n.tr("sync.error.offline")
    # A mistyped address that never answered does not lock the laptop in.
    code, out, _ = sosku(
        capsys,
        "sync",
        "join",
        "--data-dir",
        d,
        "--server",
        team.server.url,
        "--team",
        team.team_id,
        "--code",
        team.code,
        "--name",
        "Yksin",
    )
    assert code == 0
    code, out, _ = sosku(capsys, "--lang", "en", "sync", "status", "--data-dir", d)
    assert code == 0 and i18n.tr("sync.state.pending_approval", "en") in out
    assert team.server.url in out


def test_join_refuses_plain_http_and_a_wrong_safety_number(
    team: TeamRelay, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = tmp_path / "varovainen"
    Store.create(d, PASSPHRASE).close()
    base = ["sync", "join", "--data-dir", d, "--team", team.team_id, "--code", team.code]
    code, _, err = sosku(capsys, *base, "--name", "V", "--server", "http://relay.example:8765")
    assert code == 1 and err.strip() == i18n.tr("sync.error.insecure_url")
    wrong = "0000 1111 2222 3333 4444 5555 6666 7777"
    code, _, err = sosku(
        capsys, *base, "--name", "V", "--server", team.server.url, "--authority", wrong
    )
    assert code == 1 and err.strip() == i18n.tr("sync.error.authority_mismatch")
    # A number of the wrong shape is a typo, said as such before the relay is asked.
    code, _, err = sosku(
        capsys, *base, "--name", "V", "--server", team.server.url, "--authority", "8DE7 12"
    )
    assert code == 2 and err.strip() == i18n.tr("sync.error.bad_safety_number")
    # The wrong number pinned nothing: the right one still works, and sync goes on.
    code, out, _ = sosku(
        capsys,
        *base,
        "--name",
        "V",
        "--server",
        team.server.url,
        "--authority",
        team.safety_number,
    )
    assert code == 0 and i18n.tr("sync.status.authority_unconfirmed") not in out


def test_sync_now_offline_says_it_in_plain_words_without_a_log_line(
    team: TeamRelay,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    laptop = team.laptop(tmp_path, "matkalla")
    with laptop.store.write() as w:  # the relay is out of reach (a train, a dead port)
        meta_state.put(w.conn, "sync.server_url", f"http://127.0.0.1:{free_port()}")
    d = laptop.store.data_dir
    laptop.close()
    # As on a terminal: no pytest handler on the root logger, so ``sosku`` sets up its own.
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    try:
        code, out, err = sosku(capsys, "sync", "now", "--data-dir", d)
    finally:
        logfile.close()
    assert code == 1 and out == ""
    assert err.strip() == i18n.tr("sync.error.offline")  # no "WARNING sosku_desktop…" beside it
    assert any("sync round failed: Offline" in line for line in logfile.last_lines(200))
