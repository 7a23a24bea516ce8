"""The client's group activity: memberships and attendance history."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from sosku_desktop.domain import codes, models
from sosku_desktop.ui.client.tabs.base import ClientTab, select_row
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.theme import Role
from sosku_desktop.ui.widgets.common import fit_columns, label, table_view
from sosku_desktop.ui.widgets.models import Column, TableModel

ATTENDANCE_COLOUR = {codes.ATTENDANCE_ABSENT: Role.ABSENT, codes.ATTENDANCE_EXCUSED: Role.EXCUSED}


@dataclass(frozen=True)
class AttendanceRow:
    session: models.GroupSession
    group_name: str
    status: str


class GroupsTab(ClientTab):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("clientGroupsTab")
        tr = ctx.tr
        self.group_names: dict[str, str] = {}
        self.layout_.addWidget(label(tr("ui.groups_tab.memberships"), "sectionTitle"))
        self.members: TableModel[models.GroupMember] = TableModel(
            [
                Column("ui.col.group", lambda m: self.group_names.get(m.group_id, "")),
                Column("ui.col.joined", lambda m: ctx.date(m.joined_on)),
                Column("ui.col.left", lambda m: ctx.date(m.left_on)),
            ],
            ctx.lang,
            self,
        )
        self.members_view = table_view(self.members, name="membershipsTable")
        self.members_view.setAccessibleName(ctx.tr("ui.a11y.memberships"))
        self.members_view.setMaximumHeight(140)
        self.layout_.addWidget(self.members_view)
        self.summary = label("", "muted")
        self.layout_.addWidget(label(tr("ui.groups_tab.attendance"), "sectionTitle"))
        self.layout_.addWidget(self.summary)
        self.attendance: TableModel[AttendanceRow] = TableModel(
            [
                Column(
                    "ui.col.date", lambda r: ctx.date(r.session.on), sort=lambda r: r.session.on
                ),
                Column("ui.col.group", lambda r: r.group_name),
                Column("ui.col.theme", lambda r: r.session.theme),
                Column(
                    "ui.col.attendance",
                    lambda r: ctx.code("attendance", r.status),
                    colour=lambda r: ATTENDANCE_COLOUR.get(r.status),
                ),
            ],
            ctx.lang,
            self,
        )
        self.attendance_view = table_view(self.attendance, name="attendanceHistoryTable")
        self.attendance_view.setAccessibleName(ctx.tr("ui.a11y.attendance_history"))
        self.layout_.addWidget(self.attendance_view, 1)

    def show_row(self, row_id: str) -> bool:
        """The membership of group ``row_id`` in front (a group-absence reminder's group)."""
        return select_row(self.members_view, self.members, row_id, key="group_id")

    def fill(self) -> None:
        assert self.data is not None
        record, tr = self.data.record, self.ctx.tr
        self.group_names = {g.id: g.name for g in record.groups}
        self.members.set_rows(record.memberships)
        sessions = {s.id: s for s in record.sessions}
        rows = [
            AttendanceRow(
                sessions[a.session_id],
                self.group_names.get(sessions[a.session_id].group_id, ""),
                a.status,
            )
            for a in record.attendances
            if a.session_id in sessions
        ]
        rows.sort(key=lambda r: r.session.on, reverse=True)
        self.attendance.set_rows(rows)
        counts = Counter(r.status for r in rows)
        self.summary.setText(
            tr(
                "ui.groups_tab.summary",
                present=counts[codes.ATTENDANCE_PRESENT],
                absent=counts[codes.ATTENDANCE_ABSENT],
                excused=counts[codes.ATTENDANCE_EXCUSED],
            )
            if rows
            else tr("ui.groups_tab.none")
        )
        fit_columns(self.members_view)
        fit_columns(self.attendance_view)
