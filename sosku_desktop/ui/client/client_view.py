"""One client's record: header, period choice and the tabs.

Opening a client goes through ``open_client_record`` so the view is in the
access log; reloads after the worker's own edits in the same view read the
record without logging another view. Every write anywhere emits the data
bus, and the view reloads (at once when visible, otherwise when shown).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.lifecycle import is_read_only
from sosku_desktop.domain.meeting_defaults import planned_to_complete
from sosku_desktop.domain.periods import period_end
from sosku_desktop.operations import Changes
from sosku_desktop.operations.clients import read_client_record
from sosku_desktop.store.records import ClientRecord, open_client_record
from sosku_desktop.ui.client.lazy_tabs import LazyTabs, TabSpec
from sosku_desktop.ui.client.tabs.base import ClientTab, ClientViewData
from sosku_desktop.ui.client.tabs.overview import OverviewTab
from sosku_desktop.ui.dialogs.meeting_dialog import MeetingDialog
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.widgets.common import button, label
from sosku_desktop.ui.widgets.lifetime import open_dialog
from sosku_desktop.ui.widgets.reflow import ReflowRow, size_to_current_tab

if TYPE_CHECKING:
    from sosku_desktop.ui.client.tabs.access_log import AccessLogTab
    from sosku_desktop.ui.client.tabs.activity_money import ActivityMoneyTab
    from sosku_desktop.ui.client.tabs.assessments import AssessmentsTab
    from sosku_desktop.ui.client.tabs.decisions import DecisionsTab
    from sosku_desktop.ui.client.tabs.documents import DocumentsTab
    from sosku_desktop.ui.client.tabs.goals import GoalsTab
    from sosku_desktop.ui.client.tabs.groups import GroupsTab
    from sosku_desktop.ui.client.tabs.meetings import MeetingsTab
    from sosku_desktop.ui.client.tabs.period_tab import PeriodTab

#: Tables every client tab reads besides the client's own rows.
SHARED_TABLES = ("org_settings", "workers", "groups", "group_sessions")

#: The tabs in order: (name in the view, title key, object name, module, class). The
#: overview is made with the view; the others when first shown (``LazyTabs``), their
#: modules imported then (or before, in the background: ``lazy_pages.LATER_MODULES``).
TABS = (
    ("overview", "ui.client.tab.overview", "overviewTab", "overview", "OverviewTab"),
    ("goals", "ui.client.tab.goals", "goalsTab", "goals", "GoalsTab"),
    ("meetings", "ui.client.tab.meetings", "meetingsTab", "meetings", "MeetingsTab"),
    ("period_tab", "ui.client.tab.period", "periodTab", "period_tab", "PeriodTab"),
    ("groups", "ui.client.tab.groups", "clientGroupsTab", "groups", "GroupsTab"),
    ("decisions", "ui.client.tab.decisions", "decisionsTab", "decisions", "DecisionsTab"),
    ("money", "ui.client.tab.money", "activityMoneyTab", "activity_money", "ActivityMoneyTab"),
    ("assessments", "ui.client.tab.assessments", "assessmentsTab", "assessments", "AssessmentsTab"),
    ("documents", "ui.client.tab.documents", "documentsTab", "documents", "DocumentsTab"),
    ("access_log", "ui.client.tab.access", "accessLogTab", "access_log", "AccessLogTab"),
)


class ClientView(QWidget):
    """The client's whole record in tabs."""

    back_requested = Signal()
    #: A dialog was opened from the view (tests and the idle lock can find it).
    dialog_opened = Signal(object)
    new_period_requested = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientView")
        self.ctx = ctx
        tr = ctx.tr
        self.client_id: str | None = None
        self.record: ClientRecord | None = None
        self.period_id: str | None = None
        self._dirty = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 12)
        outer.setSpacing(10)
        back = button(tr("ui.client.back"), link=True)
        back.setObjectName("backToClients")
        back.clicked.connect(self.back_requested)
        top = QHBoxLayout()
        top.addWidget(back)
        top.addStretch(1)
        outer.addLayout(top)

        outer.addWidget(self._header())

        self.tabs = LazyTabs()
        self.tabs.setObjectName("clientTabs")
        self.tabs.built.connect(self._tab_made)
        for name, key, object_name, module, class_name in TABS:
            factory = self._factory(module, class_name)
            self.tabs.add(TabSpec(name, tr(key), object_name, factory))
        self.tabs.tab("overview")  # the first tab shown
        outer.addWidget(self.tabs, 1)
        size_to_current_tab(self.tabs)
        self._tab_keys()
        ctx.bus.changes.connect(self._data_changed)

    def _tab_keys(self) -> None:
        """Ctrl+Tab / Ctrl+PgDown and back from anywhere in the record, not only from
        inside the tabs (Qt's own): the header's buttons held the keyboard after opening."""
        for keys, step in (("Ctrl+Tab", 1), ("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self._step_tab(step))

    def _step_tab(self, step: int) -> None:
        count = self.tabs.count()
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % count)

    def _factory(self, module: str, class_name: str) -> Callable[[], QWidget]:
        def make() -> QWidget:
            tab_class = getattr(
                importlib.import_module(f"sosku_desktop.ui.client.tabs.{module}"), class_name
            )
            tab: QWidget = tab_class(self.ctx)
            return tab

        return make

    def _tab_made(self, name: str, tab: QWidget) -> None:
        """Connect a tab just made and give it the record shown."""
        if name == "meetings":
            meetings = cast("MeetingsTab", tab)
            meetings.record_requested.connect(lambda m: self.record_meeting(m))
            meetings.plan_requested.connect(lambda: self.plan_meeting())
        elif name == "decisions":
            cast("DecisionsTab", tab).dialog_opened.connect(self.dialog_opened)
        elif name == "period_tab":
            period_tab = cast("PeriodTab", tab)
            period_tab.dialog_opened.connect(self.dialog_opened)
            period_tab.continuation_requested.connect(self._draft_continuation)
        elif name == "overview":
            cast(OverviewTab, tab).new_period_requested.connect(
                lambda: self.new_period_requested.emit(self.client_id or "")
            )
        data = self.view_data()
        if data is not None and isinstance(tab, ClientTab):
            tab.show_data(data)

    # --- the tabs by name (each made when first asked for) -------------------------------

    @property
    def overview(self) -> OverviewTab:
        return cast(OverviewTab, self.tabs.tab("overview"))

    @property
    def goals(self) -> GoalsTab:
        return cast("GoalsTab", self.tabs.tab("goals"))

    @property
    def meetings(self) -> MeetingsTab:
        return cast("MeetingsTab", self.tabs.tab("meetings"))

    @property
    def period_tab(self) -> PeriodTab:
        return cast("PeriodTab", self.tabs.tab("period_tab"))

    @property
    def groups(self) -> GroupsTab:
        return cast("GroupsTab", self.tabs.tab("groups"))

    @property
    def decisions(self) -> DecisionsTab:
        return cast("DecisionsTab", self.tabs.tab("decisions"))

    @property
    def money(self) -> ActivityMoneyTab:
        return cast("ActivityMoneyTab", self.tabs.tab("money"))

    @property
    def assessments(self) -> AssessmentsTab:
        return cast("AssessmentsTab", self.tabs.tab("assessments"))

    @property
    def documents(self) -> DocumentsTab:
        return cast("DocumentsTab", self.tabs.tab("documents"))

    @property
    def access_log(self) -> AccessLogTab:
        return cast("AccessLogTab", self.tabs.tab("access_log"))

    def _header(self) -> ReflowRow:
        """Name and details, the period choice and the meeting buttons (these go under
        the name when the window is narrow)."""
        tr = self.ctx.tr
        header = ReflowRow()  # the actions go under the name when the window is narrow
        names = QVBoxLayout()
        names.setSpacing(2)
        self.name = label("", "clientName")
        self.details = label("", "muted", wrap=True)
        names.addWidget(self.name)
        names.addWidget(self.details)
        header.add(names, 1)
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("periodCombo")
        self.period_combo.currentIndexChanged.connect(self._period_chosen)
        self.period_combo.setMinimumWidth(240)
        self.period_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        header.add(self.period_combo)
        self.plan_button = button(tr("ui.client.plan_meeting"))
        self.plan_button.clicked.connect(lambda: self.plan_meeting())
        self.record_button = button(tr("ui.client.record_meeting"), primary=True)
        self.record_button.setObjectName("recordMeetingButton")
        self.record_button.setToolTip(tr("ui.client.record_meeting_hint"))
        self.record_button.clicked.connect(lambda: self.record_meeting())
        header.add(self.plan_button)
        header.add(self.record_button)
        return header

    # --- loading -----------------------------------------------------------------------

    def help_anchor(self) -> str:
        """The user guide's section on a client's record (F1)."""
        return "asiakkaan-sivu"

    def open_client(self, client_id: str, then: Callable[[], object] | None = None) -> None:
        """Show a client (read in the background); the access is logged (client-data act
        703/2023). A newer request — another client, a reload — supersedes this one.
        ``then`` runs once the record is shown (e.g. open the meeting entry)."""
        self.client_id = client_id
        store = self.ctx.store

        def shown(record: ClientRecord) -> None:
            self.record = record
            current = record.current_period
            self.period_id = current.id if current else None
            self.tabs.setCurrentIndex(0)
            self._render()
            focused = QApplication.focusWidget()
            if focused is None or focused.window() is self.window():
                # the list that opened the record is gone: the keyboard goes to its tabs
                # (it fell on '‹ Back to the client list', one Enter from leaving again)
                self.tabs.tabBar().setFocus(Qt.FocusReason.OtherFocusReason)
            if then is not None:
                then()

        self.ctx.tasks.latest(
            ("client", id(self)), lambda _t: open_client_record(store, client_id), shown, owner=self
        )

    def reload(self) -> None:
        """Re-read after an edit in this view (no new access-log row), in the background."""
        if self.client_id is None:
            return
        store, client_id = self.ctx.store, self.client_id
        self._dirty = False
        self.ctx.tasks.latest(
            ("client", id(self)),
            lambda _t: read_client_record(store, client_id),
            self._reloaded,
            owner=self,
        )

    def _reloaded(self, record: ClientRecord | None) -> None:
        self.record = record
        if self.record is None:  # deleted meanwhile (e.g. by sync)
            self.client_id = None
            self.back_requested.emit()
            return
        self._render()

    def concerns(self, changes: Changes) -> bool:
        """This client's rows, or the rules and workers the tabs apply, changed."""
        return changes.concerns_client(self.client_id) or changes.concerns(*SHARED_TABLES)

    def _data_changed(self, changes: Changes) -> None:
        if self.client_id is None:
            return
        if not self.concerns(changes):
            made = self.tabs.is_made("access_log")
            if made and self.client_id in changes.accessed and self.access_log.data is not None:
                self.access_log.fill()  # only the log grew (a print, a view)
            return
        if self.isVisible():
            self.reload()
        else:
            self._dirty = True

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if self._dirty:
            self.reload()

    def period(self) -> models.Period | None:
        if self.record is None:
            return None
        return next((p for p in self.record.periods if p.id == self.period_id), None)

    def view_data(self) -> ClientViewData | None:
        if self.record is None:
            return None
        return ClientViewData(self.record, self.period(), self.ctx.rules(), self.ctx.now())

    def _render(self) -> None:
        assert self.record is not None
        client, tr = self.record.client, self.ctx.tr
        self.name.setText(client.full_name)
        bits = [b for b in (client.identity_code, client.phone) if b]
        bits.append(tr("ui.client.speaks", language=self.ctx.code("language", client.language)))
        self.details.setText("  ·  ".join(bits))
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        rules = self.ctx.rules()
        for p in self.record.periods:
            status = self.ctx.code("period_status", p.status)
            text = tr(
                "ui.client.period_item",
                start=self.ctx.date(p.start),
                end=self.ctx.date(period_end(p, rules)),  # an ended period: when it ended
                status=status,
            )
            self.period_combo.addItem(text, p.id)
        if not self.record.periods:
            self.period_combo.addItem(tr("ui.client.no_period"), None)
        self.period_combo.setCurrentIndex(max(0, self.period_combo.findData(self.period_id)))
        self.period_combo.blockSignals(False)
        # The whole period with its end year, however long this client's dates are
        # (the header puts the actions under the name when that does not fit).
        self.period_combo.setMinimumWidth(max(240, self.period_combo.sizeHint().width()))
        period = self.period()
        # an ended period is read-only: no new meetings are recorded in it
        writable = period is not None and not is_read_only(period)
        self.record_button.setEnabled(writable)
        self.plan_button.setEnabled(writable)
        data = self.view_data()
        assert data is not None
        for tab in self.tabs.made():  # the others get it when made
            if isinstance(tab, ClientTab):
                tab.show_data(data)

    def show_at(self, tab_name: str, period_id: str = "", row_id: str = "") -> None:
        """Bring one thing of the shown record to front: its period, its tab, its row.

        What a Today reminder opens: the decision to end, the group with the
        absences, the self-assessments — of the reminder's own period, which
        may be an ended one while a newer period is current.
        """
        if self.record is None:
            return
        known = {p.id for p in self.record.periods}
        if period_id in known and period_id != self.period_id:
            self.period_id = period_id
            self._render()
        tab = getattr(self, tab_name, None)
        if isinstance(tab, ClientTab):
            self.tabs.setCurrentWidget(tab)
            if row_id:
                tab.show_row(row_id)

    def _period_chosen(self) -> None:
        self.period_id = self.period_combo.currentData()
        if self.record is not None:
            self._render()

    # --- actions -----------------------------------------------------------------------

    def record_meeting(
        self, existing: models.Meeting | None = None, kind: str | None = None
    ) -> MeetingDialog | None:
        """Open the meeting entry (completing ``existing`` when it is a planned one).

        With no ``existing``, today's planned visit of the period (if any) is the
        one completed: recording it must not add a second meeting beside it.
        """
        if self.record is None:
            return None
        period = self.period()
        if existing is None:
            existing = planned_to_complete(
                self.record.meetings, self.ctx.now(), period.id if period else None
            )
        if existing is not None:
            period = next((p for p in self.record.periods if p.id == existing.period_id), period)
        when: datetime | None = None
        if existing is not None and existing.status == codes.MEETING_PLANNED:
            when = min(existing.starts_at, self.ctx.now())
        dialog = MeetingDialog(
            self.ctx, self.record, period, existing, when=when, kind=kind, parent=self
        )
        open_dialog(dialog)
        self.dialog_opened.emit(dialog)
        return dialog

    def plan_meeting(self, when: datetime | None = None, notes: str = "") -> MeetingDialog | None:
        if self.record is None:
            return None
        dialog = MeetingDialog(
            self.ctx, self.record, self.period(), plan=True, when=when, notes=notes, parent=self
        )
        open_dialog(dialog)
        self.dialog_opened.emit(dialog)
        return dialog

    def _draft_continuation(self) -> None:
        """After an evaluation that says "continue", offer the continuation decision draft."""
        self.tabs.setCurrentWidget(self.decisions)
        self.decisions.draft_continuation()

    def open_dialogs(self) -> list[QDialog]:
        return [d for d in self.findChildren(QDialog) if d.isVisible()]
