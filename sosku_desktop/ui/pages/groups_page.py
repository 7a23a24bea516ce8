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

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import (
    QShowEvent,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.domain.models import Group, GroupSession
from sosku_desktop.i18n import tr
from sosku_desktop.operations import Changes, groups
from sosku_desktop.ui.dialogs.groups_dialogs import GroupDialog, SessionDialog, member_removal_box
from sosku_desktop.ui.pages.attendance_sheet import AttendanceSheet
from sosku_desktop.ui.pages.group_detail import GroupDetailFill
from sosku_desktop.ui.pages.groups_delegates import (
    DETAIL_ROLE,
    ID_ROLE,
    GroupListDelegate,
    TallyDelegate,
    cell,
    panel,
    table,
)
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.page import PageMixin
from sosku_desktop.ui.shell.theme import Role, style, tint
from sosku_desktop.ui.widgets.client_picker import ClientPicker
from sosku_desktop.ui.widgets.field_messages import problem_text
from sosku_desktop.ui.widgets.keys import leave_on_tab, on_delete
from sosku_desktop.ui.widgets.lifetime import open_dialog, run_modal
from sosku_desktop.ui.widgets.reflow import FlowRow, ReflowRow, size_to_current_tab


class GroupsPage(PageMixin, GroupDetailFill, QWidget):
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
        self.data: groups.GroupView | None = None
        self._unlogged: str | None = None
        self._build()
        self.refresh()

    # --- layout -------------------------------------------------------------------------

    def _t(self, key: str, **params: object) -> str:
        return tr(key, self.lang, **params)

    def _build(self) -> None:
        self.group_model = QStandardItemModel(self)
        self.group_list = leave_on_tab(QListView())
        self.group_list.setAccessibleName(self._t("groups.title"))
        self.group_list.setModel(self.group_model)
        self.group_list.setItemDelegate(GroupListDelegate(self.group_list))
        self.group_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.group_list.setMinimumWidth(260)
        self.group_list.setMaximumWidth(330)
        self.group_list.selectionModel().currentChanged.connect(self._group_chosen)
        heading = QLabel(self._t("groups.title"))
        style(heading, "font-size: $FONT_SUBTITLE; font-weight: 600;")
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
        style(self.empty, "color: $MUTED; font-size: $FONT_LARGE;")
        self.detail = self._build_detail()
        self.sheet = AttendanceSheet(self.ctx)
        self.sheet.back_requested.connect(self.close_sheet)
        self.sheet.saved.connect(lambda _id: self._reload_group())
        for page in (self.empty, self.detail, self.sheet):
            self.stack.addWidget(page)
        size_to_current_tab(self.stack)

        # The group list beside the group when both fit, above it when not (1024×600
        # with large text: side by side they were wider than the page).
        columns = ReflowRow(spacing=16)
        columns.add(left)
        columns.add(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(columns, 1)

    def _build_detail(self) -> QWidget:
        self.name_label = QLabel()
        style(self.name_label, "font-size: $FONT_SUBTITLE; font-weight: 600;")
        self.info_label = QLabel()
        tint(self.info_label, Role.MUTED)
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
        self.member_view = on_delete(table(self.member_model), self.remove_selected_member)
        self.member_view.setAccessibleName(self._t("ui.a11y.members"))
        self.member_view.doubleClicked.connect(self._member_activated)
        self.member_view.setToolTip(self._t("groups.members_tip"))
        self.member_title = QLabel()
        self.member_combo = ClientPicker(self.ctx, self._t("groups.member_placeholder"))
        self.add_member_button = QPushButton(self._t("groups.action.add_member"))
        self.add_member_button.clicked.connect(self.add_selected_member)
        self.remove_member_button = QPushButton(self._t("groups.action.remove_member"))
        self.remove_member_button.clicked.connect(self.remove_selected_member)
        self.member_message = QLabel()
        tint(self.member_message, Role.ERROR)
        self.member_message.setWordWrap(True)
        self.member_message.hide()
        add_row = QHBoxLayout()
        add_row.addWidget(self.member_combo, 1)
        add_row.addWidget(self.add_member_button)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_member_button)
        members = panel(
            self.member_title, self.member_view, add_row, self.member_message, remove_row
        )

        self.session_model = QStandardItemModel(self)
        self.session_view = table(self.session_model)
        self.session_view.setAccessibleName(self._t("groups.sessions"))
        self.session_view.setItemDelegateForColumn(3, TallyDelegate(self.lang, self.session_view))
        self.session_view.activated.connect(lambda _index: self.open_selected_session())
        self.session_title = QLabel(self._t("groups.sessions"))
        self.new_session_button = QPushButton(self._t("groups.action.new_session"))
        self.new_session_button.clicked.connect(self.new_session)
        self.move_session_button = QPushButton(self._t("groups.action.move_session"))
        self.move_session_button.clicked.connect(self.move_selected_session)
        self.session_message = QLabel()
        tint(self.session_message, Role.ERROR)
        self.session_message.setWordWrap(True)
        self.session_message.hide()
        self.cancel_session_button = QPushButton(self._t("groups.action.cancel_session"))
        self.cancel_session_button.clicked.connect(self.toggle_selected_session)
        self.open_session_button = QPushButton(self._t("groups.action.open_sheet"))
        self.open_session_button.setDefault(True)
        self.open_session_button.clicked.connect(self.open_selected_session)
        session_row = FlowRow()  # wraps when the window is narrow
        session_row.addWidget(self.new_session_button)
        session_row.addWidget(self.move_session_button)
        session_row.addWidget(self.cancel_session_button)
        session_row.addStretch(1)
        session_row.addWidget(self.open_session_button)
        sessions = panel(self.session_title, self.session_view, self.session_message, session_row)
        self.session_view.selectionModel().currentChanged.connect(self._update_buttons)
        self.member_view.selectionModel().currentChanged.connect(self._update_buttons)

        columns = ReflowRow(spacing=12)  # sessions under the members when narrow
        columns.add(members, 4)
        columns.add(sessions, 6)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addLayout(head)
        layout.addWidget(columns, 1)
        return page

    # --- public API -----------------------------------------------------------------------

    @property
    def current_group_id(self) -> str | None:
        return self.data.group.id if self.data else None

    def refresh(self) -> None:
        """Re-read groups (after a sync or another page's change), keeping the place.

        The list and the chosen group are read in the background; a newer
        request supersedes an older one.
        """
        keep = self.current_group_id
        self._relist(lambda: self._listed(keep))

    def _relist(self, then: Callable[[], object] | None = None) -> None:
        store, today = self.store, self.today()

        def show(listed: list[tuple[Group, int]]) -> None:
            self._fill_groups(listed)
            if then is not None:
                then()

        self.ctx.tasks.latest(
            ("groups", id(self)), lambda _t: groups.load_groups(store, today), show, owner=self
        )

    def _listed(self, keep: str | None) -> None:
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
        """Show the attendance sheet of a session (for the shell, calendar and screenshots);
        False if the worker chose to stay on an unsaved sheet."""
        if not self._may_leave_sheet():
            return False
        store = self.store

        def found(session: GroupSession | None) -> None:
            if session is None:
                return
            self._select_row_of(
                session.group_id, log_view=False, then=lambda: self._select_session_row(session_id)
            )
            self.sheet.load(session_id)
            self.stack.setCurrentWidget(self.sheet)
            self.sheet.view.setFocus()

        self.ctx.tasks.latest(
            ("open session", id(self)),
            lambda _t: groups.find_session(store, session_id),
            found,
            owner=self,
        )
        return True

    def focus_items(self) -> bool:
        """Ctrl+3 puts the keyboard where the work is: an open sheet's marks, else the
        group list (the first control in Tab order is New group…, in front of the list)."""
        if self.stack.currentWidget() is self.sheet:
            self.sheet.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        if self.group_model.rowCount() == 0:
            return False  # no group yet: New group… is the thing to do
        self.group_list.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def close_sheet(self) -> None:
        if self._may_leave_sheet():
            self.stack.setCurrentWidget(self.detail)
            self.session_view.setFocus()

    # --- groups list ----------------------------------------------------------------------

    def _fill_groups(self, listed: list[tuple[Group, int]]) -> None:
        blocker = self.group_list.selectionModel().blockSignals(True)
        self.group_model.clear()
        for g, count in listed:
            item = cell(g.name, g.id)
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

    def _select_row_of(
        self, group_id: str, log_view: bool, then: Callable[[], None] | None = None
    ) -> bool:
        for row in range(self.group_model.rowCount()):
            index = self.group_model.index(row, 0)
            if index.data(ID_ROLE) == group_id:
                blocker = self.group_list.selectionModel().blockSignals(True)
                self.group_list.setCurrentIndex(index)
                self.group_list.selectionModel().blockSignals(blocker)
                self._load_group(group_id, log_view, then)
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

    def _load_group(
        self, group_id: str, log_view: bool, then: Callable[[], None] | None = None
    ) -> None:
        """Read (in the background) and show a group; ``log_view`` when it is newly put in
        front of the worker; ``then`` runs once it is shown."""
        store, today = self.store, self.today()

        def show(view: groups.GroupView | None) -> None:
            if view is None:
                return
            self.data = view
            self._fill_detail()
            if log_view:
                self._unlogged = group_id
                self._log_pending_view()
            if then is not None:
                then()

        self.ctx.tasks.latest(
            ("group", id(self)),
            lambda _t: groups.load_group(store, group_id, today),
            show,
            owner=self,
        )

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
            self._load_group(
                self.data.group.id,
                log_view=False,
                then=(lambda: self._select_session_row(keep)) if keep else None,
            )
            self._fill_groups_counts()

    def _fill_groups_counts(self) -> None:
        keep = self.current_group_id

        def reselect() -> None:
            for row in range(self.group_model.rowCount()):
                index = self.group_model.index(row, 0)
                if index.data(ID_ROLE) == keep:
                    blocker = self.group_list.selectionModel().blockSignals(True)
                    self.group_list.setCurrentIndex(index)
                    self.group_list.selectionModel().blockSignals(blocker)

        self._relist(reselect if keep else None)

    def _member_activated(self, index: QModelIndex) -> None:
        client_id = self.member_model.index(index.row(), 0).data(ID_ROLE)
        if client_id:
            self.client_activated.emit(str(client_id))

    # --- actions: groups --------------------------------------------------------------------

    def new_group(self) -> None:
        dialog = GroupDialog(groups.blank_group(), self.lang, self)
        if run_modal(dialog) != GroupDialog.DialogCode.Accepted:
            return
        group = dialog.value()

        def show(_changes: Changes) -> None:
            self._relist(lambda: self.select_group(group.id))

        self.ctx.run_operation(lambda: groups.save_group(self.store, group, None), show, owner=self)

    def edit_group(self) -> None:
        if self.data is None:
            return
        dialog = GroupDialog(self.data.group, self.lang, self)
        if run_modal(dialog) != GroupDialog.DialogCode.Accepted:
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
        client_id = self.member_combo.chosen()
        if client_id is None:
            self._member_error(self._t("groups.member_unknown"))
            return False
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

    def remove_selected_member(self) -> QMessageBox | None:
        """Ask, then end the membership today (one begun today is simply withdrawn)."""
        client_id = self._selected_member_id()
        if self.data is None or client_id is None:
            return None
        name, group = self.data.clients[client_id].full_name, self.data.group.name
        box, remove = member_removal_box(self, name, group, self.lang)

        def answered(_result: int) -> None:
            if box.clickedButton() is remove:
                self._end_membership(client_id)

        box.finished.connect(answered)
        return open_dialog(box)

    def _end_membership(self, client_id: str) -> None:
        assert self.data is not None
        group_id, today = self.data.group.id, self.today()
        self.ctx.run_operation(
            lambda: groups.end_membership(self.store, group_id, client_id, today),
            self._reloaded,
            owner=self,
        )

    def _member_error(self, text: str) -> None:
        self.member_message.setText(text)
        self.member_message.show()

    # --- actions: sessions -----------------------------------------------------------------

    def new_session(self) -> None:
        if self.data is None:
            return
        dialog = SessionDialog(self._session_template(), self.lang, self)
        if run_modal(dialog) != SessionDialog.DialogCode.Accepted:
            return
        self.add_session(dialog.value())

    def _session_template(self) -> GroupSession:
        """A new session a week after the latest, at the same time and length."""
        assert self.data is not None
        return groups.next_session(self.data.group.id, self.data.sessions, self.today())

    def add_session(self, session: GroupSession) -> None:
        """Store a validated new session and select it."""

        def show(_changes: Changes) -> None:
            self._load_group(
                session.group_id, log_view=False, then=lambda: self._select_session_row(session.id)
            )

        self.ctx.run_operation(lambda: groups.add_session(self.store, session), show, owner=self)

    def move_selected_session(self) -> None:
        """Another day, time or theme for the selected session; its marks stay with it."""
        base = self._selected_session()
        if base is None:
            return
        dialog = SessionDialog(base, self.lang, self, moving=True)
        if run_modal(dialog) != SessionDialog.DialogCode.Accepted:
            return
        self.move_session(dialog.value(), base)

    def move_session(self, moved: GroupSession, base: GroupSession) -> None:
        """Store the moved session, or say why its marks do not allow the new day."""
        self.session_message.hide()

        def show(_changes: Changes) -> None:
            self._load_group(
                moved.group_id, log_view=False, then=lambda: self._select_session_row(moved.id)
            )

        def refused(error: ValidationError) -> None:
            self.session_message.setText(
                " ".join(problem_text(p, self.lang) for p in error.problems)
            )
            self.session_message.show()

        self.ctx.run_operation(
            lambda: groups.move_session(self.store, moved, base, self.today()),
            show,
            on_invalid=refused,
            owner=self,
        )

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
        run_modal(box)
        if box.clickedButton() is save:
            self.sheet.save()
            return True
        if box.clickedButton() is discard:
            self.sheet.model.dirty = False
            return True
        return False
