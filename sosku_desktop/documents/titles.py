"""Each document kind's title and suggested file name.

Apart from ``registry`` (the builders: reportlab) so that a screen listing the
documents names them without importing the builders.
"""

from __future__ import annotations

from sosku_desktop.documents.context import DocumentContext
from sosku_desktop.documents.errors import UnknownKindError
from sosku_desktop.documents.kinds import ACTIVITY_MONEY, FILE_KEYS, KINDS, TITLE_KEYS
from sosku_desktop.documents.phrases import t


def document_title(kind: str, lang: str = "fi") -> str:
    """Human name of a kind for menus and tabs."""
    if kind not in KINDS:
        raise UnknownKindError(f"unknown document kind {kind!r}")
    return t(TITLE_KEYS[kind], lang)


def suggested_filename(kind: str, ctx: DocumentContext, fmt: str = "pdf") -> str:
    """A file name with the kind and date but no client name (file names leak)."""
    if kind not in KINDS:
        raise UnknownKindError(f"unknown document kind {kind!r}")
    stem = t(FILE_KEYS[kind], ctx.lang)
    if kind == ACTIVITY_MONEY and ctx.month is not None:
        return f"{stem}-{ctx.month[0]:04d}-{ctx.month[1]:02d}.{fmt}"
    return f"{stem}-{ctx.printed_on.isoformat()}.{fmt}"
