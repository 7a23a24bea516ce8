"""Today: the agenda, what needs doing (reminders with one-click actions), sync backlog.

The reminders are the domain's (``compute_reminders``); this page only
presents them in the worker's language with the client's name and offers
the natural next step: record or plan a meeting, plan the evaluation, or
draft the continuation decision for the next 3-month block.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.domain.messages import display_params
from sosku_desktop.domain.reminders import (
    SEVERITIES,
    Reminder,
)
from sosku_desktop.operations.today import TodayData, load_today
from sosku_desktop.ui.pages.today_items import AGENDA, REMINDERS, TodayItems
from sosku_desktop.ui.shell import theme
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.geometry import VerticalScroll
from sosku_desktop.ui.shell.page import PageMixin
from sosku_desktop.ui.widgets.common import Card, button, clear_layout, label, weekday
from sosku_desktop.ui.widgets.reflow import ReflowRow

#: Acknowledged reminder keys remembered per device.
MAX_DISMISSED = 500
#: Reminder cards and agenda rows built at a time ("show more" builds the next ones):
#: a whole team's day at 10,000 clients must not build hundreds of widgets at once.
BATCH = 10


class TodayPage(PageMixin, QWidget):
    """The worker's day at a glance."""

    TITLE_KEY = "ui.nav.today"
    HELP_ANCHOR = "tänään"
    #: The day's reminders read nearly every table of the caseload.
    TABLES = frozenset(
        {
            "clients",
            "periods",
            "meetings",
            "decisions",
            "goals",
            "agreements",
            "assessments",
            "groups",
            "group_members",
            "group_sessions",
            "attendances",
            "org_settings",
            "workers",
            "planned_entries",
        }
    )

    open_client = Signal(str)
    record_meeting = Signal(str, object)  # client id, planned meeting or None
    plan_meeting = Signal(str, object, str)  # client id, datetime or None, notes
    draft_continuation = Signal(str, str, str)  # client id, period id, decision id ("" = latest)
    #: client id, period action ("record_evaluation" or "end_period", see PeriodTab)
    period_action = Signal(str, str)
    open_sync = Signal()
    open_attendance = Signal(str)  # group session id
    #: client id, tab ("decisions", "groups", "assessments"), period id, row id ("" = none)
    open_client_tab = Signal(str, str, str, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todayPage")
        self.ctx = ctx
        self.data: TodayData | None = None
        self.items = TodayItems(self)
        self.items.ring.more = {REMINDERS: self._grow_reminders, AGENDA: self._grow_agenda}
        self._focus_wanted = False
        tr = ctx.tr
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 22, 28, 18)
        outer.setSpacing(14)
        self.greeting = label("", "pageTitle")
        self.date_line = label("", "muted")
        outer.addWidget(self.greeting)
        outer.addWidget(self.date_line)

        stats = QHBoxLayout()
        stats.setSpacing(12)
        self._captions: dict[int, tuple[QLabel, str]] = {}
        self.stat_clients = self._stat(stats, "ui.today.stat_clients")
        self.stat_meetings = self._stat(stats, "ui.today.stat_meetings")
        self.stat_sync = self._stat(stats, "ui.today.stat_sync")
        outer.addLayout(stats)

        # Reminders beside the agenda when both fit, the agenda under them when not
        # (1024×600 with large text: side by side they scrolled the page sideways).
        columns = ReflowRow(spacing=14)
        reminders_card = Card(tr("ui.today.reminders"), expand=True)
        self.only_mine = QCheckBox(tr("ui.today.only_mine"))
        self.only_mine.setObjectName("onlyMine")
        self.only_mine.setChecked(True)
        self.only_mine.toggled.connect(self.refresh)
        self.show_dismissed = QCheckBox(tr("ui.today.show_dismissed"))
        self.show_dismissed.setObjectName("showDismissed")
        self.show_dismissed.toggled.connect(lambda _on: self._render_reminders())
        filters = QHBoxLayout()
        filters.addWidget(self.only_mine)
        filters.addWidget(self.show_dismissed)
        filters.addStretch(1)
        reminders_card.body.addLayout(filters)
        self.reminder_list = QVBoxLayout()
        self.reminder_list.setSpacing(8)
        reminders_card.body.addWidget(self._scroll(self.reminder_list, "reminderList"), 1)
        columns.add(reminders_card, 3)
        agenda_card = Card(tr("ui.today.agenda"), expand=True)
        self.agenda_list = QVBoxLayout()
        self.agenda_list.setSpacing(4)
        agenda_card.body.addWidget(self._scroll(self.agenda_list, "agendaList"), 1)
        columns.add(agenda_card, 2)
        outer.addWidget(columns, 1)

    def _stat(self, layout: QHBoxLayout, key: str) -> QLabel:
        card = Card()
        number = label("", "bigNumber")
        caption = label(self.ctx.tr(key), "muted", wrap=True)
        self._captions[id(number)] = (caption, key)  # the caption agrees with the number
        card.body.addWidget(number)
        card.body.addWidget(caption)
        layout.addWidget(card, 1)
        return number

    @staticmethod
    def _scroll(inner: QVBoxLayout, name: str) -> QScrollArea:
        holder = QWidget()
        holder.setObjectName(name)
        theme.style(holder, f"QWidget#{name} {{ background: $CARD; }}")
        holder.setLayout(inner)
        inner.setContentsMargins(0, 0, 6, 0)
        area = VerticalScroll()  # asks for the rows' width: never scrolls sideways
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(holder)
        # Ten lines at least: stacked under each other (a narrow window) the lists
        # must not shrink to a line each; the page scrolls down instead.
        area.setMinimumHeight(10 * area.fontMetrics().lineSpacing())
        return area

    # --- loading -----------------------------------------------------------------------

    def refresh(self) -> None:
        only_mine = self.only_mine.isChecked()
        worker_id = self.ctx.store.worker_id
        now = self.ctx.now()
        store = self.ctx.store
        self.ctx.tasks.latest(
            ("today", id(self)),
            lambda _ticket: load_today(store, now, worker_id, only_mine),
            self.show_data,
            owner=self,
        )

    def show_data(self, data: TodayData) -> None:
        self.data = data
        tr = self.ctx.tr
        first = data.worker.name.split()[0] if data.worker and data.worker.name else ""
        hour = self.ctx.now().hour
        key = "morning" if hour < 10 else "day" if hour < 17 else "evening"
        self.greeting.setText(tr(f"ui.today.greeting_{key}", name=first).strip(" ,"))
        day_name = weekday(data.today, self.ctx.lang)
        self.date_line.setText(f"{day_name} {self.ctx.date(data.today)}")
        for number, n in (
            (self.stat_clients, data.active_clients),
            (self.stat_meetings, data.realised_this_month),
            (self.stat_sync, data.outbox),
        ):
            number.setText(str(n))
            caption, key = self._captions[id(number)]
            caption.setText(tr(key, n=n))  # "1 asiakas", "7 asiakasta"
        self._render_reminders()
        self._render_agenda()
        if self._focus_wanted:
            self.focus_items()

    # --- reminders ---------------------------------------------------------------------

    def focus_items(self) -> bool:
        """Put the keyboard on the item to act on first (when the data is in)."""
        self._focus_wanted = self.data is None
        return self.items.ring.focus(self.items.first_due())

    def _grow_reminders(self) -> bool:
        if not self._more_reminders:
            return False
        self._show_more_reminders()
        return True

    def _grow_agenda(self) -> bool:
        if not self._more_agenda:
            return False
        self._show_more_agenda()
        return True

    def _render_reminders(self) -> None:
        assert self.data is not None
        self.items.ring.clear(REMINDERS)
        clear_layout(self.reminder_list)
        rank = {s: i for i, s in enumerate(reversed(SEVERITIES))}
        dismissed = self.dismissed_keys()
        hidden = sum(1 for r in self.data.reminders if r.key in dismissed)
        self.show_dismissed.setText(self.ctx.tr("ui.today.show_dismissed", n=hidden))
        self.show_dismissed.setVisible(hidden > 0 or self.show_dismissed.isChecked())
        reminders = sorted(
            (
                r
                for r in self.data.reminders
                if self.show_dismissed.isChecked() or r.key not in dismissed
            ),
            key=lambda r: rank.get(r.severity, 9),
        )
        if not reminders:
            self.reminder_list.addWidget(label(self.ctx.tr("ui.today.no_reminders"), "notice"))
        self._more_reminders = reminders
        self._show_more_reminders()

    def _show_more_reminders(self) -> None:
        """Build the next ``BATCH`` reminder cards, then a "show more" button if any are left."""
        layout, batch = self.reminder_list, self._more_reminders[:BATCH]
        self._more_reminders = self._more_reminders[BATCH:]
        _drop_tail(layout)
        for reminder in batch:
            layout.addWidget(self.items.reminder_card(reminder))
        if self._more_reminders:
            more = button(self.ctx.tr("ui.today.show_more", n=len(self._more_reminders)), link=True)
            more.setObjectName("moreReminders")
            more.clicked.connect(self._show_more_reminders)
            layout.addWidget(more)
        layout.addStretch(1)

    def reminder_text(self, reminder: Reminder) -> str:
        params = display_params(reminder.params)
        return self.ctx.tr(reminder.text_key, **params)

    def dismissed_keys(self) -> set[str]:
        return set(self.ctx.prefs.get("dismissed_reminders"))

    def set_dismissed(self, reminder: Reminder, dismissed: bool) -> None:
        """Acknowledge a reminder on this device (or take it back); kept in preferences."""
        keys = [k for k in self.ctx.prefs.get("dismissed_reminders") if k != reminder.key]
        if dismissed:
            keys.append(reminder.key)
        # Old acknowledgements fall due never again; keep the list short.
        self.ctx.prefs.set("dismissed_reminders", keys[-MAX_DISMISSED:])
        self._render_reminders()

    # --- agenda ------------------------------------------------------------------------

    def _render_agenda(self) -> None:
        assert self.data is not None
        self.items.ring.clear(AGENDA)
        clear_layout(self.agenda_list)
        tr = self.ctx.tr
        if not self.data.agenda:
            self.agenda_list.addWidget(label(tr("ui.today.no_agenda"), "notice", wrap=True))
        self._agenda_day: date | None = None
        self._more_agenda = list(self.data.agenda)
        self._show_more_agenda()

    def _show_more_agenda(self) -> None:
        """Build the next ``BATCH`` agenda rows, then a "show more" button if any are left."""
        layout, batch = self.agenda_list, self._more_agenda[:BATCH]
        self._more_agenda = self._more_agenda[BATCH:]
        _drop_tail(layout)
        for item in batch:
            day = item.when.date()
            if day != self._agenda_day:
                self._agenda_day = day
                layout.addSpacing(6)
                layout.addWidget(label(self._day_title(day), "sectionTitle"))
            layout.addWidget(self.items.agenda_row(item))
        if self._more_agenda:
            more = button(self.ctx.tr("ui.today.show_more", n=len(self._more_agenda)), link=True)
            more.setObjectName("moreAgenda")
            more.clicked.connect(self._show_more_agenda)
            layout.addWidget(more)
        layout.addStretch(1)

    def _day_title(self, day: date) -> str:
        assert self.data is not None
        offset = (day - self.data.today).days
        if offset == 0:
            return self.ctx.tr("ui.today.today")
        if offset == 1:
            return self.ctx.tr("ui.today.tomorrow")
        return f"{weekday(day, self.ctx.lang)} {self.ctx.date(day)}"


def _drop_tail(layout: QVBoxLayout) -> None:
    """Take away the closing stretch and the "show more" button before more rows come."""
    last = layout.itemAt(layout.count() - 1) if layout.count() else None
    if last is not None and last.spacerItem() is not None:
        layout.takeAt(layout.count() - 1)
    last = layout.itemAt(layout.count() - 1) if layout.count() else None
    widget = last.widget() if last is not None else None
    if widget is not None and widget.objectName() in ("moreReminders", "moreAgenda"):
        layout.takeAt(layout.count() - 1)
        widget.deleteLater()
