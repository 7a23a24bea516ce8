"""The one exception the server's layers raise to refuse a request.

It carries the HTTP status and a protocol error code, so storage code can
say *why* it refuses and the app turns it into the JSON error body
``{"error": code, "message": text, ...extra}`` that the client maps to a
typed exception.
"""

from __future__ import annotations

from typing import Any


class Rejected(Exception):
    """Refuse a request with ``status`` and a protocol error ``code``."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, **self.extra}
