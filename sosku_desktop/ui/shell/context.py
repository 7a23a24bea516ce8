"""What every page and dialog needs, passed explicitly instead of globals.

One ``AppContext`` per open data directory: the store, device preferences,
the interface language, the background-task helper, a clock (tests pin
"now" so reminders are deterministic) and a signal bus that says "data
changed" after every write so pages and the status bar can refresh.

Writes are operations (``sosku_desktop/operations``): ``run_operation`` runs
one in the background and announces the ``Changes`` it returns, so pages
can refresh only when something they show was touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal

from sosku_desktop import i18n
from sosku_desktop.domain import models
from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.domain.rules_config import Rules
from sosku_desktop.operations import Changes, Outcome, changes_in
from sosku_desktop.preferences import Preferences
from sosku_desktop.store.database import Store
from sosku_desktop.store.records import load_rules
from sosku_desktop.ui.shell.tasks import ErrorHandler, Tasks

R = TypeVar("R", bound=Changes | Outcome | None)


class DataBus(QObject):
    """Broadcasts that something was written; receivers re-read what they show."""

    changed = Signal()
    #: The same moment, with the ``Changes`` that were written: views re-read only
    #: what concerns them (``Page.concerns``).
    changes = Signal(Changes)
    #: A meeting entry was saved; carries the ``SavedMeeting`` so it can be undone.
    meeting_saved = Signal(object)


def _now() -> datetime:
    return datetime.now().replace(second=0, microsecond=0)


@dataclass
class AppContext:
    """Shared handles of one running session."""

    store: Store
    prefs: Preferences
    lang: str = i18n.DEFAULT_LANGUAGE
    tasks: Tasks = field(default_factory=Tasks)
    clock: Callable[[], datetime] = _now
    bus: DataBus = field(default_factory=DataBus)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().date()

    def tr(self, key: str, **params: object) -> str:
        return i18n.tr(key, self.lang, **params)

    def code(self, list_name: str, code: str) -> str:
        return i18n.code_label(list_name, code, self.lang)

    def date(self, value: date | datetime | None) -> str:
        return i18n.format_date(value, self.lang)

    def datetime(self, value: datetime | None) -> str:
        return i18n.format_datetime(value, self.lang)

    def money(self, cents: int) -> str:
        return i18n.format_money(cents, self.lang)

    def rules(self) -> Rules:
        with self.store.read() as r:
            return load_rules(r)

    def workers(self) -> dict[str, models.Worker]:
        with self.store.read() as r:
            return {w.id: w for w in r.list(models.Worker)}

    def worker_name(self, worker_id: str | None) -> str:
        if worker_id is None:
            return ""
        worker = self.workers().get(worker_id)
        return worker.name if worker else ""

    def changed(self, changes: Changes | None = None) -> None:
        """Tell everyone that data was written (``None``: extent unknown, re-read all).

        ``bus.changed`` (no value) is not sent for access-log rows alone: no
        view shows less or more because someone looked at a record.
        """
        changes = changes if changes is not None else Changes.all()
        self.bus.changes.emit(changes)
        if changes.everything or changes.tables:
            self.bus.changed.emit()

    def run_operation(
        self,
        work: Callable[[], R],
        on_done: Callable[[R], None] | None = None,
        on_invalid: Callable[[ValidationError], None] | None = None,
        owner: QObject | None = None,
        on_error: ErrorHandler | None = None,
    ) -> None:
        """Run an operation in the background, announce its ``Changes``, then ``on_done``.

        ``work`` is usually ``lambda: operations.x.y(ctx.store, ...)``.
        ``on_invalid`` receives a ``ValidationError`` the operation raised (data
        synced in meanwhile can make a checked form invalid); other errors go
        to ``on_error`` or the application's error handler. The announcement
        happens even if ``owner`` is gone by then: other pages still need to know.
        """

        def alive() -> bool:
            return owner is None or shiboken6.isValid(owner)

        def done(result: R) -> None:
            changes = changes_in(result)
            if changes:
                self.changed(changes)
            if on_done is not None and alive():
                on_done(result)

        def failed(exc: BaseException) -> None:
            if not alive():
                # The form is gone; a refused input has no one to show it to,
                # but a storage error or a bug must still be reported.
                if not isinstance(exc, ValidationError):
                    self.report_error(exc)
                return
            if on_invalid is not None and isinstance(exc, ValidationError):
                on_invalid(exc)
            elif on_error is not None:
                on_error(exc)
            else:
                self.report_error(exc)

        self.tasks.run(work, done, failed)

    def report_error(self, exc: BaseException) -> None:
        """An error no view handles itself: the application's handler (plain words for
        storage errors, the crash dialog for bugs); raised where there is none (tests)."""
        handler = self.tasks.default_error_handler
        if handler is None:
            raise exc
        handler(exc)
