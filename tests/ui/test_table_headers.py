"""Table headers stay readable: at 1024×600, in fi, sv and en, and with 150 % text.

QA: the clients list cut its Swedish headers mid-word at 1024×600
("Personbeteckn", "Perioden slut", "Egen kontaktper"). Columns now narrow
down to what their header needs with a word a line (``widgets.columns``);
headers wrap at word breaks, cells give way first. A table filled while its
tab was hidden is fitted to its width when shown (the decisions tab cut its
numbers and dates in a window of 1280 pixels).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s
from tests.ui.layout_support import settle, sideways_scrolling, themed, walk_views

#: The header's left and right padding in the theme (``QHeaderView::section``).
PADDING = 16


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


def cut_headers(root: MainWindow, elided: bool = False) -> list[str]:
    """Header texts of visible tables that are cut: a line wider than its section, or
    words lost (``elided``: a word may end in "…"). Measured in the header's bold font,
    independently of the fitting."""
    found = []
    for view in root.findChildren(QTableView):
        header = view.horizontalHeader()
        if not (view.isVisible() and header.isVisible()):
            continue
        font = header.font()
        font.setBold(True)
        metrics = QFontMetrics(font)
        model = view.model()
        for column in range(header.count()):
            if header.isSectionHidden(column):
                continue
            shown = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            whole = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
            widest = max(metrics.horizontalAdvance(line) for line in shown.split("\n"))
            words = shown.split()
            if elided and isinstance(whole, str):
                words = [w if w in whole.split() else _whole_word(w, whole) for w in words]
            if widest + PADDING > header.sectionSize(column) or (
                isinstance(whole, str) and words != whole.split()
            ):
                found.append(
                    f"{view.objectName()}[{column}] {shown!r} {header.sectionSize(column)}"
                )
    return found


#: Views whose tables are fitted by ``fit_columns``: the clients list and the client's tabs.
#: (The group panel and the attendance sheet size their columns themselves.)
FITTED = ("clients", "client/")


@pytest.mark.parametrize("lang", ["sv", "fi", "en"])
def test_headers_are_whole_in_the_client_views_at_1024x600(
    demo: AppContext, qtbot: QtBot, lang: str
) -> None:
    demo.lang = lang
    with themed():
        window = _window(demo, qtbot, (1024, 600))
        problems = {
            view: found
            for view in walk_views(window, demo)
            if view.startswith(FITTED) and (found := cut_headers(window))
        }
        assert problems == {}


def _whole_word(shown: str, whole: str) -> str:
    """The word of ``whole`` that ``shown`` ("Personbetec…") is the start of."""
    start = shown.removesuffix("…")
    return next((w for w in whole.split() if shown.endswith("…") and w.startswith(start)), shown)


@pytest.mark.parametrize("lang", ["sv", "fi"])
def test_the_clients_list_with_150_percent_text(demo: AppContext, qtbot: QtBot, lang: str) -> None:
    """Nothing scrolls sideways (the filters wrap); headers wrap, and where a single word
    is wider than its column can be (150 % text at 1024 pixels) it ends in "…" —
    never cut off mid-letter — with the whole header as its tooltip."""
    demo.lang = lang
    with themed(text_scale=1.5):
        window = _window(demo, qtbot, (1024, 600))
        window.go("clients")
        settle()
        assert cut_headers(window, elided=True) == []
        assert sideways_scrolling(window.centralWidget()) == []


def test_a_table_filled_in_a_hidden_tab_fits_when_shown(demo: AppContext, qtbot: QtBot) -> None:
    from sosku_desktop.ui.shell.screenshots import showcase_client

    with themed():
        window = _window(demo, qtbot, (1280, 800))
        client_id = showcase_client(demo)
        assert client_id is not None
        window.open_client(client_id)
        view = window.client_view
        view.tabs.setCurrentWidget(view.decisions)
        settle()
        table = view.decisions.table
        header = table.horizontalHeader()
        assert table.model().rowCount() > 0
        cut = [
            c
            for c in range(header.count() - 1)  # the last one stretches
            if header.sectionSize(c) < table.sizeHintForColumn(c)
        ]
        assert cut == []
