"""Starting the desktop app: Qt set-up, opening the store, the main window.

``run`` is called by ``app.py`` (``sosku``). Besides the normal start it has
two unattended modes: ``--smoke-test`` (open the main window offscreen,
process events, print ``ok``) and ``--screenshot DIR`` (write pictures of
the main views in Finnish and Swedish). Neither may ever wait for a person:
with ``--demo`` the demo passphrase opens the store when no keyring works,
and a smoke test that cannot open the data directory unattended runs on a
throw-away empty store instead, so the worker's data is never touched.
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
from sosku_desktop.store import keys
from sosku_desktop.store.database import Store
from sosku_desktop.store.errors import MissingKeyError, StoreError, WrongKeyError

log = logging.getLogger(__name__)


def _headless_store(data_dir: Path, demo: bool, smoke_test: bool, stack: ExitStack) -> Store:
    """A store opened without asking anyone (see the module docstring)."""
    from sosku_desktop.store.demo import DEMO_PASSPHRASE

    if keys.has_key_file(data_dir):
        try:
            return Store.open(data_dir)
        except (MissingKeyError, WrongKeyError):
            if demo:
                return Store.open(data_dir, DEMO_PASSPHRASE)
            if not smoke_test:
                raise
    elif not smoke_test:
        raise MissingKeyError("no data directory here")
    scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sosku-smoke-")))
    from sosku_desktop.domain import codes
    from sosku_desktop.operations.setup import create_data_directory

    return create_data_directory(
        scratch / "data", secrets.token_urlsafe(16), "Smoke Test", codes.ROLE_SOCIAL_INSTRUCTOR
    )


def run(
    data_dir: Path,
    smoke_test: bool = False,
    screenshot_dir: Path | None = None,
    lang: str | None = None,
    demo: bool = False,
) -> int:
    """Start the app; returns the process exit code."""
    headless = smoke_test or screenshot_dir is not None
    if headless and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    from sosku_desktop.ui.shell import theme
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
    QLocale.setDefault(QLocale(i18n.locale_of(language)))  # dates and decimal commas in widgets

    with ExitStack() as stack:
        stack.callback(QLocale.setDefault, previous_locale)
        if headless:
            try:
                store = _headless_store(data_dir, demo, smoke_test, stack)
            except StoreError as error:
                from sosku_desktop.ui.shell.errors import explain

                print(explain(error, language), file=sys.stderr)
                return 2
        else:
            from sosku_desktop.store.demo import DEMO_PASSPHRASE
            from sosku_desktop.ui.shell.startup import open_store_interactive

            opened = open_store_interactive(data_dir, language, DEMO_PASSPHRASE if demo else None)
            if opened is None:
                return 1
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
        window.resize(1366, 768)
        if smoke_test:
            window.show()
            for _ in range(3):
                ctx.tasks.wait()
                app.processEvents()
            window.close()
            print("ok")
            return 0
        install_excepthook(lambda: ctx.lang)
        window.show()
        return int(app.exec())
    return 0
