"""The UI-thread guard: opening the pages and doing their main actions reads nothing
on the UI thread; loading runs as background work (``ui/shell/tasks.py``).

``store.thread_guard`` tells a watcher of every store access made on the main
thread outside background work. Tasks run synchronously here (as in every UI
test), but their work counts as background: what would freeze the window is
a read *outside* a task, and that is what this test catches. A short
allow-list names the few reads that stay on the UI thread on purpose (tiny
tables read once, not per row or per client).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from sosku_desktop.store import thread_guard
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s

#: (module, function) allowed to read on the UI thread: the team's few workers and the
#: organisation's rules, one small table each (never rows per client).
ALLOWED = frozenset({("context.py", "workers"), ("context.py", "rules")})


class Recorder:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, kind: str) -> None:
        frames = traceback.extract_stack()[:-3]
        ours = [f for f in frames if "sosku_desktop" in f.filename]
        if any((Path(f.filename).name, f.name) in ALLOWED for f in ours):
            return
        where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in ours[::-1][:4])
        self.seen.append(f"{kind}: {where}")


@pytest.fixture
def guarded(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, MainWindow, Recorder]]:
    store = s.demo_store(tmp_path)
    ctx = s.context(store)
    recorder = Recorder()
    thread_guard.watcher = recorder
    try:
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        yield ctx, window, recorder
        window.close()
    finally:
        thread_guard.watcher = None
        store.close()


def check(recorder: Recorder, step: str, action: Callable[[], object]) -> None:
    recorder.seen.clear()
    action()
    assert recorder.seen == [], f"{step} read the store on the UI thread:\n" + "\n".join(
        recorder.seen
    )


def test_the_guard_sees_a_read_on_the_ui_thread(
    guarded: tuple[AppContext, MainWindow, Recorder],
) -> None:
    ctx, _window, recorder = guarded
    recorder.seen.clear()
    with ctx.store.read() as r:
        r.clients()
    assert len(recorder.seen) == 1


def test_start_today_and_clients_read_nothing_on_the_ui_thread(
    guarded: tuple[AppContext, MainWindow, Recorder],
) -> None:
    ctx, window, recorder = guarded
    check(recorder, "start-up", lambda: MainWindow(ctx).close())
    check(recorder, "Today", lambda: window.go("today"))
    check(recorder, "Today, whole team", lambda: window.today.only_mine.setChecked(False))
    check(recorder, "Clients", lambda: window.go("clients"))
    check(recorder, "client search", lambda: QTest.keyClicks(window.clients.search, "kor"))
    check(recorder, "phase filter", lambda: window.clients.phase.setCurrentIndex(2))
    check(recorder, "status bar", window.update_sync_status)
