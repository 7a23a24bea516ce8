"""The administrator's commands in ``docs/deploy-server.md`` are ones that work.

An IT person follows the guide line by line. It once showed
``device approve`` without the authority key and never said how to make
that key, so the first approval failed with "this team has an authority:
pass its key file" and nothing in the guide said what that file was. This
test reads the guide's shell blocks, parses every ``relay …`` (the guide's
shorthand for ``sosku-server`` with the service's environment) with the
relay's own argument parser, and checks the order a new team needs: the
authority key is made before any device is approved, and every approval
and revocation passes it.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from sosku_desktop.sync.server import cli

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "deploy-server.md"


def _admin_commands() -> list[list[str]]:
    """Every ``relay …`` line of the guide's ``sh`` blocks, continuation lines joined."""
    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text("utf-8"), flags=re.S)
    commands: list[list[str]] = []
    for block in blocks:
        text = block.replace("\\\n", " ")
        for line in text.splitlines():
            # ``sudo cat KEY | relay device approve …``: the relay half of a pipe.
            for part in line.split("|"):
                words = shlex.split(part, comments=True)
                if words[:1] == ["relay"]:
                    commands.append(words[1:])
    return commands


def test_every_admin_command_in_the_guide_parses() -> None:
    commands = _admin_commands()
    assert commands, "the guide shows no relay commands"
    parser = cli._parser()
    for words in commands:
        parser.parse_args(["--db", "sqlite:///relay.sqlite3", *words])


def test_the_guide_makes_the_authority_key_before_approving_and_uses_it() -> None:
    commands = _admin_commands()
    kinds = [tuple(words[:2]) for words in commands]
    assert ("authority", "create") in kinds
    assert ("device", "approve") in kinds
    assert kinds.index(("authority", "create")) < kinds.index(("device", "approve"))
    for words in commands:
        if tuple(words[:2]) in {("device", "approve"), ("device", "revoke")}:
            assert "--authority-key" in words, " ".join(words)
