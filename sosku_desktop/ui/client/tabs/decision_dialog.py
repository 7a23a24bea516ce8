"""Decision drafts (§17 rehabilitation, activity money, transport card).

A continuation is drafted from the latest positive §17 decision: the next
3-month block comes from ``domain.periods.next_block`` anchored to the
period's start, and the counts, rate and how the client was heard carry
over, so the worker only checks and saves. Validation is the domain's; its
messages appear under the fields they concern.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop import i18n
from sosku_desktop.domain import codes, models
from sosku_desktop.domain.errors import Problem
from sosku_desktop.operations.decisions import decision_check, save_decision
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.widgets.common import FieldErrors, cancel_and_action, label, problem_text
from sosku_desktop.ui.widgets.form_guard import GuardedDialog, guard_form

DATE_FORMAT = "d.M.yyyy"


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class DecisionDialog(GuardedDialog):
    """Edit one decision draft; ``saved`` carries it after the write."""

    saved = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        period: models.Period,
        decision: models.Decision,
        others: list[models.Decision],
        is_new: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("decisionDialog")
        self.ctx = ctx
        self.guard_lang = ctx.lang
        self.period = period
        self.original = decision
        self.others = others
        self.is_new = is_new
        self.rules = ctx.rules()
        self._saving = False
        tr = ctx.tr
        self.setWindowTitle(tr("ui.decision.new_title" if is_new else "ui.decision.edit_title"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.errors = FieldErrors(ctx.lang)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 18, 20, 16)
        outer.addWidget(label(self.windowTitle(), "sectionTitle"))
        self.form = form = QFormLayout()
        form.setVerticalSpacing(6)
        self._build_what(decision)
        self._build_how(decision)
        outer.addLayout(form)
        outer.addStretch(1)
        self.general_error = label("", "fieldError", wrap=True)
        self.general_error.setVisible(False)
        outer.addWidget(self.general_error)
        buttons, self.save_button = cancel_and_action(
            self, tr("ui.common.cancel"), tr("ui.common.save"), self.submit, "saveDecisionButton"
        )
        outer.addLayout(buttons)
        # Enter is Save, never the Cancel laid out first (issue 12); Escape asks if changed
        guard_form(self, self.save_button)
        self.resize(580, 600)

    def _add(self, key: str, widget: QWidget, field: str | None = None) -> None:
        """A form row with the field's error line under the widget."""
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(widget)
        if field:
            box.addWidget(self.errors.error_label(field, widget))
        self.form.addRow(self.ctx.tr(key), box)

    def _build_what(self, decision: models.Decision) -> None:
        """Kind, number, validity and outcome."""
        ctx, tr, form = self.ctx, self.ctx.tr, self.form
        self.kind = QComboBox()
        for code in codes.DECISION_KINDS:
            self.kind.addItem(ctx.code("decision_kind", code), code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(decision.kind)))
        self._add("ui.decision.kind", self.kind, "kind")
        self.number = QLineEdit(decision.number)
        self._add("ui.decision.number", self.number, "number")
        dates = QHBoxLayout()
        self.valid_from = QDateEdit(_qdate(decision.valid_from))
        self.valid_to = QDateEdit(_qdate(decision.valid_to))
        for widget in (self.valid_from, self.valid_to):
            widget.setDisplayFormat(DATE_FORMAT)
            widget.setCalendarPopup(True)
        dates.addWidget(self.valid_from)
        dates.addWidget(label("–"))
        dates.addWidget(self.valid_to)
        dates.addStretch(1)
        validity = QWidget()
        validity.setLayout(dates)
        dates.setContentsMargins(0, 0, 0, 0)
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(validity)
        box.addWidget(self.errors.error_label("valid_from", self.valid_from))
        box.addWidget(self.errors.error_label("valid_to", self.valid_to))
        form.addRow(tr("ui.decision.validity"), box)
        self.outcome = QComboBox()
        for code in codes.OUTCOMES:
            self.outcome.addItem(ctx.code("outcome", code), code)
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(decision.outcome)))
        self._add("ui.decision.outcome", self.outcome, "outcome")
        self.continuation = QCheckBox(tr("ui.decision.continuation"))
        self.continuation.setChecked(decision.continuation)
        form.addRow("", self.continuation)

    def _build_how(self, decision: models.Decision) -> None:
        """Hearing the client, planned contacts, the rate, reasoning and decision day."""
        ctx, tr = self.ctx, self.ctx.tr
        form = self.form
        self.client_heard = QCheckBox(tr("ui.decision.client_heard"))
        self.client_heard.setChecked(decision.client_heard)
        form.addRow(tr("ui.decision.opinion"), self.client_heard)
        self.heard_how = QLineEdit(decision.heard_how)
        self._add("ui.decision.heard_how", self.heard_how, "heard_how")
        counts = QHBoxLayout()
        self.planned_meetings = QSpinBox()
        self.planned_meetings.setRange(0, 100)
        self.planned_meetings.setValue(decision.planned_meetings)
        self.planned_sessions = QSpinBox()
        self.planned_sessions.setRange(0, 100)
        self.planned_sessions.setValue(decision.planned_group_sessions)
        counts.addWidget(self.planned_meetings)
        counts.addWidget(label(tr("ui.decision.group_sessions")))
        counts.addWidget(self.planned_sessions)
        counts.addStretch(1)
        counts.setContentsMargins(0, 0, 0, 0)
        counts_widget = QWidget()
        counts_widget.setLayout(counts)
        self._add("ui.decision.planned_meetings", counts_widget, "planned_meetings")
        self.rate = QDoubleSpinBox()
        self.rate.setRange(0, 1000)
        self.rate.setDecimals(2)
        self.rate.setSuffix(" €")
        self.rate.setLocale(QLocale(i18n.locale_of(ctx.lang)))  # decimal comma
        self.rate.setValue((decision.rate_cents or 0) / 100)
        self._add("ui.decision.rate", self.rate, "rate_cents")
        self.details = QLineEdit(decision.details)
        self._add("ui.decision.details", self.details, "details")
        self.reasoning = QPlainTextEdit(decision.reasoning)
        self.reasoning.setTabChangesFocus(True)
        self.reasoning.setFixedHeight(90)
        self._add("ui.decision.reasoning", self.reasoning, "reasoning")
        self.decided_on = QDateEdit(_qdate(decision.decided_on or ctx.today()))
        self.decided_on.setDisplayFormat(DATE_FORMAT)
        self.decided_on.setCalendarPopup(True)
        self._add("ui.decision.decided_on", self.decided_on, "decided_on")

    def decision(self) -> models.Decision:
        rate = round(self.rate.value() * 100)
        return dataclasses.replace(
            self.original,
            kind=str(self.kind.currentData()),
            number=self.number.text().strip(),
            valid_from=_pydate(self.valid_from.date()),
            valid_to=_pydate(self.valid_to.date()),
            outcome=str(self.outcome.currentData()),
            continuation=self.continuation.isChecked(),
            client_heard=self.client_heard.isChecked(),
            heard_how=self.heard_how.text().strip(),
            planned_meetings=self.planned_meetings.value(),
            planned_group_sessions=self.planned_sessions.value(),
            rate_cents=rate if rate > 0 else None,
            details=self.details.text().strip(),
            reasoning=self.reasoning.toPlainText().strip(),
            decided_on=_pydate(self.decided_on.date()),
        )

    def submit(self) -> bool:
        decision = self.decision()
        problems = decision_check(decision, self.period, self.others, self.rules)
        if problems:
            self._show_problems(problems)
            return False
        if self._saving:
            return False  # the first press is on its way; a new decision is written once
        self._saving = True
        base = None if self.is_new else self.original
        self.ctx.run_operation(
            lambda: save_decision(self.ctx.store, decision, base),
            lambda _changes: self._saved(decision),
            lambda error: self._show_problems(error.problems),
            owner=self,
            on_error=self._failed,
        )
        return True

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.ctx.report_error(exc)

    def _show_problems(self, problems: list[Problem]) -> None:
        self._saving = False
        unclaimed = self.errors.show(problems)
        self.general_error.setText("\n".join(problem_text(p, self.ctx.lang) for p in unclaimed))
        self.general_error.setVisible(bool(unclaimed))

    def _saved(self, decision: models.Decision) -> None:
        self.saved.emit(decision)
        self.accept()
