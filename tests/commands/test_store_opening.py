"""Every command that opens the data directory finds the key the same way.

One store made by ``sosku demo-data`` (no keyring, as on a headless or a
kiosk machine), then each store-opening command run as a subprocess three
ways: with ``SOSKU_PASSPHRASE``; with the passphrase typed on the terminal
while stdin is a pipe (the ``sosku clients | while read id …`` loop, where
``document`` used to say "key not found" after ``clients`` had worked);
and with neither, where every command fails the same way and says how to
give the passphrase.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sosku_desktop import i18n

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSPHRASE = "demo"
#: A hang guard only (a prompt that never comes); nothing is measured against it.
HANG_GUARD_S = 300


def _env(passphrase: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SOSKU_PASSPHRASE"}
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # no keyring at all
    if passphrase is not None:
        env["SOSKU_PASSPHRASE"] = passphrase
    return env


def sosku(*args: str, passphrase: str | None = None) -> subprocess.CompletedProcess[str]:
    """``sosku ARGS`` with stdin a pipe and no terminal (as in CI or cron)."""
    return subprocess.run(
        [sys.executable, "-m", "sosku_desktop.app", *args],
        input="",
        capture_output=True,
        text=True,
        env=_env(passphrase),
        cwd=ROOT,
        start_new_session=True,  # no controlling terminal, even when pytest has one
    )


def _on_terminal(args: list[str], typed: str) -> tuple[int, str]:
    """Run with a pseudo-terminal as controlling terminal but stdin a pipe; type at the prompt.

    The passphrase is written only once the prompt has appeared: getpass
    flushes pending terminal input when it turns echo off. This side keeps
    the terminal's other end open, so reading it never fails in between.
    """
    master, slave = os.openpty()
    slave_name = os.ttyname(slave)
    pipe_out, pipe_in = os.pipe()
    os.close(pipe_in)  # stdin: an empty pipe, as at the end of ``… | while read``

    def take_terminal() -> None:
        os.setsid()
        os.close(os.open(slave_name, os.O_RDWR))  # the first tty opened becomes the controlling one

    proc = subprocess.Popen(
        [sys.executable, "-m", "sosku_desktop.app", *args],
        stdin=pipe_out,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(None),
        cwd=ROOT,
        preexec_fn=take_terminal,
    )
    os.close(pipe_out)
    seen = b""
    try:
        while b":" not in seen and proc.poll() is None:
            ready, _, _ = select.select([master], [], [], 1)  # 1 s: how often to see if it ended
            if ready:
                seen += os.read(master, 1024)
        if b":" in seen:
            os.write(master, typed.encode() + b"\n")
        _, err = proc.communicate(timeout=HANG_GUARD_S)
    finally:
        os.close(master)
        os.close(slave)
    return proc.returncode, seen.decode(errors="replace") + err.decode(errors="replace")


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, str]]:
    """The demo store, its first client's id and what ``demo-data`` printed."""
    data_dir = tmp_path_factory.mktemp("opening") / "D"
    made = sosku("demo-data", "--data-dir", str(data_dir))
    assert made.returncode == 0, made.stderr
    listed = sosku("clients", "--data-dir", str(data_dir), passphrase=DEMO_PASSPHRASE)
    assert listed.returncode == 0, listed.stderr
    yield data_dir, listed.stdout.split("\t", 1)[0], made.stdout


def test_demo_data_says_the_passphrase_when_there_is_no_keyring(
    demo_store: tuple[Path, str, str],
) -> None:
    printed = demo_store[2]
    assert "”demo”" in printed and "SOSKU_PASSPHRASE" in printed


def _commands(data_dir: Path, client: str, out: Path) -> dict[str, list[str]]:
    """Every command that opens the store, with the arguments it needs."""
    d = ["--data-dir", str(data_dir)]
    return {
        "clients": ["clients", *d],
        "check": ["check", *d],
        "backups": ["backups", *d],
        "meetings": ["meetings", *d, "--client", client],
        "calendar": ["calendar", "export", *d, "--out", str(out / "c.ics")],
        "document": ["document", "agreement", *d, "--client", client, "--out", str(out / "a.pdf")],
        "report": ["report", "team", *d, "--format", "csv", "--out", str(out / "t.csv")],
        "sync": ["sync", "status", *d],
        "restore": ["restore", *d],  # last: it replaces the database with the newest backup
    }


def test_every_command_opens_the_demo_store_the_same_way(
    demo_store: tuple[Path, str, str], tmp_path: Path
) -> None:
    data_dir, client, _ = demo_store
    commands = _commands(data_dir, client, tmp_path)
    failures = {}
    for name, args in commands.items():
        with_env = sosku(*args, passphrase=DEMO_PASSPHRASE)
        if with_env.returncode != 0:
            failures[f"{name} with SOSKU_PASSPHRASE"] = with_env.stderr
        code, output = _on_terminal(args, DEMO_PASSPHRASE)
        if code != 0:
            failures[f"{name} typed on the terminal, stdin a pipe"] = output
    assert failures == {}
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")


def test_without_a_passphrase_every_command_says_how_to_give_it(
    demo_store: tuple[Path, str, str], tmp_path: Path
) -> None:
    data_dir, client, _ = demo_store
    answers = {}
    for name, args in _commands(data_dir, client, tmp_path).items():
        done = sosku(*args)
        answers[name] = (done.returncode, done.stderr.strip().splitlines()[-1])
    expected = (
        2,
        "Tietokannan avainta ei löytynyt. Anna tunnuslause. Komento kysyy tunnuslauseen"
        " päätteessä; skriptissä anna se muuttujassa SOSKU_PASSPHRASE.",
    )
    assert answers == dict.fromkeys(answers, expected)
    wrong = sosku(*_commands(data_dir, client, tmp_path)["document"], passphrase="väärä")
    assert wrong.returncode == 2 and "SOSKU_PASSPHRASE" in wrong.stderr


def test_the_passphrase_is_asked_in_the_commands_language(
    demo_store: tuple[Path, str, str],
) -> None:
    """``--lang sv`` asks in Swedish (the prompt was Finnish whatever the command's language)."""
    data_dir = demo_store[0]
    asked = {}
    for lang in ("fi", "sv", "en"):
        code, output = _on_terminal(
            ["--lang", lang, "clients", "--data-dir", str(data_dir)], DEMO_PASSPHRASE
        )
        assert code == 0, output
        asked[lang] = output.split(":", 1)[0].strip()
    expected = {lang: i18n.tr("cli.passphrase", lang) for lang in asked}
    assert asked == expected and len(set(asked.values())) == 3
