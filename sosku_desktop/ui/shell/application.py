"""Starting the desktop app: Qt set-up, opening the store, the main window.

``run`` is called by ``app.py`` (``sosku``). Besides the normal start it has
two unattended modes: ``--smoke-test`` (open the main window offscreen,
process events, print ``ok``) and ``--screenshot DIR`` (write pictures of
the main views in Finnish and Swedish). Neither may ever wait for a person:
with ``--demo`` the demo passphrase opens the store when no keyring works.
A smoke test is a health check of the data directory: when it cannot be
opened unattended the reason is printed and the exit code is non-zero.
Only ``--scratch`` runs it on a throw-away empty store (to check an
install without any data directory).
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from sosku_desktop import i18n
from sosku_desktop.preferences import Preferences
from sosku_desktop.store import backup, keys
from sosku_desktop.store.database import Store
from sosku_desktop.store.errors import (
    CorruptDatabaseError,
    MissingKeyError,
    StoreError,
    WrongKeyError,
)

log = logging.getLogger(__name__)


def _headless_store(
    data_dir: Path, demo: bool, scratch: bool, verify: bool, stack: ExitStack
) -> Store:
    """A store opened without asking anyone (see the module docstring)."""
    from sosku_desktop.store.demo import DEMO_PASSPHRASE

    if scratch:
        return _scratch_store(stack)
    if not keys.has_key_file(data_dir):
        raise MissingKeyError("no data directory here")
    try:
        store = Store.open(data_dir)
    except (MissingKeyError, WrongKeyError):
        if not demo:
            raise
        store = Store.open(data_dir, DEMO_PASSPHRASE)
    if not verify:
        return store
    try:
        problems = store.check()
        outcome = store.startup_backup.wait() if store.startup_backup else None
    except StoreError:
        store.close()
        raise
    if problems or (outcome is not None and outcome.skipped == backup.SOURCE_DAMAGED):
        store.close()
        raise CorruptDatabaseError("integrity check failed", backup.latest_backup(data_dir))
    if outcome is not None and outcome.warning_key is not None:
        print(i18n.tr(outcome.warning_key, folder=str(outcome.folder)), file=sys.stderr)
    return store


def _scratch_store(stack: ExitStack) -> Store:
    """A throw-away empty store: checks that the install starts, touches no data."""
    scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sosku-smoke-")))
    from sosku_desktop.domain import codes
    from sosku_desktop.operations.setup import create_data_directory

    return create_data_directory(
        scratch / "data", secrets.token_urlsafe(16), "Smoke Test", codes.ROLE_SOCIAL_INSTRUCTOR
    )


def _open(
    data_dir: Path,
    language: str,
    headless: bool,
    demo: bool,
    smoke_test: bool,
    scratch: bool,
    stack: ExitStack,
) -> Store | int:
    """The store to run on, or the exit code when there is none (reason already shown)."""
    if headless:
        try:
            return _headless_store(data_dir, demo, smoke_test and scratch, smoke_test, stack)
        except StoreError as error:
            from sosku_desktop.ui.shell.errors import explain

            print(explain(error, language), file=sys.stderr)
            return 2
    from sosku_desktop.store.demo import DEMO_PASSPHRASE
    from sosku_desktop.ui.shell.startup import open_store_interactive

    opened = open_store_interactive(data_dir, language, DEMO_PASSPHRASE if demo else None)
    return 1 if opened is None else opened


def run(
    data_dir: Path,
    smoke_test: bool = False,
    screenshot_dir: Path | None = None,
    lang: str | None = None,
    demo: bool = False,
    scratch: bool = False,
) -> int:
    """Start the app; returns the process exit code."""
    headless = smoke_test or screenshot_dir is not None
    if headless and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    from sosku_desktop.ui.shell import geometry, lazy_pages, qt_texts, theme
    from sosku_desktop.ui.shell.context import AppContext
    from sosku_desktop.ui.shell.errors import handle_exception, install_excepthook
    from sosku_desktop.ui.shell.main_window import MainWindow
    from sosku_desktop.ui.shell.tasks import Tasks

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "sosku"])
    assert isinstance(app, QApplication)
    app.setApplicationName("Sosku")
    app.setOrganizationName("Sosku")
    theme.apply(app)
    language = lang or str(Preferences(data_dir).get("language"))
    if language not in i18n.LANGUAGES:
        language = i18n.DEFAULT_LANGUAGE
    previous_locale = QLocale()
    qt_texts.set_language(language)  # Qt's own texts; dates and decimal commas in widgets

    with ExitStack() as stack:
        stack.callback(QLocale.setDefault, previous_locale)
        opened = _open(data_dir, language, headless, demo, smoke_test, scratch, stack)
        if isinstance(opened, int):
            return opened
        store = opened
        stack.callback(store.close)
        prefs = Preferences(store.data_dir)
        ctx = AppContext(store=store, prefs=prefs, lang=language)
        window_box: list[MainWindow] = []
        ctx.tasks = Tasks(
            on_error=lambda exc: handle_exception(
                window_box[0] if window_box else None, exc, ctx.lang
            )
        )
        if screenshot_dir is not None:
            from sosku_desktop.ui.shell.screenshots import take_screenshots

            for path in take_screenshots(ctx, screenshot_dir):
                print(path)
            return 0
        window = MainWindow(ctx)
        window_box.append(window)
        geometry.restore(window, prefs)
        if smoke_test:
            window.show()
            for _ in range(3):
                ctx.tasks.wait()
                app.processEvents()
            window.close()
            print("ok")
            return 0
        install_excepthook(lambda: ctx.lang)
        window.geometry_prefs = prefs  # saved again on close
        window.show()
        lazy_pages.freeze_start_up_objects(window, window.preload)
        wants_restore = _report_startup_backup(ctx, window)
        code = int(app.exec())
        if not wants_restore:
            return code
    # The worker chose to restore a backup: the store is closed now, so it can be replaced.
    from sosku_desktop.ui.shell.startup import choose_and_restore

    if choose_and_restore(data_dir, language):
        return run(data_dir, lang=lang)
    return 1


def _report_startup_backup(ctx: object, window: object) -> list[bool]:
    """Show the start-up backup's warning when it ends; a damaged file offers the restore.

    Returns a list that holds ``True`` once the worker asked to restore (the
    app then closes its window, and ``run`` restores with the store closed).
    """
    from sosku_desktop.ui.shell.context import AppContext
    from sosku_desktop.ui.shell.main_window import MainWindow
    from sosku_desktop.ui.shell.startup import report_backup_outcome

    assert isinstance(ctx, AppContext) and isinstance(window, MainWindow)
    wants: list[bool] = []
    pending = ctx.store.startup_backup
    if pending is None:
        return wants

    def done(outcome: backup.BackupOutcome) -> None:
        if report_backup_outcome(window, outcome, ctx.lang):
            wants.append(True)
            window.close()

    ctx.tasks.run(pending.wait, done, owner=window)
    return wants
