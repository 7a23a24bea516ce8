"""Composition root: settings, store, documents, sync and UI are wired here.

This is the only module outside ``ui/`` that imports the UI, and it does so
lazily, so script commands (``sosku check``, ``sosku clients`` …) never
load Qt.
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from platformdirs import user_data_dir

from sosku_desktop import i18n
from sosku_desktop.cli import build_parser
from sosku_desktop.domain import models
from sosku_desktop.store import backup, keys
from sosku_desktop.store.database import Store
from sosku_desktop.store.errors import CorruptDatabaseError, MissingKeyError, StoreError
from sosku_desktop.store.writer import new_id

log = logging.getLogger("sosku")


def default_data_dir() -> Path:
    return Path(os.environ.get("SOSKU_DATA_DIR") or user_data_dir("sosku-desktop", "Sosku"))


def ask_passphrase(prompt_key: str = "cli.passphrase") -> str | None:
    """The passphrase from ``SOSKU_PASSPHRASE`` or, on a terminal, a hidden prompt."""
    value = os.environ.get(keys.PASSPHRASE_ENV)
    if value:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(i18n.tr(prompt_key) + ": ")
    return None


def open_store(data_dir: Path) -> Store:
    """Open with the keyring, else the passphrase (env or prompt)."""
    try:
        return Store.open(data_dir)
    except MissingKeyError:
        if not keys.has_key_file(data_dir):
            raise
        passphrase = ask_passphrase()
        if not passphrase:
            raise
        return Store.open(data_dir, passphrase)


def explain(error: StoreError, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A plain-language sentence for an environment error (no client data in it)."""
    text = i18n.tr(error.message_key, lang)
    if isinstance(error, CorruptDatabaseError) and error.latest_backup is not None:
        text += " " + i18n.tr("store.error.corrupt_has_backup", lang)
    return text


# --- commands ---------------------------------------------------------------------------


def cmd_demo_data(args: object) -> int:
    from sosku_desktop.store.demo import DEMO_PASSPHRASE, build_demo

    data_dir: Path = args.data_dir  # type: ignore[attr-defined]
    passphrase = os.environ.get(keys.PASSPHRASE_ENV) or DEMO_PASSPHRASE
    store = build_demo(data_dir, passphrase)
    with store.read() as r:
        count = len(r.clients())
    store.close()
    print(i18n.tr("cli.demo_ready", count=count, path=str(data_dir)))
    return 0


def cmd_init(args: object) -> int:
    data_dir: Path = args.data_dir  # type: ignore[attr-defined]
    passphrase = ask_passphrase("cli.new_passphrase")
    if not passphrase or len(passphrase) < keys.MIN_PASSPHRASE_LENGTH:
        print(i18n.tr("cli.passphrase_too_short", n=keys.MIN_PASSPHRASE_LENGTH), file=sys.stderr)
        return 2
    store = Store.create(data_dir, passphrase)
    worker = models.Worker(id=new_id(), name=args.name, role=args.role)  # type: ignore[attr-defined]
    with store.write() as w:
        w.add(worker)
    store.set_current_worker(worker.id)
    store.close()
    print("ok")
    return 0


def cmd_check(args: object) -> int:
    store = open_store(args.data_dir)  # type: ignore[attr-defined]
    try:
        problems = store.check()
    finally:
        store.close()
    if problems:
        for problem in problems:
            print(problem)
        return 1
    print("ok")
    return 0


def cmd_restore(args: object) -> int:
    data_dir: Path = args.data_dir  # type: ignore[attr-defined]
    source = keys.load_key(data_dir, ask_passphrase())
    aside = backup.restore_backup(data_dir, source.key, args.backup)  # type: ignore[attr-defined]
    print(i18n.tr("cli.restored", aside=str(aside)))
    return 0


def cmd_backups(args: object) -> int:
    for path in backup.list_backups(args.data_dir):  # type: ignore[attr-defined]
        print(path)
    return 0


def cmd_clients(args: object) -> int:
    store = open_store(args.data_dir)  # type: ignore[attr-defined]
    try:
        with store.read() as r:
            for client in r.clients():
                print(f"{client.id}\t{client.last_name}, {client.first_name}")
    finally:
        store.close()
    return 0


COMMANDS: dict[str, Callable[[object], int]] = {
    "demo-data": cmd_demo_data,
    "init": cmd_init,
    "check": cmd_check,
    "restore": cmd_restore,
    "backups": cmd_backups,
    "clients": cmd_clients,
}


def run_gui(args: object) -> int:
    """Start the Qt application (imported lazily: scripts never load Qt)."""
    from sosku_desktop.ui.application import run

    data_dir: Path | None = args.data_dir  # type: ignore[attr-defined]
    demo_dir: tempfile.TemporaryDirectory[str] | None = None
    if args.demo:  # type: ignore[attr-defined]
        from sosku_desktop.store.demo import build_demo

        demo_dir = tempfile.TemporaryDirectory(prefix="sosku-demo-")
        data_dir = Path(demo_dir.name) / "data"
        build_demo(data_dir).close()
    try:
        return run(
            data_dir=data_dir or default_data_dir(),
            smoke_test=args.smoke_test,  # type: ignore[attr-defined]
            screenshot_dir=args.screenshot,  # type: ignore[attr-defined]
            lang=args.lang,  # type: ignore[attr-defined]
            demo=bool(args.demo),  # type: ignore[attr-defined]
        )
    finally:
        if demo_dir is not None:
            demo_dir.cleanup()


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=os.environ.get("SOSKU_LOG_LEVEL", "WARNING"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    args = build_parser().parse_args(argv)
    command = COMMANDS.get(args.command) if args.command else None
    try:
        if command is not None:
            return command(args)
        return run_gui(args)
    except StoreError as error:
        print(explain(error), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
