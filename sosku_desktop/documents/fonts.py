"""Embedded DejaVu fonts.

The 14 built-in PDF fonts are not embedded, so viewers substitute wider
ones and text overflows cells; DejaVu covers ä ö å € and is shipped in
``resources/fonts`` so a fresh machine has it. Registration is lazy (no
side effects at import) and happens once per process.
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from sosku_desktop.i18n import RESOURCES

FONT_DIR = RESOURCES / "fonts"
REGULAR = "SoskuSans"
BOLD = "SoskuSans-Bold"


@cache
def ensure_fonts() -> tuple[str, str]:
    """Register the fonts once and return (regular, bold) font names."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    # <b> and <i> in Paragraph markup map to real faces; there is no italic
    # DejaVu in resources, so italic falls back to the upright face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD


@cache
def _drawable() -> frozenset[int]:
    """Code points both faces have a glyph for (bold text must not show boxes either)."""
    regular, bold = ensure_fonts()
    faces = [pdfmetrics.getFont(name).face.charToGlyph for name in (regular, bold)]
    return frozenset(faces[0]).intersection(faces[1])


def printable(text: str) -> str:
    """``text`` without the characters the embedded fonts cannot draw.

    An emoji typed or pasted into a goal printed as an empty box; left out, the
    sentence reads as the worker meant it. Line breaks and tabs stay.
    """
    drawable = _drawable()
    if all(ord(c) in drawable or c in "\n\r\t" for c in text):
        return text
    return "".join(c for c in text if ord(c) in drawable or c in "\n\r\t")
