"""A worker's day, a hundred times over: widget and QObject counts must not grow.

The loop records a home visit (and takes it back with the undo link, so the
caseload itself stays the same size), cancels a second meeting dialog, takes
attendance, visits every page (a third of them each round), opens and closes
the settings, locks and unlocks (every second round), and every fifth round
switches the language. Counts after round 20 and after round 100 are
compared (both four rounds after a switch, when every page has been built
again, both in Finnish): anything that grows with the number of rounds (a
dialog kept under the main window, a page kept after a rebuild) makes the
difference grow by at least one per round. RSS figures are printed for the
record (never asserted: they are noisy). Measured: widgets 901 -> 901,
QObjects 1471 -> 1472, RSS 244 MiB at start, 270 MiB at round 20, 273 MiB at
round 100 (before the fix each cancelled meeting dialog stayed, ~3.4 MB).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes
from sosku_desktop.store.demo import DEMO_PASSPHRASE
from sosku_desktop.ui.dialogs.meeting_dialog import MeetingDialog
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import NAV_KEYS, MainWindow
from tests.ui import shell_support as s

ROUNDS = int(os.environ.get("SOAK_ROUNDS", "100"))  # fewer only when debugging
MEASURE_AT = int(os.environ.get("SOAK_AT", "20"))
#: Slack for caches that fill once (fonts, completer popups) between the two counts;
#: a leak of one object per round adds 80.
SLACK = 10


@pytest.fixture
def shell(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, MainWindow]]:
    store = s.demo_store(tmp_path)
    ctx = s.context(store)
    window = MainWindow(ctx, lock_minutes=30)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    yield ctx, window
    window.close()
    store.close()


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def counts() -> tuple[int, int]:
    """(widgets, QObjects) alive now, after deferred deletes and Python's collector."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
        gc.collect()
    widgets = QApplication.allWidgets()
    roots = [w for w in widgets if w.parent() is None]
    app = QCoreApplication.instance()
    objects = sum(len(r.findChildren(QObject)) + 1 for r in roots)
    objects += len(app.findChildren(QObject)) if app is not None else 0
    return len(widgets), objects


def one_day(ctx: AppContext, window: MainWindow, round_no: int, qtbot: QtBot) -> None:
    with ctx.store.read() as r:
        periods = [r.current_period(c.id) for c in r.clients()]
        clients = [p.client_id for p in periods if p and p.status == codes.PERIOD_ACTIVE][:6]
        sessions = r.sessions_between(s.TODAY - timedelta(days=14), s.TODAY)
    window.go("today")
    window.open_client(clients[round_no % len(clients)])
    dialog = window.client_view.record_meeting()
    assert isinstance(dialog, MeetingDialog)
    dialog.notes.setPlainText(f"Kotikäynti {round_no}")
    assert dialog.submit(codes.MEETING_REALISED)
    assert window.undo_last_meeting(), (dialog.general_error.text(), dialog.errors.first_invalid())
    cancelled = window.client_view.record_meeting()
    assert cancelled is not None
    cancelled.reject()
    groups = window.page_by_key["groups"]
    window.go("groups")
    assert groups.open_session(sessions[-1].id)  # type: ignore[attr-defined]
    sheet = groups.sheet  # type: ignore[attr-defined]
    sheet.view.setCurrentIndex(sheet.model.index(0, 0))
    qtbot.keyClick(sheet.view, Qt.Key.Key_1 if round_no % 2 else Qt.Key.Key_2)
    sheet.save()
    for key, _ in NAV_KEYS[round_no % 3 :: 3]:  # every page every third round
        window.go(key)
    window.go("today")
    if round_no % 2 == 0:
        settings = window.open_settings()
        assert settings is not None
        settings.close()
        window.lock.lock()
        assert window.lock.try_unlock(DEMO_PASSPHRASE)
    if round_no % 5 == 1:
        window.set_language("sv" if ctx.lang == "fi" else "fi")
    # Back to the event loop, as after every action of the real app (deferred deletes run).
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_hundred_working_days_do_not_grow_widgets_or_objects(
    shell: tuple[AppContext, MainWindow], qtbot: QtBot
) -> None:
    ctx, window = shell
    start_rss = rss_kib()
    measured: dict[int, tuple[int, int]] = {}
    rss: dict[int, int] = {}
    for round_no in range(1, ROUNDS + 1):
        one_day(ctx, window, round_no, qtbot)
        if round_no in (MEASURE_AT, ROUNDS):
            measured[round_no] = counts()
            rss[round_no] = rss_kib()
    (w20, o20), (w100, o100) = measured[MEASURE_AT], measured[ROUNDS]
    print(
        f"\nsoak: widgets {w20} -> {w100}, QObjects {o20} -> {o100};"
        f" RSS start {start_rss // 1024} MiB, round {MEASURE_AT} {rss[MEASURE_AT] // 1024} MiB,"
        f" round {ROUNDS} {rss[ROUNDS] // 1024} MiB"
    )
    assert ctx.lang == "fi"  # the same language at both counts
    assert w100 - w20 <= SLACK, (w20, w100)
    assert o100 - o20 <= SLACK, (o20, o100)
