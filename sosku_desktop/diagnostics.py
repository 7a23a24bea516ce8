"""What "Copy diagnostics" hands to support: versions, environment, store state, log tail.

Everything here is about the program and the machine, never about a
client: the store part is sizes, counts and the schema revision, the log
part is the app's own log file, which holds no client data by design
(``logfile``). Qt's version is passed in by the UI so that this module
stays free of Qt.
"""

from __future__ import annotations

import platform
import sys
import time
from pathlib import Path

from sosku_desktop import __version__, logfile
from sosku_desktop.store.backup import list_backups
from sosku_desktop.store.engine import DB_FILE

LOG_LINES = 40


def _size(path: Path) -> str:
    try:
        return f"{path.stat().st_size / 1024 / 1024:.1f} MB"
    except OSError:
        return "missing"


def _store_lines(data_dir: Path | None) -> list[str]:
    if data_dir is None:
        return ["store: none open"]
    backups = list_backups(data_dir) if data_dir.is_dir() else []
    newest = "-"
    if backups:
        newest = time.strftime("%Y-%m-%d %H:%M", time.localtime(backups[0].stat().st_mtime))
    return [
        f"data folder: {data_dir}",
        f"database: {_size(data_dir / DB_FILE)}",
        f"backups: {len(backups)}, newest {newest}",
    ]


def gather(data_dir: Path | None, qt_version: str, extra: dict[str, str] | None = None) -> str:
    """The diagnostics text (plain, one fact a line, then the log's last lines)."""
    lines = [
        f"Sosku {__version__}",
        f"Python {platform.python_version()} ({sys.executable})",
        f"OS: {platform.platform()}",
        f"Qt: {qt_version}",
        f"frozen: {bool(getattr(sys, 'frozen', False))}",
        *_store_lines(data_dir),
        *(f"{key}: {value}" for key, value in (extra or {}).items()),
        f"log file: {logfile.log_path()}",
        f"--- last {LOG_LINES} log lines ---",
        *logfile.last_lines(LOG_LINES),
    ]
    return "\n".join(lines) + "\n"
