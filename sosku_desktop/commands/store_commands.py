"""Data-directory commands: demo data, init, check, backups, restore, clients."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from sosku_desktop import i18n
from sosku_desktop.commands import Command, data_dir_option, typed_args
from sosku_desktop.commands.common import (
    PassphrasesDiffer,
    ask_new_passphrase,
    command_line,
    load_key,
    open_store,
)
from sosku_desktop.domain import codes
from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.domain.passphrase import passphrase_problem, strength_key
from sosku_desktop.operations.setup import create_data_directory
from sosku_desktop.store import backup, keys
from sosku_desktop.store.errors import CorruptDatabaseError


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


def _lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or i18n.DEFAULT_LANGUAGE


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
    if not store.key_source.keyring_available and passphrase == DEMO_PASSPHRASE:
        # Without a keyring every later command needs the passphrase: say which.
        print(i18n.tr("cli.demo_passphrase", passphrase=DEMO_PASSPHRASE, env=keys.PASSPHRASE_ENV))
    return 0


def configure_init(parser: argparse.ArgumentParser) -> None:
    data_dir_option(parser)
    parser.add_argument("--name", required=True, help="the worker's name")
    parser.add_argument(
        "--role",
        default=codes.ROLE_SOCIAL_INSTRUCTOR,
        choices=codes.ROLES,
        help="the worker's role (default social_instructor)",
    )


def run_init(args: argparse.Namespace) -> int:
    a = typed_args(InitArgs, args)
    lang = _lang(args)
    try:
        passphrase = ask_new_passphrase(lang)
    except PassphrasesDiffer:
        print(i18n.tr("passphrase.repeat_differs", lang), file=sys.stderr)
        return 2
    if passphrase is None:  # a script without SOSKU_PASSPHRASE: how to give it, not its rule
        print(i18n.tr("cli.passphrase_how", lang, env=keys.PASSPHRASE_ENV), file=sys.stderr)
        return 2
    problem = passphrase_problem(passphrase)
    if problem is not None:
        print(i18n.tr(problem, lang), file=sys.stderr)
        return 2
    print(i18n.tr(strength_key(passphrase), lang), file=sys.stderr)
    try:
        store = create_data_directory(a.data_dir, passphrase, a.name, a.role)
    except ValidationError as error:
        for problem_ in error.problems:
            text = i18n.tr(problem_.message_key, lang, **problem_.params)
            print(text, file=sys.stderr)
        return 2
    store.close()
    print("ok")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Check first; only a file that passed is backed up (a verified copy)."""
    lang = _lang(args)
    store = open_store(args.data_dir, take_backup=False, lang=lang)
    try:
        problems = store.check()
    except CorruptDatabaseError as error:
        problems = [i18n.tr(error.message_key, lang)]
    finally:
        store.close()
    for problem in problems:
        print(problem)
    if problems:
        text = i18n.tr(
            "store.backup.not_taken_damaged",
            lang,
            backups=command_line("backups", args.data_dir),
            restore=command_line("restore", args.data_dir),
        )
        print(text, file=sys.stderr)
        return 1
    outcome = backup.take_backup(args.data_dir, store.key_source.key)
    _warn(outcome, lang)
    print("ok")
    return 0


def _warn(outcome: backup.BackupOutcome, lang: str) -> None:
    if outcome.warning_key is not None:
        print(i18n.tr(outcome.warning_key, lang, folder=str(outcome.folder)), file=sys.stderr)


def configure_restore(parser: argparse.ArgumentParser) -> None:
    data_dir_option(parser)
    parser.add_argument("--backup", type=Path, help="backup file (default: the newest good one)")


def _print_backups(infos: list[backup.BackupInfo], lang: str) -> None:
    for info in infos:
        state = i18n.tr(f"store.backup.state.{info.state}", lang)
        when = i18n.format_datetime(info.taken_at, lang)
        size = i18n.format_number(round(info.size / 1_048_576, 1), lang)
        print(f"{when}\t{state}\t{size} MiB\t{info.path}")


def run_restore(args: argparse.Namespace) -> int:
    """List the backups with date and state, then restore the newest good one (or ``--backup``)."""
    lang = _lang(args)
    source = load_key(args.data_dir, lang)
    infos = backup.describe_backups(args.data_dir, source.key)
    _print_backups(infos, lang)
    if args.backup is not None and not backup.verify_backup(args.backup, source.key):
        # Missing (a typo), empty, damaged or not this folder's: nothing is replaced.
        listing = command_line("backups", args.data_dir)
        text = i18n.tr("cli.backup_not_usable", lang, file=str(args.backup), backups=listing)
        print(text, file=sys.stderr)
        return 2
    chosen = args.backup or next((i.path for i in infos if i.state == backup.GOOD), None)
    if chosen is None:
        print(i18n.tr("store.backup.none_good", lang), file=sys.stderr)
        return 1
    aside = backup.restore_backup(args.data_dir, source.key, chosen)
    when = i18n.format_datetime(backup.taken_at(chosen), lang)
    print(i18n.tr("store.backup.restored_from", lang, when=when))
    print(i18n.tr("cli.restored", lang, aside=str(aside)))
    return 0


def run_backups(args: argparse.Namespace) -> int:
    lang = _lang(args)
    source = load_key(args.data_dir, lang)
    _print_backups(backup.describe_backups(args.data_dir, source.key), lang)
    return 0


def run_clients(args: argparse.Namespace) -> int:
    a = typed_args(DataDirArgs, args)
    store = open_store(a.data_dir, lang=_lang(args))
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
    Command(
        "restore",
        "list backups and restore the newest good one (or --backup FILE)",
        configure_restore,
        run_restore,
    ),
    Command(
        "backups", "list backups with date and state, newest first", data_dir_option, run_backups
    ),
    Command("clients", "one client a line, id first", data_dir_option, run_clients),
)
