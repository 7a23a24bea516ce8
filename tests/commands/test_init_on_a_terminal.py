"""``sosku init`` at a terminal asks the new passphrase twice.

QA (new instructor, IT setting up a laptop by hand): the hidden prompt
asked the new passphrase once. One typo there and the folder opens with a
passphrase nobody knows — there is no recovery. Now a second prompt must
match, as in the first-run dialog; a mismatch makes nothing. The prompts are in
the --lang language (they were always Finnish). Driven through
a real pseudo-terminal (getpass reads /dev/tty, not stdin).
"""

from __future__ import annotations

import os
import pty
import select
import sys
import time
from pathlib import Path

import pytest

from sosku_desktop import i18n

ROOT = Path(__file__).resolve().parents[2]
GOOD = "vihrea kettu juoksee sillan yli"


def _read_until(fd: int, needle: str, seconds: float = 60.0) -> str:
    seen = b""
    end = time.monotonic() + seconds
    while needle.encode() not in seen and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen.decode("utf-8", "replace")


def _init_at_a_terminal(data_dir: Path, first: str, second: str, lang: str) -> tuple[int, str]:
    pid, fd = pty.fork()
    if pid == 0:  # the child: sosku on the pseudo-terminal
        env = {k: v for k, v in os.environ.items() if k != "SOSKU_PASSPHRASE"}
        env |= {"PYTHONPATH": str(ROOT), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
        args = ["-m", "sosku_desktop.app", "--lang", lang, "init", "--data-dir", str(data_dir)]
        os.execve(sys.executable, [sys.executable, *args, "--name", "Sanna"], env)
    # Each answer only once its whole prompt is shown: getpass flushes typed-ahead input.
    said = _read_until(fd, i18n.tr("cli.new_passphrase", lang) + ": ")
    os.write(fd, first.encode() + b"\n")
    said += _read_until(fd, i18n.tr("cli.repeat_passphrase", lang) + ": ")
    os.write(fd, second.encode() + b"\n")
    said += _read_until(fd, "never printed: read until sosku exits")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), said


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_two_different_new_passphrases_make_nothing(tmp_path: Path, lang: str) -> None:
    data_dir = tmp_path / "d"
    code, said = _init_at_a_terminal(data_dir, GOOD, GOOD + "x", lang)
    assert code == 2, said
    assert i18n.tr("passphrase.repeat_differs", lang) in said
    assert not data_dir.exists()


def test_the_same_passphrase_twice_makes_the_folder(tmp_path: Path) -> None:
    data_dir = tmp_path / "d"
    code, said = _init_at_a_terminal(data_dir, GOOD, GOOD, "fi")
    assert code == 0, said
    assert (data_dir / "key.json").exists()
