"""Groups: the list of groups, a group's members and sessions, and attendance.

Group activity is an essential part of the service (domain.md): the worker
follows attendance and reacts to absences. The page lists the groups; a
group shows its members (with each one's attendance so far and a flag when
the absence reminder is on) and its sessions; a session opens the
keyboard-first attendance sheet (``ui.attendance_sheet``). Rules come from
``domain.attendance`` and ``domain.reminders``; this module only shows and
writes.

Selecting a group shows its members' attendance, so it is logged as a view
per member (client-data act 703/2023), like opening a sheet.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QShowEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.domain import attendance, codes, reminders
from sosku_desktop.domain.models import (
    Attendance,
    Client,
    Group,
    GroupMember,
    GroupSession,
)
from sosku_desktop.i18n import format_date, tr
from sosku_desktop.operations import Changes, groups
from sosku_desktop.store.records import load_rules
from sosku_desktop.store.repositories import Reader
from sosku_desktop.ui.attendance_sheet import AttendanceSheet, paint_pill, status_keys
from sosku_desktop.ui.context import AppContext
from sosku_desktop.ui.field_messages import ERROR_STYLE, problem_text
from sosku_desktop.ui.groups_dialogs import GroupDialog, SessionDialog, client_picker
from sosku_desktop.ui.page import PageMixin

ID_ROLE = Qt.ItemDataRole.UserRole + 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2
TALLY_ROLE = Qt.ItemDataRole.UserRole + 3
MUTED = "#5f6368"
PANEL_STYLE = (
    "QFrame#panel { background: palette(base); border: 1px solid #dadce0; border-radius: 6px; }"
)


class GroupListDelegate(QStyledItemDelegate):
    """A group as its name, then schedule and place, leaders and member count."""

    LINES = 4

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(200, (option.fontMetrics.height() + 2) * self.LINES + 16)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        rect = opt.rect.adjusted(12, 8, -12, -8)
        line = opt.fontMetrics.height() + 2
        bold = QFont(opt.font)
        bold.setBold(True)
        text_colour = opt.palette.highlightedText().color() if selected else QColor("#202124")
        muted = opt.palette.highlightedText().color() if selected else QColor(MUTED)
        lines = [str(index.data() or ""), *(index.data(DETAIL_ROLE) or ())]
        for number, text in enumerate(lines[: self.LINES]):
            painter.setFont(bold if number == 0 else opt.font)
            painter.setPen(text_colour if number == 0 else muted)
            metrics = QFontMetrics(painter.font())
            r = QRect(rect.left(), rect.top() + number * line, rect.width(), line)
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, r.width())
            painter.drawText(r, Qt.AlignmentFlag.AlignVCenter, elided)
        painter.restore()


class TallyDelegate(QStyledItemDelegate):
    """A session's marks as small coloured pills ("L 4", "P 1"), as on the sheet."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys = status_keys(lang)

    def _pills(self, index: QModelIndex | QPersistentModelIndex) -> list[tuple[str, int]]:
        tally = index.data(TALLY_ROLE)
        if not isinstance(tally, tuple):
            return []
        return [(s, n) for s, n in zip(codes.ATTENDANCE_STATUSES, tally, strict=True) if n]

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        pills = self._pills(index)
        if not pills:
            return super().sizeHint(option, index)
        height = super().sizeHint(option, index).height()
        pill = max(height - 10 - 6, 12) + 22 + 6
        width = sum(option.fontMetrics.horizontalAdvance(str(n)) + pill for _, n in pills)
        return QSize(width + 8, height)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        pills = self._pills(index)
        if not pills:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(opt.rect).adjusted(4, 5, -4, -5)
        for status, count in pills:
            width = paint_pill(painter, rect, opt.font, status, self.keys[status], str(count))
            rect.setLeft(rect.left() + width + 6)
        painter.restore()


def _table(model: QStandardItemModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(30)
    view.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    view.horizontalHeader().setHighlightSections(False)
    return view


def _item(text: str, data: Any = None) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    if data is not None:
        item.setData(data, ID_ROLE)
    return item


def _panel(title: QLabel, *parts: QWidget | QHBoxLayout) -> QFrame:
    frame = QFrame()
    frame.setObjectName("panel")
    frame.setStyleSheet(PANEL_STYLE)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(12, 10, 12, 12)
    layout.setSpacing(8)
    title.setStyleSheet("font-weight: 600; font-size: 14px;")
    layout.addWidget(title)
    for part in parts:
        if isinstance(part, QHBoxLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part, 1 if isinstance(part, QTableView) else 0)
    return frame


@dataclasses.dataclass
class _GroupData:
    """What one group's page shows, read in one transaction."""

    group: Group
    members: list[GroupMember]
    sessions: list[GroupSession]
    attendances: list[Attendance]
    clients: dict[str, Client]
    warnings: dict[str, int]


class GroupsPage(PageMixin, QWidget):
    """Groups, members, sessions and attendance sheets."""

    TITLE_KEY = "ui.nav.groups"
    HELP_ANCHOR = "ryhmät-ja-läsnäolo"
    TABLES = frozenset(
        {"groups", "group_members", "group_sessions", "attendances", "clients", "periods"}
    )

    #: A member was double-clicked: the shell may open the client.
    client_activated = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.store = ctx.store
        self.lang = ctx.lang
        self.today = ctx.today
        self.data: _GroupData | None = None
        self._unlogged: str | None = None
        self._build()
        self.refresh()

    # --- layout -------------------------------------------------------------------------

    def _t(self, key: str, **params: object) -> str:
        return tr(key, self.lang, **params)

    def _build(self) -> None:
        self.group_model = QStandardItemModel(self)
        self.group_list = QListView()
        self.group_list.setModel(self.group_model)
        self.group_list.setItemDelegate(GroupListDelegate(self.group_list))
        self.group_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.group_list.setMinimumWidth(260)
        self.group_list.setMaximumWidth(330)
        self.group_list.selectionModel().currentChanged.connect(self._group_chosen)
        heading = QLabel(self._t("groups.title"))
        heading.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.new_group_button = QPushButton(self._t("groups.action.new_group"))
        self.new_group_button.clicked.connect(self.new_group)
        left_top = QHBoxLayout()
        left_top.addWidget(heading)
        left_top.addStretch(1)
        left_top.addWidget(self.new_group_button)
        left = QVBoxLayout()
        left.addLayout(left_top)
        left.addWidget(self.group_list, 1)

        self.stack = QStackedWidget()
        self.empty = QLabel(self._t("groups.empty"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(f"color: {MUTED}; font-size: 14px;")
        self.detail = self._build_detail()
        self.sheet = AttendanceSheet(self.ctx)
        self.sheet.back_requested.connect(self.close_sheet)
        self.sheet.saved.connect(lambda _id: self._reload_group())
        for page in (self.empty, self.detail, self.sheet):
            self.stack.addWidget(page)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(16)
        layout.addLayout(left)
        layout.addWidget(self.stack, 1)

    def _build_detail(self) -> QWidget:
        self.name_label = QLabel()
        self.name_label.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.info_label = QLabel()
        self.info_label.setStyleSheet(f"color: {MUTED};")
        self.info_label.setWordWrap(True)
        self.edit_group_button = QPushButton(self._t("groups.action.edit_group"))
        self.edit_group_button.clicked.connect(self.edit_group)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.name_label)
        titles.addWidget(self.info_label)
        head.addLayout(titles, 1)
        head.addWidget(self.edit_group_button, 0, Qt.AlignmentFlag.AlignTop)

        self.member_model = QStandardItemModel(self)
        self.member_view = _table(self.member_model)
        self.member_view.doubleClicked.connect(self._member_activated)
        self.member_view.setToolTip(self._t("groups.members_tip"))
        self.member_title = QLabel()
        self.member_combo = client_picker(self._t("groups.member_placeholder"))
        self.add_member_button = QPushButton(self._t("groups.action.add_member"))
        self.add_member_button.clicked.connect(self.add_selected_member)
        self.remove_member_button = QPushButton(self._t("groups.action.remove_member"))
        self.remove_member_button.clicked.connect(self.remove_selected_member)
        self.member_message = QLabel()
        self.member_message.setStyleSheet(ERROR_STYLE)
        self.member_message.setWordWrap(True)
        self.member_message.hide()
        add_row = QHBoxLayout()
        add_row.addWidget(self.member_combo, 1)
        add_row.addWidget(self.add_member_button)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_member_button)
        members = _panel(
            self.member_title, self.member_view, add_row, self.member_message, remove_row
        )

        self.session_model = QStandardItemModel(self)
        self.session_view = _table(self.session_model)
        self.session_view.setItemDelegateForColumn(3, TallyDelegate(self.lang, self.session_view))
        self.session_view.activated.connect(lambda _index: self.open_selected_session())
        self.session_title = QLabel(self._t("groups.sessions"))
        self.new_session_button = QPushButton(self._t("groups.action.new_session"))
        self.new_session_button.clicked.connect(self.new_session)
        self.cancel_session_button = QPushButton(self._t("groups.action.cancel_session"))
        self.cancel_session_button.clicked.connect(self.toggle_selected_session)
        self.open_session_button = QPushButton(self._t("groups.action.open_sheet"))
        self.open_session_button.setDefault(True)
        self.open_session_button.clicked.connect(self.open_selected_session)
        session_row = QHBoxLayout()
        session_row.addWidget(self.new_session_button)
        session_row.addWidget(self.cancel_session_button)
        session_row.addStretch(1)
        session_row.addWidget(self.open_session_button)
        sessions = _panel(self.session_title, self.session_view, session_row)
        self.session_view.selectionModel().currentChanged.connect(self._update_buttons)
        self.member_view.selectionModel().currentChanged.connect(self._update_buttons)

        columns = QHBoxLayout()
        columns.setSpacing(12)
        columns.addWidget(members, 4)
        columns.addWidget(sessions, 6)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addLayout(head)
        layout.addLayout(columns, 1)
        return page

    # --- public API -----------------------------------------------------------------------

    @property
    def current_group_id(self) -> str | None:
        return self.data.group.id if self.data else None

    def refresh(self) -> None:
        """Re-read groups (after a sync or another page's change), keeping the place."""
        keep = self.current_group_id
        self._fill_groups()
        if self.group_model.rowCount() == 0:
            self.data = None
            self.stack.setCurrentWidget(self.empty)
            return
        if keep is None or not self._select_row_of(keep, log_view=False):
            self.group_list.setCurrentIndex(self.group_model.index(0, 0))
        if self.stack.currentWidget() is self.sheet and self.sheet.session is not None:
            if not self.sheet.has_unsaved_changes():
                self.sheet.load(self.sheet.session.id, log_view=False)
        elif self.data is not None:
            self.stack.setCurrentWidget(self.detail)

    def select_group(self, group_id: str) -> bool:
        """Show a group's page (leaving an open sheet if the worker agrees)."""
        if not self._may_leave_sheet():
            return False
        found = self._select_row_of(group_id, log_view=True)
        if found:
            self.stack.setCurrentWidget(self.detail)
        return found

    def open_session(self, session_id: str) -> bool:
        """Show the attendance sheet of a session (for the shell, calendar and screenshots)."""
        if not self._may_leave_sheet():
            return False
        with self.store.read() as r:
            session = r.find(GroupSession, session_id)
        if session is None:
            return False
        self._select_row_of(session.group_id, log_view=False)
        self._select_session_row(session_id)
        self.sheet.load(session_id)
        self.stack.setCurrentWidget(self.sheet)
        self.sheet.view.setFocus()
        return True

    def close_sheet(self) -> None:
        if self._may_leave_sheet():
            self.stack.setCurrentWidget(self.detail)
            self.session_view.setFocus()

    # --- groups list ----------------------------------------------------------------------

    def _fill_groups(self) -> None:
        today = self.today()
        with self.store.read() as r:
            groups = r.list(Group, order_by="name")
            members = r.list(GroupMember)
        blocker = self.group_list.selectionModel().blockSignals(True)
        self.group_model.clear()
        for g in groups:
            count = len(attendance.members_on(members, g.id, today))
            item = _item(g.name, g.id)
            lines = [
                " · ".join(t for t in (g.schedule, g.place) if t),
                self._t("groups.leaders_line", leaders=g.leaders) if g.leaders else "",
                self._t("groups.member_count", count=count),
            ]
            lines = [line for line in lines if line]
            item.setData(tuple(lines), DETAIL_ROLE)
            item.setData("\n".join([g.name, *lines]), Qt.ItemDataRole.ToolTipRole)
            self.group_model.appendRow(item)
        self.group_list.selectionModel().blockSignals(blocker)

    def _select_row_of(self, group_id: str, log_view: bool) -> bool:
        for row in range(self.group_model.rowCount()):
            index = self.group_model.index(row, 0)
            if index.data(ID_ROLE) == group_id:
                blocker = self.group_list.selectionModel().blockSignals(True)
                self.group_list.setCurrentIndex(index)
                self.group_list.selectionModel().blockSignals(blocker)
                self._load_group(group_id, log_view)
                return True
        return False

    def _group_chosen(self, current: QModelIndex, previous: QModelIndex) -> None:
        if not current.isValid():
            return
        if self.stack.currentWidget() is self.sheet and not self._may_leave_sheet():
            blocker = self.group_list.selectionModel().blockSignals(True)
            self.group_list.setCurrentIndex(previous)
            self.group_list.selectionModel().blockSignals(blocker)
            return
        self._load_group(str(current.data(ID_ROLE)), log_view=True)
        self.stack.setCurrentWidget(self.detail)

    # --- one group ------------------------------------------------------------------------

    def _read_group(self, r: Reader, group_id: str) -> _GroupData:
        today = self.today()
        group = r.get(Group, group_id)
        members = r.list(GroupMember, group_id=group_id)
        sessions = r.list(GroupSession, order_by=("on", "starts_at", "id"), group_id=group_id)
        marks = r.list(Attendance, session_id=[s.id for s in sessions])
        clients = {c.id: c for c in r.clients()}
        rules = load_rules(r)
        warnings: dict[str, int] = {}
        for client_id in {m.client_id for m in members}:
            period = r.current_period(client_id)
            if period is None or period.status != codes.PERIOD_ACTIVE:
                continue
            found = reminders.group_absences(today, period, sessions, marks, members, rules)
            if any(rem.params.get("group_id") == group_id for rem in found):
                warnings[client_id] = rules.consecutive_absences
        return _GroupData(group, members, sessions, marks, clients, warnings)

    def _load_group(self, group_id: str, log_view: bool) -> None:
        """Read and show a group; ``log_view`` when it is newly put in front of the worker."""
        with self.store.read() as r:
            self.data = self._read_group(r, group_id)
        self._fill_detail()
        if log_view:
            self._unlogged = group_id
            self._log_pending_view()

    def _log_pending_view(self) -> None:
        """Log the members' attendance as viewed once the group is actually on screen.

        Pages are built before they are shown; a group chosen automatically
        is logged when the page first becomes visible, not before.
        """
        if self._unlogged is None or self.data is None or not self.isVisible():
            return
        if self.data.group.id == self._unlogged:
            shown, group_id = self._current_member_ids(self.data), self._unlogged
            self.ctx.run_operation(lambda: groups.log_viewed(self.store, shown, "groups", group_id))
        self._unlogged = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._log_pending_view()

    def _reloaded(self, _changes: Changes) -> None:
        self._reload_group()

    def _reload_group(self) -> None:
        if self.data is not None:
            keep = self._selected_session_id()
            self._load_group(self.data.group.id, log_view=False)
            self._fill_groups_counts()
            if keep:
                self._select_session_row(keep)

    def _fill_groups_counts(self) -> None:
        keep = self.current_group_id
        self._fill_groups()
        if keep:
            for row in range(self.group_model.rowCount()):
                index = self.group_model.index(row, 0)
                if index.data(ID_ROLE) == keep:
                    blocker = self.group_list.selectionModel().blockSignals(True)
                    self.group_list.setCurrentIndex(index)
                    self.group_list.selectionModel().blockSignals(blocker)

    def _current_member_ids(self, data: _GroupData) -> list[str]:
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
        today = self.today()
        tallies = attendance.member_tallies(data.sessions, data.attendances, today)
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
            name = _item(client.full_name, client_id)
            rate_item = _item(rate)
            if client_id in data.warnings:
                warning = self._t("groups.absence_warning", count=data.warnings[client_id])
                rate_item.setText(f"⚠ {rate}")
                rate_item.setForeground(QColor("#9a1c1c"))
                for item in (name, rate_item):
                    item.setToolTip(warning)
            joined_on = joined.get(client_id)
            self.member_model.appendRow(
                [name, _item(format_date(joined_on, self.lang) if joined_on else "–"), rate_item]
            )
        self.member_title.setText(self._t("groups.members", count=len(member_ids)))
        header = self.member_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

        self.member_combo.clear()
        listed = set(member_ids)
        candidates = sorted(
            (c for c in data.clients.values() if c.id not in listed),
            key=lambda c: (c.last_name.casefold(), c.first_name.casefold()),
        )
        for c in candidates:
            self.member_combo.addItem(c.full_name, c.id)
        self.member_combo.setCurrentIndex(-1)

    def _fill_sessions(self) -> None:
        assert self.data is not None
        data = self.data
        today = self.today()
        tallies = attendance.session_tallies(data.sessions, data.attendances)
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
            day = _item(self._weekday_date(s.on), s.id)
            time_item = _item(s.starts_at or "–")
            theme = _item(s.theme or "–")
            if s.cancelled:
                summary = self._t("groups.session_cancelled")
            else:
                summary = self._tally_text(tallies[s.id])
            status = _item(summary)
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
                    item.setForeground(QColor("#80868b"))
            elif s.on == today:
                for item in items:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
            if s.on <= today:
                current_row = row
            self.session_model.appendRow(items)
        header = self.session_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
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
        self.cancel_session_button.setText(
            self._t(
                "groups.action.restore_session"
                if session is not None and session.cancelled
                else "groups.action.cancel_session"
            )
        )
        self.remove_member_button.setEnabled(self._selected_member_id() is not None)
        has_candidates = self.member_combo.count() > 0
        self.member_combo.setEnabled(has_candidates)
        self.add_member_button.setEnabled(has_candidates)

    def _member_activated(self, index: QModelIndex) -> None:
        client_id = self.member_model.index(index.row(), 0).data(ID_ROLE)
        if client_id:
            self.client_activated.emit(str(client_id))

    # --- actions: groups --------------------------------------------------------------------

    def new_group(self) -> None:
        dialog = GroupDialog(groups.blank_group(), self.lang, self)
        if dialog.exec() != GroupDialog.DialogCode.Accepted:
            return
        group = dialog.value()

        def show(_changes: Changes) -> None:
            self._fill_groups()
            self.select_group(group.id)

        self.ctx.run_operation(lambda: groups.save_group(self.store, group, None), show, owner=self)

    def edit_group(self) -> None:
        if self.data is None:
            return
        dialog = GroupDialog(self.data.group, self.lang, self)
        if dialog.exec() != GroupDialog.DialogCode.Accepted:
            return
        group, base = dialog.value(), self.data.group
        self.ctx.run_operation(
            lambda: groups.save_group(self.store, group, base), self._reloaded, owner=self
        )

    # --- actions: members ------------------------------------------------------------------

    def add_selected_member(self) -> bool:
        """Make the client chosen (or typed) in the box a member from today."""
        if self.data is None:
            return False
        text = self.member_combo.currentText().strip()
        index = self.member_combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0:
            self._member_error(self._t("groups.member_unknown"))
            return False
        client_id = str(self.member_combo.itemData(index))
        group_id, today = self.data.group.id, self.today()
        self.ctx.run_operation(
            lambda: groups.add_member(self.store, group_id, client_id, today),
            self._reloaded,
            lambda error: self._member_error(
                " ".join(problem_text(p, self.lang) for p in error.problems)
            ),
            owner=self,
        )
        return True

    def remove_selected_member(self) -> bool:
        """End the membership today; a membership begun today is simply withdrawn."""
        client_id = self._selected_member_id()
        if self.data is None or client_id is None:
            return False
        group_id, today = self.data.group.id, self.today()
        self.ctx.run_operation(
            lambda: groups.end_membership(self.store, group_id, client_id, today),
            self._reloaded,
            owner=self,
        )
        return True

    def _member_error(self, text: str) -> None:
        self.member_message.setText(text)
        self.member_message.show()

    # --- actions: sessions -----------------------------------------------------------------

    def new_session(self) -> None:
        if self.data is None:
            return
        dialog = SessionDialog(self._session_template(), self.lang, self)
        if dialog.exec() != SessionDialog.DialogCode.Accepted:
            return
        self.add_session(dialog.value())

    def _session_template(self) -> GroupSession:
        """A new session a week after the latest, at the same time and length."""
        assert self.data is not None
        return groups.next_session(self.data.group.id, self.data.sessions, self.today())

    def add_session(self, session: GroupSession) -> None:
        """Store a validated new session and select it."""

        def show(_changes: Changes) -> None:
            self._load_group(session.group_id, log_view=False)
            self._select_session_row(session.id)

        self.ctx.run_operation(lambda: groups.add_session(self.store, session), show, owner=self)

    def toggle_selected_session(self) -> None:
        """Cancel the selected session, or restore a cancelled one (marks are kept)."""
        session = self._selected_session()
        if session is None:
            return
        self.ctx.run_operation(
            lambda: groups.toggle_cancelled(self.store, session), self._reloaded, owner=self
        )

    def open_selected_session(self) -> None:
        session_id = self._selected_session_id()
        if session_id is not None:
            self.open_session(session_id)

    # --- leaving the sheet -------------------------------------------------------------------

    def _may_leave_sheet(self) -> bool:
        """Ask about unsaved marks; nothing typed is dropped without the worker's say."""
        if self.stack.currentWidget() is not self.sheet or not self.sheet.has_unsaved_changes():
            return True
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self._t("attendance.unsaved_title"))
        box.setText(self._t("attendance.unsaved_question"))
        save = box.addButton(self._t("attendance.save"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(
            self._t("attendance.discard"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.addButton(self._t("groups.action.cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.exec()
        if box.clickedButton() is save:
            self.sheet.save()
            return True
        if box.clickedButton() is discard:
            self.sheet.model.dirty = False
            return True
        return False
