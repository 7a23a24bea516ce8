"""Colours are named roles in the theme only; the OS font size and high contrast win."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from sosku_desktop.ui.shell import theme
from sosku_desktop.ui.shell.theme import Role

UI = Path(__file__).resolve().parents[2] / "sosku_desktop" / "ui"
THEME = UI / "shell" / "theme.py"
HEX = re.compile(r"#[0-9a-fA-F]{3,8}\b")
NAMED = re.compile(r"QColor\(\s*[\"'][a-z]+[\"']\s*\)|Qt\.GlobalColor\.(?!transparent)")


def colour_literals(path: Path) -> list[str]:
    """Hex colours in string literals (comments do not count) and named QColors."""
    found: list[str] = []
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING or token.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
            found += [f"{path.name}:{token.start[0]}: {m}" for m in HEX.findall(token.string)]
    found += [f"{path.name}: {m}" for m in NAMED.findall(source)]
    return found


def test_no_colour_literal_in_ui_outside_the_theme() -> None:
    bad = [hit for p in sorted(UI.rglob("*.py")) if p != THEME for hit in colour_literals(p)]
    assert bad == []


def test_the_literal_checker_can_fail(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(
        'x.setStyleSheet("color: #5f6368;")  # not #123456\nQColor("white")\n', encoding="utf-8"
    )
    assert len(colour_literals(planted)) == 2


@pytest.fixture
def app(qtbot: QtBot) -> Iterator[QApplication]:
    """The application, given back untouched: palette, font and sheet restored."""
    application = QApplication.instance()
    assert isinstance(application, QApplication)
    palette, font, sheet = QPalette(application.palette()), QFont(application.font()), ""
    sheet = application.styleSheet()
    yield application
    theme.forget_os_settings()
    theme._State.colours = {role: QColor(role.light) for role in Role}
    application.setStyleSheet(sheet)
    application.setPalette(palette)
    application.setFont(font)


def test_light_roles_meet_wcag_contrast_for_text() -> None:
    """Every text role on the surfaces it is drawn on reads at ≥ 4.5:1."""
    pairs = [
        (Role.TEXT, Role.WINDOW),
        (Role.MUTED, Role.WINDOW),
        (Role.MUTED, Role.CARD),
        (Role.MUTED, Role.STATUS_BG),
        (Role.MUTED, Role.INFO_BG),
        (Role.PLACEHOLDER, Role.CARD),
        (Role.ACCENT, Role.CARD),
        (Role.ON_ACCENT, Role.ACCENT),
        (Role.NAV_TEXT, Role.NAV),
        (Role.NAV_TEXT, Role.NAV_HOVER),
        (Role.ERROR, Role.WINDOW),
        (Role.ERROR, Role.URGENT_BG),
        (Role.WARNING, Role.WARNING_BG),
        (Role.WARNING, Role.CARD),
        (Role.SUCCESS, Role.WINDOW),
        (Role.PRESENT, Role.PRESENT_BG),
        (Role.ABSENT, Role.ABSENT_BG),
        (Role.EXCUSED, Role.EXCUSED_BG),
        (Role.EXCUSED, Role.CARD),
        (Role.CAL_PLANNED, Role.CAL_PLANNED_BG),
        (Role.CAL_REALISED, Role.CAL_REALISED_BG),
        (Role.CAL_CANCELLED, Role.CAL_CANCELLED_BG),
        (Role.CAL_SESSION, Role.CAL_SESSION_BG),
        (Role.CAL_KEY_DATE, Role.CAL_KEY_DATE_BG),
        (Role.MUTED, Role.WEEKEND_BG),
        (Role.CHART_MUTED, Role.CARD),
        (Role.CHART_INK, Role.CARD),
        (Role.SELECTION_TEXT, Role.SELECTION_BG),
    ]
    low = [
        (fg.name, bg.name, round(theme.contrast(QColor(fg.light), QColor(bg.light)), 2))
        for fg, bg in pairs
        if theme.contrast(QColor(fg.light), QColor(bg.light)) < 4.5
    ]
    assert low == []


def test_placeholder_text_reads_at_four_and_a_half_to_one(app: QApplication) -> None:
    theme.forget_os_settings()
    theme.apply(app, high_contrast=False)
    edit = QLineEdit()
    pal = edit.palette()
    ratio = theme.contrast(
        pal.color(QPalette.ColorRole.PlaceholderText), pal.color(pal.ColorRole.Base)
    )
    assert ratio >= 4.5


def test_font_follows_the_os_size_and_headings_scale_with_it(app: QApplication) -> None:
    os_font = QFont(app.font())
    os_font.setPointSizeF(13)
    app.setFont(os_font)
    theme.forget_os_settings()
    theme.apply(app, high_contrast=False)
    assert app.font().pointSizeF() == pytest.approx(13)  # no fixed 10 pt
    assert f"font-size: {theme.point_size('TITLE')}pt" in app.styleSheet()
    assert theme.point_size("TITLE") == pytest.approx(13 * 1.7, abs=0.1)
    theme.apply(app, high_contrast=False, text_scale=1.5)  # "150 % text"
    assert app.font().pointSizeF() == pytest.approx(19.5)
    assert theme.point_size() == pytest.approx(19.5)


def test_high_contrast_takes_every_role_from_the_os_palette(app: QApplication) -> None:
    os_palette = QPalette()
    for role, name in (
        (QPalette.ColorRole.Window, "#000000"),
        (QPalette.ColorRole.WindowText, "#ffffff"),
        (QPalette.ColorRole.Base, "#000000"),
        (QPalette.ColorRole.Text, "#ffffff"),
        (QPalette.ColorRole.Highlight, "#1aebff"),
        (QPalette.ColorRole.HighlightedText, "#000000"),
    ):
        os_palette.setColor(role, QColor(name))
    app.setPalette(os_palette)
    theme.forget_os_settings()
    theme.apply(app, high_contrast=True)
    assert app.palette().color(QPalette.ColorRole.Window) == QColor("#000000")
    assert theme.colour(Role.MUTED) == QColor("#ffffff")
    assert theme.colour(Role.WARNING_BG) == QColor("#000000")
    assert theme.colour(Role.ACCENT) == QColor("#1aebff")
    sheet = app.styleSheet()
    assert "#f4f5f7" not in sheet and "#5f6b76" not in sheet  # no light colour is left
    for role in Role:  # text roles on surfaces: all white on black
        if role.kind == "text":
            assert theme.contrast(theme.colour(role), theme.colour(Role.CARD)) >= 7


def test_sheet_fills_roles_and_font_sizes() -> None:
    filled = theme.sheet("color: $MUTED; font-size: $FONT_SMALL; background: $SCRIM;")
    assert "$" not in filled and theme.css(Role.MUTED) in filled and "rgba(" in filled
