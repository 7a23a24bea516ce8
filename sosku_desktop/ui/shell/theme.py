"""The calm look: Fusion, named colour roles, and the OS's own text size.

Every colour of the UI is a :class:`Role` defined here and nowhere else (a
test fails on a hex colour literal anywhere else in ``ui/``). Widgets style
themselves through :func:`sheet` (``"color: $MUTED; font-size: $FONT_SMALL"``),
:func:`colour` (for painting) or :func:`tint`, so a role is looked up when the
widget is built.

Two schemes: the light one (low-contrast surfaces, high-contrast text, one
teal accent, warm tones reserved for reminders), and — when the OS asks for
high contrast — every role derived from the OS palette itself (text roles
become the palette's text, surfaces its base, accents its highlight), so the
worker's own high-contrast colours win. The font is the OS/application font
(its size is never fixed here); headings are multiples of it, so a larger OS
text size makes every text larger.
"""

from __future__ import annotations

import re
from enum import Enum

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAccessibilityHints, QColor, QFont, QGuiApplication, QPalette, QStyleHints
from PySide6.QtWidgets import QApplication, QWidget


class Role(Enum):
    """A colour's job. Value: (light colour, what it becomes under high contrast)."""

    TEXT = ("#1f2933", "text")
    MUTED = ("#5f6b76", "text")
    PLACEHOLDER = ("#66727d", "text")
    DISABLED = ("#9aa5ae", "disabled")
    ACCENT = ("#2b6777", "accent")
    ACCENT_DARK = ("#1f4f5c", "accent")
    ACCENT_SOFT = ("#e3eff1", "base")
    ON_ACCENT = ("#ffffff", "on_accent")
    SELECTION_BG = ("#e3eff1", "accent")
    SELECTION_TEXT = ("#1f2933", "on_accent")
    WINDOW = ("#f4f5f7", "window")
    CARD = ("#ffffff", "base")
    ALT_BASE = ("#f8f9fa", "base")
    HEADER_BG = ("#eef1f4", "window")
    STATUS_BG = ("#eaedf0", "window")
    NEUTRAL_BG = ("#f1f3f4", "base")
    HOVER_BG = ("#e8eff5", "base")
    FOCUS_BG = ("#f4f8fb", "base")
    BORDER = ("#d9dee3", "text")
    BORDER_STRONG = ("#c3cad1", "text")
    NAV = ("#22343f", "window")
    NAV_TEXT = ("#dbe4ea", "text")
    NAV_TITLE = ("#ffffff", "text")
    NAV_HOVER = ("#2e4452", "base")
    NAV_PRESSED = ("#38525f", "base")
    SCROLL_HANDLE = ("#c4ccd3", "text")
    SCROLL_HANDLE_HOVER = ("#a9b4bd", "text")
    PROGRESS_TRACK = ("#e4e8ec", "window")
    PAPER = ("#ffffff", "base")
    PAPER_BORDER = ("#c9ced6", "text")
    SCRIM = ("#5a141e28", "scrim")
    ERROR = ("#b3261e", "text")
    URGENT_BG = ("#fbe9e7", "base")
    WARNING = ("#8f4f00", "text")
    WARNING_BG = ("#fdf1e1", "base")
    INFO_BG = ("#e3eff1", "base")
    SUCCESS = ("#1b5e20", "text")
    PRESENT = ("#1b5e20", "text")
    PRESENT_BG = ("#e3f1e4", "base")
    ABSENT = ("#9a1c1c", "text")
    ABSENT_BG = ("#fbe6e6", "base")
    EXCUSED = ("#6f5200", "text")
    EXCUSED_BG = ("#fdf1cf", "base")
    CAL_PLANNED = ("#1859b5", "text")
    CAL_PLANNED_BG = ("#e8f0fe", "base")
    CAL_REALISED = ("#126b2f", "text")
    CAL_REALISED_BG = ("#e6f4ea", "base")
    CAL_CANCELLED = ("#5f6368", "text")
    CAL_CANCELLED_BG = ("#f1f3f4", "base")
    CAL_SESSION = ("#7a2bc0", "text")
    CAL_SESSION_BG = ("#f3e8fd", "base")
    CAL_KEY_DATE = ("#8f4f00", "text")
    CAL_KEY_DATE_BG = ("#fef7e0", "base")
    WEEKEND_BG = ("#fafafa", "base")
    CHART_INK = ("#1f2933", "text")
    CHART_MUTED = ("#616e7c", "text")
    CHART_GRID = ("#e4e7eb", "text")
    CHART_ACCENT = ("#2f6f9f", "accent")
    CHART_ACCENT_PALE = ("#a9c6dd", "accent")
    CHART_START = ("#8a96a3", "text")
    TONE_RED = ("#d9534f", "accent")
    TONE_YELLOW = ("#e8b03a", "accent")
    TONE_GREEN = ("#4f9d69", "accent")

    @property
    def light(self) -> str:
        return str(self.value[0])

    @property
    def kind(self) -> str:
        return str(self.value[1])


#: Severity of a reminder → (text role, background role).
SEVERITY = {
    "urgent": (Role.ERROR, Role.URGENT_BG),
    "warning": (Role.WARNING, Role.WARNING_BG),
    "info": (Role.ACCENT, Role.INFO_BG),
}

#: Heading sizes as multiples of the body font (``$FONT_TITLE`` in a sheet).
FONT_SCALE = {
    "SMALL": 0.9,
    "LARGE": 1.2,
    "SUBTITLE": 1.4,
    "NAV_TITLE": 1.5,
    "TITLE": 1.7,
    "HUGE": 2.0,
}

_KIND_TO_PALETTE = {
    "text": (QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText),
    "disabled": (QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText),
    "accent": (QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight),
    "on_accent": (QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText),
    "window": (QPalette.ColorGroup.Active, QPalette.ColorRole.Window),
    "base": (QPalette.ColorGroup.Active, QPalette.ColorRole.Base),
}


class _State:
    """What :func:`apply` decided: the colour of each role and the body font size."""

    colours: dict[Role, QColor] = {role: QColor(role.light) for role in Role}
    live: dict[Role, QColor] = {}
    base_point_size: float = 10.0
    high_contrast: bool = False
    system_palette: QPalette | None = None
    system_font_size: float = 10.0
    scale: float = 1.0
    following_os: bool = False
    hints: QAccessibilityHints | None = None
    style_hints: QStyleHints | None = None


def forget_os_settings() -> None:
    """Read the OS palette and font again on the next :func:`apply` (tests, restarts)."""
    _State.system_palette = None


def colour(role: Role) -> QColor:
    """The role's colour now (a copy: paint with it, do not keep it)."""
    return QColor(_State.colours[role])


def css(role: Role) -> str:
    """The role's colour as a style-sheet value (``#rrggbb`` or ``rgba(…)``)."""
    c = _State.colours[role]
    if c.alpha() == 255:
        return c.name()
    return f"rgba({c.red()}, {c.green()}, {c.blue()}, {c.alpha()})"


def live(role: Role) -> QColor:
    """A colour object that :func:`apply` updates in place (module-level chart inks)."""
    if role not in _State.live:
        _State.live[role] = QColor(_State.colours[role])
    return _State.live[role]


def with_alpha(role: Role, alpha: int) -> QColor:
    """The role's colour made translucent (soft chart bands)."""
    c = colour(role)
    c.setAlpha(alpha)
    return c


def point_size(scale: str = "") -> float:
    """The body font size in points, or a heading's (``"TITLE"``)."""
    return round(_State.base_point_size * FONT_SCALE.get(scale, 1.0), 1)


_TOKEN = re.compile(r"\$([A-Z][A-Z_]*)")


def sheet(template: str) -> str:
    """A style sheet with ``$ROLE`` colours and ``$FONT_<SIZE>`` sizes filled in."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("FONT_") and name[5:] in FONT_SCALE:
            return f"{point_size(name[5:])}pt"
        return css(Role[name])

    return _TOKEN.sub(fill, template)


def tint(widget: QWidget, fg: Role | None, bg: Role | None = None, extra: str = "") -> None:
    """Colour one widget's text (and background) by role; ``extra`` is more sheet text."""
    parts = []
    if fg is not None:
        parts.append(f"color: {css(fg)};")
    if bg is not None:
        parts.append(f"background: {css(bg)};")
    if extra:
        parts.append(sheet(extra))
    widget.setStyleSheet(" ".join(parts))


def style(widget: QWidget, template: str) -> None:
    """Give one widget a role-filled style sheet (see :func:`sheet`)."""
    widget.setStyleSheet(sheet(template))


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours (1 … 21)."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def blend(top: QColor, bottom: QColor) -> QColor:
    """``top`` drawn over opaque ``bottom`` (for the contrast of translucent colours)."""
    a = top.alphaF()
    return QColor.fromRgbF(
        top.redF() * a + bottom.redF() * (1 - a),
        top.greenF() * a + bottom.greenF() * (1 - a),
        top.blueF() * a + bottom.blueF() * (1 - a),
    )


STYLE = """
QWidget { color: $TEXT; }
QMainWindow, QDialog, QWizard { background: $WINDOW; }
#nav { background: $NAV; }
#nav QLabel { color: $NAV_TEXT; }
#navTitle { color: $NAV_TITLE; font-size: $FONT_NAV_TITLE; font-weight: bold; }
#navList { background: transparent; border: none; color: $NAV_TEXT; outline: 0; }
#navList::item { padding: 0 14px; border-radius: 6px; margin: 1px 8px; }
#navList::item:selected { background: $ACCENT; color: $ON_ACCENT; }
#navList::item:hover:!selected { background: $NAV_HOVER; }
#nav QPushButton { background: $NAV_HOVER; color: $NAV_TEXT; border: none;
    border-radius: 6px; padding: 7px 12px; text-align: left; }
#nav QPushButton:hover { background: $NAV_PRESSED; }
#nav QPushButton:focus { border: 2px solid $NAV_TEXT; }
QFrame#card { background: $CARD; border: 1px solid $BORDER; border-radius: 8px; }
QFrame#lockCard { background: $CARD; border: 1px solid $BORDER; border-radius: 10px; }
QLabel#pageTitle { font-size: $FONT_TITLE; font-weight: bold; }
QLabel#clientName { font-size: $FONT_TITLE; font-weight: bold; }
QLabel#sectionTitle, QLabel#intakeOutcome { font-size: $FONT_LARGE; font-weight: bold; }
QLabel#muted { color: $MUTED; }
QLabel#bigNumber { font-size: $FONT_HUGE; font-weight: bold; color: $ACCENT_DARK; }
QLabel#fieldError { color: $ERROR; }
QLabel#notice { background: $INFO_BG; border-radius: 6px; padding: 8px 10px; }
QLabel#warningNotice { background: $WARNING_BG; border-radius: 6px; padding: 8px 10px; }
QPushButton { padding: 6px 14px; border: 1px solid $BORDER_STRONG; border-radius: 6px;
    background: $CARD; }
QPushButton:hover { border-color: $ACCENT; }
QPushButton:focus { border: 2px solid $ACCENT; }
QPushButton:disabled { color: $DISABLED; }
QPushButton[primary="true"] { background: $ACCENT; color: $ON_ACCENT; border-color: $ACCENT; }
QPushButton[primary="true"]:hover { background: $ACCENT_DARK; }
QPushButton[primary="true"]:focus { border: 2px solid $ACCENT_DARK; }
QPushButton[primary="true"]:disabled { background: $CARD; color: $DISABLED;
    border-color: $BORDER; }
QPushButton[link="true"] { border: none; background: transparent; color: $ACCENT;
    padding: 2px 4px; text-decoration: underline; }
QLineEdit, QPlainTextEdit, QTextEdit { background: $CARD; border: 1px solid $BORDER_STRONG;
    border-radius: 5px; padding: 4px 6px; }
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus { border: 2px solid $ACCENT; }
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"] { border: 2px solid $ERROR; }
QComboBox, QDateEdit, QTimeEdit, QDateTimeEdit, QSpinBox, QDoubleSpinBox { min-height: 24px; }
QTableView, QTreeView, QListView, QListWidget, QTreeWidget { background: $CARD;
    border: 1px solid $BORDER; border-radius: 6px; alternate-background-color: $ALT_BASE;
    selection-background-color: $SELECTION_BG; selection-color: $SELECTION_TEXT; }
QTreeView::item, QListView::item { padding: 3px 2px; }
QScrollBar:vertical { background: transparent; width: 10px; margin: 2px; }
QScrollBar:horizontal { background: transparent; height: 10px; margin: 2px; }
QScrollBar::handle { background: $SCROLL_HANDLE; border-radius: 3px; min-height: 24px;
    min-width: 24px; }
QScrollBar::handle:hover { background: $SCROLL_HANDLE_HOVER; }
QScrollBar::add-line, QScrollBar::sub-line { width: 0; height: 0; border: none; }
QScrollBar::add-page, QScrollBar::sub-page { background: transparent; }
QHeaderView::section { background: $HEADER_BG; border: none; border-bottom: 1px solid $BORDER;
    padding: 6px 8px; font-weight: bold; }
QTabWidget::pane { border: 1px solid $BORDER; border-radius: 6px; background: $CARD; top: -1px; }
QTabBar::tab { padding: 7px 14px; border: 1px solid transparent; margin-right: 2px;
    color: $MUTED; }
QTabBar::scroller { width: 3.2em; }
QTabBar QToolButton { background: $CARD; border: 1px solid $BORDER_STRONG; border-radius: 5px;
    margin: 2px 1px; }
QTabBar QToolButton:hover { border-color: $ACCENT; }
QTabBar::tab:selected { background: $CARD; border: 1px solid $BORDER;
    border-bottom-color: $CARD; border-top-left-radius: 6px; border-top-right-radius: 6px;
    color: $TEXT; font-weight: bold; }
QProgressBar { border: 1px solid $BORDER; border-radius: 5px; background: $HEADER_BG;
    text-align: center; height: 14px; }
QProgressBar::chunk { background: $ACCENT; border-radius: 4px; }
QStatusBar { background: $STATUS_BG; color: $TEXT; }
QStatusBar QLabel { color: $TEXT; }
QScrollArea { border: none; background: transparent; }
QScrollArea > QWidget#qt_scrollarea_viewport { background: transparent; }
QGroupBox { font-weight: bold; border: 1px solid $BORDER; border-radius: 6px;
    margin-top: 12px; padding-top: 8px; background: $CARD; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; }
"""


def palette() -> QPalette:
    """The application palette: the light roles, or the OS palette under high contrast."""
    if _State.high_contrast and _State.system_palette is not None:
        return QPalette(_State.system_palette)
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: Role.WINDOW,
        QPalette.ColorRole.WindowText: Role.TEXT,
        QPalette.ColorRole.Base: Role.CARD,
        QPalette.ColorRole.AlternateBase: Role.ALT_BASE,
        QPalette.ColorRole.Text: Role.TEXT,
        QPalette.ColorRole.Button: Role.CARD,
        QPalette.ColorRole.ButtonText: Role.TEXT,
        QPalette.ColorRole.Highlight: Role.ACCENT,
        QPalette.ColorRole.HighlightedText: Role.ON_ACCENT,
        QPalette.ColorRole.ToolTipBase: Role.CARD,
        QPalette.ColorRole.ToolTipText: Role.TEXT,
        QPalette.ColorRole.PlaceholderText: Role.PLACEHOLDER,
        QPalette.ColorRole.Link: Role.ACCENT,
    }
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for qt_role, role in roles.items():
            pal.setColor(group, qt_role, colour(role))
    for qt_role, role in roles.items():
        pal.setColor(QPalette.ColorGroup.Disabled, qt_role, colour(role))
    for qt_role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, qt_role, colour(Role.DISABLED))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, colour(Role.DISABLED))
    return pal


def _accessibility_hints() -> QAccessibilityHints:
    """The OS accessibility hints, fetched once and kept: PySide6 6.11 deletes the
    C++ object when the first Python wrapper of it is collected, so a second
    ``styleHints().accessibility()`` would find it already deleted."""
    if _State.hints is None:
        _State.style_hints = QGuiApplication.styleHints()
        _State.hints = _State.style_hints.accessibility()
    return _State.hints


def os_wants_high_contrast() -> bool:
    preference = _accessibility_hints().contrastPreference()
    return bool(preference == Qt.ContrastPreference.HighContrast)


def _derive(system: QPalette) -> dict[Role, QColor]:
    """Every role from the OS palette (high contrast)."""
    colours: dict[Role, QColor] = {}
    for role in Role:
        if role.kind == "scrim":
            colours[role] = QColor(role.light)
            continue
        group, qt_role = _KIND_TO_PALETTE[role.kind]
        colours[role] = QColor(system.color(group, qt_role))
    return colours


def apply(app: QApplication, high_contrast: bool | None = None, text_scale: float = 1.0) -> None:
    """Fusion, the palette, the style sheet; the OS font scaled by ``text_scale``.

    ``high_contrast`` None asks the OS. The OS palette and font are remembered
    on the first call, so applying again (another scale, contrast change) starts
    from them and not from our own.
    """
    if _State.system_palette is None:
        _State.system_palette = QPalette(app.palette())
        _State.system_font_size = _system_point_size(app)
    if not _State.following_os:
        _State.following_os = True
        hints = _accessibility_hints()
        hints.contrastPreferenceChanged.connect(lambda _p: apply(app, None, _State.scale))
    _State.high_contrast = os_wants_high_contrast() if high_contrast is None else high_contrast
    _State.scale = text_scale
    if _State.high_contrast:
        _State.colours = _derive(_State.system_palette)
    else:
        _State.colours = {role: QColor(role.light) for role in Role}
    for role, target in _State.live.items():
        target.setRgba(_State.colours[role].rgba())
    if app.style().name().lower() != "fusion":  # replacing a live style can crash widgets
        app.setStyle("Fusion")
    app.setPalette(palette())
    font = QFont(app.font())
    font.setPointSizeF(_State.system_font_size * text_scale)
    app.setFont(font)
    _State.base_point_size = _State.system_font_size * text_scale
    # Widgets waiting for deletion are deleted first: re-styling a half-deleted widget
    # crashes Qt (only possible outside the event loop: tests, screenshots).
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.setStyleSheet(sheet(STYLE))


def _system_point_size(app: QApplication) -> float:
    size = app.font().pointSizeF()
    if size <= 0:  # a pixel-sized OS font
        size = app.font().pixelSize() * 72 / max(1.0, app.primaryScreen().logicalDotsPerInch())
    return size
