"""``sosku-server`` typed wrong by an administrator: one plain line, never a traceback.

QA (municipal IT role, session 21) found tracebacks for ``--log-level
debugg``, ``serve --port 99999``, ``join-code create --hours 1e308`` or
``--uses`` beyond 64 bits, and ``authority create --key-file`` in a missing
folder; ``serve`` and ``check-config`` accepted ``nan`` deadlines; a team
could be named "" or carry control characters. Each case runs the real
command in its own process, as an administrator would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sync.server.helpers import admin, free_port


def sosku_server(db: str, *args: str) -> tuple[int, str]:
    """The console script's code in a process of its own; exit code and all it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "sosku_desktop.sync.server.cli", "--db", db, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, SOSKU_SERVER_LOG="INFO"),
    )
    return done.returncode, done.stdout + done.stderr


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'relay.sqlite3'}"


def _plain(code: int, text: str, *words: str) -> None:
    assert code in (1, 2), text
    assert "Traceback" not in text and "Error:" not in text, text
    for word in words:
        assert word in text, text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--log-level", "debugg", "status", "--team", "t"), ("--log-level",)),
        (("--log-level", "debugg", "serve"), ("--log-level",)),
        # Named as the administrator wrote them (here: flags; from relay.env: the variables).
        (("serve", "--port", "99999"), ("--port: 99999",)),
        (("serve", "--header-timeout", "nan"), ("--header-timeout",)),
        (("serve", "--body-timeout", "inf"), ("--body-timeout",)),
        (("serve", "--join-window", "-1"), ("--join-window",)),
        (("check-config", "--header-timeout", "nan"), ("--header-timeout",)),
    ],
)
def test_bad_settings_are_one_plain_line(
    db: str, args: tuple[str, ...], words: tuple[str, ...]
) -> None:
    if "serve" in args and "--port" not in args:  # were it to start, not on a used port
        args = (*args, "--port", str(free_port()))
    code, text = sosku_server(db, *args)
    _plain(code, text, *words)


@pytest.mark.parametrize(
    ("uses", "hours"),
    [("1", "1e308"), ("1", "nan"), ("1", "inf"), ("99999999999999999999999", "24"), ("0", "1")],
)
def test_join_code_limits_are_plain_words(db: str, uses: str, hours: str) -> None:
    team = admin(db, "team", "create", "North")
    code, text = sosku_server(
        db, "join-code", "create", "--team", team, "--uses", uses, "--hours", hours
    )
    _plain(code, text, "join code")
    assert admin(db, "join-code", "create", "--team", team, "--uses", "5", "--hours", "48")


@pytest.mark.parametrize("name", ["", "   ", "North\x1b[2J", "x" * 500])
def test_team_names_must_be_printable_text(db: str, name: str) -> None:
    code, text = sosku_server(db, "team", "create", name)
    _plain(code, text, "team name")


def test_authority_key_file_in_a_missing_folder(db: str, tmp_path: Path) -> None:
    team = admin(db, "team", "create", "North")
    target = tmp_path / "no" / "such" / "authority.key"
    code, text = sosku_server(db, "authority", "create", "--team", team, "--key-file", str(target))
    _plain(code, text, str(target))
    assert not target.exists()
    key = tmp_path / "authority.key"
    code, text = sosku_server(db, "authority", "create", "--team", team, "--key-file", str(key))
    assert code == 0 and "team safety number" in text
