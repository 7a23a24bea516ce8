"""The window is usable down to 1024×600 and with 150 % text; its geometry is remembered.

"Usable" is measured: no visible control squeezed below its own minimum size
or cut off by its parent (``layout_support.clipped_controls``), and no page
that scrolls sideways. Vertical scrolling is fine on a small screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QListWidget,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QToolButton,
    QTreeView,
)
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import models
from sosku_desktop.domain.ids import new_id
from sosku_desktop.preferences import Preferences
from sosku_desktop.ui.pages.calendar_cards import WRAP, EventCard
from sosku_desktop.ui.shell import geometry
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from sosku_desktop.ui.widgets.assessment_charts import RadarChart
from tests.ui import shell_support as s
from tests.ui.layout_support import (
    broken_words,
    clipped_controls,
    cut_names,
    painted_cut,
    settle,
    sideways_scrolling,
    themed,
    walk_views,
)


@pytest.fixture
def demo(tmp_path: Path, qtbot: QtBot) -> Iterator[AppContext]:
    store = s.demo_store(tmp_path)
    yield s.context(store)
    store.close()


def _window(ctx: AppContext, qtbot: QtBot, size: tuple[int, int]) -> MainWindow:
    window = MainWindow(ctx, lock_minutes=240)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    settle()
    return window


def test_the_window_can_be_made_1024x600(demo: AppContext, qtbot: QtBot) -> None:
    with themed():
        window = _window(demo, qtbot, (1024, 600))
        assert window.minimumSize().width() <= 1024 and window.minimumSize().height() <= 600
        for _view in walk_views(window, demo):
            hint = window.minimumSizeHint()
            assert hint.width() <= 1024 and hint.height() <= 600, _view
        assert window.size() == QSize(1024, 600)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_view_fits_1024x600_without_clipping(
    demo: AppContext, qtbot: QtBot, lang: str
) -> None:
    demo.lang = lang
    with themed():
        window = _window(demo, qtbot, (1024, 600))
        problems = {
            view: found
            for view in walk_views(window, demo)
            if (
                found := clipped_controls(window)
                + sideways_scrolling(window.centralWidget())
                + _squeezed_goal_text(window)
            )
        }
        assert problems == {}


def _large_text_problems(
    ctx: AppContext, qtbot: QtBot, lang: str, views: set[str] | None = None
) -> dict[str, list[str]]:
    """What the checks find on each view (all, or ``views``) at 1024×600 with 150 % text."""
    ctx.lang = lang
    with themed(text_scale=1.5):
        window = _window(ctx, qtbot, (1024, 600))
        return {
            view: found
            for view in walk_views(window, ctx)
            if (views is None or view in views)
            and (
                found := clipped_controls(window)
                + sideways_scrolling(window.centralWidget())
                + painted_cut(window)
                + cut_names(window)
                + broken_words(window)
                + _squeezed_goal_text(window)
            )
        }


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_today_fits_1024x600_with_large_text(demo: AppContext, qtbot: QtBot, lang: str) -> None:
    """The reminders and the agenda side by side needed 900 px: now the agenda goes
    under the reminders, each list at least ten lines high (the page scrolls down)."""
    assert _large_text_problems(demo, qtbot, lang, {"today"}) == {}


@pytest.mark.parametrize("size", [(1024, 600), (1366, 768)])
def test_client_view_and_meeting_dialog_do_not_squeeze_sideways_with_150_percent_text(
    demo: AppContext, qtbot: QtBot, size: tuple[int, int]
) -> None:
    with themed(text_scale=1.5) as app:
        assert app.font().pointSizeF() > 12
        window = _window(demo, qtbot, size)
        page_scroll = window.findChild(QScrollArea, "pageScroll")
        assert page_scroll is not None
        problems = {}
        radars = 0
        for view in walk_views(window, demo):
            if view.startswith("client/"):
                found = clipped_controls(window) + sideways_scrolling(window.centralWidget())
                found += _painted_and_elided_text(window) + _squeezed_goal_text(window)
                radars += sum(r.isVisible() for r in window.findChildren(RadarChart))
                if found:
                    problems[view] = found
        assert problems == {}
        assert radars  # the self-assessment's radar was looked at
        # Every client's period in the header, whatever its dates' length.
        with demo.store.read() as r:
            clients = [c.id for c in r.clients()]
        for client_id in clients:
            window.open_client(client_id)
            settle()
            assert _elided(window.client_view.period_combo) == [], client_id
        assert clipped_controls(window) == []
        _add_a_long_goal(demo, window)
        window.client_view.tabs.setCurrentWidget(window.client_view.goals)
        settle()
        assert _goal_rows(window) > 1  # the long goal among the others
        assert _squeezed_goal_text(window) == []
        for opened in (
            lambda: window.client_view.record_meeting(),
            lambda: _evaluation(window),
            lambda: window.client_view.period_tab.edit_agreement(),
        ):
            dialog = opened()
            assert dialog is not None
            geometry.fit_dialog(dialog, QRect(0, 0, 1024, 600))
            settle()
            assert dialog.minimumSizeHint().width() <= 1024
            assert dialog.width() <= 1024 and dialog.height() <= 600
            assert clipped_controls(dialog) == [], type(dialog).__name__
            dialog.reject()


def _add_a_long_goal(ctx: AppContext, window: MainWindow) -> None:
    """A goal in the client's own words is a sentence: the agreement lists it by a check box."""
    period = window.client_view.period()
    assert period is not None and window.client_view.client_id is not None
    text = "Haluan oppia hoitamaan raha-asiani itse niin, että laskut tulevat maksetuiksi ajallaan"
    with ctx.store.write() as w:
        w.add(models.Goal(id=new_id(), period_id=period.id, text=text))
    window.open_client(window.client_view.client_id)
    settle()


def _goal_tree(window: MainWindow) -> QTreeView | None:
    tree = window.findChild(QTreeView, "goalTree")
    return tree if tree is not None and tree.isVisible() else None


def _goal_indexes(tree: QTreeView, parent: QModelIndex | None = None) -> list[QModelIndex]:
    model = tree.model()
    parent = parent or QModelIndex()
    found = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        found += [index, *_goal_indexes(tree, index)]
    return found


def _goal_rows(window: MainWindow) -> int:
    tree = _goal_tree(window)
    return 0 if tree is None else len(_goal_indexes(tree))


def _squeezed_goal_text(window: MainWindow) -> list[str]:
    """The goal text is what the worker reads: at least half the tree, each goal whole.

    The figures beside it (progress, SMART, status) once took so much that the
    words were cut to a few letters and an ellipsis.
    """
    tree = _goal_tree(window)
    if tree is None:
        return []
    found = []
    width = tree.viewport().width()
    if tree.columnWidth(0) < width // 2:
        found.append(f"goal text column {tree.columnWidth(0)} px of {width} px")
    if tree.horizontalScrollBar().isVisible():
        found.append("goal tree scrolls sideways")
    margin = 2 * (tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1)
    for index in _goal_indexes(tree):
        rect = tree.visualRect(index)
        lines = QRect(0, 0, rect.width() - margin, 1 << 16)
        wrap = int(Qt.TextFlag.TextWordWrap)
        needed = tree.fontMetrics().boundingRect(lines, wrap, str(index.data())).height()
        if needed > rect.height():
            found.append(f"a goal's text needs {needed} px, its row is {rect.height()} px")
    return found


def _evaluation(window: MainWindow) -> QDialog | None:
    """The interim evaluation, whose "continues" check box had a sentence for its text."""
    view = window.client_view
    view.tabs.setCurrentWidget(view.period_tab)
    return view.period_tab.record_evaluation()


def _elided(combo: QComboBox) -> list[str]:
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    if combo.fontMetrics().horizontalAdvance(combo.currentText()) > field.width():
        return [f"{combo.currentText()!r} elided in {field.width()} px"]
    return []


def _painted_and_elided_text(window: MainWindow) -> list[str]:
    """What the generic check cannot see: painted area names, an elided period, tiny arrows."""
    found = []
    for radar in window.findChildren(RadarChart):
        if radar.isVisible():
            radar.grab()  # paint now, at this size
            found += [f"radar label {name!r} cut" for name in radar.clipped_labels()]
    found += _elided(window.client_view.period_combo)
    for listing in window.findChildren(QListWidget):
        if listing.isVisible() and listing.horizontalScrollBar().isVisible():
            found.append(f"list {listing.objectName()!r} scrolls sideways (its lines are cut)")
    bar = window.client_view.tabs.tabBar()
    text_h = bar.fontMetrics().height()
    for arrow in bar.findChildren(QToolButton):
        if arrow.isVisible() and arrow.width() < text_h:  # as wide as a line of text is high
            found.append(f"tab scroll arrow {arrow.width()} px wide for {text_h} px text")
    return found


def test_pages_do_not_scroll_when_they_fit(demo: AppContext, qtbot: QtBot) -> None:
    """At 1366×768 no page shows the page scroll bars (only a small window does)."""
    with themed():
        window = _window(demo, qtbot, (1366, 768))
        area = window.findChild(QScrollArea, "pageScroll")
        assert area is not None
        scrolled = [
            view
            for view in walk_views(window, demo)
            if area.verticalScrollBar().isVisible() or area.horizontalScrollBar().isVisible()
        ]
        assert scrolled == []


def test_the_checker_sees_a_clipped_button(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

    holder = QWidget()
    qtbot.addWidget(holder)
    row = QHBoxLayout(holder)
    wide = QPushButton("A button with a long label that cannot fit")
    row.addWidget(wide)
    holder.setFixedWidth(80)
    holder.show()
    settle()
    assert clipped_controls(holder) != []


# --- geometry --------------------------------------------------------------------------


def test_first_start_opens_at_a_size_that_fits_the_screen() -> None:
    big = geometry.default_geometry(QRect(0, 0, 1920, 1040))
    assert big.size() == QSize(1366, 768) and QRect(0, 0, 1920, 1040).contains(big)
    # A 1920×1080 laptop at 150 %: 1280×672 logical pixels available.
    small = geometry.default_geometry(QRect(0, 0, 1280, 672))
    assert QRect(0, 0, 1280, 672).contains(small)
    assert small.height() < 672 and small.width() <= 1280


def test_a_saved_geometry_is_clamped_to_the_screen_there_is_now() -> None:
    saved = QRect(2500, 900, 1600, 1000)  # last used on a big second monitor
    placed = geometry.clamp(saved, QRect(0, 0, 1366, 728))
    assert QRect(0, 0, 1366, 728).contains(placed)
    assert placed.size() == QSize(1366, 728)
    assert geometry.parse("10,20,1200,700,0") == (QRect(10, 20, 1200, 700), False)
    assert geometry.parse("nonsense") is None and geometry.parse("1,2,3,4,0") is None


def test_geometry_is_saved_on_close_and_restored_on_start(demo: AppContext, qtbot: QtBot) -> None:
    screen = QApplication.primaryScreen()
    assert screen is not None
    available = screen.availableGeometry()
    window = _window(demo, qtbot, (700, 520))
    window.geometry_prefs = demo.prefs
    window.move(available.topLeft())
    window.resize(min(900, available.width()), min(560, available.height()))
    settle()
    expected = window.geometry()
    window.close()
    stored = Preferences(demo.store.data_dir).get("window_geometry")
    assert geometry.parse(stored) == (expected, False)
    again = MainWindow(demo, lock_minutes=240)
    qtbot.addWidget(again)
    geometry.restore(again, Preferences(demo.store.data_dir))
    again.show()
    settle()
    placed = again.geometry()
    assert placed.size() == expected.size()
    assert abs(placed.x() - expected.x()) <= 4 and abs(placed.y() - expected.y()) <= 4


def test_a_dialog_shown_the_app_way_fits_on_its_screen(qtbot: QtBot) -> None:
    """``open_dialog`` fits a dialog larger than the screen onto it (content scrolls)."""
    from sosku_desktop.ui.widgets.lifetime import open_dialog

    screen = QApplication.primaryScreen()
    assert screen is not None
    available = screen.availableGeometry()
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.resize(available.width() + 700, available.height() + 500)
    dialog.move(available.right() - 50, available.bottom() - 50)
    open_dialog(dialog)
    qtbot.waitExposed(dialog)
    assert dialog.width() <= available.width() and dialog.height() <= available.height()
    assert available.contains(dialog.frameGeometry())
    dialog.reject()


def test_no_python_event_filter_on_the_application() -> None:
    """A Python filter on QApplication makes every Qt event of every object call into
    Python, and each call waits for the GIL while a background thread runs Python:
    dialogs are fitted by a filter on the dialog itself (``geometry.fit_when_shown``)."""
    package = Path(__file__).resolve().parents[2] / "sosku_desktop"
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if any(
            needle in path.read_text(encoding="utf-8")
            for needle in ("app.installEventFilter(", "QApplication.instance().installEventFilter(")
        )
    ]
    assert offenders == []


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_view_fits_1024x600_with_large_text(
    demo: AppContext, qtbot: QtBot, lang: str
) -> None:
    """Every page and client tab at the smallest supported window with 150 % text: no
    page scrolls sideways, no control is squeezed or cut, no painted label is cut and
    no table cuts the names of its rows. Rows of fixed parts side by side were the
    cause: Today's lists, the groups beside a group, the report's header and cards,
    the overview's three columns of cards, a week's day names on one line, the
    self-assessment table's names on one line; now they wrap or stack (``ReflowRow``,
    ``FlowRow``, wrapping labels and cells). A calendar card breaks no word."""
    assert _large_text_problems(demo, qtbot, lang) == {}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_client_list_keeps_names_whole_at_1024x600_with_large_text(
    demo: AppContext, qtbot: QtBot, lang: str
) -> None:
    """Every column gave way alike, so names were cut to ~80 px ("Ande…"); now the
    phone, key worker and phase give way first (the decisions table likewise)."""
    assert _large_text_problems(demo, qtbot, lang, {"clients", "client/decisionsTab"}) == {}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_self_assessment_table_is_as_tall_as_its_wrapped_rows(
    demo: AppContext, qtbot: QtBot, lang: str
) -> None:
    """At 1024×600 with 150 % text the area names and levels wrap into two lines; the
    table had only a maximum height, the layout gave it less and its last row needed a
    small scroll inside the table. Now it is as tall as its header and rows."""
    from PySide6.QtWidgets import QTableWidget

    demo.lang = lang
    with themed(text_scale=1.5):
        window = _window(demo, qtbot, (1024, 600))
        for view in walk_views(window, demo):
            if view == "client/assessmentsTab":
                break
        name = demo.tr("ui.a11y.assessment_table")
        tables = [t for t in window.findChildren(QTableWidget) if t.accessibleName() == name]
        assert len(tables) == 1 and tables[0].isVisible()
        table = tables[0]
        heights = [table.rowHeight(i) for i in range(table.rowCount())]
        assert max(heights) >= 2 * table.fontMetrics().height()  # rows of two lines
        rows = sum(heights)
        assert table.verticalScrollBar().maximum() == 0
        assert table.viewport().height() >= rows


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_calendar_cards_break_names_only_between_words_with_large_text(
    demo: AppContext, qtbot: QtBot, lang: str
) -> None:
    """In a day ~90 px wide a name broke inside ("Korhon" / "en"); now lines break only
    at spaces, a word too wide is elided ("Korho…") and the whole name stays in the
    card's tooltip and accessible name."""
    demo.lang = lang
    with themed(text_scale=1.5):
        window = _window(demo, qtbot, (1024, 600))
        for view in walk_views(window, demo):
            if view == "calendar":
                break
        assert broken_words(window) == [] and clipped_controls(window) == []
        cards = [c for c in window.findChildren(EventCard) if c.isVisible()]
        elided = [c for c in cards if "…" in "".join(t for t, *_ in c.painted_lines())]
        assert elided  # the demo's week has words wider than a day at 150 % text
        for card in elided:
            assert "…" not in card.toolTip() and card.title_text in card.toolTip()
            assert card.title_text in card.accessibleName()
        lone = [line for card in cards for line in _card_lines(card) if line.strip() in "·/"]
        assert lone == []  # "Kotikäynti" / "·" / "suunniteltu": a separator keeps its word


def _card_lines(card: EventCard) -> list[str]:
    """The lines a calendar card paints, as it wraps them at its inner width."""
    from PySide6.QtGui import QTextLayout

    inner = card.width() - card.MARGINS[0] - card.MARGINS[2]
    lines = []
    for text, font, _colour in card.painted_lines():
        layout = QTextLayout(text, font)
        layout.setTextOption(WRAP)
        layout.beginLayout()
        while (line := layout.createLine()).isValid():
            line.setLineWidth(inner)
            lines.append(text[line.textStart() : line.textStart() + line.textLength()])
        layout.endLayout()
    return lines
