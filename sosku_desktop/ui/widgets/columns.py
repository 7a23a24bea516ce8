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

from PySide6.QtCore import QEvent, QObject, Qt
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
    """``words`` on as few lines as fit ``width`` (a word longer than it has a line of its own)."""
    lines: list[str] = []
    for word in words:
        if lines and _need(view, column, f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def _shares(sizes: list[int], floors: list[int], available: int) -> list[int]:
    """Every column narrowed alike to fit ``available``, none below its floor.

    A column that would fall below its floor keeps the floor and the others
    share what is left. If the floors alone are wider (150 % text on a small
    screen) the table has to scroll sideways anyway: then every column has
    its floor but the first, which says whose row it is (the client's name),
    and keeps its whole width.
    """
    if sum(floors) > available:
        return [sizes[0], *floors[1:]]
    fixed: dict[int, int] = {}
    while True:
        free = [c for c in range(len(sizes)) if c not in fixed]
        room = available - sum(fixed.values())
        total = sum(sizes[c] for c in free)
        if not free or room <= 0:
            return [fixed.get(c, floors[c]) for c in range(len(sizes))]
        scale = min(1.0, room / total)
        below = [c for c in free if sizes[c] * scale < floors[c]]
        if not below:
            return [fixed[c] if c in fixed else int(sizes[c] * scale) for c in range(len(sizes))]
        fixed.update({c: floors[c] for c in below})


def unwrap_headers(view: QTableView) -> None:
    """Every header back on one line (before measuring the contents again)."""
    for column in range(view.horizontalHeader().count()):
        view.model().setHeaderData(column, _H, _full_text(view, column), _DISPLAY)


def fit_within(view: QTableView, minimum: int) -> None:
    """Narrow the columns to the view's width, headers wrapped rather than cut."""
    header = view.horizontalHeader()
    available = view.viewport().width()
    sizes = [header.sectionSize(c) for c in range(header.count())]
    if not view.isVisible() or available <= 0:
        _fit_when_shown(view, minimum)
        return
    if sum(sizes) <= available:
        return
    texts = [_full_text(view, c) for c in range(len(sizes))]
    one_line = [_need(view, c, t) for c, t in enumerate(texts)]
    floors = [
        min(size, max(minimum, _need(view, c, "\n".join(t.split()) or t)))
        for c, (size, t) in enumerate(zip(sizes, texts, strict=True))
    ]
    for c, width in enumerate(_shares(sizes, floors, available)):
        header.resizeSection(c, width)
        wrapped = _lines(view, c, texts[c].split(), width) if width < one_line[c] else texts[c]
        view.model().setHeaderData(c, _H, wrapped, _DISPLAY)


class _FitWhenShown(QObject):
    """Narrows a view fitted while hidden the first time it is shown."""

    def __init__(self, view: QTableView, minimum: int) -> None:
        super().__init__(view)
        self.view, self.minimum = view, minimum

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Show:
            self.view.removeEventFilter(self)
            self.deleteLater()
            fit_within(self.view, self.minimum)
        return False


def _fit_when_shown(view: QTableView, minimum: int) -> None:
    if view.findChild(_FitWhenShown) is None:
        view.installEventFilter(_FitWhenShown(view, minimum))
