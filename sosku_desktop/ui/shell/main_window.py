"""The shell: left navigation, the pages, the sync status line and the idle lock.

Pages refresh when data changes (the context's bus) — the visible page at
once, the others when they are next shown. Changing the language rebuilds
the pages, which is simpler and safer than re-translating every label.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.domain import models
from sosku_desktop.operations import Changes
from sosku_desktop.operations.meetings import SavedMeeting, meeting_and_client, undo_meeting
from sosku_desktop.preferences import Preferences
from sosku_desktop.ui.pages.today_page import TodayPage
from sosku_desktop.ui.shell import geometry, qt_texts
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.help import HelpDialog, open_help
from sosku_desktop.ui.shell.lazy_pages import (
    BusyBar,
    LazyPages,
    actions_module,
    preload_later_modules,
)
from sosku_desktop.ui.shell.lock import IdleLock
from sosku_desktop.ui.shell.page import Page
from sosku_desktop.ui.shell.undo import UndoLink
from sosku_desktop.ui.widgets.common import button, label
from sosku_desktop.ui.widgets.form_guard import ask_about_unsaved
from sosku_desktop.ui.widgets.keys import focus_into, leave_on_tab
from sosku_desktop.ui.widgets.lifetime import alive, open_dialog

if TYPE_CHECKING:  # the other pages and the dialogs are imported when first used
    from sosku_desktop.ui.client.client_view import ClientView
    from sosku_desktop.ui.dialogs.expenses_dialog import ExpensesDialog
    from sosku_desktop.ui.dialogs.new_client_wizard import NewClientWizard
    from sosku_desktop.ui.dialogs.settings_dialog import SettingsDialog
    from sosku_desktop.ui.pages.clients_page import ClientsPage
    from sosku_desktop.ui.pages.sync_page import SyncPage


NAV_KEYS = (
    ("today", "ui.nav.today"),
    ("clients", "ui.nav.clients"),
    ("groups", "ui.nav.groups"),
    ("calendar", "ui.nav.calendar"),
    ("reports", "ui.nav.reports"),
    ("sync", "ui.nav.sync"),
)
OUTBOX_POLL_MS = 30_000


class MainWindow(QMainWindow):
    """Navigation on the left, one page at a time on the right."""

    language_changed = Signal(str)

    def __init__(self, ctx: AppContext, lock_minutes: int | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.ctx = ctx
        self.dialogs: list[QWidget] = []
        self.setWindowTitle(ctx.tr("app.name"))
        self.setMinimumSize(geometry.MINIMUM)
        #: Where to save the window geometry on close (set by the app, not by tests).
        self.geometry_prefs: Preferences | None = None
        self.status = QStatusBar()
        self.setStatusBar(self.status)
        self.message = QLabel()
        self.message.setObjectName("statusMessage")
        self.undo_button = UndoLink(ctx)
        self.undo_button.clicked.connect(self.undo_last_meeting)
        self.sync_status = QLabel()
        self.sync_status.setObjectName("syncStatus")
        self.status.addWidget(self.message)
        self.status.addWidget(self.undo_button)
        self.status.addPermanentWidget(self.sync_status)
        self.busy = BusyBar(ctx.tr("ui.shell.loading"))
        ctx.tasks.busy_changed.connect(self.busy.set_busy)
        self.status.addPermanentWidget(self.busy)
        self._build()
        minutes = lock_minutes if lock_minutes is not None else ctx.prefs.get("idle_lock_minutes")
        self.lock = IdleLock(
            self, ctx.store.data_dir, ctx.lang, int(minutes), ctx.worker_name(ctx.store.worker_id)
        )
        self.lock.locked.connect(lambda: self._set_locked(True))
        self.lock.unlocked.connect(lambda: self._set_locked(False))
        ctx.bus.changes.connect(self._data_changed)
        ctx.bus.meeting_saved.connect(self._meeting_saved)
        self.poll = QTimer(self)
        self.poll.setInterval(OUTBOX_POLL_MS)
        self.poll.timeout.connect(self.update_sync_status)
        self.poll.start()
        self.auto_sync = QTimer(self)  # background sync every few minutes (in a team)
        self.auto_sync.setInterval(int(ctx.prefs.get("sync_interval_minutes")) * 60_000)
        self.auto_sync.timeout.connect(self.sync_in_background)
        self.auto_sync.start()
        self._shortcuts()
        self.update_sync_status()
        self.go("today")
        self.preload = preload_later_modules(self, ctx.tasks)

    # --- building ----------------------------------------------------------------------

    def _build(self) -> None:
        ctx, tr = self.ctx, self.ctx.tr
        self.message.clear()
        self.undo_button.update_text()
        content = QWidget()
        content.setObjectName("shellContent")
        layout = QHBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        nav = QWidget()
        nav.setObjectName("nav")
        nav.setFixedWidth(214)
        nav_layout = QVBoxLayout(nav)
        nav_layout.setContentsMargins(0, 18, 0, 14)
        title = label(tr("app.name"), "navTitle")
        title.setContentsMargins(22, 0, 0, 10)
        nav_layout.addWidget(title)
        self.nav = leave_on_tab(QListWidget())
        self.nav.setObjectName("navList")
        self.nav.setAccessibleName(tr("ui.a11y.nav"))
        for number, (key, text_key) in enumerate(NAV_KEYS, start=1):
            item = QListWidgetItem(tr(text_key))
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"{tr(text_key)} (Ctrl+{number})")
            item.setSizeHint(QSize(0, 40))
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._nav_changed)
        nav_layout.addWidget(self.nav, 1)
        worker = ctx.worker_name(ctx.store.worker_id)
        if worker:
            who = label(worker, wrap=True)
            who.setContentsMargins(22, 0, 12, 6)
            nav_layout.addWidget(who)
        side_buttons = QVBoxLayout()
        side_buttons.setContentsMargins(12, 0, 12, 0)
        self.settings_button = button(tr("ui.shell.settings"))
        self.settings_button.setObjectName("settingsButton")
        self.settings_button.clicked.connect(self.open_settings)
        self.lock_button = button(tr("ui.shell.lock"))
        self.lock_button.setObjectName("lockButton")
        self.lock_button.setToolTip(tr("ui.shell.lock_hint"))
        self.lock_button.clicked.connect(lambda: self.lock.lock())
        self.budget_button = button(tr("ui.shell.budget"))
        self.budget_button.setObjectName("budgetButton")
        self.budget_button.clicked.connect(lambda: self.open_expenses())
        side_buttons.addWidget(self.budget_button)
        side_buttons.addWidget(self.settings_button)
        side_buttons.addWidget(self.lock_button)
        self.help_button = button(tr("ui.shell.help"))
        self.help_button.setObjectName("helpButton")
        self.help_button.clicked.connect(lambda: self.show_help(False))
        self.help_button.setToolTip(f"{tr('ui.help.key.sheet')} (?)")
        side_buttons.addWidget(self.help_button)
        nav_layout.addLayout(side_buttons)
        layout.addWidget(nav)

        self._client_view: ClientView | None = None
        self.pages = geometry.PageStack()
        self.pages.setObjectName("pages")
        # Pages are built when first shown (start-up builds only Today).
        self.page_by_key = LazyPages(
            self.pages,
            {
                "today": self._today_page,
                "clients": self._clients_area,
                "groups": self._groups_page,
                "calendar": self._calendar_page,
                "reports": self._reports_page,
                "sync": self._sync_page,
            },
        )
        layout.addWidget(geometry.page_area(self.pages), 1)
        self.setCentralWidget(content)

    def _today_page(self) -> QWidget:
        page = TodayPage(self.ctx)
        page.open_client.connect(self.open_client)
        page.record_meeting.connect(self._record_from_today)
        page.plan_meeting.connect(self._plan_from_today)
        page.draft_continuation.connect(self._continuation_from_today)
        page.period_action.connect(self._period_action_from_today)
        page.open_attendance.connect(self.open_session)
        page.open_client_tab.connect(self._open_client_tab)
        return page

    def _clients_area(self) -> QWidget:
        from sosku_desktop.ui.pages.clients_page import ClientsPage

        self._clients = ClientsPage(self.ctx)
        self._clients.client_chosen.connect(self.open_client)
        self._clients.new_client_requested.connect(self.new_client)
        self._client_view = None  # made when a client is first opened
        area = geometry.PageStack()
        area.addWidget(self._clients)
        return area

    def _make_client_view(self) -> ClientView:
        from sosku_desktop.ui.client.client_view import ClientView

        view = ClientView(self.ctx)
        view.back_requested.connect(self.show_client_list)
        view.dialog_opened.connect(self._track)
        view.new_period_requested.connect(self.new_period)
        self.clients_area.addWidget(view)
        self._client_view = view
        return view

    @property
    def today(self) -> TodayPage:
        page = self.page_by_key["today"]
        assert isinstance(page, TodayPage)
        return page

    @property
    def clients_area(self) -> QStackedWidget:
        area = self.page_by_key["clients"]
        assert isinstance(area, QStackedWidget)
        return area

    @property
    def clients(self) -> ClientsPage:
        self.page_by_key["clients"]
        return self._clients

    @property
    def client_view(self) -> ClientView:
        self.page_by_key["clients"]
        return self._client_view or self._make_client_view()

    @property
    def sync_page(self) -> SyncPage:
        self.page_by_key["sync"]
        return self._sync

    def _groups_page(self) -> QWidget:
        from sosku_desktop.ui.pages.groups_page import GroupsPage

        page = GroupsPage(self.ctx)
        page.setObjectName("groupsPage")
        page.client_activated.connect(self.open_client)
        return page

    def _calendar_page(self) -> QWidget:
        from sosku_desktop.ui.pages.calendar_page import CalendarPage

        page = CalendarPage(self.ctx)
        page.setObjectName("calendarPage")
        page.session_activated.connect(self.open_session)
        page.meeting_activated.connect(self.open_meeting)
        page.client_activated.connect(self.open_client)
        return page

    def _sync_page(self) -> QWidget:
        from sosku_desktop.sync.client import SyncClient
        from sosku_desktop.ui.pages.sync_page import SyncPage

        self._sync = SyncPage(self.ctx, SyncClient(self.ctx.store))
        self._sync.finished.connect(self._sync_finished)
        return self._sync

    def _reports_page(self) -> QWidget:
        from sosku_desktop.ui.pages.reports_page import ReportsPage

        page = ReportsPage(self.ctx)
        page.setObjectName("reportsPage")
        return page

    def _shortcuts(self) -> None:
        pairs: list[tuple[str, Any]] = [
            (f"Ctrl+{number}", lambda k=key: self.go_and_focus(k))
            for number, (key, _) in enumerate(NAV_KEYS, start=1)
        ]
        pairs += [
            ("Ctrl+N", self.new_client),
            ("Ctrl+L", lambda: self.lock.lock()),
            ("F5", self.refresh_current),
            ("Ctrl+M", self._record_current_client),
            ("F1", lambda: self.show_help(False)),
            ("?", lambda: self.show_help(True)),
        ]
        self.shortcuts = []
        for keys, slot in pairs:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)
            self.shortcuts.append(shortcut)

    # --- navigation --------------------------------------------------------------------

    def go(self, key: str) -> None:
        keys = [k for k, _ in NAV_KEYS]
        self.nav.setCurrentRow(keys.index(key))

    def go_and_focus(self, key: str) -> None:
        """Show a page and put the keyboard in it (Ctrl+1 … Ctrl+6)."""
        self.go(key)
        page = self.clients_area.currentWidget() if key == "clients" else self.page_by_key[key]
        if page is not None:
            focus_into(page)

    def _open_client_tab(self, client_id: str, tab: str, period_id: str, row_id: str) -> None:
        """A reminder's subject: once the record is read, its period, tab and row."""
        self.open_client(client_id, lambda: self.client_view.show_at(tab, period_id, row_id))

    def current_key(self) -> str:
        item = self.nav.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else "today"

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        key = NAV_KEYS[row][0]
        page, reread = self.page_by_key.arrive(key)
        self.pages.setCurrentWidget(page)
        if reread:  # some pages (groups) write without going through the bus
            self._refresh(key)
        self.update_sync_status()

    def _refresh(self, key: str) -> None:
        page: Any = self.page_by_key[key]
        if key == "clients":
            self.clients.refresh()
            if self._showing_client():
                self.client_view.reload()
        elif hasattr(page, "refresh"):
            page.refresh()

    def refresh_current(self) -> None:
        self._refresh(self.current_key())
        self.update_sync_status()

    def open_client(self, client_id: str, then: Callable[[], object] | None = None) -> None:
        self.clients_area.setCurrentWidget(self.client_view)
        self.client_view.client_id = None  # the old record need not be re-read first
        self.go("clients")
        self.client_view.open_client(client_id, then)

    def show_client_list(self) -> None:
        self.clients_area.setCurrentWidget(self.clients)
        self.clients.refresh()

    def open_session(self, session_id: str) -> None:
        page: Any = self.page_by_key["groups"]
        self.go("groups")
        if hasattr(page, "open_session"):
            page.open_session(session_id)

    def open_meeting(self, meeting_id: str) -> None:
        """Open the client of a meeting (from the calendar) and the meeting's entry."""
        store = self.ctx.store

        def found(pair: tuple[models.Meeting, str] | None) -> None:
            if pair is not None:
                meeting, client_id = pair
                self.open_client(client_id, lambda: self.client_view.record_meeting(meeting))

        self.ctx.tasks.latest(
            ("open meeting", id(self)),
            lambda _t: meeting_and_client(store, meeting_id),
            found,
            owner=self,
        )

    # --- dialogs -----------------------------------------------------------------------

    def _track(self, dialog: QWidget | None) -> None:
        """Remember the dialogs now open (deleted ones drop out: closed dialogs are deleted)."""
        open_now = [d for d in self.dialogs if alive(d) and d.isVisible()]
        self.dialogs = open_now + ([dialog] if dialog is not None and alive(dialog) else [])
        self.lock.watch_windows()  # typing in a dialog keeps the lock away too

    def new_client(self) -> NewClientWizard:
        from sosku_desktop.ui.dialogs.new_client_wizard import NewClientWizard

        wizard = NewClientWizard(self.ctx, parent=self)
        wizard.created.connect(self.open_client)
        open_dialog(wizard)
        self._track(wizard)
        return wizard

    def new_period(self, client_id: str) -> NewClientWizard | None:
        """A new period for a client shown in the client view (its record is at hand)."""
        record = self.client_view.record
        client = record.client if record is not None and record.client.id == client_id else None
        if client is None:
            return None
        from sosku_desktop.ui.dialogs.new_client_wizard import NewClientWizard

        wizard = NewClientWizard(self.ctx, client=client, parent=self)
        wizard.created.connect(self.open_client)
        open_dialog(wizard)
        self._track(wizard)
        return wizard

    def _showing_client(self) -> bool:
        """Whether the client view is in front in the clients area (built or not)."""
        return (
            self.page_by_key.built("clients")
            and self._client_view is not None
            and self.clients_area.currentWidget() is self._client_view
        )

    def _record_current_client(self) -> None:
        if self.current_key() == "clients" and self._showing_client():
            self.client_view.record_meeting()

    def _record_from_today(self, client_id: str, meeting: object) -> None:
        existing = meeting if isinstance(meeting, models.Meeting | str) else None
        actions_module().meeting_dialog(
            self.ctx, self, client_id, existing=existing, on_open=self._track
        )

    def _plan_from_today(self, client_id: str, when: object, notes: str) -> None:
        at = when if isinstance(when, datetime) else None
        actions_module().meeting_dialog(
            self.ctx, self, client_id, plan=True, when=at, notes=notes, on_open=self._track
        )

    def _continuation_from_today(self, client_id: str, period_id: str, decision_id: str) -> None:
        actions_module().continuation_dialog(
            self.ctx, self, client_id, period_id, decision_id or None, self._continuation_opened
        )

    def _continuation_opened(self, dialog: QWidget | None) -> None:
        if dialog is None:
            self.message.setText(self.ctx.tr("ui.decisions.no_more_blocks"))
        self._track(dialog)

    def open_expenses(self) -> ExpensesDialog:
        """The worker's activity budget: expenses and what is left this year."""
        from sosku_desktop.ui.dialogs.expenses_dialog import ExpensesDialog

        dialog = ExpensesDialog(self.ctx, self)
        open_dialog(dialog)
        self._track(dialog)
        return dialog

    def _period_action_from_today(self, client_id: str, action: str) -> None:
        """Open the client's period tab and start the step (record evaluation, end period)."""

        def start() -> None:
            tab = self.client_view.period_tab
            self.client_view.tabs.setCurrentWidget(tab)
            if tab.data is not None and tab.data.period is not None:
                self._track(getattr(tab, action)())

        self.open_client(client_id, start)

    def show_help(self, sheet: bool = False) -> HelpDialog:
        """F1: the user guide's section for the page on screen; ?: the shortcut sheet."""
        page = self.pages.currentWidget()
        if page is self.clients_area:
            page = self.clients_area.currentWidget()
        dialog = open_help(self, self.ctx.lang, page, sheet)
        self._track(dialog)
        return dialog

    def open_settings(self) -> QWidget | None:
        """Settings, once its values are read in the background (``None`` until then)."""
        from sosku_desktop.ui.dialogs.settings_opener import open_settings

        return open_settings(self.ctx, self, self._settings_opened)

    def _settings_opened(self, dialog: SettingsDialog) -> None:
        dialog.accepted.connect(lambda: self._settings_saved(dialog))
        self._track(dialog)

    def _settings_saved(self, dialog: Any) -> None:
        self.lock.set_minutes(int(self.ctx.prefs.get("idle_lock_minutes")))
        language = str(self.ctx.prefs.get("language"))
        if getattr(dialog, "language_changed", False) and language != self.ctx.lang:
            self.set_language(language)
        else:
            self.ctx.changed()

    # --- data changes ------------------------------------------------------------------

    def _data_changed(self, changes: Changes) -> None:
        """The visible page re-reads now if concerned; the others when next shown."""
        if not self.lock.is_locked:
            page = self.pages.currentWidget()
            if isinstance(page, QStackedWidget):  # the clients area
                page = page.currentWidget()
            client_view = self.page_by_key.built("clients") and page is self._client_view
            if isinstance(page, Page) and not client_view and page.concerns(changes):
                page.refresh()
        self.update_sync_status()

    def sync_in_background(self) -> None:
        """A quiet round (never while locked: the worker is away and data is hidden)."""
        if self.lock.is_locked or (self.page_by_key.built("sync") and self.sync_page.running):
            return
        page = self.sync_page
        client = page.client

        def start(joined: bool) -> None:
            if joined and not page.running and not self.lock.is_locked:
                page.sync_now()

        self.ctx.tasks.latest(
            ("auto sync", id(self)), lambda _t: client.status().joined, start, owner=page
        )

    def _sync_finished(self, text: str) -> None:
        self.message.setText(text)
        self.update_sync_status()

    def update_sync_status(self) -> None:
        """Count the changes waiting for sync (in the background: an indexed count)."""
        store = self.ctx.store
        self.ctx.tasks.latest(
            ("outbox", id(self)), lambda _ticket: store.outbox_size(), self._show_outbox, owner=self
        )

    def _show_outbox(self, n: int) -> None:
        key = "ui.shell.sync_waiting" if n else "ui.shell.sync_none"
        self.sync_status.setText(self.ctx.tr(key, n=n))

    def _meeting_saved(self, saved: object) -> None:
        if not isinstance(saved, SavedMeeting):
            return
        self.message.setText(self.ctx.tr(f"ui.shell.saved.{saved.status}"))
        self.undo_button.remember(saved)

    def undo_last_meeting(self) -> bool:
        """Take back the last saved meeting entry (soft delete / restore)."""
        saved = self.undo_button.take()
        if saved is None:
            return False
        self.ctx.run_operation(
            lambda: undo_meeting(self.ctx.store, saved),
            lambda _changes: self.message.setText(self.ctx.tr("ui.shell.undone")),
            owner=self,
        )
        return True

    # --- language and lock -------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        """Rebuild every page in ``lang`` (nothing is lost: all data is in the store)."""
        if self.lock.is_locked:
            return
        key = self.current_key()
        showing_client = self._showing_client()
        client_id = self.client_view.client_id if showing_client else None
        self.ctx.lang = lang
        self.lock.lang = lang
        qt_texts.set_language(lang)  # Qt's own texts: context menus, dialog buttons
        self.setWindowTitle(self.ctx.tr("app.name"))
        self._build()  # setCentralWidget deletes the previous pages
        self.update_sync_status()
        self.go(key)
        if showing_client and client_id:
            self.clients_area.setCurrentWidget(self.client_view)
            self.client_view.client_id = client_id
            self.client_view.reload()
        self.language_changed.emit(lang)

    def _set_locked(self, locked: bool) -> None:
        for shortcut in self.shortcuts:  # nothing may open behind the lock screen
            shortcut.setEnabled(not locked)
        self.message.clear()
        self.undo_button.set_locked(locked)
        if not locked:
            self._data_changed(Changes.all())

    def closeEvent(self, event: QCloseEvent) -> None:
        if ask_about_unsaved(self):
            return event.ignore()  # a changed form asks first; closing again goes on
        if self.geometry_prefs is not None:
            geometry.remember(self, self.geometry_prefs)
        self.lock.stop()
        self.poll.stop()
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
        super().closeEvent(event)
