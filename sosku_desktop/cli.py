"""Command-line parsing for ``sosku``: the GUI options and the script commands.

Kept apart from ``app.py`` so the commands can be listed and tested
without starting Qt; ``app.py`` wires each command to its room.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sosku_desktop import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sosku",
        description="Sosku Desktop – sosiaalisen kuntoutuksen työväline",
    )
    parser.add_argument("--version", action="version", version=f"sosku {__version__}")
    _data_dir(parser)
    parser.add_argument("--demo", action="store_true", help="start on a fresh demo data directory")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the main window offscreen, process events, print ok and exit",
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="DIR",
        help="write PNGs of the main views into DIR and exit",
    )
    parser.add_argument("--lang", choices=("fi", "sv", "en"), help="user interface language")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo-data", help="build the demo caseload into a new data directory")
    _data_dir(demo, required=True)

    init = sub.add_parser("init", help="create a new, empty data directory")
    _data_dir(init, required=True)
    init.add_argument("--name", required=True, help="the worker's name")
    init.add_argument(
        "--role",
        default="social_instructor",
        choices=("social_instructor", "social_worker", "other"),
    )

    check = sub.add_parser("check", help="integrity check; prints ok or what is wrong")
    _data_dir(check, required=True)

    restore = sub.add_parser("restore", help="restore the latest (or a given) backup")
    _data_dir(restore, required=True)
    restore.add_argument("--backup", type=Path, help="backup file (default: the latest)")

    backups = sub.add_parser("backups", help="list backups, newest first")
    _data_dir(backups, required=True)

    clients = sub.add_parser("clients", help="one client a line, id first")
    _data_dir(clients, required=True)
    return parser


def _data_dir(parser: argparse.ArgumentParser, required: bool = False) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        required=required,
        metavar="DIR",
        help="data directory (default: the user's data directory)",
    )
