"""Documents room: reportlab PDFs and paste-ready text made from domain objects.

Public API (the CLI and UI import only these names)::

    build_document(kind, ctx, fmt) -> bytes
    KINDS, FORMATS, MIME_TYPES, REQUIREMENTS
    document_title(kind, lang), suggested_filename(kind, ctx, fmt)
    DocumentContext, Organisation, CaseloadEntry
    DocumentError, MissingDataError, UnknownKindError, UnsupportedFormatError

May import ``domain`` and ``i18n`` only, never ``store``, ``sync`` or ``ui``.

The builders (``build_document``, from ``registry``) are imported on first use:
they pull in reportlab and Pillow (a quarter of a second), and the package is
imported by screens that only need its words and kinds (a client's view opens
without them; the app imports them in the background).
"""

from typing import TYPE_CHECKING, Any

from sosku_desktop.documents.context import CaseloadEntry, DocumentContext, Organisation
from sosku_desktop.documents.errors import (
    DocumentError,
    MissingDataError,
    UnknownKindError,
    UnsupportedFormatError,
)
from sosku_desktop.documents.kinds import FORMATS, KINDS, MIME_TYPES, REQUIREMENTS
from sosku_desktop.documents.titles import document_title, suggested_filename

if TYPE_CHECKING:
    from sosku_desktop.documents.registry import build_document

_FROM_REGISTRY = frozenset({"build_document"})


def __getattr__(name: str) -> Any:
    """``build_document``, imported when first asked for (PEP 562)."""
    if name in _FROM_REGISTRY:
        from sosku_desktop.documents import registry

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
