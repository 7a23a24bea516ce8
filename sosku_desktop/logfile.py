"""The app's own log file: what a support person reads, never client data.

A Windows GUI app has no console, so errors that go only to stderr are
invisible; every run therefore also logs to a rotating file in the per-user
log folder (platformdirs; ``SOSKU_LOG_DIR`` overrides it):

* Linux ``~/.local/state/sosku-desktop/log/sosku.log``
* Windows ``%LOCALAPPDATA%\\Sosku\\sosku-desktop\\Logs\\sosku.log``

Log lines name events, counts and error *types*. Exception messages are
left out even here (a database error can quote the values it failed on,
and those may be a client's name), so a traceback shows the error's type
and the code locations only — the same rule as the crash dialog.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

from platformdirs import user_log_dir

from sosku_desktop.store import permissions

FILE_NAME = "sosku.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 4
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_MARK = "_sosku_file_handler"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def log_dir() -> Path:
    return Path(os.environ.get("SOSKU_LOG_DIR") or user_log_dir("sosku-desktop", "Sosku"))


def log_path() -> Path:
    return log_dir() / FILE_NAME


class SafeFormatter(logging.Formatter):
    """Tracebacks as error type and code locations, without the error's message."""

    def format(self, record: logging.LogRecord) -> str:
        # Another handler may have cached the full traceback text on the record.
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: ExcInfo) -> str:
        exc_type, _exc, tb = ei
        if exc_type is None:
            return ""
        lines = [f"{exc_type.__module__}.{exc_type.__qualname__} (message not logged)"]
        for frame in traceback.extract_tb(tb):
            lines.append(f"  {Path(frame.filename).name}:{frame.lineno} in {frame.name}")
        return "\n".join(lines)


def _private_file(path: Path) -> None:
    """The folder 0700 and the file 0600: other local users may not read it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(path.parent, 0o700)
        permissions.touch_private(path)


class PrivateRotatingHandler(logging.handlers.RotatingFileHandler):
    """Rotating file handler whose files (the rotated ones too) stay 0600."""

    def doRollover(self) -> None:
        super().doRollover()
        _private_file(Path(self.baseFilename))


def _console_level(level: str | None) -> str:
    """``SOSKU_LOG_LEVEL`` (or ``level``) if logging knows it, else WARNING and a word about it.

    A typo in a support script (``SOSKU_LOG_LEVEL=debugg``) used to end
    every command, even ``sosku --version``, in a traceback.
    """
    wanted = (level or os.environ.get("SOSKU_LOG_LEVEL") or "WARNING").strip().upper()
    if wanted in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        return wanted
    print(
        "sosku: SOSKU_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL; using WARNING",
        file=sys.stderr,
    )
    return "WARNING"


def configure(level: str | None = None, directory: Path | None = None) -> Path | None:
    """Log to stderr (``SOSKU_LOG_LEVEL``, default WARNING) and to the log file (INFO).

    Returns the log file, or None when its folder cannot be written (the
    app still runs; a read-only home must not stop the worker).
    """
    root = logging.getLogger()
    console = next((h for h in root.handlers if h.get_name() == "sosku-stderr"), None)
    others = [h for h in root.handlers if h is not console and not getattr(h, _MARK, False)]
    if console is None and not others:  # like basicConfig: not over someone else's setup
        console = logging.StreamHandler(sys.stderr)
        console.set_name("sosku-stderr")
        console.setFormatter(SafeFormatter(_FORMAT))
        root.addHandler(console)
    if isinstance(console, logging.StreamHandler):
        console.setStream(sys.stderr)  # the current one
        console.setLevel(_console_level(level))
    root.setLevel(logging.INFO)
    for chatty in ("httpx", "httpcore"):  # one line per request, nothing a supporter needs
        logging.getLogger(chatty).setLevel(logging.WARNING)
    path = (directory or log_dir()) / FILE_NAME
    for handler in list(root.handlers):
        if getattr(handler, _MARK, False):
            root.removeHandler(handler)
            handler.close()
    try:
        _private_file(path)
        file_handler = PrivateRotatingHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        logging.getLogger("sosku").warning("the log folder cannot be written; logging to stderr")
        return None
    setattr(file_handler, _MARK, True)
    file_handler.setLevel(logging.INFO)
    file_handler.setFormatter(SafeFormatter(_FORMAT))
    root.addHandler(file_handler)
    return path


def quiet_console() -> None:
    """A script command (``sosku sync now`` …) keeps log records off the terminal.

    A command says what happened in plain words; a log line beside it
    (``… WARNING sosku_desktop.sync.client: sync round failed: Offline``)
    only confused the worker, and it is in the log file anyway. Asking for
    ``SOSKU_LOG_LEVEL=INFO`` or ``DEBUG`` still shows them, for support.
    """
    wanted = (os.environ.get("SOSKU_LOG_LEVEL") or "").upper()
    for handler in logging.getLogger().handlers:
        if handler.get_name() == "sosku-stderr":
            handler.setLevel(wanted if wanted in ("DEBUG", "INFO") else logging.CRITICAL + 1)


def close() -> None:
    """Remove the handlers ``configure`` added (tests, and an app that re-configures)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _MARK, False) or handler.get_name() == "sosku-stderr":
            root.removeHandler(handler)
            handler.close()


def last_lines(count: int = 40, path: Path | None = None) -> list[str]:
    """The newest ``count`` lines of the log file (none if there is no file)."""
    target = path or log_path()
    try:
        with target.open("r", encoding="utf-8", errors="replace") as handle:
            return [line.rstrip("\n") for line in handle.readlines()[-count:]]
    except OSError:
        return []
