"""``sosku init`` holds a new passphrase to the same rule as the first-run dialog.

docs/security.md: at least 12 characters or four words, and zxcvbn must
not guess it within about a million tries. A script that tries a weak one
gets the plain reason and no data directory at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sosku_desktop import i18n
from sosku_desktop.app import main
from sosku_desktop.store import keys
from sosku_desktop.store.database import Store


@pytest.mark.parametrize(
    "weak", ["123456789012", "aaaaaaaaaaaa", "lyhyt", "salasana1234", "abc abc abc"]
)
def test_a_weak_new_passphrase_creates_nothing(
    weak: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(keys.PASSPHRASE_ENV, weak)
    data_dir = tmp_path / "d"
    assert main(["init", "--data-dir", str(data_dir), "--name", "Sanna"]) == 2
    assert capsys.readouterr().err.strip()
    assert not data_dir.exists()


def test_a_strong_one_makes_a_store_only_it_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    phrase = "vihreä kettu juoksee sillan yli"
    monkeypatch.setenv(keys.PASSPHRASE_ENV, phrase)
    data_dir = tmp_path / "d"
    assert main(["init", "--data-dir", str(data_dir), "--name", "Sanna"]) == 0
    assert capsys.readouterr().out.strip() == "ok"
    keys.forget_keyring_key(data_dir)
    Store.open(data_dir, phrase).close()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_script_that_gives_no_passphrase_is_told_how_to_give_one(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
) -> None:
    """No terminal and no SOSKU_PASSPHRASE: the way to give it, not "needs 12 characters"."""
    monkeypatch.delenv(keys.PASSPHRASE_ENV, raising=False)
    data_dir = tmp_path / "d"
    assert main(["--lang", lang, "init", "--data-dir", str(data_dir), "--name", "Sanna"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == i18n.tr("cli.passphrase_how", lang, env=keys.PASSPHRASE_ENV)
    assert not data_dir.exists()
