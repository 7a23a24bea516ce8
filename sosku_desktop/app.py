"""Composition root: settings, store, documents, sync and UI are wired here.

This is the only module outside ``ui/`` that imports the UI, and it does so
lazily, so script commands (``sosku check``, ``sosku clients`` …) never
load Qt.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

from sosku_desktop import __version__, i18n, logfile
from sosku_desktop.cli import build_parser
from sosku_desktop.commands import all_commands, typed_args
from sosku_desktop.commands.common import command_line, no_data_text
from sosku_desktop.store import keys
from sosku_desktop.store.errors import (
    CorruptDatabaseError,
    MissingKeyError,
    StoreError,
    WrongKeyError,
)

log = logging.getLogger("sosku")


def default_data_dir() -> Path:
    return Path(os.environ.get("SOSKU_DATA_DIR") or user_data_dir("sosku-desktop", "Sosku"))


def explain(
    error: StoreError, lang: str = i18n.DEFAULT_LANGUAGE, data_dir: Path | None = None
) -> str:
    """A plain-language sentence for an environment error (no client data in it).

    A damaged database with a backup says the command that restores it,
    with the real folder (not a placeholder to fill in).
    """
    text = i18n.tr(error.message_key, lang)
    if isinstance(error, CorruptDatabaseError) and error.latest_backup is not None:
        restore = command_line("restore", data_dir or default_data_dir())
        text += " " + i18n.tr("store.error.corrupt_has_backup", lang, restore=restore)
    return text


@dataclass(frozen=True)
class GuiArgs:
    """The options of ``sosku`` without a command (see ``cli.build_parser``)."""

    data_dir: Path | None
    demo: bool
    smoke_test: bool
    scratch: bool
    screenshot: Path | None
    lang: str | None


def run_gui(args: GuiArgs) -> int:
    """Start the Qt application (imported lazily: scripts never load Qt)."""
    from sosku_desktop.ui.shell.application import run

    data_dir = args.data_dir
    demo_dir: tempfile.TemporaryDirectory[str] | None = None
    if args.demo:
        from sosku_desktop.store.demo import build_demo

        demo_dir = tempfile.TemporaryDirectory(prefix="sosku-demo-")
        data_dir = Path(demo_dir.name) / "data"
        build_demo(data_dir).close()
    try:
        return run(
            data_dir=data_dir or default_data_dir(),
            smoke_test=args.smoke_test,
            scratch=args.scratch,
            screenshot_dir=args.screenshot,
            lang=args.lang,
            demo=args.demo,
        )
    finally:
        if demo_dir is not None:
            demo_dir.cleanup()


def main(argv: list[str] | None = None) -> int:
    logfile.configure()
    commands = {c.name: c for c in all_commands()}
    args = build_parser(list(commands.values())).parse_args(argv)
    log.info("start %s %s", __version__, args.command or "app")
    if args.command:
        logfile.quiet_console()
    try:
        if args.command:
            return commands[str(args.command)].run(args)
        return run_gui(typed_args(GuiArgs, args))
    except StoreError as error:
        lang = getattr(args, "lang", None) or i18n.DEFAULT_LANGUAGE
        data_dir = getattr(args, "data_dir", None)
        text = explain(error, lang, data_dir)
        if args.command and isinstance(error, MissingKeyError) and data_dir is not None:
            text = no_data_text(data_dir, lang) or text
        locked = isinstance(error, (MissingKeyError, WrongKeyError))
        if args.command and locked and data_dir is not None and keys.has_key_file(data_dir):
            # A store is there and a script could not open it: say how it gives the key.
            text += " " + i18n.tr("cli.passphrase_how", lang, env=keys.PASSPHRASE_ENV)
        print(text, file=sys.stderr)
        return 2
    except Exception as error:
        if not args.command:
            raise  # the app has its own crash dialog (ui.shell.errors)
        return _command_failed(error, getattr(args, "lang", None) or i18n.DEFAULT_LANGUAGE)


def _command_failed(error: Exception, lang: str) -> int:
    """A command's unexpected error in plain words, never its message.

    A message can quote what it failed on (a path the worker typed after a
    client, a value from the store), and a script's stderr often ends up in
    a log; so the worker gets the error's type and, for a file, the
    system's reason, and the log file gets the type and code locations
    (``logfile.SafeFormatter``).
    """
    log.error("command failed: %s", type(error).__name__, exc_info=error)
    if isinstance(error, OSError) and error.strerror:
        print(i18n.tr("cli.file_error", lang, reason=error.strerror), file=sys.stderr)
        return 1
    text = i18n.tr("cli.unexpected_error", lang, error=type(error).__name__, log=logfile.log_path())
    print(text, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
