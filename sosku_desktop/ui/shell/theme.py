"""The calm look: Fusion, a light palette with one teal accent, a readable font.

Colours are chosen for long days on a laptop in varying light: low-contrast
surfaces, high-contrast text, one accent for the next action, and warm
tones reserved for reminders that need attention.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#2b6777"
ACCENT_DARK = "#1f4f5c"
ACCENT_SOFT = "#e3eff1"
TEXT = "#1f2933"
MUTED = "#5f6b76"
WINDOW = "#f4f5f7"
CARD = "#ffffff"
BORDER = "#d9dee3"
NAV = "#22343f"
NAV_TEXT = "#dbe4ea"
ERROR = "#b3261e"
SEVERITY = {"urgent": "#b3261e", "warning": "#a65c00", "info": "#2b6777"}
SEVERITY_BG = {"urgent": "#fbe9e7", "warning": "#fdf1e1", "info": "#e3eff1"}

FONT_POINT_SIZE = 10

STYLE = f"""
QWidget {{ color: {TEXT}; }}
QMainWindow, QDialog, QWizard {{ background: {WINDOW}; }}
#nav {{ background: {NAV}; }}
#nav QLabel {{ color: {NAV_TEXT}; }}
#navTitle {{ color: white; font-size: 15pt; font-weight: bold; }}
#navList {{ background: transparent; border: none; color: {NAV_TEXT}; outline: 0; }}
#navList::item {{ padding: 0 14px; border-radius: 6px; margin: 1px 8px; }}
#navList::item:selected {{ background: {ACCENT}; color: white; }}
#navList::item:hover:!selected {{ background: #2e4452; }}
#nav QPushButton {{ background: #2e4452; color: {NAV_TEXT}; border: none;
    border-radius: 6px; padding: 7px 12px; text-align: left; }}
#nav QPushButton:hover {{ background: #38525f; }}
QFrame#card {{ background: {CARD}; border: 1px solid {BORDER}; border-radius: 8px; }}
QFrame#lockCard {{ background: {CARD}; border: 1px solid {BORDER}; border-radius: 10px; }}
QLabel#pageTitle {{ font-size: 17pt; font-weight: bold; }}
QLabel#clientName {{ font-size: 17pt; font-weight: bold; }}
QLabel#sectionTitle, QLabel#intakeOutcome {{ font-size: 12pt; font-weight: bold; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#bigNumber {{ font-size: 20pt; font-weight: bold; color: {ACCENT_DARK}; }}
QLabel#fieldError {{ color: {ERROR}; }}
QLabel#notice {{ background: {ACCENT_SOFT}; border-radius: 6px; padding: 8px 10px; }}
QLabel#warningNotice {{ background: {SEVERITY_BG["warning"]}; border-radius: 6px;
    padding: 8px 10px; }}
QPushButton {{ padding: 6px 14px; border: 1px solid {BORDER}; border-radius: 6px;
    background: {CARD}; }}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:focus {{ border: 2px solid {ACCENT}; }}
QPushButton:disabled {{ color: #9aa5ae; }}
QPushButton[primary="true"] {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QPushButton[primary="true"]:hover {{ background: {ACCENT_DARK}; }}
QPushButton[primary="true"]:focus {{ border: 2px solid {ACCENT_DARK}; }}
QPushButton[link="true"] {{ border: none; background: transparent; color: {ACCENT};
    padding: 2px 4px; text-decoration: underline; }}
QLineEdit, QPlainTextEdit, QTextEdit {{ background: {CARD}; border: 1px solid {BORDER};
    border-radius: 5px; padding: 4px 6px; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus {{ border: 2px solid {ACCENT}; }}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"] {{ border: 2px solid {ERROR}; }}
QComboBox, QDateEdit, QTimeEdit, QDateTimeEdit, QSpinBox, QDoubleSpinBox {{ min-height: 24px; }}
QTableView, QTreeView, QListView, QListWidget, QTreeWidget {{ background: {CARD};
    border: 1px solid {BORDER}; border-radius: 6px; alternate-background-color: #f8f9fa;
    selection-background-color: {ACCENT_SOFT}; selection-color: {TEXT}; }}
QTreeView::item, QListView::item {{ padding: 3px 2px; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 2px; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 2px; }}
QScrollBar::handle {{ background: #c4ccd3; border-radius: 3px; min-height: 24px; min-width: 24px; }}
QScrollBar::handle:hover {{ background: #a9b4bd; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
QHeaderView::section {{ background: #eef1f4; border: none; border-bottom: 1px solid {BORDER};
    padding: 6px 8px; font-weight: bold; }}
QTabWidget::pane {{ border: 1px solid {BORDER}; border-radius: 6px; background: {CARD};
    top: -1px; }}
QTabBar::tab {{ padding: 7px 14px; border: 1px solid transparent; margin-right: 2px;
    color: {MUTED}; }}
QTabBar::tab:selected {{ background: {CARD}; border: 1px solid {BORDER};
    border-bottom-color: {CARD}; border-top-left-radius: 6px; border-top-right-radius: 6px;
    color: {TEXT}; font-weight: bold; }}
QProgressBar {{ border: 1px solid {BORDER}; border-radius: 5px; background: #eef1f4;
    text-align: center; height: 14px; }}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 4px; }}
QStatusBar {{ background: #eaedf0; color: {MUTED}; }}
QScrollArea {{ border: none; background: transparent; }}
QScrollArea > QWidget#qt_scrollarea_viewport {{ background: transparent; }}
QGroupBox {{ font-weight: bold; border: 1px solid {BORDER}; border-radius: 6px;
    margin-top: 12px; padding-top: 8px; background: {CARD}; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; }}
"""


def palette() -> QPalette:
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: WINDOW,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: CARD,
        QPalette.ColorRole.AlternateBase: "#f8f9fa",
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: CARD,
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: CARD,
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.PlaceholderText: "#8a96a0",
        QPalette.ColorRole.Link: ACCENT,
    }
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#9aa5ae"))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#9aa5ae"))
    return pal


def apply(app: QApplication) -> None:
    """Fusion style, the palette, the style sheet and a ~10 pt font."""
    app.setStyle("Fusion")
    app.setPalette(palette())
    font = QFont(app.font())
    font.setPointSize(FONT_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(STYLE)
