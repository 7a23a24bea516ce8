"""New client and new period, with the intake checklist, in one short wizard.

Each page asks the domain what is wrong (``client_problems``,
``period_problems``) and shows the messages under the fields before it
lets the worker go on. The intake checklist's recommendation comes from
``domain.intake.recommend`` and is advice only: the worker decides. All
rows are written in one transaction on Finish. For an existing client the
client page is skipped (a new period only).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.intake import recommend
from sosku_desktop.domain.periods import max_end
from sosku_desktop.domain.validation import (
    client_problems,
    goal_problems,
    period_problems,
)
from sosku_desktop.operations.clients import PeriodStarted, identity_problems, start_period
from sosku_desktop.operations.period_lifecycle import after_intake
from sosku_desktop.ui.dialogs.needs_page import NeedsPage
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.geometry import scrolling
from sosku_desktop.ui.widgets.common import Card, FieldErrors, label, repolish, wrapping_check
from sosku_desktop.ui.widgets.form_guard import GuardedWizard

DATE_FORMAT = "d.M.yyyy"


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class _Page(QWizardPage):
    def __init__(self, ctx: AppContext, title_key: str, subtitle_key: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle(ctx.tr(title_key))
        self.setSubTitle(ctx.tr(subtitle_key))
        self.errors = FieldErrors(ctx.lang)
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        outer.addLayout(self.form)
        outer.addStretch(1)  # spare height below the fields, not between them
        self.form.setVerticalSpacing(4)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)

    def add(self, key: str, widget: QWidget, field: str | None = None) -> QWidget:
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(widget)
        if field:
            box.addWidget(self.errors.error_label(field, widget))
        caption = label(self.ctx.tr(key))
        caption.setBuddy(widget)
        self.form.addRow(caption, box)
        return widget


class ClientPage(_Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, "ui.wizard.client_title", "ui.wizard.client_subtitle")
        self.setObjectName("clientPage")
        self.first_name = QLineEdit()
        self.first_name.setObjectName("firstName")
        self.last_name = QLineEdit()
        self.last_name.setObjectName("lastName")
        self.identity_code = QLineEdit()
        self.identity_code.setObjectName("identityCode")
        self.identity_code.setPlaceholderText(ctx.tr("ui.wizard.identity_placeholder"))
        self.language = QComboBox()
        for code in codes.LANGUAGES:
            self.language.addItem(ctx.code("language", code), code)
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.email = QLineEdit()
        self.address = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(64)
        self.add("ui.client.first_name", self.first_name, "first_name")
        self.add("ui.client.last_name", self.last_name, "last_name")
        self.add("ui.client.identity_code", self.identity_code, "identity_code")
        self.add("ui.client.language", self.language, "language")
        self.add("ui.client.phone", self.phone, "phone")
        self.add("ui.client.email", self.email, "email")
        self.add("ui.client.address", self.address, "address")
        self.add("ui.client.notes", self.notes)
        #: the identity code the store said no other client has (asked in the background)
        self._unique: str | None = None
        self._asking = False

    def client(self) -> models.Client:
        code = self.identity_code.text().strip()
        return models.Client(
            id="",
            first_name=self.first_name.text().strip(),
            last_name=self.last_name.text().strip(),
            identity_code=code,
            language=str(self.language.currentData()),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            address=self.address.text().strip(),
            notes=self.notes.toPlainText().strip(),
            worker_id=self.ctx.store.worker_id,
        )

    def validatePage(self) -> bool:
        client = self.client()
        problems = client_problems(client)
        if problems or not client.identity_code or self._unique == client.identity_code:
            return self._show(problems)
        # Is the code another client's? Asked in the background; the answer moves on.
        self._asking = True
        store = self.ctx.store
        self.ctx.tasks.latest(
            ("identity", id(self)),
            lambda _t: identity_problems(store, client),
            lambda found: self._answered(client.identity_code, found),
            owner=self,
        )
        self._asking = False
        return self._unique == client.identity_code and self._show([])

    def _answered(self, code: str, problems: list[Problem]) -> None:
        if code != self.client().identity_code:
            return  # changed meanwhile: the next Next asks again
        if problems:
            self._show(problems)
            return
        self._unique = code
        wizard = self.wizard()
        if not self._asking and wizard is not None and wizard.currentPage() is self:
            wizard.next()

    def _show(self, problems: list[Problem]) -> bool:
        self.errors.show(problems)
        target = self.errors.first_invalid()
        if target is not None:
            target.setFocus()
        return not problems


class PeriodPage(_Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, "ui.wizard.period_title", "ui.wizard.period_subtitle")
        self.setObjectName("periodPage")
        self.rules = ctx.rules()
        today = ctx.today()
        self.start = QDateEdit(_qdate(today))
        self.start.setObjectName("periodStart")
        self.planned_end = QDateEdit(_qdate(max_end(today, self.rules)))
        self.planned_end.setObjectName("periodEnd")
        for widget in (self.start, self.planned_end):
            widget.setDisplayFormat(DATE_FORMAT)
            widget.setCalendarPopup(True)
        self._end_follows_start = True
        self.start.dateChanged.connect(self._start_changed)
        self.planned_end.dateChanged.connect(self._end_changed)
        self.worker = QComboBox()
        for worker in sorted(ctx.workers().values(), key=lambda w: w.name):
            self.worker.addItem(worker.name, worker.id)
        self.worker.setCurrentIndex(max(0, self.worker.findData(ctx.store.worker_id)))
        self.phase = QComboBox()
        for code in codes.PHASES:
            self.phase.addItem(ctx.code("phase", code), code)
        self.status = QComboBox()
        for code in (codes.PERIOD_ACTIVE, codes.PERIOD_PLANNED):
            self.status.addItem(ctx.code("period_status", code), code)
        self.add("ui.wizard.start", self.start, "start")
        self.add("ui.wizard.planned_end", self.planned_end, "planned_end")
        self.form.addRow("", label(ctx.tr("ui.wizard.max_hint"), "muted", wrap=True))
        self.add("ui.wizard.key_worker", self.worker, "worker_id")
        self.add("ui.wizard.phase", self.phase, "phase")
        self.add("ui.wizard.status", self.status, "status")

    def _start_changed(self, value: QDate) -> None:
        if self._end_follows_start:
            self.planned_end.blockSignals(True)
            self.planned_end.setDate(_qdate(max_end(_pydate(value), self.rules)))
            self.planned_end.blockSignals(False)
        status = codes.PERIOD_PLANNED if _pydate(value) > self.ctx.today() else codes.PERIOD_ACTIVE
        self.status.setCurrentIndex(max(0, self.status.findData(status)))

    def _end_changed(self) -> None:
        self._end_follows_start = False

    def period(self, client_id: str) -> models.Period:
        return models.Period(
            id="",
            client_id=client_id,
            worker_id=self.worker.currentData(),
            start=_pydate(self.start.date()),
            planned_end=_pydate(self.planned_end.date()),
            phase=str(self.phase.currentData()),
            status=str(self.status.currentData()),
        )

    def validatePage(self) -> bool:
        problems = period_problems(self.period("pending"), self.rules)
        self.errors.show(problems)
        return not problems


class IntakePage(QWizardPage):
    """The intake checklist with the domain's recommendation, updated as boxes are ticked."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("intakePage")
        self.ctx = ctx
        tr = ctx.tr
        self.setTitle(tr("ui.wizard.intake_title"))
        self.setSubTitle(tr("ui.wizard.intake_subtitle"))
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 0, 0, 0)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(scrolling(body, "intakeScroll"))  # a low screen scrolls, never squeezes
        lists = QHBoxLayout()
        self.boxes: dict[str, QCheckBox] = {}
        for title_key, items in (
            ("ui.wizard.intake_offer", codes.INTAKE_OFFER),
            ("ui.wizard.intake_not_now", codes.INTAKE_NOT_NOW),
        ):
            group = QGroupBox(tr(title_key))
            inner = QVBoxLayout(group)
            for code in items:
                # the sentences wrap: at 150 % text they made the wizard wider than a
                # 1024-wide screen
                line, box = wrapping_check(ctx.code("intake", code))
                box.setObjectName(f"intake_{code}")
                box.toggled.connect(self.update_recommendation)
                self.boxes[code] = box
                inner.addWidget(line)
            inner.addStretch(1)
            lists.addWidget(group, 1)
        outer.addLayout(lists)
        advice = Card()
        self.outcome = label("", "sectionTitle", wrap=True)
        self.outcome.setObjectName("intakeOutcome")
        self.explanation = label("", "notice", wrap=True)
        self.reasons = label("", "muted", wrap=True)
        advice.body.addWidget(self.outcome)
        advice.body.addWidget(self.explanation)
        advice.body.addWidget(self.reasons)
        outer.addWidget(advice)
        outer.addStretch(1)
        self.update_recommendation()

    def answers(self) -> dict[str, bool]:
        return {code: box.isChecked() for code, box in self.boxes.items()}

    def update_recommendation(self) -> None:
        result = recommend(self.answers())
        tr = self.ctx.tr
        self.outcome.setText(tr(result.message_key))
        self.explanation.setText(tr(result.message_key + ".text"))
        self.explanation.setObjectName("warningNotice" if result.outcome != "offer" else "notice")
        repolish(self.explanation)
        reasons = [self.ctx.code("intake", code) for code in result.reasons]
        self.reasons.setText(" · ".join(reasons))


class GoalPage(_Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, "ui.wizard.goal_title", "ui.wizard.goal_subtitle")
        self.setObjectName("goalPage")
        self.goal = QPlainTextEdit()
        self.goal.setObjectName("firstGoal")
        self.goal.setTabChangesFocus(True)
        self.goal.setPlaceholderText(ctx.tr("ui.goals.text_placeholder"))
        self.goal.setFixedHeight(90)
        self.add("ui.wizard.goal", self.goal, "text")

    def validatePage(self) -> bool:
        text = self.goal.toPlainText().strip()
        if not text:
            return True
        goal = models.Goal(id="pending", period_id="pending", text=text)
        problems = goal_problems(goal)
        self.errors.show(problems)
        return not problems


class NewClientWizard(GuardedWizard):
    """New client + first period, or a new period for ``client``."""

    created = Signal(str)

    def __init__(
        self, ctx: AppContext, client: models.Client | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newClientWizard")
        self.ctx = ctx
        self.guard_lang = ctx.lang
        self.existing = client
        tr = ctx.tr
        self.setWindowTitle(tr("ui.wizard.title" if client is None else "ui.wizard.period_only"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for which, key in (
            (QWizard.WizardButton.BackButton, "ui.wizard.back"),
            (QWizard.WizardButton.NextButton, "ui.wizard.next"),
            (QWizard.WizardButton.FinishButton, "ui.wizard.finish"),
            (QWizard.WizardButton.CancelButton, "ui.common.cancel"),
            (QWizard.WizardButton.CommitButton, "ui.wizard.finish"),
        ):
            self.setButtonText(which, tr(key))
        self.client_page = ClientPage(ctx)
        self.period_page = PeriodPage(ctx)
        self.intake_page = IntakePage(ctx)
        self.goal_page = GoalPage(ctx)
        self.needs_page = NeedsPage(ctx)
        if client is None:
            self.addPage(self.client_page)
        self.addPage(self.period_page)
        self.addPage(self.intake_page)
        self.addPage(self.goal_page)
        # the needs mapping is optional at intake: Finish works from the goal page too
        self.addPage(self.needs_page)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, True)
        self.goal_page.setFinalPage(True)
        self.resize(820, 600)
        self.guard_wizard()

    def accept(self) -> None:
        """Write client, period and first goal together (in the background), then close."""
        super().accept()
        self.save()

    def save(self) -> None:
        new_client = self.client_page.client() if self.existing is None else None
        period = self.period_page.period(self.existing.id if self.existing else "")
        period.intake = self.intake_page.answers()
        text = self.goal_page.goal.toPlainText()
        store, today = self.ctx.store, self.ctx.today()
        needs = self.needs_page.needs(today)

        def started(result: PeriodStarted) -> None:
            # the needs mapping and the period's key dates follow the period itself
            self.ctx.run_operation(
                lambda: after_intake(store, result.period_id, needs, today),
                lambda _: self.created.emit(result.client_id),
            )

        self.ctx.run_operation(
            lambda: start_period(store, period, new_client, text), started, owner=self
        )
