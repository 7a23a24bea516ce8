"""Typed command arguments: what a command reads is declared, and a missing one is a bug."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import pytest

from sosku_desktop.cli import build_parser
from sosku_desktop.commands import typed_args
from sosku_desktop.commands.report_commands import TeamReportArgs
from sosku_desktop.commands.store_commands import InitArgs


def test_the_real_parser_fills_each_commands_dataclass() -> None:
    args = build_parser().parse_args(
        ["report", "team", "--data-dir", "d", "--format", "csv", "--out", "o.csv"]
    )
    team = typed_args(TeamReportArgs, args)
    assert team.data_dir == Path("d") and team.out == Path("o.csv")
    assert team.include_clients and team.first_month is None and team.today is None

    parsed = build_parser().parse_args(["init", "--data-dir", "d", "--name", "S"])
    init = typed_args(InitArgs, parsed)
    assert (init.name, init.role) == ("S", "social_instructor")


def test_a_field_the_parser_does_not_set_fails_loudly() -> None:
    @dataclass(frozen=True)
    class Wrong:
        data_dir: Path
        nonexistent: int

    with pytest.raises(AttributeError):
        typed_args(Wrong, argparse.Namespace(data_dir=Path("d")))
