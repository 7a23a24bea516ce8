"""Today's items — reminder cards and agenda rows — built for the keyboard.

All items of the page form one list that takes a single stop in the Tab
chain (the current item; a "roving" focus): Up/Down move between items
(reminders first, then the agenda), Left/Right jump between the two
columns, Home/End go to the first and last item. On an item:

- Enter (or Space) does the item's main action: record a visit that was
  planned for today, open the attendance sheet of a group session, or the
  reminder's own step (record a meeting, plan the evaluation, draft the
  continuation decision, start ending the period, open the self-assessment);
- A opens the attendance sheet of a group session; O opens the client;
- 1–9 press the item's other action buttons, in order; Delete acknowledges
  (or brings back) a reminder.

The buttons inside an item stay for the mouse but are out of the Tab chain,
so Tab leaves the list in one step. ``TodayItems`` builds the widgets; the
page (``today_page``) decides what to show and when (in batches).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Protocol

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QGridLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop import i18n
from sosku_desktop.domain import codes
from sosku_desktop.domain.meetings import evaluation_meeting_at
from sosku_desktop.domain.reminders import (
    DECISION_ENDING,
    DECISION_OUTLIVES_PERIOD,
    EVALUATION_DUE,
    GROUP_ABSENCES,
    SELF_ASSESSMENT_DUE,
    TOO_FEW_MEETINGS,
    UNRECORDED_MEETING,
    YEAR_LIMIT,
    Reminder,
)
from sosku_desktop.operations.today import AgendaItem, TodayData
from sosku_desktop.ui.shell import theme
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.widgets.common import Chip, button, label
from sosku_desktop.ui.widgets.reflow import FlowRow

Action = Callable[[], None]
REMINDERS, AGENDA = "reminders", "agenda"
_MOVES = {
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_PageUp: -5,
    Qt.Key.Key_PageDown: 5,
}
_DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


class TodayHost(Protocol):
    """What the items need from the page: its context, data and signals."""

    ctx: AppContext
    data: TodayData | None
    open_client: SignalInstance
    open_client_tab: SignalInstance
    open_attendance: SignalInstance
    record_meeting: SignalInstance
    plan_meeting: SignalInstance
    draft_continuation: SignalInstance
    period_action: SignalInstance

    def reminder_text(self, reminder: Reminder) -> str: ...

    def dismissed_keys(self) -> set[str]: ...

    def set_dismissed(self, reminder: Reminder, dismissed: bool) -> None: ...


class TodayItem(QFrame):
    """One reminder or agenda entry: focusable, with a main action and key bindings."""

    def __init__(self, ring: ItemRing, section: str, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.ring = ring
        self.section = section
        self.main: Action | None = None
        self.keyed: dict[Qt.Key, Action] = {}
        self.buttons: list[QAbstractButton] = []
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        theme.style(
            self,
            f"QFrame#{name}:focus {{ border: 2px solid $ACCENT; border-radius: 6px; }}",
        )

    def add_action(self, widget: QAbstractButton, main: bool = False) -> None:
        """A button of the item: clickable, reachable by its digit, not a Tab stop."""
        widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.buttons.append(widget)
        if main and self.main is None:
            self.main = widget.click
        number = len(self.buttons)
        if number < 10 and not widget.toolTip():
            widget.setToolTip(str(number))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if key in _MOVES:
            self.ring.move(self, _MOVES[key])
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.ring.switch_column(self)
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            self.ring.focus_end(key == Qt.Key.Key_End)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.main:
            self.main()
        elif key in self.keyed and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.keyed[key]()
        elif key in _DIGITS and _DIGITS[key] <= len(self.buttons):
            self.buttons[_DIGITS[key] - 1].click()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.ring.became_current(self)
        super().focusInEvent(event)


class ItemRing:
    """The items of both columns in order, with exactly one of them a Tab stop."""

    def __init__(self) -> None:
        self.sections: dict[str, list[TodayItem]] = {REMINDERS: [], AGENDA: []}
        self.current: TodayItem | None = None
        #: Builds the next batch of a section; returns whether it added anything.
        self.more: dict[str, Callable[[], bool]] = {}

    def clear(self, section: str) -> None:
        if self.current is not None and self.current.section == section:
            self.current = None
        self.sections[section] = []
        self._settle()

    def add(self, item: TodayItem) -> None:
        self.sections[item.section].append(item)
        self._settle()

    def items(self) -> list[TodayItem]:
        return self.sections[REMINDERS] + self.sections[AGENDA]

    def _settle(self) -> None:
        """Keep one Tab stop: the current item, else the first one."""
        items = self.items()
        if self.current is None or self.current not in items:
            self.current = items[0] if items else None
        for item in items:
            item.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if item is self.current else Qt.FocusPolicy.ClickFocus
            )

    def became_current(self, item: TodayItem) -> None:
        if item is not self.current:
            self.current = item
            self._settle()
        _scroll_to(item)

    def focus(self, item: TodayItem | None) -> bool:
        if item is None:
            return False
        self.current = item
        self._settle()
        item.setFocus(Qt.FocusReason.TabFocusReason)
        _scroll_to(item)
        return True

    def move(self, item: TodayItem, step: int) -> None:
        column = self.sections[item.section]
        if step > 0 and column.index(item) + step >= len(column):
            # Past the last built item of its column: build that column's next batch first.
            grow = self.more.get(item.section)
            if grow is not None:
                grow()
        items = self.items()
        target = items.index(item) + step
        self.focus(items[max(0, min(target, len(items) - 1))])

    def switch_column(self, item: TodayItem) -> None:
        other = AGENDA if item.section == REMINDERS else REMINDERS
        column = self.sections[item.section]
        row = column.index(item)
        targets = self.sections[other]
        if targets:
            self.focus(targets[min(row, len(targets) - 1)])

    def focus_end(self, last: bool) -> None:
        items = self.items()
        if items:
            self.focus(items[-1] if last else items[0])


def _scroll_to(item: QWidget) -> None:
    parent = item.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if isinstance(parent, QScrollArea):
        parent.ensureWidgetVisible(item, 0, 8)


class TodayItems:
    """Builds the page's items and knows each one's actions."""

    def __init__(self, host: TodayHost) -> None:
        self.host = host
        self.ring = ItemRing()

    @property
    def ctx(self) -> AppContext:
        return self.host.ctx

    # --- reminders ---------------------------------------------------------------------

    def reminder_card(self, reminder: Reminder) -> TodayItem:
        host, tr = self.host, self.ctx.tr
        assert host.data is not None
        frame = TodayItem(self.ring, REMINDERS, "reminderCard")
        frame.setProperty("kind", reminder.kind)
        theme.style(
            frame,
            "QFrame#reminderCard { border: 1px solid $BORDER; border-radius: 6px;"
            " background: $ALT_BASE; }"
            " QFrame#reminderCard:focus { border: 2px solid $ACCENT; }",
        )
        box = QVBoxLayout(frame)
        box.setContentsMargins(12, 10, 12, 10)
        box.setSpacing(4)
        top = FlowRow()  # wraps rather than widen the list at a large text size
        top.addWidget(Chip(tr(reminder.severity_key), reminder.severity))
        title = label(tr(reminder.title_key))
        title.setStyleSheet("font-weight: bold;")
        top.addWidget(title)
        top.addStretch(1)
        name = host.data.client_names.get(reminder.client_id, "")
        client = button(name, link=True)
        client.clicked.connect(lambda: host.open_client.emit(reminder.client_id))
        client.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        client.setToolTip(tr("ui.today.key_open"))
        frame.keyed[Qt.Key.Key_O] = lambda: host.open_client.emit(reminder.client_id)
        top.addWidget(client)
        box.addWidget(top)
        text = host.reminder_text(reminder)
        box.addWidget(label(text, wrap=True))
        actions = FlowRow(spacing=6)
        for number, (text_key, slot) in enumerate(self.actions(reminder)):
            action = button(tr(text_key), primary=number == 0)
            action.setProperty("action", text_key)
            action.clicked.connect(slot)
            frame.add_action(action, main=number == 0)
            actions.addWidget(action)
        actions.addStretch(1)
        acknowledged = reminder.key in host.dismissed_keys()
        toggle = button(tr("ui.today.undismiss" if acknowledged else "ui.today.dismiss"), link=True)
        toggle.setObjectName("dismissReminder")
        toggle.setToolTip(tr("ui.today.dismiss_hint"))
        toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        toggle.clicked.connect(lambda: host.set_dismissed(reminder, not acknowledged))
        frame.keyed[Qt.Key.Key_Delete] = toggle.click
        actions.addWidget(toggle)
        box.addWidget(actions)
        main = frame.buttons[0].text() if frame.buttons else ""
        frame.setAccessibleName(f"{tr(reminder.title_key)}: {name}")
        frame.setAccessibleDescription(f"{text} {tr('ui.today.item_keys', action=main)}")
        frame.setToolTip(tr("ui.today.item_keys", action=main))
        self.ring.add(frame)
        return frame

    def actions(self, r: Reminder) -> list[tuple[str, Action]]:
        """The reminder's steps, its own (main) one first."""
        host, client = self.host, r.client_id
        if r.kind == TOO_FEW_MEETINGS:
            return [
                ("ui.today.action.record", lambda: host.record_meeting.emit(client, None)),
                ("ui.today.action.plan", lambda: host.plan_meeting.emit(client, None, "")),
            ]
        if r.kind == EVALUATION_DUE:
            due = r.params.get("due")
            when = evaluation_meeting_at(due, self.ctx.today()) if isinstance(due, date) else None
            notes = self.ctx.tr("ui.today.evaluation_note")
            return [
                (
                    "ui.today.action.plan_evaluation",
                    lambda: host.plan_meeting.emit(client, when, notes),
                ),
                (
                    "ui.today.action.record_evaluation",
                    lambda: host.period_action.emit(client, "record_evaluation"),
                ),
                (
                    "ui.today.action.continuation",
                    lambda: host.draft_continuation.emit(client, r.period_id, ""),
                ),
            ]
        if r.kind == DECISION_ENDING:
            decision_id = str(r.params.get("decision_id", ""))
            return [
                (
                    "ui.today.action.continuation",
                    lambda: host.draft_continuation.emit(client, r.period_id, decision_id),
                )
            ]
        if r.kind == UNRECORDED_MEETING:  # complete that planned meeting (held or not)
            meeting_id = r.ref
            return [
                ("ui.today.action.record", lambda: host.record_meeting.emit(client, meeting_id)),
                ("ui.today.action.open", lambda: host.open_client.emit(client)),
            ]
        if r.kind == YEAR_LIMIT:
            return [
                (
                    "ui.today.action.start_ending",
                    lambda: host.period_action.emit(client, "end_period"),
                ),
                ("ui.today.action.open", lambda: host.open_client.emit(client)),
            ]
        if r.kind == GROUP_ABSENCES:
            notes = self.ctx.tr("ui.today.absences_note")
            group_id = str(r.params.get("group_id", ""))
            return [
                ("ui.today.action.plan", lambda: host.plan_meeting.emit(client, None, notes)),
                ("ui.today.action.open_groups", self._opens(r, "groups", group_id)),
            ]
        if r.kind == SELF_ASSESSMENT_DUE:
            return [
                ("ui.today.action.self_assessment", self._opens(r, "assessments")),
                ("ui.today.action.open", lambda: host.open_client.emit(client)),
            ]
        if r.kind == DECISION_OUTLIVES_PERIOD:  # the decision to end, in its own period
            return [
                ("ui.today.action.open_decision", self._opens(r, "decisions", r.ref)),
                ("ui.today.action.open", lambda: host.open_client.emit(client)),
            ]
        return [("ui.today.action.open", lambda: host.open_client.emit(client))]

    def _opens(self, r: Reminder, tab: str, row_id: str = "") -> Action:
        """Open the client at the reminder's own period, on ``tab`` with ``row_id`` in front."""
        return lambda: self.host.open_client_tab.emit(r.client_id, tab, r.period_id, row_id)

    # --- agenda ------------------------------------------------------------------------

    def agenda_row(self, item: AgendaItem) -> TodayItem:
        tr, host = self.ctx.tr, self.host
        holder = TodayItem(self.ring, AGENDA, "agendaRow")
        grid = QGridLayout(holder)
        grid.setContentsMargins(4, 2, 4, 2)
        grid.setHorizontalSpacing(10)
        time_text = i18n.format_time(item.when)
        if item.key_date is not None or (
            item.session is not None and not item.session.starts_at.strip()
        ):
            time_text = ""
        grid.addWidget(label(time_text, "muted"), 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.setColumnMinimumWidth(0, 44)
        if item.client_id is not None:
            client_id = item.client_id
            title = button(item.title, link=True)
            title.clicked.connect(lambda: host.open_client.emit(client_id))
            title.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            holder.keyed[Qt.Key.Key_O] = lambda: host.open_client.emit(client_id)
            holder.main = title.click
            grid.addWidget(title, 0, 1, Qt.AlignmentFlag.AlignLeft)
        else:
            grid.addWidget(label(item.title), 0, 1)
        detail, action = self._agenda_detail(item, holder)
        grid.addWidget(label(detail, "muted", wrap=True), 1, 1)
        if action is not None:
            grid.addWidget(action, 0, 2, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.setColumnStretch(1, 1)
        main = holder.buttons[0].text() if holder.buttons else tr("ui.today.action.open")
        holder.setAccessibleName(f"{time_text} {item.title}".strip())
        holder.setAccessibleDescription(f"{detail}. {tr('ui.today.item_keys', action=main)}")
        holder.setToolTip(tr("ui.today.item_keys", action=main))
        self.ring.add(holder)
        return holder

    def _agenda_detail(self, item: AgendaItem, holder: TodayItem) -> tuple[str, QPushButton | None]:
        """The muted second line, and the row's action button (its main action)."""
        tr, host = self.ctx.tr, self.host
        if item.meeting is not None and item.client_id is not None:
            meeting, client_id = item.meeting, item.client_id
            kind = self.ctx.code("meeting_kind", meeting.kind)
            detail = " · ".join(b for b in (kind, meeting.place) if b)
            if meeting.status != codes.MEETING_PLANNED:
                detail += " · " + self.ctx.code("meeting_status", meeting.status)
            elif item.when.date() <= self.ctx.today():
                record = button(tr("ui.today.action.record_short"), primary=True)
                record.setObjectName("recordPlanned")
                record.clicked.connect(lambda: host.record_meeting.emit(client_id, meeting))
                holder.add_action(record)
                holder.main = record.click
                return detail, record
            return detail, None
        if item.key_date is not None:
            what = self.ctx.code("plan_kind", item.key_date.kind)
            return tr("ui.today.key_date", what=what), None
        session = item.session
        topic = session.theme if session else ""
        detail = tr("ui.today.group_session") + (f" · {topic}" if topic else "")
        if session is None or session.on > self.ctx.today():
            return detail, None
        session_id = session.id
        sheet = button(tr("ui.today.action.attendance"), primary=True)
        sheet.setObjectName("openAttendance")
        sheet.clicked.connect(lambda: host.open_attendance.emit(session_id))
        sheet.setToolTip(tr("ui.today.key_attendance"))
        holder.add_action(sheet)
        holder.main = sheet.click
        holder.keyed[Qt.Key.Key_A] = sheet.click
        return detail, sheet

    def first_due(self) -> TodayItem | None:
        """Where the keyboard starts: today's visit to record or session to mark, else the
        first item."""
        for item in self.ring.sections[AGENDA]:
            if item.findChild(QPushButton, "recordPlanned") or item.findChild(
                QPushButton, "openAttendance"
            ):
                return item
        items = self.ring.items()
        return items[0] if items else None
