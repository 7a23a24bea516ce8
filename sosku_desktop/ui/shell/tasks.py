"""One helper for background work whose callbacks run on the main thread.

Long work (loading the day's reminders over the whole caseload, later sync
and export) runs on a ``QThreadPool``; its result or error is delivered back
through a queued signal, so callbacks may touch widgets safely. Database
writes need no extra care here: the store serializes writers with a
lock and SQLite WAL lets readers run beside them.

Tests make the helper synchronous (``Tasks(synchronous=True)``): work and
callback run at once, in order, so a test never waits on a timer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from sosku_desktop.store.engine import translate_errors

log = logging.getLogger(__name__)
T = TypeVar("T")
ErrorHandler = Callable[[BaseException], None]


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
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = translate_errors(self.work)
        except BaseException as exc:  # delivered to the main thread, never swallowed
            self.relay.failed.emit(self.number, exc)
        else:
            self.relay.finished.emit(self.number, result)


class Tasks(QObject):
    """Runs work off the main thread and calls back on it."""

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
        if self.synchronous:
            try:
                result = translate_errors(work)
            except Exception as exc:
                self._handle_error(on_error, exc)
                return
            on_done(result)
            return
        self._next += 1
        self._pending[self._next] = (on_done, on_error, owner)
        self.pool.start(_Job(self._next, work, self._relay))

    def busy(self) -> bool:
        return bool(self._pending)

    def wait(self) -> None:
        """Block until queued work is finished and its callbacks have run (scripts, tests)."""
        from PySide6.QtCore import QCoreApplication

        while self._pending:
            self.pool.waitForDone()
            QCoreApplication.processEvents()

    @Slot(int, object)
    def _deliver(self, number: int, result: object) -> None:
        entry = self._pending.pop(number, None)
        if entry is None:
            return
        on_done, _, owner = entry
        if owner is not None and not shiboken6.isValid(owner):
            return
        on_done(result)

    @Slot(int, object)
    def _deliver_error(self, number: int, exc: object) -> None:
        entry = self._pending.pop(number, None)
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
