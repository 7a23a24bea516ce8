"""Meetings of the period: the list, the monthly count, and entry from here.

A selected planned meeting is marked cancelled or no-show with the same
Alt+letter of the language as in the meeting dialog (fi Alt+P/Alt+E, sv
Alt+I/Alt+K, en Alt+N/Alt+D), so the worker's hands learn one key per outcome.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QWidget

from sosku_desktop.documents.errors import DocumentError
from sosku_desktop.documents.kinds import VISIT_ENTRY
from sosku_desktop.domain import codes, models
from sosku_desktop.domain.meetings import meetings_per_month
from sosku_desktop.i18n import format_time
from sosku_desktop.operations.documents import build_and_log
from sosku_desktop.operations.meetings import mark_planned_meeting
from sosku_desktop.ui.client.tabs.base import ClientTab
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.theme import Role
from sosku_desktop.ui.widgets.common import button, fit_columns, label, table_view
from sosku_desktop.ui.widgets.models import Column, TableModel
from sosku_desktop.ui.widgets.reflow import flow

STATUS_COLOUR = {
    codes.MEETING_PLANNED: Role.ACCENT,
    codes.MEETING_CANCELLED: Role.EXCUSED,
    codes.MEETING_NO_SHOW: Role.ERROR,
}


def _press(target: QPushButton) -> None:
    """Click ``target`` from its key only when it could be clicked (a planned meeting
    selected); the key of a hidden tab does nothing, as Qt skips hidden owners."""
    if target.isVisible() and target.isEnabled():
        target.click()


class MeetingsTab(ClientTab):
    """Newest first; planned meetings can be completed or marked in one click."""

    record_requested = Signal(object)  # existing planned meeting or None
    plan_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("meetingsTab")
        tr = ctx.tr
        self.record_button = button(tr("ui.client.record_meeting"), primary=True)
        self.record_button.clicked.connect(
            lambda: self.record_requested.emit(self._planned_selected())
        )
        self.plan_button = button(tr("ui.client.plan_meeting"))
        self.plan_button.clicked.connect(self.plan_requested)
        self.cancel_button = button(tr("ui.meeting.cancelled"))
        self.cancel_button.clicked.connect(lambda: self._mark(codes.MEETING_CANCELLED))
        self.no_show_button = button(tr("ui.meeting.no_show"))
        self.no_show_button.clicked.connect(lambda: self._mark(codes.MEETING_NO_SHOW))
        for target, key in (
            (self.cancel_button, "ui.meeting.cancelled_key"),
            (self.no_show_button, "ui.meeting.no_show_key"),
        ):
            target.setToolTip(f"{target.text()} ({tr(key)})")
            QShortcut(QKeySequence(tr(key)), self).activated.connect(partial(_press, target))
        self.layout_.addWidget(
            flow(self.record_button, self.plan_button, self.cancel_button, self.no_show_button)
        )
        self.months = label("", "muted", wrap=True)
        self.layout_.addWidget(self.months)
        self.model: TableModel[models.Meeting] = TableModel(
            [
                Column("ui.col.date", lambda m: ctx.date(m.starts_at), sort=lambda m: m.starts_at),
                Column("ui.col.time", lambda m: format_time(m.starts_at)),
                Column("ui.col.kind", lambda m: ctx.code("meeting_kind", m.kind)),
                Column(
                    "ui.col.status",
                    lambda m: ctx.code("meeting_status", m.status),
                    colour=lambda m: STATUS_COLOUR.get(m.status),
                ),
                Column("ui.col.duration", lambda m: f"{m.duration_min} min", align_right=True),
                Column("ui.col.place", lambda m: m.place),
                Column(
                    "ui.col.notes",
                    lambda m: " ".join(m.notes.split())[:120],
                    tooltip=lambda m: m.notes,
                ),
            ],
            ctx.lang,
            self,
        )
        self.table = table_view(self.model, name="meetingsTable")
        self.table.setAccessibleName(ctx.tr("ui.client.tab.meetings"))
        self.table.doubleClicked.connect(self._open)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.layout_.addWidget(self.table, 1)
        self._build_copy()

    def fill(self) -> None:
        assert self.data is not None
        data, tr = self.data, self.ctx.tr
        meetings = sorted(data.period_meetings, key=lambda m: m.starts_at, reverse=True)
        self.model.set_rows(meetings)
        fit_columns(self.table)
        has_period = data.period is not None
        self.record_button.setEnabled(has_period)
        self.plan_button.setEnabled(has_period)
        if data.period is not None:
            counts = meetings_per_month(data.period, meetings, data.today, data.rules)[-6:]
            parts = [
                tr(
                    "ui.meetings.month_count",
                    month=f"{c.month}/{c.year}",
                    realised=c.realised,
                    target=c.target,
                )
                + (" ✓" if c.met else "")
                for c in reversed(counts)
            ]
            self.months.setText(tr("ui.meetings.per_month") + "  " + " · ".join(parts))
        else:
            self.months.setText(tr("ui.meeting.no_period"))
        self._update_buttons()

    def selected(self) -> models.Meeting | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.model.row_at(indexes[0]) if indexes else None

    def _planned_selected(self) -> models.Meeting | None:
        meeting = self.selected()
        return meeting if meeting is not None and meeting.status == codes.MEETING_PLANNED else None

    def _update_buttons(self) -> None:
        meeting = self.selected()
        planned = meeting is not None and meeting.status == codes.MEETING_PLANNED
        self.cancel_button.setEnabled(planned)
        self.no_show_button.setEnabled(planned)
        self.copy_button.setEnabled(meeting is not None)

    # --- the visit entry for the city's client-record system -------------------------

    def _build_copy(self) -> None:
        """Copy the chosen meeting's visit entry: a button under the list, and Ctrl+C on
        the list itself (the entry the worker pastes after every meeting)."""
        self.copy_button = button(self.ctx.tr("ui.meetings.copy_entry"))
        self.copy_button.setObjectName("copyVisitEntry")
        self.copy_button.clicked.connect(self.copy_entry)
        self.copy_status = label("", "muted", wrap=True)
        self.layout_.addWidget(flow(self.copy_button, self.copy_status))
        copy = QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), self.table)
        copy.setContext(Qt.ShortcutContext.WidgetShortcut)
        copy.activated.connect(self.copy_entry)

    def copy_entry(self) -> str:
        """The chosen meeting's visit entry on the clipboard (an export: access-logged)."""
        meeting, data = self.selected(), self.data
        if meeting is None or data is None:
            return ""
        try:
            built = build_and_log(
                self.ctx.store,
                VISIT_ENTRY,
                "txt",
                self.ctx.lang,
                data.record.client.id,
                today=data.today,
                meeting_id=meeting.id,
            )
        except DocumentError:
            self.copy_status.setText(self.ctx.tr("ui.period.copy_failed"))
            return ""
        text = built.data.decode("utf-8")
        QGuiApplication.clipboard().setText(text)
        self.ctx.changed(built.changes)
        self.copy_status.setText(
            self.ctx.tr("ui.meetings.entry_copied", date=self.ctx.date(meeting.starts_at))
        )
        return text

    def _open(self, index: QModelIndex) -> None:
        meeting = self.model.row_at(index)
        if meeting is not None:
            self.record_requested.emit(meeting)

    def _mark(self, status: str) -> None:
        meeting = self.selected()
        if meeting is None:
            return
        self.ctx.run_operation(lambda: mark_planned_meeting(self.ctx.store, meeting, status))
