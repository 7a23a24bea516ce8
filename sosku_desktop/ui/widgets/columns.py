"""Table columns that fit the window with every header readable.

When a table's columns, sized to their contents, are wider than the view,
they are narrowed — but never below what their header needs with its words
put on lines of their own: a header that no longer fits on one line wraps at
word breaks (the header grows a line) instead of being cut off mid-word
("Personbeteckn", "Egen kontaktper" at 1024×600 in Swedish). Cells give way
first and end in "…" (the full text shows as a tooltip); when even the
headers cannot fit, the table scrolls sideways, its first column (whose row
it is) whole. A view fitted while
hidden (a tab not in front) has no width yet; it is narrowed when first shown.

Header lines are set through ``setHeaderData`` (``TableModel`` keeps them);
a model that does not take them keeps one-line headers.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle, QTableView

_H = Qt.Orientation.Horizontal
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)


def _full_text(view: QTableView, column: int) -> str:
    """The header's whole text (``TableModel`` gives it as the tooltip; else the display)."""
    model = view.model()
    whole = model.headerData(column, _H, _TOOLTIP)
    text = whole if isinstance(whole, str) else model.headerData(column, _H, _DISPLAY)
    return str(text or "")


def _need(view: QTableView, column: int, text: str) -> int:
    """Width the header section needs to show ``text``: that of its longest line.

    Each line is measured as a header of its own (the style's padding, and
    room for the sort arrow where it is shown: the header itself reserves a
    line's height for it in every section, on every line, more than the
    arrow takes — half the arrow's size, the rest sits in the padding).
    """
    model, header = view.model(), view.horizontalHeader()
    arrow = header.isSortIndicatorShown()
    header.setSortIndicatorShown(False)
    widths = []
    for line in text.split("\n"):
        model.setHeaderData(column, _H, line, _DISPLAY)
        widths.append(int(header.sectionSizeFromContents(column).width()))
    header.setSortIndicatorShown(arrow)
    mark = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    return max(widths) + (mark // 2 if arrow else 0)


def _lines(view: QTableView, column: int, words: list[str], width: int) -> str:
    """``words`` on as few lines as fit ``width``; a word longer than that ends in "…"."""
    lines: list[str] = []
    for word in words:
        if lines and _need(view, column, f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(_elided(view, column, line, width) for line in lines)


def _elided(view: QTableView, column: int, line: str, width: int) -> str:
    """``line`` cut to ``width`` with "…" (the whole header is the tooltip)."""
    cut = line
    while len(cut) > 1 and _need(view, column, cut if cut == line else f"{cut}…") > width:
        cut = cut[:-1]
    return line if cut == line else f"{cut}…"


def header_floors(view: QTableView, columns: list[int], minimum: int) -> list[int]:
    """Per column: the least width showing its header whole, its words a line each."""
    return [
        max(minimum, _need(view, c, "\n".join(_full_text(view, c).split()) or " ")) for c in columns
    ]


def wrap_headers(view: QTableView, columns: list[int], widths: list[int]) -> None:
    """Headers on one line where they fit their width, else wrapped at word breaks."""
    for column, width in zip(columns, widths, strict=True):
        text = _full_text(view, column)
        one_line = _need(view, column, text)
        wrapped = _lines(view, column, text.split(), width) if width < one_line else text
        view.model().setHeaderData(column, _H, wrapped, _DISPLAY)


def unwrap_headers(view: QTableView) -> None:
    """Every header back on one line (before measuring the contents again)."""
    for column in range(view.horizontalHeader().count()):
        view.model().setHeaderData(column, _H, _full_text(view, column), _DISPLAY)
