"""One helper for background work whose callbacks run on the main thread.

Long work (loading the day's reminders over the whole caseload, later sync
and export) runs on a ``QThreadPool``; its result or error is delivered back
through a queued signal, so callbacks may touch widgets safely. Database
writes need no extra care here: the store serializes writers with a
lock and SQLite WAL lets readers run beside them.

Pages load through ``latest(key, ...)``: a newer request with the same key
supersedes the older one — a job still queued is taken back, one already
running is told through its ``Ticket`` (long queries look at it between
steps) and its result is dropped — so typing in a search box or clicking
"next week" twice never shows a stale answer or queues work nobody waits
for. ``busy_changed`` says when background work starts and ends (the
shell shows it as progress in the status bar).

Building what a result shows can be long too (a whole team's week is dozens
of cards): ``slices(key, steps)`` runs such a build on the main thread one
step per event-loop turn, so the window paints and answers between steps;
pending steps count as busy, and a newer build with the same key drops the
rest of the older one.

Tests make the helper synchronous (``Tasks(synchronous=True)``): work and
callback run at once, in order, so a test never waits on a timer. Work run
that way is marked as background work for the UI-thread guard
(``store.thread_guard``): it stands for what would run in the pool. Slices
then run at once, in order.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from sosku_desktop.store import thread_guard
from sosku_desktop.store.engine import translate_errors

log = logging.getLogger(__name__)
T = TypeVar("T")
ErrorHandler = Callable[[BaseException], None]


class Ticket:
    """One request made with ``Tasks.latest``; cancelled when a newer one supersedes it."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def cancelled(self) -> bool:
        return self._event.is_set()


class _Relay(QObject):
    """Lives on the main thread; its signals carry results back to it."""

    finished = Signal(int, object)
    failed = Signal(int, object)


class _Job(QRunnable):
    def __init__(self, number: int, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.number = number
        self.work = work
        self.relay = relay
        #: Set when the pool starts the job (a plain object: the job itself may be
        #: deleted by the pool once it has run).
        self.started = threading.Event()
        self.setAutoDelete(True)

    def run(self) -> None:
        self.started.set()
        try:
            result = translate_errors(self.work)
        except BaseException as exc:  # delivered to the main thread, never swallowed
            self.relay.failed.emit(self.number, exc)
        else:
            self.relay.finished.emit(self.number, result)


def _ignore(_value: object) -> None:
    """The callback of a superseded request."""


class Tasks(QObject):
    """Runs work off the main thread and calls back on it."""

    #: True when background work starts (nothing was pending), False when all is done.
    busy_changed = Signal(bool)

    def __init__(
        self,
        synchronous: bool = False,
        on_error: ErrorHandler | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self.default_error_handler = on_error
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)
        self._relay.failed.connect(self._deliver_error)
        self._pending: dict[int, tuple[Callable[[Any], None], ErrorHandler | None, QObject | None]]
        self._pending = {}
        self._next = 0
        #: key -> (job number, job, its start flag, ticket) of the newest ``latest`` request
        self._latest: dict[Hashable, tuple[int, _Job, threading.Event, Ticket]] = {}
        #: key -> (the steps not yet run, their owner) of ``slices`` builds, in turn order
        self._slices: dict[Hashable, tuple[Iterator[Callable[[], object]], QObject | None]] = {}
        self._slice_timer = QTimer(self)
        self._slice_timer.setSingleShot(True)
        self._slice_timer.setInterval(0)
        self._slice_timer.timeout.connect(self._run_slice)

    def run(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: ErrorHandler | None = None,
        owner: QObject | None = None,
    ) -> None:
        """Run ``work`` in the pool, then ``on_done(result)`` on the main thread.

        ``owner``: a widget the callback belongs to; if it has been deleted by
        then, the result is dropped instead of touching a dead object.
        """
        self._start(work, on_done, on_error, owner)

    def latest(
        self,
        key: Hashable,
        work: Callable[[Ticket], T],
        on_done: Callable[[T], None],
        on_error: ErrorHandler | None = None,
        owner: QObject | None = None,
    ) -> Ticket:
        """Like ``run``, but a newer call with the same ``key`` supersedes this one.

        ``work`` receives the request's ``Ticket``; a long query may stop early
        when ``ticket.cancelled()`` (its result is dropped anyway).
        """
        ticket = Ticket()
        older = self._latest.pop(key, None)
        if older is not None:
            self._supersede(*older)
        job = self._start(lambda: work(ticket), on_done, on_error, owner)
        if job is not None:
            self._latest[key] = (job.number, job, job.started, ticket)
        return ticket

    def slices(
        self,
        key: Hashable,
        steps: Iterable[Callable[[], object]],
        owner: QObject | None = None,
    ) -> None:
        """Run ``steps`` on the main thread, one per event-loop turn (builds take turns).

        A newer call with the same ``key`` replaces the steps still waiting; the
        steps stop when ``owner`` is deleted. Synchronous: all of them now.
        """
        if self.synchronous:
            for step in steps:
                step()
            return
        was_busy = self.busy()
        self._slices.pop(key, None)
        self._slices[key] = (iter(steps), owner)
        if not was_busy:
            self.busy_changed.emit(True)
        self._slice_timer.start()

    def _run_slice(self) -> None:
        """One step of the build whose turn it is; the build then goes to the back."""
        if self._slices:
            key = next(iter(self._slices))
            steps, owner = self._slices.pop(key)
            step = next(steps, None) if owner is None or shiboken6.isValid(owner) else None
            if step is not None:
                self._slices[key] = (steps, owner)
                try:
                    step()
                except Exception as exc:  # a bug in a build: reported, the others go on
                    self._slices.pop(key, None)
                    self._handle_error(None, exc)
        if self._slices:
            self._slice_timer.start()
        else:
            self._announce()

    def _supersede(self, number: int, job: _Job, started: threading.Event, ticket: Ticket) -> None:
        ticket.cancel()
        # A job not yet started is taken back from the queue (once started it may be
        # deleted by the pool when done, so it is never touched again).
        if not started.is_set() and self.pool.tryTake(job):
            self._pending.pop(number, None)
            self._announce()
        elif number in self._pending:  # it runs to the end; its result is dropped
            self._pending[number] = (_ignore, _ignore, None)

    def _start(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: ErrorHandler | None,
        owner: QObject | None,
    ) -> _Job | None:
        if self.synchronous:
            try:
                with thread_guard.background():
                    result = translate_errors(work)
            except Exception as exc:
                self._handle_error(on_error, exc)
                return None
            on_done(result)
            return None
        self._next += 1
        self._pending[self._next] = (on_done, on_error, owner)
        job = _Job(self._next, work, self._relay)
        self.pool.start(job)
        if len(self._pending) == 1 and not self._slices:
            self.busy_changed.emit(True)
        return job

    def _announce(self) -> None:
        if not self.busy():
            self.busy_changed.emit(False)

    def busy(self) -> bool:
        return bool(self._pending or self._slices)

    def wait(self) -> None:
        """Block until queued work is finished and its callbacks have run (scripts, tests)."""
        from PySide6.QtCore import QCoreApplication

        while self.busy():
            self.pool.waitForDone()
            QCoreApplication.processEvents()

    def _finish(self, number: int) -> tuple[Any, ...] | None:
        """The callbacks of job ``number``, or ``None`` if superseded or unknown."""
        entry = self._pending.pop(number, None)
        self._announce()
        for key, (latest_number, *_rest) in list(self._latest.items()):
            if latest_number == number:
                del self._latest[key]
        return entry

    @Slot(int, object)
    def _deliver(self, number: int, result: object) -> None:
        entry = self._finish(number)
        if entry is None:
            return
        on_done, _, owner = entry
        if owner is not None and not shiboken6.isValid(owner):
            return
        on_done(result)

    @Slot(int, object)
    def _deliver_error(self, number: int, exc: object) -> None:
        entry = self._finish(number)
        if entry is None:
            return
        _, on_error, owner = entry
        if owner is not None and not shiboken6.isValid(owner):
            return
        assert isinstance(exc, BaseException)
        self._handle_error(on_error, exc)

    def _handle_error(self, on_error: ErrorHandler | None, exc: BaseException) -> None:
        handler = on_error or self.default_error_handler
        if handler is None:
            raise exc
        handler(exc)
