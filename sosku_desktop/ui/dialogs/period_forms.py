"""Forms of the period's records: needs mapping, agreement, plan, evaluation, edits.

Each dialog only collects values and checks them with the domain's rules
(every problem under its field, OK refused while anything is wrong, nothing
typed lost); the caller runs the operation that writes. Dates are typed as
d.M.yyyy.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.lifecycle import PLAN_GOAL_FIELDS, goal_plan, period_edit_problems
from sosku_desktop.domain.lifecycle_validation import (
    agreement_details_problems,
    evaluation_problems,
    implementation_plan_problems,
    needs_mapping_problems,
)
from sosku_desktop.domain.rules_config import Rules
from sosku_desktop.domain.validation import client_problems
from sosku_desktop.i18n import format_date
from sosku_desktop.ui.widgets.common import label, wrapping_check
from sosku_desktop.ui.widgets.field_messages import FieldBox, problem_text
from sosku_desktop.ui.widgets.form_guard import GuardedDialog
from sosku_desktop.ui.widgets.form_rows import ok_cancel


def date_edit(value: date | None, optional: bool = False) -> QDateEdit:
    """A d.M.yyyy date box with a calendar; ``optional`` shows an empty minimum as "–".

    A required field needs a date: the caller passes the context's today for an empty
    one, never the machine's date, so a pinned clock (tests, screenshots) holds.
    """
    edit = QDateEdit()
    edit.setDisplayFormat("d.M.yyyy")
    edit.setCalendarPopup(True)
    if optional:
        edit.setMinimumDate(QDate(2000, 1, 1))
        edit.setSpecialValueText("–")
    elif value is None:
        raise ValueError("a required date field needs a value (the context's today)")
    edit.setDate(QDate(value.year, value.month, value.day) if value else edit.minimumDate())
    return edit


def date_of(edit: QDateEdit, optional: bool = False) -> date | None:
    value = edit.date()
    if optional and value == edit.minimumDate():
        return None
    return date(value.year(), value.month(), value.day())


def text_box(value: str, height: int = 64) -> QPlainTextEdit:
    box = QPlainTextEdit(value)
    box.setFixedHeight(height)
    box.setTabChangesFocus(True)
    return box


class RecordDialog(GuardedDialog):
    """A validated form: fields in a scrollable form, each problem under its field."""

    def __init__(self, tr: Callable[..., str], lang: str, title_key: str, parent: QWidget | None):
        super().__init__(parent)
        self.tr_ = tr
        self.lang = lang
        self.guard_lang = lang
        self.boxes: dict[str, FieldBox] = {}
        self.setWindowTitle(tr(title_key))
        self.setMinimumWidth(560)
        self.form = QFormLayout()
        inner = QWidget()
        inner.setLayout(self.form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # not a tab stop: the dialog opens with the cursor in the first field, and the
        # area still scrolls to whichever field has focus
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(inner)
        buttons, ok = ok_cancel(self, tr("ui.period.save"), tr("ui.period.cancel"))
        ok.setObjectName("saveButton")
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)

    def add(self, name: str, label_key: str, editor: QWidget) -> Any:
        """Add a field; returns the editor for chaining."""
        box = FieldBox(editor)
        editor.setObjectName(name)
        self.boxes[name] = box
        caption = QLabel(self.tr_(label_key))
        caption.setBuddy(editor)
        caption.setWordWrap(True)
        self.form.addRow(caption, box)
        if self.focusWidget() is None and editor.focusPolicy() != Qt.FocusPolicy.NoFocus:
            editor.setFocus()  # the form opens with the cursor here, not on Save
        return editor

    def note(self, text: str) -> None:
        self.form.addRow(label(text, "muted", wrap=True))

    def problems(self) -> list[Problem]:
        raise NotImplementedError

    def show_problems(self, problems: Sequence[Problem]) -> bool:
        """Mark every problem under its field (unknown fields under the first one)."""
        first = next(iter(self.boxes), "")
        for name, box in self.boxes.items():
            own = [p for p in problems if p.field == name]
            if name == first:
                own += [p for p in problems if p.field not in self.boxes]
            box.set_error(" ".join(problem_text(p, self.lang) for p in own))
        return not problems

    def accept(self) -> None:  # Qt's name
        if self.show_problems(self.problems()):
            super().accept()


class NeedsDialog(RecordDialog):
    """Services the client has had, what helped, what they want to change."""

    def __init__(
        self,
        tr: Callable[..., str],
        lang: str,
        needs: models.NeedsMapping,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr, lang, "ui.period.needs_title", parent)
        self._needs, self._today = needs, today
        self.mapped_on = self.add(
            "mapped_on", "ui.period.mapped_on", date_edit(needs.mapped_on or today)
        )
        self.texts = {
            name: self.add(name, f"ui.period.needs.{name}", text_box(getattr(needs, name)))
            for name in ("services_had", "what_helped", "wants_to_change", "first_goal", "schedule")
        }

    def value(self) -> models.NeedsMapping:
        return dataclasses.replace(
            self._needs,
            mapped_on=date_of(self.mapped_on),
            **{n: box.toPlainText().strip() for n, box in self.texts.items()},
        )

    def problems(self) -> list[Problem]:
        return needs_mapping_problems(self.value(), None, self._today)


class AgreementDialog(RecordDialog):
    """What was agreed: times, contact, group activity, other, up to three goals, signed on."""

    def __init__(
        self,
        tr: Callable[..., str],
        lang: str,
        agreement: models.Agreement,
        goals: Sequence[models.Goal],
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr, lang, "ui.period.agreement_title", parent)
        self._agreement = agreement
        self._goal_ids = [g.id for g in goals]
        self.texts = {
            name: self.add(
                name, f"ui.period.agreement.{name}", text_box(getattr(agreement, name), 52)
            )
            for name in ("meeting_times", "contact", "group_activity", "other")
        }
        self.goal_checks: dict[str, QCheckBox] = {}
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        for goal in goals:
            line, check = wrapping_check(goal.text)  # a goal is a sentence: it wraps
            check.setChecked(goal.id in agreement.goal_ids)
            self.goal_checks[goal.id] = check
            column.addWidget(line)
        if not goals:
            column.addWidget(label(tr("ui.period.no_goals"), "muted", wrap=True))
        self.add("goal_ids", "ui.period.agreement.goals", holder)
        self.signed = QCheckBox(tr("ui.period.agreement.is_signed"))
        self.signed.setChecked(agreement.signed_on is not None)
        self.add("signed", "ui.period.agreement.signed", self.signed)
        self.signed_on = self.add(
            "signed_on", "ui.period.agreement.signed_on", date_edit(agreement.signed_on or today)
        )
        self.signed_on.setEnabled(self.signed.isChecked())
        self.signed.toggled.connect(self.signed_on.setEnabled)

    def value(self) -> models.Agreement:
        return dataclasses.replace(
            self._agreement,
            goal_ids=[g for g, check in self.goal_checks.items() if check.isChecked()],
            signed_on=date_of(self.signed_on) if self.signed.isChecked() else None,
            **{n: box.toPlainText().strip() for n, box in self.texts.items()},
        )

    def problems(self) -> list[Problem]:
        return agreement_details_problems(self.value(), None, self._goal_ids)


class PlanDialog(RecordDialog):
    """One implementation-plan revision: per goal means, timetable, responsible; content; review."""

    def __init__(
        self,
        tr: Callable[..., str],
        lang: str,
        plan: models.ImplementationPlan,
        goals: Sequence[models.Goal],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr, lang, "ui.period.plan_title", parent)
        self._plan, self._goals = plan, list(goals)
        self.note(tr("ui.period.plan_revision", rev=plan.revision))
        self.made_on = self.add("made_on", "ui.period.plan.made_on", date_edit(plan.made_on))
        self.goal_edits: dict[str, dict[str, QLineEdit]] = {}
        for goal in goals:
            current = goal_plan(plan, goal.id)
            self.form.addRow(label(goal.text, "cardTitle", wrap=True))
            edits = {}
            for name in PLAN_GOAL_FIELDS:
                edit = QLineEdit(current[name])
                edit.setObjectName(f"{name}_{goal.id}")
                self.form.addRow(tr(f"ui.period.plan.{name}"), edit)
                edits[name] = edit
            self.goal_edits[goal.id] = edits
        self.content = self.add("content", "ui.period.plan.content", text_box(plan.content))
        self.responsible = self.add(
            "responsible", "ui.period.plan.responsible", QLineEdit(plan.responsible)
        )
        self.previous = self.add(
            "previous_goals_reached",
            "ui.period.plan.previous",
            text_box(plan.previous_goals_reached),
        )
        self.review_on = self.add(
            "review_on", "ui.period.plan.review_on", date_edit(plan.review_on, True)
        )

    def value(self) -> models.ImplementationPlan:
        goal_plans = [
            {"goal_id": goal_id, **{n: e.text().strip() for n, e in edits.items()}}
            for goal_id, edits in self.goal_edits.items()
        ]
        return dataclasses.replace(
            self._plan,
            made_on=date_of(self.made_on) or self._plan.made_on,
            content=self.content.toPlainText().strip(),
            responsible=self.responsible.text().strip(),
            previous_goals_reached=self.previous.toPlainText().strip(),
            review_on=date_of(self.review_on, True),
            goal_plans=goal_plans,
        )

    def problems(self) -> list[Problem]:
        return implementation_plan_problems(self.value(), None, [g.id for g in self._goals])


class EvaluationDialog(RecordDialog):
    """An interim evaluation: attainment per goal, the client's view, what worked and changes."""

    def __init__(
        self,
        tr: Callable[..., str],
        lang: str,
        evaluation: models.Evaluation,
        period: models.Period,
        goals: Sequence[models.Goal],
        rules: Rules,
        code_label: Callable[[str, str], str],
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr, lang, "ui.period.evaluation_title", parent)
        self._evaluation, self._period, self._rules, self._today = evaluation, period, rules, today
        self._goals = list(goals)
        self.note(
            tr(
                "ui.period.evaluation_block",
                start=format_date(evaluation.block_start, lang),
                end=format_date(evaluation.block_end, lang),
            )
        )
        self.on = self.add("on", "ui.period.evaluation.on", date_edit(evaluation.on))
        self.form.addRow(label(tr("ui.period.evaluation.attainment_note"), "sectionTitle"))
        self.ratings: dict[str, QComboBox] = {}
        for goal in goals:
            combo = QComboBox()
            combo.setObjectName(f"attainment_{goal.id}")
            combo.addItem(tr("ui.period.not_rated"), "")
            for code in rules.attainment_codes:
                combo.addItem(code_label("attainment", code), code)
            combo.setCurrentIndex(max(0, combo.findData(evaluation.attainment.get(goal.id, ""))))
            self.ratings[goal.id] = combo
            self.form.addRow(label(goal.text, wrap=True), combo)
        # problems of the ratings (a code not in the list, a goal of another period)
        self.boxes["attainment"] = FieldBox(QLabel(""))
        self.form.addRow("", self.boxes["attainment"])
        self.texts = {
            name: self.add(
                name, f"ui.period.evaluation.{name}", text_box(getattr(evaluation, name))
            )
            for name in ("client_view", "what_worked", "changes")
        }
        holder, self.continue_box = wrapping_check(tr("ui.period.evaluation.continue_text"))
        self.continue_box.setChecked(evaluation.continue_service)
        self.add("continue_service", "ui.period.evaluation.continue", holder)

    def value(self) -> models.Evaluation:
        return dataclasses.replace(
            self._evaluation,
            on=date_of(self.on) or self._evaluation.on,
            attainment={g: c.currentData() for g, c in self.ratings.items() if c.currentData()},
            continue_service=self.continue_box.isChecked(),
            **{n: box.toPlainText().strip() for n, box in self.texts.items()},
        )

    def problems(self) -> list[Problem]:
        return evaluation_problems(
            self.value(), self._period, [g.id for g in self._goals], self._today, self._rules
        )


class ClientDialog(RecordDialog):
    """Correct a client's name, identity code, language and contact details."""

    def __init__(
        self,
        tr: Callable[..., str],
        lang: str,
        client: models.Client,
        code_label: Callable[[str, str], str],
        parent: QWidget | None = None,
        earlier: Sequence[str] = (),
    ) -> None:
        """``earlier``: lines of the record's history ("Sukunimi: Virtanen, 24.11.2026")."""
        super().__init__(tr, lang, "ui.period.client_title", parent)
        self._client = client
        self.lines = {
            name: self.add(name, f"ui.period.client.{name}", QLineEdit(getattr(client, name)))
            for name in ("first_name", "last_name", "identity_code", "phone", "email", "address")
        }
        self.language = QComboBox()
        for code in codes.LANGUAGES:
            self.language.addItem(code_label("language", code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(client.language)))
        self.add("language", "ui.period.client.language", self.language)
        self.note(tr("ui.period.history_note"))
        for line in earlier:
            self.note(line)

    def value(self) -> models.Client:
        return dataclasses.replace(
            self._client,
            language=str(self.language.currentData()),
            **{n: e.text().strip() for n, e in self.lines.items()},
        )

    def problems(self) -> list[Problem]:
        return client_problems(self.value())


class PeriodDialog(RecordDialog):
    """Hand a period over to another worker, or move its planned end."""

    def __init__(
        self,
        tr: Callable[..., str],
        lang: str,
        period: models.Period,
        workers: dict[str, models.Worker],
        rules: Rules,
        parent: QWidget | None = None,
        activity: Sequence[date] = (),
        meetings: Sequence[models.Meeting] = (),
    ) -> None:
        super().__init__(tr, lang, "ui.period.edit_title", parent)
        self._period, self._rules, self._activity = period, rules, activity
        self._meetings = meetings
        self.worker = QComboBox()
        self.worker.addItem(tr("ui.period.no_worker"), None)
        for worker in sorted(workers.values(), key=lambda w: w.name):
            if not worker.deleted:
                self.worker.addItem(worker.name, worker.id)
        self.worker.setCurrentIndex(max(0, self.worker.findData(period.worker_id)))
        self.add("worker_id", "ui.period.worker", self.worker)
        self.start = self.add("start", "ui.period.start", date_edit(period.start))
        self.planned_end = self.add(
            "planned_end", "ui.period.planned_end", date_edit(period.planned_end)
        )
        self.note(tr("ui.period.replan_note"))

    def value(self) -> models.Period:
        return dataclasses.replace(
            self._period,
            worker_id=self.worker.currentData(),
            start=date_of(self.start) or self._period.start,
            planned_end=date_of(self.planned_end) or self._period.planned_end,
        )

    def problems(self) -> list[Problem]:
        return period_edit_problems(
            self._period, self.value(), self._rules, self._activity, self._meetings
        )
