"""Meeting entry: record a visit in under half a minute, keyboard only.

Everything that is usually right is filled in already
(``domain.meeting_defaults``): a visit that just ended (it started one
duration ago), the client's period, the place the client was last met, and
the kind and duration used last time on this device — so the cursor starts
in the notes. Tab walks notes → agreed for next time → methods → goals →
next meeting → Save. Enter in a one-line field saves, as does Ctrl+Enter
anywhere; Cancel or Escape on a changed entry asks first.
"Cancelled" and "Did not come" record the other outcomes in one click (or one
Alt+letter of the language, in the buttons' tooltips).
The dialog is opened with ``open()``, never ``exec()``, so the idle lock can
hide it and bring it back with nothing lost.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from itertools import pairwise

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDateTimeEdit,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.domain.goals import build_tree, flatten
from sosku_desktop.domain.meeting_defaults import (
    MeetingDefaults,
    meeting_defaults,
    next_meeting_within,
)
from sosku_desktop.domain.periods import period_end
from sosku_desktop.operations.meetings import (
    MeetingDraft,
    SavedMeeting,
    draft_problems,
    save_meeting,
)
from sosku_desktop.store.records import ClientRecord
from sosku_desktop.ui.dialogs.meeting_fields import GoalNudgeList, MethodList
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.widgets.common import FieldErrors, button, label, problem_text
from sosku_desktop.ui.widgets.form_guard import GuardedDialog, guard_form

DATE_FORMAT = "d.M.yyyy"
TIME_FORMAT = "HH.mm"


def _qdt(value: datetime) -> QDateTime:
    return QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))


def _py(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def _press(target: QPushButton) -> None:
    """Click ``target`` from its shortcut only when the worker could click it (planning
    hides the other outcomes)."""
    if target.isVisibleTo(target.window()) and target.isEnabled():
        target.click()


def _period_of(record: ClientRecord, existing: models.Meeting | None) -> models.Period | None:
    """The meeting's own period, else the client's current one."""
    own = next((p for p in record.periods if existing and p.id == existing.period_id), None)
    return own or record.current_period


class MeetingDialog(GuardedDialog):
    """Record (or plan, or complete a planned) meeting of one client."""

    saved = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        record: ClientRecord,
        period: models.Period | None = None,
        existing: models.Meeting | None = None,
        plan: bool = False,
        when: datetime | None = None,
        notes: str = "",
        kind: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("meetingDialog")
        self.ctx = ctx
        self.guard_lang = ctx.lang
        self.record = record
        self.period = period or _period_of(record, existing)
        self.existing = existing
        self.plan = plan
        self.result_saved: SavedMeeting | None = None
        #: A save is on its way; a second press must not write the entry twice.
        self._saving = False
        self.defaults = self._defaults(when, kind)
        title_key = "ui.meeting.plan_title" if plan else "ui.meeting.title"
        self.setWindowTitle(ctx.tr(title_key, name=record.client.full_name))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.errors = FieldErrors(ctx.lang)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 18, 20, 16)
        outer.setSpacing(10)
        self._build_heading(outer)
        outer.addLayout(self._build_when_where())
        outer.addLayout(self._build_body(notes), 1)
        outer.addLayout(self._build_next_row())
        self.general_error = label("", "fieldError", wrap=True)
        self.general_error.setVisible(False)
        outer.addWidget(self.general_error)
        outer.addLayout(self._build_buttons())
        self._set_tab_order()
        if plan:
            self._hide_for_plan()
        if self.period is None:
            for b in (self.save_button, self.cancelled_button, self.no_show_button):
                b.setEnabled(False)
        guard_form(self, self.save_button)
        self.resize(880, 600 if not plan else 380)
        self.notes.setFocus()

    # --- parts -------------------------------------------------------------------------

    def _defaults(self, when: datetime | None, kind: str | None) -> MeetingDefaults:
        """What the entry opens with: the meeting's own values, else domain's proposal."""
        prefs, existing = self.ctx.prefs, self.existing
        proposed = meeting_defaults(
            self.ctx.now(),
            self.record.meetings,
            int(prefs.get("last_meeting_duration")),
            str(prefs.get("last_meeting_kind")),
            str(prefs.get("last_meeting_place")),
            kind=kind,
            plan=self.plan,
            last_day=self._last_day(),
        )
        if existing is None and when is None:
            return proposed
        start = when or (existing.starts_at if existing else proposed.starts_at)
        duration = existing.duration_min if existing else proposed.duration_min
        return MeetingDefaults(
            starts_at=start,
            duration_min=duration,
            kind=existing.kind if existing else proposed.kind,
            place=existing.place if existing else proposed.place,
            next_meeting_at=next_meeting_within(start, duration, self._last_day()),
        )

    def _last_day(self) -> date | None:
        """The period's last day: a proposed next meeting stays on the period's days."""
        if self.period is None:
            return None
        return period_end(self.period, self.ctx.rules())

    def _build_heading(self, outer: QVBoxLayout) -> None:
        tr, ctx = self.ctx.tr, self.ctx
        outer.addWidget(label(self.windowTitle(), "sectionTitle"))
        if self.period is not None:
            period_text = tr(
                "ui.meeting.period",
                start=ctx.date(self.period.start),
                end=ctx.date(self.period.planned_end),
            )
            outer.addWidget(label(period_text, "muted"))
        else:
            outer.addWidget(label(tr("ui.meeting.no_period"), "warningNotice", wrap=True))

    def _build_when_where(self) -> QGridLayout:
        """Date, time, duration, kind and place, each with its error line."""
        ctx, start = self.ctx, self.defaults.starts_at
        self.date = QDateEdit(_qdt(start).date())
        self.date.setObjectName("meetingDate")
        self.date.setDisplayFormat(DATE_FORMAT)
        self.date.setCalendarPopup(True)
        self.time = QTimeEdit(_qdt(start).time())
        self.time.setObjectName("meetingTime")
        self.time.setDisplayFormat(TIME_FORMAT)
        self.duration = QSpinBox()
        self.duration.setObjectName("meetingDuration")
        self.duration.setRange(1, 600)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(" min")
        self.duration.setValue(self.defaults.duration_min)
        self.kind = QComboBox()
        self.kind.setObjectName("meetingKind")
        for code in codes.MEETING_KINDS:
            self.kind.addItem(ctx.code("meeting_kind", code), code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(self.defaults.kind)))
        self.place = QLineEdit(self.defaults.place)
        self.place.setObjectName("meetingPlace")
        places = sorted({m.place for m in self.record.meetings if m.place})
        completer = QCompleter(places, self.place)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.place.setCompleter(completer)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        headers = (
            ("ui.meeting.date", self.date, "starts_at"),
            ("ui.meeting.time", self.time, None),
            ("ui.meeting.duration", self.duration, "duration_min"),
            ("ui.meeting.kind", self.kind, "kind"),
            ("ui.meeting.place", self.place, "place"),
        )
        # the row's messages go under the whole row: in its field's column a long one
        # widened that column and squeezed the place to a few letters
        messages = QVBoxLayout()
        messages.setSpacing(2)
        for column, (key, widget, field) in enumerate(headers):
            caption = label(ctx.tr(key), "muted")
            caption.setBuddy(widget)
            grid.addWidget(caption, 0, column)
            grid.addWidget(widget, 1, column)
            if field:
                messages.addWidget(self.errors.error_label(field, widget))
        grid.addLayout(messages, 2, 0, 1, len(headers))
        grid.setColumnStretch(4, 2)
        grid.setColumnStretch(3, 1)
        self.errors.fields["status"] = (self.date, self.errors.fields["starts_at"][1])
        return grid

    def _build_body(self, notes: str) -> QHBoxLayout:
        """Notes and what was agreed on the left; methods and goals on the right."""
        tr, existing = self.ctx.tr, self.existing
        left = QVBoxLayout()
        self.notes = QPlainTextEdit(existing.notes if existing else notes)
        self.notes.setObjectName("meetingNotes")
        self.notes.setAccessibleName(tr("ui.meeting.notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(tr("ui.meeting.notes_placeholder"))
        left.addWidget(label(tr("ui.meeting.notes"), "muted"))
        left.addWidget(self.notes, 3)
        self.agreed = QPlainTextEdit(existing.agreed_next if existing else "")
        self.agreed.setObjectName("meetingAgreed")
        self.agreed.setAccessibleName(tr("ui.meeting.agreed"))
        self.agreed.setTabChangesFocus(True)
        self.agreed.setPlaceholderText(tr("ui.meeting.agreed_placeholder"))
        self.agreed_caption = label(tr("ui.meeting.agreed"), "muted")
        left.addWidget(self.agreed_caption)
        left.addWidget(self.agreed, 2)
        body = QHBoxLayout()
        body.setSpacing(14)
        body.addLayout(left, 3)
        body.addLayout(self._build_lists(), 2)
        return body

    def _build_lists(self) -> QVBoxLayout:
        tr, ctx, existing = self.ctx.tr, self.ctx, self.existing
        right = QVBoxLayout()
        custom = [m for m in ctx.prefs.get("custom_methods") if isinstance(m, str) and m]
        self.allowed_methods = list(codes.METHODS) + custom
        chosen = existing.methods if existing else []
        self.methods = MethodList(self.allowed_methods, chosen, ctx.lang)
        self.methods_caption = label(tr("ui.meeting.methods"), "muted")
        right.addWidget(self.methods_caption)
        right.addWidget(self.methods, 1)
        right.addWidget(self.errors.error_label("methods", self.methods))
        goals: list[tuple[int, models.Goal]] = []
        period_goals: list[models.Goal] = []
        if self.period is not None:
            period_goals = self.record.goals_of(self.period.id)
            tree = build_tree(period_goals)
            goals = [(d, g) for d, g in flatten(tree) if g.status == codes.GOAL_OPEN]
        selected = existing.goal_ids if existing else []
        self.goals = GoalNudgeList(goals, selected, ctx.lang, all_goals=period_goals)
        self.goals_caption = label(tr("ui.meeting.goals"), "muted")
        right.addWidget(self.goals_caption)
        right.addWidget(self.goals, 1)
        self.goals_hint = label(tr("ui.meeting.goals_hint"), "muted", wrap=True)
        right.addWidget(self.goals_hint)
        right.addWidget(self.errors.error_label("goals", self.goals))
        return right

    def _build_next_row(self) -> QHBoxLayout:
        next_row = QHBoxLayout()
        self.next_check = QCheckBox(self.ctx.tr("ui.meeting.next"))
        self.next_check.setObjectName("nextMeetingCheck")
        proposed = self.defaults.next_meeting_at
        self.next_when = QDateTimeEdit(_qdt(proposed or self.defaults.starts_at))
        self.next_when.setObjectName("nextMeetingWhen")
        self.next_when.setAccessibleName(self.ctx.tr("ui.a11y.next_meeting_when"))
        self.next_when.setDisplayFormat(f"{DATE_FORMAT} {TIME_FORMAT}")
        self.next_when.setCalendarPopup(True)
        self.next_when.setEnabled(False)
        self.next_check.toggled.connect(self.next_when.setEnabled)
        if proposed is None:  # no working day of the period left after this meeting
            self.next_check.setEnabled(False)
            self.next_check.setToolTip(self.ctx.tr("ui.meeting.next_none_in_period"))
        next_row.addWidget(self.next_check)
        next_row.addWidget(self.next_when)
        next_row.addWidget(self.errors.error_label("next_meeting", self.next_when))
        next_row.addStretch(1)
        return next_row

    def _build_buttons(self) -> QHBoxLayout:
        """Other outcomes on the left, Cancel and Save (the default) on the right."""
        tr = self.ctx.tr
        self.cancelled_button = button(tr("ui.meeting.cancelled"))
        self.cancelled_button.setObjectName("cancelledButton")
        self.no_show_button = button(tr("ui.meeting.no_show"))
        self.no_show_button.setObjectName("noShowButton")
        self.close_button = button(tr("ui.common.cancel"))
        self.save_button = button(
            tr("ui.meeting.plan_save" if self.plan else "ui.meeting.save"), True
        )
        self.save_button.setObjectName("saveMeetingButton")
        self.save_button.setToolTip(tr("ui.meeting.save_hint"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancelled_button)
        buttons.addWidget(self.no_show_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.save_button)
        self.save_button.clicked.connect(lambda: self.submit(self._main_status()))
        self.cancelled_button.clicked.connect(lambda: self.submit(codes.MEETING_CANCELLED))
        self.no_show_button.clicked.connect(lambda: self.submit(codes.MEETING_NO_SHOW))
        self.close_button.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter", "Ctrl+S"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda: self.submit(self._main_status()))
        # Alt+letter of the language: a planned visit marked cancelled or no-show with
        # one key (after Enter on it in Today), not eight Tabs to reach the button.
        for target, key in (
            (self.cancelled_button, "ui.meeting.cancelled_key"),
            (self.no_show_button, "ui.meeting.no_show_key"),
        ):
            target.setToolTip(f"{target.text()} ({tr(key)})")
            QShortcut(QKeySequence(tr(key)), self).activated.connect(partial(_press, target))
        return buttons

    def _set_tab_order(self) -> None:
        order: list[QWidget] = [
            self.date,
            self.time,
            self.duration,
            self.kind,
            self.place,
            self.notes,
            self.agreed,
            self.methods,
            self.goals,
            self.next_check,
            self.next_when,
            self.save_button,
            self.cancelled_button,
            self.no_show_button,
            self.close_button,
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    def _hide_for_plan(self) -> None:
        """Planning asks only when, where and what for."""
        for widget in (
            self.agreed,
            self.agreed_caption,
            self.methods,
            self.methods_caption,
            self.goals,
            self.goals_caption,
            self.goals_hint,
            self.next_check,
            self.next_when,
            self.cancelled_button,
            self.no_show_button,
        ):
            widget.setVisible(False)
        self.notes.setPlaceholderText(self.ctx.tr("ui.meeting.plan_notes_placeholder"))

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if self.focusWidget() is None:
            self.notes.setFocus()

    # --- saving ------------------------------------------------------------------------

    def _main_status(self) -> str:
        return codes.MEETING_PLANNED if self.plan else codes.MEETING_REALISED

    def draft(self, status: str) -> MeetingDraft | None:
        if self.period is None:
            return None
        day = self.date.date()
        t = self.time.time()
        return MeetingDraft(
            period_id=self.period.id,
            starts_at=datetime(day.year(), day.month(), day.day(), t.hour(), t.minute()),
            duration_min=self.duration.value(),
            kind=str(self.kind.currentData()),
            place=self.place.text(),
            methods=self.methods.checked_codes() if not self.plan else [],
            goal_ids=self.goals.checked_codes() if not self.plan else [],
            notes=self.notes.toPlainText(),
            agreed_next=self.agreed.toPlainText() if not self.plan else "",
            status=status,
            nudges=dict(self.goals.nudges) if status == codes.MEETING_REALISED else {},
            next_meeting_at=_py(self.next_when.dateTime())
            if self.next_check.isChecked() and status == codes.MEETING_REALISED
            else None,
            existing=self.existing,
        )

    def submit(self, status: str) -> bool:
        """Validate here, save in the background; on problems, mark the fields and stay open.

        Returns True when the entry was valid and its save has started (with
        synchronous tasks, as in tests, it has also finished).
        """
        draft = self.draft(status)
        if draft is None:
            return False
        problems = draft_problems(
            draft, self.ctx.now(), self.allowed_methods, self.period, self.ctx.rules()
        )
        if problems:
            self._show_problems(ValidationError(problems))
            return False
        if self._saving:
            return False
        self._saving = True
        self.ctx.run_operation(
            lambda: save_meeting(self.ctx.store, draft, self.ctx.now(), self.allowed_methods),
            lambda saved: self._saved(draft, saved),
            self._show_problems,
            owner=self,
            on_error=self._failed,
        )
        return True

    def _failed(self, exc: BaseException) -> None:
        self._saving = False  # nothing was written: the entry stays open to try again
        self.ctx.report_error(exc)

    def _show_problems(self, error: ValidationError) -> None:
        self._saving = False
        unclaimed = self.errors.show(error.problems)
        self.general_error.setText("\n".join(problem_text(p, self.ctx.lang) for p in unclaimed))
        self.general_error.setVisible(bool(unclaimed))
        target = self.errors.first_invalid()
        if target is not None:
            target.setFocus()

    def _saved(self, draft: MeetingDraft, saved: SavedMeeting) -> None:
        prefs = self.ctx.prefs
        if draft.status == codes.MEETING_REALISED:
            prefs.set("last_meeting_kind", draft.kind)
            prefs.set("last_meeting_place", draft.place.strip()[:199])
            prefs.set("last_meeting_duration", draft.duration_min)
        self.result_saved = saved
        self.saved.emit(saved)
        self.ctx.bus.meeting_saved.emit(saved)
        self.accept()
