"""Pages built when first shown, the modules they need imported after start-up, and the
status bar's progress bar for background work.

Start-up builds only Today: the other pages (and their imports: reports,
documents, sync) are made when the worker first opens them, so the window
appears sooner and a 10,000-client store is not read for pages nobody
looked at.
"""

from __future__ import annotations

import gc
import importlib
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QProgressBar, QStackedWidget, QWidget

from sosku_desktop.ui.shell.tasks import Tasks

#: The other pages' modules are imported this long after the window is made.
PRELOAD_AFTER_MS = 1500
#: Background work shorter than this shows no progress bar.
BUSY_AFTER_MS = 300

#: The client view's tabs' modules (``ui.client.client_view.TABS``; not imported from it:
#: that module is itself one to import later).
CLIENT_TABS = (
    "overview",
    "goals",
    "meetings",
    "period_tab",
    "groups",
    "decisions",
    "activity_money",
    "assessments",
    "documents",
    "access_log",
)

#: Modules of the other pages, read in the background once the window shows (the first
#: screen needs none of them; a page then opens without waiting for its imports). In the
#: order a worker is likely to want them: a client's view first (it needs no reportlab or
#: PDFium: ``test_lazy_imports``), then the pages, then the document builders and sync.
LATER_MODULES = (
    # The pages' own modules: defining their classes touches no widget, so it can be done
    # off the UI thread; importing them on first open was 15–100 ms of frozen window each.
    "sosku_desktop.ui.client.client_view",
    *(f"sosku_desktop.ui.client.tabs.{name}" for name in CLIENT_TABS),
    "sosku_desktop.ui.pages.groups_page",
    "sosku_desktop.ui.pages.calendar_page",
    "sosku_desktop.ui.pages.reports_page",
    "sosku_desktop.operations.client_list",
    "sosku_desktop.operations.groups",
    "sosku_desktop.operations.calendar",
    "sosku_desktop.operations.reports",
    "sosku_desktop.store.team_reports",
    "sosku_desktop.domain.team_report",
    "sosku_desktop.documents.team_report_text",
    "sosku_desktop.operations.assessments",
    "sosku_desktop.operations.documents",
    "sosku_desktop.operations.period_records",
    # What the documents tab, the exports and the Sync page need (reportlab, PDFium,
    # icalendar, httpx): the heaviest, and the last a worker reaches.
    "sosku_desktop.documents.registry",
    "sosku_desktop.documents.team_report_pdf",
    "sosku_desktop.documents.ics",
    "sosku_desktop.ui.widgets.pdf_pages",
    "sosku_desktop.ui.pages.sync_page",
    "sosku_desktop.sync.client",
    "sosku_desktop.operations.sync",
    "sosku_desktop.store.conflict_list",
)


#: Pages whose constructor starts their own background load (``refresh``).
LOADS_WHEN_BUILT = frozenset({"groups", "calendar", "reports"})


def actions_module() -> Any:
    """``ui.shell.actions`` (the meeting entry and decision dialogs), imported when used."""
    from sosku_desktop.ui.shell import actions

    return actions


#: The background import pauses this long after each of ``LATER_MODULES``.
PRELOAD_GAP_S = 0.02


def import_later_modules() -> None:
    """Import the other pages' heavy modules (a background task after the window shows),
    pausing ``PRELOAD_GAP_S`` after each.

    An import runs Python on its thread for tens of milliseconds; a page the worker
    opens meanwhile is laid out by Qt, which calls back into Python (event filters,
    heights for widths) and waits for the GIL at each call. Without the pauses the
    window froze 120–140 ms on the page being opened in 2 of 3 runs at 10,000 clients
    (bench_scale); with them the longest stretch was 56–88 ms in 7 runs.
    """
    for name in LATER_MODULES:
        importlib.import_module(name)
        time.sleep(PRELOAD_GAP_S)  # the GIL is the UI thread's meanwhile


class Preload(QTimer):
    """The timer that starts the import of ``LATER_MODULES``; ``imported`` when done."""

    imported = Signal()


def preload_later_modules(window: QWidget, tasks: Tasks) -> Preload:
    """Import ``LATER_MODULES`` in the background a moment after the first screen is up
    (not beside its first paint); the timer stops with ``window``."""
    timer = Preload(window)
    timer.setSingleShot(True)
    timer.setInterval(PRELOAD_AFTER_MS)
    timer.timeout.connect(
        lambda: tasks.run(import_later_modules, lambda _none: timer.imported.emit(), owner=timer)
    )
    timer.start()
    return timer


#: Garbage collection starts again this long after the window shows, if the later
#: modules have not been imported by then.
FREEZE_AFTER_MS = 5000


def freeze_start_up_objects(window: QWidget, preload: Preload | None = None) -> QTimer:
    """Keep the cyclic garbage collector off the first seconds (the app's own start only,
    not in tests): ``gc.freeze()`` now, no automatic collection until ``preload`` has
    imported the later modules (``FREEZE_AFTER_MS`` after the window shows at the
    latest), then ``gc.freeze()`` again and collection back on.

    The modules, classes and first screen made at start-up live as long as the
    app, yet every full garbage collection walked them all again, holding the
    GIL, so a Python callback of the window waited for it. Freezing only after
    the later modules were imported left the first seconds exposed: a full
    collection on the thread reading the whole team's Today (its rows pushed
    the generation count over) held the GIL 200–290 ms at 10,000 clients, the
    longest stretch of the whole bench, landing on whichever page the worker
    opened first. Frozen at the shown window, that collection walks only what
    came after; with collection paused until the later modules are in, none
    runs at all while the first pages load (measured: no collection over 11 ms
    in the first 10 s, peak RSS unchanged at 259 MiB). The objects made in those
    seconds are frozen with the rest; frozen objects are still freed when
    nothing refers to them.
    """
    gc.freeze()
    gc.disable()

    def start_collecting() -> None:
        gc.freeze()
        gc.enable()

    if preload is not None:
        preload.imported.connect(start_collecting)
    timer = QTimer(window)
    timer.setSingleShot(True)
    timer.setInterval(FREEZE_AFTER_MS)
    timer.timeout.connect(start_collecting)
    timer.start()
    return timer


class LazyPages:
    """The main pages by key, each built by its factory when first asked for.

    The stacked widget holds an empty placeholder per page until then, so the
    navigation order and indexes never change.
    """

    def __init__(self, stack: QStackedWidget, factories: dict[str, Callable[[], QWidget]]) -> None:
        self.stack = stack
        self.factories = factories
        self.keys = list(factories)
        self._built: dict[str, QWidget] = {}
        for _ in self.keys:
            stack.addWidget(QWidget())

    def built(self, key: str) -> bool:
        return key in self._built

    def arrive(self, key: str) -> tuple[QWidget, bool]:
        """The page for a navigation to ``key``, and whether the shell should re-read it.

        A page of ``LOADS_WHEN_BUILT`` built by this very navigation has just started its
        own background load: re-reading it too ran the same query twice side by side (at
        10,000 clients the calendar's rows were converted twice, and the UI thread building
        the page waited for the GIL behind both).
        """
        fresh = key not in self._built
        return self[key], not (fresh and key in LOADS_WHEN_BUILT)

    def __getitem__(self, key: str) -> QWidget:
        page = self._built.get(key)
        if page is None:
            page = self._built[key] = self.factories[key]()
            index = self.keys.index(key)
            placeholder = self.stack.widget(index)
            showing = self.stack.currentIndex() == index
            self.stack.insertWidget(index, page)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            if showing:
                self.stack.setCurrentIndex(index)
        return page


class BusyBar(QProgressBar):
    """A small moving bar in the status bar while background work (a page loading, the
    team report) has lasted a moment; quick loads never show it."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("busyBar")
        self.setRange(0, 0)  # no known end: the bar moves
        self.setTextVisible(False)
        self.setMaximumWidth(120)
        self.setToolTip(text)
        self.setAccessibleName(text)
        self.hide()
        self.delay = QTimer(self)
        self.delay.setSingleShot(True)
        self.delay.setInterval(BUSY_AFTER_MS)
        self.delay.timeout.connect(self.show)

    def set_busy(self, busy: bool) -> None:
        if busy:
            self.delay.start()
        else:
            self.delay.stop()
            self.hide()
