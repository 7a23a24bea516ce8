"""The period from intake to ending: a place for each phase's record, and its paste-ready text.

Cards in the order of the process: needs mapping and agreement (before
start), the key dates and the implementation plan (start), interim
evaluations, and the ending. Each card shows what is recorded, an edit
button and "Copy text" for the entry the worker re-enters in the city's
client-record system. An ended period is shown read-only. Writes run as
operations in the background (``AppContext.run_operation``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QGridLayout, QScrollArea, QWidget

from sosku_desktop.documents.errors import DocumentError, NotApplicableError
from sosku_desktop.documents.kinds import (
    FINAL_EVALUATION,
    IMPLEMENTATION_PLAN,
    INTERIM_EVALUATION,
    SERVICE_END,
    SERVICE_START,
)
from sosku_desktop.domain import codes, models
from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.domain.ids import new_id
from sosku_desktop.domain.lifecycle import (
    block_for_evaluation,
    current_plan,
    is_read_only,
    may_start_new_period_from,
    needs_of,
    next_period_start,
    period_activity,
    plan_revisions,
    with_review_default,
)
from sosku_desktop.domain.periods import max_end
from sosku_desktop.operations import period_lifecycle, period_records
from sosku_desktop.operations.documents import build_and_log
from sosku_desktop.ui.client.tabs.base import ClientTab
from sosku_desktop.ui.dialogs.end_period_dialog import EndPeriodDialog
from sosku_desktop.ui.dialogs.period_forms import (
    AgreementDialog,
    ClientDialog,
    EvaluationDialog,
    NeedsDialog,
    PeriodDialog,
    PlanDialog,
)
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.widgets.common import Card, button, clear_layout, label, row
from sosku_desktop.ui.widgets.lifetime import open_dialog
from sosku_desktop.ui.widgets.reflow import flow

#: Planned entries shown on the card (the rest are in the calendar).
SHOWN_KEY_DATES = 6
#: Earlier values shown in the client-details form (newest first).
MAX_EARLIER = 6
EDITABLE_CLIENT_FIELDS = (
    "first_name",
    "last_name",
    "identity_code",
    "phone",
    "email",
    "address",
    "language",
)


class PeriodTab(ClientTab):
    """Needs mapping, agreement, key dates, plan, evaluations and ending of the period."""

    dialog_opened = Signal(object)
    #: The worker chose to draft the continuation decision after an evaluation.
    continuation_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("periodTab")
        #: "This period has ended" (read-only), apart from the status of the last action.
        self.banner = label("", "notice", wrap=True)
        self.banner.setObjectName("periodBanner")
        self.layout_.addWidget(self.banner)
        self.status = label("", "muted", wrap=True)
        self.status.setObjectName("periodStatus")
        self.layout_.addWidget(self.status)
        holder = QWidget()
        self.grid = QGridLayout(holder)
        self.grid.setSpacing(12)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the first button
        scroll.setWidget(holder)
        self.layout_.addWidget(scroll, 1)

    # --- rendering -----------------------------------------------------------------------

    def fill(self) -> None:
        assert self.data is not None
        clear_layout(self.grid)
        period = self.data.period
        if period is None:
            self.banner.setText(self.ctx.tr("ui.period.no_period"))
            self.banner.setVisible(True)
            return
        read_only = is_read_only(period)
        self.banner.setText(self.ctx.tr("ui.period.read_only") if read_only else "")
        self.banner.setVisible(read_only)
        cards = (
            self._needs_card(period, read_only),
            self._agreement_card(period, read_only),
            self._dates_card(period, read_only),
            self._plan_card(period, read_only),
            self._evaluation_card(period, read_only),
            self._ending_card(period, read_only),
        )
        for index, card in enumerate(cards):
            self.grid.addWidget(card, index // 2, index % 2)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 1)

    def _card(self, title_key: str, name: str) -> Card:
        card = Card(self.ctx.tr(title_key))
        card.setObjectName(name)
        return card

    def _line(self, card: Card, text: str, style: str = "") -> None:
        card.body.addWidget(label(text, style, wrap=True))

    def _buttons(self, card: Card, *pairs: tuple[str, Callable[[], Any], bool]) -> None:
        widgets = []
        for key, action, enabled in pairs:
            b = button(self.ctx.tr(key))
            b.setObjectName(key.rsplit(".", 1)[-1])
            b.clicked.connect(lambda _=False, a=action: a())
            b.setEnabled(enabled)
            widgets.append(b)
        card.body.addWidget(flow(*widgets))  # wraps in a narrow card

    def _needs_card(self, period: models.Period, read_only: bool) -> Card:
        assert self.data is not None
        card = self._card("ui.period.needs_card", "needsCard")
        needs = needs_of(self.data.record.needs, period.id)
        if needs is None:
            self._line(card, self.ctx.tr("ui.period.needs_missing"), "muted")
        else:
            for name in ("services_had", "what_helped", "wants_to_change"):
                value = getattr(needs, name)
                if value:
                    self._line(card, f"{self.ctx.tr(f'ui.period.needs.{name}')}: {value}")
        self._buttons(
            card,
            ("ui.period.edit_needs", self.edit_needs, not read_only),
            ("ui.period.edit_client", self.edit_client, True),
            ("ui.period.edit_period", self.edit_period, not read_only),
        )
        return card

    def _agreement_card(self, period: models.Period, read_only: bool) -> Card:
        assert self.data is not None
        card = self._card("ui.period.agreement_card", "agreementCard")
        agreement = self._agreement(period)
        if agreement is None:
            self._line(card, self.ctx.tr("ui.period.agreement_missing"), "muted")
        else:
            if agreement.meeting_times:
                self._line(
                    card, self.ctx.tr("ui.period.agreed_times", text=agreement.meeting_times)
                )
            self._line(card, self.ctx.tr("ui.period.agreed_goals", n=len(agreement.goal_ids)))
            signed = (
                self.ctx.tr("ui.period.signed_on", date=self.ctx.date(agreement.signed_on))
                if agreement.signed_on
                else self.ctx.tr("ui.period.not_signed")
            )
            self._line(card, signed, "muted")
        self._buttons(
            card,
            ("ui.period.edit_agreement", self.edit_agreement, not read_only),
            ("ui.period.copy_start", lambda: self.copy_text(SERVICE_START), True),
        )
        return card

    def _dates_card(self, period: models.Period, read_only: bool) -> Card:
        assert self.data is not None
        card = self._card("ui.period.dates_card", "datesCard")
        entries = sorted(
            (e for e in self.data.record.planned_entries if e.period_id == period.id),
            key=lambda e: (e.on, e.kind),
        )
        open_ = [e for e in entries if e.done_on is None]
        if not entries:
            self._line(card, self.ctx.tr("ui.period.dates_missing"), "muted")
        for entry in open_[:SHOWN_KEY_DATES]:
            late = entry.on < self.data.today
            text = f"{self.ctx.date(entry.on)}  {self.ctx.code('plan_kind', entry.kind)}"
            self._line(card, text, "warningNotice" if late else "")
        if len(open_) > SHOWN_KEY_DATES:
            self._line(
                card, self.ctx.tr("ui.period.more_dates", n=len(open_) - SHOWN_KEY_DATES), "muted"
            )
        self._buttons(card, ("ui.period.plan_dates", self.plan_dates, not read_only))
        return card

    def _plan_card(self, period: models.Period, read_only: bool) -> Card:
        assert self.data is not None
        card = self._card("ui.period.plan_card", "planCard")
        plan = current_plan(self.data.record.plans, period.id)
        if plan is None:
            self._line(card, self.ctx.tr("ui.period.plan_missing"), "muted")
        else:
            revisions = len(plan_revisions(self.data.record.plans, period.id))
            self._line(
                card,
                self.ctx.tr(
                    "ui.period.plan_line",
                    rev=plan.revision,
                    date=self.ctx.date(plan.made_on),
                    n=revisions,
                ),
            )
            if plan.review_on:
                self._line(
                    card,
                    self.ctx.tr("ui.period.review_on", date=self.ctx.date(plan.review_on)),
                    "muted",
                )
        self._buttons(
            card,
            ("ui.period.edit_plan", self.edit_plan, not read_only),
            ("ui.period.new_revision", self.new_revision, not read_only and plan is not None),
            ("ui.period.copy_plan", lambda: self.copy_text(IMPLEMENTATION_PLAN), plan is not None),
        )
        return card

    def _evaluation_card(self, period: models.Period, read_only: bool) -> Card:
        assert self.data is not None
        card = self._card("ui.period.evaluation_card", "evaluationCard")
        own = sorted(
            (e for e in self.data.record.evaluations if e.period_id == period.id),
            key=lambda e: e.on,
        )
        if not own:
            self._line(card, self.ctx.tr("ui.period.evaluations_missing"), "muted")
        for evaluation in own:
            yes = self.ctx.tr("ui.common.yes" if evaluation.continue_service else "ui.common.no")
            self._line(
                card,
                self.ctx.tr(
                    "ui.period.evaluation_line",
                    date=self.ctx.date(evaluation.on),
                    start=self.ctx.date(evaluation.block_start),
                    end=self.ctx.date(evaluation.block_end),
                    cont=yes,
                ),
            )
        self._buttons(
            card,
            ("ui.period.record_evaluation", self.record_evaluation, not read_only),
            ("ui.period.copy_evaluation", lambda: self.copy_text(INTERIM_EVALUATION), bool(own)),
        )
        return card

    def _ending_card(self, period: models.Period, read_only: bool) -> Card:
        assert self.data is not None
        card = self._card("ui.period.ending_card", "endingCard")
        if read_only:
            self._line(
                card,
                self.ctx.tr(
                    "ui.period.ended_line",
                    date=self.ctx.date(period.ended_on),
                    reason=self.ctx.code("end_reason", period.end_reason),
                ),
            )
            if period.follow_on_service:
                self._line(card, self.ctx.tr("ui.period.follow_on", text=period.follow_on_service))
            buttons: list[tuple[str, Callable[[], Any], bool]] = [
                ("ui.period.copy_final", lambda: self.copy_text(FINAL_EVALUATION), True),
                ("ui.period.copy_end", lambda: self.copy_text(SERVICE_END), True),
            ]
            if may_start_new_period_from(period, self.data.record.periods):
                buttons.append(("ui.period.new_period", self.start_new_period, True))
            self._buttons(card, *buttons)
        else:
            self._line(card, self.ctx.tr("ui.period.ending_hint"), "muted")
            end = button(self.ctx.tr("ui.period.end_period"), primary=True)
            end.setObjectName("endPeriodButton")
            end.clicked.connect(lambda: self.end_period())
            card.body.addLayout(row(end))
        return card

    def _agreement(self, period: models.Period) -> models.Agreement | None:
        assert self.data is not None
        own = [a for a in self.data.record.agreements if a.period_id == period.id]
        return own[-1] if own else None

    # --- actions -------------------------------------------------------------------------

    def _run(self, work: Callable[[], Any], done_key: str) -> None:
        def on_done(_: Any) -> None:
            self.status.setText(self.ctx.tr(done_key))

        def on_invalid(error: ValidationError) -> None:
            self.status.setText(" ".join(self.ctx.tr(p.message_key) for p in error.problems))

        self.ctx.run_operation(work, on_done=on_done, on_invalid=on_invalid, owner=self)

    def _open(self, dialog: QDialog, on_accept: Callable[[], None]) -> QDialog:
        dialog.accepted.connect(on_accept)
        open_dialog(dialog)
        self.dialog_opened.emit(dialog)
        return dialog

    def _context(self) -> tuple[models.Period, list[models.Goal]]:
        assert self.data is not None and self.data.period is not None
        goals = [g for g in self.data.period_goals if g.level == codes.GOAL_MAIN]
        return self.data.period, goals

    def edit_needs(self) -> QDialog:
        period, _ = self._context()
        assert self.data is not None
        needs = needs_of(self.data.record.needs, period.id) or models.NeedsMapping(
            id=new_id(), period_id=period.id, mapped_on=self.data.today
        )
        dialog = NeedsDialog(self.ctx.tr, self.ctx.lang, needs, self.data.today, self)
        store, today = self.ctx.store, self.data.today
        return self._open(
            dialog,
            lambda: self._run(
                lambda: period_records.save_needs_mapping(store, dialog.value(), today),
                "ui.period.saved",
            ),
        )

    def edit_agreement(self) -> QDialog:
        period, goals = self._context()
        agreement = self._agreement(period) or models.Agreement(id=new_id(), period_id=period.id)
        assert self.data is not None
        dialog = AgreementDialog(
            self.ctx.tr, self.ctx.lang, agreement, goals, self.data.today, self
        )
        store = self.ctx.store
        return self._open(
            dialog,
            lambda: self._run(
                lambda: period_records.save_agreement(store, dialog.value()), "ui.period.saved"
            ),
        )

    def _plan_dialog(self, plan: models.ImplementationPlan, new_revision: bool) -> QDialog:
        _, goals = self._context()
        dialog = PlanDialog(self.ctx.tr, self.ctx.lang, plan, goals, self)
        store = self.ctx.store

        return self._open(
            dialog,
            lambda: self._run(
                lambda: period_records.save_plan(store, dialog.value(), new_revision),
                "ui.period.saved",
            ),
        )

    def edit_plan(self) -> QDialog:
        period, _ = self._context()
        assert self.data is not None
        plan = current_plan(self.data.record.plans, period.id)
        if plan is None:
            plan = models.ImplementationPlan(
                id=new_id(), period_id=period.id, made_on=self.data.today, responsible=self._me()
            )
        if plan.review_on is None:
            plan = with_review_default(plan, period, self.data.rules)
        return self._plan_dialog(plan, False)

    def new_revision(self) -> QDialog | None:
        period, _ = self._context()
        assert self.data is not None
        plan = current_plan(self.data.record.plans, period.id)
        if plan is None:
            return None
        draft = dataclasses.replace(plan, revision=plan.revision + 1, made_on=self.data.today)
        return self._plan_dialog(with_review_default(draft, period, self.data.rules), True)

    def record_evaluation(self) -> QDialog | None:
        period, goals = self._context()
        assert self.data is not None
        block = block_for_evaluation(period, self.data.today, self.data.rules)
        if block is None:
            return None
        evaluation = models.Evaluation(
            id=new_id(),
            period_id=period.id,
            on=self.data.today,
            block_start=block.start,
            block_end=block.end,
        )
        dialog = EvaluationDialog(
            self.ctx.tr,
            self.ctx.lang,
            evaluation,
            period,
            goals,
            self.data.rules,
            self.ctx.code,
            self.data.today,
            self,
        )
        store, today = self.ctx.store, self.data.today

        def after(_: Any) -> None:
            self.status.setText(self.ctx.tr("ui.period.saved"))
            if dialog.value().continue_service:
                self.continuation_requested.emit()

        def save() -> None:
            self.ctx.run_operation(
                lambda: period_records.record_evaluation(store, dialog.value(), today),
                on_done=after,
                owner=self,
            )

        return self._open(dialog, save)

    def end_period(self) -> QDialog:
        period, _ = self._context()
        assert self.data is not None
        dialog = EndPeriodDialog(
            self.ctx.tr,
            self.ctx.lang,
            period,
            self.data.record.assessments,
            self.data.rules,
            self.data.today,
            self.ctx.code,
            self,
            record=self.data.record,
        )
        store, today = self.ctx.store, self.data.today
        return self._open(
            dialog,
            lambda: self._run(
                lambda: period_lifecycle.end_period(store, period.id, dialog.ending(), today),
                "ui.period.ended",
            ),
        )

    def plan_dates(self) -> None:
        period, _ = self._context()
        store = self.ctx.store
        self._run(lambda: period_lifecycle.plan_period(store, period.id), "ui.period.dates_planned")

    def edit_client(self) -> QDialog:
        assert self.data is not None
        client = self.data.record.client
        earlier = [
            self.ctx.tr(
                "ui.period.earlier_value",
                field=self.ctx.tr(f"ui.period.client.{e.column}"),
                value=e.value or "–",
                date=self.ctx.date(e.replaced_at),
            )
            for e in period_lifecycle.earlier_values(self.ctx.store, "clients", client.id)
            if e.column in EDITABLE_CLIENT_FIELDS
        ][:MAX_EARLIER]
        dialog = ClientDialog(self.ctx.tr, self.ctx.lang, client, self.ctx.code, self, earlier)
        store = self.ctx.store
        return self._open(
            dialog,
            lambda: self._run(
                lambda: period_lifecycle.edit_client(store, dialog.value()), "ui.period.saved"
            ),
        )

    def edit_period(self) -> QDialog:
        period, _ = self._context()
        assert self.data is not None
        record, rules = self.data.record, self.data.rules
        activity = period_activity(
            period, record.meetings, record.sessions, record.attendances, rules
        )
        dialog = PeriodDialog(
            self.ctx.tr,
            self.ctx.lang,
            period,
            record.workers,
            rules,
            self,
            activity,
            record.meetings,
        )
        store = self.ctx.store
        return self._open(
            dialog,
            lambda: self._run(
                lambda: period_lifecycle.edit_period(store, dialog.value()), "ui.period.saved"
            ),
        )

    def start_new_period(self) -> None:
        assert self.data is not None
        client = self.data.record.client
        store, today, worker = self.ctx.store, self.data.today, self.ctx.store.worker_id
        # a period ended today keeps today: the new one begins the day after
        start = next_period_start(self.data.record.periods, today, self.data.rules)
        end = max_end(start, self.data.rules)
        self._run(
            lambda: period_lifecycle.start_new_period(store, client.id, start, end, worker, today),
            "ui.period.new_started",
        )

    def copy_text(self, kind: str) -> str:
        """The paste-ready entry on the clipboard (an export, so it is access-logged)."""
        assert self.data is not None
        try:
            built = build_and_log(
                self.ctx.store,
                kind,
                "txt",
                self.ctx.lang,
                self.data.record.client.id,
                today=self.data.today,
                period_id=self.data.period.id if self.data.period else None,  # the one shown
            )
        except NotApplicableError as error:
            self.status.setText(self.ctx.tr(f"doc.{error.reason_key}"))
            return ""
        except DocumentError:
            self.status.setText(self.ctx.tr("ui.period.copy_failed"))
            return ""
        text = built.data.decode("utf-8")
        QGuiApplication.clipboard().setText(text)
        self.ctx.changed(built.changes)
        self.status.setText(self.ctx.tr("ui.period.copied"))
        return text

    def _me(self) -> str:
        return self.ctx.worker_name(self.ctx.store.worker_id)
