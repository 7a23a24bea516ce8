"""Command-line parsing for ``sosku``: the GUI options and the script commands.

Kept apart from ``app.py`` so the commands can be listed and tested
without starting Qt; the commands themselves live in ``commands/``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sosku_desktop import __version__
from sosku_desktop.commands import Command, all_commands


def build_parser(commands: list[Command] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sosku",
        description="Sosku Desktop – sosiaalisen kuntoutuksen työväline",
    )
    parser.add_argument("--version", action="version", version=f"sosku {__version__}")
    parser.add_argument("--data-dir", type=Path, metavar="DIR", help="data directory")
    parser.add_argument("--demo", action="store_true", help="start on a fresh demo data directory")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the main window offscreen on --data-dir (or the default), print ok and "
        "exit 0; exit non-zero with the reason when the data directory cannot be opened",
    )
    parser.add_argument(
        "--scratch",
        action="store_true",
        help="with --smoke-test: run on a throw-away empty store instead (checks the install only)",
    )
    parser.add_argument(
        "--screenshot", type=Path, metavar="DIR", help="write PNGs of the main views and exit"
    )
    parser.add_argument("--lang", choices=("fi", "sv", "en"), help="user interface language")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in commands if commands is not None else all_commands():
        command.configure(sub.add_parser(command.name, help=command.help))
    return parser
