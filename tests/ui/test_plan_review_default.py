"""The implementation plan's review date starts at the next interim evaluation."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from sosku_desktop.ui.dialogs.period_forms import PlanDialog, date_of
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s


def test_a_new_plan_is_reviewed_at_the_next_interim_evaluation(
    tmp_path: Path, qtbot: QtBot
) -> None:
    """QA walk: the review date had no default (it showed "–")."""
    store = s.empty_store(tmp_path)
    client, _ = s.add_client(store, "Aino", "Korhonen", s.TODAY - timedelta(days=40))
    window = MainWindow(s.context(store))
    qtbot.addWidget(window)
    window.show()
    window.open_client(client.id)
    dialog = window.client_view.period_tab.edit_plan()
    assert isinstance(dialog, PlanDialog)
    # the period began 15.10.2026: the first interim evaluation is due 14.1.2027
    assert date_of(dialog.review_on, True) == date(2027, 1, 14)
    assert dialog.value().review_on == date(2027, 1, 14)
    dialog.review_on.setDate(QDate(2026, 12, 15))  # the worker's own choice is kept
    assert dialog.value().review_on == date(2026, 12, 15)
    dialog.reject()
    window.close()
    store.close()
