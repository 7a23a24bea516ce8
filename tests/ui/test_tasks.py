"""ui/shell/tasks.py: work off the main thread, callbacks on it; synchronous in tests."""

from __future__ import annotations

import importlib
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer
from pytestqt.qtbot import QtBot

from sosku_desktop.store.errors import DiskFullError
from sosku_desktop.ui.shell.tasks import Tasks


def test_synchronous_mode_runs_in_order_on_the_calling_thread(qtbot: QtBot) -> None:
    tasks = Tasks(synchronous=True)
    seen: list[tuple[str, int]] = []
    tasks.run(lambda: threading.current_thread().name, lambda name: seen.append((name, 1)))
    tasks.run(lambda: 2, lambda value: seen.append(("value", value)))
    assert seen == [(threading.current_thread().name, 1), ("value", 2)]


def test_background_work_calls_back_on_the_main_thread(qtbot: QtBot) -> None:
    tasks = Tasks()
    main = threading.get_ident()
    worker_thread: list[int] = []
    callback_thread: list[int] = []

    def work() -> int:
        worker_thread.append(threading.get_ident())
        return 42

    results: list[int] = []

    def done(value: int) -> None:
        callback_thread.append(threading.get_ident())
        results.append(value)

    tasks.run(work, done)
    assert tasks.busy()
    tasks.wait()
    assert results == [42]
    assert worker_thread != [main] and callback_thread == [main]
    assert not tasks.busy()


def test_errors_reach_the_handler_on_the_main_thread(qtbot: QtBot) -> None:
    handled: list[BaseException] = []
    tasks = Tasks(on_error=handled.append)

    def fail() -> None:
        raise DiskFullError("simulated")

    tasks.run(fail, lambda _: pytest.fail("no result expected"))
    tasks.wait()
    assert len(handled) == 1 and isinstance(handled[0], DiskFullError)
    own: list[BaseException] = []
    tasks.run(fail, lambda _: None, on_error=own.append)
    tasks.wait()
    assert len(own) == 1 and len(handled) == 1


def test_result_for_a_deleted_owner_is_dropped(qtbot: QtBot) -> None:
    tasks = Tasks()
    owner = QObject()
    seen: list[int] = []
    release = threading.Event()

    def work() -> int:
        release.wait(timeout=30)
        return 1

    tasks.run(work, seen.append, owner=owner)
    import shiboken6

    shiboken6.delete(owner)
    release.set()
    tasks.wait()
    assert seen == []


def test_synchronous_errors_without_a_handler_are_raised(qtbot: QtBot) -> None:
    tasks = Tasks(synchronous=True)
    with pytest.raises(ZeroDivisionError):
        tasks.run(lambda: 1 / 0, lambda _: None)


def test_a_newer_request_supersedes_the_older(qtbot: QtBot) -> None:
    tasks = Tasks()
    tasks.pool.setMaxThreadCount(1)
    release = threading.Event()
    seen: list[str] = []
    tickets = []

    def slow(name: str) -> object:
        def work(ticket: object) -> str:
            release.wait(timeout=30)
            return name

        return work

    tickets.append(tasks.latest("page", slow("first"), seen.append))
    tickets.append(tasks.latest("page", slow("second"), seen.append))  # queued behind
    tickets.append(tasks.latest("page", slow("third"), seen.append))  # takes "second" back
    tasks.latest("other", slow("other"), seen.append)  # another key is not superseded
    assert [t.cancelled() for t in tickets] == [True, True, False]
    release.set()
    tasks.wait()
    assert sorted(seen) == ["other", "third"]
    assert not tasks.busy()


def test_busy_changed_reports_start_and_end(qtbot: QtBot) -> None:
    tasks = Tasks()
    states: list[bool] = []
    tasks.busy_changed.connect(states.append)
    tasks.latest("page", lambda _t: 1, lambda _v: None)
    tasks.wait()
    assert states == [True, False]


def test_slices_run_between_turns_and_a_newer_build_drops_the_rest(qtbot: QtBot) -> None:
    tasks = Tasks()
    states: list[bool] = []
    tasks.busy_changed.connect(states.append)
    seen: list[str] = []

    def first() -> None:
        seen.append("old 0")
        QTimer.singleShot(0, lambda: seen.append("other event"))  # e.g. a paint

    def second() -> None:
        seen.append("old 1")
        tasks.slices("week", [lambda i=i: seen.append(f"new {i}") for i in range(2)])

    rest = [lambda i=i: seen.append(f"old {i}") for i in range(2, 5)]
    tasks.slices("week", [first, second, *rest])
    tasks.slices("columns", [lambda i=i: seen.append(f"column {i}") for i in range(2)])
    assert seen == [] and tasks.busy()  # nothing runs inside the call
    tasks.wait()
    week = [s for s in seen if not s.startswith("column")]
    # other events run between the steps; "old 2" and on were dropped by the newer build
    assert week == ["old 0", "other event", "old 1", "new 0", "new 1"]
    assert [s for s in seen if s.startswith("column")] == ["column 0", "column 1"]
    assert states == [True, False] and not tasks.busy()


def test_slices_stop_with_their_owner_and_run_at_once_when_synchronous(qtbot: QtBot) -> None:
    import shiboken6

    tasks = Tasks()
    owner = QObject()
    seen: list[int] = []
    tasks.slices("week", [lambda i=i: seen.append(i) for i in range(3)], owner=owner)
    shiboken6.delete(owner)
    tasks.wait()
    assert seen == []
    inline = Tasks(synchronous=True)
    inline.slices("week", [lambda i=i: seen.append(i) for i in range(3)])
    assert seen == [0, 1, 2] and not inline.busy()


def test_synchronous_work_counts_as_background_for_the_guard(qtbot: QtBot) -> None:
    from sosku_desktop.store import thread_guard

    seen: list[str] = []
    thread_guard.watcher = seen.append
    try:
        tasks = Tasks(synchronous=True)
        tasks.run(lambda: thread_guard.check("read"), lambda _v: None)
        assert seen == []
        thread_guard.check("read")
        assert seen == ["read"]
    finally:
        thread_guard.watcher = None


def test_the_status_bar_shows_progress_only_for_work_that_lasts(qtbot: QtBot) -> None:
    from sosku_desktop.ui.shell.lazy_pages import BusyBar

    tasks = Tasks()
    bar = BusyBar("Loading…")
    qtbot.addWidget(bar)
    tasks.busy_changed.connect(bar.set_busy)
    release = threading.Event()
    tasks.latest("page", lambda _t: release.wait(timeout=30), lambda _v: None)
    assert bar.delay.isActive() and bar.isHidden()
    bar.delay.timeout.emit()  # the moment has passed
    assert not bar.isHidden()
    release.set()
    tasks.wait()
    assert bar.isHidden() and not bar.delay.isActive()


def test_no_collection_during_start_up_then_frozen_and_collecting(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Start-up's objects are frozen at once and no automatic collection runs until the
    fallback timer; then what came since is frozen too and collection is back on."""
    import gc

    from PySide6.QtWidgets import QWidget

    from sosku_desktop.ui.shell import lazy_pages

    window = QWidget()
    qtbot.addWidget(window)
    monkeypatch.setattr(lazy_pages, "FREEZE_AFTER_MS", 10)
    try:
        lazy_pages.freeze_start_up_objects(window)
        frozen_at_start = gc.get_freeze_count()
        assert frozen_at_start > 0
        assert not gc.isenabled()
        made_during_start_up: list[object] = [[]]
        qtbot.waitUntil(gc.isenabled)
        # get_objects() lists the collected generations, not the frozen (permanent) one.
        collected = {id(o) for o in gc.get_objects()}
        assert id(made_during_start_up) not in collected
        assert id(made_during_start_up[0]) not in collected
    finally:
        gc.enable()
        gc.unfreeze()  # the rest of the test run collects as usual


def test_start_up_ends_when_the_later_modules_are_imported(qtbot: QtBot) -> None:
    """Collection is back on when the preload has imported the later modules, not only
    after the 5-s timer (still pending then)."""
    import gc

    from PySide6.QtWidgets import QWidget

    from sosku_desktop.ui.shell import lazy_pages

    window = QWidget()
    qtbot.addWidget(window)
    preload = lazy_pages.Preload(window)
    try:
        timer = lazy_pages.freeze_start_up_objects(window, preload)
        assert not gc.isenabled()
        frozen_at_start = gc.get_freeze_count()
        preload.imported.emit()
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen_at_start
        assert timer.isActive()  # the fallback stays armed
    finally:
        gc.enable()
        gc.unfreeze()


PAGE_CLASSES = {
    "groups": ("sosku_desktop.ui.pages.groups_page", "GroupsPage"),
    "calendar": ("sosku_desktop.ui.pages.calendar_page", "CalendarPage"),
    "reports": ("sosku_desktop.ui.pages.reports_page", "ReportsPage"),
}


@pytest.mark.parametrize("key", list(PAGE_CLASSES))
def test_a_page_built_by_navigation_loads_once(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    """A page whose constructor loads it is not re-read by the same navigation (the
    query ran twice side by side); a later arrival re-reads it as before."""
    from sosku_desktop.ui.shell.lazy_pages import LOADS_WHEN_BUILT
    from sosku_desktop.ui.shell.main_window import MainWindow
    from tests.ui import shell_support as s

    assert set(PAGE_CLASSES) == LOADS_WHEN_BUILT
    module, name = PAGE_CLASSES[key]
    page_class = getattr(importlib.import_module(module), name)
    original = page_class.refresh
    loads: list[str] = []
    monkeypatch.setattr(page_class, "refresh", lambda self: (loads.append(key), original(self)))
    store = s.demo_store(tmp_path)
    window = MainWindow(s.context(store))
    qtbot.addWidget(window)
    window.show()
    window.go(key)
    assert loads == [key]
    window.go("today")
    window.go(key)
    assert loads == [key, key]
    window.close()
    store.close()
