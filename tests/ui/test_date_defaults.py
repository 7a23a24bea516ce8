"""Empty date fields start at the app's today (the context clock), never the computer's date.

The clock here is pinned to a day far from the machine's, so a field that
falls back to ``date.today()`` / ``QDate.currentDate()`` shows up as a wrong date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

import sosku_desktop.ui as ui_package
from sosku_desktop.ui.dialogs.period_forms import AgreementDialog
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s

PINNED = datetime(2024, 2, 29, 9, 30)


@pytest.fixture
def shell(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, MainWindow]]:
    store = s.empty_store(tmp_path)
    ctx = s.context(store, now=PINNED)
    client, _ = s.add_client(store, "Aino", "Korhonen", date(2024, 1, 8))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_client(client.id)
    yield ctx, window
    window.close()
    store.close()


def test_unsigned_agreement_signed_on_starts_at_the_app_today(
    shell: tuple[AppContext, MainWindow],
) -> None:
    _, window = shell
    dialog = window.client_view.period_tab.edit_agreement()
    assert isinstance(dialog, AgreementDialog)
    assert not dialog.signed.isChecked()
    assert dialog.signed_on.date() == QDate(2024, 2, 29)
    dialog.signed.setChecked(True)
    assert dialog.value().signed_on == date(2024, 2, 29)
    dialog.reject()


def test_no_ui_module_reads_the_machine_date() -> None:
    """Every date default in the UI comes from the context clock, which tests pin.

    The one exception is the clock itself: ``shell/context.py`` is where the real time enters.
    """
    machine_date = re.compile(r"\bdate\.today\(\)|QDate\.currentDate\(\)|datetime\.now\(\)")
    root = Path(ui_package.__file__).parent
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if machine_date.search(line) and path != root / "shell" / "context.py"
    ]
    assert found == []
