"""What one group's panel shows: its name, members with attendance, sessions with tallies.

Kept apart from the Groups page's navigation and actions (``groups_page``):
this half only turns a ``GroupView`` (read by ``operations.groups``) into
rows. Rules (who is a member today, tallies, absence warnings) come from
``domain.attendance`` and are not decided here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
)

from sosku_desktop.domain import attendance
from sosku_desktop.domain.models import GroupSession
from sosku_desktop.i18n import format_date, tr
from sosku_desktop.operations import groups
from sosku_desktop.ui.pages.groups_delegates import ID_ROLE, TALLY_ROLE, cell
from sosku_desktop.ui.shell.theme import Role, colour
from sosku_desktop.ui.widgets.client_picker import ClientPicker
from sosku_desktop.ui.widgets.column_fit import FIT_ROWS, ask_for_columns


class GroupDetailFill:
    """Fills the group panel's widgets (made by the page) from ``self.data``, and
    answers what is selected in them."""

    lang: str
    today: Callable[[], date]
    data: groups.GroupView | None
    name_label: QLabel
    info_label: QLabel
    member_model: QStandardItemModel
    member_view: QTableView
    member_title: QLabel
    member_combo: ClientPicker
    member_message: QLabel
    session_model: QStandardItemModel
    session_view: QTableView
    session_title: QLabel
    open_session_button: QPushButton
    cancel_session_button: QPushButton
    move_session_button: QPushButton
    remove_member_button: QPushButton
    add_member_button: QPushButton

    def _t(self, key: str, **params: object) -> str:
        return tr(key, self.lang, **params)

    def _current_member_ids(self, data: groups.GroupView) -> list[str]:
        today = self.today()
        rows = [
            m for m in data.members if not m.deleted and (m.left_on is None or m.left_on > today)
        ]
        ids = list(dict.fromkeys(m.client_id for m in rows if m.client_id in data.clients))
        return sorted(
            ids,
            key=lambda c: (
                data.clients[c].last_name.casefold(),
                data.clients[c].first_name.casefold(),
            ),
        )

    def _fill_detail(self) -> None:
        assert self.data is not None
        data = self.data
        g = data.group
        self.name_label.setText(g.name)
        info = []
        if g.schedule:
            info.append(g.schedule)
        if g.place:
            info.append(g.place)
        if g.leaders:
            info.append(self._t("groups.leaders_line", leaders=g.leaders))
        self.info_label.setText(" · ".join(info))
        self._fill_members()
        self._fill_sessions()
        self.member_message.hide()
        self._update_buttons()

    def _fill_members(self) -> None:
        assert self.data is not None
        data = self.data
        tallies = data.member_tallies
        joined = {m.client_id: m.joined_on for m in data.members if not m.deleted}
        member_ids = self._current_member_ids(data)
        self.member_model.clear()
        self.member_model.setHorizontalHeaderLabels(
            [self._t("groups.col.name"), self._t("groups.col.joined"), self._t("groups.col.rate")]
        )
        for client_id in member_ids:
            client = data.clients[client_id]
            tally = tallies.get(client_id, attendance.Tally())
            if tally.marked:
                rate = self._t(
                    "groups.rate",
                    present=tally.present,
                    marked=tally.marked,
                    percent=tally.rate_percent,
                )
            else:
                rate = "–"
            name = cell(client.full_name, client_id)
            rate_item = cell(rate)
            if client_id in data.warnings:
                warning = self._t("groups.absence_warning", count=data.warnings[client_id])
                rate_item.setText(f"⚠ {rate}")
                rate_item.setForeground(colour(Role.ABSENT))
                for item in (name, rate_item):
                    item.setToolTip(warning)
            joined_on = joined.get(client_id)
            self.member_model.appendRow(
                [name, cell(format_date(joined_on, self.lang) if joined_on else "–"), rate_item]
            )
        self.member_title.setText(self._t("groups.members", count=len(member_ids)))
        header = self.member_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        ask_for_columns(self.member_view)

        self.member_combo.set_exclude(set(member_ids))  # the picker searches the rest

    def _fill_sessions(self) -> None:
        assert self.data is not None
        data = self.data
        today = self.today()
        tallies = data.session_tallies
        self.session_model.clear()
        self.session_model.setHorizontalHeaderLabels(
            [
                self._t("groups.col.date"),
                self._t("groups.col.time"),
                self._t("groups.col.theme"),
                self._t("groups.col.attendance"),
            ]
        )
        current_row = -1
        for row, s in enumerate(data.sessions):
            day = cell(self._weekday_date(s.on), s.id)
            time_item = cell(s.starts_at or "–")
            theme = cell(s.theme or "–")
            if s.cancelled:
                summary = self._t("groups.session_cancelled")
            else:
                summary = self._tally_text(tallies[s.id])
            status = cell(summary)
            status.setToolTip(summary)
            if not s.cancelled and tallies[s.id].marked:
                t = tallies[s.id]
                status.setData((t.present, t.absent, t.excused), TALLY_ROLE)
            items = [day, time_item, theme, status]
            if s.cancelled:
                for item in items:
                    font = item.font()
                    font.setItalic(True)
                    item.setFont(font)
                    item.setForeground(colour(Role.MUTED))
            elif s.on == today:
                for item in items:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
            if s.on <= today:
                current_row = row
            self.session_model.appendRow(items)
        header = self.session_view.horizontalHeader()
        header.setResizeContentsPrecision(FIT_ROWS)  # years of sessions: measure a screenful
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        ask_for_columns(self.session_view)
        if current_row < 0 and data.sessions:
            current_row = 0
        if current_row >= 0:
            index = self.session_model.index(current_row, 0)
            self.session_view.setCurrentIndex(index)
            self.session_view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.session_title.setText(self._t("groups.sessions_count", count=len(data.sessions)))

    def _tally_text(self, tally: attendance.Tally) -> str:
        """ "present 4 · absent 1", leaving out what is zero so the column stays narrow."""
        if not tally.marked:
            return self._t("groups.session_unmarked")
        parts = [
            self._t(f"groups.tally.{name}", count=count)
            for name, count in (
                ("present", tally.present),
                ("absent", tally.absent),
                ("excused", tally.excused),
            )
            if count
        ]
        return " · ".join(parts)

    def _weekday_date(self, day: date) -> str:
        return self._t(
            "groups.weekday_date",
            weekday=self._t(f"groups.weekday_short.{day.weekday()}"),
            date=format_date(day, self.lang),
        )

    # --- selections -----------------------------------------------------------------------

    def _selected_session_id(self) -> str | None:
        index = self.session_view.currentIndex()
        if not index.isValid():
            return None
        return str(self.session_model.index(index.row(), 0).data(ID_ROLE))

    def _selected_session(self) -> GroupSession | None:
        session_id = self._selected_session_id()
        if self.data is None or session_id is None:
            return None
        return next((s for s in self.data.sessions if s.id == session_id), None)

    def _select_session_row(self, session_id: str) -> None:
        for row in range(self.session_model.rowCount()):
            index = self.session_model.index(row, 0)
            if index.data(ID_ROLE) == session_id:
                self.session_view.setCurrentIndex(index)
                return

    def _selected_member_id(self) -> str | None:
        index = self.member_view.currentIndex()
        if not index.isValid():
            return None
        return str(self.member_model.index(index.row(), 0).data(ID_ROLE))

    def _update_buttons(self, *_: object) -> None:
        session = self._selected_session()
        self.open_session_button.setEnabled(session is not None)
        self.cancel_session_button.setEnabled(session is not None)
        self.move_session_button.setEnabled(session is not None)
        self.cancel_session_button.setText(
            self._t(
                "groups.action.restore_session"
                if session is not None and session.cancelled
                else "groups.action.cancel_session"
            )
        )
        self.remove_member_button.setEnabled(self._selected_member_id() is not None)
        self.member_combo.setEnabled(self.data is not None)
        self.add_member_button.setEnabled(self.data is not None)
