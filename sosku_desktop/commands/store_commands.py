"""Data-directory commands: demo data, init, check, backups, restore, clients."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from sosku_desktop import i18n
from sosku_desktop.commands import Command, data_dir_option, typed_args
from sosku_desktop.commands.common import ask_passphrase, open_store
from sosku_desktop.domain import codes
from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.operations.setup import create_data_directory
from sosku_desktop.store import backup, keys


@dataclass(frozen=True)
class DataDirArgs:
    data_dir: Path


@dataclass(frozen=True)
class DemoArgs:
    data_dir: Path
    clients: int | None


@dataclass(frozen=True)
class InitArgs:
    data_dir: Path
    name: str
    role: str


@dataclass(frozen=True)
class RestoreArgs:
    data_dir: Path
    backup: Path | None


def configure_demo_data(parser: argparse.ArgumentParser) -> None:
    data_dir_option(parser)
    parser.add_argument(
        "--clients",
        type=int,
        metavar="N",
        help="a generated team caseload of N clients (ten years of history) instead of the demo",
    )


def run_demo_data(args: argparse.Namespace) -> int:
    a = typed_args(DemoArgs, args)
    from sosku_desktop.store.demo import DEMO_PASSPHRASE, build_demo

    passphrase = os.environ.get(keys.PASSPHRASE_ENV) or DEMO_PASSPHRASE
    if a.clients is not None:
        if a.clients < 1:
            print(i18n.tr("cli.clients_at_least_one"), file=sys.stderr)
            return 2
        from sosku_desktop.store.caseload import build_caseload

        def progress(done: int, total: int) -> None:
            print(i18n.tr("cli.caseload_progress", done=done, total=total), flush=True)

        store = build_caseload(a.data_dir, a.clients, passphrase, progress=progress)
    else:
        store = build_demo(a.data_dir, passphrase)
    with store.read() as r:
        count = len(r.clients())
    store.close()
    print(i18n.tr("cli.demo_ready", count=count, path=str(a.data_dir)))
    return 0


def configure_init(parser: argparse.ArgumentParser) -> None:
    data_dir_option(parser)
    parser.add_argument("--name", required=True, help="the worker's name")
    parser.add_argument("--role", default=codes.ROLE_SOCIAL_INSTRUCTOR, choices=codes.ROLES)


def run_init(args: argparse.Namespace) -> int:
    a = typed_args(InitArgs, args)
    passphrase = ask_passphrase("cli.new_passphrase")
    if not passphrase or len(passphrase) < keys.MIN_PASSPHRASE_LENGTH:
        print(i18n.tr("cli.passphrase_too_short", n=keys.MIN_PASSPHRASE_LENGTH), file=sys.stderr)
        return 2
    try:
        store = create_data_directory(a.data_dir, passphrase, a.name, a.role)
    except ValidationError as error:
        for problem in error.problems:
            text = i18n.tr(problem.message_key, i18n.DEFAULT_LANGUAGE, **problem.params)
            print(text, file=sys.stderr)
        return 2
    store.close()
    print("ok")
    return 0


def run_check(args: argparse.Namespace) -> int:
    a = typed_args(DataDirArgs, args)
    store = open_store(a.data_dir)
    try:
        problems = store.check()
    finally:
        store.close()
    for problem in problems:
        print(problem)
    if not problems:
        print("ok")
    return 1 if problems else 0


def configure_restore(parser: argparse.ArgumentParser) -> None:
    data_dir_option(parser)
    parser.add_argument(
        "--backup",
        type=Path,
        help="backup file (default: the latest)",
    )


def run_restore(args: argparse.Namespace) -> int:
    a = typed_args(RestoreArgs, args)
    source = keys.load_key(a.data_dir, ask_passphrase())
    aside = backup.restore_backup(a.data_dir, source.key, a.backup)
    print(i18n.tr("cli.restored", aside=str(aside)))
    return 0


def run_backups(args: argparse.Namespace) -> int:
    a = typed_args(DataDirArgs, args)
    for path in backup.list_backups(a.data_dir):
        print(path)
    return 0


def run_clients(args: argparse.Namespace) -> int:
    a = typed_args(DataDirArgs, args)
    store = open_store(a.data_dir)
    try:
        with store.read() as r:
            for client in r.clients():
                print(f"{client.id}\t{client.last_name}, {client.first_name}")
    finally:
        store.close()
    return 0


COMMANDS = (
    Command(
        "demo-data",
        "build the demo caseload (or --clients N generated ones) into a new data directory",
        configure_demo_data,
        run_demo_data,
    ),
    Command("init", "create a new, empty data directory", configure_init, run_init),
    Command("check", "integrity check; prints ok or what is wrong", data_dir_option, run_check),
    Command("restore", "restore the latest (or a given) backup", configure_restore, run_restore),
    Command("backups", "list backups, newest first", data_dir_option, run_backups),
    Command("clients", "one client a line, id first", data_dir_option, run_clients),
)
