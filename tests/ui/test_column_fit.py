"""Table columns fitted to the view: the widest give way, the short ones stay whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QFontMetrics, QStandardItem, QStandardItemModel
from pytestqt.qtbot import QtBot

from sosku_desktop.ui.shell.main_window import MainWindow
from sosku_desktop.ui.widgets.column_fit import capped_widths, fit_columns
from sosku_desktop.ui.widgets.common import table_view
from tests.ui import shell_support as s
from tests.ui.layout_support import settle, themed


def test_only_the_widest_columns_are_cut_when_the_table_is_too_wide() -> None:
    # date, time, kind, status, duration, place, notes in 716 px
    widths = capped_widths([96, 70, 180, 100, 80, 150, 320], 716, 70)
    assert widths[:2] == [96, 70] and widths[3:5] == [100, 80]  # short columns whole
    assert widths[2] == widths[5] == widths[6] < 150
    assert sum(widths) <= 716


def test_columns_that_fit_keep_their_widths_and_none_goes_below_the_minimum() -> None:
    assert capped_widths([90, 100], 400, 70) == [90, 100]
    assert capped_widths([300, 300, 300], 150, 70) == [70, 70, 70]


def test_a_fitted_table_follows_its_width_and_keeps_the_date_whole(qtbot: QtBot) -> None:
    model = QStandardItemModel(0, 3)
    for _ in range(5):
        model.appendRow(
            [QStandardItem("24.11.2026"), QStandardItem("Kotikäynti"), QStandardItem("x" * 90)]
        )
    view = table_view(model)
    qtbot.addWidget(view)
    view.resize(900, 300)
    view.show()
    fit_columns(view)
    header = view.horizontalHeader()
    date_width = header.sectionSize(0)
    assert header.sectionSize(0) + header.sectionSize(1) + header.sectionSize(2) >= 880
    view.resize(360, 300)
    qtbot.waitUntil(lambda: not view.horizontalScrollBar().isVisible())
    assert header.sectionSize(0) == date_width  # "24.11.2026", not "24.11.2…"
    assert header.sectionSize(2) < 200


@pytest.mark.parametrize("lang", ["sv", "fi", "en"])
def test_client_names_stay_whole_in_the_list_at_1024x600(
    tmp_path: Path, qtbot: QtBot, lang: str
) -> None:
    """The first column names the row: other columns give way before "Andersson, …".
    (Only as far as the other headers stay readable: a 25-letter double-barrelled name
    may still end in "…" in Finnish, whose headers are the widest.)"""
    store = s.demo_store(tmp_path)
    ctx = s.context(store, lang)
    with themed():
        window = MainWindow(ctx, lock_minutes=240)
        qtbot.addWidget(window)
        window.resize(1024, 600)
        window.show()
        window.go("clients")
        settle()
        table = window.clients.table
        model, header = table.model(), table.horizontalHeader()
        metrics = QFontMetrics(table.font())
        names = [str(model.index(row, 0).data()) for row in range(model.rowCount())]
        names = [name for name in names if len(name) <= 20]
        widest = max(metrics.horizontalAdvance(name) for name in names)
        assert header.sectionSize(0) >= widest + 8, (header.sectionSize(0), widest)
        assert not table.horizontalScrollBar().isVisible()
    window.close()
    store.close()


def test_optional_columns_give_way_and_come_back(qtbot: QtBot) -> None:
    """A narrow table hides its optional columns (in order) until the rest fit whole,
    and shows them again when widened; the naming column is never cut to "Ande…"."""
    from PySide6.QtWidgets import QTableView

    model = QStandardItemModel(3, 4)
    for r, values in enumerate(
        [
            ("Laaksonen-Hyvärinen, Olli", "220387-977K", "040 123 4567", "Sanna Virtanen"),
            ("Andersson, Maria", "171175-970F", "050 765 4321", "Mikko Laine"),
            ("Hassan, Fatima", "250692-9146", "044 111 2222", "Sanna Virtanen"),
        ]
    ):
        for c, value in enumerate(values):
            model.setItem(r, c, QStandardItem(value))
    model.setHorizontalHeaderLabels(["Nimi", "Henkilötunnus", "Puhelin", "Omatyöntekijä"])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(1000, 300)
    view.show()
    fit_columns(view, optional=(2, 3))
    header = view.horizontalHeader()
    assert not any(header.isSectionHidden(c) for c in range(4))
    names = view.fontMetrics().horizontalAdvance("Laaksonen-Hyvärinen, Olli")
    view.resize(names + 260, 300)
    settle()
    assert [header.isSectionHidden(c) for c in range(4)] == [False, False, True, True]
    assert view.columnWidth(0) >= names
    view.resize(1000, 300)
    settle()
    assert not any(header.isSectionHidden(c) for c in range(4))
