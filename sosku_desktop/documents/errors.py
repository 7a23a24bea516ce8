"""Errors a document build can raise, so callers can tell bad input from bugs.

The CLI and UI show these messages to the worker (they name what is
missing, never client data); anything else escaping a builder is a bug.
"""

from __future__ import annotations


class DocumentError(ValueError):
    """A document cannot be made from the given input."""


class UnknownKindError(DocumentError):
    """The document kind is not in ``KINDS``."""


class UnsupportedFormatError(DocumentError):
    """The kind does not come in the requested format (see ``FORMATS``)."""


class MissingDataError(DocumentError):
    """The context lacks an object the document needs (e.g. no client)."""

    def __init__(self, kind: str, what: str) -> None:
        super().__init__(f"document {kind!r} needs {what}")
        self.kind = kind
        self.what = what


class NotApplicableError(DocumentError):
    """The document does not apply to the client's phase yet (e.g. no ending recorded).

    ``reason_key`` is a catalogue key (``doc.na.*``) that says why in plain
    words; the CLI and UI show it instead of a generic "data missing".
    """

    def __init__(self, kind: str, reason_key: str) -> None:
        super().__init__(f"document {kind!r} does not apply: {reason_key}")
        self.kind = kind
        self.reason_key = reason_key
