"""Structured logs: one JSON object per line on stderr.

Log lines carry who (team, device), what (event, path, status) and how
much (counts, sizes, milliseconds) — never a payload, key or join code.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    """Render a record and its ``extra`` fields as a single JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class _ShutdownCutIsAWarning(logging.Filter):
    """uvicorn logs cancelling requests at the shutdown timeout as an error.

    It is what the timeout is for (each request is answered 503 and logged
    as ``"event": "shutdown"``), so it is a warning: an error line on every
    restart would teach the administrator to ignore error lines.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.ERROR and str(record.msg).startswith("Cancel %s running"):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def configure(level: str = "INFO") -> None:
    """Send every logger (ours and uvicorn's) to stderr as JSON lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    uvicorn_errors = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _ShutdownCutIsAWarning) for f in uvicorn_errors.filters):
        uvicorn_errors.addFilter(_ShutdownCutIsAWarning())
