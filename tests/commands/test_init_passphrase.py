"""``sosku init`` holds a new passphrase to the same rule as the first-run dialog.

docs/security.md: at least 12 characters or four words, and zxcvbn must
not guess it within about a million tries. A script that tries a weak one
gets the plain reason and no data directory at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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
