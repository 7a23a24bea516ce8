"""The worker's activity budget: what was spent, on what, and what is left this year.

150 € a year for a social worker and 300 € for a social instructor by
default (``domain.budget``). The list and the figures come from
``operations.expenses.budget_view``; adding or removing an expense runs as
an operation in the background.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QDoubleSpinBox,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.domain import models
from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.ids import new_id
from sosku_desktop.domain.validation import expense_problems
from sosku_desktop.operations import expenses
from sosku_desktop.ui.dialogs.period_forms import RecordDialog, date_edit, date_of
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.widgets.client_picker import ClientPicker
from sosku_desktop.ui.widgets.common import button, fit_columns, label, row, table_view
from sosku_desktop.ui.widgets.form_guard import GuardedDialog
from sosku_desktop.ui.widgets.lifetime import open_dialog
from sosku_desktop.ui.widgets.models import Column, TableModel


class ExpenseDialog(RecordDialog):
    """One expense: date, amount in euros, purpose, the client it was for (optional)."""

    def __init__(self, ctx: AppContext, worker_id: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx.tr, ctx.lang, "ui.expenses.add_title", parent)
        self._worker_id, self._today = worker_id, ctx.today()
        self.on = self.add("on", "ui.expenses.on", date_edit(self._today))
        self.amount = QDoubleSpinBox()
        self.amount.setDecimals(2)
        self.amount.setRange(0, 10000)
        self.amount.setSuffix(" €")
        self.add("amount_cents", "ui.expenses.amount", self.amount)
        self.purpose = self.add("purpose", "ui.expenses.purpose", QLineEdit())
        # Typed and searched in the background: a whole caseload in a list box was
        # ten thousand items read on the UI thread. Left empty, no client.
        self.client = ClientPicker(ctx, ctx.tr("ui.expenses.client_placeholder"))
        self.add("client_id", "ui.expenses.client", self.client)

    def value(self) -> models.Expense:
        return models.Expense(
            id=new_id(),
            worker_id=self._worker_id,
            on=date_of(self.on) or self._today,
            amount_cents=round(self.amount.value() * 100),
            purpose=self.purpose.text().strip(),
            client_id=self.client.chosen(),
        )

    def problems(self) -> list[Problem]:
        problems = expense_problems(self.value(), self._today)
        typed = self.client.currentText().strip()
        if typed and self.client.chosen() is None:  # a name typed but none of the matches
            problems.append(Problem("client_id", "validation.code_unknown", {"value": typed}))
        return problems


class ExpensesDialog(GuardedDialog):
    """This year's budget, spending and what is left, with the expenses behind them."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("expensesDialog")
        self.ctx = ctx
        self.guard_lang = ctx.lang
        tr = ctx.tr
        self.year = ctx.today().year
        self.setWindowTitle(tr("ui.expenses.title"))
        self.setMinimumSize(680, 460)
        layout = QVBoxLayout(self)
        self.summary = label("", "cardTitle", wrap=True)
        self.summary.setObjectName("budgetSummary")
        layout.addWidget(self.summary)
        self.detail = label("", "muted", wrap=True)
        layout.addWidget(self.detail)
        self.model: TableModel[models.Expense] = TableModel(
            [
                Column("ui.expenses.on", lambda e: ctx.date(e.on), sort=lambda e: e.on),
                Column("ui.expenses.amount", lambda e: ctx.money(e.amount_cents)),
                Column("ui.expenses.purpose", lambda e: e.purpose),
                Column("ui.expenses.client", lambda e: self.names.get(e.client_id or "", "")),
            ],
            ctx.lang,
            self,
        )
        self.names: dict[str, str] = {}
        self.table = table_view(self.model, name="expensesTable")
        self.table.setAccessibleName(ctx.tr("ui.a11y.expenses"))
        layout.addWidget(self.table, 1)
        self.add_button = button(tr("ui.expenses.add"), primary=True)
        self.add_button.setObjectName("addExpenseButton")
        self.add_button.clicked.connect(lambda: self.add_expense())
        self.delete_button = button(tr("ui.expenses.delete"))
        self.delete_button.clicked.connect(self.delete_selected)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(tr("ui.expenses.close"))
        close.rejected.connect(self.reject)
        layout.addLayout(row(self.add_button, self.delete_button))
        layout.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        """Read the year's budget and expenses in the background (a newer read wins)."""
        worker_id = self.ctx.store.worker_id
        if worker_id is None:
            self.summary.setText(self.ctx.tr("ui.expenses.no_worker"))
            self.add_button.setEnabled(False)
            return
        store, year = self.ctx.store, self.year
        self.ctx.tasks.latest(
            ("expenses", id(self)),
            lambda _ticket: expenses.budget_view(store, worker_id, year),
            self._show,
            owner=self,
        )

    def _show(self, view: expenses.BudgetView) -> None:
        tr = self.ctx.tr
        self.names = view.client_names
        status = view.status
        key = "ui.expenses.left_over" if status.overspent else "ui.expenses.left"
        self.summary.setText(tr(key, year=self.year, left=self.ctx.money(abs(status.left_cents))))
        self.detail.setText(
            tr(
                "ui.expenses.detail",
                budget=self.ctx.money(status.budget_cents),
                spent=self.ctx.money(status.spent_cents),
                n=status.expense_count,
            )
        )
        self.model.set_rows(list(view.expenses))
        fit_columns(self.table)

    def add_expense(self) -> ExpenseDialog | None:
        worker_id = self.ctx.store.worker_id
        if worker_id is None:
            return None
        dialog = ExpenseDialog(self.ctx, worker_id, self)
        store, today = self.ctx.store, self.ctx.today()
        dialog.accepted.connect(
            lambda: self.ctx.run_operation(
                lambda: expenses.save_expense(store, dialog.value(), today),
                on_done=lambda _: self.refresh(),
                owner=self,
            )
        )
        open_dialog(dialog)
        return dialog

    def delete_selected(self) -> None:
        index = self.table.currentIndex()
        expense = self.model.row_at(index) if index.isValid() else None
        if expense is None:
            return
        store = self.ctx.store
        self.ctx.run_operation(
            lambda: expenses.delete_expense(store, expense.id),
            on_done=lambda _: self.refresh(),
            owner=self,
        )
