"""Calendar: a week of meetings and group sessions, and export to .ics.

A week is seven day columns (Monday first, as in Finland), each a calm list
of the day's meetings (time, client, kind; cancelled ones struck through)
and group sessions. The worker's own meetings are shown by default. The
export writes the meetings and sessions of a chosen date range to a
calendar file (``documents.ics``) that Outlook imports; since the file
leaves the encrypted store, clients appear by initials unless the worker
chooses full names, and the export is logged per client included.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.domain import attendance, codes
from sosku_desktop.i18n import code_label, format_date, format_short_date, format_time, tr
from sosku_desktop.operations import calendar
from sosku_desktop.store.repositories import Reader
from sosku_desktop.ui.pages.calendar_cards import (
    DayColumn,
    EventCard,
    WeekEntry,
    card_sheet,
)
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.page import PageMixin
from sosku_desktop.ui.shell.theme import Role, tint
from sosku_desktop.ui.widgets.field_messages import FieldBox
from sosku_desktop.ui.widgets.form_rows import from_qdate, ok_cancel, popup_date
from sosku_desktop.ui.widgets.lifetime import run_modal
from sosku_desktop.ui.widgets.reflow import FlowRow

MAX_EXPORT_DAYS = 366
#: Cards built per day until the worker asks for the rest (a whole team's busy day
#: at 10,000 clients is dozens of meetings, and a long column helps nobody).
PER_DAY = 8


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


class ExportDialog(QDialog):
    """Which days to export and whether full names go into the file."""

    def __init__(
        self,
        start: date,
        end: date,
        only_mine: bool,
        can_filter: bool,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.lang = lang
        self.setWindowTitle(tr("calendar.export.title", lang))
        self.setMinimumWidth(480)
        self.start = popup_date(start)
        self.end = popup_date(end)
        self.end_box = FieldBox(self.end)
        self.full_names = QCheckBox(tr("calendar.export.full_names", lang))
        self.only_mine = QCheckBox(tr("calendar.only_mine", lang), self)  # no flash as a window
        self.only_mine.setChecked(only_mine)
        self.only_mine.setVisible(can_filter)
        note = QLabel(tr("calendar.export.privacy", lang))
        note.setWordWrap(True)
        tint(note, Role.TEXT, Role.NEUTRAL_BG, "padding: 8px 10px; border-radius: 4px;")
        form = QFormLayout()
        form.addRow(tr("calendar.export.from", lang), self.start)
        form.addRow(tr("calendar.export.to", lang), self.end_box)
        buttons, _ = ok_cancel(
            self, tr("calendar.export.choose_file", lang), tr("groups.action.cancel", lang)
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.only_mine)
        layout.addWidget(self.full_names)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def range(self) -> tuple[date, date]:
        return from_qdate(self.start.date()), from_qdate(self.end.date())

    def validate(self) -> bool:
        start, end = self.range()
        if end < start:
            self.end_box.set_error(tr("validation.end_before_start", self.lang))
        elif (end - start).days >= MAX_EXPORT_DAYS:
            self.end_box.set_error(tr("calendar.export.too_long", self.lang, days=MAX_EXPORT_DAYS))
        else:
            self.end_box.set_error("")
        return not self.end_box.error

    def accept(self) -> None:  # Qt's name
        if self.validate():
            super().accept()


class CalendarPage(PageMixin, QWidget):
    """The week view with navigation and the .ics export."""

    TITLE_KEY = "ui.nav.calendar"
    HELP_ANCHOR = "kalenteri-ja-raportit"
    TABLES = frozenset(
        {"meetings", "group_sessions", "groups", "clients", "periods", "planned_entries"}
    )

    #: A meeting card was opened: the shell may open the meeting.
    meeting_activated = Signal(str)
    #: a key date's card was opened: the client's id
    client_activated = Signal(str)
    #: A group-session card was opened: the shell may open its attendance sheet.
    session_activated = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.store = ctx.store
        self.lang = ctx.lang
        self.today = ctx.today
        self.monday = monday_of(ctx.today())
        self.entries: list[WeekEntry] = []
        self._expanded: set[date] = set()
        self._build()
        self.refresh()

    def _t(self, key: str, **params: object) -> str:
        return tr(key, self.lang, **params)

    def _build(self) -> None:
        self.setStyleSheet(card_sheet())  # the one sheet: labels, columns, legend, cards
        self.week_label = QLabel()
        self.week_label.setObjectName("calendarWeek")
        self.range_label = QLabel()
        self.range_label.setObjectName("calendarRange")
        self.previous_button = QPushButton("‹ " + self._t("calendar.previous"))
        self.this_week_button = QPushButton(self._t("calendar.this_week"))
        self.next_button = QPushButton(self._t("calendar.next") + " ›")
        self.previous_button.clicked.connect(lambda: self.show_week(self.monday - timedelta(7)))
        self.next_button.clicked.connect(lambda: self.show_week(self.monday + timedelta(7)))
        self.this_week_button.clicked.connect(lambda: self.show_week(self.today()))
        self.only_mine = QCheckBox(self._t("calendar.only_mine"), self)  # never a window of its own
        self.only_mine.setChecked(self.store.worker_id is not None)
        self.only_mine.setVisible(self.store.worker_id is not None)
        self.only_mine.toggled.connect(lambda _on: self.refresh())
        self.export_button = QPushButton(self._t("calendar.export.button"))
        self.export_button.clicked.connect(self.export_with_dialog)
        top = FlowRow()  # the rows wrap rather than widen the page
        top.addWidget(self.week_label)
        top.addSpacing(8)
        top.addWidget(self.range_label)
        top.addStretch(1)
        top.addWidget(self.previous_button)
        top.addWidget(self.this_week_button)
        top.addWidget(self.next_button)
        second = FlowRow()
        self.summary = QLabel()
        self.summary.setObjectName("muted")
        second.addWidget(self.summary)
        second.addStretch(1)
        second.addWidget(self.only_mine)
        second.addSpacing(12)
        second.addWidget(self.export_button)

        self.grid = grid = QGridLayout()
        grid.setSpacing(8)
        for column in range(7):
            grid.setColumnStretch(column, 1)
        #: The day columns, Monday first: made a turn each once the page shows (page.days
        #: fills up; ``_column`` makes one sooner when a day's cards need it).
        self.days: list[DayColumn] = []
        self.ctx.tasks.slices(
            ("calendar columns", id(self)),
            [partial(self._column, offset) for offset in range(7)],
            owner=self,
        )

        legend = FlowRow(spacing=14)
        for style, key in (
            ("planned", "calendar.legend.planned"),
            ("realised", "calendar.legend.realised"),
            ("cancelled", "calendar.legend.cancelled"),
            ("session", "calendar.legend.session"),
            ("key_date", "calendar.legend.key_date"),
        ):
            swatch = QLabel()
            swatch.setObjectName("legendSwatch")
            swatch.setProperty("card", style)
            swatch.setFixedSize(14, 14)
            text = QLabel(self._t(key))
            text.setObjectName("muted")
            pair = QHBoxLayout()
            pair.setSpacing(6)
            pair.addWidget(swatch)
            pair.addWidget(text)
            legend.addLayout(pair)
        legend.addStretch(1)
        self.status = QLabel()
        tint(self.status, Role.SUCCESS)
        self.status.setWordWrap(True)
        legend.addWidget(self.status)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(10)
        layout.addWidget(top)
        layout.addWidget(second)
        layout.addLayout(grid, 1)
        layout.addWidget(legend)

    # --- public API --------------------------------------------------------------------

    def show_week(self, monday: date) -> None:
        """Show the week containing ``monday`` (any day of the week will do)."""
        self.monday = monday_of(monday)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the shown week (after a sync or a change elsewhere), in the background;
        a newer request (the next week, the whole team) supersedes an older one."""
        monday = self.monday
        mine = self.store.worker_id if self.only_mine.isChecked() else None
        store = self.store

        def work(_ticket: object) -> list[WeekEntry]:
            with store.read() as r:
                return self._read_week(r, monday, mine)

        self.ctx.tasks.latest(("calendar", id(self)), work, self._loaded, owner=self)

    def _loaded(self, entries: list[WeekEntry]) -> None:
        self.entries = entries
        self._expanded = set()
        self._fill()

    # --- reading -------------------------------------------------------------------------

    def _read_week(self, r: Reader, monday: date, mine: str | None) -> list[WeekEntry]:
        """The week's cards (runs in the background: no widgets touched here)."""
        sunday = monday + timedelta(days=6)
        week = calendar.span(r, monday, sunday, mine)
        meetings, clients = week.meetings, week.clients
        sessions, groups = week.sessions, week.groups
        entries: list[WeekEntry] = []
        for m in meetings:
            client = clients.get(m.period_id)
            if m.status in (codes.MEETING_CANCELLED, codes.MEETING_NO_SHOW):
                style = "cancelled"
            elif m.status == codes.MEETING_PLANNED:
                style = "planned"
            else:
                style = "realised"
            kind = code_label("meeting_kind", m.kind, self.lang)
            if m.status != codes.MEETING_REALISED:
                kind = f"{kind} · {code_label('meeting_status', m.status, self.lang)}"
            entries.append(
                WeekEntry(
                    "meeting",
                    m.id,
                    m.starts_at.date(),
                    m.starts_at.time(),
                    (m.starts_at + timedelta(minutes=m.duration_min)).time(),
                    client.full_name if client else self._t("calendar.unknown_client"),
                    kind,
                    style,
                )
            )
        for s in sessions:
            group = groups.get(s.group_id)
            span = attendance.session_span(s)
            subtitle = s.theme
            if s.cancelled:
                subtitle = " · ".join(t for t in (s.theme, self._t("calendar.cancelled")) if t)
            entries.append(
                WeekEntry(
                    "session",
                    s.id,
                    s.on,
                    span[0].time() if span else None,
                    span[1].time() if span else None,
                    group.name if group else self._t("calendar.group_session"),
                    subtitle,
                    "cancelled" if s.cancelled else "session",
                )
            )
        planned, planned_clients = calendar.key_dates_between(r, monday, sunday, mine)
        for e in planned:
            client = planned_clients[e.period_id]
            what = code_label("plan_kind", e.kind, self.lang)
            entries.append(
                WeekEntry(
                    "key_date", client.id, e.on, None, None, client.full_name, what, "key_date"
                )
            )
        entries.sort(key=lambda e: (e.day, e.start or time(), e.kind, e.title))
        return entries

    # --- showing -------------------------------------------------------------------------

    def _when(self, entry: WeekEntry) -> str:
        if entry.start is None:
            return self._t("calendar.all_day")
        start = format_time(datetime.combine(entry.day, entry.start))
        if entry.end is None:
            return start
        return f"{start}–{format_time(datetime.combine(entry.day, entry.end))}"

    def _fill(self) -> None:
        today = self.today()
        sunday = self.monday + timedelta(days=6)
        week = self.monday.isocalendar().week
        self.week_label.setText(self._t("calendar.week", number=week))
        self.range_label.setText(
            f"{format_short_date(self.monday, self.lang)}–{format_date(sunday, self.lang)}"
        )
        self.this_week_button.setEnabled(monday_of(today) != self.monday)
        meetings = sum(1 for e in self.entries if e.kind == "meeting" and e.style != "cancelled")
        sessions = sum(1 for e in self.entries if e.kind == "session" and e.style != "cancelled")
        self.summary.setText(self._t("calendar.summary", meetings=meetings, sessions=sessions))
        # A day per event-loop turn: a whole team's week is dozens of cards, built
        # between paints instead of in one long stretch (a newer week drops the rest).
        self.ctx.tasks.slices(
            ("calendar days", id(self)),
            [partial(self._show_day, self.monday + timedelta(days=o), today) for o in range(7)],
            owner=self,
        )

    def _column(self, offset: int) -> DayColumn:
        while len(self.days) <= offset:
            self.days.append(DayColumn())
            self.grid.addWidget(self.days[-1], 0, len(self.days) - 1)
        return self.days[offset]

    def _show_day(self, day: date, today: date) -> None:
        column = self._column(day.weekday())
        title = self._t(
            "calendar.day_header",
            weekday=self._t(f"groups.weekday_short.{day.weekday()}"),
            date=format_short_date(day, self.lang),
        )
        column.show_day(title, day == today, day.weekday() >= 5)
        self._fill_day(column, day)

    def _fill_day(self, column: DayColumn, day: date) -> None:
        """The day's cards, at most ``PER_DAY`` until the worker asks for the rest."""
        entries = [e for e in self.entries if e.day == day]
        shown = entries if day in self._expanded else entries[:PER_DAY]
        cards: list[QWidget] = []
        for entry in shown:
            card = EventCard(entry, self._when(entry))
            card.activated.connect(lambda e=entry: self._activate(e))
            cards.append(card)
        if len(entries) > len(shown):
            more = QPushButton(self._t("calendar.more", n=len(entries) - len(shown)))
            more.setObjectName("moreCards")
            more.clicked.connect(lambda: self._expand(column, day))
            cards.append(more)
        column.set_cards(cards)

    def _expand(self, column: DayColumn, day: date) -> None:
        self._expanded.add(day)
        self._fill_day(column, day)

    def _activate(self, entry: WeekEntry) -> None:
        if entry.kind == "meeting":
            self.meeting_activated.emit(entry.row_id)
        elif entry.kind == "key_date":
            self.client_activated.emit(entry.row_id)
        else:
            self.session_activated.emit(entry.row_id)

    # --- export --------------------------------------------------------------------------

    def export_with_dialog(self) -> None:
        """Ask for the days and the file, then export."""
        dialog = ExportDialog(
            self.monday,
            self.monday + timedelta(days=27),
            self.only_mine.isChecked(),
            self.store.worker_id is not None,
            self.lang,
            self,
        )
        if run_modal(dialog) != QDialog.DialogCode.Accepted:
            return
        start, end = dialog.range()
        suggested = Path.home() / f"sosku-{start.isoformat()}-{end.isoformat()}.ics"
        path, _filter = QFileDialog.getSaveFileName(
            self, self._t("calendar.export.title"), str(suggested), "iCalendar (*.ics)"
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != ".ics":
            target = target.with_suffix(".ics")
        self.export_ics(
            target,
            start,
            end,
            full_names=dialog.full_names.isChecked(),
            only_mine=dialog.only_mine.isChecked(),
        )

    def export_ics(
        self,
        path: Path,
        start: date,
        end: date,
        *,
        full_names: bool = False,
        only_mine: bool | None = None,
    ) -> None:
        """Write meetings and sessions of ``start``–``end`` to ``path`` in the background,
        logging the export; the status line says how it went."""
        mine = self.only_mine.isChecked() if only_mine is None else only_mine
        store, lang = self.store, self.lang

        def done(summary: calendar.CalendarExport) -> None:
            tint(self.status, Role.SUCCESS)
            self.status.setText(
                self._t(
                    "calendar.export.done",
                    meetings=summary.meetings,
                    sessions=summary.sessions,
                    file=path.name,
                )
            )

        self.ctx.run_operation(
            lambda: calendar.export_calendar(
                store, path, start, end, lang, full_names=full_names, only_mine=mine
            ),
            done,
            owner=self,
            on_error=self._export_failed,
        )

    def _export_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, OSError):
            self.ctx.report_error(exc)
            return
        tint(self.status, Role.ERROR)
        self.status.setText(self._t("calendar.export.failed"))
