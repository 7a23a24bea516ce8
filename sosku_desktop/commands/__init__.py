"""Script commands of ``sosku`` (everything but the GUI), one module per area.

Each module exposes ``COMMANDS``: a tuple of ``Command`` entries. ``cli``
builds the parser from them and ``app`` runs the chosen one, so adding a
command never means editing the composition root. Commands may use
store, documents and sync; they never import ui.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    A = TypeVar("A", bound=DataclassInstance)


@dataclass(frozen=True)
class Command:
    """One ``sosku NAME …`` command."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def typed_args(cls: type[A], args: argparse.Namespace) -> A:
    """A command's own arguments as a frozen dataclass, so their types are checked.

    argparse hands over a ``Namespace`` whose attributes are ``Any``; each
    command declares the fields it reads (names as the parser's ``dest``)
    and reads them from here instead. A field the parser does not set is a
    bug in the command and fails loudly.
    """
    return cls(**{f.name: getattr(args, f.name) for f in dataclasses.fields(cls)})


def data_dir_option(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument(
        "--data-dir", type=Path, required=required, metavar="DIR", help="data directory"
    )


def all_commands() -> list[Command]:
    """Every registered command; modules are imported here, not at package import."""
    from sosku_desktop.commands import store_commands

    modules = [store_commands]
    for optional in ("document_commands", "period_commands", "report_commands", "sync_commands"):
        try:
            module = __import__(f"sosku_desktop.commands.{optional}", fromlist=["COMMANDS"])
        except ModuleNotFoundError as exc:
            if exc.name != f"sosku_desktop.commands.{optional}":
                raise
            continue
        modules.append(module)
    return [
        dataclasses.replace(command, run=_quiet_when_the_reader_leaves(command.run))
        for module in modules
        for command in module.COMMANDS
    ]


def _quiet_when_the_reader_leaves(
    run: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    """``sosku clients … | head``: the reader closing the pipe is not an error.

    Python ignores SIGPIPE, so the next ``print`` raised BrokenPipeError and
    the worker saw a traceback (and Python another one at exit, when it
    flushed stdout again). Nothing was left to say to anybody: stdout is
    pointed at the null device, as the Python documentation advises, and
    the command ends with 1 like any other interrupted output.
    """

    @functools.wraps(run)
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except BrokenPipeError:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, sys.stdout.fileno())
            return 1

    return wrapped
