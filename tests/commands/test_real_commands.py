"""Messages that tell the worker a command give the real one, with their folder, ready to run.

QA found ``sosku check`` saying "näet komennolla: sosku restore --data-dir
KANSIO": a placeholder to fill in (and the listing command is ``sosku
backups``). The damaged-check message itself is exercised on a really
damaged file in ``tests/reliability/test_store_probes.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sosku_desktop import i18n
from sosku_desktop.app import explain, main
from sosku_desktop.commands.common import command_line
from sosku_desktop.store import keys
from sosku_desktop.store.database import Store
from sosku_desktop.store.errors import CorruptDatabaseError

PASSPHRASE = "oikea hevonen patteri niitti"


def test_a_folder_with_a_space_is_quoted_for_the_shell() -> None:
    assert command_line("backups", Path("/home/sanna/Sosku data")) == (
        "sosku backups --data-dir '/home/sanna/Sosku data'"
    )
    assert command_line("restore", Path("/srv/d")) == "sosku restore --data-dir /srv/d"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_damaged_database_names_the_restore_command_with_the_folder(lang: str) -> None:
    error = CorruptDatabaseError("damaged", Path("/srv/d/backups/sosku-1.db"))
    text = explain(error, lang, Path("/srv/my data"))
    assert "sosku restore --data-dir '/srv/my data'" in text
    assert not any(word in text for word in ("KANSIO", "MAPP", " DIR"))


def test_an_unknown_client_names_the_listing_command_with_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "d"
    Store.create(data_dir, PASSPHRASE).close()
    monkeypatch.setenv(keys.PASSPHRASE_ENV, PASSPHRASE)
    code = main(
        ["document", "access-export", "--data-dir", str(data_dir), "--client", "nobody",
         "--out", str(tmp_path / "x.pdf")]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == i18n.tr(
        "cli.client_not_found", clients=f"sosku clients --data-dir {data_dir}"
    )
    code = main(
        ["document", "visit-entry", "--data-dir", str(data_dir), "--client", "c1",
         "--meeting", "nowhere", "--out", str(tmp_path / "x.pdf")]
    )  # fmt: skip
    meetings = f"sosku meetings --data-dir {data_dir} --client c1"
    assert code == 2
    assert capsys.readouterr().err.strip() == i18n.tr("cli.meeting_not_found", meetings=meetings)
