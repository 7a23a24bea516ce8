"""Documents room: reportlab PDFs and paste-ready text made from domain objects.

Public API (the CLI and UI import only these names)::

    build_document(kind, ctx, fmt) -> bytes
    KINDS, FORMATS, MIME_TYPES, REQUIREMENTS
    document_title(kind, lang), suggested_filename(kind, ctx, fmt)
    DocumentContext, Organisation, CaseloadEntry
    DocumentError, MissingDataError, UnknownKindError, UnsupportedFormatError

May import ``domain`` and ``i18n`` only, never ``store``, ``sync`` or ``ui``.
"""

from sosku_desktop.documents.context import CaseloadEntry, DocumentContext, Organisation
from sosku_desktop.documents.errors import (
    DocumentError,
    MissingDataError,
    UnknownKindError,
    UnsupportedFormatError,
)
from sosku_desktop.documents.kinds import FORMATS, KINDS, MIME_TYPES, REQUIREMENTS
from sosku_desktop.documents.registry import build_document, document_title, suggested_filename

__all__ = [
    "FORMATS",
    "KINDS",
    "MIME_TYPES",
    "REQUIREMENTS",
    "CaseloadEntry",
    "DocumentContext",
    "DocumentError",
    "MissingDataError",
    "Organisation",
    "UnknownKindError",
    "UnsupportedFormatError",
    "build_document",
    "document_title",
    "suggested_filename",
]
