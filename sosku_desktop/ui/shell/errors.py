"""Plain-words dialogs for environment errors and a crash dialog for bugs.

Split the qutebrowser way: a ``StoreError`` (wrong passphrase, disk full,
damaged file …) is something the worker can act on, so it is explained in
their language with what to do next. Anything else is our bug: the crash
dialog says the saved data is safe and offers technical details that name
only code locations and the error type — never the error's message, which
could quote client data.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from sosku_desktop import __version__, i18n
from sosku_desktop.store.errors import CorruptDatabaseError, StoreError
from sosku_desktop.ui.shell.geometry import fit_when_shown

log = logging.getLogger(__name__)
#: Parentless boxes must outlive the call that opened them; dropped when closed.
_open_boxes: list[QMessageBox] = []


def _keep_open(box: QMessageBox) -> QMessageBox:
    _open_boxes.append(box)
    box.finished.connect(lambda _result: _open_boxes.remove(box) if box in _open_boxes else None)
    fit_when_shown(box)
    box.open()
    return box


def explain(error: StoreError, lang: str) -> str:
    """A plain-language sentence for an environment error (no client data in it)."""
    text = i18n.tr(error.message_key, lang, **error.params)
    if isinstance(error, CorruptDatabaseError) and error.latest_backup is not None:
        text += "\n\n" + i18n.tr("ui.error.corrupt_offer_restore", lang)
    return text


def safe_details(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    """Version, error type and code locations only: safe to copy into a bug report."""
    lines = [f"Sosku {__version__}", f"{exc_type.__module__}.{exc_type.__qualname__}"]
    for frame in traceback.extract_tb(tb):
        lines.append(f"  {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} in {frame.name}")
    return "\n".join(lines)


def show_store_error(parent: QWidget | None, error: StoreError, lang: str) -> QMessageBox:
    """Tell the worker what happened and what to do (non-blocking)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(i18n.tr("ui.error.title", lang))
    box.setText(explain(error, lang))
    box.addButton(i18n.tr("ui.common.ok", lang), QMessageBox.ButtonRole.AcceptRole)
    return _keep_open(box)


def crash_box(parent: QWidget | None, details: str, lang: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("crashDialog")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(i18n.tr("ui.crash.title", lang))
    box.setText(i18n.tr("ui.crash.text", lang))
    box.setInformativeText(i18n.tr("ui.crash.informative", lang))
    box.setDetailedText(details)
    box.addButton(i18n.tr("ui.common.ok", lang), QMessageBox.ButtonRole.AcceptRole)
    return box


def handle_exception(parent: QWidget | None, exc: BaseException, lang: str) -> None:
    """Route an error: environment → plain words, anything else → crash dialog."""
    if isinstance(exc, StoreError):
        log.warning("store error: %s", type(exc).__name__)
        show_store_error(parent, exc, lang)
        return
    details = safe_details(type(exc), exc.__traceback__)
    log.error("unexpected error\n%s", details)
    _keep_open(crash_box(parent, details, lang))


def install_excepthook(lang_of: Callable[[], str]) -> None:
    """Uncaught exceptions in slots end up in the dialogs instead of a silent log line."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        exc.__traceback__ = tb
        parent = QApplication.activeWindow()
        handle_exception(parent, exc, lang_of())

    sys.excepthook = hook
