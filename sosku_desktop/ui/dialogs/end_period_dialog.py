"""The guided "End period" step: end and reason, final evaluation, feedback answers.

Three pages, each checked with the domain's rules before the next one
opens (``domain.lifecycle.ending_problems``): when and why the period ends
and the follow-on service; the final evaluation, next steps and whether the
end self-assessment is done; the feedback form's answers (optional, the
client may not want to answer). The wizard only collects an ``Ending``;
the caller runs ``operations.period_lifecycle.end_period``.

The first page says what ending on the chosen day does besides
(``domain.ending_effects``): decisions still valid after it (§17, activity
money, transport card) must be ended in the city's client information system
(Sosku keeps only drafts, so it can only tell), planned meetings after it are
cancelled, key dates after it leave the plan, a plan review after it is not
held, and group memberships end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Protocol, TypeVar

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QWidget,
    QWizard,
    QWizardPage,
)

from sosku_desktop.documents.feedback_questions import OPEN_QUESTIONS, STATEMENTS
from sosku_desktop.documents.phrases import t as doc_text
from sosku_desktop.domain import codes, models
from sosku_desktop.domain.ending_effects import ending_effects
from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.lifecycle import Ending, ending_problems, period_activity
from sosku_desktop.domain.rules_config import Rules
from sosku_desktop.i18n import format_date
from sosku_desktop.ui.dialogs.ending_lines import effect_lines
from sosku_desktop.ui.dialogs.period_forms import date_edit, date_of, text_box
from sosku_desktop.ui.widgets.common import label
from sosku_desktop.ui.widgets.field_messages import FieldBox, problem_text
from sosku_desktop.ui.widgets.form_guard import GuardedWizard

W = TypeVar("W", bound=QWidget)


class PeriodThings(Protocol):
    """The client's dated things the consequences are found in (a ``ClientRecord``)."""

    decisions: list[models.Decision]
    meetings: list[models.Meeting]
    planned_entries: list[models.PlannedEntry]
    plans: list[models.ImplementationPlan]
    sessions: list[models.GroupSession]
    attendances: list[models.Attendance]


GRADE_KEY = "feedback.grade"
DONT_KNOW = "dont_know"
GRADES = tuple(str(g) for g in range(4, 11))


def end_assessment_on(
    assessments: Sequence[models.Assessment], period: models.Period, near: date, days: int
) -> date | None:
    """The latest self-assessment of the period within ``days`` of the end, if any."""
    found = [
        a.on
        for a in assessments
        if not a.deleted and a.period_id in (period.id, None) and abs((a.on - near).days) <= days
    ]
    return max(found) if found else None


class _Page(QWizardPage):
    """A page whose fields show their problems; Next is refused while any remain."""

    def __init__(self, wizard: EndPeriodDialog, title_key: str, fields: tuple[str, ...]) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.fields = fields
        self.setTitle(wizard.tr_(title_key))
        self.form = QFormLayout(self)
        self.boxes: dict[str, FieldBox] = {}

    def add(self, name: str, label_key: str, editor: W) -> W:
        editor.setObjectName(name)
        box = FieldBox(editor)
        self.boxes[name] = box
        self.form.addRow(self.wizard_.tr_(label_key), box)
        return editor

    def validatePage(self) -> bool:  # Qt's name
        problems = [p for p in self.wizard_.problems() if p.field in self.fields]
        for name, box in self.boxes.items():
            box.set_error(
                " ".join(problem_text(p, self.wizard_.lang) for p in problems if p.field == name)
            )
        return not problems


class EndPeriodDialog(GuardedWizard):
    """End a period in three steps; ``ending()`` is what was typed."""

    def __init__(
        self,
        tr: Callable[..., str],
        lang: str,
        period: models.Period,
        assessments: Sequence[models.Assessment],
        rules: Rules,
        today: date,
        code_label: Callable[[str, str], str],
        parent: QWidget | None = None,
        record: PeriodThings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("endPeriodDialog")
        self.tr_, self.lang, self.period, self.rules, self.today = tr, lang, period, rules, today
        self.guard_lang = lang
        self.setWindowTitle(tr("ui.end.title"))
        self.setMinimumSize(640, 520)
        self.setButtonText(QWizard.WizardButton.NextButton, tr("ui.end.next"))
        self.setButtonText(QWizard.WizardButton.BackButton, tr("ui.end.back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("ui.end.finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, tr("ui.period.cancel"))
        first = _Page(self, "ui.end.step1", ("ended_on", "end_reason", "period_id"))
        self.ended_on = first.add(
            "ended_on", "ui.end.ended_on", date_edit(min(today, period.planned_end))
        )
        self.reason = QComboBox()
        self.reason.addItem(tr("ui.end.choose_reason"), "")
        for code in codes.END_REASONS:
            self.reason.addItem(code_label("end_reason", code), code)
        first.add("end_reason", "ui.end.reason", self.reason)
        self.follow_on = first.add(
            "follow_on_service", "ui.end.follow_on", QLineEdit(period.follow_on_service)
        )
        self.record, self.code_label = record, code_label
        self._add_consequences(first)
        second = _Page(self, "ui.end.step2", ("final_evaluation", "next_steps"))
        self.final = second.add(
            "final_evaluation", "ui.end.final_evaluation", text_box(period.final_evaluation, 120)
        )
        self.next_steps = second.add(
            "next_steps", "ui.end.next_steps", text_box(period.next_steps, 64)
        )
        window = rules.self_assessment_window_days
        done_on = end_assessment_on(assessments, period, min(today, period.planned_end), window)
        self.assessment_note = label(
            tr("ui.end.assessment_done", date=format_date(done_on, lang))
            if done_on
            else tr("ui.end.assessment_missing"),
            "muted" if done_on else "warningNotice",
            wrap=True,
        )
        second.form.addRow(self.assessment_note)
        third = _Page(self, "ui.end.step3", ())
        third.form.addRow(label(tr("ui.end.feedback_hint"), "muted", wrap=True))
        self.answers: dict[str, QComboBox | QLineEdit] = {}
        for key in STATEMENTS:
            combo = QComboBox()
            combo.addItem("–", "")
            for value in ("1", "2", "3", "4", "5"):
                combo.addItem(value, value)
            combo.addItem(doc_text("feedback.dont_know", lang), DONT_KNOW)
            combo.setCurrentIndex(max(0, combo.findData(period.feedback.get(key, ""))))
            self.answers[key] = combo
            third.form.addRow(label(doc_text(key, lang), wrap=True), combo)
        grade = QComboBox()
        grade.addItem("–", "")
        for value in GRADES:
            grade.addItem(value, value)
        self.answers[GRADE_KEY] = grade
        third.form.addRow(label(doc_text(GRADE_KEY, lang), wrap=True), grade)
        for key in OPEN_QUESTIONS:
            line = QLineEdit(period.feedback.get(key, ""))
            self.answers[key] = line
            third.form.addRow(label(doc_text(key, lang), wrap=True), line)
        for page in (first, second, third):
            self.addPage(page)
        self.guard_wizard()

    def consequence_lines(self) -> list[str]:
        """What ending on the chosen day does besides (``domain.ending_effects``)."""
        end = date_of(self.ended_on) or self.today
        record = self.record
        effects = ending_effects(
            self.period,
            end,
            decisions=record.decisions if record else (),
            meetings=record.meetings if record else (),
            entries=record.planned_entries if record else (),
            plans=record.plans if record else (),
            rules=self.rules,
        )
        lines = effect_lines(self.tr_, self.lang, self.code_label, effects)
        return [*lines, self.tr_("ui.end.groups_end")]

    def _add_consequences(self, page: _Page) -> None:
        """What ending on the chosen day does besides, kept up to date with the day."""
        self.consequences = label("", "warningNotice", wrap=True)
        self.consequences.setObjectName("endConsequences")
        page.form.addRow(self.consequences)
        self.ended_on.dateChanged.connect(lambda _d: self._show_consequences())
        self._show_consequences()

    def _show_consequences(self) -> None:
        self.consequences.setText("\n".join(self.consequence_lines()))

    def ending(self) -> Ending:
        feedback: dict[str, str] = {}
        for key, widget in self.answers.items():
            value = widget.currentData() if isinstance(widget, QComboBox) else widget.text()
            if value and str(value).strip():
                feedback[key] = str(value).strip()
        return Ending(
            ended_on=date_of(self.ended_on) or self.today,
            end_reason=str(self.reason.currentData() or ""),
            final_evaluation=self.final.toPlainText().strip(),
            follow_on_service=self.follow_on.text().strip(),
            next_steps=self.next_steps.toPlainText().strip(),
            feedback=feedback,
        )

    def problems(self) -> list[Problem]:
        record = self.record
        activity = (
            period_activity(
                self.period, record.meetings, record.sessions, record.attendances, self.rules
            )
            if record
            else []
        )
        return ending_problems(self.period, self.ending(), self.today, self.rules, activity)

    def accept(self) -> None:  # Qt's name: Finish
        if not self.problems():
            super().accept()
