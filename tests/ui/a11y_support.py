"""Checks for the accessibility walk: a name on every control, readable body text.

The name is what a screen reader announces: Qt's accessibility interface
computes it from the accessible name, a button's text or a buddy label
(``QLabel.setBuddy``, which ``QFormLayout.addRow(text, field)`` sets).
Contrast is WCAG 2's ratio of the text colour (the widget's palette after
the style sheet is applied) to what is actually painted behind it (the most
common colour of the widget's area in a grab of the window).
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QAccessible, QColor, QFont, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QCalendarWidget,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

from sosku_desktop.ui.shell import theme

INTERACTIVE = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)


def _describe(widget: QWidget) -> str:
    parent = widget.parentWidget()
    where = f"{type(parent).__name__}#{parent.objectName()}" if parent is not None else ""
    return f"{type(widget).__name__}#{widget.objectName()} in {where}"


def _internal(widget: QWidget) -> bool:
    """Parts of another control (a spin box's editor, a tab bar's arrows, scroll bars)."""
    if isinstance(widget, (QScrollBar, QHeaderView)):
        return True
    if widget.objectName().startswith("qt_"):  # Qt's own parts (a table's corner button)
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QTabBar, QCalendarWidget)):
            return True
        parent = parent.parentWidget()
    return False


def accessible_name(widget: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    name = iface.text(QAccessible.Text.Name) if iface is not None else ""
    return (name or "").replace("&", "").strip()


def unnamed_controls(root: QWidget) -> list[str]:
    """Visible interactive controls under ``root`` that a screen reader cannot name."""
    return [
        _describe(w)
        for w in root.findChildren(QWidget)
        if isinstance(w, INTERACTIVE)
        and w.isVisible()
        and not _internal(w)
        and not accessible_name(w)
    ]


def _background(image: QImage, rect: QRect) -> QColor:
    counts: Counter[int] = Counter()
    step = max(1, min(rect.width(), rect.height()) // 12)
    for x in range(rect.left(), rect.right() + 1, step):
        for y in range(rect.top(), rect.bottom() + 1, step):
            if image.rect().contains(x, y):
                counts[image.pixel(x, y)] += 1
    return QColor.fromRgb(counts.most_common(1)[0][0]) if counts else QColor("white")


def low_contrast_texts(root: QWidget, minimum: float = 4.5) -> list[str]:
    """Visible, enabled text labels whose text is below ``minimum``:1 against what is
    painted behind them (large text — 18 pt, or 14 pt bold — needs 3:1)."""
    image = root.grab().toImage()
    texts: list[tuple[QWidget, str, QColor, QFont]] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or not widget.isEnabled():
            continue
        if isinstance(widget, QLabel) and widget.text().strip() and widget.pixmap().isNull():
            fg = widget.palette().color(QPalette.ColorRole.WindowText)
            texts.append((widget, widget.text(), fg, widget.font()))
        painted = getattr(widget, "painted_lines", None)  # a widget painting its own text
        if painted is not None:
            texts += [(widget, text, colour, font) for text, font, colour in painted()]
    found: list[str] = []
    for widget, text, fg, font in texts:
        bg = _background(image, QRect(widget.mapTo(root, QPoint(0, 0)), widget.size()))
        if theme.contrast(fg, bg) < 1.05:  # the text colour is the commonest: a big glyph
            continue
        large = font.pointSizeF() >= 18 or (font.bold() and font.pointSizeF() >= 14)
        ratio = theme.contrast(theme.blend(fg, bg), bg)
        if ratio < (3.0 if large else minimum):
            found.append(f"{text[:30]!r} {fg.name()} on {bg.name()} = {ratio:.2f}")
    return found
