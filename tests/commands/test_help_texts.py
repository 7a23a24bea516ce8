"""Every command and option of ``sosku`` and ``sosku-server`` says in ``--help`` what it is.

QA (municipal IT role): ``sosku-server join-code create --help`` listed
``--uses USES --hours HOURS`` and nothing else, so an administrator could
not tell that a code is by default good for one laptop for 24 hours; 34
options of the two programs (``--team`` everywhere, ``--format``,
``--out``, ``sync resolve --use``…) had no help line at all.
"""

from __future__ import annotations

import argparse

import pytest

from sosku_desktop import cli
from sosku_desktop.app import all_commands
from sosku_desktop.sync.server import cli as server_cli


def _silent(parser: argparse.ArgumentParser, path: str) -> list[str]:
    found: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                if not helps.get(name):
                    found.append(f"{path} {name} (command)")
                found += _silent(sub, f"{path} {name}")
        elif isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
            continue
        elif not action.help:
            found.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
    return found


@pytest.mark.parametrize(
    ("program", "parser"),
    [
        ("sosku", lambda: cli.build_parser(list(all_commands()))),
        ("sosku-server", lambda: server_cli._parser({})),
    ],
)
def test_every_command_and_option_has_a_help_line(program: str, parser: object) -> None:
    assert _silent(parser(), program) == []  # type: ignore[operator]


def test_join_code_help_says_the_defaults() -> None:
    text = server_cli._parser({})._subparsers._group_actions[0].choices["join-code"]  # type: ignore[union-attr]
    create = text._subparsers._group_actions[0].choices["create"]  # type: ignore[union-attr]
    shown = " ".join(create.format_help().split())
    assert "default 1" in shown and "default 24" in shown
